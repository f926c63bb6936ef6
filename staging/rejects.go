package staging

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// ReadRejects calls fn for each rejected row in line order, at most limit
// of them (all when limit <= 0). fn runs inside a read transaction: it must
// not write to the state file; the Reject it gets is its own copy.
func ReadRejects(tx *bolt.Tx, limit int, fn func(Reject) error) error {
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
	return nil
}
