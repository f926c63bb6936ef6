package model

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCheckCypher(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string // "line: what", line 0 first
	}{
		{"MATCH (n:Learner) RETURN n.sandId, count(*) AS n ORDER BY n LIMIT 10", nil},
		// names that spell a write keyword, and keywords in strings and comments
		{"MATCH (s:Set)-[:DELETE]->(c {create: 1, `merge`: 2}) // SET\n" +
			"WHERE s.set = 'DELETE it' AND s.remove <> \"CREATE \\\" MERGE\" /* DROP\nFOREACH */\n" +
			"RETURN s {.set, .drop}, `SET` AS x", nil},
		{"MATCH (n) SET n.x = 1", []string{"0: SET writes: report queries are read-only"}},
		{"MATCH (n)\nWITH n\nDETACH DELETE n", []string{"2: DELETE writes: report queries are read-only"}},
		{"merge (n:A {id: 1})\non create set n.x = $x\nRETURN $`a b`, $0", []string{
			"0: MERGE writes: report queries are read-only",
			"1: CREATE writes: report queries are read-only",
			"1: SET writes: report queries are read-only",
			"1: parameter $x: report queries run with no parameters",
			"2: parameter $`a b`: report queries run with no parameters",
			"2: parameter $0: report queries run with no parameters",
		}},
		{"UNWIND [1] AS i CALL { WITH i RETURN i AS j } IN TRANSACTIONS RETURN j", []string{
			"0: IN TRANSACTIONS: report queries run in one read transaction each",
		}},
		{"MATCH (n) FOREACH (x IN [1] | REMOVE n.y) DROP INDEX i CREATE INDEX j FOR (n:A) ON (n.b)", []string{
			"0: FOREACH writes: report queries are read-only",
			"0: REMOVE writes: report queries are read-only",
			"0: DROP writes: report queries are read-only",
			"0: CREATE writes: report queries are read-only",
		}},
		{"RETURN 'open\n", []string{"0: unterminated string"}},
		{"RETURN 1 /* open\n\n", []string{"0: unterminated comment"}},
		{"MATCH (n:`open) RETURN n", []string{"0: unterminated quoted name"}},
	} {
		var got []string
		for _, m := range checkCypher(tc.text) {
			got = append(got, fmt.Sprintf("%d: %s", m.line, m.msg))
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("checkCypher(%q) (-want +got):\n%s", tc.text, diff)
		}
	}
}

// writingReport is a valid mapping whose report queries write or take
// parameters, in the three ways YAML writes a string.
const writingReport = `version: 1
root: Person
columns: [id]
nodes:
  - {label: Person, key: id, partitioned: true, properties: [id]}
entities:
  - node: Person
    key: {column: id, required: true}
report:
  - section: people
    title: People
    queries:
      - name: literal
        title: Literal block
        chart: table
        cypher: |-
          MATCH (p:Person)
          // SET in a comment is fine
          SET p.seen = true
          RETURN p.id AS id, $limit AS n
      - name: folded
        title: Folded block
        chart: table
        cypher: >-
          MATCH (p:Person)
          DELETE p
      - {name: inline, title: One line, chart: table, cypher: "MERGE (p:Person {id: $id}) RETURN p.id"}
`

func TestReportCypherMistakesAtTheirLines(t *testing.T) {
	_, err := Parse("people.yaml", []byte(writingReport))
	var errs *Errors
	if !errors.As(err, &errs) {
		t.Fatalf("Parse = %v, want *Errors", err)
	}
	var got []string
	for _, e := range errs.List {
		got = append(got, e.String())
	}
	want := []string{
		`people.yaml:19: report query "literal": SET writes: report queries are read-only`,
		`people.yaml:20: report query "literal": parameter $limit: report queries run with no parameters`,
		`people.yaml:25: report query "folded": DELETE writes: report queries are read-only`,
		`people.yaml:27: report query "inline": MERGE writes: report queries are read-only`,
		`people.yaml:27: report query "inline": parameter $id: report queries run with no parameters`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mistakes (-want +got):\n%s", diff)
	}
}
