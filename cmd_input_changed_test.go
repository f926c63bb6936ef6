package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/learnergraph/importer/checkpoint"
)

// onFirstWrite is a stderr that calls hook the first time what is written
// to it contains mark.
type onFirstWrite struct {
	bytes.Buffer
	mark string
	hook func()
}

func (w *onFirstWrite) Write(p []byte) (int, error) {
	if w.hook != nil && strings.Contains(string(p), w.mark) {
		w.hook()
		w.hook = nil
	}
	return w.Buffer.Write(p)
}

// WriteString hides the Buffer's, which io.WriteString would call instead
// of Write.
func (w *onFirstWrite) WriteString(s string) (int, error) { return w.Write([]byte(s)) }

// TestStageInputChanged: a file that grows while `importer stage` reads
// it (appended to when stage warns about its unknown column: after it took
// the file's size, before the first batch commits) stops with one line
// "input file changed since staging started" and exit status 2, as the
// README's failure mode says; once the file is complete, resume finds the
// part staged so far (the header) unchanged and stages the whole file.
func TestStageInputChanged(t *testing.T) {
	var b strings.Builder
	b.WriteString("sandId,fullName,shoeSize\n")
	for i := 1; i <= 6; i++ {
		fmt.Fprintf(&b, "L%d,name %d,42\n", i, i)
	}
	input := writeFile(t, "learners.csv", b.String())
	state := filepath.Join(t.TempDir(), "import.db")
	stderr := &onFirstWrite{mark: "ignoring columns", hook: func() {
		f, err := os.OpenFile(input, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.WriteString("L7,name 7,43\n"); err != nil {
			t.Fatal(err)
		}
	}}
	var stdout bytes.Buffer
	err := run(context.Background(), []string{"stage", "--input", input, "--state", state, "--batch-rows", "2"}, strings.NewReader(""), &stdout, stderr, func(string) string { return "" })
	code := exitCode(err, stderr)
	lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
	last := lines[len(lines)-1]
	if stderr.hook != nil || code != exitUsage || !strings.HasPrefix(last, "importer: stage: ") ||
		!strings.Contains(last, "input file changed since staging started") || strings.Count(stderr.String(), "changed") != 1 {
		t.Fatalf("stage of a file appended to: exit %d, stderr %q; want %d and one line saying the input changed", code, stderr.String(), exitUsage)
	}

	code, _, out := runCmd(t, "", "resume", "--state", state)
	if code != exitOK || !strings.Contains(out, "are unchanged: staging the rest of the file as it is now") {
		t.Fatalf("resume once the file is complete: exit %d, stderr %q; want %d and a line saying the rest is staged", code, out, exitOK)
	}
	s, err := readState(state)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(checkpoint.Rows{Read: 7, Staged: 7}, s.Rows); diff != "" || s.Phase != checkpoint.PhaseStaged {
		t.Errorf("after stage --overwrite: phase %s, rows (-want +got):\n%s", s.Phase, diff)
	}
}
