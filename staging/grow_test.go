package staging

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/learnergraph/importer/checkpoint"
)

// TestStageInputGrows: a file appended to while it is staged — its last
// line half-written when staging starts — ends with ErrInputChanged before
// the batch that would have staged the half line; the state file is at the
// checkpoint before it, and the half-written line never became a row. Once
// the file is complete, Resume finds the part staged so far unchanged and
// stages the rest: the state file then holds what staging the complete
// file from the start gives.
func TestStageInputGrows(t *testing.T) {
	var b strings.Builder
	b.WriteString("sandId,fullName,birthYear\n")
	for i := 1; i <= 6; i++ {
		fmt.Fprintf(&b, "L%d,name,1990\n", i)
	}
	b.WriteString("L99,Hal") // a writer is in the middle of this line
	input := writeInput(t, b.String())
	state := statePath(t, input)
	appended := false
	opt := Options{BatchRows: 4, Progress: func(Progress) {
		if appended {
			return
		}
		appended = true
		f, err := os.OpenFile(input, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.WriteString("f,1990\nL100,more,1990\n"); err != nil {
			t.Fatal(err)
		}
	}}
	_, err := Stage(context.Background(), input, state, opt)
	if !errors.Is(err, ErrInputChanged) || !strings.Contains(err.Error(), "stage batch ending at line 8") {
		t.Fatalf("Stage of a growing file: err = %v, want ErrInputChanged before the batch ending at line 8", err)
	}
	got := dump(t, state)
	if diff := cmp.Diff(checkpoint.Rows{Read: 4, Staged: 4}, got.Counts.Rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if got.Mark.Done || got.Mark.Line != 6 || len(got.Nodes[Learner]) != 4 {
		t.Errorf("resume point %+v with %d learners, want the first checkpoint (line 6, 4 learners)", got.Mark, len(got.Nodes[Learner]))
	}

	var logged []string
	logf := func(format string, args ...any) { logged = append(logged, fmt.Sprintf(format, args...)) }
	if _, err := Resume(context.Background(), state, Options{Logf: logf}); err != nil {
		t.Fatalf("Resume once the file is complete: %v", err)
	}
	if len(logged) != 1 || !strings.Contains(logged[0], "staged so far (to line 6) are unchanged") {
		t.Errorf("Resume logged %q, want one line saying the staged part is unchanged", logged)
	}
	whole := filepath.Join(t.TempDir(), "whole.db")
	if _, err := Stage(context.Background(), input, whole, Options{BatchRows: 4}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(dump(t, whole), dump(t, state)); diff != "" {
		t.Errorf("grown and resumed vs staged whole (-whole +resumed):\n%s", diff)
	}
}

// TestResumeRefusesAChangedStagedPart: an input whose part staged so far
// changed (same size, one byte) is refused by Resume with ErrInputChanged;
// so is one cut shorter than that part.
func TestResumeRefusesAChangedStagedPart(t *testing.T) {
	var b strings.Builder
	b.WriteString("sandId,fullName,birthYear\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "L%d,name,1990\n", i)
	}
	text := b.String()
	for _, c := range []struct{ name, now, why string }{
		{"a byte changed", strings.Replace(text, "L2,name", "L2,nama", 1), "changed within the"},
		{"cut short", text[:40], "shorter than the"},
	} {
		t.Run(c.name, func(t *testing.T) {
			input := writeInput(t, text)
			state := statePath(t, input)
			ctx, cancel := context.WithCancel(context.Background())
			_, err := Stage(ctx, input, state, Options{BatchRows: 4, Progress: func(Progress) { cancel() }})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("Stage cancelled after the first checkpoint: %v", err)
			}
			if err := os.WriteFile(input, []byte(c.now), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err = Resume(context.Background(), state, Options{})
			if !errors.Is(err, ErrInputChanged) || !strings.Contains(err.Error(), c.why) {
				t.Errorf("Resume: err = %v, want ErrInputChanged saying %q", err, c.why)
			}
		})
	}
}
