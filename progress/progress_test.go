package progress

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fakeRun drives a Reporter with a clock and a ticker of its own: tick
// moves the clock and delivers one tick, then waits until the Reporter's
// goroutine called the status function (it holds the Reporter's lock from
// then until the line is written, so whatever the test does next comes
// after that line).
type fakeRun struct {
	t       *testing.T
	now     time.Time
	rows    int
	ticks   chan time.Time
	called  chan struct{}
	every   time.Duration // the interval the Reporter asked for
	stopped bool          // the Reporter stopped its ticker
	mu      sync.Mutex
}

func newFakeRun(t *testing.T) *fakeRun {
	return &fakeRun{t: t, now: time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC), ticks: make(chan time.Time), called: make(chan struct{}, 16)}
}

func (f *fakeRun) reporter(w *bytes.Buffer, live bool) *Reporter {
	clock := func() time.Time { return f.now }
	ticker := func(d time.Duration) (<-chan time.Time, func()) {
		f.mu.Lock()
		f.every = d
		f.mu.Unlock()
		return f.ticks, func() {
			f.mu.Lock()
			f.stopped = true
			f.mu.Unlock()
		}
	}
	status := func(elapsed time.Duration) string {
		rows := f.rows // read before the test may move on
		f.called <- struct{}{}
		if rows == 0 {
			return "" // nothing to show yet
		}
		return fmt.Sprintf("stage: %d rows in %s", rows, elapsed)
	}
	return newReporter(w, live, status, clock, ticker)
}

// tick advances the clock by d and the rows to rows, then ticks once.
func (f *fakeRun) tick(d time.Duration, rows int) {
	f.t.Helper()
	f.now = f.now.Add(d)
	f.rows = rows
	f.ticks <- f.now
	<-f.called
}

// TestReporterTicks runs the same script on a terminal and into a log:
// ticks before the first figures show nothing, a message comes between
// status lines, Stop shows the last figures once and ends the line.
func TestReporterTicks(t *testing.T) {
	for _, tc := range []struct {
		live  bool
		every time.Duration
		want  string
	}{
		{true, TerminalEvery, "\r\033[Kstage: 10 rows in 2s" +
			"\r\033[Kstage: 20 rows in 3s" +
			"\r\033[Kimporter: warning: unknown column x\n" +
			"\r\033[Kstage: 30 rows in 4s" +
			"\r\033[Kstage: 40 rows in 4.5s\n" +
			"importer: staged\n"},
		{false, LogEvery, "stage: 10 rows in 2s\n" +
			"stage: 20 rows in 3s\n" +
			"importer: warning: unknown column x\n" +
			"stage: 30 rows in 4s\n" +
			"stage: 40 rows in 4.5s\n" +
			"importer: staged\n"},
	} {
		var out bytes.Buffer
		f := newFakeRun(t)
		r := f.reporter(&out, tc.live)
		r.Start()
		r.Start() // once
		f.tick(time.Second, 0)
		f.tick(time.Second, 10)
		f.tick(time.Second, 20)
		r.Logf("importer: warning: %s", "unknown column x")
		f.tick(time.Second, 30)
		f.now, f.rows = f.now.Add(500*time.Millisecond), 40
		r.Stop()
		r.Stop()
		r.Logf("importer: staged")
		if diff := cmp.Diff(tc.want, out.String()); diff != "" {
			t.Errorf("live %v: output (-want +got):\n%s", tc.live, diff)
		}
		if f.every != tc.every || !f.stopped {
			t.Errorf("live %v: ticker every %s, stopped %v; want every %s, stopped", tc.live, f.every, f.stopped, tc.every)
		}
	}
}

// TestReporterWithoutStart: Print shows the status at once, and Stop only
// ends a live line (no last status: nothing was ticking).
func TestReporterWithoutStart(t *testing.T) {
	for _, tc := range []struct {
		live bool
		want string
	}{
		{true, "\r\033[Kstage: 5 rows in 1s\r\033[Kload: retrying 1\n\r\033[Kstage: 5 rows in 1s\n"},
		{false, "stage: 5 rows in 1s\nload: retrying 1\nstage: 5 rows in 1s\n"},
	} {
		var out bytes.Buffer
		f := newFakeRun(t)
		r := f.reporter(&out, tc.live)
		f.now, f.rows = f.now.Add(time.Second), 5
		r.Print()
		r.Logf("load: retrying %d", 1)
		r.Print()
		r.Stop()
		if diff := cmp.Diff(tc.want, out.String()); diff != "" {
			t.Errorf("live %v (-want +got):\n%s", tc.live, diff)
		}
		if len(f.called) != 2 || f.every != 0 {
			t.Errorf("live %v: status called %d times, ticker every %s; want 2 and no ticker", tc.live, len(f.called), f.every)
		}
	}
}

// TestReporterQuiet: a nil writer shows nothing, and a nil Reporter does
// nothing.
func TestReporterQuiet(t *testing.T) {
	f := newFakeRun(t)
	r := newReporter(nil, true, func(time.Duration) string { return "x" }, func() time.Time { return f.now }, nil)
	r.Print()
	r.Logf("y")
	r.Stop()
	if r.showing {
		t.Error("a live line is still showing after Stop")
	}
	var none *Reporter
	none.Start()
	none.Print()
	none.Logf("z")
	none.Stop()
}

func TestRateAndETA(t *testing.T) {
	if got := Rate(300, 2*time.Second); got != 150 {
		t.Errorf("Rate(300, 2s) = %v, want 150", got)
	}
	if got := Rate(300, 0); got != 0 {
		t.Errorf("Rate(300, 0) = %v, want 0", got)
	}
	for _, tc := range []struct {
		left, rate float64
		want       string
	}{
		{600, 40, "15s"},
		{500, 40, "13s"}, // 12.5 s, rounded
		{7200, 1, "2h0m0s"},
		{100, 0, "?"},
		{-5, 10, "0s"},
	} {
		if got := ETA(tc.left, tc.rate); got != tc.want {
			t.Errorf("ETA(%v, %v) = %q, want %q", tc.left, tc.rate, got, tc.want)
		}
	}
}

// TestReporterUpdate: a Reporter without a status shows nothing until
// Update gives the line of the latest figures, which the ticks then show.
func TestReporterUpdate(t *testing.T) {
	var out bytes.Buffer
	f := newFakeRun(t)
	r := newReporter(&out, false, nil, func() time.Time { return f.now }, nil)
	r.Print()
	for _, phase := range []string{"(1/4) Node import 10%", "(1/4) Node import 40%"} {
		r.Update(func(elapsed time.Duration) string {
			return "importer: bulk import " + phase + " after " + elapsed.String()
		})
		f.now = f.now.Add(time.Second)
		r.Print()
	}
	want := "importer: bulk import (1/4) Node import 10% after 1s\nimporter: bulk import (1/4) Node import 40% after 2s\n"
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
}
