package staging

import (
	"bytes"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/learnergraph/importer/checkpoint"
)

// The read API of the staged graph. Per-learner labels and types are read
// out of the learner records (learner.go), each entity under the key a
// bucket of its own would give it — the learner's ordinal, then a
// relationship's suffix — so keys, order and resume points do not depend on
// how the records are packed.

// ReadNodes copies out up to limit staged nodes of label in range r whose
// keys come after the key after (nil: from the start of r). It returns the
// key of the last node read, the resume point for the next call; no nodes
// means the range is drained.
//
// Damage met on the way is a *checkpoint.DamagedError, never a crash or a
// changed value.
func ReadNodes(tx *bolt.Tx, s *Schema, label string, r Range, after []byte, limit int) (nodes []Node, last []byte, err error) {
	last, err = EachNode(tx, s, label, r, after, limit, func(_ []byte, n Node) { nodes = append(nodes, n) })
	return nodes, last, err
}

// EachNode is ReadNodes calling fn with each node and the key it is stored
// under, instead of collecting them: the key of a per-learner node starts
// with its learner's ordinal (see Ordinal). The key is valid only during
// fn.
func EachNode(tx *bolt.Tx, s *Schema, label string, r Range, after []byte, limit int, fn func(key []byte, n Node)) (last []byte, err error) {
	err = checkpoint.Guard(tx.DB().Path(), func() error {
		last, err = eachNode(tx, s, label, r, after, limit, fn)
		return err
	})
	return last, err
}

func eachNode(tx *bolt.Tx, s *Schema, label string, r Range, after []byte, limit int, fn func([]byte, Node)) ([]byte, error) {
	spec, ok := s.NodeSpecOf(label)
	if !ok {
		return nil, fmt.Errorf("read nodes: unknown label %q", label)
	}
	add := func(k []byte, p Props) {
		fn(k, Node{Label: label, Key: nodeKey(spec, p), Props: p})
	}
	var last []byte
	var err error
	if spec.PerLearner {
		last, err = s.scanLearnerNodes(tx, s.slotOf[label], r, after, limit, add)
	} else {
		last, err = scan(tx, nodeBucket(label), r, after, limit, func(k, v []byte) error {
			p, err := decodeNode(v)
			add(k, p)
			return err
		})
	}
	if err != nil {
		return nil, fmt.Errorf("read nodes %s: %w", label, err)
	}
	return last, nil
}

// ReadRels is ReadNodes for relationships of type typ.
func ReadRels(tx *bolt.Tx, s *Schema, typ string, r Range, after []byte, limit int) (rels []Rel, last []byte, err error) {
	last, err = EachRel(tx, s, typ, r, after, limit, func(_ []byte, rel Rel) { rels = append(rels, rel) })
	return rels, last, err
}

// EachRel is EachNode for relationships of type typ: the key of a
// per-learner relationship starts with the ordinal of the learner it
// starts at.
func EachRel(tx *bolt.Tx, s *Schema, typ string, r Range, after []byte, limit int, fn func(key []byte, rel Rel)) (last []byte, err error) {
	err = checkpoint.Guard(tx.DB().Path(), func() error {
		last, err = eachRel(tx, s, typ, r, after, limit, fn)
		return err
	})
	return last, err
}

func eachRel(tx *bolt.Tx, s *Schema, typ string, r Range, after []byte, limit int, fn func([]byte, Rel)) ([]byte, error) {
	spec, ok := s.RelSpecOf(typ)
	if !ok {
		return nil, fmt.Errorf("read relationships: unknown type %q", typ)
	}
	var last []byte
	var err error
	if spec.PerLearner() {
		last, err = s.scanLearnerRels(tx, s.slotOf[typ], r, after, limit, func(k []byte, start, end string, p Props) {
			fn(k, Rel{Type: typ, Start: start, End: end, Props: p})
		})
	} else {
		last, err = scan(tx, relBucket(typ), r, after, limit, func(k, v []byte) error {
			start, end, p, err := decodeRel(v)
			fn(k, Rel{Type: typ, Start: start, End: end, Props: p})
			return err
		})
	}
	if err != nil {
		return nil, fmt.Errorf("read relationships %s: %w", typ, err)
	}
	return last, nil
}

// Learners is what ReadLearners read from a span of learner records: the
// per-learner nodes by label and relationships by type, each in key order,
// as ReadNodes and ReadRels give them.
type Learners struct {
	Nodes map[string][]Node
	Rels  map[string][]Rel
	// Last is the key of the last learner record read (its ordinal), the
	// resume point for the next call; nil when none was.
	Last []byte
}

// ReadLearners reads the learner records of r after the learner key after
// (nil: from the start of r), each record once, until it has read limit
// learners (records holding a node of the schema's root label) or reached
// the end of r. It returns every per-learner entity of the records read:
// what ReadNodes and ReadRels return for each per-learner label and type
// over the same records, in one pass instead of one per label and type.
//
// Damage met on the way is a *checkpoint.DamagedError, as for ReadNodes.
func ReadLearners(tx *bolt.Tx, s *Schema, r Range, after []byte, limit int) (out Learners, err error) {
	err = checkpoint.Guard(tx.DB().Path(), func() error {
		out, err = s.readLearners(tx, r, after, limit)
		return err
	})
	if err != nil {
		return Learners{}, fmt.Errorf("read learners: %w", err)
	}
	return out, nil
}

func (s *Schema) readLearners(tx *bolt.Tx, r Range, after []byte, limit int) (Learners, error) {
	out := Learners{Nodes: map[string][]Node{}, Rels: map[string][]Rel{}}
	specs := make([]NodeSpec, len(s.slots))
	for i, name := range s.slots {
		if !s.relSlot[i] {
			specs[i], _ = s.NodeSpecOf(name)
		}
	}
	root, learners := s.slotOf[s.root], 0
	names := map[string]string{}
	err := scanLearners(tx, r, after, limit, func(k, v []byte) (bool, error) {
		if after != nil && bytes.Compare(k, after[:min(len(after), 8)]) <= 0 {
			return false, nil
		}
		d := newDecoder(v)
		sandID := string(d.raw())
		read := false
		for d.err == nil && len(d.b) > 0 {
			slot, payload := d.section(len(s.slots))
			if d.err != nil {
				break
			}
			read = true
			name := s.slots[slot]
			pd := &decoder{b: payload, names: names}
			if !s.relSlot[slot] {
				p := pd.props()
				out.Nodes[name] = append(out.Nodes[name], Node{Label: name, Key: nodeKey(specs[slot], p), Props: p})
				if slot == root {
					learners++
				}
			} else if err := addLearnerRels(&out, name, sandID, pd); err != nil {
				return false, err
			}
			if err := pd.done(); err != nil {
				return false, err
			}
		}
		if err := d.done(); err != nil {
			return false, err
		}
		if read {
			out.Last = append(out.Last[:0], k...)
		}
		return learners == limit, nil
	})
	return out, err
}

// addLearnerRels adds the relationships of typ in a learner record's
// section payload to out.
func addLearnerRels(out *Learners, typ, sandID string, d *decoder) error {
	for i, count := 0, d.count(); i < count && d.err == nil; i++ {
		end, err := relEnd(d.raw(), d.names)
		if err != nil {
			return err
		}
		p := d.props()
		out.Rels[typ] = append(out.Rels[typ], Rel{Type: typ, Start: sandID, End: end, Props: p})
	}
	return d.err
}

// scanLearnerNodes reads the nodes of slot from the learner records of r
// after the ordinal key after, at most limit, and returns the key of the
// last one.
func (s *Schema) scanLearnerNodes(tx *bolt.Tx, slot int, r Range, after []byte, limit int, add func([]byte, Props)) ([]byte, error) {
	var last []byte
	n := 0
	err := scanLearners(tx, r, after, limit, func(k, v []byte) (bool, error) {
		if after != nil && bytes.Equal(k, after) {
			return false, nil
		}
		_, payload, ok, err := s.learnerSection(v, slot)
		if err != nil || !ok {
			return false, err
		}
		d := &decoder{b: payload}
		add(k, d.props())
		if err := d.done(); err != nil {
			return false, err
		}
		last = k
		n++
		return n == limit, nil
	})
	return clone(last), err
}

// scanLearnerRels reads the relationships of slot from the learner records
// of r after the key after (ordinal + suffix), at most limit, and returns
// the key of the last one.
func (s *Schema) scanLearnerRels(tx *bolt.Tx, slot int, r Range, after []byte, limit int, add func(key []byte, start, end string, p Props)) ([]byte, error) {
	var last []byte
	n := 0
	err := scanLearners(tx, r, after, limit, func(k, v []byte) (bool, error) {
		rawID, payload, ok, err := s.learnerSection(v, slot)
		if err != nil || !ok {
			return false, err
		}
		sandID := string(rawID) // one copy for all its relationships
		d := &decoder{b: payload}
		for i, count := 0, d.count(); i < count && d.err == nil; i++ {
			suffix := d.raw()
			if after != nil && keyCompare(k, suffix, after) <= 0 {
				d.props()
				continue
			}
			p := d.props()
			end, err := relEnd(suffix, nil)
			if err != nil {
				return false, err
			}
			last = append(append(last[:0], k...), suffix...)
			add(last, sandID, end, p)
			if n++; n == limit {
				return true, d.err
			}
		}
		return false, d.done()
	})
	return clone(last), err
}

// keyCompare compares the key k + suffix with key.
func keyCompare(k, suffix, key []byte) int {
	n := min(len(k), len(key))
	if c := bytes.Compare(k, key[:n]); c != 0 {
		return c
	}
	if n < len(k) {
		return 1 // key is a proper prefix of k
	}
	return bytes.Compare(suffix, key[n:])
}

// scanLearners calls fn for the learner records of r, from the one whose
// key is the ordinal at the start of after (or from r's start), until fn
// reports it has read enough.
func scanLearners(tx *bolt.Tx, r Range, after []byte, limit int, fn func(k, v []byte) (bool, error)) error {
	if limit <= 0 {
		return nil
	}
	b := tx.Bucket(learnersBucket)
	if b == nil {
		return fmt.Errorf("no bucket %s", learnersBucket)
	}
	c := b.Cursor()
	var k, v []byte
	switch {
	case after != nil:
		k, v = c.Seek(after[:min(len(after), 8)])
	case r.From != nil:
		k, v = c.Seek(r.From)
	default:
		k, v = c.First()
	}
	var prev []byte
	for ; k != nil; k, v = c.Next() {
		if r.To != nil && bytes.Compare(k, r.To) >= 0 {
			return nil
		}
		if prev != nil && bytes.Compare(k, prev) <= 0 { // a damaged page
			return fmt.Errorf("%w: bucket %s: key %x after %x", ErrCorrupt, learnersBucket, k, prev)
		}
		prev = k
		full, err := fn(k, v)
		if err != nil || full {
			return err
		}
	}
	return nil
}

// scan calls fn for up to limit entries of bucket in r after the key after,
// and returns a copy of the last key visited.
func scan(tx *bolt.Tx, bucket []byte, r Range, after []byte, limit int, fn func(k, v []byte) error) ([]byte, error) {
	b := tx.Bucket(bucket)
	if b == nil {
		return nil, fmt.Errorf("no bucket %s", bucket)
	}
	c := b.Cursor()
	var k, v []byte
	switch {
	case after != nil:
		k, v = c.Seek(after)
		if k != nil && string(k) == string(after) {
			k, v = c.Next()
		}
	case r.From != nil:
		k, v = c.Seek(r.From)
	default:
		k, v = c.First()
	}
	var last []byte
	for n := 0; k != nil && n < limit; k, v = c.Next() {
		if r.To != nil && string(k) >= string(r.To) {
			break
		}
		if last != nil && bytes.Compare(k, last) <= 0 { // a damaged page
			return nil, fmt.Errorf("%w: bucket %s: key %x after %x", ErrCorrupt, bucket, k, last)
		}
		if err := fn(k, v); err != nil {
			return nil, err
		}
		last = k
		n++
	}
	return clone(last), nil
}

// clone copies a key out of bbolt's memory; nil stays nil.
func clone(k []byte) []byte {
	if k == nil {
		return nil
	}
	return append([]byte(nil), k...)
}
