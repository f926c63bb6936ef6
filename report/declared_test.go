package report

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/learnergraph/importer/model"
)

// TestChartKindsAreDrawn: the chart kinds a mapping may declare are the
// ones this package draws.
func TestChartKindsAreDrawn(t *testing.T) {
	var drawn []string
	for _, c := range []Chart{ChartBar, ChartBarPart, ChartColumns, ChartShares, ChartStacked, ChartDegrees, ChartComponents, ChartTable} {
		drawn = append(drawn, string(c))
	}
	if diff := cmp.Diff(drawn, model.ChartKinds); diff != "" {
		t.Errorf("model.ChartKinds (-drawn +declarable):\n%s", diff)
	}
}

const plainYAML = `version: 1
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
`

func TestDeclared(t *testing.T) {
	parse := func(name, text string) *model.Model {
		t.Helper()
		m, err := model.Parse(name, []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	generic := []SectionSpec{{ID: Generic, Title: GenericTitle}}
	learners := []SectionSpec{{"learners", "The learners"}, {"programs", "Programs"}, {"skills", "Skills"}, {"employment", "Employment"}, {Generic, GenericTitle}}
	withReport := plainYAML + `report:
  - section: people
    title: People
    queries:
      - {name: cities, title: People per city, chart: bar, needs: [LIVES_IN], note: A note.,
         cypher: "MATCH (c:City) RETURN c.id AS city, COUNT { (c)<-[:LIVES_IN]-() } AS people"}
      - {name: parts, title: Parts, chart: components, needs: [Person], center: Person, via: [LIVES_IN]}
`
	// A state file staged with the built-in mapping before it declared a
	// report: its stored text has no report part, its name is the built-in's.
	text := model.Default().Text
	old := string(text[:bytes.Index(text, []byte("\nreport:\n"))+1])
	for _, tc := range []struct {
		name     string
		m        *model.Model
		sections []SectionSpec
		queries  []Query // nil: only their number is checked
		n        int
	}{
		{"no report part", parse("plain.yaml", plainYAML), generic, nil, 0},
		{"a report part", parse("plain.yaml", withReport), []SectionSpec{{"people", "People"}, {Generic, GenericTitle}}, []Query{
			{Section: "people", Name: "cities", Title: "People per city", Chart: ChartBar, Needs: []string{"LIVES_IN"}, Note: "A note.",
				Cypher: "MATCH (c:City) RETURN c.id AS city, COUNT { (c)<-[:LIVES_IN]-() } AS people"},
			{Section: "people", Name: "parts", Title: "Parts", Chart: ChartComponents, Needs: []string{"Person"},
				Components: &Components{Center: "Person", Via: []string{"LIVES_IN"}}},
		}, 2},
		{"the built-in mapping", model.Default(), learners, nil, 18},
		{"the built-in mapping before its report part", parse(model.DefaultName, old), learners, nil, 18},
		{"another mapping named like it", parse("learners.yaml", old), generic, nil, 0},
	} {
		sections, queries := Declared(tc.m)
		if diff := cmp.Diff(tc.sections, sections); diff != "" {
			t.Errorf("%s: sections (-want +got):\n%s", tc.name, diff)
		}
		if len(queries) != tc.n {
			t.Errorf("%s: %d declared queries, want %d", tc.name, len(queries), tc.n)
		}
		if tc.queries == nil {
			continue
		}
		if diff := cmp.Diff(tc.queries, queries); diff != "" {
			t.Errorf("%s: queries (-want +got):\n%s", tc.name, diff)
		}
	}
}
