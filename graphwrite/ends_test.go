package graphwrite

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/staging"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	bolt "go.etcd.io/bbolt"
)

// TestGroupFindsEndsByIDAndChecksThem loads the shared nodes, reads their
// node ids, and checks that the learner group's statement finds every
// shared end by id — and that a row whose id names another node of the
// same label fails the batch (ErrMissingEndpoint) and writes nothing of
// it, which only the key check in the statement catches.
func TestGroupFindsEndsByIDAndChecksThem(t *testing.T) {
	g := testGraph(t)
	ctx := context.Background()
	clearGraph(t, g)
	db := openState(t, stagedFile(t, crashRows, 1))
	plan, err := Begin(ctx, g, db, ModeCreate, 1)
	if err != nil {
		t.Fatal(err)
	}
	s := staging.DefaultSchema()
	if err := g.EnsureConstraints(ctx, s); err != nil {
		t.Fatal(err)
	}
	session := g.session(ctx, neo4j.AccessModeWrite)
	defer session.Close(ctx)
	nop := func(error) {}
	group, _ := commitBeforeGroup(t, session, db, plan)
	var counts checkpoint.Counts
	db.View(func(tx *bolt.Tx) error { counts, err = checkpoint.ReadCounts(tx); return err })
	ends, err := g.readEndIDs(ctx, s, group.b, counts, maxEndIDs)
	if err != nil {
		t.Fatal(err)
	}

	// Every staged shared end has an id, and no other key has one.
	want, got := map[string][]string{}, map[string][]string{}
	labels, _ := group.b.endLabels(counts)
	for _, label := range labels {
		db.View(func(tx *bolt.Tx) error {
			_, err := staging.EachNode(tx, s, label, staging.Range{}, nil, math.MaxInt, func(_ []byte, n staging.Node) {
				want[label] = append(want[label], n.Key)
			})
			return err
		})
		for k := range ends[label] {
			got[label] = append(got[label], k)
		}
	}
	if diff := cmp.Diff(want, got, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
		t.Fatalf("keys with a node id (-staged +read):\n%s", diff)
	}

	// A wrong id of the right label: the batch fails and writes nothing.
	group.b.ends = endIDs{}
	for label, m := range ends {
		group.b.ends[label] = nodeIDs{}
		var keys []string
		for k, ref := range m {
			group.b.ends[label][k] = ref
			keys = append(keys, k)
		}
		if len(keys) > 1 {
			a, b := m[keys[0]], m[keys[1]]
			a.id, b.id = b.id, a.id
			group.b.ends[label][keys[0]], group.b.ends[label][keys[1]] = a, b
		}
	}
	bt, err := group.b.read(db, group.r, nil, math.MaxInt, ModeCreate)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := commitBatch(ctx, session, plan.RunID, group, bt, nop); !errors.Is(err, ErrMissingEndpoint) {
		t.Fatalf("commit with swapped node ids: %v, want %v", err, ErrMissingEndpoint)
	}
	if n := countNodes(t, g, s.Root()); n != 0 {
		t.Fatalf("%d learners written by the failed batch", n)
	}

	// The right ids: the whole group in one batch, the graph as staged.
	group.b.ends = ends
	if bt, err = group.b.read(db, group.r, nil, math.MaxInt, ModeCreate); err != nil {
		t.Fatal(err)
	}
	if _, err := commitBatch(ctx, session, plan.RunID, group, bt, nop); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(ctx, g, db, LoadOptions{Workers: 1}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(stagedDump(t, db), dump(t, g), cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("graph differs from the staged one (-staged +loaded):\n%s", diff)
	}
}

// TestGroupWithoutEndIDsLoadsTheSameGraph loads with the node id limit
// below the staged shared nodes, so the learner group finds its ends by
// key (index seeks), and compares the graph with the staged one.
func TestGroupWithoutEndIDsLoadsTheSameGraph(t *testing.T) {
	g := testGraph(t)
	clearGraph(t, g)
	db := openState(t, stagedFile(t, crashRows, 1))
	loadAll(t, g, db, ModeCreate, LoadOptions{Workers: 2, BatchSize: 300, maxEndIDs: 1})
	if diff := cmp.Diff(stagedDump(t, db), dump(t, g), cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("graph differs from the staged one (-staged +loaded):\n%s", diff)
	}
}

// countNodes counts the nodes of label in Neo4j.
func countNodes(t *testing.T, g *Graph, label string) int64 {
	t.Helper()
	recs, err := g.query(context.Background(), countNodesQuery(label), nil)
	if err != nil {
		t.Fatal(err)
	}
	return recs[0].Values[0].(int64)
}
