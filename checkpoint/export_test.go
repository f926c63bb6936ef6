package checkpoint

import (
	"errors"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	bolt "go.etcd.io/bbolt"
)

// TestExportRecords walks an export's records through start, finished
// units, a reopen and ClearExport, and checks what status reports at each
// step.
func TestExportRecords(t *testing.T) {
	path := tempState(t)
	create(t, path)
	db := mustOpen(t, path, false)
	update(t, db, func(tx *bolt.Tx) error { return WriteCounts(tx, NewCounts(labels, types)) })

	if got := readStatus(t, db).Export; got != nil {
		t.Fatalf("status before an export: %+v, want none", got)
	}
	plan := ExportPlan{Dir: "/tmp/x", Gzip: true, ArrayDelimiter: "\x1f", Partitions: 4, Units: 3}
	units := []ExportUnit{
		{Kind: KindNodes, Name: "Learner", Part: 1, Entities: 7,
			Files: []ExportFile{{Header: "h.csv", Data: "d.csv", Rows: 7, Multiline: true}}},
		{Kind: KindRelationships, Name: "HAS_SKILL", Part: 0, Entities: 5,
			Files: []ExportFile{{Header: "a.csv", Data: "b.csv", Rows: 2}, {Header: "c.csv", Data: "e.csv", Rows: 3}}},
	}
	update(t, db, func(tx *bolt.Tx) error {
		if err := WriteExportPlan(tx, plan); err != nil {
			return err
		}
		for _, u := range units {
			if err := WriteExportUnit(tx, u); err != nil {
				return err
			}
		}
		return nil
	})
	want := &ExportStatus{Dir: "/tmp/x", Units: 3, UnitsDone: 2, Entities: 12}
	if diff := cmp.Diff(want, readStatus(t, db).Export); diff != "" {
		t.Errorf("export status (-want +got):\n%s", diff)
	}

	db.Close()
	db = mustOpen(t, path, false)
	var gotPlan ExportPlan
	var gotUnits map[string]ExportUnit
	err := db.View(func(tx *bolt.Tx) error {
		var ok bool
		var err error
		if gotPlan, ok, err = ReadExportPlan(tx); err != nil || !ok {
			return errors.Join(err, errors.New("no export plan"))
		}
		gotUnits, err = ReadExportUnits(tx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(plan, gotPlan); diff != "" {
		t.Errorf("plan after reopening (-want +got):\n%s", diff)
	}
	wantUnits := map[string]ExportUnit{"nodes/Learner/1": units[0], "relationships/HAS_SKILL/0": units[1]}
	if diff := cmp.Diff(wantUnits, gotUnits); diff != "" {
		t.Errorf("units after reopening (-want +got):\n%s", diff)
	}

	update(t, db, ClearExport)
	update(t, db, ClearExport) // twice is fine
	if got := readStatus(t, db).Export; got != nil {
		t.Errorf("status after ClearExport: %+v, want none", got)
	}
	err = db.View(func(tx *bolt.Tx) error {
		u, err := ReadExportUnits(tx)
		if len(u) != 0 {
			t.Errorf("units after ClearExport: %v", u)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestRecordOfflineLoad checks that an offline load reads as loaded, with
// every staged entity counted, like a finished online load.
func TestRecordOfflineLoad(t *testing.T) {
	path := tempState(t)
	create(t, path)
	db := mustOpen(t, path, false)
	counts := NewCounts(labels, types)
	counts.Rows = Rows{Read: 3, Staged: 3}
	counts.Nodes["Learner"], counts.Nodes["Country"] = 3, 2
	counts.Relationships["HAS_SKILL"], counts.Relationships["RESIDES_IN"] = 4, 3
	update(t, db, func(tx *bolt.Tx) error {
		if err := WriteCounts(tx, counts); err != nil {
			return err
		}
		if err := WriteStageMark(tx, StageMark{Done: true}); err != nil {
			return err
		}
		// an earlier, unfinished online load is replaced
		if err := WriteLoadPlan(tx, LoadPlan{Mode: "create", RunID: "old", Partitions: 2}); err != nil {
			return err
		}
		return WriteLoadMark(tx, LoadMark{Kind: KindNodes, Name: "Learner", Part: 1, Written: 1})
	})
	started := time.Date(2026, 11, 30, 1, 2, 3, 0, time.UTC)
	update(t, db, func(tx *bolt.Tx) error { return RecordOfflineLoad(tx, "run-1", started) })

	want := Status{Phase: PhaseLoaded, Mode: ModeOffline, Rows: counts.Rows, Nodes: counts.Nodes, Relationships: counts.Relationships,
		Loaded: Loaded{Nodes: counts.Nodes, Relationships: counts.Relationships}}
	if diff := cmp.Diff(want, readStatus(t, db)); diff != "" {
		t.Errorf("status after an offline load (-want +got):\n%s", diff)
	}
	var plan LoadPlan
	if err := db.View(func(tx *bolt.Tx) (err error) { plan, _, err = ReadLoadPlan(tx); return err }); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(LoadPlan{Mode: ModeOffline, RunID: "run-1", Partitions: 1, Done: true}, plan); diff != "" {
		t.Errorf("load plan (-want +got):\n%s", diff)
	}
	var samples []Sample
	if err := db.View(func(tx *bolt.Tx) (err error) { samples, err = ReadSamples(tx, PassLoad); return err }); err != nil {
		t.Fatal(err)
	}
	want2 := []Sample{{At: started, Start: true, PID: os.Getpid()},
		{PID: os.Getpid(), Bucket: ModeOffline, Nodes: 5, Relationships: 7}}
	if diff := cmp.Diff(want2, samples, cmpopts.IgnoreFields(Sample{}, "At")); diff != "" || !samples[0].At.Equal(started) {
		t.Errorf("offline load samples (-want +got):\n%s", diff)
	}
}

// TestReplace checks that Replace moves a pending state file and its
// snapshot over the old ones, and drops the old snapshot when the pending
// file has none.
func TestReplace(t *testing.T) {
	for _, withSnapshot := range []bool{true, false} {
		path := tempState(t)
		pending := PendingPath(path)
		if pending == path {
			t.Fatalf("PendingPath(%q) is the path itself", path)
		}
		for name, content := range map[string]string{path: "old", path + progressSuffix: "old snapshot", pending: "new"} {
			if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if withSnapshot {
			if err := os.WriteFile(pending+progressSuffix, []byte("new snapshot"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := Replace(pending, path); err != nil {
			t.Fatalf("Replace (snapshot %v): %v", withSnapshot, err)
		}
		got := map[string]string{}
		for _, name := range []string{path, path + progressSuffix, pending, pending + progressSuffix} {
			if b, err := os.ReadFile(name); err == nil {
				got[name] = string(b)
			}
		}
		want := map[string]string{path: "new"}
		if withSnapshot {
			want[path+progressSuffix] = "new snapshot"
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("files after Replace, snapshot %v (-want +got):\n%s", withSnapshot, diff)
		}
	}
	if err := Replace(tempState(t)+".none", tempState(t)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Replace of a missing file: %v, want ErrNotExist", err)
	}
}

// TestEntriesRecord checks that Open compares each bucket's entries with
// the writer's record of them: a page that lost entries without breaking
// the tree reads as damage, not as a smaller bucket.
func TestEntriesRecord(t *testing.T) {
	for _, recorded := range []int64{4, 5} {
		path := tempState(t)
		create(t, path)
		db := mustOpen(t, path, false)
		update(t, db, func(tx *bolt.Tx) error {
			b, err := tx.CreateBucket([]byte("rejects"))
			if err != nil {
				return err
			}
			for i := range 4 {
				if err := b.Put(encodeUint64(uint64(i)), []byte("x")); err != nil {
					return err
				}
			}
			return WriteEntries(tx, map[string]int64{"rejects": recorded})
		})
		db.Close()
		db, err := Open(path)
		if recorded == 4 {
			if err != nil {
				t.Errorf("Open with a true record: %v", err)
			} else {
				db.Close()
			}
			continue
		}
		if !errors.Is(err, ErrDamaged) {
			t.Errorf("Open with a record of %d entries for 4: %v, want ErrDamaged", recorded, err)
		}
		if db != nil {
			db.Close()
		}
	}
}
