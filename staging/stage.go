package staging

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/learnergraph/importer/checkpoint"
	graphmodel "github.com/learnergraph/importer/model"
)

// ErrMappingChanged is returned by Resume when it is given a mapping other
// than the one the state file was staged with.
var ErrMappingChanged = errors.New("the mapping differs from the one the state file was staged with")

// ErrInputChanged is returned by Resume when the input file is not the one
// the state file was staged from, and by Stage and Resume when it changes
// (its size or modification time) while it is staged: the state file is
// then at its last checkpoint, before the batch that saw the change.
var ErrInputChanged = errors.New("input file changed since staging started")

// DefaultBatchRows is how many rows one staging transaction commits.
const DefaultBatchRows = 5000

// Options tune a staging run.
type Options struct {
	// Overwrite replaces an existing state file (Stage only).
	Overwrite bool
	// BatchRows is the number of rows per checkpoint (DefaultBatchRows if 0).
	BatchRows int
	// MaxRecordBytes bounds the size of one CSV record
	// (DefaultMaxRecordBytes if 0); a longer record is rejected. Stage
	// keeps it in the state file, and Resume uses the kept value.
	MaxRecordBytes int64
	// Command names the running command in the progress snapshot.
	Command string
	// Progress, when set, is called after every checkpoint.
	Progress func(Progress)
	// Logf, when set, receives warnings (e.g. unknown columns).
	Logf func(format string, args ...any)
	// Mapping is the mapping to stage with (nil: the built-in
	// learners.yaml). Stage stores it in the state file; Resume stages with
	// the stored one and refuses a Mapping that differs from it.
	Mapping *graphmodel.Model

	// indexHash replaces the learner index's hash function (tests).
	indexHash func(string) uint64
}

// Progress reports a staging checkpoint.
type Progress struct {
	Counts checkpoint.Counts
	Start  int64 // input offset this run started at
	Offset int64 // input bytes consumed
	Size   int64 // input size
	Done   bool
}

// Stage creates the state file at state and stages the CSV file input into
// it. Problems with the input or the state file (missing file, no sandId
// column, state file in use) are reported before anything is written.
func Stage(ctx context.Context, input, state string, opt Options) (checkpoint.Counts, error) {
	input, err := filepath.Abs(input) // resume may run from another directory
	if err != nil {
		return checkpoint.Counts{}, fmt.Errorf("open input: %w", err)
	}
	f, err := openInput(input)
	if err != nil {
		return checkpoint.Counts{}, err
	}
	defer f.Close()
	fp, err := checkpoint.FingerprintOf(f)
	if err != nil {
		return checkpoint.Counts{}, err
	}
	if opt.MaxRecordBytes <= 0 {
		opt.MaxRecordBytes = DefaultMaxRecordBytes
	}
	plan := defaultPlan
	if opt.Mapping != nil {
		if plan, err = Compile(opt.Mapping); err != nil {
			return checkpoint.Counts{}, err
		}
	}
	src := io.NewSectionReader(f, 0, fp.Size)
	header, fields, mark, err := readHeader(plan, src, opt.MaxRecordBytes)
	if err != nil {
		return checkpoint.Counts{}, err
	}
	prefix, err := checkpoint.Prefix{}.Extend(src, mark.Offset)
	if err != nil {
		return checkpoint.Counts{}, err
	}
	logUnknown(opt, header)
	in := checkpoint.Input{Path: input, Fingerprint: fp, Header: fields, MaxRecordBytes: opt.MaxRecordBytes}
	target := state
	if state, err = stagingPath(target, opt.Overwrite); err != nil {
		return checkpoint.Counts{}, err
	}
	db, err := checkpoint.Create(state, opt.Overwrite, func(tx *bolt.Tx) error {
		if err := plan.schema.createBuckets(tx); err != nil {
			return err
		}
		if err := checkpoint.WriteInput(tx, in); err != nil {
			return err
		}
		m := plan.Model()
		if err := checkpoint.WriteMapping(tx, checkpoint.Mapping{Name: m.Source, SHA256: m.Hash, Text: string(m.Text)}); err != nil {
			return err
		}
		if err := checkpoint.WriteStageMark(tx, mark); err != nil {
			return err
		}
		if err := checkpoint.WritePrefix(tx, prefix); err != nil {
			return err
		}
		return checkpoint.WriteCounts(tx, checkpoint.NewCounts(plan.schema.Labels(), plan.schema.Types()))
	})
	if err != nil {
		return checkpoint.Counts{}, err
	}
	defer db.Close()
	counts, err := run(ctx, db, state, f, in, header, mark, opt)
	return counts, finish(err, state, target)
}

// Resume continues staging into an existing state file from its last
// checkpoint. It refuses an input file that changed since staging started.
func Resume(ctx context.Context, state string, opt Options) (checkpoint.Counts, error) {
	target := state
	if HasPending(target) {
		state = checkpoint.PendingPath(target)
	}
	db, err := checkpoint.Open(state)
	if err != nil {
		return checkpoint.Counts{}, err
	}
	defer db.Close()
	var in checkpoint.Input
	var mark checkpoint.StageMark
	var counts checkpoint.Counts
	var stored checkpoint.Mapping
	err = db.View(func(tx *bolt.Tx) error {
		if in, _, err = checkpoint.ReadInput(tx); err != nil {
			return err
		}
		if stored, err = readMapping(tx); err != nil {
			return err
		}
		if mark, err = checkpoint.ReadStageMark(tx); err != nil {
			return err
		}
		counts, err = checkpoint.ReadCounts(tx)
		return err
	})
	if err == nil && opt.Mapping != nil && opt.Mapping.Hash != stored.SHA256 {
		err = fmt.Errorf("resume: %w: %s has sha256 %.12s…, the state file's %s %.12s… (stage it again with --overwrite to use the new one)",
			ErrMappingChanged, opt.Mapping.Source, opt.Mapping.Hash, stored.Name, stored.SHA256)
	}
	if err != nil || mark.Done {
		return counts, finish(err, state, target)
	}
	plan, err := PlanOf(stored)
	if err != nil {
		return counts, err
	}
	header, err := plan.ParseHeader(in.Header)
	if err != nil {
		return counts, err
	}
	f, err := openInput(in.Path)
	if err != nil {
		return counts, err
	}
	defer f.Close()
	fp, err := checkpoint.FingerprintOf(f)
	if err != nil {
		return counts, err
	}
	if fp != in.Fingerprint {
		if in, err = changedInput(db, f, in, fp, mark, opt); err != nil {
			return counts, err
		}
	}
	opt.MaxRecordBytes = in.MaxRecordBytes
	if opt.MaxRecordBytes <= 0 { // staged by a release without the bound
		opt.MaxRecordBytes = DefaultMaxRecordBytes
	}
	counts, err = run(ctx, db, state, f, in, header, mark, opt)
	return counts, finish(err, state, target)
}

// changedInput accepts an input that changed since staging started when
// the part staged so far is unchanged (the file grew, or changed only
// past the last checkpoint): the stored input record takes its new
// fingerprint, and staging goes on with the rest of the file as it is
// now, which is what staging the new file from the start would give. A
// changed staged part, or a state file without the staged part's checksum,
// is ErrInputChanged.
func changedInput(db *bolt.DB, f io.ReaderAt, in checkpoint.Input, fp checkpoint.Fingerprint, mark checkpoint.StageMark, opt Options) (checkpoint.Input, error) {
	refuse := func(why string) (checkpoint.Input, error) {
		return in, fmt.Errorf("resume staging: %w: %s %s (stage it again with --overwrite)", ErrInputChanged, in.Path, why)
	}
	stored, ok, err := readPrefix(db)
	switch {
	case err != nil:
		return in, err
	case !ok || stored.Offset != mark.Offset:
		return refuse("(this state file has no checksum of the part staged so far)")
	case fp.Size < mark.Offset:
		return refuse(fmt.Sprintf("is now %d bytes, shorter than the %d bytes staged so far", fp.Size, mark.Offset))
	}
	now, err := checkpoint.Prefix{}.Extend(f, mark.Offset)
	if err != nil {
		return in, err
	}
	if now != stored {
		return refuse(fmt.Sprintf("changed within the %d bytes staged so far", mark.Offset))
	}
	in.Fingerprint = fp
	err = db.Update(func(tx *bolt.Tx) error { return checkpoint.WriteInput(tx, in) })
	if err != nil {
		return in, fmt.Errorf("resume staging: record the changed input: %w", err)
	}
	if opt.Logf != nil {
		opt.Logf("%s changed since staging started; the %d bytes staged so far (to line %d) are unchanged: staging the rest of the file as it is now (%d bytes)",
			in.Path, mark.Offset, mark.Line, fp.Size)
	}
	return in, nil
}

// readHeader reads the header record after an optional byte-order mark and
// returns the resume point of the first data record.
func readHeader(plan *Plan, src *io.SectionReader, maxRecord int64) (*Header, []string, checkpoint.StageMark, error) {
	var mark checkpoint.StageMark
	offset := int64(0)
	bom := make([]byte, 3)
	if n, _ := src.ReadAt(bom, 0); n == 3 && string(bom) == "\xef\xbb\xbf" {
		offset = 3
	}
	r, err := newCSVReader(src, offset, 1, 0, maxRecord)
	if err != nil {
		return nil, nil, mark, err
	}
	rec, err := r.read()
	if err == io.EOF {
		return nil, nil, mark, fmt.Errorf("read header: %w: the file is empty", ErrContract)
	}
	if err != nil {
		return nil, nil, mark, err
	}
	if rec.err != nil {
		return nil, nil, mark, fmt.Errorf("read header: %w: %v", ErrContract, rec.err)
	}
	fields := append([]string(nil), rec.fields...)
	h, err := plan.ParseHeader(fields)
	if err != nil {
		return nil, nil, mark, err
	}
	mark.Offset, mark.Line = r.next()
	return h, fields, mark, nil
}

func logUnknown(opt Options, h *Header) {
	if opt.Logf != nil && len(h.Unknown) > 0 {
		opt.Logf("warning: ignoring columns the contract does not know: %q", h.Unknown)
	}
}

// run stages records of f, as it was when staging started (its first
// in.Fingerprint.Size bytes), from mark on, until that end or until ctx is
// cancelled; each batch of rows is one checkpoint. Before every commit it
// checks that the file has not changed since.
func run(ctx context.Context, db *bolt.DB, state string, f *os.File, in checkpoint.Input, h *Header, mark checkpoint.StageMark, opt Options) (checkpoint.Counts, error) {
	if opt.BatchRows <= 0 {
		opt.BatchRows = DefaultBatchRows
	}
	src := io.NewSectionReader(f, 0, in.Fingerprint.Size)
	r, err := newCSVReader(src, mark.Offset, mark.Line, h.Fields(), opt.MaxRecordBytes)
	if err != nil {
		return checkpoint.Counts{}, err
	}
	w, err := newWriter(db, h.plan.schema, opt.indexHash)
	if err != nil {
		return checkpoint.Counts{}, err
	}
	w.started = time.Now()
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
		if err := unchanged(in, b.next.Line); err != nil {
			return counts, err
		}
		if prefix, err = prefix.Extend(f, b.next.Offset); err != nil {
			return counts, err
		}
		b.prefix = prefix
		if counts, err = w.commit(b); err != nil {
			return counts, err
		}
		publish(state, opt, counts, Progress{Start: mark.Offset, Offset: b.next.Offset, Size: src.Size(), Done: b.next.Done})
		if b.next.Done {
			return counts, nil // complete, even if ctx was cancelled meanwhile
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

// stagedPrefix returns the checksum of the input up to mark: the stored
// one, or, in a state file staged before it was recorded, one computed
// from f, which the caller has found unchanged.
func stagedPrefix(db *bolt.DB, f io.ReaderAt, mark checkpoint.StageMark) (checkpoint.Prefix, error) {
	p, ok, err := readPrefix(db)
	if err != nil || (ok && p.Offset == mark.Offset) {
		return p, err
	}
	return checkpoint.Prefix{}.Extend(f, mark.Offset)
}

func readPrefix(db *bolt.DB) (p checkpoint.Prefix, ok bool, err error) {
	err = db.View(func(tx *bolt.Tx) error {
		p, ok, err = checkpoint.ReadPrefix(tx)
		return err
	})
	return p, ok, err
}

// unchanged checks that the input still has the size and modification
// time it had when staging started, before the batch ending at line is
// committed.
func unchanged(in checkpoint.Input, line int64) error {
	info, err := os.Stat(in.Path)
	if err != nil {
		return fmt.Errorf("stat input: %w", err)
	}
	fp := in.Fingerprint
	if info.Size() == fp.Size && info.ModTime().UnixNano() == fp.ModTime {
		return nil
	}
	return fmt.Errorf("stage batch ending at line %d: %w: %s was %d bytes modified %s, is now %d bytes modified %s; "+
		"the state file keeps the batches staged so far: once the file is complete, importer resume stages the rest "+
		"(if the part staged so far is as it was; else stage it again with --overwrite)",
		line, ErrInputChanged, in.Path, fp.Size, time.Unix(0, fp.ModTime).UTC().Format(time.RFC3339Nano),
		info.Size(), info.ModTime().UTC().Format(time.RFC3339Nano))
}

// publish reports a checkpoint to the caller and to `importer status`.
func publish(state string, opt Options, counts checkpoint.Counts, pr Progress) {
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
	if err := checkpoint.WriteSnapshot(state, snap); err != nil && opt.Logf != nil {
		opt.Logf("warning: %v", err)
	}
}
