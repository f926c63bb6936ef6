package staging

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/learnergraph/importer/checkpoint"
)

// TestStageStrayQuote: a quote that opens a field nobody closes, early in
// a file with no other quote, costs its own line: the record is rejected
// when it outgrows --max-record-bytes, with the lines its first bytes span,
// and reading resumes at the next line, so every later row is staged.
func TestStageStrayQuote(t *testing.T) {
	var b strings.Builder
	b.WriteString("sandId,fullName,birthYear\nL0,ok,1990\nL1,\"oops,1990\n")
	for i := 2; i < 2000; i++ {
		fmt.Fprintf(&b, "L%d,name %d,1990\n", i, i)
	}
	content := b.String()
	const limit = 4096
	start := strings.Index(content, "L1,")
	last := 3 + strings.Count(content[start:start+limit], "\n")
	got := dump(t, stageString(t, content, Options{BatchRows: 300, MaxRecordBytes: limit}))
	want := []Reject{{
		Line:   3,
		Reason: fmt.Sprintf("record of more than %d bytes (--max-record-bytes) at lines 3–%d and on; skipped line 3 (14 bytes) and resumed at line 4", limit, last),
		Record: `L1,"oops,1990`,
	}}
	if diff := cmp.Diff(want, got.Rejects); diff != "" {
		t.Errorf("rejects (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(checkpoint.Rows{Read: 2000, Staged: 1999, Rejected: 1}, got.Counts.Rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if n := len(got.Nodes[Learner]); n != 1999 {
		t.Errorf("%d learners staged, want 1999", n)
	}
}

// TestStageLongRecords: a single line longer than the bound, one ending the
// file without a line end, one after blank lines, and records of exactly
// the bound (counted from the previous record's end) are told apart; a
// header longer than the bound is a contract error.
func TestStageLongRecords(t *testing.T) {
	const limit = 64
	long := strings.Repeat("x", 100)
	exact := "L3," + strings.Repeat("y", limit-len("L3,,1990\n")) + ",1990\n" // limit bytes with its line end
	content := "sandId,fullName,birthYear\nL1," + long + ",1990\nL2,ok,1990\n" + exact + "\n\nL4," + long + ",1990\nL5,ok,1990\nL6," + long
	got := dump(t, stageString(t, content, Options{BatchRows: 2, MaxRecordBytes: limit}))
	reason := func(line, n int) string {
		return fmt.Sprintf("record of more than %d bytes (--max-record-bytes) at line %d; skipped line %d (%d bytes) and resumed at line %d", limit, line, line, n, line+1)
	}
	want := []Reject{
		{Line: 2, Reason: reason(2, 109), Record: "L1," + long + ",1990"},
		{Line: 7, Reason: reason(7, 109), Record: "L4," + long + ",1990"},
		{Line: 9, Reason: strings.Replace(reason(9, 103), "resumed at line 10", "resumed at line 9", 1), Record: "L6," + long},
	}
	if diff := cmp.Diff(want, got.Rejects); diff != "" {
		t.Errorf("rejects (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(checkpoint.Rows{Read: 6, Staged: 3, Rejected: 3}, got.Counts.Rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if got.Mark.Offset != int64(len(content)) || got.Mark.Line != 9 || !got.Mark.Done {
		t.Errorf("resume point %+v, want the end: offset %d, line 9", got.Mark, len(content))
	}

	input := writeInput(t, "sandId,"+strings.Repeat("h", limit)+"\nL1,x\n")
	_, err := Stage(context.Background(), input, statePath(t, input), Options{MaxRecordBytes: limit})
	if err == nil || !strings.Contains(err.Error(), "input breaks the data contract: record of more than 64 bytes") {
		t.Errorf("a header longer than the bound: err = %v, want a contract error", err)
	}
}

// TestStageHugeFieldMemory: a 100 MB field costs memory in proportion to
// --max-record-bytes, not to its size (the Go heap's total allocations
// during the whole stage, which bound its peak, are compared).
func TestStageHugeFieldMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 100 MB file")
	}
	path := filepath.Join(t.TempDir(), "learners.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString("sandId,fullName,birthYear\nL1,\"")
	chunk := strings.Repeat("0123456789", 1000)
	for range 100 << 20 / len(chunk) {
		w.WriteString(chunk)
	}
	w.WriteString("\",1990\nL2,ok,1990\n")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	const limit = 1 << 20
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	counts, err := Stage(context.Background(), path, statePath(t, path), Options{MaxRecordBytes: limit})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(checkpoint.Rows{Read: 2, Staged: 1, Rejected: 1}, counts.Rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("staging a 100 MB field allocated %d MiB in all", alloc>>20)
	if alloc > 32*limit {
		t.Errorf("staging a 100 MB field allocated %d MiB, want at most %d MiB (32 × --max-record-bytes)", alloc>>20, 32*limit>>20)
	}
}
