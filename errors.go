package main

import (
	"errors"
	"fmt"

	"github.com/learnergraph/importer/checkpoint"
)

// The errors the commands share, worded here once. A command returns its
// errors without its own name: execute (cli.go) prefixes "<command>: " to
// every error a subcommand returns, and main.go alone turns errors into
// exit statuses.

// usageError marks an error as the user's to fix (exit status 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// mismatchError marks differences found by verify (exit status 3).
type mismatchError struct{ err error }

func (e mismatchError) Error() string { return e.err.Error() }
func (e mismatchError) Unwrap() error { return e.err }

var (
	// errNoCommand is returned for `importer` without arguments, after the
	// usage went to stderr.
	errNoCommand = errors.New("no command given (see the list above)")

	// errOutExists refuses to replace an existing gen --out file.
	errOutExists = errors.New("file exists (pass --overwrite to replace it)")

	// errTargetNotEmpty is returned when the offline load's target holds data.
	errTargetNotEmpty = errors.New("target database is not empty")
)

// openState opens the state file for a command that writes to it. Not
// being able to is the user's to fix (exit status 2): the file is missing,
// in use, of another version or unreadable (checkpoint's sentinel errors
// carry the hint); a damaged file keeps its own status (4).
func openState(path string) (*checkpoint.State, error) {
	return readable(checkpoint.OpenState(path))
}

// openStateReadOnly opens the state file for a command that only reads
// it, with openState's errors.
func openStateReadOnly(path string) (*checkpoint.State, error) {
	return readable(checkpoint.OpenStateReadOnly(path))
}

// readable also reads the status records of the state file just opened
// (what `importer status` reads: counts, marks, plan, input, mapping), so
// every command names damage in them before it connects to Neo4j or
// changes anything, not after — or never, if it stops before it needs them.
func readable(st *checkpoint.State, err error) (*checkpoint.State, error) {
	if err != nil {
		return nil, usageError{err}
	}
	if _, err := st.Status(); err != nil {
		st.Close()
		return nil, usageError{err}
	}
	return st, nil
}

// notStaged is the error for a state file whose staging pass has not
// finished (err says so), with the command that finishes it.
func notStaged(state string, err error) error {
	return usageError{fmt.Errorf("%s: %w; finish it with: importer resume --state %s", state, err, state)}
}
