package staging

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/learnergraph/importer/checkpoint"
)

// The learner record: everything staged per learner — the Learner node, its
// state nodes and every relationship that starts at it — is one value of
// the learners bucket, keyed by the learner's ordinal. Staging a new
// learner is then one append, and merging a repeated row one Get and one
// Put, whatever the number of its relationships.
//
//	learner record: version, sandId, then the present sections in slot order
//	section:        slot (1 byte), payload length (uvarint), payload
//	node payload:   props
//	rel payload:    count, then per relationship in suffix order: suffix, props
//
// A relationship's suffix is its bucket key after the learner's ordinal (its
// end key, then the values of its type's key properties, e.g. WORKED_AT's
// startDate: appendRelKey); ReadRels returns ordinal + suffix as
// the relationship's key, so keys, order and resume points are those of a
// bucket holding one value per relationship.

// isRelSlot reports whether slot holds relationships.
func (s *Schema) isRelSlot(slot int) bool { return s.relSlot[slot] }

// section is one slot of a learner record, decoded.
type section struct {
	present bool
	props   Props        // node slots
	rels    []learnerRel // relationship slots, sorted by suffix
}

// learnerRel is a relationship of a learner record.
type learnerRel struct {
	suffix []byte
	props  Props
}

// learnerRecord is a learner record, decoded.
type learnerRecord struct {
	s        *Schema
	sandID   string
	sections []section // by slot
}

func (s *Schema) newLearnerRecord(sandID string) learnerRecord {
	return learnerRecord{s: s, sandID: sandID, sections: make([]section, len(s.slots))}
}

// addNode sets the node of slot (a row holds each per-learner node once).
func (r *learnerRecord) addNode(slot int, p Props) {
	r.sections[slot] = section{present: true, props: p}
}

// addRel adds a relationship to slot; sortRels puts them in suffix order.
func (r *learnerRecord) addRel(slot int, suffix []byte, p Props) {
	s := &r.sections[slot]
	s.present = true
	s.rels = append(s.rels, learnerRel{suffix: suffix, props: p})
}

func (r *learnerRecord) sortRels() {
	for i := range r.sections {
		if rels := r.sections[i].rels; len(rels) > 1 {
			slices.SortFunc(rels, func(a, b learnerRel) int { return bytes.Compare(a.suffix, b.suffix) })
		}
	}
}

// entities returns how many entities the section holds; rel tells whether
// its slot holds relationships.
func (s section) entities(rel bool) int64 {
	switch {
	case !s.present:
		return 0
	case rel:
		return int64(len(s.rels))
	}
	return 1
}

// merge lays later over r by the contract's merge rule and returns how
// many entities per slot later added that r did not have.
func (r *learnerRecord) merge(later learnerRecord) []int64 {
	added := make([]int64, len(r.s.slots))
	for i, ls := range later.sections {
		if !ls.present {
			continue
		}
		s := &r.sections[i]
		if !s.present {
			*s = ls
			added[i] = ls.entities(r.s.isRelSlot(i))
			continue
		}
		if !r.s.isRelSlot(i) {
			s.props = s.props.mergeBy(ls.props, r.s.slotFirst[i])
			continue
		}
		s.rels, added[i] = mergeRels(s.rels, ls.rels, r.s.slotFirst[i])
	}
	return added
}

// mergeRels merges two suffix-sorted lists, the later properties laid over
// the earlier ones for equal suffixes (under the earlier ones when first),
// and counts the new suffixes.
func mergeRels(earlier, later []learnerRel, first bool) ([]learnerRel, int64) {
	out := make([]learnerRel, 0, len(earlier)+len(later))
	added := int64(0)
	i, j := 0, 0
	for i < len(earlier) || j < len(later) {
		switch {
		case j == len(later) || (i < len(earlier) && bytes.Compare(earlier[i].suffix, later[j].suffix) < 0):
			out = append(out, earlier[i])
			i++
		case i == len(earlier) || bytes.Compare(earlier[i].suffix, later[j].suffix) > 0:
			out = append(out, later[j])
			added++
			j++
		default:
			out = append(out, learnerRel{suffix: earlier[i].suffix, props: earlier[i].props.mergeBy(later[j].props, first)})
			i++
			j++
		}
	}
	return out, added
}

// encode appends the encoded record to b.
func (r *learnerRecord) encode(b []byte) []byte {
	first := len(b)
	b = appendString(append(b, recordVersion), r.sandID)
	for i, s := range r.sections {
		if !s.present {
			continue
		}
		b = append(b, byte(i))
		start := len(b)
		if r.s.isRelSlot(i) {
			b = binary.AppendUvarint(b, uint64(len(s.rels)))
			for _, rel := range s.rels {
				b = appendString(b, string(rel.suffix))
				b = appendProps(b, rel.props)
			}
		} else {
			b = appendProps(b, s.props)
		}
		// Put the payload's length in front of it.
		var n [binary.MaxVarintLen64]byte
		k := binary.PutUvarint(n[:], uint64(len(b)-start))
		b = append(b, n[:k]...)
		copy(b[start+k:], b[start:len(b)-k])
		copy(b[start:], n[:k])
	}
	return checkpoint.SealFrom(b, first)
}

// reset empties r for reuse, keeping its slices' capacity.
func (r *learnerRecord) reset(sandID string) {
	r.sandID = sandID
	for i := range r.sections {
		s := &r.sections[i]
		s.present, s.props, s.rels = false, nil, s.rels[:0]
	}
}

// relSuffix is the key of a per-learner relationship after the learner's
// ordinal: its end key and, for a type with key properties, their values
// (appendRelKey).
func (s *Schema) relSuffix(slot int, end string, p Props) []byte {
	return appendRelKey(appendString(nil, end), s.slotKeys[slot], p)
}

// decodeLearner decodes a whole learner record.
func (s *Schema) decodeLearner(v []byte) (learnerRecord, error) {
	d := newDecoder(v)
	r := s.newLearnerRecord(d.string())
	for d.err == nil && len(d.b) > 0 {
		slot, payload := d.section(len(s.slots))
		if d.err != nil {
			break
		}
		sec := &r.sections[slot]
		sec.present = true
		pd := &decoder{b: payload}
		if s.isRelSlot(slot) {
			sec.rels = pd.rels()
		} else {
			sec.props = pd.props()
		}
		if err := pd.done(); err != nil {
			return r, err
		}
	}
	return r, d.done()
}

// section reads the next section's slot (one of slots) and payload.
func (d *decoder) section(slots int) (int, []byte) {
	slot := int(d.byte())
	n := d.uvarint()
	if d.err == nil && (slot >= slots || n > uint64(len(d.b))) {
		d.fail()
	}
	if d.err != nil {
		return 0, nil
	}
	p := d.b[:n]
	d.b = d.b[n:]
	return slot, p
}

// rels reads a relationship payload; suffixes are copied out.
func (d *decoder) rels() []learnerRel {
	n := d.count()
	rels := make([]learnerRel, 0, n)
	for i := 0; i < n && d.err == nil; i++ {
		suffix := []byte(d.string())
		rels = append(rels, learnerRel{suffix: suffix, props: d.props()})
	}
	return rels
}

// learnerSection returns the sandId of a learner record and the payload
// of slot, without decoding (or copying) anything else; ok is false when
// the learner has nothing in slot. Both slices point into v.
func (s *Schema) learnerSection(v []byte, slot int) (sandID, payload []byte, ok bool, err error) {
	d := newDecoder(v)
	sandID = d.raw()
	for d.err == nil && len(d.b) > 0 {
		got, p := d.section(len(s.slots))
		if d.err == nil && got == slot {
			return sandID, p, true, nil
		}
	}
	return sandID, nil, false, d.err
}

// learnerSandID returns the sandId of a learner record.
func learnerSandID(v []byte) (string, error) {
	d := newDecoder(v)
	s := d.string()
	return s, d.err
}

// relEnd is the end key of a relationship, the first field of its suffix;
// with names set, the copy kept there (decoder.interned).
func relEnd(suffix []byte, names map[string]string) (string, error) {
	d := decoder{b: suffix, names: names}
	end := d.interned()
	if d.err != nil {
		return "", fmt.Errorf("relationship key: %w", d.err)
	}
	return end, nil
}
