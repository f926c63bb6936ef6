package offline

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSwapAgain: Swap puts the scratch database's store and transaction
// logs in the target's place, and run again after an interruption at any
// point between its renames, it finishes the job: the target ends with
// the imported store and logs, never the imported store with the old
// logs, and nothing is left aside.
func TestSwapAgain(t *testing.T) {
	// Each case is how far an interrupted Swap got: 0 renames, the old
	// store moved aside, the new store in place, the old logs aside.
	for done := range 4 {
		h := Home{Dir: t.TempDir()}
		src, dst := h.StoreDirs(importDatabase), h.StoreDirs("neo4j")
		for i, d := range append(append([]string(nil), src...), dst...) {
			content := []string{"new store", "new logs", "old store", "old logs"}[i]
			if err := os.MkdirAll(d, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(d, "f"), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		steps := []func() error{
			func() error { return os.Rename(dst[0], dst[0]+".importer-old") },
			func() error { return os.Rename(src[0], dst[0]) },
			func() error { return os.Rename(dst[1], dst[1]+".importer-old") },
		}
		for _, step := range steps[:done] {
			if err := step(); err != nil {
				t.Fatal(err)
			}
		}
		if err := h.Swap("neo4j"); err != nil {
			t.Fatalf("after %d steps: Swap: %v", done, err)
		}
		var got []string
		for _, d := range dst {
			b, err := os.ReadFile(filepath.Join(d, "f"))
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, string(b))
		}
		if diff := cmp.Diff([]string{"new store", "new logs"}, got); diff != "" {
			t.Errorf("after %d steps then Swap, the target holds (-want +got):\n%s", done, diff)
		}
		left, _ := filepath.Glob(filepath.Join(h.DataDir(), "*", "*"))
		if diff := cmp.Diff([]string{dst[0], dst[1]}, left); diff != "" {
			t.Errorf("after %d steps then Swap, the data directory holds (-want +got):\n%s", done, diff)
		}
		if h.Imported() {
			t.Errorf("after %d steps then Swap, the scratch database is still there", done)
		}
	}
}
