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

	"github.com/learnergraph/importer/bench"
)

// TestStageSurvivesSIGKILL kills a real `importer stage` process with
// SIGKILL at random moments, runs `importer resume` after each kill (or
// `stage` again if the kill came before the state file existed), and
// compares the final state file with an uninterrupted run: every bucket,
// every reject, every counter.
func TestStageSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the importer and stages a generated file several times")
	}
	dir := t.TempDir()
	bin := buildImporter(t, dir)
	input := generateCSV(t, dir, 30000)
	want := dump(t, stageFileAt(t, input, filepath.Join(dir, "reference.db")))

	state := filepath.Join(dir, "crashed.db")
	rng := rand.New(rand.NewPCG(7, 11))
	const wantKills = 6
	kills := 0
	for round := 0; ; round++ {
		if round > 50 {
			t.Fatalf("staging did not finish after %d rounds", round)
		}
		args := []string{"resume", "--state", state, "--batch-rows", "300"}
		if _, err := os.Stat(state); errors.Is(err, os.ErrNotExist) {
			args = []string{"stage", "--input", input, "--state", state, "--batch-rows", "300"}
		}
		delay := time.Duration(100+rng.IntN(500)) * time.Millisecond
		if kills == wantKills {
			delay = time.Hour // enough: let it finish
		}
		finished, err := runUntil(bin, args, delay)
		if err != nil {
			t.Fatalf("importer %v: %v", args, err)
		}
		if finished {
			break
		}
		kills++
	}
	if kills < 3 {
		t.Fatalf("only %d kills landed before staging finished: the test proves little; stage a bigger file", kills)
	}
	t.Logf("%d SIGKILLs, then resumed to the end", kills)
	checkConsistency(t, state)
	if diff := cmp.Diff(want, dump(t, state), cmpOpts...); diff != "" {
		t.Fatalf("staged content after %d kills differs from an uninterrupted run (-want +got):\n%s", kills, diff)
	}
}

// runUntil runs the importer and SIGKILLs it after delay unless it exits
// first; finished reports a clean exit.
func runUntil(bin string, args []string, delay time.Duration) (finished bool, err error) {
	cmd := exec.Command(bin, args...)
	if err := cmd.Start(); err != nil {
		return false, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err == nil, err
	case <-time.After(delay):
		cmd.Process.Signal(syscall.SIGKILL)
		<-done
		return false, nil
	}
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
	_, err = bench.Generate(w, bench.GenOptions{Rows: rows, Seed: 3, BadRate: 0.02})
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
