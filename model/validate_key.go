package model

import (
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// key checks an entity's key: one value (a YAML mapping, without a name)
// for a label keyed by one property; a list of values, each naming one of
// the label's key properties, every one of them once, for a composite key.
func (v *validator) key(p []any, e Entity, n Node, isRoot bool, container string) {
	if v.pos.kind(p...) != yaml.SequenceNode {
		var k Value
		if len(e.Key) == 1 {
			k = e.Key[0]
		}
		if len(n.Key) > 1 {
			v.errorf(p, "label %s is keyed by %s: give key as a list of values, one per key property, each with its name", n.Label, strings.Join(n.Key, ", "))
		}
		if k.Name != "" {
			v.errorf(p, "a key has no name: it is the label's key property")
		}
		v.keyPart(p, k, n, isRoot, container)
		return
	}
	if len(e.Key) == 0 {
		v.errorf(p, "an empty key: give one value per key property of %s", n.Label)
	}
	seen := map[string]bool{}
	for i, k := range e.Key {
		pp := append(slices.Clone(p), i)
		switch {
		case n.Label == "":
		case k.Name == "":
			v.errorf(pp, "a value of a key list names its key property (one of %s)", strings.Join(n.Key, ", "))
		case !slices.Contains(n.Key, k.Name):
			v.errorf(append(pp, "name"), "label %s: %q is not one of its key properties (%s)", n.Label, k.Name, strings.Join(n.Key, ", "))
		case seen[k.Name]:
			v.errorf(append(pp, "name"), "key property %q is given twice", k.Name)
		}
		seen[k.Name] = true
		v.keyPart(pp, k, n, isRoot, container)
	}
	for _, name := range n.Key {
		if !seen[name] && len(e.Key) > 0 {
			v.errorf(p, "label %s: no value for its key property %q", n.Label, name)
		}
	}
}

// keyPart checks one value of a key.
func (v *validator) keyPart(p []any, k Value, n Node, isRoot bool, container string) {
	v.value(p, k, container)
	switch {
	case isRoot && (k.Column == "" || !k.Required):
		v.errorf(p, "the root's key must be a required column")
	case k.Root && !n.Partitioned:
		v.errorf(p, "root: true is for partitioned labels, %s is not", n.Label)
	case !isRoot && n.Partitioned && !k.Root:
		v.errorf(p, "%s is partitioned: its key must be root: true", n.Label)
	}
	if t := k.TypeOf(); t != "string" {
		v.errorf(append(slices.Clone(p), "type"), "a key is a string, not %s", t)
	}
}

// kind returns the kind of the node at path, 0 when there is none.
func (ps positions) kind(path ...any) yaml.Kind {
	n := ps.root
	if n == nil {
		return 0
	}
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for _, step := range path {
		if n = child(n, step); n == nil {
			return 0
		}
	}
	return n.Kind
}
