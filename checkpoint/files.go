package checkpoint

import (
	bolt "go.etcd.io/bbolt"
)

// keyFiles is the meta record of the input files of a mapping that reads
// several CSV files (format 4). A state file of a one-file mapping has the
// input record instead, as before.
var keyFiles = []byte("files")

// InputFile is one input file of a mapping that reads several: its input
// record (path, fingerprint, header), where its first record starts, and
// once it is staged where it ended and how many rows it had. The stage
// mark's File says which file its offset and line are in; the files
// before it are staged, those after it wait.
type InputFile struct {
	// Name is the file's name in the mapping.
	Name string `json:"name"`
	Input
	// Start is the checksum of the file up to its first record (its
	// header): Start.Offset is where staging the file begins.
	Start     Prefix `json:"start"`
	StartLine int64  `json:"startLine"`
	// Done is set, with End, EndLine and Rows (rows read, staged or
	// rejected), in the transaction of the file's last batch.
	Done    bool  `json:"done,omitempty"`
	End     int64 `json:"end,omitempty"`
	EndLine int64 `json:"endLine,omitempty"`
	Rows    int64 `json:"rows,omitempty"`
}

// ReadFiles returns the files record; ok is false in a state file of a
// one-file mapping (and before staging started).
func ReadFiles(tx *bolt.Tx) (files []InputFile, ok bool, err error) {
	ok, err = getJSON(tx, keyFiles, &files)
	return files, ok, err
}

// WriteFiles stores the files record.
func WriteFiles(tx *bolt.Tx, files []InputFile) error { return putJSON(tx, keyFiles, files) }

// FileStatus is one input file's progress in the status report.
type FileStatus struct {
	Name string `json:"name"`
	Path string `json:"path"`
	// State is "staged", "staging" (the file being staged, or the one an
	// interrupted stage resumes in) or "waiting".
	State  string `json:"state"`
	Size   int64  `json:"size"`
	Offset int64  `json:"offset"` // bytes staged so far
	Line   int64  `json:"line"`   // the line the next record starts on
	Rows   int64  `json:"rows"`   // rows read so far (staged or rejected)
}

// FileStatuses reports the progress of each input file at mark, with the
// rows read so far in all files (counts' Rows.Read).
func FileStatuses(files []InputFile, mark StageMark, read int64) []FileStatus {
	out := make([]FileStatus, len(files))
	for i, f := range files {
		s := FileStatus{Name: f.Name, Path: f.Path, Size: f.Fingerprint.Size}
		switch {
		case f.Done:
			s.State, s.Offset, s.Line, s.Rows = "staged", f.End, f.EndLine, f.Rows
			read -= f.Rows
		case i == mark.File:
			s.State, s.Offset, s.Line = "staging", mark.Offset, mark.Line
		default:
			s.State, s.Offset, s.Line = "waiting", 0, 1
		}
		out[i] = s
	}
	if mark.File < len(out) && !files[mark.File].Done {
		out[mark.File].Rows = read
	}
	return out
}
