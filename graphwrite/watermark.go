package graphwrite

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/learnergraph/importer/staging"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Watermarks make every batch exactly once; the argument is in doc.go.
//
// Each (bucket, partition) of a run has one node
// (:ImporterWatermark {id: run/kind/name/part}) holding `after`, the last
// staged key written (hex; "" before the first batch), and `written`, the
// number of entities written so far. A batch's transaction locks and reads
// the watermark first, writes the batch only when the watermark stands at
// the key the batch starts after, and moves it to the batch's last key in
// the same transaction.

const codeConstraintValidation = "Neo.ClientError.Schema.ConstraintValidationFailed"

// partition is one key range of one bucket in a run.
type partition struct {
	b    bucket
	part int
	r    staging.Range
}

func (p partition) id(run string) string {
	return run + "/" + p.b.kind + "/" + p.b.name() + "/" + strconv.Itoa(p.part)
}

func (p partition) String() string {
	return p.b.name() + "/" + strconv.Itoa(p.part)
}

// watermark is a partition's position in Neo4j.
type watermark struct {
	after   []byte
	written int64
	counts  []int64 // of a learner group: written by member
}

// plus returns the watermark moved past bt.
func (w watermark) plus(bt batch) watermark {
	next := watermark{after: bt.last, written: w.written + int64(bt.count)}
	if bt.counts != nil {
		next.counts = make([]int64, len(bt.counts))
		for i, n := range bt.counts {
			next.counts[i] = n
			if i < len(w.counts) {
				next.counts[i] += w.counts[i]
			}
		}
	}
	return next
}

// outcome is what one batch transaction found and left.
type outcome struct {
	wm watermark // the partition's watermark after the transaction
	// moved is set when the watermark did not stand at the batch's start:
	// nothing was written, and the writer continues from wm instead.
	moved bool
}

// commitBatch writes bt in one managed transaction. The driver may run the
// work function several times (it retries transient errors); each run
// starts by reading the watermark, so a rerun after a commit that did
// happen writes nothing. failed is called with every error met inside the
// work function, so that the retries the driver makes are seen too.
//
// When ctx has a deadline, Neo4j is given the time left as the
// transaction's timeout, so a transaction the client stopped waiting for
// does not live on in Neo4j holding its locks.
func commitBatch(ctx context.Context, s neo4j.SessionWithContext, run string, p partition, bt batch, failed func(error)) (outcome, error) {
	var out outcome
	var configs []func(*neo4j.TransactionConfig)
	if deadline, ok := ctx.Deadline(); ok {
		configs = append(configs, neo4j.WithTxTimeout(max(time.Until(deadline), time.Millisecond)))
	}
	_, err := s.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		o, err := writeBatch(ctx, tx, run, p, bt)
		if err != nil {
			failed(err)
		}
		out = o
		return nil, err
	}, configs...)
	return out, err
}

func writeBatch(ctx context.Context, tx neo4j.ManagedTransaction, run string, p partition, bt batch) (outcome, error) {
	wm, err := lockWatermark(ctx, tx, run, p)
	if err != nil {
		return outcome{}, err
	}
	if !bytes.Equal(wm.after, bt.after) {
		return outcome{wm: wm, moved: true}, nil
	}
	for _, s := range bt.stmts {
		if err := runStatement(ctx, tx, s); err != nil {
			return outcome{}, err
		}
	}
	next := wm.plus(bt)
	var counts any // null for a bucket: no such property
	if next.counts != nil {
		counts = next.counts
	}
	res, err := tx.Run(ctx, watermarkSetQuery, map[string]any{
		"id": p.id(run), "after": hex.EncodeToString(next.after), "written": next.written, "counts": counts,
	})
	if err == nil {
		_, err = res.Consume(ctx)
	}
	if err != nil {
		return outcome{}, err
	}
	return outcome{wm: next}, nil
}

// lockWatermark creates the partition's watermark if needed, takes its
// write lock and reads it.
func lockWatermark(ctx context.Context, tx neo4j.ManagedTransaction, run string, p partition) (watermark, error) {
	res, err := tx.Run(ctx, watermarkLockQuery, map[string]any{
		"id": p.id(run), "run": run, "kind": p.b.kind, "name": p.b.name(), "part": int64(p.part),
	})
	if err != nil {
		return watermark{}, err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return watermark{}, err
	}
	return decodeWatermark(rec)
}

// decodeWatermark reads the after, written and counts columns of rec.
func decodeWatermark(rec *neo4j.Record) (watermark, error) {
	after, _ := rec.Get("after")
	written, _ := rec.Get("written")
	counts, _ := rec.Get("counts")
	s, _ := after.(string)
	n, _ := written.(int64)
	b, err := hex.DecodeString(s)
	if err != nil {
		return watermark{}, fmt.Errorf("corrupt watermark after=%q: %w", s, err)
	}
	if len(b) == 0 {
		b = nil
	}
	wm := watermark{after: b, written: n}
	if list, ok := counts.([]any); ok {
		wm.counts = make([]int64, len(list))
		for i, c := range list {
			wm.counts[i], _ = c.(int64)
		}
	}
	return wm, nil
}

// runStatement runs one statement of a batch and, for a checked one, makes
// sure every row found its endpoints.
func runStatement(ctx context.Context, tx neo4j.ManagedTransaction, s statement) error {
	res, err := tx.Run(ctx, s.cypher, s.params)
	if err != nil {
		return err
	}
	if !s.checked {
		_, err = res.Consume(ctx)
		return err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return err
	}
	n, _ := rec.Get("n")
	if n != int64(s.want) {
		return fmt.Errorf("%w: %v of %d relationships matched both ends (is the target missing nodes that the state file has?)", ErrMissingEndpoint, n, s.want)
	}
	return nil
}

// batchError adds the partition and, for errors the user can act on, a
// hint.
func batchError(p partition, err error) error {
	var dbErr *neo4j.Neo4jError
	if errors.As(err, &dbErr) && dbErr.Code == codeConstraintValidation {
		msg := strings.Join(strings.Fields(dbErr.Msg), " ") // one line
		return fmt.Errorf("write %s: %w: %s (the target was not empty: load with --mode merge, or empty it with `importer clear-database`)", p, ErrKeyExists, msg)
	}
	return fmt.Errorf("write %s: %w", p, err)
}

// readWatermarks returns the watermarks of run, by id.
func (g *Graph) readWatermarks(ctx context.Context, run string) (map[string]watermark, error) {
	recs, err := g.query(ctx, watermarksQuery, map[string]any{"run": run})
	if err != nil {
		return nil, fmt.Errorf("read watermarks: %w", err)
	}
	out := make(map[string]watermark, len(recs))
	for _, r := range recs {
		id, _ := r.Get("id")
		wm, err := decodeWatermark(r)
		if err != nil {
			return nil, fmt.Errorf("read watermark %v: %w", id, err)
		}
		s, _ := id.(string)
		out[s] = wm
	}
	return out, nil
}

// deleteWatermarks removes the watermarks of run.
func (g *Graph) deleteWatermarks(ctx context.Context, run string) error {
	if _, err := g.exec(ctx, watermarksDelete, map[string]any{"run": run}); err != nil {
		return fmt.Errorf("delete watermarks of run %s: %w", run, err)
	}
	return nil
}
