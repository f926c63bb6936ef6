package staging

import (
	"slices"

	graphmodel "github.com/learnergraph/importer/model"
)

// The graph schema the state file's buckets hold: the built-in mapping's
// (learners.yaml, package model). Every label, relationship type and key
// property name that reaches Cypher comes from here, never from the data.

// Node labels of the learner contract.
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

// The schema, derived once. Read-only.
var (
	nodeSpecs = graphmodel.Default().NodeSpecs()
	relSpecs  = graphmodel.Default().RelSpecs()
)

// Nodes returns the node labels in load order.
func Nodes() []NodeSpec { return slices.Clone(nodeSpecs) }

// Rels returns the relationship types in load order.
func Rels() []RelSpec { return slices.Clone(relSpecs) }

// NodeSpecOf returns the spec of label; ok is false for an unknown label.
func NodeSpecOf(label string) (spec NodeSpec, ok bool) {
	for _, s := range nodeSpecs {
		if s.Label == label {
			return s, true
		}
	}
	return NodeSpec{}, false
}

// RelSpecOf returns the spec of a relationship type.
func RelSpecOf(typ string) (spec RelSpec, ok bool) {
	for _, s := range relSpecs {
		if s.Type == typ {
			return s, true
		}
	}
	return RelSpec{}, false
}

// Labels returns every node label, in load order.
func Labels() []string {
	var out []string
	for _, s := range nodeSpecs {
		out = append(out, s.Label)
	}
	return out
}

// Types returns every relationship type, in load order.
func Types() []string {
	var out []string
	for _, s := range relSpecs {
		out = append(out, s.Type)
	}
	return out
}
