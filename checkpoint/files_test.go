package checkpoint

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"
)

// TestFilesRecordAndStatuses writes the files record of a three-file
// mapping, reads it back, and checks each file's status while the second
// file is being staged: the first staged, the second at the mark with the
// rows read since the first ended, the third waiting.
func TestFilesRecordAndStatuses(t *testing.T) {
	files := []InputFile{
		{Name: "airports", Input: Input{Path: "a.csv", Fingerprint: Fingerprint{Size: 1000}, Header: []string{"faa"}},
			Start: Prefix{Offset: 4, CRC32C: 1}, StartLine: 2, Done: true, End: 1000, EndLine: 51, Rows: 49},
		{Name: "flights", Input: Input{Path: "f.csv", Fingerprint: Fingerprint{Size: 5000}, Header: []string{"year"}},
			Start: Prefix{Offset: 5, CRC32C: 2}, StartLine: 2},
		{Name: "planes", Input: Input{Path: "p.csv", Fingerprint: Fingerprint{Size: 300}, Header: []string{"tailnum"}},
			Start: Prefix{Offset: 8, CRC32C: 3}, StartLine: 2},
	}
	path := tempState(t)
	create(t, path)
	db := mustOpen(t, path, false)
	var got []InputFile
	var ok bool
	if err := db.View(func(tx *bolt.Tx) (err error) { got, ok, err = ReadFiles(tx); return err }); err != nil || ok {
		t.Fatalf("ReadFiles of a new state file: ok %v, %v", ok, err)
	}
	update(t, db, func(tx *bolt.Tx) error { return WriteFiles(tx, files) })
	if err := db.View(func(tx *bolt.Tx) (err error) { got, ok, err = ReadFiles(tx); return err }); err != nil || !ok {
		t.Fatalf("ReadFiles: ok %v, %v", ok, err)
	}
	if diff := cmp.Diff(files, got); diff != "" {
		t.Fatalf("files read back (-written +read):\n%s", diff)
	}

	mark := StageMark{File: 1, Offset: 2400, Line: 31}
	want := []FileStatus{
		{Name: "airports", Path: "a.csv", State: "staged", Size: 1000, Offset: 1000, Line: 51, Rows: 49},
		{Name: "flights", Path: "f.csv", State: "staging", Size: 5000, Offset: 2400, Line: 31, Rows: 29},
		{Name: "planes", Path: "p.csv", State: "waiting", Size: 300, Offset: 0, Line: 1},
	}
	if diff := cmp.Diff(want, FileStatuses(got, mark, 49+29)); diff != "" {
		t.Errorf("file statuses (-want +got):\n%s", diff)
	}
}
