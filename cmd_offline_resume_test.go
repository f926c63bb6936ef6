package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/learnergraph/importer/checkpoint"
)

// offlineRecord reads the offline load in progress from the state file.
func offlineRecord(t *testing.T, state string) (checkpoint.OfflineRun, bool) {
	t.Helper()
	db, err := checkpoint.OpenReadOnly(state)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var r checkpoint.OfflineRun
	var ok bool
	err = db.View(func(tx *bolt.Tx) (err error) {
		r, ok, err = checkpoint.ReadOfflineRun(tx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return r, ok
}

// TestOfflineLoadResumesAfterSIGKILL runs `importer load --offline` into
// a second Neo4j that the repo's launcher started in a home of its own
// (NEO4J_HOME_DIR), named with --neo4j-home, and has the real binary
// killed with SIGKILL right after each step in turn
// (IMPORTER_TEST_OFFLINE_KILL): target checked, export done, Neo4j
// stopped, import done
// but not swapped in, swap begun, swapped but Neo4j not started, started
// but no constraints. Each rerun — `load --offline` again, or `importer
// resume` — continues after the recorded step and redoes none of the
// finished ones: over all the runs the export is written once, Neo4j is
// stopped once, the import tool runs once. The end is an offline load like
// an uninterrupted one: status loaded (mode offline), verify finds no
// difference.
func TestOfflineLoadResumesAfterSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a second Neo4j and bulk-imports into it")
	}
	bin := importerBinary(t)
	home := filepath.Join(t.TempDir(), "home")
	addr, neoEnv := startSecondNeo4j(t, home)
	env := []string{"NEO4J_URI=neo4j://" + addr}
	for _, kv := range neoEnv {
		if strings.HasPrefix(kv, "NEO4J_") && !strings.HasPrefix(kv, "NEO4J_URI=") {
			env = append(env, kv)
		}
	}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "NEO4J_") && !strings.HasPrefix(kv, "IMPORTER_") {
			env = append(env, kv)
		}
	}
	state := trickyState(t, 300)
	out := filepath.Join(t.TempDir(), "export")
	load := []string{"load", "--offline", "--state", state, "--out", out, "--neo4j-home", home, "--import-heap", "512m", "--import-memory", "512m"}
	resume := []string{"resume", "--state", state}
	importer := func(kill checkpoint.OfflinePhase, args []string) (string, error) {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(append([]string(nil), env...), "IMPORTER_TEST_OFFLINE_KILL="+string(kill))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		t.Logf("importer %s (killed after %q): %v\n%s", args[0], kill, err, stderr.String())
		return stderr.String(), err
	}

	var all strings.Builder
	for _, step := range []struct {
		kill checkpoint.OfflinePhase
		args []string
	}{
		{checkpoint.OfflineChecked, load},
		{checkpoint.OfflineExported, load},
		{checkpoint.OfflineStopped, load},
		{checkpoint.OfflineImported, resume},
		{checkpoint.OfflineSwapping, resume},
		{checkpoint.OfflineSwapped, load},
		{checkpoint.OfflineStarted, resume},
	} {
		stderr, err := importer(step.kill, step.args)
		all.WriteString(stderr)
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Fatalf("importer %s, to be killed after %s: %v, want killed by SIGKILL", step.args[0], step.kill, err)
		}
		if r, ok := offlineRecord(t, state); !ok || r.Phase != step.kill {
			t.Fatalf("after the kill the state file records %+v (%v), want phase %s", r, ok, step.kill)
		}
	}
	stderr, err := importer("", resume)
	all.WriteString(stderr)
	if err != nil {
		t.Fatalf("the last resume: %v", err)
	}
	if _, ok := offlineRecord(t, state); ok {
		t.Errorf("the offline load is done, but the state file still records one in progress")
	}
	log := all.String()
	for what, want := range map[string]int{
		"bulk import done":                                  1, // the import tool ran once
		"importer: stopping Neo4j":                          1,
		"the imported database is in place; starting Neo4j": 1,
		"importer: loaded ":                                 1,
	} {
		if got := strings.Count(log, what); got != want {
			t.Errorf("%q in the runs' output %d times, want %d", what, got, want)
		}
	}
	if n := strings.Count(log, "importer: exported "); n < 2 || strings.Count(log, "(0 written by this run") != n-1 {
		t.Errorf("the export was written more than once (%d export summaries)", n)
	}

	check := func(args ...string) string {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		b, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("importer %s: %v\n%s", args[0], err, b)
		}
		return string(b)
	}
	if s := check("status", "--state", state); !strings.HasPrefix(s, "phase: loaded (mode offline)") {
		t.Errorf("status after the resumed offline load:\n%s", s)
	}
	check("verify", "--state", state)
}
