package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"

	"github.com/learnergraph/importer/graphwrite/graphwritetest"
	"github.com/learnergraph/importer/report"
	"github.com/learnergraph/importer/staging"
)

// TestReportAnotherMapping reports on the flights graph (flightsYAML, which
// declares no report part): the report runs, holds the import section and
// the generic section only, and its numbers equal counts made here — the
// entities from the generated rows, the degree distributions and densest
// nodes from the raw graph read back (itself compared with the rows').
func TestReportAnotherMapping(t *testing.T) {
	graphwritetest.Lock(t)
	driver, database := graphwritetest.Driver(t)
	dir := t.TempDir()
	rows := flightRows(400, 11)
	input, state, out := filepath.Join(dir, "flights.csv"), filepath.Join(dir, "flights.db"), filepath.Join(dir, "report")
	writeCSV(t, input, rows)
	mapping := writeFile(t, "flights.yaml", flightsYAML)
	want, _ := expectFlights(rows)
	for _, args := range [][]string{
		{"stage", "--input", input, "--state", state, "--mapping", mapping},
		{"clear-database", "--yes"},
		{"load", "--state", state},
	} {
		if code, _, stderr := runCmd(t, "", args...); code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
	}
	if diff := cmp.Diff(want, readGraph(t)); diff != "" {
		t.Fatalf("loaded graph (-want +got):\n%s", diff)
	}
	code, stdout, stderr := runCmd(t, "", "report", "--state", state, "--out", out, "--query-timeout", "1m")
	if code != exitOK || strings.TrimSpace(stdout) != filepath.Join(out, report.HTMLFile) {
		t.Fatalf("report: exit %d, stdout %q, stderr:\n%s", code, stdout, stderr)
	}
	rep := readReport(t, filepath.Join(out, report.JSONFile))

	// The entities: staged, loaded and in Neo4j, as the rows make them.
	counts := map[string]int64{}
	for _, n := range want.Nodes {
		counts["nodes/"+n[1:strings.Index(n, "]")]]++
	}
	relType := regexp.MustCompile(`\} -([A-Z_]+) \{\}-> \[`)
	for _, r := range want.Rels {
		counts["relationships/"+relType.FindStringSubmatch(r)[1]]++
	}
	got := map[string]int64{}
	for _, e := range rep.Import.Entities {
		if e.Staged != e.InNeo4j || e.Loaded != e.InNeo4j {
			t.Errorf("%s %s: staged %d, loaded %d, in Neo4j %d", e.Kind, e.Name, e.Staged, e.Loaded, e.InNeo4j)
		}
		got[e.Kind+"/"+e.Name] = e.InNeo4j
	}
	if diff := cmp.Diff(counts, got); diff != "" {
		t.Errorf("entities (-rows +report):\n%s", diff)
	}
	if len(rep.Import.Disagree) != 0 {
		t.Errorf("disagree: %v, want none", rep.Import.Disagree)
	}

	// One section, the generic one: a degree distribution per label, the
	// densest nodes; each result equal to the raw graph's.
	var schema *staging.Schema
	withState(t, state, func(tx *bolt.Tx) (err error) {
		schema, err = staging.ReadSchema(tx)
		return err
	})
	g := dumpGraph(t, driver, database, schema)
	var names []string
	for _, s := range rep.Sections {
		if s.ID != report.Generic || s.Title != report.GenericTitle || s.Note != "" {
			t.Errorf("section %s %q (note %q): want only the generic section %s", s.ID, s.Title, s.Note, report.Generic)
		}
		for _, r := range s.Results {
			names = append(names, r.Name)
			if r.Error != "" || r.Skipped != "" {
				t.Errorf("%s: error %q, skipped %q", r.Name, r.Error, r.Skipped)
				continue
			}
			want := g.expected(t, r.Name)
			got := r.Rows
			if r.Name == "densest" {
				got, want = sortedRows(got, 1), sortedRows(want, 1)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s: rows differ from the raw graph's (-want +got):\n%s", r.Name, diff)
			}
			if r.Bins != nil {
				checkBins(t, r)
			}
		}
	}
	if diff := cmp.Diff([]string{"degrees-Airport", "degrees-Airline", "degrees-Flight", "densest"}, names); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
}
