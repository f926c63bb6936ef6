package export

import (
	"fmt"
	"math"

	bolt "go.etcd.io/bbolt"

	"github.com/learnergraph/importer/staging"
)

// Import ids. The import tool finds the ends of a relationship in its id
// map: a binary search over every node's id, sorted by the id's encoded
// value. With the node keys as string ids that order is unrelated to the
// order the files are read in, and at 1.7M rows the search's cache misses
// took 45% of the tool's CPU (Java Flight Recorder; docs/performance.md).
// Integer ids that grow in file order make consecutive lookups land next
// to each other:
//
//   - a per-learner node's id is its learner's ordinal times the number of
//     per-learner labels, plus the label's slot: a learner, its state
//     nodes and the start of its relationships are neighbours;
//   - shared nodes (countries, skills, …) are numbered after all of those,
//     label by label in schema order, each in bucket order;
//   - a relationship type outside the learner records (IN_COUNTRY) whose
//     end is a per-learner node (another mapping's Airline -OPERATES->
//     Flight) finds that node's learner by its key, in a key → ordinal map
//     of every learner made only for such a schema.
//
// Ids are unique across labels (the tool then never has to tell equal ids
// of two ID spaces apart) and are not stored: the key stays a property of
// its own. They depend only on the staged data, so a resumed export gives
// every node the id it had.
type ids struct {
	slot   map[string]int64            // per-learner label → slot
	slots  int64                       // number of per-learner labels
	shared map[string]map[string]int64 // shared label → key → id
	// ordinal maps a learner's key (which its per-learner nodes share) to
	// its ordinal; nil unless the schema needs it (see above).
	ordinal map[string]uint64
}

// newIDs numbers the shared nodes of tx, staged with schema.
func newIDs(tx *bolt.Tx, schema *staging.Schema) (*ids, error) {
	s := &ids{slot: map[string]int64{}, shared: map[string]map[string]int64{}}
	for _, n := range schema.Nodes() {
		if n.PerLearner {
			s.slot[n.Label] = s.slots
			s.slots++
		}
	}
	for _, r := range schema.Rels() {
		_, startPer := s.slot[r.Start]
		_, endPer := s.slot[r.End]
		if !r.PerLearner() && (startPer || endPer) && s.ordinal == nil {
			s.ordinal = map[string]uint64{}
			_, err := staging.EachNode(tx, schema, schema.Root(), staging.Range{}, nil, math.MaxInt, func(k []byte, n staging.Node) {
				s.ordinal[n.Key] = staging.Ordinal(k)
			})
			if err != nil {
				return nil, err
			}
		}
	}
	next := int64(staging.Ordinals(tx)) * s.slots
	for _, n := range schema.Nodes() {
		if n.PerLearner {
			continue
		}
		keys := map[string]int64{}
		_, err := staging.EachNode(tx, schema, n.Label, staging.Range{}, nil, math.MaxInt, func(_ []byte, node staging.Node) {
			keys[node.Key] = next
			next++
		})
		if err != nil {
			return nil, err
		}
		s.shared[n.Label] = keys
	}
	return s, nil
}

// node returns the id of the node of label with key nodeKey, read under
// the bucket key key (EachNode's or EachRel's: for a per-learner label,
// its learner's ordinal).
func (s *ids) node(label string, key []byte, nodeKey string) (int64, error) {
	if slot, ok := s.slot[label]; ok {
		return int64(staging.Ordinal(key))*s.slots + slot, nil
	}
	return s.byKey(label, nodeKey)
}

// byKey returns the id of the node of label with key nodeKey.
func (s *ids) byKey(label, nodeKey string) (int64, error) {
	if slot, ok := s.slot[label]; ok {
		if ord, ok := s.ordinal[nodeKey]; ok {
			return int64(ord)*s.slots + slot, nil
		}
	}
	id, ok := s.shared[label][nodeKey]
	if !ok {
		return 0, fmt.Errorf("%w: no staged %s node with key %q", ErrNotExpressible, label, nodeKey)
	}
	return id, nil
}

// rel returns the ids of the ends of a relationship of spec read under
// key. A per-learner relationship starts at its learner; a per-learner
// node at its end must be that learner's own.
func (s *ids) rel(spec staging.RelSpec, key []byte, r staging.Rel) (start, end int64, err error) {
	if !spec.PerLearner() { // key is a bucket key of its own
		if start, err = s.byKey(spec.Start, r.Start); err != nil {
			return 0, 0, err
		}
		end, err = s.byKey(spec.End, r.End)
		return start, end, err
	}
	if _, per := s.slot[spec.End]; per && r.End != r.Start {
		return 0, 0, fmt.Errorf("%w: %s node %q is not learner %q's own", ErrNotExpressible, spec.End, r.End, r.Start)
	}
	if start, err = s.node(spec.Start, key, r.Start); err != nil {
		return 0, 0, err
	}
	end, err = s.node(spec.End, key, r.End)
	return start, end, err
}
