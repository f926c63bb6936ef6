package checkpoint

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"
)

func tempState(t *testing.T) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "import.db")
}

// create makes a state file and closes it.
func create(t *testing.T, path string) {
	t.Helper()
	db, err := Create(path, false)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

func mustOpen(t *testing.T, path string, readOnly bool) *bolt.DB {
	t.Helper()
	open := Open
	if readOnly {
		open = OpenReadOnly
	}
	db, err := open(path)
	if err != nil {
		t.Fatalf("open (read-only %v): %v", readOnly, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestCreateOpen(t *testing.T) {
	path := tempState(t)
	db, err := Create(path, false)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error { return WriteInput(tx, Input{Path: "in.csv", Header: []string{"sandId"}}) })
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	for _, readOnly := range []bool{false, true} {
		db := mustOpen(t, path, readOnly)
		var in Input
		var ok bool
		if err := db.View(func(tx *bolt.Tx) (err error) { in, ok, err = ReadInput(tx); return err }); err != nil {
			t.Fatal(err)
		}
		if !ok || in.Path != "in.csv" || len(in.Header) != 1 {
			t.Errorf("input read back: %+v, %v", in, ok)
		}
		if readOnly {
			if err := db.Update(func(tx *bolt.Tx) error { return nil }); err == nil {
				t.Error("OpenReadOnly gave a writable file")
			}
		}
		db.Close()
	}

	if _, err := Create(path, false); !errors.Is(err, ErrExists) {
		t.Errorf("Create over an existing file: %v, want ErrExists", err)
	}
	if err := WriteSnapshot(path, Snapshot{PID: 1}); err != nil {
		t.Fatal(err)
	}
	db, err = Create(path, true)
	if err != nil {
		t.Fatalf("Create with overwrite: %v", err)
	}
	err = db.View(func(tx *bolt.Tx) error {
		_, ok, err := ReadInput(tx)
		if ok {
			return fmt.Errorf("the overwritten file still has its input record")
		}
		return err
	})
	db.Close()
	if err != nil {
		t.Error(err)
	}
	if _, err := ReadSnapshot(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the old progress snapshot survived the overwrite: %v", err)
	}

	// Overwrite replaces a file that is not a state file at all.
	junk := filepath.Join(t.TempDir(), "junk.db")
	if err := os.WriteFile(junk, []byte(strings.Repeat("not bbolt ", 1000)), 0o644); err != nil {
		t.Fatal(err)
	}
	if db, err := Create(junk, true); err != nil {
		t.Errorf("Create over junk with overwrite: %v", err)
	} else {
		db.Close()
	}
}

func TestOpenNotFound(t *testing.T) {
	path := tempState(t)
	for _, readOnly := range []bool{false, true} {
		open := map[bool]func(string) (*bolt.DB, error){false: Open, true: OpenReadOnly}[readOnly]
		if _, err := open(path); !errors.Is(err, ErrNotFound) {
			t.Errorf("open (read-only %v) of a missing file: %v, want ErrNotFound", readOnly, err)
		}
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("opening a missing file created it: %v", err)
	}
}

func TestOpenVersion(t *testing.T) {
	// A bbolt file of another program: no meta bucket.
	other := tempState(t)
	db, err := bolt.Open(other, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("users")); return err }); err != nil {
		t.Fatal(err)
	}
	db.Close()

	// A state file of another format version, and one with a broken version.
	setVersion := func(v []byte) string {
		path := tempState(t)
		create(t, path)
		db, err := bolt.Open(path, 0o644, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.Update(func(tx *bolt.Tx) error { return tx.Bucket(metaBucket).Put(keyVersion, v) }); err != nil {
			t.Fatal(err)
		}
		return path
	}
	for name, path := range map[string]string{
		"another program's bbolt file": other,
		"version 1 (not sealed)":       setVersion(encodeUint64(1)),
		"the next version":             setVersion(Seal(encodeUint64(FormatVersion + 1))),
		"version 3 (one input file)":   setVersion(Seal(encodeUint64(3))),
		"version 0":                    setVersion(Seal(encodeUint64(0))),
	} {
		for _, readOnly := range []bool{false, true} {
			open := map[bool]func(string) (*bolt.DB, error){false: Open, true: OpenReadOnly}[readOnly]
			if _, err := open(path); !errors.Is(err, ErrVersion) {
				t.Errorf("%s (read-only %v): %v, want ErrVersion", name, readOnly, err)
			}
		}
	}

	// A version record that fails its checksum: damaged.
	for name, path := range map[string]string{
		"a 3-byte version":  setVersion([]byte{0, 0, 1}),
		"a flipped version": setVersion(append(encodeUint64(FormatVersion), 1, 2, 3, 4)),
	} {
		for _, readOnly := range []bool{false, true} {
			open := map[bool]func(string) (*bolt.DB, error){false: Open, true: OpenReadOnly}[readOnly]
			if _, err := open(path); !errors.Is(err, ErrDamaged) {
				t.Errorf("%s (read-only %v): %v, want ErrDamaged", name, readOnly, err)
			}
		}
	}

	// Not a bbolt file at all: an error, whatever it is.
	junk := tempState(t)
	if err := os.WriteFile(junk, []byte(strings.Repeat("x", 8192)), 0o644); err != nil {
		t.Fatal(err)
	}
	if db, err := Open(junk); err == nil {
		db.Close()
		t.Error("Open of a file that is not bbolt: no error")
	}
}

// TestInUse: bbolt's flock is per open file description, so a second
// bolt.Open in the same process contends like another process would.
func TestInUse(t *testing.T) {
	path := tempState(t)
	create(t, path)
	if err := WriteSnapshot(path, Snapshot{PID: 4242, Command: "stage"}); err != nil {
		t.Fatal(err)
	}
	writer := mustOpen(t, path, false)

	for _, readOnly := range []bool{false, true} {
		open := map[bool]func(string) (*bolt.DB, error){false: Open, true: OpenReadOnly}[readOnly]
		start := time.Now()
		_, err := open(path)
		if !errors.Is(err, ErrInUse) {
			t.Fatalf("open (read-only %v) while another handle writes: %v, want ErrInUse", readOnly, err)
		}
		if waited := time.Since(start); waited < lockTimeout/2 {
			t.Errorf("gave up after %v, before the lock timeout %v", waited, lockTimeout)
		}
		if !strings.Contains(err.Error(), "(pid 4242, stage)") {
			t.Errorf("error %q does not name the holder", err)
		}
	}
	if _, err := Create(path, true); !errors.Is(err, ErrInUse) {
		t.Errorf("Create with overwrite of a file in use: %v, want ErrInUse", err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("the file in use was removed: %v", err)
	}
	writer.Close()

	// Readers share the lock; a writer waits for them.
	r1 := mustOpen(t, path, true)
	r2 := mustOpen(t, path, true)
	if _, err := Open(path); !errors.Is(err, ErrInUse) {
		t.Errorf("Open while readers hold the file: %v, want ErrInUse", err)
	}
	r1.Close()
	r2.Close()
	mustOpen(t, path, false)
}

// TestCreateInit: init runs in the file's first transaction; when it fails
// nothing is left at the path, not even its temporary file; a temporary
// file left by a crash does not get in the way (and is not Create's to
// remove: it cannot tell it from another process's Create in progress).
func TestCreateInit(t *testing.T) {
	path := tempState(t)
	stale := path + ".creating-1"
	if err := os.WriteFile(stale, []byte("left by a crash"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	_, err := Create(path, false, func(tx *bolt.Tx) error {
		if err := WriteInput(tx, Input{Path: "half"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Create with a failing init: %v, want its error", err)
	}
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil || len(entries) != 1 || entries[0].Name() != filepath.Base(stale) {
		t.Fatalf("left behind after a failed Create: %v (%v), want only the stale %s", entries, err, filepath.Base(stale))
	}

	var calls int
	db, err := Create(path, false,
		func(tx *bolt.Tx) error { calls++; return WriteInput(tx, Input{Path: "in.csv"}) },
		func(tx *bolt.Tx) error { calls++; return WriteStageMark(tx, StageMark{Line: 2}) })
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		in, ok, err := ReadInput(tx)
		if err != nil {
			return err
		}
		m, err := ReadStageMark(tx)
		if !ok || in.Path != "in.csv" || m.Line != 2 || calls != 2 {
			t.Errorf("after init: input %+v (%v), mark %+v, %d calls", in, ok, m, calls)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// Only the state file and the stale temporary file: Create's own
	// temporary file (path.creating-<random>) is gone.
	entries, err = os.ReadDir(filepath.Dir(path))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if diff := cmp.Diff([]string{filepath.Base(path), filepath.Base(stale)}, names); err != nil || diff != "" {
		t.Errorf("next to the state file (-want +got):\n%s%v", diff, err)
	}
}

// TestCreateConcurrent: of two Creates of one path at once, exactly one
// wins and the other gets ErrExists; the file is the winner's.
func TestCreateConcurrent(t *testing.T) {
	path := tempState(t)
	errs := make(chan error, 2)
	for _, who := range []string{"A", "B"} {
		go func() {
			db, err := Create(path, false, func(tx *bolt.Tx) error {
				time.Sleep(100 * time.Millisecond)
				return WriteInput(tx, Input{Path: who})
			})
			if err == nil {
				db.Close()
			}
			errs <- err
		}()
	}
	var failed []error
	for range 2 {
		if err := <-errs; err != nil {
			failed = append(failed, err)
		}
	}
	if len(failed) != 1 || !errors.Is(failed[0], ErrExists) {
		t.Fatalf("two concurrent Creates: errors %v, want exactly one ErrExists", failed)
	}
	db := mustOpen(t, path, true)
	defer db.Close()
	if err := db.View(func(tx *bolt.Tx) error {
		in, ok, err := ReadInput(tx)
		if err != nil || !ok || (in.Path != "A" && in.Path != "B") {
			t.Errorf("winner's input: %+v %v %v", in, ok, err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// TestOpenNotAStateFile: an empty file and a file that is not bbolt are
// refused with ErrVersion and left as they were.
func TestOpenNotAStateFile(t *testing.T) {
	for name, content := range map[string]string{"empty": "", "text": strings.Repeat("not bbolt\n", 1000)} {
		path := filepath.Join(t.TempDir(), name+".db")
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, readOnly := range []bool{false, true} {
			if _, err := open(path, readOnly); !errors.Is(err, ErrVersion) {
				t.Errorf("%s (readOnly %v): %v, want ErrVersion", name, readOnly, err)
			}
		}
		if got, _ := os.ReadFile(path); string(got) != content {
			t.Errorf("%s: the file was changed", name)
		}
	}
}
