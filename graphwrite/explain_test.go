package graphwrite

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestExplain plans read, writing and broken statements on the real Neo4j
// without running them.
func TestExplain(t *testing.T) {
	g := testGraph(t)
	nodes, rels, err := g.Size(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, q := range []string{
		"MATCH (n:Learner) RETURN count(n) AS n",
		"MATCH (n:Learner) SET n.x = 1",
		"CALL db.createLabel('Explained')",
		"CALL db.labels() YIELD label RETURN label",
		"MATCH (n RETURN n",
		"RETURN noSuchFunction(1)",
	} {
		problem, err := g.Explain(context.Background(), q)
		if err != nil {
			t.Fatalf("Explain(%q): %v", q, err)
		}
		got[q], _, _ = strings.Cut(problem, ": ") // the server's words vary by version
	}
	want := map[string]string{
		"MATCH (n:Learner) RETURN count(n) AS n":    "",
		"MATCH (n:Learner) SET n.x = 1":             "Neo4j plans it as a query that writes",
		"CALL db.createLabel('Explained')":          "Neo4j plans it as a query that writes",
		"CALL db.labels() YIELD label RETURN label": "",
		"MATCH (n RETURN n":                         "Neo4j cannot plan it",
		"RETURN noSuchFunction(1)":                  "Neo4j cannot plan it",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Explain (-want +got):\n%s", diff)
	}
	n, r, err := g.Size(context.Background())
	if err != nil || n != nodes || r != rels {
		t.Errorf("after Explain: %d nodes and %d relationships (%v), before %d and %d: want the database untouched", n, r, err, nodes, rels)
	}
}
