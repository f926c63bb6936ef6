package graphwrite

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/learnergraph/importer/checkpoint"
	reporter "github.com/learnergraph/importer/progress"
	bolt "go.etcd.io/bbolt"
)

// progress counts the load's entities for its status line and its
// snapshots' ETA. The importer's one progress reporter shows the line: on
// a terminal one live line rewritten in place, otherwise a plain log line
// every few seconds. Other messages (retries, reconciliation) go through
// logf so they never tear the live line.
type progress struct {
	mu     sync.Mutex
	live   bool
	total  int64 // entities staged
	done   int64 // entities in Neo4j, by the watermarks
	base   int64 // done when this process started
	start  time.Time
	bucket string
	r      *reporter.Reporter
}

func newProgress(out io.Writer, live bool, total, done int64) *progress {
	p := &progress{live: live, total: total, done: done, base: done, start: time.Now()}
	p.r = reporter.New(out, live, p.status)
	return p
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
	p.r.Logf("load: "+format, args...)
}

// tick shows the progress line periodically until finish.
func (p *progress) tick() { p.r.Start() }

// finish stops the ticks, shows the last progress line if they ran, and
// ends the live line.
func (p *progress) finish() { p.r.Stop() }

// status is the progress line as the reporter shows it: a log line names
// the load.
func (p *progress) status(time.Duration) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	line := p.line(time.Now())
	if p.live {
		return line
	}
	return "load: " + line
}

// line is the text of the progress line at now.
func (p *progress) line(now time.Time) string {
	rate := reporter.Rate(float64(p.done-p.base), now.Sub(p.start))
	pct := 100.0
	if p.total > 0 {
		pct = 100 * float64(p.done) / float64(p.total)
	}
	return fmt.Sprintf("%-22s %5.1f%%  %d/%d entities  %.0f/s  ETA %s", p.bucket, pct, p.done, p.total, rate, reporter.ETA(float64(p.total-p.done), rate))
}

// eta estimates the time the load still needs at now, from the rate so
// far ("?" before anything was written).
func (p *progress) eta(now time.Time) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return reporter.ETA(float64(p.total-p.done), reporter.Rate(float64(p.done-p.base), now.Sub(p.start)))
}

// monitor prints progress and publishes snapshots until the returned stop
// is called, which also publishes a last snapshot.
func (l *loader) monitor() (stop func()) {
	l.prog.tick()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		snap := time.NewTicker(snapshotEvery)
		defer snap.Stop()
		for {
			select {
			case <-done:
				return
			case <-snap.C:
				l.writeSnapshot()
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
		l.prog.finish()
		l.writeSnapshot()
	}
}

// writeSnapshot publishes the status for `importer status`; a failure is
// logged, never fatal.
func (l *loader) writeSnapshot() {
	if l.opt.StatePath == "" {
		return
	}
	var s checkpoint.Status
	err := l.db.View(func(tx *bolt.Tx) error {
		var err error
		s, err = checkpoint.ReadStatus(tx)
		return err
	})
	if err == nil {
		if s.Phase == checkpoint.PhaseLoading {
			s.ETA = l.prog.eta(time.Now())
		}
		err = checkpoint.WriteSnapshot(l.opt.StatePath, checkpoint.Snapshot{
			PID: os.Getpid(), Command: l.opt.Command, Updated: time.Now(), Status: s,
		})
	}
	if err != nil {
		l.prog.logf("warning: progress snapshot: %v", err)
	}
}
