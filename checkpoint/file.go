package checkpoint

import (
	"time"

	bolt "go.etcd.io/bbolt"
)

// DB is an open state file as the library packages that read and write
// its buckets take it (staging's read API, graphwrite, export, report):
// bbolt transactions. Both *bolt.DB and *State satisfy it.
type DB interface {
	View(fn func(*bolt.Tx) error) error
	Update(fn func(*bolt.Tx) error) error
}

// State is an open state file for the importer's commands: typed
// operations on its records, each in a transaction of its own, so that a
// command never holds a bbolt handle or transaction. Packages that take a
// DB (graphwrite.Load, export.Run, …) take a *State.
type State struct {
	db *bolt.DB
}

// OpenState opens an existing state file for writing, as Open.
func OpenState(path string) (*State, error) {
	return wrap(Open(path))
}

// OpenStateReadOnly opens an existing state file for reading, as
// OpenReadOnly.
func OpenStateReadOnly(path string) (*State, error) {
	return wrap(OpenReadOnly(path))
}

func wrap(db *bolt.DB, err error) (*State, error) {
	if err != nil {
		return nil, err
	}
	return &State{db: db}, nil
}

// Close closes the state file.
func (s *State) Close() error { return s.db.Close() }

// View runs fn in a read transaction, for the packages that take a DB.
func (s *State) View(fn func(*bolt.Tx) error) error { return s.db.View(fn) }

// Update runs fn in a write transaction, for the packages that take a DB.
func (s *State) Update(fn func(*bolt.Tx) error) error { return s.db.Update(fn) }

// Status reads the status report (ReadStatus).
func (s *State) Status() (st Status, err error) {
	err = s.db.View(func(tx *bolt.Tx) error {
		st, err = ReadStatus(tx)
		return err
	})
	return st, err
}

// LoadPlan reads the staging pass's mark and the load plan, if a load was
// planned.
func (s *State) LoadPlan() (stage StageMark, plan LoadPlan, ok bool, err error) {
	err = s.db.View(func(tx *bolt.Tx) error {
		if stage, err = ReadStageMark(tx); err != nil {
			return err
		}
		plan, ok, err = ReadLoadPlan(tx)
		return err
	})
	return stage, plan, ok, err
}

// ExportPlan reads the plan of the export, if one was started.
func (s *State) ExportPlan() (p ExportPlan, ok bool, err error) {
	err = s.db.View(func(tx *bolt.Tx) error {
		p, ok, err = ReadExportPlan(tx)
		return err
	})
	return p, ok, err
}

// OfflineRun reads the offline load in progress, if any.
func (s *State) OfflineRun() (r OfflineRun, ok bool, err error) {
	err = s.db.View(func(tx *bolt.Tx) error {
		r, ok, err = ReadOfflineRun(tx)
		return err
	})
	return r, ok, err
}

// RecordOfflineRun writes the offline load's record. Once the swap begins
// (r.Phase is OfflineSwapping), an earlier load recorded in the state file
// no longer describes the target, and is forgotten in the same
// transaction.
func (s *State) RecordOfflineRun(r OfflineRun) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		if r.Phase == OfflineSwapping {
			if err := ClearLoad(tx); err != nil {
				return err
			}
		}
		return WriteOfflineRun(tx, r)
	})
}

// FinishOfflineLoad records a finished offline load (RecordOfflineLoad)
// and returns the number of entities it loaded: every staged one.
func (s *State) FinishOfflineLoad(runID string, started time.Time) (entities int64, err error) {
	err = s.db.Update(func(tx *bolt.Tx) error {
		c, err := ReadCounts(tx)
		if err != nil {
			return err
		}
		for _, n := range c.Nodes {
			entities += n
		}
		for _, n := range c.Relationships {
			entities += n
		}
		return RecordOfflineLoad(tx, runID, started)
	})
	return entities, err
}
