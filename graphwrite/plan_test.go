package graphwrite

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/staging"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// TestCreateQueriesHaveNoEager plans every create mode bucket statement
// with EXPLAIN against the test Neo4j and fails on an Eager operator: an
// Eager materializes every row of the batch before the writes that follow
// it, which cost the load (docs/performance.md, issue 9; `SET r = row.p`
// had one, and the learner group's statement had two per state label while
// its rows were maps). It prints the plan of the offending statement, with
// the planner's reason in the Eager's details.
func TestCreateQueriesHaveNoEager(t *testing.T) {
	g := testGraph(t)
	ctx := context.Background()
	if err := g.EnsureConstraints(ctx, staging.DefaultSchema()); err != nil {
		t.Fatal(err)
	}
	queries := map[string]string{}
	for _, b := range buckets(staging.DefaultSchema()) {
		if b.kind == checkpoint.KindNodes {
			queries[b.name()] = nodeQuery(b.node, ModeCreate)
		} else {
			queries[b.name()] = relCreateQuery(staging.DefaultSchema(), b.rel)
		}
	}
	group := learnerGroup(staging.DefaultSchema())
	queries["learner group, ends by key"] = groupQuery(group)
	byID, _ := withEndIDs(group)
	queries["learner group, ends by id"] = groupQuery(byID)
	s := g.session(ctx, neo4j.AccessModeRead)
	defer s.Close(ctx)
	for name, q := range queries {
		ops := explain(t, s, name, q)
		for _, op := range ops {
			if op.name == "Eager" {
				t.Errorf("%s: the plan has an Eager operator:\n%s", name, planText(ops))
				break
			}
		}
	}
}

// TestGroupEndsByIDAreIDSeeks plans the learner group's statement both
// ways and counts how its shared ends are found: with their node ids, one
// NodeByIdSeek per shared-end member and no index seek; with their keys,
// one unique index seek each. Given `b.key = x[2]` beside `id(b) = x[1]`
// the planner picks the (locking) index seek and only filters on the id,
// which made the ids of session 5 a no-op (docs/performance.md).
func TestGroupEndsByIDAreIDSeeks(t *testing.T) {
	g := testGraph(t)
	ctx := context.Background()
	if err := g.EnsureConstraints(ctx, staging.DefaultSchema()); err != nil {
		t.Fatal(err)
	}
	group := learnerGroup(staging.DefaultSchema())
	byKey := groupQuery(group)
	withIDs, shared := withEndIDs(group)
	byID := groupQuery(withIDs)
	s := g.session(ctx, neo4j.AccessModeRead)
	defer s.Close(ctx)
	for _, c := range []struct {
		name  string
		query string
		want  map[string]int
	}{
		{"ends by id", byID, map[string]int{"NodeByIdSeek": shared}},
		{"ends by key", byKey, map[string]int{"NodeUniqueIndexSeek(Locking)": shared}},
	} {
		ops := explain(t, s, c.name, c.query)
		got := map[string]int{}
		for _, op := range ops {
			if strings.Contains(op.name, "Seek") {
				got[op.name]++
			}
		}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("%s: seeks (-want +got):\n%s\n%s", c.name, diff, planText(ops))
		}
	}
}

// withEndIDs returns group with an (empty) id map for the end label of
// each relationship member that ends at a shared node, so that groupQuery
// finds those ends by node id, and the number of such members.
func withEndIDs(group bucket) (bucket, int) {
	group.ends = endIDs{}
	shared := 0
	for _, m := range group.members {
		if m.kind == checkpoint.KindRelationships && group.stateMember(m) < 0 {
			group.ends[m.rel.End] = nodeIDs{}
			shared++
		}
	}
	return group, shared
}

// explain plans query (named name in failures) with EXPLAIN in session s
// and returns the plan's operators.
func explain(t *testing.T, s neo4j.SessionWithContext, name, query string) []planOp {
	t.Helper()
	ctx := context.Background()
	res, err := s.Run(ctx, "EXPLAIN "+query, nil)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	sum, err := res.Consume(ctx)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return planOperators(sum.Plan())
}

// planOp is one operator of a plan, at its depth in the tree.
type planOp struct {
	depth   int
	name    string // without the "@neo4j" suffix
	details string
}

// planOperators lists the operators of a plan, depth first. It walks the
// driver's own plan value by reflection: neo4j-go-driver v5.28.4's
// Plan.Children() returns the last child once per child (a loop variable
// captured under Go 1.18 semantics), which hides the left side of every
// Apply. The fields read are exported ones of neo4j/db.Plan.
func planOperators(p neo4j.Plan) []planOp {
	v := reflect.ValueOf(p)
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		v = v.Elem()
	}
	if f := v.FieldByName("plan"); f.IsValid() { // the driver's wrapper
		v = f.Elem()
	}
	var out []planOp
	var walk func(v reflect.Value, depth int)
	walk = func(v reflect.Value, depth int) {
		op := planOp{depth: depth, name: strings.TrimSuffix(v.FieldByName("Operator").String(), "@neo4j")}
		args := v.FieldByName("Arguments")
		if d := args.MapIndex(reflect.ValueOf("Details")); d.IsValid() {
			op.details = fmt.Sprint(d)
		}
		out = append(out, op)
		children := v.FieldByName("Children")
		for i := 0; i < children.Len(); i++ {
			walk(children.Index(i), depth+1)
		}
	}
	walk(v, 0)
	return out
}

// planText prints ops as an indented tree.
func planText(ops []planOp) string {
	var b strings.Builder
	for _, op := range ops {
		fmt.Fprintf(&b, "%s%s %s\n", strings.Repeat("  ", op.depth), op.name, op.details)
	}
	return b.String()
}

// TestPlanOperatorsSeesBothSidesOfAnApply checks the tree walk on a plan
// whose Apply has two different children.
func TestPlanOperatorsSeesBothSidesOfAnApply(t *testing.T) {
	g := testGraph(t)
	ctx := context.Background()
	s := g.session(ctx, neo4j.AccessModeRead)
	defer s.Close(ctx)
	res, err := s.Run(ctx, "EXPLAIN UNWIND [1, 2] AS x CALL (x) { UNWIND [x, 3] AS y RETURN y } RETURN x, y", nil)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := res.Consume(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, op := range planOperators(sum.Plan()) {
		names = append(names, op.name)
	}
	sort.Strings(names)
	if n := strings.Count(strings.Join(names, ","), "Unwind"); n != 2 {
		t.Errorf("plan operators %v: want both Unwinds (the Apply's two sides), found %d", names, n)
	}
}
