package checkpoint

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// FormatVersion is the version of the state file layout written by this
// release. Bump it whenever a bucket, key or value encoding changes.
//
// Version 2: the learner records of package staging, and a CRC-32C
// checksum at the end of every stored value (Seal).
//
// Version 3: the mapping record (Mapping), written with the input record.
//
// Version 4: a mapping may read several input files: their records
// (InputFile, meta key "files", instead of the input record), the stage
// mark's file, and rejects keyed by file and line.
const FormatVersion = 4

var (
	// ErrExists is returned by Create when the state file already exists and
	// overwriting was not asked for.
	ErrExists = errors.New("state file already exists (use --overwrite to replace it)")
	// ErrInUse is returned when another process holds the state file's lock.
	ErrInUse = errors.New("state file in use by another importer process")
	// ErrNotFound is returned by Open when the state file does not exist.
	ErrNotFound = errors.New("state file not found (run `importer stage` first)")
	// ErrVersion is returned by Open for a file of another format version.
	ErrVersion = errors.New("state file has an unsupported format version")
	// ErrDamaged means the state file's bytes are not what the importer
	// wrote (truncated, overwritten, flipped bits): it cannot be trusted,
	// and must be staged again. The importer exits with status 4 for it.
	ErrDamaged = errors.New("state file is damaged")
)

// lockTimeout is how long Open waits for another process's file lock.
const lockTimeout = 300 * time.Millisecond

var metaBucket = []byte("meta")

// Create creates a new state file at path and runs init, if given, in its
// first transaction. An existing file is an error unless overwrite is set,
// and even then one that another process holds is left alone (ErrInUse).
//
// The file is built under a temporary name and renamed into place once
// initialised, so a crash during Create never leaves a half-made state
// file at path.
func Create(path string, overwrite bool, init ...func(*bolt.Tx) error) (*bolt.DB, error) {
	if _, err := os.Stat(path); err == nil {
		if !overwrite {
			return nil, fmt.Errorf("create %s: %w", path, ErrExists)
		}
		if err := remove(path); err != nil {
			return nil, err
		}
	}
	tmp, err := tempName(path)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	defer os.Remove(tmp)
	if err := initFile(tmp, init); err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	// Link, unlike rename, fails when path exists: two concurrent Creates
	// cannot both win.
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("create %s: %w", path, ErrExists)
		}
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return openBolt(path, false)
}

// tempName reserves a unique name next to path for a file being created.
func tempName(path string) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".creating-*")
	if err != nil {
		return "", err
	}
	f.Close()
	return f.Name(), nil
}

// initFile creates a bbolt file with the meta bucket and runs init in the
// same transaction.
func initFile(path string, init []func(*bolt.Tx) error) error {
	db, err := openBolt(path, false)
	if err != nil {
		return err
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket(metaBucket)
		if err != nil {
			return err
		}
		if err := b.Put(keyVersion, Seal(encodeUint64(FormatVersion))); err != nil {
			return err
		}
		for _, fn := range init {
			if err := fn(tx); err != nil {
				return err
			}
		}
		return nil
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	return err
}

// remove deletes an existing state file after making sure no other process
// holds it.
func remove(path string) error {
	if err := CheckFree(path); err != nil {
		return err
	}
	os.Remove(path + progressSuffix)
	if err := os.Remove(path); err != nil {
		return fmt.Errorf("remove old state file: %w", err)
	}
	return nil
}

// Open opens an existing state file for writing and checks its version.
func Open(path string) (*bolt.DB, error) {
	return open(path, false)
}

// OpenReadOnly opens an existing state file for reading. It fails with
// ErrInUse while another process writes it.
func OpenReadOnly(path string) (*bolt.DB, error) {
	return open(path, true)
}

func open(path string, readOnly bool) (db *bolt.DB, err error) {
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("open %s: %w", path, ErrNotFound)
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := checkFile(path); err != nil {
		return nil, err
	}
	err = Guard(path, func() error {
		db, err = openBolt(path, readOnly)
		if errors.Is(err, berrors.ErrChecksum) {
			return &DamagedError{Path: path, Detail: err.Error()}
		}
		if errors.Is(err, berrors.ErrInvalid) || errors.Is(err, berrors.ErrVersionMismatch) {
			return fmt.Errorf("open %s: %w: not an importer state file (%v)", path, ErrVersion, err)
		}
		if err != nil {
			return err
		}
		if err := checkVersion(db); err != nil {
			return fmt.Errorf("open %s: %w", path, err)
		}
		return nil
	})
	if err != nil && db != nil {
		db.Close()
		db = nil
	}
	return db, err
}

func openBolt(path string, readOnly bool) (*bolt.DB, error) {
	db, err := bolt.Open(path, 0o644, &bolt.Options{
		Timeout:         lockTimeout,
		ReadOnly:        readOnly,
		FreelistType:    bolt.FreelistMapType,
		NoFreelistSync:  true,
		InitialMmapSize: 1 << 30,
	})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("open %s: %w%s", path, ErrInUse, holderHint(path))
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return db, nil
}

// holderHint names the process that holds the state file, when its
// progress snapshot says.
func holderHint(path string) string {
	snap, err := ReadSnapshot(path)
	if err != nil || snap.PID == 0 {
		return ""
	}
	return fmt.Sprintf(" (pid %d, %s)", snap.PID, snap.Command)
}

func checkVersion(db *bolt.DB) error {
	return db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(metaBucket)
		if b == nil {
			return fmt.Errorf("%w: not an importer state file", ErrVersion)
		}
		v := b.Get(keyVersion)
		if len(v) == 8 { // written without a checksum, by an earlier build
			return fmt.Errorf("%w: file has %d without checksums, this importer reads %d with them", ErrVersion, decodeUint64(v), FormatVersion)
		}
		body, err := Unseal(v)
		if err != nil || len(body) != 8 {
			return fmt.Errorf("read version: %w", damage("the version record fails its checksum"))
		}
		if decodeUint64(body) != FormatVersion {
			return fmt.Errorf("%w: file has %d, this importer reads %d", ErrVersion, decodeUint64(body), FormatVersion)
		}
		return nil
	})
}
