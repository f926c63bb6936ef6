package graphwrite

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// progress reports the load on stderr: on a terminal one live line that is
// rewritten in place, otherwise a plain log line every few seconds. Other
// messages (retries, reconciliation) go through logf so they never tear the
// live line.
type progress struct {
	mu      sync.Mutex
	out     io.Writer
	live    bool
	total   int64 // entities staged
	done    int64 // entities in Neo4j, by the watermarks
	base    int64 // done when this process started
	start   time.Time
	bucket  string
	showing bool // a live line is on screen
}

func newProgress(out io.Writer, live bool, total, done int64) *progress {
	if out == nil {
		out = io.Discard
	}
	return &progress{out: out, live: live, total: total, done: done, base: done, start: time.Now()}
}

func (p *progress) add(n int64) {
	p.mu.Lock()
	p.done += n
	p.mu.Unlock()
}

func (p *progress) setBucket(name string) {
	p.mu.Lock()
	p.bucket = name
	p.mu.Unlock()
}

// logf prints one message line.
func (p *progress) logf(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
	fmt.Fprintf(p.out, "load: "+format+"\n", args...)
}

// report prints the progress line: in place on a terminal, as a log line
// otherwise.
func (p *progress) report() {
	p.mu.Lock()
	defer p.mu.Unlock()
	line := p.line(time.Now())
	if p.live {
		fmt.Fprint(p.out, "\r\033[K"+line)
		p.showing = true
		return
	}
	fmt.Fprintln(p.out, "load: "+line)
}

// finish ends the live line.
func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.showing {
		fmt.Fprintln(p.out)
		p.showing = false
	}
}

func (p *progress) clear() {
	if p.showing {
		fmt.Fprint(p.out, "\r\033[K")
		p.showing = false
	}
}

// line is the text of the progress line at now.
func (p *progress) line(now time.Time) string {
	elapsed := now.Sub(p.start)
	rate := 0.0
	if s := elapsed.Seconds(); s > 0 {
		rate = float64(p.done-p.base) / s
	}
	pct := 100.0
	if p.total > 0 {
		pct = 100 * float64(p.done) / float64(p.total)
	}
	return fmt.Sprintf("%-22s %5.1f%%  %d/%d entities  %.0f/s  ETA %s", p.bucket, pct, p.done, p.total, rate, etaString(p.total-p.done, rate))
}

// eta estimates the time the load still needs at now, from the rate so
// far ("?" before anything was written).
func (p *progress) eta(now time.Time) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	rate := 0.0
	if s := now.Sub(p.start).Seconds(); s > 0 {
		rate = float64(p.done-p.base) / s
	}
	return etaString(p.total-p.done, rate)
}

func etaString(left int64, rate float64) string {
	if rate <= 0 {
		return "?"
	}
	return time.Duration(float64(left) / rate * float64(time.Second)).Round(time.Second).String()
}
