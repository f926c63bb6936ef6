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

// ReadRejects calls fn for each rejected row in line order, at most limit
// of them (all when limit <= 0). fn runs inside a read transaction: it must
// not write to the state file; the Reject it gets is its own copy.
//
// Damage met on the way is a *checkpoint.DamagedError, never a crash; an
// error fn returns comes back as it is.
func ReadRejects(tx *bolt.Tx, limit int, fn func(Reject) error) error {
	var fnErr error
	err := checkpoint.Guard(tx.DB().Path(), func() error {
		return readRejects(tx, limit, func(r Reject) error {
			fnErr = fn(r)
			return fnErr
		})
	})
	if fnErr != nil {
		return fnErr
	}
	return err
}

func readRejects(tx *bolt.Tx, limit int, fn func(Reject) error) error {
	b := tx.Bucket(rejectsBucket)
	if b == nil {
		return fmt.Errorf("read rejects: no rejects bucket (was this file staged?)")
	}
	c := b.Cursor()
	n := 0
	for k, v := c.First(); k != nil && (limit <= 0 || n < limit); k, v = c.Next() {
		r, err := decodeReject(binary.BigEndian.Uint64(k), v)
		if err != nil {
			return fmt.Errorf("read reject at line %d: %w", binary.BigEndian.Uint64(k), err)
		}
		if err := fn(r); err != nil {
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
