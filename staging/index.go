package staging

import (
	"errors"
	"hash/maphash"
)

// learnerIndex maps sandIds to learner ordinals in memory, so the writer
// never searches the state file for a learner it has not seen (most rows).
// It holds no sandIds: one open-addressing table of 8-byte slots, each the
// high 32 bits of a sandId's hash (its tag) and the learner's ordinal + 1
// (0 = empty), with linear probing from the slot the tag's top bits choose,
// at a load factor of 3/8 to 3/4. That is 10.7–21.3 bytes per learner
// (about 13 at 10M learners), and while the table doubles, the old one's
// too (BenchmarkLearnerIndex measures 10M learners). Slots carry their tag
// so a probe reads consecutive memory, and doubling needs no sandIds.
//
// A tag match is only a candidate: lookup confirms it against the sandId
// staged under that ordinal (same), so two learners whose hashes collide
// are never merged. The index is rebuilt from the learners bucket when a
// staging run starts, with a new hash seed.
type learnerIndex struct {
	hash  func(string) uint64
	slots []uint64
	n     uint64 // learners indexed
	shift uint   // 32 - log2(len(slots)): a tag's top bits choose its home slot
}

// maxLearners is what the index holds: ordinals + 1 fit in 32 bits.
const maxLearners = 1<<32 - 2

// errIndexFull is returned past maxLearners learners.
var errIndexFull = errors.New("more learners than the learner index holds (4,294,967,294)")

const minIndexSlots = 1 << 10

func newLearnerIndex() *learnerIndex {
	seed := maphash.MakeSeed()
	return newLearnerIndexHash(func(s string) uint64 { return maphash.String(seed, s) })
}

// newLearnerIndexHash is newLearnerIndex with another hash function (tests
// use colliding ones).
func newLearnerIndexHash(hash func(string) uint64) *learnerIndex {
	return &learnerIndex{hash: hash, slots: make([]uint64, minIndexSlots), shift: 32 - 10}
}

// len is the number of learners indexed, and the next ordinal.
func (x *learnerIndex) len() uint64 { return x.n }

// lookup returns the ordinal of sandID, or indexes it under the next
// ordinal (isNew). same(ord) confirms that ord's learner is sandID.
func (x *learnerIndex) lookup(sandID string, same func(ord uint64) (bool, error)) (ord uint64, isNew bool, err error) {
	tag := x.hash(sandID) >> 32
	mask := uint64(len(x.slots) - 1)
	i := tag >> x.shift
	for ; x.slots[i] != 0; i = (i + 1) & mask {
		if x.slots[i]>>32 != tag {
			continue
		}
		o := x.slots[i]&0xffffffff - 1
		ok, err := same(o)
		if err != nil {
			return 0, false, err
		}
		if ok {
			return o, false, nil
		}
	}
	if x.n >= maxLearners {
		return 0, false, errIndexFull
	}
	ord = x.n
	x.n++
	x.slots[i] = tag<<32 | (ord + 1)
	x.grow()
	return ord, true, nil
}

// add indexes a learner known to be new under the next ordinal (rebuilding
// the index from the state file, where every sandId is staged once).
func (x *learnerIndex) add(sandID string) error {
	if x.n >= maxLearners {
		return errIndexFull
	}
	x.n++
	x.place(x.hash(sandID)>>32<<32 | x.n)
	x.grow()
	return nil
}

// place puts a slot value in the first free slot from its home slot on.
func (x *learnerIndex) place(v uint64) {
	mask := uint64(len(x.slots) - 1)
	i := v >> 32 >> x.shift
	for x.slots[i] != 0 {
		i = (i + 1) & mask
	}
	x.slots[i] = v
}

// grow doubles the table when more than 3/4 of it is taken.
func (x *learnerIndex) grow() {
	if x.n*4 <= uint64(len(x.slots))*3 {
		return
	}
	old := x.slots
	x.slots = make([]uint64, 2*len(old))
	x.shift--
	for _, v := range old {
		if v != 0 {
			x.place(v)
		}
	}
}
