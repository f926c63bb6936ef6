package staging

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/learnergraph/importer/checkpoint"
)

// ReadRejectsFrom is ReadRejects in a read transaction of its own.
func ReadRejectsFrom(db checkpoint.DB, limit int, fn func(Reject) error) error {
	return db.View(func(tx *bolt.Tx) error { return ReadRejects(tx, limit, fn) })
}

// ReadFileRejectsFrom is ReadFileRejects in a read transaction of its own.
func ReadFileRejectsFrom(db checkpoint.DB, limit int, fn func(file int, r Reject) error) error {
	return db.View(func(tx *bolt.Tx) error { return ReadFileRejects(tx, limit, fn) })
}

// rejectFileShift places a reject's input file index (of a mapping that
// reads several files) above its line in its key: a mapping of one file
// (index 0) keys its rejects by line alone, as before format 4.
const rejectFileShift = 48

// rejectKey is the rejects bucket's key of line in input file file.
func rejectKey(file int, line int64) []byte {
	return ordinalKey(uint64(file)<<rejectFileShift | uint64(line))
}

// ReadRejects calls fn for each rejected row in line order, at most limit
// of them (all when limit <= 0). fn runs inside a read transaction: it must
// not write to the state file; the Reject it gets is its own copy. Of a
// mapping that reads several files, it gives every file's rejects, in file
// order; ReadFileRejects says which file each is from.
//
// Damage met on the way is a *checkpoint.DamagedError, never a crash; an
// error fn returns comes back as it is.
func ReadRejects(tx *bolt.Tx, limit int, fn func(Reject) error) error {
	return ReadFileRejects(tx, limit, func(_ int, r Reject) error { return fn(r) })
}

// ReadFileRejects is ReadRejects that also gives each reject's input file:
// its index in the mapping's files (0 for a mapping of one file).
func ReadFileRejects(tx *bolt.Tx, limit int, fn func(file int, r Reject) error) error {
	var fnErr error
	err := checkpoint.Guard(tx.DB().Path(), func() error {
		return readRejects(tx, limit, func(file int, r Reject) error {
			fnErr = fn(file, r)
			return fnErr
		})
	})
	if fnErr != nil {
		return fnErr
	}
	return err
}

func readRejects(tx *bolt.Tx, limit int, fn func(int, Reject) error) error {
	b := tx.Bucket(rejectsBucket)
	if b == nil {
		return fmt.Errorf("read rejects: no rejects bucket (was this file staged?)")
	}
	c := b.Cursor()
	n := 0
	for k, v := c.First(); k != nil && (limit <= 0 || n < limit); k, v = c.Next() {
		key := binary.BigEndian.Uint64(k)
		file, line := int(key>>rejectFileShift), key&(1<<rejectFileShift-1)
		r, err := decodeReject(line, v)
		if err != nil {
			return fmt.Errorf("read reject at line %d of file %d: %w", line, file, err)
		}
		if err := fn(file, r); err != nil {
			return err
		}
		n++
	}
	if limit > 0 {
		return nil
	}
	counts, err := checkpoint.ReadCounts(tx)
	if err != nil {
		return err
	}
	if int64(n) != counts.Rows.Rejected { // a damaged page can hide entries
		return fmt.Errorf("read rejects: %w: %d rejects stored, the counters say %d", ErrCorrupt, n, counts.Rows.Rejected)
	}
	return nil
}
