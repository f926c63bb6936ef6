package main

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/samplegen"
)

// TestStagePrefixReplacesAStaleState: the baseline's slice is staged from
// scratch even where an earlier run left a state file (here one that is
// not a state file at all, as a file of an older format is to this
// release) and an interrupted replacement of it: the state read afterwards
// holds exactly the slice. Before, the stale file was the one opened
// ("unsupported format version" at 1.7M rows).
func TestStagePrefixReplacesAStaleState(t *testing.T) {
	dir := t.TempDir()
	input := filepath.Join(dir, "learners.csv")
	f, err := os.Create(input)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	if _, err := samplegen.Generate(w, samplegen.GenOptions{Rows: 300, Seed: 2}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	state := filepath.Join(dir, "baseline.db")
	for _, p := range []string{state, checkpoint.PendingPath(state)} {
		if err := os.WriteFile(p, []byte("an earlier run's file"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	rows, _, err := stagePrefix(context.Background(), input, state, 100)
	if err != nil {
		t.Fatalf("stagePrefix over a stale state: %v", err)
	}
	db, err := checkpoint.OpenReadOnly(state)
	if err != nil {
		t.Fatalf("open the slice's state: %v", err)
	}
	defer db.Close()
	var counts checkpoint.Counts
	if err := db.View(func(tx *bolt.Tx) error {
		counts, err = checkpoint.ReadCounts(tx)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if got := counts.Rows; got.Read != 100 || got.Staged+got.Rejected != 100 || rows != 100 {
		t.Errorf("slice: %d rows read, counts %+v; want the first 100 rows", rows, got)
	}
}
