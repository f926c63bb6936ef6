package staging

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Bucket layout of the staged graph inside the state file.
//
//	node:<Label>    one bucket per label; key below, value = encoded props
//	rel:<TYPE>      one bucket per type; key below, value = start, end, props
//	learner-index   sandId -> learner ordinal (8 bytes, big-endian)
//	rejects         line (8 bytes, big-endian) -> sandId, reason, raw record
//
// Learners get an ordinal in order of first appearance. Per-learner labels
// and relationships starting at a learner are keyed by that ordinal
// (8 bytes big-endian, then the end key and any key property), so they are
// written in append order and read back in file order. Other labels are
// keyed by their key value; IN_COUNTRY by its city and country keys.
var (
	learnerIndexBucket = []byte("learner-index")
	rejectsBucket      = []byte("rejects")
)

func nodeBucket(label string) []byte { return []byte("node:" + label) }
func relBucket(typ string) []byte    { return []byte("rel:" + typ) }

func ordinalKey(ord uint64) []byte { return binary.BigEndian.AppendUint64(make([]byte, 0, 24), ord) }

// relKey is the bucket key of a relationship: its start (ordinal or key),
// its end key and, for WORKED_AT, its key property (a null is a value of
// its own).
func relKey(spec RelSpec, start []byte, end string, p Props) []byte {
	var k []byte
	if spec.PerLearner() {
		k = append(k, start...)
	} else {
		k = appendString(k, string(start))
	}
	k = appendString(k, end)
	if spec.KeyProp != "" {
		v := p.Get(spec.KeyProp)
		if v == nil {
			k = append(k, 0)
		} else {
			k = appendValue(k, v)
		}
	}
	return k
}

// createBuckets makes every bucket of the staged graph.
func createBuckets(tx *bolt.Tx) error {
	names := [][]byte{learnerIndexBucket, rejectsBucket}
	for _, l := range Labels() {
		names = append(names, nodeBucket(l))
	}
	for _, t := range Types() {
		names = append(names, relBucket(t))
	}
	for _, n := range names {
		if _, err := tx.CreateBucketIfNotExists(n); err != nil {
			return fmt.Errorf("create bucket %s: %w", n, err)
		}
	}
	return nil
}

// Node is a staged node. Key is the value of its label's key property,
// which Props also holds.
type Node struct {
	Label string
	Key   string
	Props Props
}

// Rel is a staged relationship between the nodes with keys Start and End.
type Rel struct {
	Type  string
	Start string
	End   string
	Props Props
}

// Range is a span [From, To) of bucket keys; a nil bound is open.
type Range struct {
	From, To []byte
}

// Partitions splits the bucket of a label or type into at most n disjoint
// ranges that together cover it. Per-learner buckets split into ranges of
// learner ordinals, so no two ranges share a learner; other buckets are one
// range.
func Partitions(tx *bolt.Tx, perLearner bool, n int) []Range {
	if !perLearner || n <= 1 {
		return []Range{{}}
	}
	last := uint64(0)
	if k, _ := tx.Bucket(nodeBucket(Learner)).Cursor().Last(); k != nil {
		last = binary.BigEndian.Uint64(k)
	}
	step := last/uint64(n) + 1
	ranges := make([]Range, 0, n)
	for i := uint64(0); i < uint64(n); i++ {
		r := Range{From: ordinalKey(i * step), To: ordinalKey((i + 1) * step)}
		if i == 0 {
			r.From = nil
		}
		if i == uint64(n)-1 {
			r.To = nil
		}
		ranges = append(ranges, r)
	}
	return ranges
}

// ReadNodes copies out up to limit staged nodes of label in range r whose
// keys come after the key after (nil: from the start of r). It returns the
// bucket key of the last node read, the resume point for the next call; no
// nodes means the range is drained.
func ReadNodes(tx *bolt.Tx, label string, r Range, after []byte, limit int) ([]Node, []byte, error) {
	spec, ok := NodeSpecOf(label)
	if !ok {
		return nil, nil, fmt.Errorf("read nodes: unknown label %q", label)
	}
	var nodes []Node
	last, err := scan(tx, nodeBucket(label), r, after, limit, func(_, v []byte) error {
		p, err := decodeNode(v)
		if err != nil {
			return err
		}
		key, _ := p.Get(spec.Key).(string)
		nodes = append(nodes, Node{Label: label, Key: key, Props: p})
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read nodes %s: %w", label, err)
	}
	return nodes, last, nil
}

// ReadRels is ReadNodes for relationships of type typ.
func ReadRels(tx *bolt.Tx, typ string, r Range, after []byte, limit int) ([]Rel, []byte, error) {
	var rels []Rel
	last, err := scan(tx, relBucket(typ), r, after, limit, func(_, v []byte) error {
		start, end, p, err := decodeRel(v)
		if err != nil {
			return err
		}
		rels = append(rels, Rel{Type: typ, Start: start, End: end, Props: p})
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read relationships %s: %w", typ, err)
	}
	return rels, last, nil
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
		if err := fn(k, v); err != nil {
			return nil, err
		}
		last = k
		n++
	}
	if last == nil {
		return nil, nil
	}
	return append([]byte(nil), last...), nil
}
