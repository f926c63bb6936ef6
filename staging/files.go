package staging

import (
	"context"
	"errors"
	"io"
	"os"
	"runtime"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/learnergraph/importer/checkpoint"
)

// A mapping may read several CSV files (model.File). They are staged one
// after the other in the mapping's order, into the same buckets: a node
// staged from one file and referenced by key from another is one node.
// Each file has its own resume point: the stage mark says which file its
// offset and line are in, the files record (checkpoint.InputFile) keeps
// every file's fingerprint and header and, once staged, its end; the
// transaction of a file's last batch moves the mark to the next file's
// first record. A mapping of one file keeps the input record instead, as
// before (its state file's staged bytes are unchanged).

// ErrInputs is returned by StageFiles when the paths given do not match
// the mapping's files.
var ErrInputs = errors.New("the input files do not match the mapping's")

// inputs are the input files of a staging run, as the state file records
// them.
type inputs struct {
	files []checkpoint.InputFile
	multi bool // the mapping reads several files: the files record, else the input record
}

// save stores the input files' records.
func (in *inputs) save(tx *bolt.Tx) error {
	if in.multi {
		return checkpoint.WriteFiles(tx, in.files)
	}
	return checkpoint.WriteInput(tx, in.files[0].Input)
}

// readInputs reads the input files' records.
func readInputs(tx *bolt.Tx) (*inputs, error) {
	files, ok, err := checkpoint.ReadFiles(tx)
	if err != nil || ok {
		return &inputs{files: files, multi: true}, err
	}
	in, _, err := checkpoint.ReadInput(tx)
	return &inputs{files: []checkpoint.InputFile{{Input: in}}}, err
}

// ended returns files with file i staged: read is the rows read in all
// files so far; the earlier files' rows are not file i's.
func ended(files []checkpoint.InputFile, i int, read int64) []checkpoint.InputFile {
	files = slices.Clone(files)
	for _, f := range files[:i] {
		read -= f.Rows
	}
	files[i].Done, files[i].Rows = true, read
	return files
}

// stageFrom stages the input files from mark on: the rest of file
// mark.File, then every later file from its first record. handles holds
// the files already open (by index; the others are opened and checked when
// staging reaches them, and closed here).
func stageFrom(ctx context.Context, db *bolt.DB, state string, plan *Plan, in *inputs, mark checkpoint.StageMark, handles []*os.File, opt Options) (checkpoint.Counts, error) {
	w, err := newWriter(db, plan.schema, opt.indexHash)
	if err != nil {
		return checkpoint.Counts{}, err
	}
	w.started = time.Now()
	for i := mark.File; ; i++ {
		f := handles[i]
		if f == nil {
			if f, err = openChecked(db, in, mark, opt); err != nil {
				return checkpoint.Counts{}, err
			}
			defer f.Close()
		}
		h, err := plan.Files()[i].ParseHeader(in.files[i].Header)
		if err != nil {
			return checkpoint.Counts{}, err
		}
		counts, err := run(ctx, db, w, state, f, in, h, mark, opt)
		if err != nil || i+1 == len(in.files) {
			return counts, err
		}
		if ctx.Err() != nil {
			return counts, ctx.Err()
		}
		next := in.files[i+1]
		mark = checkpoint.StageMark{File: i + 1, Offset: next.Start.Offset, Line: next.StartLine}
	}
}

// run stages records of input file mark.File (f), as it was when staging
// started (its first Fingerprint.Size bytes), from mark on, until that end
// or until ctx is cancelled; each batch of rows is one checkpoint. Before
// every commit it checks that the file has not changed since. The last
// batch of a file that is not the mapping's last moves the stage mark to
// the next file's first record.
func run(ctx context.Context, db *bolt.DB, w *writer, state string, f *os.File, in *inputs, h *Header, mark checkpoint.StageMark, opt Options) (checkpoint.Counts, error) {
	if opt.BatchRows <= 0 {
		opt.BatchRows = DefaultBatchRows
	}
	i := mark.File
	cur := in.files[i].Input
	src := io.NewSectionReader(f, 0, cur.Fingerprint.Size)
	r, err := newCSVReader(src, mark.Offset, mark.Line, h.Fields(), opt.MaxRecordBytes)
	if err != nil {
		return checkpoint.Counts{}, err
	}
	readCtx, stopReading := context.WithCancel(ctx)
	defer stopReading()
	workers := runtime.GOMAXPROCS(0)
	batches := make(chan (<-chan batch), 1)
	readErr := make(chan error, 1)
	go func() { readErr <- stream(readCtx, r, h, opt.BatchRows, workers, batches) }()

	prefix, err := stagedPrefix(db, f, mark)
	if err != nil {
		return checkpoint.Counts{}, err
	}
	var counts checkpoint.Counts
	for result := range batches {
		b := <-result
		if err := unchanged(cur, b.next.Line); err != nil {
			return counts, err
		}
		if prefix, err = prefix.Extend(f, b.next.Offset); err != nil {
			return counts, err
		}
		b.file, b.prefix, b.next.File = i, prefix, i
		end := b.next
		if end.Done && in.multi {
			b.files = slices.Clone(in.files)
			b.files[i].End, b.files[i].EndLine = end.Offset, end.Line
			if i+1 < len(in.files) { // on to the next file, in the same transaction
				next := in.files[i+1]
				b.next = checkpoint.StageMark{File: i + 1, Offset: next.Start.Offset, Line: next.StartLine}
				b.prefix = next.Start
			}
		}
		if counts, err = w.commit(b); err != nil {
			return counts, err
		}
		if b.files != nil {
			in.files = ended(b.files, i, counts.Rows.Read)
		}
		publish(state, opt, counts, in, b.next, Progress{
			File: i, Files: len(in.files), Name: in.files[i].Name,
			Start: mark.Offset, Offset: end.Offset, Size: src.Size(), Done: b.next.Done,
		})
		if end.Done {
			return counts, nil // the file is complete, even if ctx was cancelled meanwhile
		}
		if ctx.Err() != nil {
			return counts, ctx.Err()
		}
	}
	if err := <-readErr; err != nil {
		return counts, err
	}
	return counts, ctx.Err()
}

// publish reports a checkpoint to the caller and to `importer status`.
func publish(state string, opt Options, counts checkpoint.Counts, in *inputs, mark checkpoint.StageMark, pr Progress) {
	if opt.Progress != nil {
		pr.Counts = counts.Clone()
		opt.Progress(pr)
	}
	phase := checkpoint.PhaseStaging
	if pr.Done {
		phase = checkpoint.PhaseStaged
	}
	snap := checkpoint.Snapshot{PID: os.Getpid(), Command: opt.Command, Updated: time.Now(), Status: checkpoint.Status{
		Phase: phase, Rows: counts.Rows, Nodes: counts.Nodes, Relationships: counts.Relationships,
	}}
	if in.multi {
		snap.Status.Files = checkpoint.FileStatuses(in.files, mark, counts.Rows.Read)
	}
	if err := checkpoint.WriteSnapshot(state, snap); err != nil && opt.Logf != nil {
		opt.Logf("warning: %v", err)
	}
}
