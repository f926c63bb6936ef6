package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/learnergraph/importer/graphwrite/graphwritetest"
)

// explainedMapping declares three report queries that pass the check
// without a server: one reads, one calls a procedure that writes, one
// does not parse.
const explainedMapping = `version: 1
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
      - {name: count, title: Count, chart: table, cypher: "MATCH (p:Person) RETURN count(p) AS people"}
      - {name: label, title: Label, chart: table, cypher: "CALL db.createLabel('Explained')"}
      - {name: broken, title: Broken, chart: table, cypher: "MATCH (p:Person RETURN p"}
`

// TestMappingCheckExplains: with --neo4j, the real Neo4j plans every report
// query; the built-in mapping's all read, a writing procedure and a syntax
// error are listed.
func TestMappingCheckExplains(t *testing.T) {
	graphwritetest.Lock(t)
	graphwritetest.Driver(t)
	good := writeFile(t, "learners.yaml", learnersYAML(t))
	code, stdout, stderr := runCmd(t, "", "mapping", "check", "--neo4j", good)
	if code != exitOK || stderr != "" || !strings.HasPrefix(stdout, good+": ok: ") {
		t.Errorf("mapping check --neo4j of learners.yaml: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}

	path := writeFile(t, "people.yaml", explainedMapping)
	if code, _, stderr := runCmd(t, "", "mapping", "check", path); code != exitOK {
		t.Fatalf("mapping check without --neo4j: exit %d, stderr %q; want 0 (nothing a keyword check sees)", code, stderr)
	}
	code, stdout, stderr = runCmd(t, "", "mapping", "check", "--neo4j", path)
	var got []string
	for _, l := range strings.Split(strings.TrimSuffix(stderr, "\n"), "\n") {
		l, _, _ = strings.Cut(l, "plan it: ") // the server's words vary by version
		got = append(got, l)
	}
	want := []string{
		path + `: report query "label": Neo4j plans it as a query that writes`,
		path + `: report query "broken": Neo4j cannot `,
		"importer: mapping: check: mapping " + path + ": Neo4j refuses 2 report query(ies), listed above",
	}
	if code != exitUsage || stdout != "" {
		t.Errorf("mapping check --neo4j: exit %d, stdout %q; want %d and nothing", code, stdout, exitUsage)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mapping check --neo4j (-want +got):\n%s", diff)
	}
}
