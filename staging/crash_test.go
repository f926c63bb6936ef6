package staging

import (
	"bufio"
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/samplegen"
)

// TestStageSurvivesSIGKILL kills a real `importer stage` process with
// SIGKILL at random points after its first committed batch, runs
// `importer resume` after each kill, and
// compares the final state file with an uninterrupted run: every bucket,
// every reject, every counter.
func TestStageSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the importer and stages a generated file several times")
	}
	dir := t.TempDir()
	bin := buildImporter(t, dir)
	const rows = 30000
	input := generateCSV(t, dir, rows)
	want := dump(t, stageFileAt(t, input, filepath.Join(dir, "reference.db")))

	state := filepath.Join(dir, "crashed.db")
	stage := []string{"stage", "--input", input, "--state", state, "--batch-rows", "300"}
	kills := killAndResume(t, bin, stage, state, rows, "300")
	checkConsistency(t, state)
	if diff := cmp.Diff(want, dump(t, state), cmpOpts...); diff != "" {
		t.Fatalf("staged content after %d kills differs from an uninterrupted run (-want +got):\n%s", kills, diff)
	}
}

// TestStageSeveralFilesSurvivesSIGKILL is TestStageSurvivesSIGKILL for a
// mapping that reads four files: the kills land in any file, and resume
// continues in the file it stopped in.
func TestStageSeveralFilesSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the importer and stages generated files several times")
	}
	dir := t.TempDir()
	bin := buildImporter(t, dir)
	paths, counts := genFiles(t, dir, 6000, 17)
	rows := int64(0)
	for _, n := range counts {
		rows += int64(n)
	}
	mapping := filepath.Join(dir, "files.yaml")
	if err := os.WriteFile(mapping, []byte(filesYAML), 0o644); err != nil {
		t.Fatal(err)
	}
	ref := filepath.Join(dir, "reference.db")
	if _, err := StageFiles(context.Background(), paths, ref, Options{Mapping: filesPlan(t), BatchRows: 700}); err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(dir, "crashed.db")
	stage := []string{"stage", "--mapping", mapping, "--state", state, "--batch-rows", "60"}
	for i, name := range []string{"airlines", "airports", "flights", "routes"} {
		stage = append(stage, "--input", name+"="+paths[i])
	}
	kills := killAndResume(t, bin, stage, state, rows, "60")
	checkConsistency(t, state)
	if diff := cmp.Diff(flat(t, ref), flat(t, state)); diff != "" {
		t.Fatalf("staged content after %d kills differs from an uninterrupted run (-want +got):\n%s", kills, diff)
	}
}

// killAndResume runs stage (its arguments), SIGKILLs it at random points
// after its first committed batch, runs `importer resume` after each
// kill, and lets the last run finish. rows is the input's rows in all.
func killAndResume(t *testing.T, bin string, stage []string, state string, rows int64, batchRows string) int {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 11))
	const wantKills = 6
	kills := 0
	for {
		args := []string{"resume", "--state", state, "--batch-rows", batchRows}
		if _, err := os.Stat(state); errors.Is(err, os.ErrNotExist) {
			args = stage
		}
		// Kill once the progress snapshot shows a random share (5-50%) of
		// the remaining rows more than when this process started: after
		// its first committed batch, well before the end, whatever the
		// machine's speed. The last run goes to the end.
		before := rowsRead(state)
		target := before + max(1, int64(float64(rows-before)*(0.05+0.45*rng.Float64())))
		var seen int64
		reached := func() bool { seen = rowsRead(state); return seen >= target }
		if kills == wantKills {
			reached = func() bool { return false }
		}
		finished, err := runUntil(bin, args, reached)
		if err != nil {
			t.Fatalf("importer %v: %v", args, err)
		}
		if finished {
			break
		}
		if seen <= before {
			t.Fatalf("a kill landed before the process committed a batch (%d rows read, %d at its start)", seen, before)
		}
		t.Logf("%s killed at %d rows read (started at %d, target %d)", args[0], seen, before, target)
		kills++
	}
	if kills < wantKills {
		t.Fatalf("only %d of %d kills landed before staging finished", kills, wantKills)
	}
	t.Logf("%d SIGKILLs, then resumed to the end", kills)
	return kills
}

// runUntil runs the importer and SIGKILLs it once reached reports true
// (polled every few milliseconds), unless it exits first; finished
// reports a clean exit.
func runUntil(bin string, args []string, reached func() bool) (finished bool, err error) {
	cmd := exec.Command(bin, args...)
	if err := cmd.Start(); err != nil {
		return false, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	for {
		select {
		case err := <-done:
			return err == nil, err
		case <-time.After(5 * time.Millisecond): // polling interval, not a deadline
		}
		if reached() {
			cmd.Process.Signal(syscall.SIGKILL)
			if err := <-done; err == nil {
				return true, nil // it finished just before the signal
			}
			return false, nil
		}
	}
}

// rowsRead is the rows read according to state's progress snapshot, which
// staging writes after every committed batch; 0 before the first.
func rowsRead(state string) int64 {
	snap, err := checkpoint.ReadSnapshot(state)
	if err != nil {
		return 0
	}
	return snap.Status.Rows.Read
}

// buildImporter builds the importer binary into dir.
func buildImporter(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "importer")
	out, err := exec.Command("go", "build", "-o", bin, "..").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// generateCSV writes a generated learner file of rows rows with every kind
// of bad row.
func generateCSV(t *testing.T, dir string, rows int) string {
	t.Helper()
	path := filepath.Join(dir, "learners.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	_, err = samplegen.Generate(w, samplegen.GenOptions{Rows: rows, Seed: 3, BadRate: 0.02})
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	return path
}

// stageFileAt stages input into state without interruption.
func stageFileAt(t *testing.T, input, state string) string {
	t.Helper()
	if _, err := Stage(context.Background(), input, state, Options{BatchRows: 700}); err != nil {
		t.Fatalf("Stage: %v", err)
	}
	return state
}
