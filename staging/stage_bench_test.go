package staging_test

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/learnergraph/importer/samplegen"
	"github.com/learnergraph/importer/staging"
)

// benchRows is the size of the generated input for the staging benchmarks:
// small by default so `go test -bench` finishes in seconds, IMPORTER_BENCH_ROWS
// to scale it (1700000 for the real thing).
func benchRows(b *testing.B) int {
	if s := os.Getenv("IMPORTER_BENCH_ROWS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			b.Fatalf("IMPORTER_BENCH_ROWS: %v", err)
		}
		return n
	}
	return 50000
}

// generate writes a learner CSV of rows rows to a file in dir.
func generate(b *testing.B, dir string, rows int) (string, int64) {
	path := filepath.Join(dir, "learners.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	stats, err := samplegen.Generate(w, samplegen.GenOptions{Rows: rows, Seed: 1, BadRate: 0.01})
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		b.Fatal(err)
	}
	return path, stats.Bytes
}

// BenchmarkStage stages a generated file into a new state file and reports
// rows/s and MB/s.
func BenchmarkStage(b *testing.B) {
	rows := benchRows(b)
	dir := b.TempDir()
	input, size := generate(b, dir, rows)
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		state := filepath.Join(dir, "state-"+strconv.Itoa(i)+".db")
		counts, err := staging.Stage(context.Background(), input, state, staging.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if counts.Rows.Read != int64(rows) {
			b.Fatalf("read %d rows, want %d", counts.Rows.Read, rows)
		}
		b.StopTimer()
		os.Remove(state)
		b.StartTimer()
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
