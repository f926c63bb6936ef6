package staging

import (
	"encoding/binary"

	bolt "go.etcd.io/bbolt"
)

// Per-learner buckets (NodeSpec.PerLearner, RelSpec.PerLearner) are keyed
// by the learner's ordinal first (8 bytes, big-endian), so one range of
// ordinals selects the same learners in all of them, and a reader can walk
// them in step, learner by learner.

// LearnerKey returns the part of a per-learner bucket key that names its
// learner: the key of that learner's Learner node. It returns nil for a
// key too short to be one.
func LearnerKey(key []byte) []byte {
	if len(key) < 8 {
		return nil
	}
	return append([]byte(nil), key[:8]...)
}

// AfterLearner returns the least per-learner bucket key past every key of
// the learner that key belongs to: Range.From for "the learners after it".
func AfterLearner(key []byte) []byte {
	return ordinalKey(binary.BigEndian.Uint64(key[:8]) + 1)
}

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
