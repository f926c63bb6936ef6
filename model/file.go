package model

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Version is the mapping file format this importer reads.
const Version = 1

// Model is a decoded, validated mapping file.
type Model struct {
	Version int `yaml:"version"`
	// Root is the partition root: the label of the node every row is
	// about. Its entity comes first and its key column is required.
	Root string `yaml:"root"`
	// Columns are the CSV's columns the mapping knows.
	Columns []string `yaml:"columns"`
	// Nulls are the values that mean null in every column of the
	// mapping's files, besides a blank one (e.g. R's NA); compared after
	// trimming.
	Nulls []string `yaml:"nulls"`
	// Nodes and Rels are the graph schema, in load order.
	Nodes []Node `yaml:"nodes"`
	Rels  []Rel  `yaml:"relationships"`
	// Entities are what each row stages, in order.
	Entities []Entity `yaml:"entities"`
	// Files, when given, are the input files of a mapping that reads
	// several CSV files, staged in this order; each has its own Columns
	// and Entities (the top-level ones are then not given), and they share
	// Nodes and Rels. See InputFiles.
	Files []File `yaml:"files"`
	// Report declares the sections of `importer report` beyond its import
	// and generic sections (report.go); none when empty.
	Report []ReportSection `yaml:"report"`

	// Source names the file the model came from (in error messages).
	Source string `yaml:"-"`
	// Text is the mapping file as read; Hash its SHA-256, in hex.
	Text []byte `yaml:"-"`
	Hash string `yaml:"-"`
}

// File is one input file of a mapping that reads several: its name (how
// the command line gives its path: --input NAME=PATH), its columns and
// what each of its rows stages.
type File struct {
	Name     string   `yaml:"name"`
	Columns  []string `yaml:"columns"`
	Entities []Entity `yaml:"entities"`
}

// InputFiles returns the files a mapping reads, in staging order: its
// Files, or for a mapping of one file, one File without a name made of
// the top-level Columns and Entities.
func (m *Model) InputFiles() []File {
	if len(m.Files) > 0 {
		return m.Files
	}
	return []File{{Columns: m.Columns, Entities: m.Entities}}
}

// Node declares a node label.
type Node struct {
	Label string `yaml:"label"`
	// Key names the properties that identify a node of this label.
	Key Names `yaml:"key"`
	// Partitioned labels have at most one node per root node, keyed by the
	// root's key, and are stored with it.
	Partitioned bool `yaml:"partitioned"`
	// Properties names every property a node may have, besides the ones
	// starting with Flattened.
	Properties []string `yaml:"properties"`
	// Flattened, when set, starts the names of properties that come from
	// the data (a flattened JSON object: details_track, ...).
	Flattened string `yaml:"flattened"`
	// Merge is the rule for a repeated key (MergeLater when empty).
	Merge string `yaml:"merge"`
}

// Merge rules for the properties of entities with the same key.
const (
	// MergeLater: a later non-null value replaces an earlier one (the
	// learner contract's rule).
	MergeLater = "later"
	// MergeFirst: the first non-null value stays; a later one only fills
	// a property that is still null.
	MergeFirst = "first"
)

// Rel declares a relationship type.
type Rel struct {
	Type string `yaml:"type"`
	From string `yaml:"from"` // start label
	To   string `yaml:"to"`   // end label
	// Key names relationship properties that are part of its key besides
	// its two ends.
	Key        Names    `yaml:"key"`
	Properties []string `yaml:"properties"`
	// Merge is the rule for a repeated relationship (MergeLater when
	// empty).
	Merge string `yaml:"merge"`
}

// Entity says how a row stages nodes of one label and the relationships
// that connect them to the row's other entities.
type Entity struct {
	Node string `yaml:"node"`
	// Name is how links refer to the entity; its label when not given.
	Name string `yaml:"name"`
	// Each is a JSON array column: one entity per element (an object).
	Each string `yaml:"each"`
	// Object is a JSON object column: one entity from the object.
	Object string `yaml:"object"`
	// Key is where the node's key comes from: one value for a label keyed
	// by one property; for a composite key, one value per key property,
	// each naming it (`key: [{name: year, column: year}, ...]`).
	Key        KeyValues `yaml:"key"`
	Properties []Value   `yaml:"properties"`
	Links      []Link    `yaml:"relationships"`
}

// Link is a relationship between an entity and an earlier one of the row.
type Link struct {
	Type string `yaml:"type"`
	// From names the start entity (the end is this one); To names the end
	// entity (the start is this one). Exactly one is set.
	From       string  `yaml:"from"`
	To         string  `yaml:"to"`
	Properties []Value `yaml:"properties"`
}

// Value is one property (or a key): where it comes from, its type and the
// checks that reject a row.
type Value struct {
	Name string `yaml:"name"` // the property (empty for a key)
	// Exactly one source: a CSV column, a member of the entity's JSON
	// element or object, or the root's key.
	Column string `yaml:"column"`
	Field  string `yaml:"field"`
	Root   bool   `yaml:"root"`
	// Type is one of Types ("string" when empty).
	Type string `yaml:"type"`
	// Trim is true when not given: surrounding whitespace is removed. A
	// blank value is null.
	Trim *bool `yaml:"trim"`
	// Default replaces a null value (before the checks).
	Default string `yaml:"default"`
	// Delimiter splits a list value (type list).
	Delimiter string `yaml:"delimiter"`
	// Case is "upper" or "lower": the value is changed after the checks.
	Case string `yaml:"case"`
	// The row checks: a value that fails one rejects the row.
	Required bool     `yaml:"required"`
	Pattern  string   `yaml:"pattern"`
	Reason   string   `yaml:"reason"` // replaces "does not match PATTERN"
	Min      *float64 `yaml:"min"`
	Max      *float64 `yaml:"max"`
	Values   []string `yaml:"values"` // allowed values
}

// Types are the value types. scalar (a JSON string, number or boolean, as
// written) and flatten (a JSON object, flattened into NAME_member
// properties) are for fields only; list (strings split at Delimiter) for
// columns only. datetime is an instant, RFC 3339 (an offset or Z; without
// one, UTC).
var Types = []string{"string", "int", "float", "bool", "date", "datetime", "list", "scalar", "flatten"}

// Names is one name or a list of them (a YAML scalar or sequence).
type Names []string

// UnmarshalYAML accepts `key: id` as well as `key: [a, b]`.
func (n *Names) UnmarshalYAML(v *yaml.Node) error {
	if v.Kind == yaml.ScalarNode {
		var s string
		if err := v.Decode(&s); err != nil {
			return err
		}
		*n = Names{s}
		return nil
	}
	var list []string
	if err := v.Decode(&list); err != nil {
		return err
	}
	*n = list
	return nil
}

// KeyValues is an entity's key: one value (a YAML mapping) or a list of
// them, one per key property (a YAML sequence).
type KeyValues []Value

// UnmarshalYAML accepts `key: {column: id}` as well as
// `key: [{name: a, column: a}, {name: b, column: b}]`. It is yaml's
// function-style unmarshaler, the one that keeps the strict decoder's
// check for unknown fields (yaml.Node.Decode would not).
func (k *KeyValues) UnmarshalYAML(unmarshal func(any) error) error {
	var raw any
	if err := unmarshal(&raw); err != nil {
		return err
	}
	// Like a struct, the values keep what decoded beside a mistake (an
	// unknown field), so that validation still reports the rest.
	if _, list := raw.([]any); list {
		var parts []Value
		err := unmarshal(&parts)
		*k = parts
		return err
	}
	var one Value
	err := unmarshal(&one)
	*k = KeyValues{one}
	return err
}

// EntityName is the name links use for e.
func (e Entity) EntityName() string {
	if e.Name != "" {
		return e.Name
	}
	return e.Node
}

// TypeOf returns v's type, "string" when not given.
func (v Value) TypeOf() string {
	if v.Type == "" {
		return "string"
	}
	return v.Type
}

// Trimmed reports whether v's value is trimmed.
func (v Value) Trimmed() bool { return v.Trim == nil || *v.Trim }

// ErrInvalid is wrapped by the *Errors of a mapping file with mistakes.
var ErrInvalid = errors.New("invalid mapping file")

// Error is one mistake in a mapping file.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e Error) String() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Errors is every mistake found in a mapping file, in file order.
type Errors struct {
	List []Error
}

func (e *Errors) Error() string {
	lines := make([]string, len(e.List))
	for i, x := range e.List {
		lines[i] = x.String()
	}
	return fmt.Sprintf("%s: %d mistake(s):\n%s", ErrInvalid, len(e.List), strings.Join(lines, "\n"))
}

// Unwrap makes errors.Is(err, ErrInvalid) hold.
func (e *Errors) Unwrap() error { return ErrInvalid }

// Parse decodes and validates a mapping file; source names it in errors.
// The error is an *Errors listing every mistake.
func Parse(source string, text []byte) (*Model, error) {
	errs := &Errors{}
	var root yaml.Node
	if err := yaml.Unmarshal(text, &root); err != nil {
		errs.List = append(errs.List, yamlErrors(source, err)...)
		return nil, errs
	}
	m := &Model{}
	dec := yaml.NewDecoder(bytes.NewReader(text))
	dec.KnownFields(true)
	if err := dec.Decode(m); err != nil && err != io.EOF {
		errs.List = append(errs.List, yamlErrors(source, err)...)
	}
	sum := sha256.Sum256(text)
	m.Source, m.Text, m.Hash = source, append([]byte(nil), text...), hex.EncodeToString(sum[:])
	v := &validator{m: m, pos: positions{&root}, errs: errs}
	v.validate()
	if len(errs.List) > 0 {
		errs.sort()
		return nil, errs
	}
	return m, nil
}

// yamlLine matches the "line N: " of yaml's messages.
var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// goTypes names the Go types of yaml's messages as a mapping file's parts.
var goTypes = strings.NewReplacer(
	" not found in type model.Model", " at the top level",
	" not found in type model.Node", " in a node",
	" not found in type model.Rel", " in a relationship",
	" not found in type model.Entity", " in an entity",
	" not found in type model.File", " in a file",
	" not found in type model.Link", " in an entity's relationship",
	" not found in type model.Value", " in a value",
	" not found in type model.ReportSection", " in a report section",
	" not found in type model.ReportQuery", " in a report query",
	"field ", "unknown field ",
	"!!str", "a string", "!!seq", "a list", "!!map", "a mapping", "!!int", "an integer", "!!bool", "a boolean",
	"model.Names", "names", "model.KeyValues", "a key value or a list of them", "[]model.", "a list of ", "model.", "", "*float64", "a number", "float64", "a number",
)

// yamlErrors turns a yaml error into Errors with their lines.
func yamlErrors(source string, err error) []Error {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	out := make([]Error, 0, len(msgs))
	for _, msg := range msgs {
		e := Error{File: source, Msg: goTypes.Replace(strings.TrimPrefix(msg, "yaml: "))}
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			fmt.Sscan(m[1], &e.Line)
			e.Msg = goTypes.Replace(m[2])
		}
		out = append(out, e)
	}
	return out
}
