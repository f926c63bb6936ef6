package graphwrite

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestLoadCreateAndMergeGiveTheSameGraph(t *testing.T) {
	g := testGraph(t)
	ctx := context.Background()

	clearGraph(t, g)
	db := openState(t, stagedFile(t, 2000, 1))
	st := loadAll(t, g, db, ModeAuto, LoadOptions{Workers: 2, BatchSize: 500})
	if st.Mode != ModeCreate {
		t.Fatalf("auto mode on an empty target chose %s, want create", st.Mode)
	}
	created := dump(t, g)
	diffs, err := Verify(ctx, g, db, VerifyOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(diffs) != 0 {
		t.Fatalf("verify after create: %v", diffs)
	}

	clearGraph(t, g)
	db2 := openState(t, stagedFile(t, 2000, 1))
	loadAll(t, g, db2, ModeMerge, LoadOptions{Workers: 3, BatchSize: 300})
	merged := dump(t, g)
	if diff := cmp.Diff(created, merged, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("create and merge dumps differ (-create +merge):\n%s", diff)
	}

	st = loadAll(t, g, db2, ModeAuto, LoadOptions{Workers: 2, BatchSize: 700})
	if st.Mode != ModeMerge {
		t.Fatalf("auto mode on a loaded target chose %s, want merge", st.Mode)
	}
	if diff := cmp.Diff(created, dump(t, g), cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("merging twice changed the graph (-once +twice):\n%s", diff)
	}
}

// TestLoadGivesTheStagedGraph pins the whole graph a load leaves, in both
// modes: every staged node and relationship with exactly its staged
// properties, nothing else (the watermarks aside). It does not depend on
// the queries' shapes, so a change of Cypher or batching that alters the
// graph fails here.
func TestLoadGivesTheStagedGraph(t *testing.T) {
	g := testGraph(t)
	for _, mode := range []Mode{ModeCreate, ModeMerge} {
		t.Run(string(mode), func(t *testing.T) {
			clearGraph(t, g)
			db := openState(t, stagedFile(t, 2000, 1))
			loadAll(t, g, db, mode, LoadOptions{Workers: 3, BatchSize: 400})
			if diff := cmp.Diff(stagedDump(t, db), dump(t, g), cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("loaded graph differs from the staged one (-staged +loaded):\n%s", diff)
			}
		})
	}
}
