package staging

import (
	"fmt"
	"strings"
)

// Composite keys. The staged key of a node whose label is keyed by one
// property is that property's value, as it always was. For a label keyed
// by several properties (model.NodeSpec.Composite) it is the values in the
// label's key order, each a uvarint length and its bytes (appendString):
// unambiguous whatever the values hold, and a bytewise order that groups
// equal first parts. Relationships carry the staged keys of their ends,
// the learner index and the shared buckets use them as they are, and
// package graphwrite splits them again (KeyParts) into one Cypher
// parameter per key property.

// JoinKey returns the staged key of a composite key's values.
func JoinKey(parts []string) string {
	n := 0
	for _, p := range parts {
		n += len(p) + 2
	}
	b := make([]byte, 0, n)
	for _, p := range parts {
		b = appendString(b, p)
	}
	return string(b)
}

// KeyParts returns the values of the staged key of a node of spec, one per
// key property: the key itself for a label keyed by one property.
func KeyParts(spec NodeSpec, key string) ([]string, error) {
	if !spec.Composite() {
		return []string{key}, nil
	}
	d := &decoder{b: []byte(key)}
	parts := make([]string, len(spec.Keys))
	for i := range parts {
		parts[i] = d.string()
	}
	if d.err != nil || len(d.b) > 0 {
		return nil, fmt.Errorf("%w: key of %s %q is not %d length-prefixed values", ErrCorrupt, spec.Label, key, len(spec.Keys))
	}
	return parts, nil
}

// KeyText is a staged key as people read it, in messages and the rejects
// listing: the key itself, or a composite key's values joined by "|".
func KeyText(spec NodeSpec, key string) string {
	parts, err := KeyParts(spec, key)
	if err != nil {
		return fmt.Sprintf("%q", key)
	}
	return strings.Join(parts, "|")
}

// nodeKey returns the staged key of a node of spec from its properties,
// which hold every key property.
func nodeKey(spec NodeSpec, p Props) string {
	if !spec.Composite() {
		key, _ := p.Get(spec.Key).(string)
		return key
	}
	parts := make([]string, len(spec.Keys))
	for i, k := range spec.Keys {
		parts[i], _ = p.Get(k).(string)
	}
	return JoinKey(parts)
}

// compositeKey returns the staged key of entity e's composite key, from
// its columns or from JSON obj (named f), and leaves its values in
// b.parts; "" when one of them is null (the entity is skipped) — after
// every value was checked, so a missing required one rejects the row.
func (h *Header) compositeKey(b *rowBuilder, rec []string, e *entityPlan, obj jsonObject, f field) (string, error) {
	b.parts = b.parts[:0]
	null := false
	for i := range e.parts {
		v := e.parts[i]
		var s string
		var err error
		if v.col >= 0 {
			s, err = h.columnKey(rec, v)
		} else {
			s, err = h.fieldKey(b, v, obj, f)
		}
		if err != nil {
			return "", err
		}
		null = null || s == ""
		b.parts = append(b.parts, s)
	}
	if null {
		return "", nil
	}
	key := JoinKey(b.parts)
	if len(key) > MaxKeyBytes {
		return "", reject("key of %s (%s): %d bytes, longer than the %d-byte maximum for a key", e.label, strings.Join(e.keyProps, ", "), len(key), MaxKeyBytes)
	}
	return key, nil
}
