package samplegen

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// wantHeader is the contract's column list, in the generator's order.
var wantHeader = []string{"sandId", "fullName", "gender", "birthYear",
	"residenceCountryCode", "residenceCountryName", "originCountryCode",
	"originCountryName", "cityId", "cityName", "skills", "programId",
	"programName", "cohort", "enrollmentDate", "employment", "learningState",
	"professionalState"}

// parsedRow is one data row as the generator described it and as a strict
// encoding/csv reader read it.
type parsedRow struct {
	kind string   // bad kind the generator wrote, "" for good
	dup  bool     // the generator wrote it as a repeat
	rec  []string // the fields; nil when the reader rejected the record
	err  error    // the reader's error
	line int      // the line the record starts on
}

// genParse generates a file and reads it back, checking the header.
func genParse(t *testing.T, opt GenOptions) ([]byte, GenStats, []parsedRow) {
	t.Helper()
	var buf bytes.Buffer
	var rows []parsedRow
	stats, err := generate(&buf, opt, func(kind string, dup bool) {
		rows = append(rows, parsedRow{kind: kind, dup: dup})
	})
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	r := csv.NewReader(bytes.NewReader(buf.Bytes()))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		t.Fatalf("read header: %v", err)
	}
	if diff := cmp.Diff(wantHeader, header); diff != "" {
		t.Fatalf("header (-want +got):\n%s", diff)
	}
	for i := 0; ; i++ {
		rec, err := r.Read()
		if err == io.EOF {
			if i != len(rows) {
				t.Fatalf("read %d records, generator wrote %d", i, len(rows))
			}
			break
		}
		if i == len(rows) {
			t.Fatalf("more records than the %d the generator wrote", len(rows))
		}
		p := &rows[i]
		p.rec, p.err = rec, err
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			p.line = perr.StartLine
		} else if err == nil {
			p.line, _ = r.FieldPos(0)
		} else {
			t.Fatalf("record %d: %v", i+1, err)
		}
	}
	return buf.Bytes(), stats, rows
}

// problems is what a strict reader and the contract say about a row.
func (p parsedRow) problems() []string {
	if p.err != nil {
		if errors.Is(p.err, csv.ErrBareQuote) || errors.Is(p.err, csv.ErrQuote) {
			return []string{badQuote}
		}
		return []string{p.err.Error()}
	}
	return checkRecord(p.rec)
}

// lines is how many lines the record spans.
func (p parsedRow) lines() int {
	n := 1
	for _, f := range p.rec {
		n += strings.Count(f, "\n")
	}
	return n
}

func TestGenerateFollowsContract(t *testing.T) {
	opt := GenOptions{Rows: 20000, Seed: 7, BadRate: 0.05}
	out, stats, rows := genParse(t, opt)

	want := GenStats{Rows: len(rows), Bytes: int64(len(out)), Bad: map[string]int{}}
	for _, k := range BadKinds() {
		want.Bad[k] = 0
	}
	errs, nextLine := 0, 2
	for i, p := range rows {
		var wantProblems []string
		switch {
		case p.kind != "":
			want.Bad[p.kind]++
			wantProblems = []string{p.kind}
		case p.dup:
			want.Duplicates++
		}
		if diff := cmp.Diff(wantProblems, p.problems()); diff != "" && errs < 10 {
			errs++
			t.Errorf("row %d (line %d, kind %q) problems (-want +got):\n%s%q", i+1, p.line, p.kind, diff, p.rec)
		}
		if p.line != nextLine && errs < 10 {
			errs++
			t.Errorf("row %d starts on line %d, want %d", i+1, p.line, nextLine)
		}
		nextLine = p.line + p.lines()
	}
	if diff := cmp.Diff(want, stats); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
	if got := stats.Rows; got != opt.Rows {
		t.Errorf("Rows = %d, want %d", got, opt.Rows)
	}
}

func TestGenerateDuplicates(t *testing.T) {
	_, stats, rows := genParse(t, GenOptions{Rows: 30000, Seed: 11, BadRate: 0.02})
	seen := map[string]bool{}
	dups, good, wrong := 0, 0, 0
	for i, p := range rows {
		if p.kind != "" {
			continue
		}
		good++
		id := strings.TrimSpace(p.rec[colSandID])
		if seen[id] != p.dup && wrong < 10 {
			wrong++
			t.Errorf("row %d: sandId %s seen before = %v, generator says duplicate = %v", i+1, id, seen[id], p.dup)
		}
		if seen[id] {
			dups++
		}
		seen[id] = true
	}
	for i, p := range rows {
		if p.kind == "" || p.kind == badSandID || len(p.rec) <= colSandID {
			continue
		}
		if id := strings.TrimSpace(p.rec[colSandID]); seen[id] {
			t.Errorf("bad row %d (%s) reuses the good sandId %s", i+1, p.kind, id)
		}
	}
	if dups != stats.Duplicates {
		t.Errorf("%d good rows repeat a sandId, stats say %d", dups, stats.Duplicates)
	}
	if rate := float64(dups) / float64(good); rate < 0.016 || rate > 0.024 {
		t.Errorf("duplicate rate %.4f, want 0.02±0.004", rate)
	}
}

func TestGenerateDeterministic(t *testing.T) {
	gen := func(opt GenOptions) []byte {
		var buf bytes.Buffer
		if _, err := Generate(&buf, opt); err != nil {
			t.Fatalf("generate: %v", err)
		}
		return buf.Bytes()
	}
	base := GenOptions{Rows: 3000, Seed: 42, BadRate: 0.01}
	first := gen(base)
	if !bytes.Equal(first, gen(base)) {
		t.Error("same options gave different bytes")
	}
	for _, opt := range []GenOptions{
		{Rows: 3000, Seed: 43, BadRate: 0.01},
		{Rows: 3000, Seed: -42, BadRate: 0.01},
		{Rows: 3000, Seed: 42, BadRate: 0.02},
	} {
		if bytes.Equal(first, gen(opt)) {
			t.Errorf("%+v gave the same bytes as %+v", opt, base)
		}
	}
	// A shorter file with the same options is a prefix of the longer one.
	short := gen(GenOptions{Rows: 1000, Seed: 42, BadRate: 0})
	long := gen(GenOptions{Rows: 3000, Seed: 42, BadRate: 0})
	if !bytes.HasPrefix(long, short) {
		t.Error("1,000 rows are not a prefix of 3,000 rows with the same seed and no bad rows")
	}
}

func TestGenerateBadCounts(t *testing.T) {
	for _, tc := range []struct {
		rows int
		rate float64
	}{
		{0, 0.5}, {10, 0}, {10, 0.5}, {1000, 0.01}, {1000, 0.013}, {997, 0.1}, {500, 1},
	} {
		var buf bytes.Buffer
		stats, err := Generate(&buf, GenOptions{Rows: tc.rows, Seed: 3, BadRate: tc.rate})
		if err != nil {
			t.Fatalf("rows %d rate %v: %v", tc.rows, tc.rate, err)
		}
		want := int(math.Round(float64(tc.rows) * tc.rate))
		total, lo, hi := 0, tc.rows, 0
		for _, k := range BadKinds() {
			n := stats.Bad[k]
			total += n
			lo, hi = min(lo, n), max(hi, n)
		}
		if total != want || hi-lo > 1 || len(stats.Bad) != len(BadKinds()) {
			t.Errorf("rows %d rate %v: %d bad rows, kinds from %d to %d (%v); want %d spread evenly",
				tc.rows, tc.rate, total, lo, hi, stats.Bad, want)
		}
		if tc.rate == 1 && stats.Duplicates != 0 {
			t.Errorf("rows %d rate 1: %d duplicates, want none", tc.rows, stats.Duplicates)
		}
		if stats.Rows != tc.rows || stats.Bytes != int64(buf.Len()) {
			t.Errorf("rows %d: stats say %d rows, %d bytes; wrote %d bytes", tc.rows, stats.Rows, stats.Bytes, buf.Len())
		}
	}
}

func TestGenerateRejectsOptions(t *testing.T) {
	for _, opt := range []GenOptions{
		{Rows: -1},
		{Rows: 10, BadRate: -0.1},
		{Rows: 10, BadRate: 1.01},
		{Rows: 10, BadRate: math.NaN()},
	} {
		var buf bytes.Buffer
		if _, err := Generate(&buf, opt); err == nil || buf.Len() != 0 {
			t.Errorf("%+v: err %v, wrote %d bytes; want an error and nothing written", opt, err, buf.Len())
		}
	}
}

// failWriter accepts n bytes, then fails.
type failWriter struct{ n int }

var errDiskFull = errors.New("disk full")

func (w *failWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		n := w.n
		w.n = 0
		return n, errDiskFull
	}
	w.n -= len(p)
	return len(p), nil
}

func TestGenerateWriteError(t *testing.T) {
	for _, limit := range []int{0, 100, bufSize + 10} {
		_, err := Generate(&failWriter{n: limit}, GenOptions{Rows: 5000, Seed: 1})
		if !errors.Is(err, errDiskFull) {
			t.Errorf("limit %d: err = %v, want it to wrap %v", limit, err, errDiskFull)
		}
	}
}

func TestAppendDate(t *testing.T) {
	start := time.Date(1899, 12, 25, 0, 0, 0, 0, time.UTC)
	for day := start; day.Year() < 2101; day = day.AddDate(0, 0, 1) {
		n := int(day.Unix() / 86400)
		if got, want := string(appendDate(nil, n)), day.Format(time.DateOnly); got != want {
			t.Fatalf("appendDate(%d) = %s, want %s", n, got, want)
		}
		if got := daysFrom(day.Year(), int(day.Month()), day.Day()); got != n {
			t.Fatalf("daysFrom(%s) = %d, want %d", day.Format(time.DateOnly), got, n)
		}
	}
}

func TestScrambleIsInjective(t *testing.T) {
	seen := make(map[uint64]uint64, 1<<16)
	for _, key := range []uint64{0, splitmix(1), idMask} {
		clear(seen)
		for n := range uint64(1 << 16) {
			x := scramble(n, key)
			if x > idMask {
				t.Fatalf("scramble(%d) = %d, wider than %d bits", n, x, idBits)
			}
			if m, dup := seen[x]; dup {
				t.Fatalf("key %x: scramble(%d) = scramble(%d)", key, n, m)
			}
			seen[x] = n
		}
	}
}

// TestGenerateStreams checks that rows cost no allocations: only the
// vocabulary, the duplicate pool and a few strings per bad row do.
func TestGenerateStreams(t *testing.T) {
	allocs := func(rows int) float64 {
		return testing.AllocsPerRun(2, func() {
			if _, err := Generate(io.Discard, GenOptions{Rows: rows, Seed: 5, BadRate: 0.01}); err != nil {
				t.Fatal(err)
			}
		})
	}
	small, large := allocs(2000), allocs(22000)
	if extra := large - small; extra > 1000 {
		t.Errorf("20,000 more rows cost %.0f more allocations, want at most 1,000", extra)
	}
}

func BenchmarkGenerate(b *testing.B) {
	const rows = 100_000
	var bytes int64
	runs := 0
	for b.Loop() {
		stats, err := Generate(io.Discard, GenOptions{Rows: rows, Seed: 1, BadRate: 0.01})
		if err != nil {
			b.Fatal(err)
		}
		bytes += stats.Bytes
		runs++
	}
	b.ReportMetric(float64(bytes)/1e6/b.Elapsed().Seconds(), "MB/s")
	b.ReportMetric(float64(bytes)/float64(runs*rows), "B/row")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(runs*rows), "ns/row")
}
