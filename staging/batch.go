package staging

import (
	"context"
	"io"

	"github.com/learnergraph/importer/checkpoint"
)

// batch is the unit of a checkpoint: consecutive rows, each staged or
// rejected, and the resume point after the last of them.
type batch struct {
	rows    []Row
	rejects []Reject
	next    checkpoint.StageMark // Offset, Line and Done; NextOrdinal is the writer's
}

// Reject is a rejected row.
type Reject struct {
	Line   int64
	SandID string
	Reason string
	Record string
}

// readBatches reads records, transforms them and sends batches of up to n
// rows until the end of the input or until ctx is cancelled. It closes out.
func readBatches(ctx context.Context, r *csvReader, h *Header, n int, out chan<- batch) error {
	defer close(out)
	for {
		b, err := readBatch(r, h, n)
		if err != nil {
			return err
		}
		select {
		case out <- b:
		case <-ctx.Done():
			return nil
		}
		if b.next.Done {
			return nil
		}
	}
}

func readBatch(r *csvReader, h *Header, n int) (batch, error) {
	var b batch
	for len(b.rows)+len(b.rejects) < n {
		rec, err := r.read()
		if err == io.EOF {
			b.next.Done = true
			break
		}
		if err != nil {
			return b, err
		}
		row, err := transform(h, rec)
		if err != nil {
			b.rejects = append(b.rejects, Reject{
				Line:   rec.line,
				SandID: h.value(rec.fields, colSandID),
				Reason: err.Error(),
				Record: string(rec.raw),
			})
			continue
		}
		b.rows = append(b.rows, row)
	}
	b.next.Offset, b.next.Line = r.next()
	return b, nil
}

// transform is Transform for a record that may not have parsed.
func transform(h *Header, rec record) (Row, error) {
	if rec.err != nil {
		return Row{}, rec.err
	}
	return h.Transform(rec.fields)
}
