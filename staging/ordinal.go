package staging

import (
	"encoding/binary"

	bolt "go.etcd.io/bbolt"
)

// Per-learner buckets (NodeSpec.PerLearner, RelSpec.PerLearner) are keyed
// by the learner's ordinal first (8 bytes, big-endian), so one range of
// ordinals selects the same learners in all of them, and a reader can walk
// them in step, learner by learner.

// Ordinal returns the learner ordinal a per-learner key (as EachNode and
// EachRel pass it) starts with.
func Ordinal(key []byte) uint64 { return binary.BigEndian.Uint64(key[:8]) }

// Ordinals returns how many learner ordinals staging has given out: every
// per-learner key's ordinal is below it.
func Ordinals(tx *bolt.Tx) uint64 {
	k, _ := tx.Bucket(learnersBucket).Cursor().Last()
	if k == nil {
		return 0
	}
	return Ordinal(k) + 1
}
