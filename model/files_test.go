package model

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// brokenFiles is a mapping of several files with a mistake in each part
// the files bring: top-level columns and entities beside files, a file
// without a name, a duplicate file name, a column of another file, a
// partitioned label in a file without the root, the root in two files,
// a file without entities.
const brokenFiles = `version: 1
root: Flight
columns: [id]
nodes:
  - {label: Airport, key: code, properties: [code, name]}
  - {label: Flight, key: id, partitioned: true, properties: [id]}
  - {label: Leg, key: flight, partitioned: true, properties: [flight]}
relationships:
  - {type: DEPARTS, from: Flight, to: Airport}
entities:
  - {node: Flight, key: {column: id, required: true}}
files:
  - columns: [faa]
    entities:
      - {node: Airport, key: {column: faa}}
  - name: airports
    columns: [faa, name]
    entities:
      - node: Airport
        key: {column: faa, required: true}
        properties: [{name: name, column: nam}]
      - {node: Leg, key: {root: true}}
  - name: airports
    columns: [id, origin]
    entities:
      - {node: Flight, key: {column: id, required: true}}
      - node: Airport
        key: {column: origin}
        relationships: [{type: DEPARTS, from: Flight}]
  - name: again
    columns: [id]
    entities:
      - {node: Flight, key: {column: id, required: true}}
  - name: bad=name
    columns: [x]
`

func TestFilesMistakesWithTheirLines(t *testing.T) {
	_, err := Parse("flights.yaml", []byte(brokenFiles))
	var errs *Errors
	if !errors.As(err, &errs) {
		t.Fatalf("Parse = %v, want *Errors", err)
	}
	got := make([]string, len(errs.List))
	for i, e := range errs.List {
		got[i] = e.String()
	}
	want := []string{
		`flights.yaml:3: a mapping with files gives the columns of each file in it, not at the top level`,
		`flights.yaml:11: a mapping with files gives the entities of each file in it, not at the top level`,
		`flights.yaml:13: a file without a name`,
		`flights.yaml:21: unknown column "nam" (not in columns)`,
		`flights.yaml:22: Leg is partitioned: only the file whose first entity is the root "Flight" stages it`,
		`flights.yaml:23: duplicate file name "airports"`,
		`flights.yaml:33: the root "Flight" has an entity in file "airports" already: one file has the root`,
		`flights.yaml:34: file name "bad=name": use letters, digits, _, - and . only (the command line gives its path as --input NAME=PATH)`,
		`flights.yaml:34: file "bad=name" has no entities: say what its rows stage`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mistakes (-want +got):\n%s", diff)
	}
}

func TestFilesWithoutTheRoot(t *testing.T) {
	text := `version: 1
root: Flight
nodes:
  - {label: Airport, key: code, properties: [code]}
  - {label: Flight, key: id, partitioned: true, properties: [id]}
files:
  - name: airports
    columns: [faa]
    entities:
      - {node: Airport, key: {column: faa}}
`
	_, err := Parse("f.yaml", []byte(text))
	var errs *Errors
	if !errors.As(err, &errs) {
		t.Fatalf("Parse = %v, want *Errors", err)
	}
	want := []Error{{File: "f.yaml", Line: 7, Msg: `no file has an entity for the root "Flight" (the first entity of one file)`}}
	if diff := cmp.Diff(want, errs.List); diff != "" {
		t.Errorf("mistakes (-want +got):\n%s", diff)
	}
}

func TestInputFiles(t *testing.T) {
	m, err := Parse("f.yaml", []byte(`version: 1
root: Flight
nodes:
  - {label: Airport, key: code, properties: [code]}
  - {label: Flight, key: id, partitioned: true, properties: [id]}
files:
  - name: airports
    columns: [faa]
    entities:
      - {node: Airport, key: {column: faa}}
  - name: flights
    columns: [id]
    entities:
      - {node: Flight, key: {column: id, required: true}}
`))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range m.InputFiles() {
		names = append(names, f.Name)
	}
	if diff := cmp.Diff([]string{"airports", "flights"}, names); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	one := Default().InputFiles()
	if len(one) != 1 || one[0].Name != "" || len(one[0].Entities) != len(Default().Entities) {
		t.Errorf("the built-in mapping's files: %d, want one without a name with its %d entities", len(one), len(Default().Entities))
	}
}
