package graphwrite

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// skipOrFail skips a test that cannot run here, except under CI=true,
// where it fails.
func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}

// localNeo4jPID returns the pid of the repository's local Neo4j (see
// findLocalNeo4j); a test may kill it. It skips the test when there is
// none, or fails it under CI=true.
func localNeo4jPID(t *testing.T) int {
	t.Helper()
	pid, why, err := findLocalNeo4j()
	if err != nil {
		t.Fatal(err)
	}
	if why != "" {
		skipOrFail(t, "%s", why)
	}
	return pid
}

// findLocalNeo4j returns the pid of the repository's local Neo4j, the one
// neo4j/neo4j.sh manages, found the way neo4j.sh finds it: NEO4J_PORT
// (7687) and the pid file in NEO4J_HOME_DIR (.neo4j, relative to the
// repository). It makes sure that this process is our launcher, started
// from this repository, serving the port the tests use; if not, it says
// why not.
func findLocalNeo4j() (pid int, whyNot string, err error) {
	root, err := filepath.Abs("..")
	if err == nil {
		root, err = filepath.EvalSymlinks(root) // as /proc/PID/cwd shows it
	}
	if err != nil {
		return 0, "", err
	}
	port := os.Getenv("NEO4J_PORT")
	if port == "" {
		port = "7687"
	}
	if u, err := url.Parse(testConfig().URI); err != nil || u.Port() != port {
		return 0, fmt.Sprintf("the test Neo4j (NEO4J_URI %s) is not the local Neo4j on port %s that neo4j/neo4j.sh manages (NEO4J_PORT)", testConfig().URI, port), nil
	}
	home := os.Getenv("NEO4J_HOME_DIR")
	if home == "" {
		home = ".neo4j"
	}
	if !filepath.IsAbs(home) {
		home = filepath.Join(root, home)
	}
	b, err := os.ReadFile(filepath.Join(home, "neo4j.pid"))
	if err != nil {
		return 0, fmt.Sprintf("no local Neo4j started by neo4j/neo4j.sh: %v", err), nil
	}
	pid, err = strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 1 {
		return 0, "", fmt.Errorf("pid file %s: %q", filepath.Join(home, "neo4j.pid"), b)
	}
	proc := fmt.Sprintf("/proc/%d/", pid)
	cmdline, _ := os.ReadFile(proc + "cmdline")
	environ, _ := os.ReadFile(proc + "environ")
	cwd, _ := os.Readlink(proc + "cwd")
	envPort := "7687"
	for _, kv := range bytes.Split(environ, []byte{0}) {
		if v, ok := bytes.CutPrefix(kv, []byte("NEO4J_PORT=")); ok {
			envPort = string(v)
		}
	}
	if !bytes.Contains(cmdline, []byte("Launcher.java")) || cwd != root || envPort != port {
		return 0, fmt.Sprintf("pid %d (pid file in %s) is not this repository's launcher on port %s: cmdline %q, directory %q, NEO4J_PORT %s",
			pid, home, port, bytes.ReplaceAll(cmdline, []byte{0}, []byte{' '}), cwd, envPort), nil
	}
	return pid, "", nil
}

// waitGone waits until process pid has exited (or is a zombie).
func waitGone(t *testing.T, pid int) {
	t.Helper()
	for range 600 {
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil || strings.Contains(string(stat), ") Z ") {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("Neo4j (pid %d) still runs 30 s after SIGKILL", pid)
}

// committedWatermarks counts the partitions with at least one committed
// batch in Neo4j.
func committedWatermarks(ctx context.Context, g *Graph) (int64, error) {
	recs, err := g.query(ctx, "MATCH (w:"+quote(watermarkLabel)+") WHERE w.written > 0 RETURN count(w) AS n", nil)
	if err != nil {
		return 0, err
	}
	n, _ := recs[0].Get("n")
	return n.(int64), nil
}

// TestNeo4jSIGKILLDuringLoad kills the local Neo4j with SIGKILL once a
// real `importer load` has committed a batch, restarts it with
// neo4j/neo4j.sh up, and finishes with `importer resume`: the graph is an
// uninterrupted load's. Neo4j is left running.
func TestNeo4jSIGKILLDuringLoad(t *testing.T) {
	if os.Getenv("CI") != "true" && os.Getenv("IMPORTER_TEST_RESTART") == "" {
		t.Skip("kills and restarts Neo4j: set IMPORTER_TEST_RESTART=1 (CI=true runs it)")
	}
	g := testGraph(t)
	pid := localNeo4jPID(t)
	bin := buildImporter(t)
	want := referenceDump(t, g, crashRows, 1)
	clearGraph(t, g)
	state := stagedFile(t, crashRows, 1)

	// A short retry budget: the load gives up soon after Neo4j dies, and
	// resume has to finish it.
	load := exec.Command(bin, "load", "--state", state, "--workers", "2", "--batch-size", "20", "--retry-for", "1s")
	load.Env = importerEnv()
	var stderr bytes.Buffer
	load.Stderr = &stderr
	if err := load.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- load.Wait() }()

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	for {
		n, err := committedWatermarks(ctx, g)
		if err != nil {
			t.Fatalf("read watermarks: %v", err)
		}
		if n > 0 {
			break
		}
		select {
		case err := <-exited:
			t.Fatalf("the load ended before any batch was seen committed: %v\n%s", err, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatalf("SIGKILL Neo4j (pid %d): %v", pid, err)
	}
	t.Logf("SIGKILLed Neo4j (pid %d) after the first committed batch", pid)
	// Recovery after SIGKILL on a busy machine can outlast neo4j.sh's
	// default 180 s wait for Bolt.
	timeout := os.Getenv("NEO4J_START_TIMEOUT")
	if timeout == "" {
		timeout = "600"
	}
	up := []string{"env", "NEO4J_START_TIMEOUT=" + timeout, "bash", filepath.Join("..", "neo4j", "neo4j.sh"), "up"}
	t.Cleanup(func() { runControl(t, up) }) // idempotent: leave Neo4j running, even after a failure
	waitGone(t, pid)

	err := <-exited
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(stderr.String(), ErrGaveUp.Error()) {
		t.Fatalf("the load with Neo4j killed: %v, want exit status 1 and %q:\n%s", err, ErrGaveUp, stderr.String())
	}
	t.Logf("the load stopped: %s", lastLine(stderr.String()))
	runControl(t, up)
	t.Log(runImporter(t, bin, "resume", "--state", state))
	if diff := cmp.Diff(want, dump(t, g), cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("after SIGKILL of Neo4j and resume, the graph differs from an uninterrupted load (-want +got):\n%s", diff)
	}
	db := openState(t, state)
	if diffs, err := Verify(context.Background(), g, db, VerifyOptions{Seed: 5}); err != nil || len(diffs) > 0 {
		t.Fatalf("verify: %v %v", err, diffs)
	}
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	return s[strings.LastIndex(s, "\n")+1:]
}
