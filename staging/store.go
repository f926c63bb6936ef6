package staging

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/learnergraph/importer/checkpoint"
)

// Bucket layout of the staged graph inside the state file.
//
//	learners        learner ordinal (8 bytes, big-endian) -> learner record
//	node:<Label>    one bucket per shared label; key = the key value, value = encoded props
//	rel:IN_COUNTRY  key below, value = start, end, props
//	rejects         line (8 bytes, big-endian) -> sandId, reason, raw record
//
// Learners get an ordinal in order of first appearance, so learner records
// are written in append order and read back in file order. A learner record
// (learner.go) holds the Learner node, its state nodes and the
// relationships that start at it. Shared labels (countries, cities, skills,
// programs, companies) are keyed by their key value; IN_COUNTRY by its city
// and country keys. The sandId → ordinal index lives in memory
// (index.go), rebuilt from the learners bucket when staging resumes.
var (
	learnersBucket = []byte("learners")
	rejectsBucket  = []byte("rejects")
)

func nodeBucket(label string) []byte { return []byte("node:" + label) }
func relBucket(typ string) []byte    { return []byte("rel:" + typ) }

func ordinalKey(ord uint64) []byte { return binary.BigEndian.AppendUint64(make([]byte, 0, 8), ord) }

// sharedRelKey is the bucket key of a relationship between shared nodes:
// its start key, its end key and, for a type with key properties (keys),
// their values (appendRelKey).
func sharedRelKey(keys []string, start, end string, p Props) []byte {
	return appendRelKey(appendString(appendString(nil, start), end), keys, p)
}

// appendRelKey appends to k the values of a relationship's key properties,
// in key order: each one tagged value (appendValue), or a 0 byte for a
// null, which is a value of its own. A tagged value delimits itself and
// no tag is 0, so the parts of a key of several properties cannot run into
// each other: two relationships of a type between the same two nodes have
// the same key exactly when every key property's value is equal (null
// equal to null only). A type keyed by one property gets what it always
// got.
func appendRelKey(k []byte, keys []string, p Props) []byte {
	for _, prop := range keys {
		if v := p.Get(prop); v == nil {
			k = append(k, 0)
		} else {
			k = appendValue(k, v)
		}
	}
	return k
}

// entries is how many key/value pairs each bucket of the staged graph
// holds, by the counters: one learner record per learner, one entry per
// shared entity and per reject. Open checks it (checkpoint.WriteEntries).
func (s *Schema) entries(c checkpoint.Counts, learners uint64) map[string]int64 {
	m := map[string]int64{string(learnersBucket): int64(learners), string(rejectsBucket): c.Rows.Rejected}
	for _, n := range s.nodes {
		if !n.PerLearner {
			m[string(nodeBucket(n.Label))] = c.Nodes[n.Label]
		}
	}
	for _, r := range s.rels {
		if !r.PerLearner() {
			m[string(relBucket(r.Type))] = c.Relationships[r.Type]
		}
	}
	return m
}

// createBuckets makes every bucket of the staged graph.
func (s *Schema) createBuckets(tx *bolt.Tx) error {
	names := [][]byte{learnersBucket, rejectsBucket}
	for _, n := range s.nodes {
		if !n.PerLearner {
			names = append(names, nodeBucket(n.Label))
		}
	}
	for _, r := range s.rels {
		if !r.PerLearner() {
			names = append(names, relBucket(r.Type))
		}
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
	last := max(Ordinals(tx), 1) - 1
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
