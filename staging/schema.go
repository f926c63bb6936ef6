package staging

import (
	"slices"
	"strings"
)

// The graph schema of the data contract (docs/learners-csv.md). Every label,
// relationship type and key property name that reaches Cypher comes from
// here, never from the data.

// Node labels.
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

// Relationship types.
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

// NodeSpec describes one node label.
type NodeSpec struct {
	Label string
	// Key is the property that identifies a node of this label.
	Key string
	// PerLearner is true for labels with one node per learner at most
	// (Learner and its state nodes). Their buckets are keyed by the
	// learner's ordinal, so they fill in append order and split into
	// disjoint learner ranges for parallel loading.
	PerLearner bool
	// Props names every property a staged node of this label may have,
	// besides those starting with DataPrefix.
	Props []string
	// DataPrefix, when set, starts the names of properties that come from
	// the data (a state's flattened details: details_track, ...).
	DataPrefix string
}

// RelSpec describes one relationship type.
type RelSpec struct {
	Type  string
	Start string // start node label
	End   string // end node label
	// KeyProp, when set, is a relationship property that is part of the
	// relationship's key besides its two ends (WORKED_AT's startDate).
	KeyProp string
	// Props names every property a staged relationship of this type may
	// have.
	Props []string
}

// PerLearner reports whether the relationship starts at a Learner, so its
// bucket is keyed by the learner's ordinal.
func (r RelSpec) PerLearner() bool { return r.Start == Learner }

// Nodes returns the node labels in load order.
func Nodes() []NodeSpec {
	return []NodeSpec{
		{Label: Country, Key: "code", Props: []string{"code", "name"}},
		{Label: City, Key: "id", Props: []string{"id", "name"}},
		{Label: Skill, Key: "id", Props: []string{"id", "name"}},
		{Label: Program, Key: "id", Props: []string{"id", "name"}},
		{Label: Company, Key: "id", Props: []string{"id", "name"}},
		{Label: Learner, Key: "sandId", PerLearner: true, Props: []string{"sandId", "fullName", "gender", "birthYear"}},
		{Label: LearningState, Key: "learnerId", PerLearner: true, Props: []string{"learnerId", "status", "since"}, DataPrefix: "details_"},
		{Label: ProfessionalState, Key: "learnerId", PerLearner: true, Props: []string{"learnerId", "status", "since"}, DataPrefix: "details_"},
	}
}

// Rels returns the relationship types in load order.
func Rels() []RelSpec {
	return []RelSpec{
		{Type: InCountry, Start: City, End: Country},
		{Type: ResidesIn, Start: Learner, End: Country},
		{Type: OriginatesFrom, Start: Learner, End: Country},
		{Type: LivesIn, Start: Learner, End: City},
		{Type: HasSkill, Start: Learner, End: Skill, Props: []string{"level"}},
		{Type: EnrolledIn, Start: Learner, End: Program, Props: []string{"cohort", "enrolledOn"}},
		{Type: WorkedAt, Start: Learner, End: Company, KeyProp: "startDate", Props: []string{"title", "startDate", "endDate"}},
		{Type: HasLearningState, Start: Learner, End: LearningState},
		{Type: HasProfessionalState, Start: Learner, End: ProfessionalState},
	}
}

// Declares reports whether a node of this label may have property name.
func (s NodeSpec) Declares(name string) bool {
	return slices.Contains(s.Props, name) || s.DataPrefix != "" && strings.HasPrefix(name, s.DataPrefix)
}

// Declares reports whether a relationship of this type may have property
// name.
func (r RelSpec) Declares(name string) bool { return slices.Contains(r.Props, name) }

// NodeSpecOf returns the spec of label; ok is false for an unknown label.
func NodeSpecOf(label string) (spec NodeSpec, ok bool) {
	for _, s := range Nodes() {
		if s.Label == label {
			return s, true
		}
	}
	return NodeSpec{}, false
}

// RelSpecOf returns the spec of a relationship type.
func RelSpecOf(typ string) (spec RelSpec, ok bool) {
	for _, s := range Rels() {
		if s.Type == typ {
			return s, true
		}
	}
	return RelSpec{}, false
}

// Labels returns every node label, in load order.
func Labels() []string {
	var out []string
	for _, s := range Nodes() {
		out = append(out, s.Label)
	}
	return out
}

// Types returns every relationship type, in load order.
func Types() []string {
	var out []string
	for _, s := range Rels() {
		out = append(out, s.Type)
	}
	return out
}
