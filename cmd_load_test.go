package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/graphwrite"
	"github.com/learnergraph/importer/graphwrite/graphwritetest"
	"github.com/learnergraph/importer/samplegen"
	"github.com/learnergraph/importer/staging"
)

// neo4jEnv is the environment of the commands under test: the NEO4J_*
// variables of the test process (the test Neo4j, whose password defaults
// to the local one's, as in graphwritetest), nothing else.
func neo4jEnv(name string) string {
	switch v := os.Getenv(name); {
	case !strings.HasPrefix(name, "NEO4J_"):
		return ""
	case name == "NEO4J_PASSWORD" && v == "":
		return "importer-local"
	default:
		return v
	}
}

// runCmd runs `importer args...` with stdin and returns its exit status,
// stdout and stderr.
func runCmd(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &stdout, &stderr, neo4jEnv)
	return exitCode(err, &stderr), stdout.String(), stderr.String()
}

// stagedState stages a generated CSV of rows rows into a new state file.
func stagedState(t *testing.T, rows int) string {
	t.Helper()
	dir := t.TempDir()
	csv := filepath.Join(dir, "learners.csv")
	f, err := os.Create(csv)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := samplegen.Generate(f, samplegen.GenOptions{Rows: rows, Seed: 5, BadRate: 0.02}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	state := filepath.Join(dir, "import.db")
	if _, err := staging.Stage(context.Background(), csv, state, staging.Options{}); err != nil {
		t.Fatal(err)
	}
	return state
}

// withState runs fn on the state file in a write transaction.
func withState(t *testing.T, state string, fn func(tx *bolt.Tx) error) {
	t.Helper()
	db, err := checkpoint.Open(state)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(fn); err != nil {
		t.Fatal(err)
	}
}

func TestLoadUsageErrors(t *testing.T) {
	unstaged := filepath.Join(t.TempDir(), "unstaged.db")
	db, err := checkpoint.Create(unstaged, false)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	inProgress := stagedState(t, 20)
	withState(t, inProgress, func(tx *bolt.Tx) error {
		return checkpoint.WriteLoadPlan(tx, checkpoint.LoadPlan{Mode: "create", RunID: "r1", Partitions: 4})
	})
	missing := filepath.Join(t.TempDir(), "missing.db")
	tests := []struct {
		args []string
		want string // in stderr
	}{
		{[]string{"load", "--mode", "upsert", "--state", inProgress}, "unknown write mode"},
		{[]string{"load", "--workers", "0", "--state", inProgress}, "--workers must be at least 1"},
		{[]string{"load", "--batch-size", "-5", "--state", inProgress}, "--batch-size must be at least 1"},
		{[]string{"load", "--tx-timeout", "500ms", "--state", inProgress}, "--tx-timeout must be at least 1s, not 500ms"},
		{[]string{"load", "--state", missing}, "state file not found"},
		{[]string{"load", "--state", unstaged}, "staging is not done; finish it with: importer resume"},
		{[]string{"load", "--state", inProgress}, "has a load in progress (run r1, mode create): continue it with `importer resume"},
		{[]string{"load", "--state", inProgress, "extra"}, "unexpected argument \"extra\""},
		{[]string{"verify", "--state", missing}, "state file not found"},
	}
	for _, tt := range tests {
		code, _, stderr := runCmd(t, "", tt.args...)
		if code != exitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("importer %v: status %d, stderr %q; want %d and %q", tt.args, code, stderr, exitUsage, tt.want)
		}
	}
}

func TestResumeFlagsAgainstThePlan(t *testing.T) {
	state := stagedState(t, 20)
	withState(t, state, func(tx *bolt.Tx) error {
		return checkpoint.WriteLoadPlan(tx, checkpoint.LoadPlan{Mode: "create", RunID: "r1", Partitions: 4})
	})
	for _, tt := range []struct {
		f    loadFlags
		want string
	}{
		{loadFlags{state: state, workers: 1, batchSize: 1, txTimeout: time.Minute, restart: true}, "--restart starts a new load"},
		{loadFlags{state: state, workers: 1, batchSize: 1, txTimeout: time.Minute, mode: "merge"}, "this load runs in create mode"},
	} {
		var stderr bytes.Buffer
		rc := &rootConfig{stdin: strings.NewReader(""), stdout: &stderr, stderr: &stderr, getenv: neo4jEnv}
		err := tt.f.run(context.Background(), rc, true)
		if code := exitCode(err, &stderr); code != exitUsage || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("resume with %+v: status %d, %q; want %d and %q", tt.f, code, stderr.String(), exitUsage, tt.want)
		}
	}
}

func TestClearDatabaseWantsConfirmation(t *testing.T) {
	code, _, stderr := runCmd(t, "neo4j\n", "clear-database")
	if code != exitUsage || !strings.Contains(stderr, "pass --yes") {
		t.Errorf("clear-database without a terminal: status %d, %q", code, stderr)
	}
	for _, tt := range []struct {
		in   string
		want bool
	}{{"neo4j\n", true}, {"neo4j", true}, {"  neo4j  \n", true}, {"yes\n", false}, {"", false}} {
		var prompt bytes.Buffer
		ok, _ := confirm(strings.NewReader(tt.in), &prompt, "sure? ", "neo4j")
		if ok != tt.want || prompt.String() != "sure? " {
			t.Errorf("confirm(%q) = %v (prompt %q), want %v", tt.in, ok, prompt.String(), tt.want)
		}
	}
}

func TestSummary(t *testing.T) {
	got := summary(graphwrite.Stats{Mode: graphwrite.ModeCreate, Nodes: 100, Relationships: 300, Batches: 4, Skipped: 1,
		Elapsed: 2 * time.Second, Retries: map[string]int64{"connection": 2, "Neo.TransientError.Transaction.DeadlockDetected": 1}})
	want := "loaded 100 nodes and 300 relationships in 2s (50 nodes/s, 150 relationships/s, mode create, 4 batches, " +
		"1 found already committed, retried: Neo.TransientError.Transaction.DeadlockDetected×1 connection×2)"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
}

// TestLoadVerifyClear runs the commands end to end against the test Neo4j.
func TestLoadVerifyClear(t *testing.T) {
	graphwritetest.Lock(t)
	graphwritetest.Driver(t)
	state := stagedState(t, 300)

	if code, _, stderr := runCmd(t, "", "clear-database", "--yes"); code != exitOK {
		t.Fatalf("clear-database: %d %s", code, stderr)
	}
	code, _, stderr := runCmd(t, "", "load", "--state", state, "--workers", "2", "--batch-size", "100")
	if code != exitOK || !strings.Contains(stderr, "mode create") {
		t.Fatalf("load: %d %s", code, stderr)
	}
	code, stdout, stderr := runCmd(t, "", "verify", "--state", state)
	if code != exitOK || !strings.Contains(stdout, "matches") {
		t.Fatalf("verify: %d %s %s", code, stdout, stderr)
	}
	// A finished load loaded again is a new run, in merge mode (auto).
	code, _, stderr = runCmd(t, "", "load", "--state", state)
	if code != exitOK || !strings.Contains(stderr, "mode merge") {
		t.Fatalf("second load: %d %s", code, stderr)
	}
	code, _, stderr = runCmd(t, "", "clear-database", "--yes")
	if code != exitOK || !strings.Contains(stderr, "deleted") {
		t.Fatalf("clear-database: %d %s", code, stderr)
	}
	code, stdout, stderr = runCmd(t, "", "verify", "--state", state, "--sample", "5")
	if code != exitMismatch || !strings.Contains(stdout, "nodes Learner:") || !strings.Contains(stderr, "differences") {
		t.Fatalf("verify of an empty database: %d %s %s", code, stdout, stderr)
	}
	code, stdout, _ = runCmd(t, "", "ping")
	if code != exitOK || !strings.HasPrefix(stdout, "Neo4j/5") {
		t.Fatalf("ping: %d %q", code, stdout)
	}
}

func TestConnectionErrors(t *testing.T) {
	graphwritetest.Lock(t) // the graphwrite tests restart Neo4j under this lock
	graphwritetest.Driver(t)
	tests := []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"ping", "--uri", "neo4j://127.0.0.1:1"}, nil, "neo4j unreachable"},
		{[]string{"ping", "--database", "no-such-db"}, nil, "database does not exist"},
		{[]string{"ping"}, map[string]string{"NEO4J_PASSWORD": "wrong-password"}, "authentication failed"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		getenv := func(k string) string {
			if v, ok := tt.env[k]; ok {
				return v
			}
			return neo4jEnv(k)
		}
		err := run(context.Background(), tt.args, strings.NewReader(""), &stdout, &stderr, getenv)
		code := exitCode(err, &stderr)
		if code != exitFailure || !strings.Contains(stderr.String(), tt.want) || strings.Count(stderr.String(), "\n") != 1 {
			t.Errorf("importer %v: status %d, %q; want %d and one line with %q", tt.args, code, stderr.String(), exitFailure, tt.want)
		}
		if strings.Contains(stderr.String(), "wrong-password") {
			t.Errorf("the password was printed: %s", stderr.String())
		}
	}
}
