package graphwrite

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/learnergraph/importer/checkpoint"
	bolt "go.etcd.io/bbolt"
)

func TestProgressLine(t *testing.T) {
	var out bytes.Buffer
	p := newProgress(&out, true, 1000, 100)
	p.start = time.Now().Add(-10 * time.Second)
	p.setBucket("HAS_SKILL")
	p.add(400)
	got := p.line(p.start.Add(10 * time.Second))
	want := "HAS_SKILL               50.0%  500/1000 entities  40/s  ETA 13s"
	if got != want {
		t.Errorf("line = %q, want %q", got, want)
	}
	p.r.Print() // what each tick does
	p.logf("retrying %d", 1)
	p.finish()
	if s := out.String(); !strings.HasPrefix(s, "\r\033[KHAS_SKILL") || !strings.Contains(s, "\r\033[Kload: retrying 1\n") {
		t.Errorf("live output = %q", s)
	}
}

// syncBuffer is a bytes.Buffer safe for the load's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestInterruptedLoadStopsCleanlyAndResumes cancels a load as SIGINT
// would: it must stop after the batches in flight with ctx.Err(), leave
// marks and a snapshot that agree with Neo4j, and a resume must finish the
// graph of an uninterrupted load.
func TestInterruptedLoadStopsCleanlyAndResumes(t *testing.T) {
	g := testGraph(t)
	want := referenceDump(t, g, crashRows, 1)
	clearGraph(t, g)
	state := stagedFile(t, crashRows, 1)
	db := openState(t, state)
	begun, err := Begin(context.Background(), g, db, ModeCreate, 2)
	if err != nil {
		t.Fatal(err)
	}
	// Interrupt once Neo4j holds a committed batch: a condition, not a
	// clock, so neither a slow nor a fast machine changes what is tested.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go cancelOnceWritten(ctx, t, g, begun.RunID, cancel)
	var out syncBuffer
	opt := LoadOptions{StatePath: state, Workers: 2, BatchSize: 30, Progress: &out}
	_, err = Load(ctx, g, db, opt)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted Load = %v, want the context's error", err)
	}

	// The state file's marks are exactly Neo4j's watermarks.
	var plan checkpoint.LoadPlan
	var marks []checkpoint.LoadMark
	db.View(func(tx *bolt.Tx) error {
		plan, _, _ = checkpoint.ReadLoadPlan(tx)
		marks, err = checkpoint.ReadLoadMarks(tx)
		return err
	})
	wms, err := g.readWatermarks(context.Background(), plan.RunID)
	if err != nil {
		t.Fatal(err)
	}
	var written int64
	for _, m := range marks {
		wm := wms[plan.RunID+"/"+m.Kind+"/"+m.Name+"/"+itoa(m.Part)]
		if diff := cmp.Diff(wm, watermark{after: m.After, written: m.Written}, cmp.AllowUnexported(watermark{}), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("mark %s/%d differs from Neo4j's watermark (-neo4j +mark):\n%s", m.Name, m.Part, diff)
		}
		written += m.Written
	}
	snap, err := checkpoint.ReadSnapshot(state)
	if err != nil {
		t.Fatal(err)
	}
	var snapWritten int64
	for _, n := range snap.Status.Loaded.Nodes {
		snapWritten += n
	}
	for _, n := range snap.Status.Loaded.Relationships {
		snapWritten += n
	}
	if written == 0 || snapWritten != written || snap.Status.Phase != checkpoint.PhaseLoading {
		t.Errorf("after the interrupt: marks say %d written, snapshot %d in phase %s", written, snapWritten, snap.Status.Phase)
	}
	if _, err := time.ParseDuration(snap.Status.ETA); err != nil {
		t.Errorf("a loading snapshot's ETA %q is not a duration: %v", snap.Status.ETA, err)
	}

	if _, err := Load(context.Background(), g, db, opt); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, dump(t, g), cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("graph after interrupt and resume differs (-want +got):\n%s", diff)
	}
	snap, err = checkpoint.ReadSnapshot(state)
	if err != nil || snap.Status.Phase != checkpoint.PhaseLoaded || snap.Command != "load" || snap.Status.ETA != "" {
		t.Errorf("final snapshot: %+v, %v", snap, err)
	}
	if diff := cmp.Diff(snap.Status.Nodes, snap.Status.Loaded.Nodes); diff != "" {
		t.Errorf("snapshot: loaded nodes differ from staged (-staged +loaded):\n%s", diff)
	}
	if diff := cmp.Diff(snap.Status.Relationships, snap.Status.Loaded.Relationships); diff != "" {
		t.Errorf("snapshot: loaded relationships differ from staged (-staged +loaded):\n%s", diff)
	}
	if wms, _ := g.readWatermarks(context.Background(), plan.RunID); len(wms) != 0 {
		t.Errorf("a finished load left %d watermarks", len(wms))
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// cancelOnceWritten calls cancel as soon as a watermark of run in Neo4j
// counts a written entity, i.e. once the load has committed a batch.
func cancelOnceWritten(ctx context.Context, t *testing.T, g *Graph, run string, cancel func()) {
	for ctx.Err() == nil {
		wms, err := g.readWatermarks(context.Background(), run)
		if err != nil {
			t.Errorf("read watermarks: %v", err)
			cancel()
			return
		}
		for _, wm := range wms {
			if wm.written > 0 {
				cancel()
				return
			}
		}
		time.Sleep(5 * time.Millisecond) // polling interval, not a deadline
	}
}
