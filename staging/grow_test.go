package staging

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/learnergraph/importer/checkpoint"
)

// TestStageInputGrows: a file appended to while it is staged — its last
// line half-written when staging starts — ends with ErrInputChanged before
// the batch that would have staged the half line; the state file is at the
// checkpoint before it (resume refuses the changed file too), and the
// half-written line never became a row.
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
	if _, err := Resume(context.Background(), state, Options{}); !errors.Is(err, ErrInputChanged) {
		t.Errorf("Resume after the change: err = %v, want ErrInputChanged", err)
	}
}
