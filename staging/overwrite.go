package staging

import (
	"errors"
	"fmt"
	"os"

	"github.com/learnergraph/importer/checkpoint"
)

// ErrPending is returned by Stage without Overwrite when an interrupted
// `stage --overwrite` of the same state file is waiting to be resumed.
var ErrPending = errors.New("a replacement of this state file is half staged")

// stagingPath is where Stage builds the state file meant for target: with
// overwrite and an existing target, next to it (checkpoint.PendingPath),
// so the old file stays whole until the new one is complete; otherwise
// target itself.
func stagingPath(target string, overwrite bool) (string, error) {
	if !overwrite {
		if HasPending(target) {
			return "", fmt.Errorf("stage %s: %w (%s): continue it with `importer resume --state %s`, or start over with --overwrite",
				target, ErrPending, checkpoint.PendingPath(target), target)
		}
		return target, nil
	}
	if _, err := os.Lstat(target); err != nil {
		if HasPending(target) {
			return checkpoint.PendingPath(target), nil // start the replacement over
		}
		return target, nil // nothing to keep
	}
	if err := checkpoint.CheckFree(target); err != nil {
		return "", err
	}
	return checkpoint.PendingPath(target), nil
}

// HasPending reports whether an interrupted `stage --overwrite` left a
// replacement of the state file at target to resume.
func HasPending(target string) bool {
	_, err := os.Lstat(checkpoint.PendingPath(target))
	return err == nil
}

// finish moves a completed replacement (state) over target; err is the
// staging run's, and nothing moves unless it is nil.
func finish(err error, state, target string) error {
	if err != nil || state == target {
		return err
	}
	return checkpoint.Replace(state, target)
}
