package model

import (
	"slices"
	"strings"
)

// NodeSpec is the schema of one node label as the staging, load and export
// passes use it.
type NodeSpec struct {
	Label string
	// Key is the property that identifies a node of this label; "" when
	// several do together (a composite key: Keys).
	Key string
	// Keys are a composite key's properties, in key order; nil when Key is
	// set. KeyProps is either.
	Keys []string
	// PerLearner is true for partitioned labels (the root and the labels
	// with one node per root node at most): their nodes are staged with
	// their root node, keyed by its ordinal, so they fill in append order
	// and split into disjoint ranges for parallel loading. (The name is the
	// learner contract's, whose root is Learner.)
	PerLearner bool
	// Props names every property a staged node of this label may have,
	// besides those starting with DataPrefix.
	Props []string
	// DataPrefix, when set, starts the names of properties that come from
	// the data (a flattened object: details_track, ...).
	DataPrefix string
	// FirstWins is the merge rule MergeFirst: of the values a property
	// gets for one key, the first non-null one stays.
	FirstWins bool
}

// RelSpec is the schema of one relationship type.
type RelSpec struct {
	Type  string
	Start string // start node label
	End   string // end node label
	// KeyProp, when set, is a relationship property that is part of the
	// relationship's key besides its two ends (WORKED_AT's startDate); ""
	// when there is none or several are (Keys). KeyProps is either.
	KeyProp string
	// Keys are the key properties of a type keyed by several, in key
	// order; nil when there are none or one (KeyProp).
	Keys []string
	// Props names every property a staged relationship of this type may
	// have.
	Props []string
	// FromRoot is true when the start label is the model's root: such
	// relationships are staged with their start node.
	FromRoot bool
	// FirstWins is the merge rule MergeFirst.
	FirstWins bool
}

// PerLearner reports whether the relationship starts at the root, so it
// is staged with its start node, keyed by its ordinal.
func (r RelSpec) PerLearner() bool { return r.FromRoot }

// Declares reports whether a node of this label may have property name.
func (s NodeSpec) Declares(name string) bool {
	return slices.Contains(s.Props, name) || s.DataPrefix != "" && strings.HasPrefix(name, s.DataPrefix)
}

// Declares reports whether a relationship of this type may have property
// name.
func (r RelSpec) Declares(name string) bool { return slices.Contains(r.Props, name) }

// KeyProps returns the properties that are part of the relationship's key
// besides its two ends, in key order: none, KeyProp alone, or Keys.
func (r RelSpec) KeyProps() []string {
	switch {
	case len(r.Keys) > 0:
		return slices.Clone(r.Keys)
	case r.KeyProp != "":
		return []string{r.KeyProp}
	}
	return nil
}

// Composite reports whether the label is keyed by several properties.
func (s NodeSpec) Composite() bool { return len(s.Keys) > 0 }

// KeyProps returns the key properties: Key alone, or Keys.
func (s NodeSpec) KeyProps() []string {
	if s.Composite() {
		return slices.Clone(s.Keys)
	}
	return []string{s.Key}
}

// NodeSpecs returns the node labels in load order.
func (m *Model) NodeSpecs() []NodeSpec {
	out := make([]NodeSpec, 0, len(m.Nodes))
	for _, n := range m.Nodes {
		spec := NodeSpec{
			Label: n.Label, PerLearner: n.Partitioned,
			Props: slices.Clone(n.Properties), DataPrefix: n.Flattened, FirstWins: n.Merge == MergeFirst,
		}
		if len(n.Key) > 1 {
			spec.Keys = slices.Clone(n.Key)
		} else {
			spec.Key = first(n.Key)
		}
		out = append(out, spec)
	}
	return out
}

// RelSpecs returns the relationship types in load order.
func (m *Model) RelSpecs() []RelSpec {
	out := make([]RelSpec, 0, len(m.Rels))
	for _, r := range m.Rels {
		var props []string
		if len(r.Properties) > 0 {
			props = slices.Clone(r.Properties)
		}
		spec := RelSpec{
			Type: r.Type, Start: r.From, End: r.To,
			Props: props, FromRoot: r.From == m.Root, FirstWins: r.Merge == MergeFirst,
		}
		if len(r.Key) > 1 {
			spec.Keys = slices.Clone(r.Key)
		} else {
			spec.KeyProp = first(r.Key)
		}
		out = append(out, spec)
	}
	return out
}

func first(names Names) string {
	if len(names) == 0 {
		return ""
	}
	return names[0]
}
