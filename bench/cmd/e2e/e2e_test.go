package main

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/graphwrite/graphwritetest"
)

func sec(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func TestRates(t *testing.T) {
	samples := []sample{
		{At: sec(0.5), Count: 100, Label: "Country"},
		{At: sec(2), Count: 1000, Label: "Learner"},
		{At: sec(3), Count: 1500, Label: "Learner"},
		{At: sec(4.5), Count: 4000, Label: "HAS_SKILL"},
		{At: sec(5), Count: 4500, Label: ""}, // done, half a second after: merged into the window before
	}
	got := rates("load", "entities/s", samples, 2*time.Second)
	want := []Point{
		{Phase: "load", T: 2, Rate: 500, Unit: "entities/s", Count: 1000, Label: "Learner"},
		{Phase: "load", T: 5, Rate: 1166.7, Unit: "entities/s", Count: 4500, Label: "Learner"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("rates (-want +got):\n%s", d)
	}

	// A last window of at least half a window stands on its own, and a
	// finished phase takes the label its window started with.
	samples[4] = sample{At: sec(6), Count: 6000}
	got = rates("stage", "rows/s", samples, 2*time.Second)
	want = []Point{
		{Phase: "stage", T: 2, Rate: 500, Unit: "rows/s", Count: 1000, Label: "Learner"},
		{Phase: "stage", T: 4.5, Rate: 1200, Unit: "rows/s", Count: 4000, Label: "HAS_SKILL"},
		{Phase: "stage", T: 6, Rate: 1333.3, Unit: "rows/s", Count: 6000, Label: "HAS_SKILL"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("rates with a full last window (-want +got):\n%s", d)
	}
	if got := rates("stage", "rows/s", nil, time.Second); got != nil {
		t.Errorf("rates of no samples = %v, want nil", got)
	}
}

func TestNodesDone(t *testing.T) {
	samples := []sample{{At: sec(1), Nodes: 10}, {At: sec(2), Nodes: 30}, {At: sec(3), Nodes: 30}}
	if at, ok := nodesDone(samples, 30); !ok || at != sec(2) {
		t.Errorf("nodesDone = %v, %v; want 2s, true", at, ok)
	}
	if _, ok := nodesDone(samples, 31); ok {
		t.Error("nodesDone found more nodes than any sample saw")
	}
}

func TestLoadSample(t *testing.T) {
	st := checkpoint.Status{
		Nodes:         map[string]int64{"Country": 2, "Learner": 5},
		Relationships: map[string]int64{"RESIDES_IN": 5, "HAS_SKILL": 9},
		Loaded: checkpoint.Loaded{
			Nodes:         map[string]int64{"Country": 2, "Learner": 5},
			Relationships: map[string]int64{"RESIDES_IN": 5, "HAS_SKILL": 4},
		},
	}
	got := loadSample(sec(7), st)
	want := sample{At: sec(7), Count: 16, Nodes: 7, Label: "HAS_SKILL"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("loadSample (-want +got):\n%s", d)
	}
	st.Loaded.Relationships["HAS_SKILL"] = 9
	if got := inProgress(st); got != "" {
		t.Errorf("inProgress of a complete load = %q, want \"\"", got)
	}
	st.Loaded.Nodes["Learner"] = 1
	if got := inProgress(st); got != "Learner" {
		t.Errorf("inProgress = %q, want Learner (nodes come first)", got)
	}
	st.Mode = "create"
	st.Loaded.Nodes["Country"] = 1
	if got := inProgress(st); got != "Country" {
		t.Errorf("inProgress of a create mode load = %q, want Country (shared nodes come first)", got)
	}
	st.Loaded.Nodes["Country"] = 2
	if got := inProgress(st); got != learnerGroup {
		t.Errorf("inProgress of a create mode load = %q, want %s", got, learnerGroup)
	}
}

func TestWriteSeries(t *testing.T) {
	var b strings.Builder
	err := writeSeries(&b, []Point{{Phase: "load", T: 2.5, Rate: 1234.5, Unit: "entities/s", Count: 3000, Label: "a,b"}})
	if err != nil {
		t.Fatal(err)
	}
	want := "phase,t_seconds,rate,unit,count,in_progress\nload,2.5,1234.5,entities/s,3000,\"a,b\"\n"
	if d := cmp.Diff(want, b.String()); d != "" {
		t.Errorf("series CSV (-want +got):\n%s", d)
	}
}

func TestTicks(t *testing.T) {
	for _, tc := range []struct {
		max  float64
		n    int
		want []float64
	}{
		{9, 10, []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}},
		{37000, 5, []float64{0, 10000, 20000, 30000, 40000}},
		{2.86, 10, []float64{0, 0.5, 1, 1.5, 2, 2.5, 3}},
		{0, 5, []float64{0, 1}},
	} {
		if d := cmp.Diff(tc.want, ticks(tc.max, tc.n)); d != "" {
			t.Errorf("ticks(%v, %d) (-want +got):\n%s", tc.max, tc.n, d)
		}
	}
}

func TestFormats(t *testing.T) {
	got := []string{short(950), short(1500), short(12000), short(1.5e6), short(2e6), short(0.5),
		count(0), count(999), count(1000), count(1700000), count(-12345),
		secs(9.96), secs(123.4), hours(90), hours(68000), mb(13073265), mb(1109876543),
		mib(0), mib(3 << 20), cores(1.5, 2), cores(0, 2)}
	want := []string{"950", "1.5k", "12k", "1.5M", "2M", "0.5",
		"0", "999", "1,000", "1,700,000", "-12,345",
		"10.0", "123", "1.5 min", "18.9 h", "13.1 MB", "1.11 GB",
		"–", "3 MiB", "0.75", "–"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("formats (-want +got):\n%s", d)
	}
}

func TestStepPathAndBands(t *testing.T) {
	pts := []Point{{T: 2, Rate: 10}, {T: 4, Rate: 20}}
	got := stepPath(pts, func(t float64) float64 { return t * 10 }, func(r float64) float64 { return 100 - r })
	if want := "M0.0 90.0 H20.0 V80.0 H40.0"; got != want {
		t.Errorf("stepPath = %q, want %q", got, want)
	}
	samples := []sample{{At: sec(1), Label: "Country"}, {At: sec(2), Label: "Learner"}, {At: sec(3), Label: "Learner"},
		{At: sec(4), Label: "HAS_SKILL"}, {At: sec(5)}}
	wantBands := []band{{0, 1, "Country", 0}, {1, 3, "Learner", 0}, {3, 4, "HAS_SKILL", 0}}
	if d := cmp.Diff(wantBands, bands(samples), cmp.AllowUnexported(band{})); d != "" {
		t.Errorf("bands (-want +got):\n%s", d)
	}
}

func TestBucketRates(t *testing.T) {
	samples := []sample{{At: sec(1), Label: "Learner", CPU: 100.5}, {At: sec(3), Label: "Learner", CPU: 102.5},
		{At: sec(4), Label: "HAS_SKILL", CPU: 103}, {At: sec(8), Label: "HAS_SKILL", CPU: 106}, {At: sec(9), CPU: 106.2}}
	got := bucketRates(samples, map[string]int64{"Learner": 3000, "HAS_SKILL": 10000})
	want := []BucketRate{{Name: "Learner", Entities: 3000, Seconds: 3, Neo4jCPU: 2}, {Name: "HAS_SKILL", Entities: 10000, Seconds: 5, Neo4jCPU: 3.5}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("bucketRates (-want +got):\n%s", d)
	}
	wantTable := "| bucket | entities | seconds | entities/s | Neo4j cores | Neo4j µs/entity |\n|---|--:|--:|--:|--:|--:|\n" +
		"| Learner | 3,000 | 3.0 | 1,000 | 0.67 | 666.7 |\n| HAS_SKILL | 10,000 | 5.0 | 2,000 | 0.70 | 350.0 |\n"
	if d := cmp.Diff(wantTable, bucketTable(got)); d != "" {
		t.Errorf("bucketTable (-want +got):\n%s", d)
	}
}

// TestChart checks that the chart is well-formed XML with a line per
// panel that has points, and that text is escaped.
func TestChart(t *testing.T) {
	svg := chart("rows <&> bytes", []panel{
		{Title: "stage", Points: []Point{{T: 2, Rate: 7000}, {T: 3, Rate: 6500}}},
		{Title: "load", Points: []Point{{T: 2, Rate: 30000, Label: "Learner"}}, Bands: []band{{0, 2, "Learner", 0}}},
		{Title: "empty"},
	})
	d := xml.NewDecoder(strings.NewReader(svg))
	var paths, texts []string
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("chart is not well-formed XML: %v\n%s", err, svg)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "path" {
			paths = append(paths, se.Name.Local)
		}
		if cd, ok := tok.(xml.CharData); ok && strings.TrimSpace(string(cd)) != "" {
			texts = append(texts, string(cd))
		}
	}
	if len(paths) != 2 {
		t.Errorf("chart has %d lines, want 2 (the empty panel has none)", len(paths))
	}
	for _, want := range []string{"rows <&> bytes", "stage", "load", "Learner", "no samples", "30k", "seconds"} {
		found := false
		for _, s := range texts {
			found = found || s == want
		}
		if !found {
			t.Errorf("chart has no text %q; texts: %q", want, texts)
		}
	}
}

func TestTable(t *testing.T) {
	r := Result{
		Machine: Machine{Cores: 2, MemBytes: 24 << 30, CPU: "AMD EPYC", Kernel: "6.1", Go: "go1.26", Neo4j: "5.26.19 community"},
		Rows:    1700000, Bytes: 1100000000, Staged: 1683000, Rejected: 17000, Nodes: 4000000, Relationships: 17000000,
		Mode: "create", Workers: 2, BatchSize: 5000,
		Stage:       Phase{Seconds: 50, PeakHeap: 100 << 20, PeakRSS: 300 << 20, PeakAnon: 200 << 20, CPU: 80, Neo4jCPU: 1, LoadAvg: [2]float64{1, 2}},
		Load:        Phase{Seconds: 500, PeakHeap: 120 << 20, PeakRSS: 900 << 20, CPU: 100, Neo4jCPU: 700},
		NodeSeconds: 100, Batches: 4200, Transactions: 4250, Retries: map[string]int64{"Neo.TransientError.Transaction.DeadlockDetected": 3},
		Verify: Phase{Seconds: 2}, ClearLoaded: Phase{Seconds: 200, Neo4jCPU: 300},
		Baseline: &Baseline{Rows: 2000, Bytes: 1300000, Nodes: 10000, Relationships: 20000, NodeSeconds: 25, RelSeconds: 55,
			Transactions: 30000, Phase: Phase{Seconds: 80, PeakHeap: 20 << 20, PeakRSS: 40 << 20}},
	}
	want := `| run | rows | input | stage s | load s | rows/s (stage+load) | nodes/s | rels/s | Neo4j transactions | peak Go heap stage / load | peak RSS stage / load | speed-up |
|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|
| seed's way: 1 transaction per entity (measured on the first 2,000 rows, extrapolated) | 1,700,000 | 1.10 GB | – | 68,000 (18.9 h) | 25 | 400 | 364 | ≈ 25,500,000 | – / 20 MiB | – / 40 MiB | 1× |
| importer: stage, then load (create, 2 workers × 5,000) | 1,700,000 | 1.10 GB | 50.0 | 500 | 3,091 | – | – | 4,250 (4,200 batches) | 100 MiB / 120 MiB | 300 MiB / 900 MiB | 124× |

Machine: 2 cores (AMD EPYC), 24.0 GiB memory, Linux 6.1, go1.26, Neo4j 5.26.19 community on the same machine.
Graph: 1,700,000 rows read, 1,683,000 staged, 17,000 rejected; 4,000,000 nodes and 17,000,000 relationships (21,000,000 entities).
Load: learners with their state nodes and relationships written together (nodes/s and rels/s do not apply); 3 retries (DeadlockDetected×3); verify: no differences in 2.0 s.
CPU cost: stage 47.1 µs of importer CPU per row; load 33.3 µs of Neo4j CPU and 4.8 µs of importer CPU per entity.
- generate      0.0 s  importer CPU – cores, Neo4j CPU – cores, load average 0.0 → 0.0, peak RSS without mapped files –
- stage        50.0 s  importer CPU 1.60 cores, Neo4j CPU 0.02 cores, load average 1.0 → 2.0, peak RSS without mapped files 200 MiB
- clear         0.0 s  importer CPU – cores, Neo4j CPU – cores, load average 0.0 → 0.0, peak RSS without mapped files –
- load          500 s  importer CPU 0.20 cores, Neo4j CPU 1.40 cores, load average 0.0 → 0.0, peak RSS without mapped files –
- verify        2.0 s  importer CPU – cores, Neo4j CPU – cores, load average 0.0 → 0.0, peak RSS without mapped files –
- wipe          200 s  importer CPU – cores, Neo4j CPU 1.50 cores, load average 0.0 → 0.0, peak RSS without mapped files –
- baseline     80.0 s  for 2,000 rows (1.3 MB, 10,000 nodes, 20,000 relationships, no differences), importer CPU – cores, Neo4j CPU – cores, load average 0.0 → 0.0
`
	if d := cmp.Diff(want, table(r)); d != "" {
		t.Errorf("table (-want +got):\n%s", d)
	}
	r.Report = &ReportPhase{Phase: Phase{Seconds: 31.5, CPU: 2, Neo4jCPU: 50}, Slowest: []QueryTiming{{"shape/components", 9.25}, {"skills/pairs", 4}}}
	line := "- report       31.5 s  importer CPU 0.06 cores, Neo4j CPU 1.59 cores, load average 0.0 → 0.0; 0 failed queries; slowest: shape/components 9.2 s, skills/pairs 4.0 s\n"
	if got := table(r); !strings.Contains(got, line) {
		t.Errorf("table with a report phase lacks\n%s\ngot:\n%s", line, got)
	}
}

func TestSweepTable(t *testing.T) {
	runs := []SweepRun{
		{BatchSize: 1000, Workers: 1, Entities: 1000, Phase: Phase{Seconds: 2, Neo4jCPU: 2}},
		{BatchSize: 1000, Workers: 1, Entities: 1000, Phase: Phase{Seconds: 1, Neo4jCPU: 1}},
		{BatchSize: 1000, Workers: 1, Entities: 1000, Phase: Phase{Seconds: 4, Neo4jCPU: 3}},
		{BatchSize: 5000, Workers: 1, Entities: 1000, Phase: Phase{Seconds: 0.5}},
	}
	got := sweepTable(100, 1000, []int{1000, 5000}, []int{1, 2}, runs)
	want := `Load of 100 rows (1,000 entities), create mode; entities/s (load seconds), median of 1 run(s):

| batch size | 1 worker | 2 workers |
|--:|--:|--:|
| 1,000 | 500 (2.0 s) | – |
| 5,000 | **2,000** (0.5 s) | – |

Neo4j CPU per entity, in µs, of the same runs (CPU seconds of the Neo4j process over entities written: steadier than wall time on a shared machine):

| batch size | 1 worker | 2 workers |
|--:|--:|--:|
| 1,000 | 2000.0 | – |
| 5,000 | – | – |

Machine load average during the sweep 0.0–0.0; Neo4j used 0.80 cores on average; no retries.
`
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("sweep table (-want +got):\n%s", d)
	}
}

func TestProcCPU(t *testing.T) {
	if _, ok := procCPU(os.Getpid()); !ok {
		t.Error("procCPU cannot read this process's CPU time")
	}
	if _, ok := procCPU(0); ok {
		t.Error("procCPU(0) reported a time")
	}
	if got := txBetween(10, 15); got != 4 {
		t.Errorf("txBetween(10, 15) = %d, want 4", got)
	}
	if got := txBetween(-1, 15); got != -1 {
		t.Errorf("txBetween(-1, 15) = %d, want -1", got)
	}
}

// TestHelpRedactsTheURI: -h shows the --uri default from NEO4J_URI without
// its password.
func TestHelpRedactsTheURI(t *testing.T) {
	var stdout, stderr strings.Builder
	env := func(k string) string {
		if k == "NEO4J_URI" {
			return "neo4j://bob:s3cret@db.example:7687"
		}
		return ""
	}
	if err := run(context.Background(), []string{"-h"}, &stdout, &stderr, env); err != nil {
		t.Fatal(err)
	}
	if out := stdout.String() + stderr.String(); strings.Contains(out, "s3cret") || !strings.Contains(out, "neo4j://***@db.example:7687") {
		t.Errorf("help shows the password or no URI:\n%s", out)
	}
}

// TestRefusesADatabaseNotMarkedForTests: the benchmark clears its
// database, so like the tests it refuses one it cannot prove is the repo's
// test database (here: the mark looked for under a name no database has),
// before it writes anything, and names the ways out.
func TestRefusesADatabaseNotMarkedForTests(t *testing.T) {
	graphwritetest.Driver(t) // skips without the test Neo4j
	out := filepath.Join(t.TempDir(), "bench")
	var stderr strings.Builder
	cfg, err := parseFlags([]string{"-rows", "10", "-baseline-rows", "0", "-offline=false", "-out", out}, io.Discard, &stderr, os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	cfg.mark = "no_such_mark"
	cfg.optIn = ""
	err = start(context.Background(), cfg)
	if !errors.Is(err, graphwritetest.ErrNotOurs) || !strings.Contains(err.Error(), "-clear-any-database") || !strings.Contains(err.Error(), graphwritetest.OptInVar) {
		t.Errorf("start = %v; want %v naming -clear-any-database and %s", err, graphwritetest.ErrNotOurs, graphwritetest.OptInVar)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the refused benchmark made %s (%v): it must refuse before writing anything", out, err)
	}
	// The opt-in by URI lets it through the check (then -clear-any-database
	// is not needed).
	cfg.optIn = os.Getenv("NEO4J_URI")
	if u := cfg.conn.URI; cfg.optIn == "" || strings.Contains(u, "@") {
		return
	}
	if err := mayClear(context.Background(), cfg); err != nil {
		t.Errorf("opted in by %s=%s: %v", graphwritetest.OptInVar, cfg.optIn, err)
	}
}
