package checkpoint

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"
)

// TestStateOperations checks State's typed operations against the records
// the tx-level functions write and read.
func TestStateOperations(t *testing.T) {
	path := tempState(t)
	create(t, path)
	st, err := OpenState(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	counts := NewCounts(labels, types)
	counts.Rows = Rows{Read: 3, Staged: 3}
	counts.Nodes["Learner"], counts.Nodes["Country"] = 3, 2
	counts.Relationships["HAS_SKILL"], counts.Relationships["RESIDES_IN"] = 4, 3
	online := LoadPlan{Mode: "create", RunID: "old", Partitions: 4}
	err = st.Update(func(tx *bolt.Tx) error {
		if err := WriteCounts(tx, counts); err != nil {
			return err
		}
		if err := WriteStageMark(tx, StageMark{Done: true, Offset: 10, Line: 4}); err != nil {
			return err
		}
		if err := WriteLoadPlan(tx, online); err != nil {
			return err
		}
		return WriteExportPlan(tx, ExportPlan{Dir: "out", ArrayDelimiter: ";"})
	})
	if err != nil {
		t.Fatal(err)
	}

	type plans struct {
		Stage   StageMark
		Load    LoadPlan
		Planned bool
		Export  ExportPlan
		Offline OfflineRun
		Running bool
	}
	read := func() plans {
		t.Helper()
		var p plans
		var err1, err2, err3 error
		p.Stage, p.Load, p.Planned, err1 = st.LoadPlan()
		p.Export, _, err2 = st.ExportPlan()
		p.Offline, p.Running, err3 = st.OfflineRun()
		if err := errors.Join(err1, err2, err3); err != nil {
			t.Fatal(err)
		}
		return p
	}
	stage := StageMark{Done: true, Offset: 10, Line: 4}
	export := ExportPlan{Dir: "out", ArrayDelimiter: ";"}
	if diff := cmp.Diff(plans{Stage: stage, Load: online, Planned: true, Export: export}, read()); diff != "" {
		t.Errorf("before the offline load (-want +got):\n%s", diff)
	}

	// Up to the swap, the online load stays; from it on, it is forgotten.
	started := time.Date(2026, 11, 30, 1, 2, 3, 0, time.UTC)
	run := OfflineRun{Phase: OfflineExported, Home: "/neo4j", Database: "neo4j", Started: started}
	if err := st.RecordOfflineRun(run); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(plans{Stage: stage, Load: online, Planned: true, Export: export, Offline: run, Running: true}, read()); diff != "" {
		t.Errorf("after %s (-want +got):\n%s", run.Phase, diff)
	}
	run.Phase = OfflineSwapping
	if err := st.RecordOfflineRun(run); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(plans{Stage: stage, Export: export, Offline: run, Running: true}, read()); diff != "" {
		t.Errorf("after %s (-want +got):\n%s", run.Phase, diff)
	}

	entities, err := st.FinishOfflineLoad("run-1", started)
	if err != nil {
		t.Fatal(err)
	}
	if entities != 12 {
		t.Errorf("FinishOfflineLoad: %d entities, want 12", entities)
	}
	status, err := st.Status()
	if err != nil {
		t.Fatal(err)
	}
	want := Status{Phase: PhaseLoaded, Mode: ModeOffline, Rows: counts.Rows, Nodes: counts.Nodes, Relationships: counts.Relationships,
		Loaded: Loaded{Nodes: counts.Nodes, Relationships: counts.Relationships}, Export: status.Export}
	if diff := cmp.Diff(want, status); diff != "" {
		t.Errorf("status after the offline load (-want +got):\n%s", diff)
	}
	done := LoadPlan{Mode: ModeOffline, RunID: "run-1", Partitions: 1, Done: true}
	if diff := cmp.Diff(plans{Stage: stage, Load: done, Planned: true, Export: export}, read()); diff != "" {
		t.Errorf("after the offline load (-want +got):\n%s", diff)
	}
}

// TestOpenStateErrors checks that OpenState and OpenStateReadOnly fail as
// Open does, and that a read-only State refuses writes.
func TestOpenStateErrors(t *testing.T) {
	path := tempState(t)
	if _, err := OpenState(path); !errors.Is(err, ErrNotFound) {
		t.Errorf("OpenState of a missing file: %v, want ErrNotFound", err)
	}
	if _, err := OpenStateReadOnly(path); !errors.Is(err, ErrNotFound) {
		t.Errorf("OpenStateReadOnly of a missing file: %v, want ErrNotFound", err)
	}
	create(t, path)
	st, err := OpenStateReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.RecordOfflineRun(OfflineRun{Phase: OfflineChecked}); err == nil {
		t.Error("RecordOfflineRun on a read-only State: no error")
	}
}
