package graphwrite

import (
	"os"
	"sync"
	"time"

	"github.com/learnergraph/importer/checkpoint"
)

// Stats is what one Load call did.
type Stats struct {
	Mode Mode
	// Nodes and Relationships count the entities this call wrote.
	Nodes         int64
	Relationships int64
	// Batches counts committed batches; Skipped counts batches found
	// already committed in Neo4j (a commit the state file had not heard of).
	Batches int64
	Skipped int64
	// Retries counts failed attempts that were retried, by Neo4j error code
	// (e.g. Neo.TransientError.Transaction.DeadlockDetected) or "connection".
	Retries map[string]int64
	Elapsed time.Duration
}

// stats is the shared, locked tally behind Stats.
type stats struct {
	mu sync.Mutex
	s  Stats
	// sampled is how many retries the throughput samples have counted.
	sampled int64
}

func newStats(mode Mode) *stats {
	return &stats{s: Stats{Mode: mode, Retries: map[string]int64{}}}
}

// observe counts a failed attempt that will be retried.
func (st *stats) observe(err error) {
	if !retryable(err) {
		return
	}
	st.mu.Lock()
	st.s.Retries[errorCode(err)]++
	st.mu.Unlock()
}

// committed counts a batch of b written.
func (st *stats) committed(b bucket, bt batch) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.s.Batches++
	st.add(b.kind, int64(bt.count))
	for i, n := range bt.counts {
		st.add(b.members[i].kind, n)
	}
}

func (st *stats) add(kind string, n int64) {
	switch kind {
	case checkpoint.KindNodes:
		st.s.Nodes += n
	case checkpoint.KindRelationships:
		st.s.Relationships += n
	}
}

// sample is the throughput sample of a committed batch of b: what it
// wrote, and the retries since the previous sample.
func (st *stats) sample(b bucket, bt batch) checkpoint.Sample {
	s := checkpoint.Sample{At: time.Now(), PID: os.Getpid(), Bucket: b.name()}
	add := func(kind string, n int64) {
		if kind == checkpoint.KindNodes {
			s.Nodes += n
		} else {
			s.Relationships += n
		}
	}
	if b.kind == kindLearners {
		for i, n := range bt.counts {
			add(b.members[i].kind, n)
		}
	} else {
		add(b.kind, int64(bt.count))
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	var total int64
	for _, n := range st.s.Retries {
		total += n
	}
	s.Retries, st.sampled = total-st.sampled, total
	return s
}

func (st *stats) skipped() {
	st.mu.Lock()
	st.s.Skipped++
	st.mu.Unlock()
}

// snapshot returns a copy.
func (st *stats) snapshot() Stats {
	st.mu.Lock()
	defer st.mu.Unlock()
	out := st.s
	out.Retries = make(map[string]int64, len(st.s.Retries))
	for k, v := range st.s.Retries {
		out.Retries[k] = v
	}
	return out
}
