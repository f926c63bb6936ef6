package graphwrite

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestVerifyFindsHandMadeDifferences loads a fixture, changes Neo4j by
// hand, and expects Verify to name every change.
func TestVerifyFindsHandMadeDifferences(t *testing.T) {
	g := testGraph(t)
	ctx := context.Background()
	clearGraph(t, g)
	db := openState(t, stagedFile(t, 300, 2))
	loadAll(t, g, db, ModeCreate, LoadOptions{})
	opt := VerifyOptions{Sample: 100000, Seed: 1} // every entity
	if diffs, err := Verify(ctx, g, db, opt); err != nil || len(diffs) != 0 {
		t.Fatalf("verify after a clean load: %v, %v", diffs, err)
	}

	// One changed property, one relationship gone, one extra node.
	changes := []string{
		"MATCH (c:Country) WITH c ORDER BY c.code LIMIT 1 SET c.name = 'Atlantis'",
		"MATCH (:Learner)-[r:HAS_LEARNING_STATE]->() WITH r LIMIT 1 DELETE r",
		"CREATE (:Skill {id: 'not-staged'})",
	}
	for _, q := range changes {
		if _, err := g.exec(ctx, q, nil); err != nil {
			t.Fatal(err)
		}
	}
	diffs, err := Verify(ctx, g, db, opt)
	if err != nil {
		t.Fatal(err)
	}
	type found struct{ Kind, Name, Detail string }
	var got []found
	for _, d := range diffs {
		detail := d.Detail
		if i := strings.Index(detail, ":\n"); i >= 0 {
			detail = detail[:i] // keep the headline of a cmp diff
		}
		got = append(got, found{d.Kind, d.Name, detail})
	}
	count := func(name string) string {
		for _, d := range diffs {
			if d.Name == name && d.Entity == "" {
				return d.Detail
			}
		}
		return ""
	}
	want := []found{
		{"nodes", "Skill", count("Skill")},
		{"relationships", "HAS_LEARNING_STATE", count("HAS_LEARNING_STATE")},
		{"nodes", "Country", "properties differ (-staged +neo4j)"},
		{"relationships", "HAS_LEARNING_STATE", "missing in neo4j"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("differences (-want +got):\n%s\nall: %v", diff, diffs)
	}
	if !strings.Contains(count("Skill"), "in neo4j") || !strings.Contains(diffs[2].Detail, "Atlantis") {
		t.Errorf("differences do not say what differs: %v", diffs)
	}
}
