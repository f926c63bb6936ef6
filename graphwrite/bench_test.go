package graphwrite

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/staging"
	bolt "go.etcd.io/bbolt"
)

// envInt reads a positive integer from the environment.
func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// BenchmarkLoad loads a generated, staged file into the cleared test
// Neo4j and reports nodes/s and relationships/s, the importer's CPU per
// entity and, when the test Neo4j is the repository's local one, Neo4j's
// CPU per entity (CPU time is steadier than wall time on a shared
// machine). Scale and tune it with
// IMPORTER_BENCH_ROWS (default 5000), IMPORTER_BENCH_WORKERS and
// IMPORTER_BENCH_BATCH (default: the load's defaults), e.g.
//
//	IMPORTER_BENCH_ROWS=200000 go test -run '^$' -bench Load -benchtime 1x ./graphwrite
func BenchmarkLoad(b *testing.B) {
	rows := envInt("IMPORTER_BENCH_ROWS", 5000)
	workers := envInt("IMPORTER_BENCH_WORKERS", DefaultWorkers)
	batch := envInt("IMPORTER_BENCH_BATCH", 0) // 0: DefaultBatchSize of the mode
	for _, mode := range []Mode{ModeCreate, ModeMerge} {
		size := batch
		if size == 0 {
			size = DefaultBatchSize(mode)
		}
		name := fmt.Sprintf("%s/rows=%d/workers=%d/batch=%d", mode, rows, workers, size)
		b.Run(name, func(b *testing.B) {
			g := testGraph(b)
			pid, _, _ := findLocalNeo4j()
			var nodes, rels int64
			var elapsed, neo4jCPU, ownCPU time.Duration
			var retries int64
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				clearGraph(b, g)
				db := openState(b, stagedFile(b, rows, 1))
				if _, err := Begin(context.Background(), g, db, mode, workers); err != nil {
					b.Fatal(err)
				}
				n0, o0 := processCPU(pid), processCPU(os.Getpid())
				b.StartTimer()
				st, err := Load(context.Background(), g, db, LoadOptions{Workers: workers, BatchSize: batch})
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				neo4jCPU += processCPU(pid) - n0
				ownCPU += processCPU(os.Getpid()) - o0
				db.Close()
				nodes += st.Nodes
				rels += st.Relationships
				elapsed += st.Elapsed
				for _, n := range st.Retries {
					retries += n
				}
			}
			b.ReportMetric(float64(nodes)/elapsed.Seconds(), "nodes/s")
			b.ReportMetric(float64(rels)/elapsed.Seconds(), "rels/s")
			b.ReportMetric(float64(nodes+rels)/elapsed.Seconds(), "entities/s")
			b.ReportMetric(float64(retries)/float64(b.N), "retries/op")
			b.ReportMetric(float64(ownCPU.Microseconds())/float64(nodes+rels), "importer-µs/entity")
			if pid > 0 {
				b.ReportMetric(float64(neo4jCPU.Microseconds())/float64(nodes+rels), "neo4j-µs/entity")
			}
		})
	}
}

// BenchmarkReadGroup reads a staged file's learner group batch by batch
// and builds each batch's statement, as a create mode load does before it
// sends one, without Neo4j: the importer's own work on the load's critical
// path, per entity, with its allocations. The shared ends get made-up node
// ids, as the load reads them from Neo4j. IMPORTER_BENCH_ROWS scales it
// (default 5000).
func BenchmarkReadGroup(b *testing.B) {
	rows := envInt("IMPORTER_BENCH_ROWS", 5000)
	db := openState(b, stagedFile(b, rows, 1))
	var s *staging.Schema
	var counts checkpoint.Counts
	group := bucket{}
	err := db.View(func(tx *bolt.Tx) error {
		var err error
		if s, err = staging.ReadSchema(tx); err != nil {
			return err
		}
		if counts, err = checkpoint.ReadCounts(tx); err != nil {
			return err
		}
		group = learnerGroup(s)
		group.ends = endIDs{}
		labels, _ := group.endLabels(counts)
		for _, l := range labels {
			nodes, _, err := staging.ReadNodes(tx, s, l, staging.Range{}, nil, math.MaxInt)
			if err != nil {
				return err
			}
			ids := nodeIDs{}
			for i, n := range nodes {
				ids[n.Key] = endRef{id: int64(i), key: n.Key}
			}
			group.ends[l] = ids
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	limit := groupLimit(s, counts, DefaultBatchSize(ModeCreate))
	b.ReportAllocs()
	b.ResetTimer()
	entities := 0
	for range b.N {
		var after []byte
		for {
			bt, err := group.readGroup(db, staging.Range{}, after, limit)
			if err != nil {
				b.Fatal(err)
			}
			if bt.count == 0 {
				break
			}
			entities += bt.count
			after = bt.last
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(entities), "ns/entity")
}

// processCPU returns the user and system CPU time process pid has used,
// from /proc (clock ticks of 10 ms), or 0 when pid is 0 or unreadable.
func processCPU(pid int) time.Duration {
	if pid <= 0 {
		return 0
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The fields after the command name, which ends at the last ')'.
	f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}
