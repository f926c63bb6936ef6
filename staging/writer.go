package staging

import (
	"fmt"
	"sort"

	bolt "go.etcd.io/bbolt"

	"github.com/learnergraph/importer/checkpoint"
)

// commit writes one batch, its counters and its resume point in one bbolt
// transaction, and returns the counters as committed.
func commit(db *bolt.DB, b batch) (checkpoint.Counts, error) {
	var counts checkpoint.Counts
	err := db.Update(func(tx *bolt.Tx) error {
		w, err := newTxWriter(tx)
		if err != nil {
			return err
		}
		for _, rej := range b.rejects {
			if err := w.reject(rej); err != nil {
				return err
			}
		}
		for _, row := range b.rows {
			if err := w.row(row); err != nil {
				return err
			}
		}
		if err := w.flushShared(b.shared); err != nil {
			return err
		}
		w.mark.Offset, w.mark.Line, w.mark.Done = b.next.Offset, b.next.Line, b.next.Done
		if err := checkpoint.WriteStageMark(tx, w.mark); err != nil {
			return err
		}
		counts = w.counts
		return checkpoint.WriteCounts(tx, w.counts)
	})
	if err != nil {
		return counts, fmt.Errorf("stage batch ending at line %d: %w", b.next.Line, err)
	}
	return counts, nil
}

// txWriter stages rows inside one write transaction. Per-learner entities
// are written as they come (appends, keyed by the learner's ordinal);
// shared entities (countries, skills, ...) are merged in memory across the
// batch and written once per key at the end, in key order.
type txWriter struct {
	tx      *bolt.Tx
	counts  checkpoint.Counts
	mark    checkpoint.StageMark
	index   *bolt.Bucket
	rejects *bolt.Bucket
	buckets map[string]*bolt.Bucket // by label or type
}

func newTxWriter(tx *bolt.Tx) (*txWriter, error) {
	w := &txWriter{tx: tx, buckets: map[string]*bolt.Bucket{}}
	var err error
	if w.counts, err = checkpoint.ReadCounts(tx); err != nil {
		return nil, err
	}
	if w.mark, err = checkpoint.ReadStageMark(tx); err != nil {
		return nil, err
	}
	w.index = tx.Bucket(learnerIndexBucket)
	w.rejects = tx.Bucket(rejectsBucket)
	w.rejects.FillPercent = 1.0
	for _, s := range Nodes() {
		w.buckets[s.Label] = w.bucket(nodeBucket(s.Label), s.PerLearner)
	}
	for _, s := range Rels() {
		w.buckets[s.Type] = w.bucket(relBucket(s.Type), s.PerLearner())
	}
	return w, nil
}

// bucket returns a bucket, filled to the brim when its keys are appended
// in order (FillPercent is per transaction in bbolt).
func (w *txWriter) bucket(name []byte, appendOnly bool) *bolt.Bucket {
	b := w.tx.Bucket(name)
	if appendOnly {
		b.FillPercent = 1.0
	}
	return b
}

func (w *txWriter) reject(r Reject) error {
	w.counts.Rows.Read++
	w.counts.Rows.Rejected++
	return w.rejects.Put(ordinalKey(uint64(r.Line)), encodeReject(r))
}

// row stages one accepted row's per-learner entities.
func (w *txWriter) row(row learnerRow) error {
	w.counts.Rows.Read++
	w.counts.Rows.Staged++
	ord, isNew, err := w.ordinal(row.sandID)
	if err != nil {
		return err
	}
	if !isNew {
		w.counts.Rows.Duplicates++
	}
	for _, e := range row.entries {
		key := append(ordinalKey(ord), e.suffix...)
		if err := w.put(e, key, isNew); err != nil {
			return err
		}
	}
	return nil
}

// ordinal returns the learner's ordinal, assigning the next one to a
// learner seen for the first time.
func (w *txWriter) ordinal(sandID string) (ord uint64, isNew bool, err error) {
	if v := w.index.Get([]byte(sandID)); v != nil {
		return decodeOrdinal(v), false, nil
	}
	ord = w.mark.NextOrdinal
	w.mark.NextOrdinal++
	if err := w.index.Put([]byte(sandID), ordinalKey(ord)); err != nil {
		return 0, false, fmt.Errorf("index learner: %w", err)
	}
	return ord, true, nil
}

// put writes a per-learner entity, merging it into what an earlier row of
// the same learner staged. A new learner has nothing to merge with.
func (w *txWriter) put(e learnerEntry, key []byte, isNew bool) error {
	b := w.buckets[e.name]
	if !isNew {
		if old := b.Get(key); old != nil {
			merged, err := mergeRecords(e.name, old, e.value)
			if err != nil {
				return fmt.Errorf("merge %s: %w", e.name, err)
			}
			return b.Put(key, merged)
		}
	}
	w.count(e.name)
	return b.Put(key, e.value)
}

// mergeRecords lays the later encoded record's properties over the earlier
// one's, and encodes the result.
func mergeRecords(name string, earlier, later []byte) ([]byte, error) {
	if _, isRel := RelSpecOf(name); isRel {
		_, _, p, err := decodeRel(earlier)
		if err != nil {
			return nil, err
		}
		start, end, q, err := decodeRel(later)
		return encodeRel(start, end, p.Merge(q)), err
	}
	p, err := decodeNode(earlier)
	if err != nil {
		return nil, err
	}
	q, err := decodeNode(later)
	return encodeNode(p.Merge(q)), err
}

// flushShared merges the batch's shared entities into their buckets, in
// key order.
func (w *txWriter) flushShared(shared map[string]map[string]sharedEntity) error {
	for name, m := range shared {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b := w.buckets[name]
		_, isRel := RelSpecOf(name)
		for _, k := range keys {
			e := m[k]
			p := e.props
			if old := b.Get([]byte(k)); old != nil {
				prev, err := decodeProps(name, old)
				if err != nil {
					return fmt.Errorf("merge %s: %w", name, err)
				}
				p = prev.Merge(p)
			} else {
				w.count(name)
			}
			v := encodeNode(p)
			if isRel {
				v = encodeRel(e.start, e.end, p)
			}
			if err := b.Put([]byte(k), v); err != nil {
				return err
			}
		}
	}
	return nil
}

func (w *txWriter) count(name string) {
	if _, ok := w.counts.Nodes[name]; ok {
		w.counts.Nodes[name]++
		return
	}
	w.counts.Relationships[name]++
}
