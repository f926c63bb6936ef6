package model

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// brokenReport is a valid mapping whose report part has one mistake of
// every kind the validator knows; Parse must report each at its line.
const brokenReport = `version: 1
root: Person
columns: [id, city]
nodes:
  - {label: Person, key: id, partitioned: true, properties: [id]}
  - {label: City, key: id, properties: [id]}
relationships:
  - {type: LIVES_IN, from: Person, to: City}
entities:
  - node: Person
    key: {column: id, required: true}
  - node: City
    key: {column: city}
    relationships:
      - {type: LIVES_IN, from: Person}
report:
  - section: people
    title: People
    queries:
      - name: cities
        title: People per city
        chart: pie
        needs: [City, Town, LIVES_IN]
        cypher: MATCH (c:City) RETURN c.id AS city, COUNT { (c)<-[:LIVES_IN]-() } AS people
      - name: cities
        title: Again
        chart: bar
        center: Person
        cypher: MATCH (c:City) RETURN c.id, 1
      - name: parts
        title: Components
        chart: components
        center: Town
        via: [LIVES_IN, WORKS_IN]
        cypher: MATCH (n) RETURN n
      - {name: empty, title: No Cypher, chart: table}
      - {name: nothing, title: Nothing, chart: components, center: City}
      - {name: odd, title: Odd, chart: bar, cypher: RETURN 1, colour: red}
  - section: people
    queries: []
  - section: import
    title: Mine
`

func TestReportMistakesAtTheirLines(t *testing.T) {
	_, err := Parse("people.yaml", []byte(brokenReport))
	var errs *Errors
	if !errors.As(err, &errs) || !errors.Is(err, ErrInvalid) {
		t.Fatalf("Parse = %v, want *Errors wrapping ErrInvalid", err)
	}
	got := make([]string, len(errs.List))
	for i, e := range errs.List {
		got[i] = e.String()
	}
	want := []string{
		`people.yaml:22: report query "cities": chart "pie": one of bar, bar-part, columns, shares, stacked, degrees, components, table`,
		`people.yaml:23: report query "cities" needs "Town", which is not a label or relationship type of this mapping`,
		`people.yaml:25: duplicate report query "cities" in section "people"`,
		`people.yaml:25: report query "cities": center and via are for chart components only`,
		`people.yaml:33: report query "parts": center "Town" is not a declared node label`,
		`people.yaml:34: report query "parts": via "LIVES_IN" is not a relationship type starting at Town`,
		`people.yaml:34: report query "parts": via "WORKS_IN" is not a relationship type starting at Town`,
		`people.yaml:35: report query "parts": a components query has center and via, not cypher`,
		`people.yaml:36: report query "empty" has no cypher`,
		`people.yaml:37: report query "nothing": via names no relationship type`,
		`people.yaml:38: unknown field colour in a report query`,
		`people.yaml:39: duplicate report section "people"`,
		`people.yaml:39: report section "people" has no title`,
		`people.yaml:41: report section "import": the import section is the report's own`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mistakes (-want +got):\n%s", diff)
	}
}

// TestDefaultDeclaresItsReport: the built-in mapping declares the learner
// report's sections, and a mapping without a report part declares none.
func TestDefaultDeclaresItsReport(t *testing.T) {
	var got []string
	for _, s := range Default().Report {
		got = append(got, s.ID)
	}
	if diff := cmp.Diff([]string{"learners", "programs", "skills", "employment", "shape"}, got); diff != "" {
		t.Errorf("built-in report sections (-want +got):\n%s", diff)
	}
	m, err := Parse("plain.yaml", []byte(brokenReport[:strings.Index(brokenReport, "report:")]))
	if err != nil {
		t.Fatal(err)
	}
	if m.Report != nil {
		t.Errorf("a mapping without report: declares %v", m.Report)
	}
}
