package graphwrite

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

func TestRetryable(t *testing.T) {
	deadlock := &neo4j.Neo4jError{Code: "Neo.TransientError.Transaction.DeadlockDetected"}
	syntax := &neo4j.Neo4jError{Code: "Neo.ClientError.Statement.SyntaxError"}
	got := map[string]bool{
		"deadlock":         retryable(fmt.Errorf("write x: %w", deadlock)),
		"syntax":           retryable(syntax),
		"connectivity":     retryable(&neo4j.ConnectivityError{Inner: io.EOF}),
		"limit":            retryable(&neo4j.TransactionExecutionLimit{Cause: "timeout"}),
		"eof":              retryable(io.ErrUnexpectedEOF),
		"canceled":         retryable(context.Canceled),
		"missing endpoint": retryable(ErrMissingEndpoint),
		"auth rate limit":  retryable(&neo4j.Neo4jError{Code: codeAuthRateLimit}),
		"tx timeout":       retryable(fmt.Errorf("%w: no answer within 1m0s: %w", errTxTimeout, context.DeadlineExceeded)),
		"server timeout":   retryable(&neo4j.Neo4jError{Code: "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration"}),
	}
	want := map[string]bool{
		"deadlock": true, "syntax": false, "connectivity": true, "limit": true,
		"eof": true, "canceled": false, "missing endpoint": false, "auth rate limit": true,
		"tx timeout": true, "server timeout": true,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("retryable (-want +got):\n%s", diff)
	}
}

// fakeRetrier returns a retrier that does not sleep but records its sleeps.
func fakeRetrier(budget time.Duration, slept *[]time.Duration) (*retrier, *stats) {
	st := newStats(ModeCreate)
	r := newRetrier(budget, func(string, ...any) {}, st)
	r.sleep = func(ctx context.Context, d time.Duration) error {
		*slept = append(*slept, d)
		return ctx.Err()
	}
	return r, st
}

func TestRetrierRetriesTransientErrorsThenSucceeds(t *testing.T) {
	var slept []time.Duration
	r, st := fakeRetrier(time.Minute, &slept)
	deadlock := &neo4j.Neo4jError{Code: "Neo.TransientError.Transaction.DeadlockDetected"}
	errs := []error{deadlock, &neo4j.ConnectivityError{Inner: io.EOF}, nil}
	calls := 0
	err := r.do(context.Background(), "op", func() error { calls++; return errs[calls-1] })
	if err != nil || calls != 3 {
		t.Fatalf("do = %v after %d calls, want nil after 3", err, calls)
	}
	want := map[string]int64{"Neo.TransientError.Transaction.DeadlockDetected": 1, "connection": 1}
	if diff := cmp.Diff(want, st.snapshot().Retries); diff != "" {
		t.Errorf("retries (-want +got):\n%s", diff)
	}
	for i, d := range slept {
		if lo, hi := backoffBase<<i/2, backoffBase<<i; d < lo || d > hi {
			t.Errorf("sleep %d = %s, want within [%s, %s]", i, d, lo, hi)
		}
	}
}

func TestRetrierStopsOnPermanentErrors(t *testing.T) {
	var slept []time.Duration
	r, _ := fakeRetrier(time.Minute, &slept)
	calls := 0
	err := r.do(context.Background(), "op", func() error { calls++; return ErrMissingEndpoint })
	if !errors.Is(err, ErrMissingEndpoint) || calls != 1 {
		t.Fatalf("do = %v after %d calls, want ErrMissingEndpoint after 1", err, calls)
	}
}

func TestRetrierGivesUpAfterItsBudget(t *testing.T) {
	var slept []time.Duration
	r, _ := fakeRetrier(time.Nanosecond, &slept)
	err := r.do(context.Background(), "op", func() error {
		time.Sleep(time.Millisecond)
		return &neo4j.ConnectivityError{Inner: io.EOF}
	})
	if !errors.Is(err, ErrGaveUp) {
		t.Fatalf("do = %v, want ErrGaveUp", err)
	}
}

// TestRetrierBudgetCountsFromTheFirstFailure: an attempt that ran out its
// whole time limit (longer than the retry budget) before failing is
// retried, not given up at once; the budget runs from that failure.
func TestRetrierBudgetCountsFromTheFirstFailure(t *testing.T) {
	var slept []time.Duration
	r, st := fakeRetrier(time.Minute, &slept)
	clock := time.Unix(0, 0)
	r.now = func() time.Time { return clock }
	calls := 0
	err := r.do(context.Background(), "op", func() error {
		calls++
		if calls == 1 {
			clock = clock.Add(5 * time.Minute) // a hung attempt, cut by its time limit
			return fmt.Errorf("%w: no answer within 5m0s: %w", errTxTimeout, context.DeadlineExceeded)
		}
		return nil
	})
	if err != nil || calls != 2 {
		t.Fatalf("do = %v after %d calls, want nil after 2", err, calls)
	}
	if diff := cmp.Diff(map[string]int64{"timeout": 1}, st.snapshot().Retries); diff != "" {
		t.Errorf("retries (-want +got):\n%s", diff)
	}
}

func TestRetrierStopsWhenCancelled(t *testing.T) {
	var slept []time.Duration
	r, _ := fakeRetrier(time.Minute, &slept)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := r.do(ctx, "op", func() error { return &neo4j.ConnectivityError{Inner: io.EOF} })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("do = %v, want context.Canceled", err)
	}
}

func TestBackoffIsBounded(t *testing.T) {
	for attempt := 1; attempt < 40; attempt++ {
		if d := backoff(attempt); d < backoffBase/2 || d > backoffMax {
			t.Fatalf("backoff(%d) = %s, outside [%s, %s]", attempt, d, backoffBase/2, backoffMax)
		}
	}
}
