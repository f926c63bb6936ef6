package checkpoint

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	bolt "go.etcd.io/bbolt"
)

var (
	labels = []string{"Learner", "Country"}
	types  = []string{"HAS_SKILL", "RESIDES_IN"}
)

func readStatus(t *testing.T, db *bolt.DB) Status {
	t.Helper()
	var s Status
	if err := db.View(func(tx *bolt.Tx) (err error) { s, err = ReadStatus(tx); return err }); err != nil {
		t.Fatalf("ReadStatus: %v", err)
	}
	return s
}

func update(t *testing.T, db *bolt.DB, fn func(tx *bolt.Tx) error) {
	t.Helper()
	if err := db.Update(fn); err != nil {
		t.Fatal(err)
	}
}

// TestStatus walks a state file through the phases and checks the whole
// report at each step.
func TestStatus(t *testing.T) {
	path := tempState(t)
	db, err := Create(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	counts := NewCounts(labels, types)
	counts.Rows = Rows{Read: 10, Staged: 8, Rejected: 2, Duplicates: 1}
	counts.Nodes["Learner"] = 7
	counts.Relationships["HAS_SKILL"] = 9
	update(t, db, func(tx *bolt.Tx) error {
		if err := WriteInput(tx, Input{Path: "/data/learners.csv"}); err != nil {
			return err
		}
		if err := WriteMapping(tx, Mapping{Name: "m.yaml", SHA256: "abc", Text: "version: 1\n"}); err != nil {
			return err
		}
		if err := WriteStageMark(tx, StageMark{Offset: 100, Line: 5}); err != nil {
			return err
		}
		return WriteCounts(tx, counts)
	})
	zero := Loaded{Nodes: map[string]int64{"Learner": 0, "Country": 0}, Relationships: map[string]int64{"HAS_SKILL": 0, "RESIDES_IN": 0}}
	want := Status{Phase: PhaseStaging, Rows: counts.Rows, Nodes: counts.Nodes, Relationships: counts.Relationships, Loaded: zero, Input: "/data/learners.csv",
		Mapping: &MappingStatus{Name: "m.yaml", SHA256: "abc"}}
	if diff := cmp.Diff(want, readStatus(t, db)); diff != "" {
		t.Errorf("staging (-want +got):\n%s", diff)
	}

	update(t, db, func(tx *bolt.Tx) error {
		return WriteStageMark(tx, StageMark{Offset: 200, Line: 9, NextOrdinal: 7, Done: true})
	})
	want.Phase = PhaseStaged
	if diff := cmp.Diff(want, readStatus(t, db)); diff != "" {
		t.Errorf("staged (-want +got):\n%s", diff)
	}

	update(t, db, func(tx *bolt.Tx) error {
		if err := WriteLoadPlan(tx, LoadPlan{Mode: "merge", RunID: "r1", Partitions: 2}); err != nil {
			return err
		}
		for _, m := range []LoadMark{
			{Kind: KindNodes, Name: "Learner", Part: 0, After: []byte{0, 1}, Written: 3},
			{Kind: KindNodes, Name: "Learner", Part: 1, Written: 4, Done: true},
			{Kind: KindRelationships, Name: "HAS_SKILL", Part: 0, Written: 5},
			{Kind: KindNodes, Name: "Learner", Part: 0, After: []byte{0, 2}, Written: 2}, // replaces part 0
		} {
			if err := WriteLoadMark(tx, m); err != nil {
				return err
			}
		}
		return nil
	})
	want.Phase, want.Mode = PhaseLoading, "merge"
	want.Loaded = Loaded{Nodes: map[string]int64{"Learner": 6, "Country": 0}, Relationships: map[string]int64{"HAS_SKILL": 5, "RESIDES_IN": 0}}
	if diff := cmp.Diff(want, readStatus(t, db)); diff != "" {
		t.Errorf("loading (-want +got):\n%s", diff)
	}

	update(t, db, func(tx *bolt.Tx) error {
		return WriteLoadPlan(tx, LoadPlan{Mode: "merge", RunID: "r1", Partitions: 2, Done: true})
	})
	want.Phase = PhaseLoaded
	if diff := cmp.Diff(want, readStatus(t, db)); diff != "" {
		t.Errorf("loaded (-want +got):\n%s", diff)
	}

	update(t, db, ClearLoad)
	want.Phase, want.Mode, want.Loaded = PhaseStaged, "", zero
	if diff := cmp.Diff(want, readStatus(t, db)); diff != "" {
		t.Errorf("after ClearLoad (-want +got):\n%s", diff)
	}
	update(t, db, ClearLoad) // twice is fine
}

func TestLoadMarks(t *testing.T) {
	db, err := Create(tempState(t), false)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	update(t, db, func(tx *bolt.Tx) error {
		if marks, err := ReadLoadMarks(tx); err != nil || marks != nil {
			t.Errorf("marks before any load: %+v, %v", marks, err)
		}
		marks := []LoadMark{
			{Kind: KindNodes, Name: "Country", Part: 0, Written: 1, Done: true},
			{Kind: KindNodes, Name: "Learner", Part: 1, After: []byte{0xff, 0}, Written: 2},
			{Kind: KindRelationships, Name: "HAS_SKILL", Part: 0},
		}
		for i := len(marks) - 1; i >= 0; i-- {
			if err := WriteLoadMark(tx, marks[i]); err != nil {
				return err
			}
		}
		got, err := ReadLoadMarks(tx)
		if diff := cmp.Diff(marks, got, cmpopts.EquateEmpty()); diff != "" || err != nil {
			t.Errorf("marks in key order: %v (-want +got):\n%s", err, diff)
		}
		return tx.Bucket(loadMarksBucket).Put([]byte("nodes/Bad/0"), []byte("{"))
	})
	err = db.View(func(tx *bolt.Tx) error {
		_, err := ReadLoadMarks(tx)
		return err
	})
	if err == nil {
		t.Error("ReadLoadMarks with a corrupt mark: no error")
	}
	if _, err := readStatusOf(db); err == nil {
		t.Error("ReadStatus with a corrupt mark: no error")
	}
}

// readStatusOf is ReadStatus in its own read transaction.
func readStatusOf(db *bolt.DB) (s Status, err error) {
	err = db.View(func(tx *bolt.Tx) error { s, err = ReadStatus(tx); return err })
	return s, err
}

// TestMetaCorrupt: a record that does not decode is an error of every
// reader, and a file without the meta bucket reads as another version.
func TestMetaCorrupt(t *testing.T) {
	for _, key := range [][]byte{keyCounts, keyStage, keyLoad, keyInput} {
		db, err := Create(tempState(t), false)
		if err != nil {
			t.Fatal(err)
		}
		update(t, db, func(tx *bolt.Tx) error { return tx.Bucket(metaBucket).Put(key, []byte("[")) })
		if _, err := readStatusOf(db); err == nil {
			t.Errorf("ReadStatus with a corrupt %s record: no error", key)
		}
		db.Close()
	}
	db, err := Create(tempState(t), false)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	update(t, db, func(tx *bolt.Tx) error { return tx.DeleteBucket(metaBucket) })
	if _, err := readStatusOf(db); !errors.Is(err, ErrVersion) {
		t.Errorf("ReadStatus without a meta bucket: %v, want ErrVersion", err)
	}
}

func TestCounts(t *testing.T) {
	c := NewCounts(labels, types)
	want := Counts{Nodes: map[string]int64{"Learner": 0, "Country": 0}, Relationships: map[string]int64{"HAS_SKILL": 0, "RESIDES_IN": 0}}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("NewCounts (-want +got):\n%s", diff)
	}
	c.Rows.Read = 3
	clone := c.Clone()
	clone.Nodes["Learner"] = 9
	clone.Relationships["NEW"] = 1
	clone.Rows.Read = 4
	want.Rows.Read = 3
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("the original changed with its clone (-want +got):\n%s", diff)
	}

	db, err := Create(tempState(t), false)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	update(t, db, func(tx *bolt.Tx) error {
		got, err := ReadCounts(tx)
		if diff := cmp.Diff(NewCounts(nil, nil), got); diff != "" || err != nil {
			t.Errorf("counts before any: %v (-want +got):\n%s", err, diff)
		}
		if err := WriteCounts(tx, clone); err != nil {
			return err
		}
		got, err = ReadCounts(tx)
		if diff := cmp.Diff(clone, got); diff != "" || err != nil {
			t.Errorf("counts read back: %v (-want +got):\n%s", err, diff)
		}
		return nil
	})
}
