package graphwrite

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestClearDatabaseDeletesEverything loads a graph, adds what is not the
// importer's (another label and type, a node with two of the schema's
// labels, a node without a label), clears, and finds nothing left; the
// counts say what was there.
func TestClearDatabaseDeletesEverything(t *testing.T) {
	g := testGraph(t)
	ctx := context.Background()
	clearGraph(t, g)
	db := openState(t, stagedFile(t, 500, 1))
	st := loadAll(t, g, db, ModeCreate, LoadOptions{Workers: 2, BatchSize: 200})
	_, err := g.exec(ctx, "CREATE (:Other {x: 1})-[:OTHER]->(:Learner:Skill {sandId: 'two labels'})-[:HAS_SKILL]->(), "+
		"(:Learner {sandId: 'dense'})-[:WORKED_AT]->(c:Other), (c)<-[:OTHER]-()", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Cleared{Nodes: st.Nodes + 6, Relationships: st.Relationships + 4}
	got, err := g.ClearDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cleared (-want +got):\n%s", diff)
	}
	left, err := g.countOne(ctx, "MATCH (n) RETURN count(n) AS n")
	if err != nil || left != 0 {
		t.Errorf("%d nodes left (%v)", left, err)
	}
}
