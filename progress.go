package main

import (
	"os"
	"time"

	"github.com/learnergraph/importer/graphwrite"
	"github.com/learnergraph/importer/progress"
)

// newReporter is a command's progress reporter (package progress): on
// stderr, one line redrawn in place when stderr is a terminal, a log line
// every few seconds otherwise.
func (rc *rootConfig) newReporter(status func(elapsed time.Duration) string) *progress.Reporter {
	return progress.New(rc.stderr, isTerminal(rc.stderr), status)
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
