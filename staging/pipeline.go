package staging

import (
	"context"
	"io"
	"sync"

	"github.com/learnergraph/importer/checkpoint"
)

// The staging pipeline: one goroutine reads CSV records, workers transform
// and encode runs of them into batches concurrently, and the caller's
// goroutine commits the batches to bbolt in file order. bbolt has a single
// writer, so the point of the workers is to keep the writer busy.

// records is a run of consecutive CSV records and the resume point after
// the last of them.
type records struct {
	recs []record
	next checkpoint.StageMark
}

// job asks a worker to prepare recs and deliver the batch on result.
type job struct {
	recs   records
	result chan<- batch
}

// stream reads runs of n records and sends, in file order, one channel per
// run on which the prepared batch arrives. It returns at the end of the
// input, on a read error, or when ctx is cancelled, and closes out.
func stream(ctx context.Context, r *csvReader, h *Header, n, workers int, out chan<- (<-chan batch)) error {
	defer close(out)
	jobs := make(chan job)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				j.result <- prepare(h, j.recs)
			}
		}()
	}
	defer func() {
		close(jobs)
		wg.Wait()
	}()
	for {
		rs, err := readRecords(r, n)
		if err != nil {
			return err
		}
		result := make(chan batch, 1)
		select {
		case out <- result:
		case <-ctx.Done():
			return nil
		}
		jobs <- job{recs: rs, result: result}
		if rs.next.Done {
			return nil
		}
	}
}

// readRecords reads up to n records, copying each out of the reader's
// buffers into room shared by the run (two allocations per run, not per
// record).
func readRecords(r *csvReader, n int) (records, error) {
	rs := records{recs: make([]record, 0, n)}
	var fields []string
	var raw []byte
	for len(rs.recs) < n {
		rec, err := r.read()
		if err == io.EOF {
			rs.next.Done = true
			break
		}
		if err != nil {
			return rs, err
		}
		if len(fields)+len(rec.fields) > cap(fields) {
			fields = make([]string, 0, max(n*len(rec.fields), len(rec.fields)))
		}
		if len(raw)+len(rec.raw) > cap(raw) {
			raw = make([]byte, 0, max(1<<20, 4*len(rec.raw)))
		}
		i, j := len(fields), len(raw)
		fields = append(fields, rec.fields...)
		raw = append(raw, rec.raw...)
		rec.fields, rec.raw = fields[i:len(fields):len(fields)], raw[j:len(raw):len(raw)]
		rs.recs = append(rs.recs, rec)
	}
	rs.next.Offset, rs.next.Line = r.next()
	return rs, nil
}
