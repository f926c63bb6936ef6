package graphwrite

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/learnergraph/importer/staging"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	bolt "go.etcd.io/bbolt"
)

// groupLabels are the learner group's node labels in learners.yaml: the
// ones a create mode load into an empty target builds constraints for last.
var groupLabels = []string{"Learner", "LearningState", "ProfessionalState"}

// TestCreateLoadBuildsTheGroupsConstraintsLast follows the constraints of
// the learner group's labels through a create mode load into a target
// emptied with their constraints in place (as `clear-database` leaves
// it): Begin drops them, the group is written without them (a load that
// fails inside the group leaves them missing), the load builds them once
// the group is written, and a load stopped after the group but before
// they were built builds them on resume, writing nothing again.
func TestCreateLoadBuildsTheGroupsConstraintsLast(t *testing.T) {
	g := testGraph(t)
	ctx := context.Background()
	s := staging.DefaultSchema()
	clearGraph(t, g)
	if err := g.EnsureConstraints(ctx, s); err != nil {
		t.Fatal(err)
	}
	all := constraintNames(s)
	without := slices.DeleteFunc(slices.Clone(all), func(n string) bool {
		return slices.ContainsFunc(groupLabels, func(l string) bool { return n == groupConstraint(s, l) })
	})

	db := openState(t, stagedFile(t, crashRows, 1))
	plan, err := Begin(ctx, g, db, ModeCreate, 2)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(groupLabels, plan.Deferred); diff != "" {
		t.Fatalf("deferred labels (-want +got):\n%s", diff)
	}
	wantConstraints(t, g, without, "after Begin")

	// The group fails at its first batches: every Country is gone.
	session := g.session(ctx, neo4j.AccessModeWrite)
	commitBeforeGroup(t, session, db, plan)
	session.Close(ctx)
	if _, err := g.exec(ctx, "MATCH (c:Country) DETACH DELETE c", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(ctx, g, db, LoadOptions{Workers: 2, BatchSize: 300}); !errors.Is(err, ErrMissingEndpoint) {
		t.Fatalf("load without countries: %v, want %v", err, ErrMissingEndpoint)
	}
	wantConstraints(t, g, without, "after a load that failed in the group")

	// A whole load builds them after the group.
	clearGraph(t, g)
	if plan, err = Begin(ctx, g, db, ModeCreate, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(ctx, g, db, LoadOptions{Workers: 2, BatchSize: 300}); err != nil {
		t.Fatal(err)
	}
	wantConstraints(t, g, all, "after the load")
	if diff := cmp.Diff(stagedDump(t, db), dump(t, g), cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("graph differs from the staged one (-staged +loaded):\n%s", diff)
	}

	// The build fails after the group (another writer added a learner with
	// a staged key): the load stops with ErrConstraint; once the extra
	// node is gone, the resume builds the constraints and writes nothing.
	clearGraph(t, g)
	if plan, err = Begin(ctx, g, db, ModeCreate, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := g.exec(ctx, "CREATE (:Learner {sandId: $k, extra: true})", map[string]any{"k": firstLearner(t, db).Key}); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(ctx, g, db, LoadOptions{Workers: 2, BatchSize: 300}); !errors.Is(err, ErrConstraint) {
		t.Fatalf("load with a duplicate learner: %v, want %v", err, ErrConstraint)
	}
	wantConstraints(t, g, without, "after the failed build")
	if _, err := g.exec(ctx, "MATCH (n:Learner {extra: true}) DELETE n", nil); err != nil {
		t.Fatal(err)
	}
	stats, err := Load(ctx, g, db, LoadOptions{Workers: 2, BatchSize: 300})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Nodes+stats.Relationships != 0 {
		t.Errorf("resume after the group wrote %d nodes and %d relationships, want none", stats.Nodes, stats.Relationships)
	}
	wantConstraints(t, g, all, "after the resume")
	if diff := cmp.Diff(stagedDump(t, db), dump(t, g), cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("graph after the resume differs from the staged one (-staged +loaded):\n%s", diff)
	}
}

// firstLearner returns the first staged learner of db.
func firstLearner(t *testing.T, db *bolt.DB) staging.Node {
	t.Helper()
	var nodes []staging.Node
	err := db.View(func(tx *bolt.Tx) error {
		var err error
		nodes, _, err = staging.ReadNodes(tx, staging.DefaultSchema(), "Learner", staging.Range{}, nil, 1)
		return err
	})
	if err != nil || len(nodes) != 1 {
		t.Fatalf("read the first learner: %d, %v", len(nodes), err)
	}
	return nodes[0]
}

// TestCreateLoadKeepsTheConstraintOfALabelWithNodes: a group label that
// already has a node in the target keeps its constraint, so a create mode
// load still fails at the batch that repeats one of its keys.
func TestCreateLoadKeepsTheConstraintOfALabelWithNodes(t *testing.T) {
	g := testGraph(t)
	ctx := context.Background()
	s := staging.DefaultSchema()
	clearGraph(t, g)
	if err := g.EnsureConstraints(ctx, s); err != nil {
		t.Fatal(err)
	}
	db := openState(t, stagedFile(t, crashRows, 1))
	if _, err := g.exec(ctx, "CREATE (:Learner {sandId: $k})", map[string]any{"k": firstLearner(t, db).Key}); err != nil {
		t.Fatal(err)
	}
	plan, err := Begin(ctx, g, db, ModeCreate, 2)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(groupLabels[1:], plan.Deferred); diff != "" {
		t.Fatalf("deferred labels (-want +got):\n%s", diff)
	}
	if _, err := Load(ctx, g, db, LoadOptions{Workers: 2, BatchSize: 300}); !errors.Is(err, ErrKeyExists) {
		t.Fatalf("load of a key the target holds: %v, want %v", err, ErrKeyExists)
	}
	names := constraintNames(s)
	wantConstraints(t, g, slices.DeleteFunc(names, func(n string) bool {
		return n == groupConstraint(s, "LearningState") || n == groupConstraint(s, "ProfessionalState")
	}), "after the failed load")
}

// constraintNames lists, sorted, the names of the constraints
// EnsureConstraints creates for schema s.
func constraintNames(s *staging.Schema) []string {
	out := []string{constraintName(watermarkLabel, "id")}
	for _, n := range s.Nodes() {
		out = append(out, constraintName(n.Label, n.KeyProps()...))
	}
	slices.Sort(out)
	return out
}

// groupConstraint is the name of the constraint on label's key.
func groupConstraint(s *staging.Schema, label string) string {
	n, _ := s.NodeSpecOf(label)
	return constraintName(label, n.KeyProps()...)
}

// wantConstraints fails unless the target's constraints are exactly want.
func wantConstraints(t *testing.T, g *Graph, want []string, when string) {
	t.Helper()
	recs, err := g.query(context.Background(), "SHOW CONSTRAINTS YIELD name RETURN name ORDER BY name", nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range recs {
		n, _ := r.Get("name")
		got = append(got, n.(string))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("constraints %s (-want +got):\n%s", when, diff)
	}
}
