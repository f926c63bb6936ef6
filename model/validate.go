package model

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// validator checks a decoded model against the rules of a mapping file,
// collecting every mistake.
type validator struct {
	m    *Model
	pos  positions
	errs *Errors
	cols []string // the columns of the file whose entities are checked
	// rootFile names the file (of a mapping with files) whose first
	// entity is the root, once one is found.
	rootFile *string
	// rootKey is the root label's key properties.
	rootKey []string
}

// errorf records a mistake at the line of path (see positions.line).
func (v *validator) errorf(path []any, format string, args ...any) {
	v.errs.List = append(v.errs.List, Error{File: v.m.Source, Line: v.pos.line(path...), Msg: fmt.Sprintf(format, args...)})
}

func (e *Errors) sort() {
	sort.SliceStable(e.List, func(i, j int) bool { return e.List[i].Line < e.List[j].Line })
}

// at builds a path.
func at(path ...any) []any { return path }

func (v *validator) validate() {
	m := v.m
	if m.Version != Version {
		v.errorf(at("version"), "version is %d, this importer reads mapping files of version %d", m.Version, Version)
	}
	v.unique(at("columns"), m.Columns, "column")
	v.unique(at("nulls"), m.Nulls, "null value")
	labels := v.nodes()
	v.rootKey = labels[m.Root].Key
	v.rels(labels)
	if m.Root == "" {
		v.errorf(nil, "no root: name the label of the node every row is about")
	} else if n, ok := labels[m.Root]; !ok {
		v.errorf(at("root"), "root %q is not a declared node label", m.Root)
	} else if !n.Partitioned {
		v.errorf(at("root"), "root %q must be a partitioned label", m.Root)
	}
	v.files(labels)
	v.report()
}

// files checks the entities of each input file against its columns: the
// top-level ones, or those of each of Files. Exactly one file has the
// root's entity, first; the others stage shared labels only.
func (v *validator) files(labels map[string]Node) {
	m := v.m
	if len(m.Files) == 0 {
		v.cols = m.Columns
		if !v.entities(nil, m.Entities, labels, false) && m.Root != "" {
			v.errorf(at("entities"), "no entity for the root %q", m.Root)
		}
		return
	}
	if len(m.Columns) > 0 {
		v.errorf(at("columns"), "a mapping with files gives the columns of each file in it, not at the top level")
	}
	if len(m.Entities) > 0 {
		v.errorf(at("entities"), "a mapping with files gives the entities of each file in it, not at the top level")
	}
	names := map[string]bool{}
	for i, f := range m.Files {
		p := at("files", i)
		switch {
		case f.Name == "":
			v.errorf(p, "a file without a name")
		case !validFileName(f.Name):
			v.errorf(append(p, "name"), "file name %q: use letters, digits, _, - and . only (the command line gives its path as --input NAME=PATH)", f.Name)
		case names[f.Name]:
			v.errorf(append(p, "name"), "duplicate file name %q", f.Name)
		}
		names[f.Name] = true
		v.unique(append(p, "columns"), f.Columns, "column")
		if len(f.Entities) == 0 {
			v.errorf(p, "file %q has no entities: say what its rows stage", f.Name)
		}
		v.cols = f.Columns
		v.entities(p, f.Entities, labels, true)
	}
	if v.rootFile == nil && m.Root != "" {
		v.errorf(at("files"), "no file has an entity for the root %q (the first entity of one file)", m.Root)
	}
}

func validFileName(s string) bool {
	for _, c := range s {
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_', c == '-', c == '.':
		default:
			return false
		}
	}
	return s != ""
}

// unique reports names given twice in a list.
func (v *validator) unique(path []any, names []string, what string) {
	seen := map[string]bool{}
	for i, n := range names {
		p := append(slices.Clone(path), i)
		switch {
		case n == "":
			v.errorf(p, "empty %s name", what)
		case seen[n]:
			v.errorf(p, "duplicate %s %q", what, n)
		}
		seen[n] = true
	}
}

func (v *validator) nodes() map[string]Node {
	labels := map[string]Node{}
	if len(v.m.Nodes) == 0 {
		v.errorf(nil, "no nodes: declare at least the root's label")
	}
	for i, n := range v.m.Nodes {
		p := at("nodes", i)
		switch {
		case n.Label == "":
			v.errorf(p, "a node without a label")
			continue
		case !validName(n.Label):
			v.errorf(append(p, "label"), "label %q: use letters, digits and _ only, starting with a letter", n.Label)
		}
		if _, dup := labels[n.Label]; dup {
			v.errorf(append(p, "label"), "duplicate label %q", n.Label)
		}
		labels[n.Label] = n
		v.merge(append(p, "merge"), n.Merge)
		v.unique(append(p, "properties"), n.Properties, "property")
		v.keys(append(p, "key"), n.Key, n.Properties, "label "+n.Label, true)
		if n.Partitioned && n.Label != v.m.Root && len(n.Key) > 1 {
			v.errorf(append(p, "key"), "label %s: a partitioned label other than the root is keyed by the root's key, one property", n.Label)
		}
	}
	return labels
}

// keys checks that key names are declared properties.
func (v *validator) keys(path []any, key Names, props []string, owner string, required bool) {
	if required && len(key) == 0 {
		v.errorf(path[:len(path)-1], "%s has no key", owner)
	}
	v.unique(path, key, "key property")
	for i, k := range key {
		if k != "" && !slices.Contains(props, k) {
			v.errorf(append(slices.Clone(path), i), "%s: key %q is not one of its properties %q", owner, k, props)
		}
	}
}

func (v *validator) rels(labels map[string]Node) {
	types := map[string]bool{}
	for i, r := range v.m.Rels {
		p := at("relationships", i)
		if r.Type == "" {
			v.errorf(p, "a relationship without a type")
			continue
		}
		if !validName(r.Type) {
			v.errorf(append(p, "type"), "type %q: use letters, digits and _ only, starting with a letter", r.Type)
		}
		if types[r.Type] {
			v.errorf(append(p, "type"), "duplicate relationship type %q", r.Type)
		}
		types[r.Type] = true
		v.merge(append(p, "merge"), r.Merge)
		for _, end := range []struct{ field, label string }{{"from", r.From}, {"to", r.To}} {
			if _, ok := labels[end.label]; !ok {
				v.errorf(append(p, end.field), "relationship %s: %s %q is not a declared node label", r.Type, end.field, end.label)
			}
		}
		v.unique(append(p, "properties"), r.Properties, "property")
		v.keys(append(p, "key"), r.Key, r.Properties, "relationship "+r.Type, false)
	}
}

// merge checks a merge rule.
func (v *validator) merge(p []any, rule string) {
	switch rule {
	case "", MergeLater, MergeFirst:
	default:
		v.errorf(p, "merge %q: one of %s, %s", rule, MergeLater, MergeFirst)
	}
}

func validName(s string) bool {
	for i, c := range s {
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z':
		case i > 0 && (c == '_' || c >= '0' && c <= '9'):
		default:
			return false
		}
	}
	return s != ""
}

// entities checks a file's entities in order: every reference must be to
// something declared (a column, a label, a type, an earlier entity). base
// is the file's path (nil: the top level); multi says the mapping has
// files. It reports whether the root has an entity here.
func (v *validator) entities(base []any, ents []Entity, labels map[string]Node, multi bool) bool {
	names := map[string]Entity{}
	rootSeen := false
	rootFile := len(ents) > 0 && ents[0].Node == v.m.Root
	for i, e := range ents {
		p := append(slices.Clone(base), "entities", i)
		n, ok := labels[e.Node]
		if !ok {
			v.errorf(append(p, "node"), "entity %d: node %q is not a declared label", i+1, e.Node)
		}
		isRoot := e.Node == v.m.Root
		switch {
		case isRoot && rootSeen:
			v.errorf(append(p, "node"), "the root %q has a second entity", e.Node)
		case isRoot && i > 0:
			v.errorf(append(p, "node"), "the root's entity must come first")
		case isRoot && multi && v.rootFile != nil:
			v.errorf(append(p, "node"), "the root %q has an entity in file %q already: one file has the root", e.Node, *v.rootFile)
		case !isRoot && i == 0 && v.m.Root != "" && !multi:
			v.errorf(append(p, "node"), "the first entity must be the root %q", v.m.Root)
		case !isRoot && multi && !rootFile && n.Partitioned:
			v.errorf(append(p, "node"), "%s is partitioned: only the file whose first entity is the root %q stages it", e.Node, v.m.Root)
		}
		if isRoot && multi && i == 0 && v.rootFile == nil {
			name := ""
			if len(base) > 0 {
				name = v.m.Files[base[len(base)-1].(int)].Name
			}
			v.rootFile = &name
		}
		rootSeen = rootSeen || isRoot
		name := e.EntityName()
		if _, dup := names[name]; dup {
			v.errorf(p, "duplicate entity name %q: give one of them a name", name)
		}
		container := v.container(p, e)
		v.key(append(p, "key"), e, n, isRoot, container)
		seen := map[string]bool{}
		for _, k := range n.Key {
			seen[k] = true
		}
		for j, val := range e.Properties {
			pp := append(slices.Clone(p), "properties", j)
			v.value(pp, val, container)
			v.property(pp, val, seen, "label "+n.Label, n.Properties, n.Flattened)
		}
		for j, l := range e.Links {
			v.link(append(slices.Clone(p), "relationships", j), l, e, names, container)
		}
		names[name] = e
	}
	return rootSeen
}

// container returns the JSON column whose members fields name, if any.
func (v *validator) container(p []any, e Entity) string {
	switch {
	case e.Each != "" && e.Object != "":
		v.errorf(p, "an entity is either each (a JSON array) or object (a JSON object), not both")
	case e.Each != "":
		v.column(append(slices.Clone(p), "each"), e.Each)
		return e.Each
	case e.Object != "":
		v.column(append(slices.Clone(p), "object"), e.Object)
		return e.Object
	}
	return ""
}

func (v *validator) column(p []any, name string) {
	if !slices.Contains(v.cols, name) {
		v.errorf(p, "unknown column %q (not in columns)", name)
	}
}

// value checks one value's source, type and checks.
func (v *validator) value(p []any, val Value, container string) {
	sources := 0
	for _, set := range []bool{val.Column != "", val.Field != "", val.Root} {
		if set {
			sources++
		}
	}
	if sources != 1 {
		v.errorf(p, "give exactly one of column, field or root")
	}
	if val.Column != "" {
		v.column(append(slices.Clone(p), "column"), val.Column)
	}
	if val.Root && len(v.rootKey) > 1 {
		v.errorf(append(slices.Clone(p), "root"), "root: true is the root's key, and %s is keyed by %s: name its columns instead", v.m.Root, strings.Join(v.rootKey, ", "))
	}
	if val.Field != "" && container == "" {
		v.errorf(append(slices.Clone(p), "field"), "field %q: only an entity with each or object has fields", val.Field)
	}
	t := val.TypeOf()
	if !slices.Contains(Types, t) {
		v.errorf(append(slices.Clone(p), "type"), "bad type %q: one of %s", val.Type, strings.Join(Types, ", "))
		return // the checks below depend on the type
	}
	switch {
	case (t == "scalar" || t == "flatten") && val.Field == "":
		v.errorf(append(slices.Clone(p), "type"), "type %s is for a JSON field", t)
	case t == "list" && val.Column == "":
		v.errorf(append(slices.Clone(p), "type"), "type list is for a column")
	case t == "list" && val.Delimiter == "":
		v.errorf(append(slices.Clone(p), "type"), "type list needs a delimiter")
	}
	if val.Delimiter != "" && t != "list" {
		v.errorf(append(slices.Clone(p), "delimiter"), "a delimiter is for type list")
	}
	if (val.Min != nil || val.Max != nil) && t != "int" && t != "float" {
		v.errorf(p, "min and max are for type int or float, not %s", t)
	}
	if val.Min != nil && val.Max != nil && *val.Min > *val.Max {
		v.errorf(p, "min %v is more than max %v", *val.Min, *val.Max)
	}
	if val.Pattern != "" {
		if _, err := regexp.Compile(val.Pattern); err != nil {
			v.errorf(append(slices.Clone(p), "pattern"), "bad pattern: %v", err)
		}
	}
	if val.Reason != "" && val.Pattern == "" {
		v.errorf(append(slices.Clone(p), "reason"), "a reason is for a pattern")
	}
	if val.Case != "" && val.Case != "upper" && val.Case != "lower" {
		v.errorf(append(slices.Clone(p), "case"), "case is upper or lower, not %q", val.Case)
	}
	if (val.Pattern != "" || val.Case != "" || len(val.Values) > 0) && t != "string" && t != "list" {
		v.errorf(p, "pattern, case and values are for strings, not %s", t)
	}
}

// property checks that a value names a declared property, once.
func (v *validator) property(p []any, val Value, seen map[string]bool, owner string, props []string, flattened string) {
	switch {
	case val.Name == "":
		v.errorf(p, "a property without a name")
	case val.TypeOf() == "flatten":
		if flattened != val.Name+"_" {
			v.errorf(append(slices.Clone(p), "name"), "%s: flattening %q needs flattened: %s_ on the label", owner, val.Name, val.Name)
		}
	case !slices.Contains(props, val.Name):
		v.errorf(append(slices.Clone(p), "name"), "%s has no property %q (declare it in its properties)", owner, val.Name)
	case seen[val.Name]:
		v.errorf(append(slices.Clone(p), "name"), "%s: property %q is set twice", owner, val.Name)
	}
	seen[val.Name] = true
}

// link checks a relationship of entity e to an earlier entity.
func (v *validator) link(p []any, l Link, e Entity, earlier map[string]Entity, container string) {
	var rel *Rel
	for i := range v.m.Rels {
		if v.m.Rels[i].Type == l.Type {
			rel = &v.m.Rels[i]
		}
	}
	if rel == nil {
		v.errorf(append(slices.Clone(p), "type"), "relationship type %q is not declared", l.Type)
	}
	other, field := l.From, "from"
	if l.To != "" {
		other, field = l.To, "to"
	}
	switch {
	case (l.From == "") == (l.To == ""):
		v.errorf(p, "give exactly one of from (the start entity) or to (the end entity)")
	case earlier[other].Node == "":
		v.errorf(append(slices.Clone(p), field), "%s %q is not an earlier entity of the row", field, other)
	case rel != nil:
		start, end := earlier[other].Node, e.Node
		if field == "to" {
			start, end = e.Node, earlier[other].Node
		}
		if start != rel.From || end != rel.To {
			v.errorf(append(slices.Clone(p), field), "relationship %s goes from %s to %s, this one from %s to %s", l.Type, rel.From, rel.To, start, end)
		}
	}
	seen := map[string]bool{}
	for j, val := range l.Properties {
		pp := append(slices.Clone(p), "properties", j)
		v.value(pp, val, container)
		if rel != nil {
			v.property(pp, val, seen, "relationship "+rel.Type, rel.Properties, "")
		}
	}
}

// positions finds the line of a path in the YAML document.
type positions struct{ root *yaml.Node }

// line returns the line of the deepest node on path: map keys are
// strings, sequence indexes ints. 0 when the document is empty.
func (ps positions) line(path ...any) int {
	if n := ps.node(path...); n != nil {
		return n.Line
	}
	return 0
}

// node returns the deepest node on path, or nil for an empty document.
func (ps positions) node(path ...any) *yaml.Node {
	n := ps.root
	if n == nil {
		return nil
	}
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for _, step := range path {
		next := child(n, step)
		if next == nil {
			break
		}
		n = next
	}
	return n
}

func child(n *yaml.Node, step any) *yaml.Node {
	switch s := step.(type) {
	case string:
		if n.Kind != yaml.MappingNode {
			return nil
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == s {
				return n.Content[i+1]
			}
		}
	case int:
		if n.Kind == yaml.SequenceNode && s < len(n.Content) {
			return n.Content[s]
		}
	}
	return nil
}
