package graphwritetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// TestDriverRoundTrip proves that the local Neo4j (neo4j/Launcher.java) and
// the Go driver talk: a node written over Bolt is read back, then deleted.
func TestDriverRoundTrip(t *testing.T) {
	Lock(t) // before Driver, as Lock says: its pool must not outlive a restart
	driver, database := Driver(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel) // registered first, so it runs after the cleanup below
	run := func(query string, params map[string]any) []*neo4j.Record {
		t.Helper()
		res, err := neo4j.ExecuteQuery(ctx, driver, query, params,
			neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(database))
		if err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		return res.Records
	}

	marker := fmt.Sprintf("graphwritetest-%d", time.Now().UnixNano())
	want := map[string]any{"marker": marker, "n": int64(42), "tags": []any{"a", "b"}, "ok": true}
	run(`CREATE (p:GraphwritetestProbe) SET p = $props`, map[string]any{"props": want})
	t.Cleanup(func() {
		// Leave nothing behind, even when a check below failed.
		run(`MATCH (p:GraphwritetestProbe {marker: $m}) DELETE p`, map[string]any{"m": marker})
	})

	recs := run(`MATCH (p:GraphwritetestProbe {marker: $m}) RETURN properties(p) AS props`, map[string]any{"m": marker})
	if len(recs) != 1 {
		t.Fatalf("read back %d nodes with marker %s, want 1", len(recs), marker)
	}
	got, _ := recs[0].Get("props")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("node read back differs (-want +got):\n%s", diff)
	}

	run(`MATCH (p:GraphwritetestProbe {marker: $m}) DELETE p`, map[string]any{"m": marker})
	recs = run(`MATCH (p:GraphwritetestProbe {marker: $m}) RETURN count(p) AS n`, map[string]any{"m": marker})
	if n, _ := recs[0].Get("n"); n != int64(0) {
		t.Errorf("after delete, %v nodes with marker %s remain", n, marker)
	}
}

// TestMayClearOnlyOurs checks the guard that keeps the tests from clearing
// a database they cannot prove is theirs: the marked test database passes;
// a database without the mark (here: the mark looked for under a name no
// database has) is refused with the ways out named, unless the opt-in names
// its URI exactly.
func TestMayClearOnlyOurs(t *testing.T) {
	Lock(t)
	driver, database := Driver(t)
	uri := env("NEO4J_URI", "neo4j://127.0.0.1:7687")
	if err := MayClear(driver, database, uri, "", MarkIndex); err != nil {
		t.Errorf("the test database is refused: %v", err)
	}
	err := MayClear(driver, database, uri, "", "no_such_mark")
	if !errors.Is(err, ErrNotOurs) || !strings.Contains(err.Error(), OptInVar+"="+host(uri)) || !strings.Contains(err.Error(), "neo4j/neo4j.sh up") {
		t.Errorf("an unmarked database: %v; want %v naming the ways out", err, ErrNotOurs)
	}
	if err := MayClear(driver, database, uri, host(uri), "no_such_mark"); err != nil {
		t.Errorf("an unmarked database opted in: %v", err)
	}
	if err := MayClear(driver, database, uri, "neo4j://elsewhere:7687", "no_such_mark"); !errors.Is(err, ErrNotOurs) {
		t.Errorf("an opt-in for another URI: %v, want %v", err, ErrNotOurs)
	}
	if got := host("neo4j://bob:s3cret@db:7687"); got != "neo4j://db:7687" {
		t.Errorf("host = %q", got)
	}
}
