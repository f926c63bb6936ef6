package model

import (
	"errors"
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
