package graphwrite

import (
	"bytes"
	"context"
	"fmt"

	"github.com/learnergraph/importer/checkpoint"
	bolt "go.etcd.io/bbolt"
)

// The state file's load marks: a cache of the watermarks in Neo4j, for
// `importer status` and progress. One mark per partition of a bucket; the
// learner group keeps one per partition of each of its member buckets,
// which move together.

func markKey(kind, name string, part int) string {
	return fmt.Sprintf("%s/%s/%d", kind, name, part)
}

func (p partition) markKey() string { return markKey(p.b.kind, p.b.name(), p.part) }

// loadMarks are the state file's marks of partition p at wm: one, or one
// per member of the learner group.
func (p partition) loadMarks(wm watermark, done bool) []checkpoint.LoadMark {
	if p.b.kind != kindLearners {
		return []checkpoint.LoadMark{{Kind: p.b.kind, Name: p.b.name(), Part: p.part, After: wm.after, Written: wm.written, Done: done}}
	}
	out := make([]checkpoint.LoadMark, len(p.b.members))
	for i, m := range p.b.members {
		out[i] = checkpoint.LoadMark{Kind: m.kind, Name: m.name(), Part: p.part, After: wm.after, Done: done}
		if i < len(wm.counts) {
			out[i].Written = wm.counts[i]
		}
	}
	return out
}

// reconcile makes the state file's load marks agree with the watermarks in
// Neo4j, which are the truth: a batch may have committed after the last
// mark was written (the process died in between), and a cleared target
// has no watermarks at all.
func (l *loader) reconcile(ctx context.Context) error {
	wms, err := l.g.readWatermarks(ctx, l.plan.RunID)
	if err != nil {
		return err
	}
	stored := map[string]checkpoint.LoadMark{}
	err = l.db.View(func(tx *bolt.Tx) error {
		marks, err := checkpoint.ReadLoadMarks(tx)
		for _, m := range marks {
			stored[markKey(m.Kind, m.Name, m.Part)] = m
		}
		return err
	})
	if err != nil {
		return err
	}
	l.marks = map[string]resumePoint{}
	var done int64
	var marks []checkpoint.LoadMark
	for _, p := range l.parts {
		wm := wms[p.id(l.plan.RunID)]
		pm := p.loadMarks(wm, false)
		var had int64
		agree := true
		for _, m := range pm {
			old := stored[markKey(m.Kind, m.Name, m.Part)]
			had += old.Written
			agree = agree && old.Done && bytes.Equal(old.After, wm.after)
		}
		if had != wm.written || !sameAfter(stored, pm, wm.after) {
			l.prog.logf("%s: the state file had %d written, Neo4j's watermark has %d; continuing from Neo4j's", p, had, wm.written)
		}
		for i := range pm {
			pm[i].Done = agree
		}
		marks = append(marks, pm...)
		l.marks[p.markKey()] = resumePoint{wm: wm, done: agree}
		done += wm.written
	}
	l.prog.add(done)
	l.prog.base = done
	return l.db.Update(func(tx *bolt.Tx) error {
		for _, m := range marks {
			if err := checkpoint.WriteLoadMark(tx, m); err != nil {
				return err
			}
		}
		return nil
	})
}

// sameAfter reports whether the stored marks of pm all stand at after.
func sameAfter(stored map[string]checkpoint.LoadMark, pm []checkpoint.LoadMark, after []byte) bool {
	for _, m := range pm {
		if !bytes.Equal(stored[markKey(m.Kind, m.Name, m.Part)].After, after) {
			return false
		}
	}
	return true
}

// saveMark records a partition's position in the state file: a cache of
// the watermark, for status and progress; and, in the same transaction, the
// throughput sample of the batch that moved it there, if any.
func (l *loader) saveMark(p partition, wm watermark, done bool, sample *checkpoint.Sample) error {
	err := l.db.Update(func(tx *bolt.Tx) error {
		if sample != nil {
			if err := checkpoint.AddSample(tx, checkpoint.PassLoad, *sample); err != nil {
				return err
			}
		}
		for _, m := range p.loadMarks(wm, done) {
			if err := checkpoint.WriteLoadMark(tx, m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("write load mark of %s: %w", p, err)
	}
	return nil
}
