package model

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// brokenKeys has every mistake a composite key can have, each on a line
// of its own; Parse must report all of them at once, each at its line.
const brokenKeys = `version: 1
root: Flight
columns: [year, month, day, carrier, flight, origin, dest, tailnum]
nodes:
  - {label: Flight, key: [year, month, day, carrier, flight], partitioned: true, properties: [year, month, day, carrier, flight]}
  - {label: Route, key: [origin, dest, origin], properties: [origin]}
  - {label: Plane, key: [tailnum, flight], partitioned: true, properties: [tailnum, flight]}
  - {label: Leg, key: [from, to], properties: [from, to]}
  - {label: Airport, key: code, properties: [code]}
relationships:
  - {type: FLIES, from: Flight, to: Leg}
entities:
  - node: Flight
    key:
      - {name: year, column: year, required: true}
      - {name: month, column: month}
      - {name: day, column: day, required: true, type: int}
      - {name: carrier, column: carrier, required: true}
      - {name: carrier, column: flight, required: true}
      - {name: tail, column: tailnum, required: true}
      - {column: origin, required: true}
    properties:
      - {name: year, column: year}
  - node: Plane
    key:
      - {name: tailnum, root: true}
      - {name: flight, root: true}
  - node: Leg
    key: {column: origin}
    relationships:
      - {type: FLIES, from: Flight}
  - node: Leg
    name: back
    key:
      - {name: from, column: dest, colour: red}
      - {name: to, colum: origin}
  - node: Airport
    key: [{name: code, column: origin}]
  - node: Airport
    name: wrong
    key:
      - {name: code, column: dest}
      - {name: cod, column: dest}
`

func TestCompositeKeyMistakesAtTheirLines(t *testing.T) {
	_, err := Parse("flights.yaml", []byte(brokenKeys))
	var errs *Errors
	if !errors.As(err, &errs) || !errors.Is(err, ErrInvalid) {
		t.Fatalf("Parse = %v, want *Errors wrapping ErrInvalid", err)
	}
	got := make([]string, len(errs.List))
	for i, e := range errs.List {
		got[i] = e.String()
	}
	want := []string{
		`flights.yaml:6: duplicate key property "origin"`,
		`flights.yaml:6: label Route: key "dest" is not one of its properties ["origin"]`,
		"flights.yaml:7: label Plane: a partitioned label other than the root is keyed by the root's key, one property",
		`flights.yaml:15: label Flight: no value for its key property "flight"`,
		"flights.yaml:16: the root's key must be a required column",
		"flights.yaml:17: a key is a string, not int",
		`flights.yaml:19: key property "carrier" is given twice`,
		`flights.yaml:20: label Flight: "tail" is not one of its key properties (year, month, day, carrier, flight)`,
		"flights.yaml:21: a value of a key list names its key property (one of year, month, day, carrier, flight)",
		`flights.yaml:23: label Flight: property "year" is set twice`,
		"flights.yaml:26: root: true is the root's key, and Flight is keyed by year, month, day, carrier, flight: name its columns instead",
		"flights.yaml:27: root: true is the root's key, and Flight is keyed by year, month, day, carrier, flight: name its columns instead",
		"flights.yaml:29: label Leg is keyed by from, to: give key as a list of values, one per key property, each with its name",
		"flights.yaml:35: unknown field colour in a value",
		"flights.yaml:36: unknown field colum in a value",
		"flights.yaml:36: give exactly one of column, field or root",
		`flights.yaml:43: label Airport: "cod" is not one of its key properties (code)`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mistakes (-want +got):\n%s", diff)
	}
}

// brokenRelKeys has every mistake a relationship's key of several
// properties can have, each on a line of its own.
const brokenRelKeys = `version: 1
root: Person
columns: [id, company, since, role]
nodes:
  - {label: Person, key: id, partitioned: true, properties: [id]}
  - {label: Company, key: code, properties: [code]}
relationships:
  - {type: WORKED_AT, from: Person, to: Company, key: [since, role], properties: [since, role, note]}
  - {type: LEFT, from: Person, to: Company, key: [since, role, since], properties: [since, role]}
  - {type: JOINED, from: Person, to: Company, key: [since, until], properties: [since]}
  - {type: VISITED, from: Person, to: Company, key: [since, ""], properties: [since]}
  - {type: OWNS, from: Person, to: Company, key: [share, year]}
entities:
  - node: Person
    key: {column: id, required: true}
  - node: Company
    key: {column: company}
    relationships:
      - {type: WORKED_AT, from: Person, properties: [{name: since, column: since, type: date}, {name: role, column: role}]}
`

// TestRelationshipKeyMistakesAtTheirLines: a relationship type may be
// keyed by several properties (WORKED_AT), each once and each one of its
// properties; every mistake is listed at its line.
func TestRelationshipKeyMistakesAtTheirLines(t *testing.T) {
	_, err := Parse("jobs.yaml", []byte(brokenRelKeys))
	var errs *Errors
	if !errors.As(err, &errs) || !errors.Is(err, ErrInvalid) {
		t.Fatalf("Parse = %v, want *Errors wrapping ErrInvalid", err)
	}
	got := make([]string, len(errs.List))
	for i, e := range errs.List {
		got[i] = e.String()
	}
	want := []string{
		`jobs.yaml:9: duplicate key property "since"`,
		`jobs.yaml:10: relationship JOINED: key "until" is not one of its properties ["since"]`,
		"jobs.yaml:11: empty key property name",
		`jobs.yaml:12: relationship OWNS: key "share" is not one of its properties []`,
		`jobs.yaml:12: relationship OWNS: key "year" is not one of its properties []`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mistakes (-want +got):\n%s", diff)
	}

	// Without the mistakes, the schema has WORKED_AT keyed by both.
	lines := strings.Split(brokenRelKeys, "\n")
	m, err := Parse("jobs.yaml", []byte(strings.Join(append(lines[:8:8], lines[12:]...), "\n")))
	if err != nil {
		t.Fatal(err)
	}
	wantSpecs := []RelSpec{{Type: "WORKED_AT", Start: "Person", End: "Company", Keys: []string{"since", "role"},
		Props: []string{"since", "role", "note"}, FromRoot: true}}
	if diff := cmp.Diff(wantSpecs, m.RelSpecs()); diff != "" {
		t.Errorf("RelSpecs (-want +got):\n%s", diff)
	}
	if got := m.RelSpecs()[0].KeyProps(); !cmp.Equal(got, []string{"since", "role"}) {
		t.Errorf("KeyProps = %q, want [since role]", got)
	}
}
