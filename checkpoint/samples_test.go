package checkpoint

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"
)

// TestSamples checks that samples come back per pass in the order they were
// written, that a file without any reads as none, and that ClearLoad
// forgets the load's samples but not staging's.
func TestSamples(t *testing.T) {
	path := tempState(t)
	create(t, path)
	db := mustOpen(t, path, false)
	read := func(pass string) []Sample {
		t.Helper()
		var out []Sample
		if err := db.View(func(tx *bolt.Tx) (err error) { out, err = ReadSamples(tx, pass); return err }); err != nil {
			t.Fatal(err)
		}
		return out
	}
	if got := read(PassStage); got != nil {
		t.Fatalf("samples of a new file: %v, want none", got)
	}
	t0 := time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)
	stage := []Sample{{At: t0, Start: true, PID: 7}, {At: t0.Add(time.Second), PID: 7, Rows: 5000}, {At: t0.Add(2 * time.Second), PID: 7, Rows: 12}}
	load := []Sample{{At: t0.Add(time.Hour), Start: true, PID: 8}, {At: t0.Add(time.Hour + time.Second), PID: 8, Nodes: 3, Relationships: 4, Bucket: "learners", Retries: 1}}
	update(t, db, func(tx *bolt.Tx) error {
		for _, s := range stage {
			if err := AddSample(tx, PassStage, s); err != nil {
				return err
			}
		}
		for _, s := range load {
			if err := AddSample(tx, PassLoad, s); err != nil {
				return err
			}
		}
		return WriteCounts(tx, NewCounts(labels, types))
	})
	if diff := cmp.Diff(stage, read(PassStage)); diff != "" {
		t.Errorf("stage samples (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(load, read(PassLoad)); diff != "" {
		t.Errorf("load samples (-want +got):\n%s", diff)
	}
	update(t, db, ClearLoad)
	if got := read(PassLoad); got != nil {
		t.Errorf("load samples after ClearLoad: %v, want none", got)
	}
	if diff := cmp.Diff(stage, read(PassStage)); diff != "" {
		t.Errorf("stage samples after ClearLoad (-want +got):\n%s", diff)
	}
}
