package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/peterbourgon/ff/v3"
	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/learnergraph/importer/model"
	"github.com/learnergraph/importer/progress"
	"github.com/learnergraph/importer/staging"
)

func newStageCommand(rc *rootConfig) *ffcli.Command {
	fs := flag.NewFlagSet("importer stage", flag.ContinueOnError)
	var input inputsFlag
	fs.Var(&input, "input", "CSV file to stage; for a mapping that reads several files, NAME=PATH once per file "+requiredMark)
	state := fs.String("state", "import.db", "state file to create")
	overwrite := fs.Bool("overwrite", false, "replace an existing state file, once the new one is complete")
	batchRows := fs.Int("batch-rows", staging.DefaultBatchRows, "rows per checkpoint")
	maxRecord := fs.Int64("max-record-bytes", staging.DefaultMaxRecordBytes, "longest CSV record; a longer one is rejected and reading resumes at its next line")
	mapping := fs.String("mapping", "", "mapping file: how the CSV becomes the graph (default: the built-in learners.yaml)")
	return &ffcli.Command{
		Name:       "stage",
		ShortUsage: "importer stage --input FILE [--state FILE] [--mapping FILE] [--overwrite]\n  importer stage --mapping FILE --input NAME=PATH --input NAME=PATH ... [--state FILE]",
		ShortHelp:  "stream the CSV into a new state file (first pass)",
		LongHelp: `Reads the learner CSV once and stages its deduplicated entities and
relationships into a bbolt state file, checkpointing every --batch-rows rows.
Bad rows are rejected with a reason (see "importer rejects"). After a crash
or Ctrl-C, "importer resume --state FILE" continues from the last checkpoint.

--mapping names a mapping file (see "importer mapping"); without it the
built-in learners.yaml, the learner contract, is used. The mapping is stored
in the state file: load, verify, export, status and resume read it there.

A mapping that reads several CSV files (its "files:") names them: give each
file's path as --input NAME=PATH, NAME being the file's name in the mapping.
They are staged one after the other in the mapping's order; resume
continues in the file that was being staged.

With --overwrite, an existing state file stays as it is (and usable) until
the new one is complete: the new one is built as FILE.pending and renamed
over it at the end. "importer resume --state FILE" continues an interrupted
replacement.

Examples:
  importer stage --input learners.csv --state import.db
  importer stage --mapping flights.yaml --state flights.db \
    --input airlines=airlines.csv --input airports=airports.csv \
    --input planes=planes.csv --input flights=flights.csv`,
		FlagSet: fs,
		Options: []ff.Option{ff.WithEnvVarPrefix("IMPORTER")},
		Exec: func(ctx context.Context, args []string) error {
			if *maxRecord <= 0 {
				return usageError{fmt.Errorf("--max-record-bytes must be positive, not %d", *maxRecord)}
			}
			opt := staging.Options{BatchRows: *batchRows, Overwrite: *overwrite, MaxRecordBytes: *maxRecord}
			m := model.Default()
			if *mapping != "" {
				var err error
				if m, err = readMapping(rc, *mapping); err != nil {
					return err
				}
				opt.Mapping = m
			}
			paths, err := input.paths(m)
			if err != nil {
				return err
			}
			return runStaging(rc, "stage", *state, opt, func(opt staging.Options) error {
				_, err := staging.StageFiles(ctx, paths, *state, opt)
				return err
			})
		},
	}
}

// inputsFlag is stage's --input, given once per input file.
type inputsFlag []string

func (f *inputsFlag) String() string { return strings.Join(*f, ", ") }

func (f *inputsFlag) Set(v string) error {
	*f = append(*f, v)
	return nil
}

// paths returns the input files' paths in the order of m's files: the one
// --input of a mapping of one file (a path, whatever it holds), or one
// --input NAME=PATH per file of a mapping that reads several.
func (f inputsFlag) paths(m *model.Model) ([]string, error) {
	files := m.InputFiles()
	if len(m.Files) == 0 {
		if len(f) != 1 {
			return nil, usageError{fmt.Errorf("--input is given %d times: the mapping reads one file", len(f))}
		}
		return []string(f), nil
	}
	names := make([]string, len(files))
	for i, file := range files {
		names[i] = file.Name
	}
	byName := map[string]string{}
	for _, v := range f {
		name, path, ok := strings.Cut(v, "=")
		switch {
		case !ok || path == "":
			return nil, usageError{fmt.Errorf("--input %q: %s reads %d files: give each as --input NAME=PATH, NAME one of %s", v, m.Source, len(files), strings.Join(names, ", "))}
		case !slices.Contains(names, name):
			return nil, usageError{fmt.Errorf("--input %s: %s has no file %q (its files: %s)", v, m.Source, name, strings.Join(names, ", "))}
		case byName[name] != "":
			return nil, usageError{fmt.Errorf("--input %s: file %q is given twice", v, name)}
		}
		byName[name] = path
	}
	paths := make([]string, len(files))
	var missing []string
	for i, name := range names {
		if paths[i] = byName[name]; paths[i] == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return nil, usageError{fmt.Errorf("no --input NAME=PATH for %s of the files of %s", strings.Join(missing, ", "), m.Source)}
	}
	return paths, nil
}

// runStaging runs a staging pass (stage, or resume's) with its progress and
// warnings on stderr, and reports its end.
func runStaging(rc *rootConfig, command, state string, opt staging.Options, stage func(staging.Options) error) error {
	r := rc.newReporter(nil) // until the first checkpoint
	opt.Command = command
	opt.Logf = func(format string, args ...any) { r.Logf("importer: "+format, args...) }
	opt.Progress = func(pr staging.Progress) {
		r.Update(func(elapsed time.Duration) string { return stageLine(pr, elapsed) })
	}
	r.Start()
	err := stage(opt)
	r.Stop()
	if errors.Is(err, syscall.ENOSPC) {
		return fmt.Errorf("%w (free some space, then run importer resume --state %s: the batches committed so far are kept)", err, state)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(rc.stderr, "importer: staged into %s; next: importer load --state %s\n", state, state)
	return nil
}

// stageLine is the progress line of a staging pass at checkpoint pr,
// elapsed after it started.
func stageLine(pr staging.Progress, elapsed time.Duration) string {
	done := float64(pr.Offset - pr.Start) // a resumed run measures its own bytes
	rows := pr.Counts.Rows
	file := ""
	if pr.Name != "" {
		file = fmt.Sprintf("file %d/%d %s: ", pr.File+1, pr.Files, pr.Name)
	}
	return fmt.Sprintf("stage: %s%d rows (%d rejected, %d duplicates)  %.0f rows/s  %.1f MB/s  %.0f%%  ETA %s",
		file, rows.Read, rows.Rejected, rows.Duplicates,
		progress.Rate(float64(rows.Read), elapsed), progress.Rate(done/1e6, elapsed),
		100*float64(pr.Offset)/float64(max(pr.Size, 1)), progress.ETA(float64(pr.Size-pr.Offset), progress.Rate(done, elapsed)))
}
