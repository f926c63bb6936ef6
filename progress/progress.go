package progress

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// How often Start shows the status: redrawn in place on a terminal, a new
// line every LogEvery otherwise.
const (
	TerminalEvery = 250 * time.Millisecond
	LogEvery      = 5 * time.Second
)

// clearLine returns a terminal's cursor to the start of the line and
// erases it.
const clearLine = "\r\033[K"

// Reporter shows the status line of one run; see the package comment. A
// nil *Reporter shows nothing.
type Reporter struct {
	mu      sync.Mutex
	w       io.Writer
	live    bool // w is a terminal: one line redrawn in place
	every   time.Duration
	status  func(elapsed time.Duration) string
	start   time.Time
	now     func() time.Time
	ticker  func(time.Duration) (<-chan time.Time, func())
	showing bool // a live line is on screen, not ended
	running bool // Start's goroutine runs
	started bool // Start was called (it runs once)
	halt    chan struct{}
	halted  chan struct{}
}

// New returns a Reporter that writes to w (nil: nowhere) the line status
// renders, given the time since New; an empty line is not shown, nor is a
// nil status (until Update gives one). live says that w is a terminal.
func New(w io.Writer, live bool, status func(elapsed time.Duration) string) *Reporter {
	return newReporter(w, live, status, time.Now, realTicker)
}

// newReporter is New with its clock and ticker given, for tests.
func newReporter(w io.Writer, live bool, status func(time.Duration) string, now func() time.Time, ticker func(time.Duration) (<-chan time.Time, func())) *Reporter {
	if w == nil {
		w = io.Discard
	}
	every := LogEvery
	if live {
		every = TerminalEvery
	}
	return &Reporter{w: w, live: live, every: every, status: status, start: now(), now: now, ticker: ticker}
}

func realTicker(d time.Duration) (<-chan time.Time, func()) {
	t := time.NewTicker(d)
	return t.C, t.Stop
}

// Start shows the status on every tick until Stop. Only the first call
// starts the ticks.
func (r *Reporter) Start() {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.started {
		return
	}
	r.started, r.running = true, true
	r.halt, r.halted = make(chan struct{}), make(chan struct{})
	ticks, stop := r.ticker(r.every)
	go func(halt <-chan struct{}, halted chan<- struct{}) {
		defer close(halted)
		defer stop()
		for {
			select {
			case <-halt:
				return
			case <-ticks:
				r.Print()
			}
		}
	}(r.halt, r.halted)
}

// Update replaces the status function: a run that hears of its progress
// (a checkpoint, a phase) gives the line of its latest figures, and the
// ticks show it.
func (r *Reporter) Update(status func(elapsed time.Duration) string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.status = status
}

// Print shows the status now.
func (r *Reporter) Print() {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.print()
}

func (r *Reporter) print() {
	line := ""
	if r.status != nil {
		line = r.status(r.now().Sub(r.start))
	}
	switch {
	case line == "":
	case r.live:
		io.WriteString(r.w, clearLine+line)
		r.showing = true
	default:
		io.WriteString(r.w, line+"\n")
	}
}

// Logf prints one message line (format needs no newline), first erasing a
// live status line; the next tick draws it again.
func (r *Reporter) Logf(format string, args ...any) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	msg := fmt.Sprintf(format, args...) + "\n"
	if r.showing {
		msg, r.showing = clearLine+msg, false
	}
	io.WriteString(r.w, msg)
}

// Stop ends the ticks of Start and shows the status a last time; without
// Start it only ends a live line. Whatever is written after Stop starts on
// a line of its own. Later calls do nothing.
func (r *Reporter) Stop() {
	if r == nil {
		return
	}
	r.mu.Lock()
	running, halt, halted := r.running, r.halt, r.halted
	r.running = false
	r.mu.Unlock()
	if running {
		close(halt)
		<-halted
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if running {
		r.print()
	}
	if r.showing {
		io.WriteString(r.w, "\n")
		r.showing = false
	}
}

// Rate is n per second over d, 0 when d is not positive.
func Rate(n float64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return n / d.Seconds()
}

// ETA is the time left for left more at rate per second, to the second:
// "?" while the rate is not known.
func ETA(left, rate float64) string {
	if rate <= 0 {
		return "?"
	}
	return time.Duration(max(left, 0) / rate * float64(time.Second)).Round(time.Second).String()
}
