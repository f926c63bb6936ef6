package graphwrite

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/learnergraph/importer/graphwrite/graphwritetest"
)

// faultBatch is the batch size of the fault tests: small batches make a
// load of hundreds of transactions for the faults to land in.
const faultBatch = 50

// proxiedGraph connects to the test Neo4j through a fault-injecting
// proxy on the loopback address. The URI is bolt://, not neo4j://:
// through a routing URI the driver would learn Neo4j's own address from
// the routing table and go around the proxy.
func proxiedGraph(t *testing.T) (*Graph, *graphwritetest.Proxy) {
	t.Helper()
	cfg := testConfig()
	u, err := url.Parse(cfg.URI)
	if err != nil {
		t.Fatalf("NEO4J_URI: %v", err)
	}
	proxy := graphwritetest.NewProxy(t, u.Host)
	cfg.URI = "bolt://" + proxy.Addr()
	g, err := Connect(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.Close(context.Background()) })
	return g, proxy
}

// notWatermark selects the batch's own statements, not the watermark's.
func notWatermark(cypher string) bool { return !strings.Contains(cypher, watermarkLabel) }

// totalRetries sums the retried attempts of every kind.
func totalRetries(st Stats) int64 {
	var n int64
	for _, v := range st.Retries {
		n += v
	}
	return n
}

// TestNetworkFaultsLoseAndDoubleNothing loads through a proxy that resets
// connections in the middle of batches, before and after forwarding
// COMMIT, holds COMMITs back for seconds, or never answers them (the
// load's transaction time limit must end the wait and retry), and
// compares each graph with an uninterrupted load's. Each fault must
// actually have fired.
func TestNetworkFaultsLoseAndDoubleNothing(t *testing.T) {
	g := testGraph(t)
	want := referenceDump(t, g, crashRows, 1)
	pg, proxy := proxiedGraph(t)
	const times = 3
	tests := []struct {
		plan graphwritetest.Plan
		// txTimeout is the load's TxTimeout (0: the default).
		txTimeout time.Duration
		// check tests the load's own account of the faults; gaveUp says
		// whether the first load gave up (and was resumed).
		check func(t *testing.T, st Stats, gaveUp bool)
	}{{
		plan: graphwritetest.Plan{Fault: graphwritetest.CutMidBatch, Every: 23, Times: times, Query: notWatermark},
		check: func(t *testing.T, st Stats, _ bool) {
			if totalRetries(st) < times || st.Skipped != 0 {
				t.Errorf("retries %v, batches found committed %d; want >= %d retries and none found committed", st.Retries, st.Skipped, times)
			}
		},
	}, {
		// Neo4j never saw the COMMIT: every batch is written once more.
		plan: graphwritetest.Plan{Fault: graphwritetest.CutBeforeCommit, Every: 29, Times: times},
		check: func(t *testing.T, st Stats, _ bool) {
			if totalRetries(st) < times || st.Skipped != 0 {
				t.Errorf("retries %v, batches found committed %d; want >= %d retries and none found committed", st.Retries, st.Skipped, times)
			}
		},
	}, {
		// Neo4j committed, the importer never heard: the retry must find
		// each of these batches in Neo4j (the watermark moved) and write
		// nothing.
		plan: graphwritetest.Plan{Fault: graphwritetest.CutAfterCommit, Every: 31, Times: times},
		check: func(t *testing.T, st Stats, _ bool) {
			if st.Skipped != times {
				t.Errorf("batches found already committed: %d, want %d (one per unknown outcome); retries %v", st.Skipped, times, st.Retries)
			}
		},
	}, {
		// A COMMIT held back for seconds, well within the transaction's
		// time limit: the load only waits — nothing is retried, nothing
		// found committed, no give-up.
		plan: graphwritetest.Plan{Fault: graphwritetest.Spike, Every: 37, Times: times, Spike: 2 * time.Second},
		check: func(t *testing.T, st Stats, gaveUp bool) {
			if gaveUp || totalRetries(st) != 0 || st.Skipped != 0 {
				t.Errorf("gave up %v, retries %v, batches found committed %d; want no give-up, no retry and none found committed", gaveUp, st.Retries, st.Skipped)
			}
		},
	}, {
		// Neo4j never answers the COMMIT and the connection stays open:
		// only the attempt's time limit ends the wait. Neo4j never saw
		// the COMMIT, so each of these batches is written once more, by
		// the same load (it must not give up: the retry budget counts
		// from the first failure, not from the start of the stalled
		// attempt). The other worker's batch may wait for the stalled
		// transaction's locks and time out too (retried the same way;
		// its COMMIT may even have reached Neo4j, so batches found
		// committed are not counted here: the graph's equality is the
		// check that nothing was lost or doubled).
		plan:      graphwritetest.Plan{Fault: graphwritetest.Stall, Every: 41, Times: times},
		txTimeout: 2 * time.Second,
		check: func(t *testing.T, st Stats, gaveUp bool) {
			if gaveUp || st.Retries["timeout"] < times {
				t.Errorf("gave up %v, retries %v; want no give-up and >= %d retries on \"timeout\"", gaveUp, st.Retries, times)
			}
		},
	}}
	for _, tt := range tests {
		t.Run(tt.plan.Fault.String(), func(t *testing.T) {
			clearGraph(t, g)
			db := openState(t, stagedFile(t, crashRows, 1))
			ctx := context.Background()
			if _, err := Begin(ctx, pg, db, ModeCreate, 2); err != nil {
				t.Fatal(err)
			}
			proxy.Arm(tt.plan)
			opt := LoadOptions{Workers: 2, BatchSize: faultBatch, RetryFor: time.Minute, TxTimeout: tt.txTimeout, Progress: logWriter{t}}
			st, err := Load(ctx, pg, db, opt)
			fired := proxy.Fired()
			proxy.Arm(graphwritetest.Plan{})
			gaveUp := errors.Is(err, ErrGaveUp)
			if gaveUp {
				t.Logf("the load gave up (%v); resuming", err)
				st, err = Load(ctx, pg, db, opt)
			}
			if err != nil {
				t.Fatalf("load through %s: %v", tt.plan.Fault, err)
			}
			if fired != times {
				t.Fatalf("%s fired %d times, want %d: the load had too few batches for the plan", tt.plan.Fault, fired, times)
			}
			t.Logf("%s x%d: %d batches, %d found committed, retries %v", tt.plan.Fault, fired, st.Batches, st.Skipped, st.Retries)
			tt.check(t, st, gaveUp)
			if diff := cmp.Diff(want, dump(t, g), cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("after %d × %s the graph differs from an uninterrupted load (-want +got):\n%s", fired, tt.plan.Fault, diff)
			}
		})
	}
}
