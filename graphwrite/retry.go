package graphwrite

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Backoff of the loader's own retry loop, around the driver's (which
// retries transient errors for driverRetryTime with its own backoff). This
// loop also retries what the driver gives up on: a connection lost during
// COMMIT (the outcome is unknown, but the watermark makes a rerun safe),
// Neo4j down or restarting, the driver's retry time running out.
const (
	backoffBase = 500 * time.Millisecond
	backoffMax  = 15 * time.Second
	// DefaultRetryFor is how long a batch is retried before the load gives
	// up with ErrGaveUp: long enough to ride through a Neo4j restart.
	DefaultRetryFor = 2 * time.Minute
)

const (
	codeAuthRateLimit = "Neo.ClientError.Security.AuthenticationRateLimit"
	// codeTxTimedOut begins the codes of a transaction Neo4j terminated
	// because it outlived its timeout (LoadOptions.TxTimeout).
	codeTxTimedOut = "Neo.ClientError.Transaction.TransactionTimedOut"
)

// errTxTimeout marks an attempt that got no answer within
// LoadOptions.TxTimeout; it is retried.
var errTxTimeout = errors.New("transaction timed out")

// retrier runs an operation until it succeeds, fails for good, the budget
// is spent or the context is cancelled.
type retrier struct {
	budget time.Duration
	logf   func(format string, args ...any)
	stats  *stats
	sleep  func(ctx context.Context, d time.Duration) error
	now    func() time.Time
}

func newRetrier(budget time.Duration, logf func(string, ...any), st *stats) *retrier {
	if budget <= 0 {
		budget = DefaultRetryFor
	}
	return &retrier{budget: budget, logf: logf, stats: st, sleep: sleepCtx, now: time.Now}
}

// do runs op; what names it in log lines. The budget counts from the
// first failure, so an attempt that waited out its whole time limit
// (LoadOptions.TxTimeout) is retried, not given up at once.
func (r *retrier) do(ctx context.Context, what string, op func() error) error {
	var start time.Time
	for attempt := 1; ; attempt++ {
		err := op()
		if err == nil || !retryable(err) {
			return err
		}
		if start.IsZero() {
			start = r.now()
		}
		r.stats.observe(err)
		elapsed := r.now().Sub(start)
		if elapsed >= r.budget {
			return fmt.Errorf("%w after %d attempts in %s: %v (the resume point is intact: run `importer resume` once Neo4j is healthy)",
				ErrGaveUp, attempt, elapsed.Round(time.Second), err)
		}
		d := backoff(attempt)
		r.logf("%s: %s; retrying in %s (attempt %d)", what, shortError(err), d.Round(time.Millisecond), attempt+1)
		if err := r.sleep(ctx, d); err != nil {
			return err
		}
	}
}

// backoff is exponential with full jitter in its upper half.
func backoff(attempt int) time.Duration {
	d := backoffBase << min(attempt-1, 10)
	if d > backoffMax {
		d = backoffMax
	}
	return d/2 + rand.N(d/2+1)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// retryable reports whether err may go away by itself: transient Neo4j
// errors (deadlocks, database unavailable), lost or refused connections,
// and the driver's own retry budget running out on one of those.
func retryable(err error) bool {
	if errors.Is(err, context.Canceled) {
		return false
	}
	if neo4j.IsRetryable(err) {
		return true
	}
	var (
		conn  *neo4j.ConnectivityError
		limit *neo4j.TransactionExecutionLimit
		dbErr *neo4j.Neo4jError
		netE  net.Error
	)
	switch {
	case errors.As(err, &dbErr):
		// The rate limit clears by itself after a few seconds; it is met
		// when another client of the same user gives a wrong password.
		// A transaction Neo4j timed out is retried like one the client
		// timed out (errTxTimeout).
		return dbErr.IsRetriable() || dbErr.Code == codeAuthRateLimit || strings.HasPrefix(dbErr.Code, codeTxTimedOut)
	case errors.As(err, &conn), errors.As(err, &limit), errors.As(err, &netE):
		return true
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, context.DeadlineExceeded), errors.Is(err, errTxTimeout):
		return true
	}
	return false
}

// errorCode classifies an error for the retry counters.
func errorCode(err error) string {
	var dbErr *neo4j.Neo4jError
	var limit *neo4j.TransactionExecutionLimit
	switch {
	case errors.Is(err, errTxTimeout):
		return "timeout"
	case errors.As(err, &dbErr):
		return dbErr.Code
	case errors.As(err, &limit):
		return "driver retry limit"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	}
	return "connection"
}

// shortError keeps a log line to one line.
func shortError(err error) string {
	var dbErr *neo4j.Neo4jError
	if errors.As(err, &dbErr) {
		return dbErr.Code
	}
	s := err.Error()
	if len(s) > 160 {
		s = s[:160] + "..."
	}
	return s
}
