package checkpoint

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

const progressSuffix = ".progress"

// Snapshot is what a running process publishes next to the state file so
// that `importer status` can answer while the file is locked.
type Snapshot struct {
	PID     int       `json:"pid"`
	Command string    `json:"command"`
	Updated time.Time `json:"updated"`
	Status  Status    `json:"status"`
}

// WriteSnapshot replaces the snapshot of statePath atomically: it writes a
// temporary file in the same directory and renames it over the old one.
func WriteSnapshot(statePath string, s Snapshot) error {
	raw, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("write progress snapshot: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(statePath), filepath.Base(statePath)+".progress-*")
	if err != nil {
		return fmt.Errorf("write progress snapshot: %w", err)
	}
	_, werr := tmp.Write(raw)
	if werr == nil {
		werr = tmp.Chmod(0o644) // readable like the state file it describes
	}
	cerr := tmp.Close()
	if werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write progress snapshot: %w", firstErr(werr, cerr))
	}
	if err := os.Rename(tmp.Name(), statePath+progressSuffix); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write progress snapshot: %w", err)
	}
	return nil
}

// ReadSnapshot reads the snapshot of statePath.
func ReadSnapshot(statePath string) (Snapshot, error) {
	var s Snapshot
	raw, err := os.ReadFile(statePath + progressSuffix)
	if err != nil {
		return s, fmt.Errorf("read progress snapshot: %w", err)
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return s, fmt.Errorf("read progress snapshot: %w", err)
	}
	return s, nil
}

// LiveStatus returns the status published by a running process, marked as
// live. Use it when OpenReadOnly fails with ErrInUse.
func LiveStatus(statePath string) (Status, error) {
	snap, err := ReadSnapshot(statePath)
	if err != nil {
		return Status{}, err
	}
	s := snap.Status
	s.Live = &Live{PID: snap.PID, Command: snap.Command, Updated: snap.Updated.Format(time.RFC3339)}
	return s, nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
