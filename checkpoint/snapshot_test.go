package checkpoint

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestSnapshot(t *testing.T) {
	path := tempState(t)
	if _, err := ReadSnapshot(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ReadSnapshot before any: %v, want ErrNotExist", err)
	}
	updated := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	first := Snapshot{PID: 1, Command: "stage", Updated: updated, Status: Status{Phase: PhaseStaging, Rows: Rows{Read: 1, Staged: 1}}}
	second := Snapshot{PID: 2, Command: "load", Updated: updated.Add(time.Second), Status: Status{
		Phase: PhaseLoading, Nodes: map[string]int64{"Learner": 3},
		Loaded: Loaded{Nodes: map[string]int64{"Learner": 2}, Relationships: map[string]int64{}},
	}}
	for _, s := range []Snapshot{first, second} {
		if err := WriteSnapshot(path, s); err != nil {
			t.Fatal(err)
		}
		got, err := ReadSnapshot(path)
		if diff := cmp.Diff(s, got); diff != "" || err != nil {
			t.Errorf("snapshot read back: %v (-want +got):\n%s", err, diff)
		}
	}
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "import.db.progress" {
		t.Errorf("files next to the state file: %v, want only the snapshot", entries)
	}

	live, err := LiveStatus(path)
	want := second.Status
	want.Live = &Live{PID: 2, Command: "load", Updated: "2024-05-06T07:08:10Z"}
	if diff := cmp.Diff(want, live); diff != "" || err != nil {
		t.Errorf("LiveStatus: %v (-want +got):\n%s", err, diff)
	}

	if err := os.WriteFile(path+".progress", []byte(`{"pid":`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadSnapshot(path); err == nil {
		t.Error("ReadSnapshot of a torn file: no error")
	}
	if _, err := LiveStatus(path); err == nil {
		t.Error("LiveStatus of a torn file: no error")
	}
	if err := WriteSnapshot(filepath.Join(path, "no", "dir"), first); err == nil {
		t.Error("WriteSnapshot into a missing directory: no error")
	}
}

// TestSnapshotAtomic: a reader never sees a half-written snapshot while a
// writer replaces it again and again.
func TestSnapshotAtomic(t *testing.T) {
	path := tempState(t)
	big := Snapshot{Command: strings.Repeat("x", 16<<10), Status: Status{Phase: PhaseStaging}}
	if err := WriteSnapshot(path, big); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 1; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			big.PID = i
			if err := WriteSnapshot(path, big); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for range 200 {
		s, err := ReadSnapshot(path)
		if err != nil || len(s.Command) != 16<<10 {
			t.Errorf("read during a replace: %v (command of %d bytes)", err, len(s.Command))
			break
		}
	}
	close(stop)
	wg.Wait()
}
