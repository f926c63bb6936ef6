package graphwrite

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"
)

// envInt reads a positive integer from the environment.
func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// BenchmarkLoad loads a generated, staged file into the cleared test
// Neo4j and reports nodes/s and relationships/s. Scale and tune it with
// IMPORTER_BENCH_ROWS (default 5000), IMPORTER_BENCH_WORKERS and
// IMPORTER_BENCH_BATCH (default: the load's defaults), e.g.
//
//	IMPORTER_BENCH_ROWS=200000 go test -run '^$' -bench Load -benchtime 1x ./graphwrite
func BenchmarkLoad(b *testing.B) {
	rows := envInt("IMPORTER_BENCH_ROWS", 5000)
	workers := envInt("IMPORTER_BENCH_WORKERS", DefaultWorkers)
	batch := envInt("IMPORTER_BENCH_BATCH", DefaultBatchSize)
	for _, mode := range []Mode{ModeCreate, ModeMerge} {
		name := fmt.Sprintf("%s/rows=%d/workers=%d/batch=%d", mode, rows, workers, batch)
		b.Run(name, func(b *testing.B) {
			g := testGraph(b)
			var nodes, rels int64
			var elapsed time.Duration
			var retries int64
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				clearGraph(b, g)
				db := openState(b, stagedFile(b, rows, 1))
				if _, err := Begin(context.Background(), g, db, mode, workers); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				st, err := Load(context.Background(), g, db, LoadOptions{Workers: workers, BatchSize: batch})
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
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
		})
	}
}
