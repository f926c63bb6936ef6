package staging

import (
	"github.com/learnergraph/importer/checkpoint"
)

// batch is the unit of a checkpoint: consecutive rows, each staged or
// rejected, and the resume point after the last of them. The reading
// goroutine prepares it as far as it can without the state file — entities
// encoded, shared entities merged across the batch — so the writing
// goroutine, the bottleneck, only does bbolt work.
type batch struct {
	rows    []learnerRow
	rejects []Reject
	shared  map[string]map[string]sharedEntity // label or type -> bucket key -> entity
	next    checkpoint.StageMark               // Offset, Line and Done; NextOrdinal is the writer's
}

// learnerRow is an accepted row's per-learner entities, ready to write
// under the learner's ordinal.
type learnerRow struct {
	sandID  string
	entries []learnerEntry
}

// learnerEntry is one per-learner node or relationship, encoded: batches
// wait in memory, so they hold nothing the encoding does not (a merge with
// an earlier row of the same learner decodes the value again).
type learnerEntry struct {
	name   string // label or type
	suffix []byte // bucket key after the learner's ordinal
	value  []byte // encoded record
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
	b := batch{shared: map[string]map[string]sharedEntity{}, next: rs.next}
	for _, rec := range rs.recs {
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
		b.add(row)
	}
	return b
}

// add prepares an accepted row.
func (b *batch) add(row Row) {
	lr := learnerRow{sandID: row.SandID, entries: make([]learnerEntry, 0, len(row.Nodes)+len(row.Rels))}
	for _, n := range row.Nodes {
		spec, _ := NodeSpecOf(n.Label)
		if !spec.PerLearner {
			b.addShared(n.Label, n.Key, sharedEntity{props: n.Props})
			continue
		}
		lr.entries = append(lr.entries, learnerEntry{name: n.Label, value: encodeNode(n.Props)})
	}
	for _, r := range row.Rels {
		spec, _ := RelSpecOf(r.Type)
		if !spec.PerLearner() {
			key := relKey(spec, []byte(r.Start), r.End, r.Props)
			b.addShared(r.Type, string(key), sharedEntity{start: r.Start, end: r.End, props: r.Props})
			continue
		}
		lr.entries = append(lr.entries, learnerEntry{
			name: r.Type, suffix: relKey(spec, nil, r.End, r.Props), value: encodeRel(r.Start, r.End, r.Props),
		})
	}
	b.rows = append(b.rows, lr)
}

// addShared merges a shared entity into the batch, in file order.
func (b *batch) addShared(name, key string, e sharedEntity) {
	m := b.shared[name]
	if m == nil {
		m = map[string]sharedEntity{}
		b.shared[name] = m
	}
	if old, ok := m[key]; ok {
		e.props = old.props.Merge(e.props)
	}
	m[key] = e
}

// transform is Transform for a record that may not have parsed.
func transform(h *Header, rec record) (Row, error) {
	if rec.err != nil {
		return Row{}, rec.err
	}
	return h.Transform(rec.fields)
}
