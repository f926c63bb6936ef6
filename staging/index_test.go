package staging

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestLearnerIndex: every learner gets the next ordinal once and finds it
// again, across growth, also when hashes collide completely (every tag and
// home slot the same) or only in their home slots: a tag match is never
// taken for the learner without the confirmation.
func TestLearnerIndex(t *testing.T) {
	hashes := map[string]func(string) uint64{
		"maphash":         newLearnerIndex().hash,
		"all collide":     func(string) uint64 { return 0xdeadbeef << 32 },
		"same home slots": func(s string) uint64 { return uint64(len(s))<<32 | 7 },
		"same tag, low bits differ": func(s string) uint64 {
			n, _ := strconv.Atoi(s[1:])
			return 1<<63 | uint64(n)
		},
	}
	for name, hash := range hashes {
		t.Run(name, func(t *testing.T) {
			x := newLearnerIndexHash(hash)
			var staged []string // by ordinal
			confirms := 0
			same := func(sandID string) func(uint64) (bool, error) {
				return func(ord uint64) (bool, error) {
					confirms++
					return staged[ord] == sandID, nil
				}
			}
			n := 3000
			if name == "all collide" {
				n = 300 // every lookup probes every learner
			}
			for i := range n {
				id := fmt.Sprint("L", i)
				ord, isNew, err := x.lookup(id, same(id))
				if err != nil || !isNew || ord != uint64(i) {
					t.Fatalf("lookup(%s) = %d, new %v, %v; want %d, new", id, ord, isNew, err, i)
				}
				staged = append(staged, id)
			}
			for i := n - 1; i >= 0; i -= 7 {
				id := fmt.Sprint("L", i)
				ord, isNew, err := x.lookup(id, same(id))
				if err != nil || isNew || ord != uint64(i) {
					t.Fatalf("second lookup(%s) = %d, new %v, %v; want %d, known", id, ord, isNew, err, i)
				}
			}
			if x.len() != uint64(n) || len(x.slots) < n*4/3 {
				t.Errorf("%d learners in %d slots", x.len(), len(x.slots))
			}
			if name == "all collide" && confirms < n*(n-1)/2 {
				t.Errorf("%d confirmations, want every candidate confirmed", confirms)
			}

			// Rebuilt from the staged sandIds, it answers the same.
			y := newLearnerIndexHash(hash)
			for _, id := range staged {
				if err := y.add(id); err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff(x.slots, y.slots); diff != "" {
				t.Errorf("rebuilt slots differ (-lookup +add):\n%s", diff)
			}
			ord, isNew, err := y.lookup("L17", same("L17"))
			if ord != 17 || isNew || err != nil {
				t.Errorf("rebuilt index: lookup(L17) = %d, new %v, %v", ord, isNew, err)
			}
		})
	}
}

// BenchmarkLearnerIndex indexes IMPORTER_INDEX_LEARNERS learners (default
// 10M) and reports the index's heap per learner and the time per lookup of
// a new learner.
func BenchmarkLearnerIndex(b *testing.B) {
	n := 10_000_000
	if s := os.Getenv("IMPORTER_INDEX_LEARNERS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	no := func(uint64) (bool, error) { return false, nil }
	var x *learnerIndex
	for b.Loop() {
		x = nil
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		x = newLearnerIndex()
		buf := make([]byte, 0, 16)
		for i := range n {
			buf = strconv.AppendInt(append(buf[:0], 'S'), int64(i)*7919, 36)
			if _, _, err := x.lookup(string(buf), no); err != nil {
				b.Fatal(err)
			}
		}
		runtime.GC()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(n), "heap-B/learner")
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "heap-MiB")
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/learner")
	runtime.KeepAlive(x)
}

// TestStageHashCollisions: with a learner index whose hashes all collide,
// staging stages the same as with
// real hashes: colliding learners are never merged.
func TestStageHashCollisions(t *testing.T) {
	want := dump(t, stageFile(t, "merge.csv", Options{BatchRows: 2}))
	collide := func(string) uint64 { return 42 << 32 }
	for _, batch := range []int{1, 2, 0} {
		got := dump(t, stageFile(t, "merge.csv", Options{BatchRows: batch, indexHash: collide}))
		if diff := cmp.Diff(want, got, cmpOpts...); diff != "" {
			t.Errorf("batches of %d rows, colliding hashes: dump (-want +got):\n%s", batch, diff)
		}
	}
}
