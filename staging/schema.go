package staging

import (
	"slices"

	graphmodel "github.com/learnergraph/importer/model"
)

// The graph schema a state file's buckets hold: the one of the mapping it
// was staged with (ReadSchema), compiled once per run. Every label,
// relationship type and key property name that reaches Cypher comes from a
// Schema, never from the data.

// Node labels of the learner contract (the built-in learners.yaml).
const (
	Learner           = "Learner"
	Country           = "Country"
	City              = "City"
	Skill             = "Skill"
	Program           = "Program"
	Company           = "Company"
	LearningState     = "LearningState"
	ProfessionalState = "ProfessionalState"
)

// Relationship types of the learner contract.
const (
	ResidesIn            = "RESIDES_IN"
	OriginatesFrom       = "ORIGINATES_FROM"
	LivesIn              = "LIVES_IN"
	InCountry            = "IN_COUNTRY"
	HasSkill             = "HAS_SKILL"
	EnrolledIn           = "ENROLLED_IN"
	WorkedAt             = "WORKED_AT"
	HasLearningState     = "HAS_LEARNING_STATE"
	HasProfessionalState = "HAS_PROFESSIONAL_STATE"
)

// NodeSpec describes one node label (see graphmodel.NodeSpec).
type NodeSpec = graphmodel.NodeSpec

// RelSpec describes one relationship type (see graphmodel.RelSpec).
type RelSpec = graphmodel.RelSpec

// Schema is a mapping's graph schema and the layout of its buckets: which
// labels and types are per-learner (kept in the root's record, one slot
// each) and which are shared (one bucket each). "Learner" names the root
// node whatever its label. Read-only once built.
type Schema struct {
	root  string
	nodes []NodeSpec
	rels  []RelSpec

	// slots are the per-learner labels and types, in the order of their
	// slot numbers in a learner record (learner.go).
	slots     []string
	relSlot   []bool     // slot i holds relationships
	slotKeys  [][]string // the key properties of slot i's type, if any
	slotFirst []bool     // slot i's merge rule is first wins
	slotOf    map[string]int
	// relKeys are the key properties of every type, nil for a type without
	// (sharedRelKey).
	relKeys map[string][]string

	// sharedNames are the shared labels and types (the kinds of shared
	// entities), in the order their buckets are written.
	sharedNames   []string
	sharedKeyProp []string // a shared label's (first) key property; "" for a type
	sharedFirst   []bool   // the kind's merge rule is first wins
	sharedKind    map[string]int
	isRel         map[string]bool // every type: true; every label: false
}

// newSchema derives the schema and bucket layout of a validated model.
func newSchema(m *graphmodel.Model) *Schema {
	s := &Schema{root: m.Root, nodes: m.NodeSpecs(), rels: m.RelSpecs(),
		slotOf: map[string]int{}, sharedKind: map[string]int{}, isRel: map[string]bool{}, relKeys: map[string][]string{}}
	for _, n := range s.nodes {
		s.isRel[n.Label] = false
		if n.PerLearner {
			s.addSlot(n.Label, false, nil, n.FirstWins)
		}
	}
	for _, r := range s.rels {
		s.isRel[r.Type] = true
		s.relKeys[r.Type] = r.KeyProps()
		if r.PerLearner() {
			s.addSlot(r.Type, true, r.KeyProps(), r.FirstWins)
		}
	}
	for _, n := range s.nodes {
		if !n.PerLearner {
			s.addShared(n.Label, n.KeyProps()[0], n.FirstWins) // any key property: equal for equal keys
		}
	}
	for _, r := range s.rels {
		if !r.PerLearner() {
			s.addShared(r.Type, "", r.FirstWins)
		}
	}
	return s
}

func (s *Schema) addSlot(name string, rel bool, keys []string, first bool) {
	s.slotOf[name] = len(s.slots)
	s.slots = append(s.slots, name)
	s.relSlot = append(s.relSlot, rel)
	s.slotKeys = append(s.slotKeys, keys)
	s.slotFirst = append(s.slotFirst, first)
}

func (s *Schema) addShared(name, keyProp string, first bool) {
	s.sharedKind[name] = len(s.sharedNames)
	s.sharedNames = append(s.sharedNames, name)
	s.sharedKeyProp = append(s.sharedKeyProp, keyProp)
	s.sharedFirst = append(s.sharedFirst, first)
}

// DefaultSchema returns the built-in learners.yaml's schema.
func DefaultSchema() *Schema { return defaultPlan.schema }

// Root returns the label of the partition root (the learner contract's
// Learner).
func (s *Schema) Root() string { return s.root }

// Nodes returns the node labels in load order.
func (s *Schema) Nodes() []NodeSpec { return slices.Clone(s.nodes) }

// Rels returns the relationship types in load order.
func (s *Schema) Rels() []RelSpec { return slices.Clone(s.rels) }

// NodeSpecOf returns the spec of label; ok is false for an unknown label.
func (s *Schema) NodeSpecOf(label string) (spec NodeSpec, ok bool) {
	for _, n := range s.nodes {
		if n.Label == label {
			return n, true
		}
	}
	return NodeSpec{}, false
}

// RelSpecOf returns the spec of a relationship type.
func (s *Schema) RelSpecOf(typ string) (spec RelSpec, ok bool) {
	for _, r := range s.rels {
		if r.Type == typ {
			return r, true
		}
	}
	return RelSpec{}, false
}

// Labels returns every node label, in load order.
func (s *Schema) Labels() []string {
	out := make([]string, 0, len(s.nodes))
	for _, n := range s.nodes {
		out = append(out, n.Label)
	}
	return out
}

// Types returns every relationship type, in load order.
func (s *Schema) Types() []string {
	out := make([]string, 0, len(s.rels))
	for _, r := range s.rels {
		out = append(out, r.Type)
	}
	return out
}
