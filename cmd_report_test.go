package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/learnergraph/importer/graphwrite/graphwritetest"
	"github.com/learnergraph/importer/model"
	"github.com/learnergraph/importer/report"
	"github.com/learnergraph/importer/samplegen"
	"github.com/learnergraph/importer/staging"
)

// TestReportNumbers loads a generated file, writes the report, and checks
// every count in report.json against the generated file's own statistics
// or against a count made here from the raw graph (report_expect_test.go),
// never against the report's queries. What is not a count — times, rates,
// the time bins of the throughput series — is checked for shape only.
func TestReportNumbers(t *testing.T) {
	graphwritetest.Lock(t)
	driver, database := graphwritetest.Driver(t)
	dir := t.TempDir()
	csv, state, out := filepath.Join(dir, "learners.csv"), filepath.Join(dir, "import.db"), filepath.Join(dir, "report")
	const rows, batchRows = 1500, 200
	f, err := os.Create(csv)
	if err != nil {
		t.Fatal(err)
	}
	gen, err := samplegen.Generate(f, samplegen.GenOptions{Rows: rows, Seed: 12, BadRate: 0.03})
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"stage", "--input", csv, "--state", state, "--batch-rows", fmt.Sprint(batchRows)},
		{"clear-database", "--yes"},
		{"load", "--state", state, "--batch-size", "700"},
	} {
		if code, _, stderr := runCmd(t, "", args...); code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
	}
	code, stdout, stderr := runCmd(t, "", "report", "--state", state, "--out", out, "--query-timeout", "1m")
	if code != exitOK || strings.TrimSpace(stdout) != filepath.Join(out, report.HTMLFile) {
		t.Fatalf("report: exit %d, stdout %q, stderr:\n%s", code, stdout, stderr)
	}
	if n := strings.Count(stderr, ": running (time limit"); n < 20 {
		t.Errorf("report printed %d progress lines of queries starting, want one per query:\n%s", n, stderr)
	}
	rep := readReport(t, filepath.Join(out, report.JSONFile))
	g := dumpGraph(t, driver, database, staging.DefaultSchema())

	checkImport(t, rep.Import, g, gen, rows, batchRows)
	names := map[string]bool{}
	for _, s := range rep.Sections {
		for _, r := range s.Results {
			names[r.Name] = true
			if r.Error != "" || r.Skipped != "" {
				t.Errorf("%s/%s: error %q, skipped %q", s.ID, r.Name, r.Error, r.Skipped)
				continue
			}
			want := g.expected(t, r.Name)
			got := r.Rows
			if r.Name == "densest" {
				got, want = sortedRows(got, 1), sortedRows(want, 1)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s/%s: rows differ from the raw graph's (-want +got):\n%s", s.ID, r.Name, diff)
			}
			if r.Bins != nil {
				checkBins(t, r)
			}
		}
	}
	_, declared := report.Declared(model.Default())
	for _, q := range append(declared, report.GenericQueries(report.SchemaOf(staging.DefaultSchema()))...) {
		if !names[q.Name] {
			t.Errorf("query %s/%s is not in the report", q.Section, q.Name)
		}
	}
	page, err := os.ReadFile(filepath.Join(out, report.HTMLFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, banned := range []string{"<script", "http://", "https://", "@import", "url("} {
		if bytes.Contains(bytes.ReplaceAll(page, []byte(`xmlns="http://www.w3.org/2000/svg"`), nil), []byte(banned)) {
			t.Errorf("report.html contains %q: the page must not run or fetch anything", banned)
		}
	}
}

// checkImport checks the import section against the generated file and
// the raw graph.
func checkImport(t *testing.T, imp report.Import, g rawGraph, gen samplegen.GenStats, rows, batchRows int) {
	t.Helper()
	bad := 0
	for _, n := range gen.Bad {
		bad += n
	}
	if imp.Rows.Read != int64(gen.Rows) || imp.Rows.Rejected != int64(bad) || imp.Rows.Staged != int64(gen.Rows-bad) || imp.Rows.Duplicates != int64(gen.Duplicates) {
		t.Errorf("rows %+v; the generated file has %d rows, %d bad, %d duplicates", imp.Rows, gen.Rows, bad, gen.Duplicates)
	}
	var rejected int64
	for _, r := range imp.Rejects {
		rejected += r.Count
		if r.Count <= 0 || r.Line < 2 || r.Example == "" {
			t.Errorf("reject reason %+v: want a count, a first line and its reason", r)
		}
	}
	if rejected != int64(bad) {
		t.Errorf("reject reasons count %d rows, the generated file has %d bad rows", rejected, bad)
	}
	var entities int64
	for _, e := range imp.Entities {
		var raw int64
		if e.Kind == "nodes" {
			raw = int64(len(g.nodes[e.Name]))
		} else {
			raw = int64(len(g.rels[e.Name]))
		}
		entities += raw
		if e.InNeo4j != raw || e.Staged != raw || e.Loaded != raw {
			t.Errorf("%s %s: staged %d, loaded %d, in Neo4j %d; the raw graph holds %d", e.Kind, e.Name, e.Staged, e.Loaded, e.InNeo4j, raw)
		}
	}
	if len(imp.Disagree) != 0 {
		t.Errorf("disagree: %v, want none", imp.Disagree)
	}
	wantBatches := int64((rows + batchRows - 1) / batchRows)
	if p := imp.Stage; p == nil || p.Count != int64(rows) || p.Batches != wantBatches || p.Runs != 1 || p.Retries != 0 || !(p.Seconds > 0) {
		t.Errorf("stage pass %+v: want %d rows in %d checkpoints, one run", p, rows, wantBatches)
	}
	if p := imp.Load; p == nil || p.Count != entities || p.Batches < 1 || p.Runs != 1 {
		t.Errorf("load pass %+v: want %d entities, one run", p, entities)
	}
	for _, p := range []*report.Pass{imp.Stage, imp.Load} {
		if p == nil {
			continue
		}
		var sum int64
		for _, pt := range p.Points {
			sum += pt.Count
		}
		if d := sum - p.Count; d < -int64(len(p.Points)) || d > int64(len(p.Points)) {
			t.Errorf("%s pass: its points add up to %d, its count is %d", p.Unit, sum, p.Count)
		}
	}
}

// checkBins checks a degree histogram's bins against its rows: every node
// in the power-of-two bin of its degree.
func checkBins(t *testing.T, r report.Result) {
	t.Helper()
	want := map[string]int64{}
	for _, row := range r.Rows {
		d := row[1].(int64)
		low := int64(0)
		if d > 0 {
			low = 1
			for low*2 <= d {
				low *= 2
			}
		}
		want[fmt.Sprintf("%s/%d", row[0], low)] += row[2].(int64)
	}
	got := map[string]int64{}
	for _, b := range r.Bins {
		got[fmt.Sprintf("%s/%d", b.Group, b.Low)] += b.Count
		if b.Low > 0 && b.High != 2*b.Low-1 || b.Low == 0 && b.High != 0 {
			t.Errorf("%s: bin %+v is not a power of two", r.Name, b)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s: bins (-want +got):\n%s", r.Name, diff)
	}
}

// readReport decodes report.json with its numbers as int64 where they are
// integers.
func readReport(t *testing.T, path string) report.Report {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rep report.Report
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&rep); err != nil {
		t.Fatal(err)
	}
	for i := range rep.Sections {
		for j := range rep.Sections[i].Results {
			for _, row := range rep.Sections[i].Results[j].Rows {
				for k, v := range row {
					if n, ok := v.(json.Number); ok {
						if x, err := n.Int64(); err == nil {
							row[k] = x
						} else {
							row[k], _ = n.Float64()
						}
					}
				}
			}
		}
	}
	return rep
}
