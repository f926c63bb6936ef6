package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	bolt "go.etcd.io/bbolt"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/graphwrite"
	"github.com/learnergraph/importer/graphwrite/graphwritetest"
	"github.com/learnergraph/importer/staging"
)

// TestInterruptDoesNotWaitForTheBatchInFlight holds, in a transaction of
// its own, the unique-index entries of every staged Learner, so the load's
// Learner batches block inside Neo4j. Once Neo4j shows one blocked, it
// cancels the load as SIGINT does: the load must end with the interrupted
// status while the blocking transaction is still open, i.e. without
// waiting for the batch in flight; a resume then finishes a graph that
// verify finds equal to the state file. The minute is a bound on a
// failure; a pass does not wait for it.
func TestInterruptDoesNotWaitForTheBatchInFlight(t *testing.T) {
	graphwritetest.Lock(t)
	driver, database := graphwritetest.Driver(t)
	ctx := context.Background()
	state := stagedState(t, 200)
	if code, _, stderr := runCmd(t, "", "clear-database", "--yes"); code != exitOK {
		t.Fatalf("clear-database: %d %s", code, stderr)
	}
	beginLoad(t, state) // the constraints, without which nothing blocks

	blocker := holdLearnerKeys(t, driver, database, state)
	defer blocker.Rollback(ctx)

	loadCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan string, 1)
	go func() {
		var stdout, stderr bytes.Buffer
		err := run(loadCtx, []string{"resume", "--state", state, "--workers", "2", "--batch-size", "20"}, strings.NewReader(""), &stdout, &stderr, neo4jEnv)
		code := exitCode(err, &stderr)
		done <- strings.Join([]string{strconv.Itoa(code), stderr.String()}, " ")
	}()
	waitForBlockedTransaction(t, driver, database, done)
	cancel()
	select {
	case got := <-done:
		if !strings.HasPrefix(got, strconv.Itoa(exitInterrupted)+" ") || !strings.Contains(got, "importer: resume: interrupted at a clean checkpoint") {
			t.Errorf("interrupted load: %s; want exit %d and the interrupted line", got, exitInterrupted)
		}
	case <-time.After(time.Minute):
		t.Fatal("the interrupted load is still waiting for its batch in flight")
	}
	if err := blocker.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCmd(t, "", "resume", "--state", state); code != exitOK {
		t.Fatalf("resume: %d %s", code, stderr)
	}
	if code, stdout, stderr := runCmd(t, "", "verify", "--state", state); code != exitOK {
		t.Fatalf("verify after the interrupt and resume: %d %s %s", code, stdout, stderr)
	}
}

// holdLearnerKeys creates, in a transaction it leaves open, a Learner for
// every staged learner key: until it ends, every Learner batch of a load
// blocks in Neo4j on the unique index.
func holdLearnerKeys(t *testing.T, driver neo4j.DriverWithContext, database, state string) neo4j.ExplicitTransaction {
	t.Helper()
	ctx := context.Background()
	var keys []string
	withState(t, state, func(tx *bolt.Tx) error {
		nodes, _, err := staging.ReadNodes(tx, staging.DefaultSchema(), "Learner", staging.Range{}, nil, 1<<20)
		for _, n := range nodes {
			keys = append(keys, n.Key)
		}
		return err
	})
	spec, _ := staging.DefaultSchema().NodeSpecOf("Learner")
	sess := driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: database})
	t.Cleanup(func() { sess.Close(ctx) })
	blocker, err := sess.BeginTransaction(ctx)
	if err != nil {
		t.Fatal(err)
	}
	res, err := blocker.Run(ctx, "UNWIND $keys AS k CREATE (:Learner {`"+spec.Key+"`: k})", map[string]any{"keys": keys})
	if err == nil {
		_, err = res.Consume(ctx)
	}
	if err != nil || len(keys) == 0 {
		blocker.Rollback(ctx)
		t.Fatalf("hold %d Learner keys: %v", len(keys), err)
	}
	return blocker
}

// beginLoad starts a create-mode load of state without writing a batch.
func beginLoad(t *testing.T, state string) {
	t.Helper()
	ctx := context.Background()
	g, err := graphwrite.Connect(ctx, graphwrite.Config{URI: neo4jEnvOr("NEO4J_URI", "neo4j://127.0.0.1:7687"),
		Username: neo4jEnvOr("NEO4J_USERNAME", "neo4j"), Password: neo4jEnv("NEO4J_PASSWORD"), Database: neo4jEnvOr("NEO4J_DATABASE", "neo4j")})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close(ctx)
	db, err := checkpoint.Open(state)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := graphwrite.Begin(ctx, g, db, graphwrite.ModeCreate, 2); err != nil {
		t.Fatal(err)
	}
	// The load creates them too, but behind holdLearnerKeys' open
	// transaction a constraint would wait for it, not a batch.
	if err := g.EnsureConstraints(ctx, staging.DefaultSchema()); err != nil {
		t.Fatal(err)
	}
}

func neo4jEnvOr(name, def string) string {
	if v := neo4jEnv(name); v != "" {
		return v
	}
	return def
}

// waitForBlockedTransaction waits until Neo4j lists a transaction blocked
// on a lock, or the load ends (which fails the test).
func waitForBlockedTransaction(t *testing.T, driver neo4j.DriverWithContext, database string, done <-chan string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Minute) // a bound on a failure; a pass does not wait for it
	for time.Now().Before(deadline) {
		res, err := neo4j.ExecuteQuery(context.Background(), driver,
			"SHOW TRANSACTIONS YIELD status WHERE status STARTS WITH 'Blocked' RETURN count(*) AS n",
			nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(database))
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := res.Records[0].Get("n"); n.(int64) > 0 {
			return
		}
		select {
		case got := <-done:
			t.Fatalf("the load ended before a batch blocked: %s", got)
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatal("no load batch blocked in Neo4j within 5 minutes")
}

// TestSecondSignalStopsTheProcessAtOnce runs the real binary into a
// blocked batch (holdLearnerKeys), sends SIGINT, waits for the line that
// says it is stopping, and sends SIGINT again: the process must exit at
// once with 130 and say so, while the blocking transaction is still open
// (without the second signal it would take the batch's grace period). A
// resume then finishes a graph verify finds equal to the state file.
func TestSecondSignalStopsTheProcessAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the importer")
	}
	graphwritetest.Lock(t)
	driver, database := graphwritetest.Driver(t)
	ctx := context.Background()
	state := stagedState(t, 200)
	if code, _, stderr := runCmd(t, "", "clear-database", "--yes"); code != exitOK {
		t.Fatalf("clear-database: %d %s", code, stderr)
	}
	beginLoad(t, state)
	blocker := holdLearnerKeys(t, driver, database, state)
	defer blocker.Rollback(ctx)

	bin := filepath.Join(t.TempDir(), "importer")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "resume", "--state", state, "--workers", "2", "--batch-size", "20")
	cmd.Env = os.Environ()
	for _, k := range []string{"NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE"} {
		if v := neo4jEnv(k); v != "" {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	exited := make(chan string, 1)
	go func() {
		var all []string
		for l := range lines {
			all = append(all, l)
			if strings.Contains(l, "press Ctrl-C again") {
				cmd.Process.Signal(os.Interrupt) // the second, once the first is handled
			}
		}
		err := cmd.Wait()
		exited <- fmt.Sprintf("%v: %s", err, strings.Join(all, " | "))
	}()
	waitForBlockedTransaction(t, driver, database, exited)
	cmd.Process.Signal(os.Interrupt)
	select {
	case got := <-exited:
		if !strings.HasPrefix(got, "exit status 130:") || !strings.Contains(got, "importer: stopped at once") {
			t.Errorf("after two SIGINTs: %s; want exit status 130 and the stopped-at-once line", got)
		}
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		t.Fatal("two SIGINTs did not stop the process")
	}
	if err := blocker.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCmd(t, "", "resume", "--state", state); code != exitOK {
		t.Fatalf("resume: %d %s", code, stderr)
	}
	if code, stdout, stderr := runCmd(t, "", "verify", "--state", state); code != exitOK {
		t.Fatalf("verify after two SIGINTs and a resume: %d %s %s", code, stdout, stderr)
	}
}
