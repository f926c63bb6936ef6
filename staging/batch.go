package staging

import (
	"strings"

	"github.com/learnergraph/importer/checkpoint"
)

// batch is the unit of a checkpoint: consecutive rows, each staged or
// rejected, and the resume point after the last of them. The reading
// goroutine prepares it as far as it can without the state file — entities
// encoded, shared entities merged across the batch — so the writing
// goroutine only does bbolt work.
type batch struct {
	s       *Schema
	rows    []learnerRow
	rejects []Reject
	shared  []map[string]*sharedEntity // by shared kind (Schema.sharedNames), then bucket key
	next    checkpoint.StageMark       // File, Offset, Line and Done; NextOrdinal is the writer's
	prefix  checkpoint.Prefix          // of the input up to next.Offset
	chunk   []byte                     // room for the rows' values (keep)
	// file is the input file's index (mapping order); a file without the
	// root's entity (rootless) stages shared entities only: its accepted
	// rows are counted in sharedRows, without a learner record.
	file       int
	rootless   bool
	sharedRows int64
	// files, when set, is the files record to write with the batch: the
	// batch ends input file `file`, and next is the start of the next one.
	files []checkpoint.InputFile
}

// learnerRow is an accepted row's per-learner entities: its learner
// record, encoded (batches wait in memory, so they hold nothing the encoding
// does not; a merge with an earlier row of the same learner decodes it).
type learnerRow struct {
	sandID string
	value  []byte
}

// newSharedMaps returns one empty map per shared kind of s.
func newSharedMaps[T any](s *Schema) []map[string]T {
	maps := make([]map[string]T, len(s.sharedNames))
	for i := range maps {
		maps[i] = map[string]T{}
	}
	return maps
}

// sharedEntity is a node or relationship that many learners share
// (countries, skills, IN_COUNTRY, ...), merged across the batch.
type sharedEntity struct {
	start, end string // relationships only
	props      Props
}

// Reject is a rejected row.
type Reject struct {
	Line   int64
	SandID string
	Reason string
	Record string
}

// prepare transforms a run of records into a batch.
func prepare(h *Header, rs records) batch {
	s := h.plan.schema
	b := batch{s: s, shared: newSharedMaps[*sharedEntity](s), next: rs.next, rootless: !h.plan.hasRoot}
	var rb rowBuilder
	rec := s.newLearnerRecord("")
	var buf []byte
	for _, r := range rs.recs {
		if err := transform(h, &rb, r); err != nil {
			b.rejects = append(b.rejects, Reject{
				Line:   r.line,
				SandID: h.rootKey(r.fields),
				Reason: err.Error(),
				Record: string(r.raw),
			})
			continue
		}
		buf = b.add(rb.row, &rec, buf)
	}
	return b
}

// add prepares an accepted row, using rec and buf as scratch space.
func (b *batch) add(row Row, rec *learnerRecord, buf []byte) []byte {
	s := b.s
	rec.reset(row.SandID)
	for _, n := range row.Nodes {
		slot, perLearner := s.slotOf[n.Label]
		if !perLearner {
			b.addShared(s.sharedKind[n.Label], n.Key, sharedEntity{props: n.Props})
			continue
		}
		rec.addNode(slot, n.Props)
	}
	for _, r := range row.Rels {
		slot, perLearner := s.slotOf[r.Type]
		if !perLearner {
			key := sharedRelKey(s.relKeys[r.Type], r.Start, r.End, r.Props)
			b.addShared(s.sharedKind[r.Type], string(key), sharedEntity{start: r.Start, end: r.End, props: r.Props})
			continue
		}
		rec.addRel(slot, s.relSuffix(slot, r.End, r.Props), r.Props)
	}
	if b.rootless {
		b.sharedRows++
		return buf
	}
	rec.sortRels()
	buf = rec.encode(buf[:0])
	// Strings of a row point into its whole CSV record: copy what outlives
	// the row, so that a batch waiting for the writer does not keep every
	// record it read alive.
	b.rows = append(b.rows, learnerRow{sandID: strings.Clone(row.SandID), value: b.keep(buf)})
	return buf
}

// valueChunk is the size of the chunks that hold a batch's encoded
// learner records (one allocation for a few hundred rows, not one per row).
const valueChunk = 256 << 10

// keep copies v into the batch's chunks and returns the copy.
func (b *batch) keep(v []byte) []byte {
	if len(v) > valueChunk/8 {
		return append([]byte(nil), v...)
	}
	if len(b.chunk)+len(v) > cap(b.chunk) {
		b.chunk = make([]byte, 0, valueChunk)
	}
	i := len(b.chunk)
	b.chunk = append(b.chunk, v...)
	return b.chunk[i:len(b.chunk):len(b.chunk)]
}

// addShared merges a shared entity into the batch, in file order.
// Like the rows, it copies the strings it keeps (see add).
func (b *batch) addShared(kind int, key string, e sharedEntity) {
	m := b.shared[kind]
	if old := m[key]; old != nil {
		first := b.s.sharedFirst[kind]
		for _, q := range e.props {
			if q.Name == b.s.sharedKeyProp[kind] {
				continue // equal to the map key
			}
			if was := old.props.Get(q.Name); first && was == nil || !first && !sameValue(was, q.Value) {
				old.props = old.props.Set(q.Name, cloneValue(q.Value))
			}
		}
		return
	}
	props := make(Props, len(e.props))
	for i, q := range e.props {
		props[i] = Prop{Name: q.Name, Value: cloneValue(q.Value)}
	}
	m[strings.Clone(key)] = &sharedEntity{start: strings.Clone(e.start), end: strings.Clone(e.end), props: props}
}

// transform is Header.transform for a record that may not have parsed.
func transform(h *Header, b *rowBuilder, rec record) error {
	if rec.err != nil {
		return rec.err
	}
	return h.transform(b, rec.fields)
}
