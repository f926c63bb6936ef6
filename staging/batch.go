package staging

import (
	"context"
	"io"

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

// learnerEntry is one per-learner node or relationship.
type learnerEntry struct {
	name       string // label or type
	suffix     []byte // bucket key after the learner's ordinal
	value      []byte // encoded record
	props      Props  // to merge into what an earlier row of the learner staged
	start, end string // relationships only
	isRel      bool
}

// encode re-encodes the entry with merged properties.
func (e learnerEntry) encode(p Props) []byte {
	if e.isRel {
		return encodeRel(e.start, e.end, p)
	}
	return encodeNode(p)
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
	b := batch{shared: map[string]map[string]sharedEntity{}}
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
		b.add(row)
	}
	b.next.Offset, b.next.Line = r.next()
	return b, nil
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
		lr.entries = append(lr.entries, learnerEntry{name: n.Label, value: encodeNode(n.Props), props: n.Props})
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
			props: r.Props, start: r.Start, end: r.End, isRel: true,
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
