package staging

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
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
	// File is the index of the input file being staged, of Files, and
	// Name its name in the mapping ("" for a mapping of one file); Start,
	// Offset and Size are in that file.
	File, Files int
	Name        string
	Start       int64 // input offset this run started at
	Offset      int64 // input bytes consumed
	Size        int64 // input size
	Done        bool  // every file is staged
}

// Stage creates the state file at state and stages the CSV file input into
// it. Problems with the input or the state file (missing file, no sandId
// column, state file in use) are reported before anything is written.
func Stage(ctx context.Context, input, state string, opt Options) (checkpoint.Counts, error) {
	return StageFiles(ctx, []string{input}, state, opt)
}

// StageFiles is Stage for a mapping that reads several CSV files: paths
// are its files' paths, in the mapping's order (Plan.Files). It checks
// every file and its header before it writes anything, then stages the
// files one after the other, each with its own resume point.
func StageFiles(ctx context.Context, paths []string, state string, opt Options) (checkpoint.Counts, error) {
	if opt.MaxRecordBytes <= 0 {
		opt.MaxRecordBytes = DefaultMaxRecordBytes
	}
	plan := defaultPlan
	if opt.Mapping != nil {
		var err error
		if plan, err = Compile(opt.Mapping); err != nil {
			return checkpoint.Counts{}, err
		}
	}
	if n := len(plan.Files()); n != len(paths) {
		return checkpoint.Counts{}, fmt.Errorf("stage: %w: the mapping reads %d files, %d given", ErrInputs, n, len(paths))
	}
	in := &inputs{multi: plan.files != nil}
	handles := make([]*os.File, len(paths))
	defer func() {
		for _, f := range handles {
			if f != nil {
				f.Close()
			}
		}
	}()
	for i, p := range plan.Files() {
		f, file, err := openStart(p, paths[i], opt)
		if err != nil {
			return checkpoint.Counts{}, err
		}
		handles[i] = f
		in.files = append(in.files, file)
	}
	target := state
	state, err := stagingPath(target, opt.Overwrite)
	if err != nil {
		return checkpoint.Counts{}, err
	}
	first := in.files[0]
	mark := checkpoint.StageMark{Offset: first.Start.Offset, Line: first.StartLine}
	db, err := checkpoint.Create(state, opt.Overwrite, func(tx *bolt.Tx) error {
		if err := plan.schema.createBuckets(tx); err != nil {
			return err
		}
		if err := in.save(tx); err != nil {
			return err
		}
		m := plan.Model()
		if err := checkpoint.WriteMapping(tx, checkpoint.Mapping{Name: m.Source, SHA256: m.Hash, Text: string(m.Text)}); err != nil {
			return err
		}
		if err := checkpoint.WriteStageMark(tx, mark); err != nil {
			return err
		}
		if err := checkpoint.WritePrefix(tx, first.Start); err != nil {
			return err
		}
		return checkpoint.WriteCounts(tx, checkpoint.NewCounts(plan.schema.Labels(), plan.schema.Types()))
	})
	if err != nil {
		return checkpoint.Counts{}, err
	}
	defer db.Close()
	counts, err := stageFrom(ctx, db, state, plan, in, mark, handles, opt)
	return counts, finish(err, state, target)
}

// openStart opens the input file of plan p at path, reads its header, and
// returns the file's record as staging starts it.
func openStart(p *Plan, path string, opt Options) (*os.File, checkpoint.InputFile, error) {
	var file checkpoint.InputFile
	path, err := filepath.Abs(path) // resume may run from another directory
	if err != nil {
		return nil, file, fmt.Errorf("open input: %w", err)
	}
	f, err := openInput(path)
	if err != nil {
		return nil, file, err
	}
	file, err = startFile(p, f, path, opt)
	if err != nil {
		f.Close()
		if p.name != "" {
			err = fmt.Errorf("input file %s (%s): %w", p.name, path, err)
		}
		return nil, file, err
	}
	return f, file, nil
}

func startFile(p *Plan, f *os.File, path string, opt Options) (checkpoint.InputFile, error) {
	fp, err := checkpoint.FingerprintOf(f)
	if err != nil {
		return checkpoint.InputFile{}, err
	}
	src := io.NewSectionReader(f, 0, fp.Size)
	header, fields, mark, err := readHeader(p, src, opt.MaxRecordBytes)
	if err != nil {
		return checkpoint.InputFile{}, err
	}
	prefix, err := checkpoint.Prefix{}.Extend(src, mark.Offset)
	if err != nil {
		return checkpoint.InputFile{}, err
	}
	logUnknown(opt, p.name, header)
	return checkpoint.InputFile{
		Name:  p.name,
		Input: checkpoint.Input{Path: path, Fingerprint: fp, Header: fields, MaxRecordBytes: opt.MaxRecordBytes},
		Start: prefix, StartLine: mark.Line,
	}, nil
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
	var in *inputs
	var mark checkpoint.StageMark
	var counts checkpoint.Counts
	var stored checkpoint.Mapping
	err = db.View(func(tx *bolt.Tx) error {
		if in, err = readInputs(tx); err != nil {
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
	if len(plan.Files()) != len(in.files) || mark.File >= len(in.files) {
		return counts, &checkpoint.DamagedError{Path: state, Detail: fmt.Sprintf("the mapping reads %d files, the state file records %d, staging is at file %d",
			len(plan.Files()), len(in.files), mark.File)}
	}
	if _, err := plan.Files()[mark.File].ParseHeader(in.files[mark.File].Header); err != nil {
		return counts, err
	}
	handles := make([]*os.File, len(in.files))
	f, err := openChecked(db, in, mark, opt)
	if err != nil {
		return counts, err
	}
	handles[mark.File] = f
	defer f.Close()
	opt.MaxRecordBytes = in.files[mark.File].MaxRecordBytes
	if opt.MaxRecordBytes <= 0 { // staged by a release without the bound
		opt.MaxRecordBytes = DefaultMaxRecordBytes
	}
	counts, err = stageFrom(ctx, db, state, plan, in, mark, handles, opt)
	return counts, finish(err, state, target)
}

// openChecked opens the input file staging is at (mark.File) and checks
// it against its record: a file that changed is accepted only as
// changedInput says.
func openChecked(db *bolt.DB, in *inputs, mark checkpoint.StageMark, opt Options) (*os.File, error) {
	f, err := openInput(in.files[mark.File].Path)
	if err != nil {
		return nil, err
	}
	fp, err := checkpoint.FingerprintOf(f)
	if err == nil && fp != in.files[mark.File].Fingerprint {
		err = changedInput(db, f, in, fp, mark, opt)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// changedInput accepts an input that changed since staging started when
// the part staged so far is unchanged (the file grew, or changed only
// past the last checkpoint): the stored input record takes its new
// fingerprint, and staging goes on with the rest of the file as it is
// now, which is what staging the new file from the start would give. A
// changed staged part, or a state file without the staged part's checksum,
// is ErrInputChanged.
func changedInput(db *bolt.DB, f io.ReaderAt, in *inputs, fp checkpoint.Fingerprint, mark checkpoint.StageMark, opt Options) error {
	cur := &in.files[mark.File]
	refuse := func(why string) error {
		return fmt.Errorf("resume staging: %w: %s %s (stage it again with --overwrite)", ErrInputChanged, cur.Path, why)
	}
	stored, ok, err := readPrefix(db)
	switch {
	case err != nil:
		return err
	case !ok || stored.Offset != mark.Offset:
		return refuse("(this state file has no checksum of the part staged so far)")
	case fp.Size < mark.Offset:
		return refuse(fmt.Sprintf("is now %d bytes, shorter than the %d bytes staged so far", fp.Size, mark.Offset))
	}
	now, err := checkpoint.Prefix{}.Extend(f, mark.Offset)
	if err != nil {
		return err
	}
	if now != stored {
		return refuse(fmt.Sprintf("changed within the %d bytes staged so far", mark.Offset))
	}
	cur.Fingerprint = fp
	if err := db.Update(in.save); err != nil {
		return fmt.Errorf("resume staging: record the changed input: %w", err)
	}
	if opt.Logf != nil {
		opt.Logf("%s changed since staging started; the %d bytes staged so far (to line %d) are unchanged: staging the rest of the file as it is now (%d bytes)",
			cur.Path, mark.Offset, mark.Line, fp.Size)
	}
	return nil
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

func logUnknown(opt Options, file string, h *Header) {
	switch {
	case opt.Logf == nil || len(h.Unknown) == 0:
	case file != "":
		opt.Logf("warning: input file %s: ignoring columns the mapping does not know: %q", file, h.Unknown)
	default:
		opt.Logf("warning: ignoring columns the contract does not know: %q", h.Unknown)
	}
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
