package staging

import (
	"encoding/binary"
	"fmt"
	"os"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/learnergraph/importer/checkpoint"
)

// writer commits batches to the state file. It is the only goroutine that
// writes, and it keeps in memory what makes its writes cheap: the learner
// index (sandId → ordinal) and the properties of the shared entities
// (countries, skills, ...) as last staged, so an entity that a batch does
// not change is not written again.
type writer struct {
	db     *bolt.DB
	s      *Schema
	index  *learnerIndex
	shared []map[string]Props // by shared kind, then bucket key: as staged
	// started is when this process began staging, recorded as the start
	// sample with its first checkpoint; zero once recorded.
	started time.Time
}

// newWriter builds the writer's memory from the state file: the learner
// index from the learners bucket (the shared entities are read as batches
// meet them). hash, when set, replaces the index's hash function.
func newWriter(db *bolt.DB, s *Schema, hash func(string) uint64) (*writer, error) {
	w := &writer{db: db, s: s, index: newLearnerIndex(), shared: newSharedMaps[Props](s)}
	if hash != nil {
		w.index = newLearnerIndexHash(hash)
	}
	err := checkpoint.Guard(db.Path(), func() error { return w.load(db) })
	if err != nil {
		return nil, fmt.Errorf("index staged learners: %w", err)
	}
	return w, nil
}

// load fills the learner index from the learners bucket.
func (w *writer) load(db *bolt.DB) error {
	return db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(learnersBucket).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if binary.BigEndian.Uint64(k) != w.index.len() {
				return fmt.Errorf("%w: learner ordinal %d where %d was next", ErrCorrupt, binary.BigEndian.Uint64(k), w.index.len())
			}
			sandID, err := learnerSandID(v)
			if err != nil {
				return err
			}
			if err := w.index.add(sandID); err != nil {
				return err
			}
		}
		return nil
	})
}

// commit writes one batch, its counters and its resume point in one bbolt
// transaction, and returns the counters as committed.
//
// Damage met on the way (a record an earlier run staged that fails its
// checksum, a damaged page) is a *checkpoint.DamagedError, never a crash.
func (w *writer) commit(b batch) (counts checkpoint.Counts, err error) {
	err = checkpoint.Guard(w.db.Path(), func() error {
		counts, err = w.commitTx(b)
		return err
	})
	return counts, err
}

func (w *writer) commitTx(b batch) (checkpoint.Counts, error) {
	var counts checkpoint.Counts
	err := w.db.Update(func(tx *bolt.Tx) error {
		t, err := w.begin(tx)
		if err != nil {
			return err
		}
		readBefore := t.counts.Rows.Read
		for _, rej := range b.rejects {
			if err := t.reject(b.file, rej); err != nil {
				return err
			}
		}
		t.counts.Rows.Read += b.sharedRows
		t.counts.Rows.Staged += b.sharedRows
		for _, row := range b.rows {
			if err := t.row(row); err != nil {
				return err
			}
		}
		if err := t.flushShared(b.shared); err != nil {
			return err
		}
		if t.mark.NextOrdinal != w.index.len() {
			return fmt.Errorf("learner index holds %d learners, the state file %d", w.index.len(), t.mark.NextOrdinal)
		}
		if b.files != nil { // the batch ends an input file
			if err := checkpoint.WriteFiles(tx, ended(b.files, b.file, t.counts.Rows.Read)); err != nil {
				return err
			}
		}
		t.mark.File, t.mark.Offset, t.mark.Line, t.mark.Done = b.next.File, b.next.Offset, b.next.Line, b.next.Done
		if err := checkpoint.WriteStageMark(tx, t.mark); err != nil {
			return err
		}
		if err := checkpoint.WritePrefix(tx, b.prefix); err != nil {
			return err
		}
		counts = t.counts
		if err := w.sample(tx, t.counts.Rows.Read-readBefore); err != nil {
			return err
		}
		if err := checkpoint.WriteEntries(tx, w.s.entries(t.counts, t.mark.NextOrdinal)); err != nil {
			return err
		}
		return checkpoint.WriteCounts(tx, t.counts)
	})
	if err != nil {
		return counts, fmt.Errorf("stage batch ending at line %d: %w", b.next.Line, err)
	}
	return counts, nil
}

// sample records the checkpoint's throughput sample (and, at the
// process's first checkpoint, its start): one small record in the
// checkpoint's transaction.
func (w *writer) sample(tx *bolt.Tx, rows int64) error {
	pid := os.Getpid()
	if !w.started.IsZero() {
		if err := checkpoint.AddSample(tx, checkpoint.PassStage, checkpoint.Sample{At: w.started, Start: true, PID: pid}); err != nil {
			return err
		}
		w.started = time.Time{}
	}
	return checkpoint.AddSample(tx, checkpoint.PassStage, checkpoint.Sample{At: time.Now(), PID: pid, Rows: rows})
}

// txWriter stages one batch inside one write transaction. Learner records
// are appended as they come, keyed by ordinal; shared entities are merged
// in memory across the batch and written at the end, in key order, when
// they changed.
type txWriter struct {
	*writer
	counts   checkpoint.Counts
	mark     checkpoint.StageMark
	learners *bolt.Bucket
	rejects  *bolt.Bucket
	buckets  map[string]*bolt.Bucket // shared labels and types
}

func (w *writer) begin(tx *bolt.Tx) (*txWriter, error) {
	t := &txWriter{writer: w, buckets: map[string]*bolt.Bucket{}}
	var err error
	if t.counts, err = checkpoint.ReadCounts(tx); err != nil {
		return nil, err
	}
	if t.mark, err = checkpoint.ReadStageMark(tx); err != nil {
		return nil, err
	}
	// Learners and rejects are appended in key order: fill their pages to
	// the brim (FillPercent is per transaction in bbolt).
	t.learners = tx.Bucket(learnersBucket)
	t.learners.FillPercent = 1.0
	t.rejects = tx.Bucket(rejectsBucket)
	t.rejects.FillPercent = 1.0
	for _, name := range w.s.sharedNames {
		if w.s.isRel[name] {
			t.buckets[name] = tx.Bucket(relBucket(name))
		} else {
			t.buckets[name] = tx.Bucket(nodeBucket(name))
		}
	}
	return t, nil
}

func (t *txWriter) reject(file int, r Reject) error {
	t.counts.Rows.Read++
	t.counts.Rows.Rejected++
	return t.rejects.Put(rejectKey(file, r.Line), encodeReject(r))
}

// row stages one accepted row's learner record: a new learner's is
// appended, a known learner's merged into what is staged.
func (t *txWriter) row(row learnerRow) error {
	t.counts.Rows.Read++
	t.counts.Rows.Staged++
	ord, isNew, err := t.index.lookup(row.sandID, t.isLearner(row.sandID))
	if err != nil {
		return fmt.Errorf("index learner: %w", err)
	}
	key := ordinalKey(ord)
	if isNew {
		t.mark.NextOrdinal++
		if err := t.countNew(row.value); err != nil {
			return err
		}
		return t.learners.Put(key, row.value)
	}
	t.counts.Rows.Duplicates++
	old, err := t.s.decodeLearner(t.learners.Get(key))
	if err != nil {
		return fmt.Errorf("merge learner %d: %w", ord, err)
	}
	later, err := t.s.decodeLearner(row.value)
	if err != nil {
		return fmt.Errorf("merge learner %d: %w", ord, err)
	}
	for slot, n := range old.merge(later) {
		t.count(t.s.slots[slot], n)
	}
	return t.learners.Put(key, old.encode(nil))
}

// isLearner confirms a candidate of the learner index: is sandID the
// learner staged under ord?
func (t *txWriter) isLearner(sandID string) func(ord uint64) (bool, error) {
	return func(ord uint64) (bool, error) {
		v := t.learners.Get(ordinalKey(ord))
		if v == nil {
			return false, fmt.Errorf("%w: learner %d is indexed but not staged", ErrCorrupt, ord)
		}
		s, err := learnerSandID(v)
		return s == sandID, err
	}
}

// countNew counts the entities of a new learner's record.
func (t *txWriter) countNew(v []byte) error {
	d := newDecoder(v)
	d.string()
	for d.err == nil && len(d.b) > 0 {
		slot, payload := d.section(len(t.s.slots))
		if d.err != nil {
			break
		}
		n := int64(1)
		if t.s.isRelSlot(slot) {
			pd := &decoder{b: payload}
			n = int64(pd.uvarint())
		}
		t.count(t.s.slots[slot], n)
	}
	return d.err
}

// flushShared merges the batch's shared entities into their buckets, in
// key order, writing only those that are new or changed.
func (t *txWriter) flushShared(shared []map[string]*sharedEntity) error {
	for kind, m := range shared {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if err := t.flushEntity(kind, k, m[k]); err != nil {
				return fmt.Errorf("merge %s: %w", t.s.sharedNames[kind], err)
			}
		}
	}
	return nil
}

// flushEntity merges one shared entity into what is staged.
func (t *txWriter) flushEntity(kind int, key string, e *sharedEntity) error {
	name := t.s.sharedNames[kind]
	b := t.buckets[name]
	old, known := t.shared[kind][key]
	if !known {
		if v := b.Get([]byte(key)); v != nil {
			p, err := t.s.decodeProps(name, v)
			if err != nil {
				return err
			}
			old, known = p, true
		}
	}
	p, changed := mergeChanged(old, e.props, t.s.sharedKeyProp[kind], t.s.sharedFirst[kind])
	t.shared[kind][key] = p
	if known && !changed {
		return nil
	}
	if !known {
		t.count(name, 1)
	}
	v := encodeNode(p)
	if t.s.isRel[name] {
		v = encodeRel(e.start, e.end, p)
	}
	return b.Put([]byte(key), v)
}

func (t *txWriter) count(name string, n int64) {
	if n == 0 {
		return
	}
	if _, ok := t.counts.Nodes[name]; ok {
		t.counts.Nodes[name] += n
		return
	}
	t.counts.Relationships[name] += n
}
