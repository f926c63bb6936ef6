package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/learnergraph/importer/graphwrite"
)

// progressPrinter shows progress on stderr the restic way: on a terminal a
// single line redrawn in place a few times a second; otherwise (a log file,
// CI) a plain line every logEvery.
type progressPrinter struct {
	w     io.Writer
	tty   bool
	every time.Duration
	last  time.Time
}

const (
	ttyEvery = 250 * time.Millisecond
	logEvery = 5 * time.Second
)

func newProgressPrinter(w io.Writer) *progressPrinter {
	p := &progressPrinter{w: w, every: logEvery}
	if isTerminal(w) {
		p.tty, p.every = true, ttyEvery
	}
	return p
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w any) bool {
	if r, ok := w.(graphwrite.RedactingWriter); ok {
		w = r.W
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// print shows line if enough time has passed since the last one, or always
// when final is set (the last line of a run).
func (p *progressPrinter) print(line string, final bool) {
	now := time.Now()
	if !final && now.Sub(p.last) < p.every {
		return
	}
	p.last = now
	switch {
	case p.tty && final:
		fmt.Fprintf(p.w, "\r\033[K%s\n", line)
	case p.tty:
		fmt.Fprintf(p.w, "\r\033[K%s", line)
	default:
		fmt.Fprintln(p.w, line)
	}
}

// rate is n per second over d.
func rate(n float64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return n / d.Seconds()
}

// eta estimates the time left when done of total took elapsed.
func eta(done, total float64, elapsed time.Duration) string {
	if done <= 0 || total <= done {
		return "-"
	}
	left := time.Duration(float64(elapsed) * (total - done) / done)
	return left.Round(time.Second).String()
}
