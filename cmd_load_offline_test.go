package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/learnergraph/importer/graphwrite/graphwritetest"
	"github.com/learnergraph/importer/offline"
	"github.com/learnergraph/importer/samplegen"
	"github.com/learnergraph/importer/staging"
)

// localHome is the Neo4j home of the test Neo4j when it is the repo's
// local one, found as neo4j/neo4j.sh finds it (NEO4J_HOME_DIR, default
// .neo4j at the repo root); the tests that stop and start Neo4j skip
// otherwise.
func localHome(t *testing.T) offline.Home {
	t.Helper()
	dir := os.Getenv("NEO4J_HOME_DIR")
	if dir == "" {
		dir = ".neo4j"
	}
	h, err := offline.Find(dir, os.Environ())
	if err != nil {
		t.Skipf("the test Neo4j is not the repo's local one: %v", err)
	}
	if pid, _ := h.Running(context.Background()); pid == 0 {
		t.Skipf("the repo's local Neo4j at %s is not running (make neo4j-up)", h.Dir)
	}
	return h
}

// trickyState stages a generated file plus rows whose values stress the
// CSV form: quotes, commas, the default ';' array delimiter, line breaks,
// Unicode, empty strings in lists, and property types that differ between
// entities of one label.
func trickyState(t *testing.T, rows int) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "learners.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := samplegen.Generate(f, samplegen.GenOptions{Rows: rows, Seed: 7, BadRate: 0.01}); err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	for _, r := range [][]string{
		{"TRICKY1", "Anna \"Nan\" O'Neil, Jr.\nsecond line", "", "1990", "CH", "Switzerland", "JP", "Japan", "city-t1", "Zürich; 東京 😀",
			`[{"id":"sk-t1","name":"C, \"quoted\"","level":"expert"}]`, "prog-t1", "Tab\there", "", "2024-02-29",
			`[{"companyId":"co-t1","companyName":"Q \"Corp\"","title":"Dev\r\nOps","startDate":"2020-01-01","endDate":null}]`,
			`{"status":"active","since":"2024-01-01","details":{"tags":["a;b",""," padded ","\"q\"","line\nbreak","é😀"],"note":"x","level":3,"flag":true,"ratio":0.1,"big":9007199254740993,"neg":-0.0}}`,
			`{"status":"employed","since":"2023-05-05","details":{"languages":["","x"],"exam":{"score":1.5}}}`},
		{"TRICKY2", "", "", "", "", "", "", "", "", "", `[{"id":"sk-t1","name":"C, \"quoted\"","level":true}]`, "", "", "", "", "",
			`{"status":"paused","since":"2024-01-02","details":{"level":"high","tags":"single","flag":"yes"}}`,
			`{"status":"employed","since":"2023-05-06","details":{"languages":["only"],"exam":{"score":2}}}`},
	} {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(dir, "import.db")
	if _, err := staging.Stage(context.Background(), path, state, staging.Options{}); err != nil {
		t.Fatal(err)
	}
	return state
}

// graph is a whole graph as read back from Neo4j, with Neo4j's own value
// types (so Integer, Float, String, Boolean, Date and lists of them must
// match too), minus the importer's watermarks.
type graph struct {
	Nodes []string
	Rels  []string
}

func readGraph(t *testing.T) graph {
	t.Helper()
	driver, database := graphwritetest.Driver(t)
	ctx := context.Background()
	run := func(cypher string) []*neo4j.Record {
		res, err := neo4j.ExecuteQuery(ctx, driver, cypher, nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(database))
		if err != nil {
			t.Fatal(err)
		}
		return res.Records
	}
	var g graph
	for _, r := range run("MATCH (n) WHERE NOT n:ImporterWatermark RETURN labels(n), properties(n)") {
		g.Nodes = append(g.Nodes, fmt.Sprintf("%v %s", r.Values[0], typed(r.Values[1])))
	}
	for _, r := range run("MATCH (a)-[r]->(b) RETURN labels(a), properties(a), type(r), properties(r), labels(b), properties(b)") {
		g.Rels = append(g.Rels, fmt.Sprintf("%v%s -%s %s-> %v%s", r.Values[0], typed(r.Values[1]), r.Values[2], typed(r.Values[3]), r.Values[4], typed(r.Values[5])))
	}
	sort.Strings(g.Nodes)
	sort.Strings(g.Rels)
	return g
}

// typed renders a property map with every value's Go type.
func typed(v any) string {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		b.WriteString("{")
		for _, k := range keys {
			fmt.Fprintf(&b, "%q:%s ", k, typed(v[k]))
		}
		return b.String() + "}"
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = typed(e)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case dbtype.Date:
		return "date(" + v.String() + ")"
	}
	return fmt.Sprintf("%T(%#v)", v, v)
}

// TestOfflineLoadEqualsOnline loads one state file online (create mode)
// and offline into the repo's local Neo4j and compares the two graphs
// entity by entity, property types included; then verify, the refusal of
// a non-empty target, and clear-database --offline. It stops and starts
// the local Neo4j (twice) and leaves it running.
func TestOfflineLoadEqualsOnline(t *testing.T) {
	graphwritetest.Lock(t)
	graphwritetest.Driver(t)
	localHome(t)
	state := trickyState(t, 1500)

	if code, _, stderr := runCmd(t, "", "clear-database", "--yes"); code != exitOK {
		t.Fatalf("clear-database: %d %s", code, stderr)
	}
	if code, _, stderr := runCmd(t, "", "load", "--state", state, "--mode", "create"); code != exitOK {
		t.Fatalf("online load: %d %s", code, stderr)
	}
	online := readGraph(t)
	if !strings.Contains(strings.Join(online.Nodes, "\n"), `"sandId":string("TRICKY2")`) {
		t.Fatal("the tricky rows were not staged")
	}

	code, _, stderr := runCmd(t, "", "load", "--offline", "--state", state, "--out", filepath.Join(t.TempDir(), "export"), "--overwrite-destination")
	if code != exitOK {
		t.Fatalf("load --offline: %d %s", code, stderr)
	}
	if diff := cmp.Diff(online, readGraph(t)); diff != "" {
		t.Errorf("offline graph differs from the online one (-online +offline):\n%s", diff)
	}
	if code, stdout, stderr := runCmd(t, "", "verify", "--state", state); code != exitOK {
		t.Errorf("verify after load --offline: %d %s %s", code, stdout, stderr)
	}
	if code, stdout, _ := runCmd(t, "", "status", "--state", state); code != exitOK || !strings.HasPrefix(stdout, "phase: loaded (mode offline)") {
		t.Errorf("status after load --offline: %d\n%s", code, stdout)
	}

	// A non-empty target is refused, in one line, and left as it was.
	code, _, stderr = runCmd(t, "", "load", "--offline", "--state", state, "--out", filepath.Join(t.TempDir(), "export2"))
	if code != exitUsage || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "holds") {
		t.Errorf("load --offline into a non-empty target: %d %q", code, stderr)
	}
	if n := len(readGraph(t).Nodes); n != len(online.Nodes) {
		t.Errorf("after the refusal the target holds %d nodes, want %d", n, len(online.Nodes))
	}

	code, _, stderr = runCmd(t, "", "clear-database", "--offline", "--yes")
	if code != exitOK {
		t.Fatalf("clear-database --offline: %d %s", code, stderr)
	}
	if diff := cmp.Diff(graph{}, readGraph(t)); diff != "" {
		t.Errorf("graph after clear-database --offline (-want +got):\n%s", diff)
	}
}

// fakeHome makes a local-Neo4j home in a temporary directory: the real
// classpath (so the import tool runs), a neo4j.sh that only succeeds, and
// a store file standing for a database that must survive.
func fakeHome(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	home := filepath.Join(root, ".neo4j")
	real := os.Getenv("NEO4J_HOME_DIR")
	if real == "" {
		real = ".neo4j"
	}
	cp, err := os.ReadFile(filepath.Join(real, "classpath.txt"))
	if err != nil {
		t.Skipf("no local Neo4j classpath (make neo4j-up once): %v", err)
	}
	for path, content := range map[string]string{
		filepath.Join(home, "classpath.txt"):                          string(cp),
		filepath.Join(root, "neo4j", "neo4j.sh"):                      "#!/bin/sh\nexit 0\n",
		filepath.Join(home, "data", "databases", "neo4j", "neostore"): "precious",
	} {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return home
}

// TestOfflineLoadFailures: Neo4j home not found, a Neo4j that does not
// stop, and an import tool failure each give one line and a non-zero exit,
// and leave the target's store as it was. No real Neo4j is stopped.
func TestOfflineLoadFailures(t *testing.T) {
	state := trickyState(t, 200)
	out := filepath.Join(t.TempDir(), "export")

	code, _, stderr := runCmd(t, "", "load", "--offline", "--state", state, "--out", out, "--neo4j-home", t.TempDir())
	if code != exitUsage || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "Neo4j home not found") {
		t.Errorf("home not found: %d %q", code, stderr)
	}

	home := fakeHome(t)
	precious := filepath.Join(home, "data", "databases", "neo4j", "neostore")
	code, _, stderr = runCmd(t, "", "load", "--offline", "--state", state, "--out", out, "--neo4j-home", home)
	if code != exitUsage || !strings.Contains(stderr, "not running") {
		t.Errorf("stopped Neo4j with a store, no --overwrite-destination: %d %q", code, stderr)
	}

	// A "Neo4j" that ignores SIGTERM: a shell whose command line names
	// Launcher.java, like the local launcher's.
	stubborn := exec.Command("sh", "-c", `trap "" TERM; while :; do sleep 1; done`, "Launcher.java")
	if err := stubborn.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stubborn.Process.Kill(); stubborn.Wait() })
	pidFile := filepath.Join(home, "neo4j.pid")
	if err := os.WriteFile(pidFile, []byte(fmt.Sprintf("%d\n", stubborn.Process.Pid)), 0o644); err != nil {
		t.Fatal(err)
	}
	// The target check counts the test Neo4j's database (--overwrite-destination
	// lets any count pass); then the stop fails.
	graphwritetest.Driver(t)
	code, _, stderr = runCmd(t, "", "load", "--offline", "--state", state, "--out", out, "--neo4j-home", home,
		"--overwrite-destination", "--stop-timeout", "1s")
	if code != exitFailure || !oneError(stderr, "load: ") || !strings.Contains(stderr, "did not stop") {
		t.Errorf("Neo4j that does not stop: %d %q", code, stderr)
	}
	os.Remove(pidFile)

	// An export with a bad entry (a node id given twice): the tool fails
	// and its report's first line is shown; the target store is untouched.
	if code, _, stderr := runCmd(t, "", "export", "--state", state, "--out", out); code != exitOK {
		t.Fatalf("export: %d %s", code, stderr)
	}
	data := filepath.Join(out, "nodes-Country-p0-g0.csv")
	raw, err := os.ReadFile(data)
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(string(raw), "\n")
	if err := os.WriteFile(data, append(raw, first+"\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runCmd(t, "", "load", "--offline", "--state", state, "--out", out, "--neo4j-home", home, "--overwrite-destination", "--import-heap", "512m", "--import-memory", "512m")
	if code != exitFailure || !oneError(stderr, "load: ") || !strings.Contains(stderr, "Id '") || !strings.Contains(stderr, "was not changed") {
		t.Errorf("import tool failure: %d %q", code, stderr)
	}
	if got, err := os.ReadFile(precious); err != nil || string(got) != "precious" {
		t.Errorf("the target store was touched: %q %v", got, err)
	}
}

// oneError reports whether stderr ends with exactly one error line, of
// the command named by prefix, after any progress lines.
func oneError(stderr, prefix string) bool {
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	errs := 0
	for _, l := range lines {
		if strings.HasPrefix(l, "importer: "+prefix) {
			errs++
		}
	}
	return errs == 1 && strings.HasPrefix(lines[len(lines)-1], "importer: "+prefix)
}
