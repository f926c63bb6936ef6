package graphwritetest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Driver connects to the test Neo4j described by NEO4J_URI (default
// neo4j://127.0.0.1:7687), NEO4J_USERNAME (neo4j), NEO4J_PASSWORD
// (importer-local) and NEO4J_DATABASE (neo4j), and returns the driver and
// the database name. The driver is closed when the test ends.
//
// If Neo4j cannot be reached the test is skipped with the reason, unless CI
// is "true": in CI a missing Neo4j is a failure. A Neo4j that answers but
// rejects the credentials always fails the test: that is a setup error, not
// a missing service.
func Driver(t testing.TB) (neo4j.DriverWithContext, string) {
	t.Helper()
	uri := env("NEO4J_URI", "neo4j://127.0.0.1:7687")
	auth := neo4j.BasicAuth(env("NEO4J_USERNAME", "neo4j"), env("NEO4J_PASSWORD", "importer-local"), "")
	database := env("NEO4J_DATABASE", "neo4j")

	driver, err := neo4j.NewDriverWithContext(uri, auth)
	if err != nil {
		t.Fatalf("neo4j driver for %s: %v", host(uri), err)
	}
	waitForOtherHolder(t)
	err = verify(driver)
	switch {
	case err == nil:
	case isSecurity(err):
		driver.Close(context.Background())
		t.Fatalf("neo4j at %s rejects the credentials (NEO4J_USERNAME, NEO4J_PASSWORD): %v", host(uri), err)
	case os.Getenv("CI") == "true":
		driver.Close(context.Background())
		t.Fatalf("neo4j at %s is required under CI=true: %v", host(uri), err)
	default:
		driver.Close(context.Background())
		t.Skipf("no neo4j at %s (make neo4j-up): %v", host(uri), err)
	}
	t.Cleanup(func() { driver.Close(context.Background()) })
	if err := MayClear(driver, database, uri, os.Getenv(OptInVar), MarkIndex); err != nil {
		t.Fatalf("the Neo4j tests delete every node of their database: %v", err)
	}
	return driver, database
}

// MarkIndex names the index that marks a database as the repo's test
// database; `neo4j/neo4j.sh up` creates it in the local Neo4j. Clearing a
// database keeps its indexes, so the mark survives the tests.
const MarkIndex = "importer_test_database"

// OptInVar names the variable that lets the tests use (and clear) a Neo4j
// without the mark: its value must be NEO4J_URI (without user information).
const OptInVar = "IMPORTER_TEST_NEO4J"

// ErrNotOurs is why the tests (and the benchmark, bench/cmd/e2e) refuse
// to clear a database they cannot prove is theirs.
var ErrNotOurs = errors.New("refusing to clear the database: it is not marked as the repo's test database")

// MayClear returns nil when the tests may delete everything in database:
// it carries the index named mark (MarkIndex), or optIn (the value of
// OptInVar) names uri. The tests and the benchmark clear their database
// again and again, and must never clear someone else's by a stray
// NEO4J_URI. Its error wraps ErrNotOurs.
func MayClear(driver neo4j.DriverWithContext, database, uri, optIn, mark string) error {
	if optIn != "" && optIn == host(uri) {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := neo4j.ExecuteQuery(ctx, driver, "SHOW INDEXES YIELD name WHERE name = $name RETURN count(*) AS n",
		map[string]any{"name": mark}, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(database))
	if err != nil {
		return fmt.Errorf("check that database %q at %s is the test database: %w", database, host(uri), err)
	}
	if n, _ := res.Records[0].Get("n"); n == int64(1) {
		return nil
	}
	return fmt.Errorf("%w (database %q at %s has no index %s): for the repo's local Neo4j run neo4j/neo4j.sh up (it marks it); to use this one anyway set %s=%s",
		ErrNotOurs, database, host(uri), mark, OptInVar, host(uri))
}

// host is uri without any user information, for messages.
func host(uri string) string {
	u, err := url.Parse(uri)
	if err != nil {
		return "(the URI in NEO4J_URI)"
	}
	u.User = nil
	return u.String()
}

// verify checks that the server answers and accepts the credentials. It
// waits out Neo4j's login rate limit, which another client's wrong password
// can trigger for a few seconds.
func verify(driver neo4j.DriverWithContext) error {
	var err error
	for range 5 {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err = driver.VerifyConnectivity(ctx)
		cancel()
		if err == nil || !strings.Contains(err.Error(), "AuthenticationRateLimit") {
			return err
		}
		time.Sleep(3 * time.Second)
	}
	return err
}

func isSecurity(err error) bool {
	var ne *neo4j.Neo4jError
	return errors.As(err, &ne) && strings.HasPrefix(ne.Code, "Neo.ClientError.Security.")
}

// held counts the Locks this test binary holds.
var held atomic.Int32

// waitForOtherHolder waits while another test binary holds the lock: its
// test may have stopped Neo4j (a restart, a SIGKILL, an offline load), and
// every test leaves Neo4j running when it releases the lock. Without the
// wait, Driver's connectivity check would fail (and fail CI) in that window.
// A binary that holds the lock itself has nobody else to wait for.
func waitForOtherHolder(t testing.TB) {
	t.Helper()
	if held.Load() > 0 {
		return
	}
	f := openLock(t)
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH); err != nil {
		t.Fatalf("wait for the test database lock: %v", err)
	}
}

func openLock(t testing.TB) *os.File {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(os.TempDir(), "importer-neo4j-tests.lock"), os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		t.Fatalf("lock test database: %v", err)
	}
	return f
}

// Lock serializes the tests that write the shared test database across test
// binaries (`go test ./...` runs packages in parallel): it holds an exclusive
// lock on $TMPDIR/importer-neo4j-tests.lock until the test ends. The
// graphwrite tests take the same lock. Take it before Driver: a driver
// made while another binary's test held the lock may keep pooled
// connections to a Neo4j that test restarted (ConnectivityError: EOF on
// first use, seen in CI).
func Lock(t testing.TB) {
	t.Helper()
	f := openLock(t)
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		t.Fatalf("lock test database: %v", err)
	}
	held.Add(1)
	t.Cleanup(func() {
		held.Add(-1)
		f.Close() // closing releases the lock
	})
}

func env(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}
