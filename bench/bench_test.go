package bench_test

// Throughput benchmarks of the importer's CPU-bound parts. Staging and
// loading have theirs beside the code they measure, not repeated here:
//
//	BenchmarkStage (rows/s, MB/s)                staging/stage_bench_test.go
//	BenchmarkLoad (nodes/s, rels/s, entities/s)  graphwrite/bench_test.go, against the local Neo4j
//	BenchmarkGenerate (MB/s, ns/row)             samplegen/gen_test.go, the generator itself
//
// All of them scale with IMPORTER_BENCH_ROWS; see bench/README.md for how
// to compare two commits with benchstat.

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"strconv"
	"testing"

	"github.com/learnergraph/importer/samplegen"
	"github.com/learnergraph/importer/staging"
)

// benchRows is the number of generated rows a benchmark works on:
// IMPORTER_BENCH_ROWS, or def so that the default run takes seconds.
func benchRows(b *testing.B, def int) int {
	s := os.Getenv("IMPORTER_BENCH_ROWS")
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		b.Fatalf("IMPORTER_BENCH_ROWS=%q: want a positive integer", s)
	}
	return n
}

// records generates rows rows (1% bad, as in the other benchmarks) and
// parses them with encoding/csv, dropping the records it cannot parse. It
// returns the header, the records and the file's size.
func records(b *testing.B, rows int) ([]string, [][]string, int64) {
	b.Helper()
	var buf bytes.Buffer
	st, err := samplegen.Generate(&buf, samplegen.GenOptions{Rows: rows, Seed: 1, BadRate: 0.01})
	if err != nil {
		b.Fatal(err)
	}
	r := csv.NewReader(&buf)
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		b.Fatal(err)
	}
	var recs [][]string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err == nil {
			recs = append(recs, rec)
		}
	}
	return header, recs, st.Bytes
}

// BenchmarkTransform measures the data contract's row transformation alone
// (staging.Header.Transform): one op is one record, the records parsed
// beforehand with encoding/csv. It reports rows/s, and MB/s of the CSV
// those rows came from. IMPORTER_BENCH_ROWS sets how many distinct records
// it cycles through (default 20000).
func BenchmarkTransform(b *testing.B) {
	header, recs, size := records(b, benchRows(b, 20000))
	h, err := staging.ParseHeader(header)
	if err != nil {
		b.Fatal(err)
	}
	if len(recs) == 0 {
		b.Fatal("no records parsed")
	}
	b.SetBytes(size / int64(len(recs)))
	b.ReportAllocs()
	b.ResetTimer()
	rejected := 0
	for i := 0; i < b.N; i++ {
		if _, err := h.Transform(recs[i%len(recs)]); err != nil {
			rejected++
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	if rejected > b.N/10 {
		b.Fatalf("%d of %d rows rejected: the generator or the contract changed", rejected, b.N)
	}
}
