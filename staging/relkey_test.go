package staging

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	graphmodel "github.com/learnergraph/importer/model"
)

// jobsYAML keys a relationship type from the root (WORKED_AT: a date and a
// string) and one between shared nodes (LISTED_ON: two strings, first
// wins) by two properties each; a second WORKED_AT of the row (company2)
// merges with the first when its key is the same.
const jobsYAML = `version: 1
root: Person
columns: [id, company, since, role, note, exchange, ticker, board, company2, role2, note2]
nodes:
  - {label: Person, key: id, partitioned: true, properties: [id]}
  - {label: Company, key: code, properties: [code]}
  - {label: Exchange, key: code, properties: [code]}
relationships:
  - {type: WORKED_AT, from: Person, to: Company, key: [since, role], properties: [since, role, note]}
  - {type: LISTED_ON, from: Company, to: Exchange, key: [ticker, board], properties: [ticker, board, note], merge: first}
entities:
  - node: Person
    key: {column: id, required: true}
  - node: Company
    key: {column: company}
    relationships:
      - {type: WORKED_AT, from: Person, properties: [{name: since, column: since, type: date}, {name: role, column: role}, {name: note, column: note}]}
  - node: Exchange
    key: {column: exchange}
    relationships:
      - {type: LISTED_ON, from: Company, properties: [{name: ticker, column: ticker}, {name: board, column: board}, {name: note, column: note}]}
  - node: Company
    name: again
    key: {column: company2}
    relationships:
      - {type: WORKED_AT, from: Person, properties: [{name: since, column: since, type: date}, {name: role, column: role2}, {name: note, column: note2}]}
`

// TestRelationshipKeysStage: two relationships of a type keyed by several
// properties between the same two nodes are one exactly when every key
// property's value is equal, a null (a blank) being a value of its own:
// ("A", "BC") and ("AB", "C") stay two, (x, null) and (null, x) stay two,
// repeats merge by the type's rule (later or first non-null wins), both
// for relationships staged with the root and between shared nodes, and
// within a row as across rows; key values longer than MaxKeyBytes
// together reject the row.
func TestRelationshipKeysStage(t *testing.T) {
	m, err := graphmodel.Parse("jobs.yaml", []byte(jobsYAML))
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("r", 4097)
	csv := "id,company,since,role,note,exchange,ticker,board,company2,role2,note2\n" +
		"P1,C1,2020-01-01,dev,n1,X1,A,BC,,,\n" +
		"P1,C1,2020-01-01,dev,,X1,AB,C,,,\n" +
		"P1,C1,2020-01-01,ops,n2,X1,A,,,,\n" +
		"P1,C1,,dev,n3,X1,,A,,,\n" +
		"P1,C1,,dev,n4,X1,A,,,,\n" +
		"P2,C1,,,n5,X1,,,,,\n" +
		"P2,C1,,,,X1,,,,,\n" +
		"P2,C1,,2020-01-01,n6,X1,,,,,\n" +
		"P3,C1,2020-01-01,dev,n7,,,,C1,dev,n8\n" +
		"P3,C1,2020-01-01,ops,n9,,,,C1,dev,\n" +
		"P4,C1,2020-01-01,dev,,,,,C1," + long + ",\n"
	state := stageString(t, csv, Options{Mapping: m})
	got := dump(t, state)
	d := date(t, "2020-01-01")
	want := Dump{
		Nodes: map[string][]Node{
			"Person":   {{"Person", "P1", props("id", "P1")}, {"Person", "P2", props("id", "P2")}, {"Person", "P3", props("id", "P3")}},
			"Company":  {{"Company", "C1", props("code", "C1")}},
			"Exchange": {{"Exchange", "X1", props("code", "X1")}},
		},
		Rels: map[string][]Rel{
			"WORKED_AT": {
				{"WORKED_AT", "P1", "C1", props("since", d, "role", "dev", "note", "n1")},
				{"WORKED_AT", "P1", "C1", props("since", d, "role", "ops", "note", "n2")},
				{"WORKED_AT", "P1", "C1", props("role", "dev", "note", "n4")},
				{"WORKED_AT", "P2", "C1", props("note", "n5")},
				{"WORKED_AT", "P2", "C1", props("role", "2020-01-01", "note", "n6")},
				{"WORKED_AT", "P3", "C1", props("since", d, "role", "dev", "note", "n8")},
				{"WORKED_AT", "P3", "C1", props("since", d, "role", "ops", "note", "n9")},
			},
			"LISTED_ON": {
				{"LISTED_ON", "C1", "X1", props("ticker", "A", "board", "BC", "note", "n1")},
				{"LISTED_ON", "C1", "X1", props("ticker", "AB", "board", "C")},
				{"LISTED_ON", "C1", "X1", props("ticker", "A", "note", "n2")},
				{"LISTED_ON", "C1", "X1", props("board", "A", "note", "n3")},
				{"LISTED_ON", "C1", "X1", props("note", "n5")},
			},
		},
		Rejects: []Reject{{Line: 12, SandID: "P4", Reason: "key of WORKED_AT (since, role): 4097 bytes, longer than the 4096-byte maximum for a key",
			Record: "P4,C1,2020-01-01,dev,,,,,C1," + long + ","}},
	}
	for _, rels := range []map[string][]Rel{want.Rels, got.Rels} {
		for _, r := range rels {
			sort.SliceStable(r, func(i, j int) bool { return fmt.Sprint(r[i]) < fmt.Sprint(r[j]) })
		}
	}
	wantRels := map[string]int64{"WORKED_AT": 7, "LISTED_ON": 5}
	if diff := cmp.Diff(wantRels, got.Counts.Relationships); diff != "" {
		t.Errorf("relationship counters (-want +got):\n%s", diff)
	}
	got.Counts = want.Counts
	got.Mark = want.Mark
	if diff := cmp.Diff(want, got, cmpOpts...); diff != "" {
		t.Errorf("staged jobs (-want +got):\n%s", diff)
	}
}
