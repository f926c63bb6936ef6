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
)

// TestStageOverwriteKeepsTheOldStateUntilDone interrupts a `stage
// --overwrite` after its first checkpoint: the old state file must be
// untouched (it was deleted before the new stage had succeeded). Resume
// then finishes the new one and moves it into place; nothing else is left.
func TestStageOverwriteKeepsTheOldStateUntilDone(t *testing.T) {
	old := writeInput(t, "sandId\nA1\nA2\n")
	state := statePath(t, old)
	if _, err := Stage(context.Background(), old, state, Options{}); err != nil {
		t.Fatal(err)
	}
	wantOld := dump(t, state)

	var sb strings.Builder
	sb.WriteString("sandId,fullName\n")
	for i := range 100 {
		fmt.Fprintf(&sb, "B%03d,learner %d\n", i, i)
	}
	replacement := writeInput(t, sb.String())
	want := dump(t, stageFileAt(t, replacement, filepath.Join(t.TempDir(), "reference.db")))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opt := Options{Overwrite: true, BatchRows: 10, Progress: func(Progress) { cancel() }}
	if _, err := Stage(ctx, replacement, state, opt); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted Stage --overwrite: %v, want context.Canceled", err)
	}
	if diff := cmp.Diff(wantOld, dump(t, state), cmpOpts...); diff != "" {
		t.Fatalf("the old state file changed before the new one was complete (-old +now):\n%s", diff)
	}
	if _, err := Stage(context.Background(), replacement, state, Options{}); !errors.Is(err, ErrPending) {
		t.Errorf("Stage without Overwrite over a pending replacement: %v, want ErrPending", err)
	}

	if _, err := Resume(context.Background(), state, Options{BatchRows: 10}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, dump(t, state), cmpOpts...); diff != "" {
		t.Errorf("after resume, the state file is not the replacement's (-want +got):\n%s", diff)
	}
	entries, _ := os.ReadDir(filepath.Dir(state))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if diff := cmp.Diff([]string{"import.db", "import.db.progress", "learners.csv"}, names); diff != "" {
		t.Errorf("files next to the state file (-want +got):\n%s", diff)
	}
}
