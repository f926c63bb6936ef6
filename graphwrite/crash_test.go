package graphwrite

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// crashRows is the size of the crash tests' input: big enough for
// hundreds of small batches, small enough to load many times.
const crashRows = 1500

// importerBinary builds the importer once per test binary.
var importerBinary = struct {
	sync.Mutex
	path string
}{}

func buildImporter(t *testing.T) string {
	t.Helper()
	importerBinary.Lock()
	defer importerBinary.Unlock()
	if importerBinary.path == "" {
		path := filepath.Join(fixtureDir(t), "importer")
		out, err := exec.Command("go", "build", "-o", path, "..").CombinedOutput()
		if err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
		importerBinary.path = path
	}
	return importerBinary.path
}

// referenceDumps caches the dump of an uninterrupted load per fixture.
var referenceDumps = struct {
	sync.Mutex
	m map[string]graphDump
}{m: map[string]graphDump{}}

// referenceDump loads a fixture without interruption (create mode) into a
// cleared database and returns the dump.
func referenceDump(t *testing.T, g *Graph, rows int, seed int64) graphDump {
	t.Helper()
	referenceDumps.Lock()
	defer referenceDumps.Unlock()
	key := fmt.Sprintf("%d-%d", rows, seed)
	if d, ok := referenceDumps.m[key]; ok {
		return d
	}
	clearGraph(t, g)
	db := openState(t, stagedFile(t, rows, seed))
	loadAll(t, g, db, ModeCreate, LoadOptions{Workers: 1})
	d := dump(t, g)
	db.Close()
	referenceDumps.m[key] = d
	return d
}

// importerEnv is the environment of importer processes under test.
func importerEnv() []string {
	cfg := testConfig()
	return append(os.Environ(),
		"NEO4J_URI="+cfg.URI, "NEO4J_USERNAME="+cfg.Username, "NEO4J_PASSWORD="+cfg.Password, "NEO4J_DATABASE="+cfg.Database)
}

// killWhen starts the importer with args, polls reached until it reports
// true, then SIGKILLs the process. It reports whether the process was
// killed (false: it ended first, with err). The kill's moment comes from
// what the load has done, not from a clock, so a fast or a slow machine
// gets the same kills.
func killWhen(t *testing.T, bin string, reached func() bool, args ...string) (killed bool, err error) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = importerEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	for {
		select {
		case err := <-done:
			if err != nil {
				return false, fmt.Errorf("%v: %v\n%s", args, err, stderr.String())
			}
			return false, nil
		case <-time.After(5 * time.Millisecond): // polling interval, not a deadline
		}
		if reached() {
			break
		}
	}
	cmd.Process.Signal(syscall.SIGKILL)
	err = <-done
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.Sys().(syscall.WaitStatus).Signal() == syscall.SIGKILL {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("%v: %v\n%s", args, err, stderr.String())
	}
	return false, nil // it finished just before the signal
}

// entities counts the nodes (watermarks aside) and relationships in Neo4j,
// from the count store: cheap enough to poll.
func entities(t *testing.T, g *Graph) int64 {
	t.Helper()
	recs, err := g.query(context.Background(), "CALL { MATCH (n) RETURN count(n) AS n } "+
		"CALL { MATCH (w:"+quote(watermarkLabel)+") RETURN count(w) AS w } "+
		"CALL { MATCH ()-[r]->() RETURN count(r) AS r } RETURN n - w + r AS total", nil)
	if err != nil {
		t.Fatal(err)
	}
	total, _ := recs[0].Get("total")
	return total.(int64)
}

// runImporter runs the importer to its end and fails the test on an error.
func runImporter(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = importerEnv()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("importer %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// TestSIGKILLAtRandomMomentsLosesAndDoublesNothing kills real importer
// processes at random points of a load (each after the process committed
// at least one batch), resumes each time, and compares the final graph
// with an uninterrupted load's.
func TestSIGKILLAtRandomMomentsLosesAndDoublesNothing(t *testing.T) {
	g := testGraph(t)
	bin := buildImporter(t)
	want := referenceDump(t, g, crashRows, 1)
	for i, mode := range []string{"create", "merge"} {
		t.Run(mode, func(t *testing.T) {
			clearGraph(t, g)
			state := stagedFile(t, crashRows, 1)
			rng := rand.New(rand.NewPCG(42, uint64(i)))
			// Small batches make a load of about a thousand transactions.
			args := []string{"load", "--state", state, "--mode", mode, "--workers", "2", "--batch-size", "20"}
			kills := 0
			total := int64(len(want.Nodes) + len(want.Rels))
			for kills < 5 {
				// Kill once Neo4j holds a random share (5-50%) more of the
				// graph than when this process started: after its first
				// committed batch, and well before the end.
				before := entities(t, g)
				target := before + max(1, int64(float64(total-before)*(0.05+0.45*rng.Float64())))
				var seen int64
				killed, err := killWhen(t, bin, func() bool { seen = entities(t, g); return seen >= target }, args...)
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("%s: %s killed %v at %d of %d entities (started at %d, target %d)", mode, args[0], killed, seen, total, before, target)
				if !killed {
					break // the load finished before the kill
				}
				if seen <= before {
					t.Fatalf("a kill landed before the process committed anything (%d entities, %d at its start)", seen, before)
				}
				kills++
				args = []string{"resume", "--state", state, "--workers", fmt.Sprint(1 + rng.IntN(3)), "--batch-size", fmt.Sprint(10 + rng.IntN(30))}
			}
			if kills < 3 {
				t.Fatalf("only %d kills landed during the load", kills)
			}
			runImporter(t, bin, "resume", "--state", state)
			if diff := cmp.Diff(want, dump(t, g), cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("after %d kills and resumes, the graph differs from an uninterrupted load (-want +got):\n%s", kills, diff)
			}
			t.Logf("%s mode: %d kills", mode, kills)
			db := openState(t, state)
			diffs, err := Verify(context.Background(), g, db, VerifyOptions{Seed: 3})
			if err != nil || len(diffs) > 0 {
				t.Fatalf("verify: %v %v", err, diffs)
			}
		})
	}
}
