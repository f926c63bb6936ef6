package checkpoint

import (
	"errors"
	"fmt"
	"os"

	berrors "go.etcd.io/bbolt/errors"
)

// PendingPath is where `importer stage --overwrite` builds the state file
// that replaces the one at path: the old file stays whole, and usable,
// until the new one is complete and Replace moves it into place. A crash
// or Ctrl-C leaves both; `importer resume` continues the pending one.
func PendingPath(path string) string { return path + ".pending" }

// CheckFree fails with ErrInUse while another process holds the state file
// at path. A file that is not a state file is free.
func CheckFree(path string) error {
	db, err := openBolt(path, false)
	if err != nil && !errors.Is(err, berrors.ErrInvalid) && !errors.Is(err, berrors.ErrVersionMismatch) {
		return err
	}
	if db != nil {
		db.Close()
	}
	return nil
}

// Replace moves the state file at from, and its progress snapshot, over
// the state file at to, in one rename each: at every instant path to holds
// a whole state file, the old one or the new one.
func Replace(from, to string) error {
	if err := os.Rename(from, to); err != nil {
		return fmt.Errorf("replace %s: %w", to, err)
	}
	err := os.Rename(from+progressSuffix, to+progressSuffix)
	if errors.Is(err, os.ErrNotExist) {
		err = os.Remove(to + progressSuffix) // the old file's snapshot would mislead
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("replace %s: progress snapshot: %w", to, err)
	}
	return nil
}
