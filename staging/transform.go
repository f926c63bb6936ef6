package staging

import (
	"fmt"
	"unicode/utf8"
)

// Row is what one accepted CSV row stages: its root's key (the learner's
// sandId) and its entities, in file order and already merged within the
// row (a skill listed twice gives one Skill and one HAS_SKILL, with the
// later values).
type Row struct {
	SandID string
	Nodes  []Node
	Rels   []Rel
}

// RowError is why a row is rejected: a reason a person can act on.
type RowError struct {
	Reason string
}

func (e *RowError) Error() string { return e.Reason }

func reject(format string, args ...any) *RowError {
	return &RowError{Reason: fmt.Sprintf(format, args...)}
}

// Transform turns one record into the row's entities by the mapping, or
// rejects the whole row with a *RowError. It never panics on any input.
func (h *Header) Transform(rec []string) (Row, error) {
	b := &rowBuilder{}
	if err := h.transform(b, rec); err != nil {
		return Row{}, err
	}
	return b.row, nil
}

// transform is Transform into b, reusing the room of b's previous row: the
// Row it leaves in b is valid until the next call.
func (h *Header) transform(b *rowBuilder, rec []string) error {
	if len(rec) != h.fields {
		return reject("wrong number of fields: %d, the header has %d", len(rec), h.fields)
	}
	for i, f := range rec {
		if !utf8.ValidString(f) {
			return reject("invalid UTF-8 in field %d", i+1)
		}
	}
	var sandID string
	if root := &h.plan.entities[0]; h.plan.hasRoot {
		var err error
		if root.parts == nil {
			sandID, err = h.columnKey(rec, root.key)
		} else {
			sandID, err = h.compositeKey(b, rec, root, nil, field{})
		}
		if err != nil {
			return err
		}
	}
	if b.row.Nodes == nil {
		b.row.Nodes, b.row.Rels = make([]Node, 0, 12), make([]Rel, 0, 16)
	}
	clear(b.row.Nodes)
	clear(b.row.Rels)
	b.row = Row{SandID: sandID, Nodes: b.row.Nodes[:0], Rels: b.row.Rels[:0]}
	if n := len(h.plan.entities); cap(b.keys) < n {
		b.keys = make([]string, n)
	} else {
		b.keys = b.keys[:n]
		clear(b.keys)
	}
	first := 0
	if h.plan.hasRoot {
		if err := h.emit(b, rec, 0, sandID, nil, field{}); err != nil {
			return err
		}
		first = 1
	}
	for i := first; i < len(h.plan.entities); i++ {
		if err := h.entity(b, rec, i); err != nil {
			return err
		}
	}
	return nil
}

// entity stages the nodes of entity i and their relationships.
func (h *Header) entity(b *rowBuilder, rec []string, i int) error {
	e := &h.plan.entities[i]
	switch e.source {
	case fromArray:
		col := h.plan.columns[e.json]
		objs, err := decodeObjects(h.value(rec, e.json), col)
		if err != nil {
			return err
		}
		for j, obj := range objs {
			f := elemField(col, j)
			key, err := h.entityFieldKey(b, rec, e, obj, f)
			if err != nil || key == "" {
				return err
			}
			if err := h.emit(b, rec, i, key, obj, f); err != nil {
				return err
			}
		}
		return nil
	case fromObject:
		col := h.plan.columns[e.json]
		obj, ok, err := decodeObject(h.value(rec, e.json), col)
		if err != nil || !ok {
			return err
		}
		f := colField(col)
		key, err := h.entityFieldKey(b, rec, e, obj, f)
		if err != nil || key == "" {
			return err
		}
		return h.emit(b, rec, i, key, obj, f)
	}
	key := b.row.SandID
	var err error
	switch {
	case e.parts != nil:
		key, err = h.compositeKey(b, rec, e, nil, field{})
	case !e.key.root:
		key, err = h.columnKey(rec, e.key)
	}
	if err != nil || key == "" {
		return err
	}
	return h.emit(b, rec, i, key, nil, field{})
}

// entityFieldKey is the key of entity e from JSON obj (named f).
func (h *Header) entityFieldKey(b *rowBuilder, rec []string, e *entityPlan, obj jsonObject, f field) (string, error) {
	if e.parts != nil {
		return h.compositeKey(b, rec, e, obj, f)
	}
	return h.fieldKey(b, e.key, obj, f)
}

// emit stages entity i's node with key and its relationships; obj is its
// JSON element or object, named f in reasons.
func (h *Header) emit(b *rowBuilder, rec []string, i int, key string, obj jsonObject, f field) error {
	e := &h.plan.entities[i]
	// Room for the key and every planned property (a flattened object may
	// still grow it): most entities then need one allocation, not two.
	p := make(Props, 0, max(len(e.keyProps), 1)+len(e.props))
	if e.parts == nil {
		p = p.Set(e.keyProp, key)
	} else {
		for j, k := range e.keyProps { // the values compositeKey left
			p = p.Set(k, b.parts[j])
		}
	}
	var err error
	for k := range e.props {
		if p, err = h.setValue(p, rec, &e.props[k], b, obj, f); err != nil {
			return err
		}
	}
	b.node(e.label, key, p, e.first)
	if e.source != fromArray {
		b.keys[i] = key
	}
	for _, l := range e.links {
		other := b.keys[l.other]
		if other == "" {
			continue // the other entity is not in this row
		}
		var rp Props
		if l.props != nil {
			rp = make(Props, 0, len(l.props))
			for k := range l.props {
				if rp, err = h.setValue(rp, rec, &l.props[k], b, obj, f); err != nil {
					return err
				}
			}
		}
		if l.keys != nil {
			if err := checkRelKey(l.typ, l.keys, rp); err != nil {
				return err
			}
		}
		start, end := other, key
		if l.reverse {
			start, end = key, other
		}
		b.rel(l.typ, start, end, rp, l.keys, l.first)
	}
	return nil
}

// setValue sets the property of v on p.
func (h *Header) setValue(p Props, rec []string, v *valuePlan, b *rowBuilder, obj jsonObject, f field) (Props, error) {
	if v.typ == "flatten" {
		return flattenField(p, v, obj, f)
	}
	var val any
	var err error
	switch {
	case v.root:
		val = b.row.SandID
	case v.col >= 0:
		val, err = h.columnValue(rec, v)
	default:
		val, err = fieldValue(v, obj, f)
	}
	if err != nil {
		return nil, err
	}
	return p.Set(v.name, val), nil
}

// rowBuilder collects a row's entities, merging repeats within the row.
type rowBuilder struct {
	row  Row
	keys []string // by entity: its key in this row, "" when absent
	// parts are the values of the last composite key (compositeKey).
	parts []string
}

// node adds a node; first is its label's merge rule (model.MergeFirst).
func (b *rowBuilder) node(label, key string, p Props, first bool) {
	for i := range b.row.Nodes {
		n := &b.row.Nodes[i]
		if n.Label == label && n.Key == key {
			n.Props = n.Props.mergeBy(p, first)
			return
		}
	}
	b.row.Nodes = append(b.row.Nodes, Node{Label: label, Key: key, Props: p})
}

// rel adds a relationship; keys are its type's key properties:
// relationships that differ in one of them are different relationships.
func (b *rowBuilder) rel(typ, start, end string, p Props, keys []string, first bool) {
	for i := range b.row.Rels {
		r := &b.row.Rels[i]
		if r.Type == typ && r.Start == start && r.End == end && sameKeys(keys, r.Props, p) {
			r.Props = r.Props.mergeBy(p, first)
			return
		}
	}
	b.row.Rels = append(b.row.Rels, Rel{Type: typ, Start: start, End: end, Props: p})
}

// sameKeys reports whether p and q have the same values of the key
// properties keys (sameKey).
func sameKeys(keys []string, p, q Props) bool {
	for _, k := range keys {
		if !sameKey(p.Get(k), q.Get(k)) {
			return false
		}
	}
	return true
}

// sameKey reports whether two values of a key property are equal; two
// nulls are (a null is a value of its own).
func sameKey(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return sameValue(a, b)
}
