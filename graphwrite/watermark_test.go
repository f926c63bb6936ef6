package graphwrite

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/staging"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	bolt "go.etcd.io/bbolt"
)

// firstBatch reads the first batch of the first partition of a begun load
// (the first node bucket, which needs no other bucket written first).
func firstBatch(t *testing.T, db *bolt.DB, plan checkpoint.LoadPlan, size int) (partition, batch) {
	t.Helper()
	parts, err := planPartitions(db, staging.DefaultSchema(), plan)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range parts {
		if p.b.kind == checkpoint.KindNodes && p.part == 0 {
			bt, err := p.b.read(db, p.r, nil, size, Mode(plan.Mode))
			if err != nil || bt.count != size {
				t.Fatalf("read first batch: %d entities, %v", bt.count, err)
			}
			return p, bt
		}
	}
	t.Fatal("no node partition")
	return partition{}, batch{}
}

// TestCommitWithoutMarkIsNotWrittenTwice commits a batch to Neo4j without
// updating the state file's load mark (a process killed between the two),
// then resumes: the batch must not be written again.
func TestCommitWithoutMarkIsNotWrittenTwice(t *testing.T) {
	g := testGraph(t)
	ctx := context.Background()
	want := referenceDump(t, g, crashRows, 1)
	clearGraph(t, g)
	db := openState(t, stagedFile(t, crashRows, 1))
	plan, err := Begin(ctx, g, db, ModeCreate, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := g.EnsureConstraints(ctx, staging.DefaultSchema()); err != nil {
		t.Fatal(err)
	}
	p, bt := firstBatch(t, db, plan, 25)
	s := g.session(ctx, neo4j.AccessModeWrite)
	defer s.Close(ctx)
	nop := func(error) {}
	out, err := commitBatch(ctx, s, plan.RunID, p, bt, nop)
	if err != nil || out.moved {
		t.Fatalf("first commit: %+v, %v", out, err)
	}
	// The same batch again, as the driver or the retry loop would send it
	// after a commit whose answer was lost: nothing is written.
	again, err := commitBatch(ctx, s, plan.RunID, p, bt, nop)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(outcome{wm: out.wm, moved: true}, again, cmp.AllowUnexported(outcome{}, watermark{})); diff != "" {
		t.Fatalf("second commit of the same batch (-want +got):\n%s", diff)
	}

	// The load mark still says nothing was written; resume.
	stats, err := Load(ctx, g, db, LoadOptions{Workers: 2, BatchSize: 30})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, dump(t, g), cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("graph after the resume differs from an uninterrupted load (-want +got):\n%s", diff)
	}
	var counts checkpoint.Counts
	db.View(func(tx *bolt.Tx) error { counts, err = checkpoint.ReadCounts(tx); return err })
	if got, want := stats.Nodes, total(checkpoint.Counts{Nodes: counts.Nodes})-int64(bt.count); got != want {
		t.Errorf("resume wrote %d nodes, want %d (all but the committed batch)", got, want)
	}
}

// TestStaleMarkInsideTheLoadIsSkipped makes a partition's load mark lag
// its watermark without a reconcile (the in-transaction check alone).
func TestStaleMarkInsideTheLoadIsSkipped(t *testing.T) {
	g := testGraph(t)
	ctx := context.Background()
	want := referenceDump(t, g, crashRows, 1)
	clearGraph(t, g)
	db := openState(t, stagedFile(t, crashRows, 1))
	plan, err := Begin(ctx, g, db, ModeMerge, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := g.EnsureConstraints(ctx, staging.DefaultSchema()); err != nil {
		t.Fatal(err)
	}
	p, bt := firstBatch(t, db, plan, 10)
	s := g.session(ctx, neo4j.AccessModeWrite)
	defer s.Close(ctx)
	if _, err := commitBatch(ctx, s, plan.RunID, p, bt, func(error) {}); err != nil {
		t.Fatal(err)
	}
	l := &loader{g: g, db: db, plan: plan, mode: ModeMerge, opt: LoadOptions{BatchSize: 7}.withDefaults(), st: newStats(ModeMerge)}
	l.prog = newProgress(nil, false, 0, 0)
	l.retry = newRetrier(0, l.prog.logf, l.st)
	l.marks = map[string]resumePoint{} // as if reconcile had not run
	if err := l.partition(ctx, s, p); err != nil {
		t.Fatal(err)
	}
	if got := l.st.snapshot().Skipped; got != 1 {
		t.Errorf("skipped %d batches, want 1", got)
	}
	if _, err := Load(ctx, g, db, LoadOptions{Workers: 2}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, dump(t, g), cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("graph differs from an uninterrupted load (-want +got):\n%s", diff)
	}
}

// TestGroupCommitWithoutMarkIsNotWrittenTwice is
// TestCommitWithoutMarkIsNotWrittenTwice for a batch of the learner group:
// learners, state nodes and relationships committed together, the load
// mark not updated; the resume must write none of them again.
func TestGroupCommitWithoutMarkIsNotWrittenTwice(t *testing.T) {
	g := testGraph(t)
	ctx := context.Background()
	clearGraph(t, g)
	db := openState(t, stagedFile(t, crashRows, 1))
	plan, err := Begin(ctx, g, db, ModeCreate, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !plan.Grouped {
		t.Fatal("a create mode plan is not grouped")
	}
	if err := g.EnsureConstraints(ctx, staging.DefaultSchema()); err != nil {
		t.Fatal(err)
	}
	s := g.session(ctx, neo4j.AccessModeWrite)
	defer s.Close(ctx)
	nop := func(error) {}
	group, before := commitBeforeGroup(t, s, db, plan) // before: entities committed before the resume
	bt, err := group.b.read(db, group.r, nil, 20, ModeCreate)
	if err != nil || bt.counts[0] != 20 || bt.count <= 20 {
		t.Fatalf("read first group batch: %d learners, %d entities, %v", bt.counts[0], bt.count, err)
	}
	out, err := commitBatch(ctx, s, plan.RunID, group, bt, nop)
	if err != nil || out.moved {
		t.Fatalf("first commit: %+v, %v", out, err)
	}
	before += int64(bt.count)
	again, err := commitBatch(ctx, s, plan.RunID, group, bt, nop)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(outcome{wm: out.wm, moved: true}, again, cmp.AllowUnexported(outcome{}, watermark{})); diff != "" {
		t.Fatalf("second commit of the same batch (-want +got):\n%s", diff)
	}
	stats, err := Load(ctx, g, db, LoadOptions{Workers: 2, BatchSize: 300})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(stagedDump(t, db), dump(t, g), cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("graph after the resume differs from the staged one (-staged +loaded):\n%s", diff)
	}
	var counts checkpoint.Counts
	db.View(func(tx *bolt.Tx) error { counts, err = checkpoint.ReadCounts(tx); return err })
	if got, want := stats.Nodes+stats.Relationships, total(counts)-before; got != want {
		t.Errorf("resume wrote %d entities, want %d (all but what was committed before)", got, want)
	}
}
