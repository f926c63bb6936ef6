package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"syscall"
	"time"

	"github.com/peterbourgon/ff/v3"
	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/learnergraph/importer/progress"
	"github.com/learnergraph/importer/staging"
)

func newStageCommand(rc *rootConfig) *ffcli.Command {
	fs := flag.NewFlagSet("importer stage", flag.ContinueOnError)
	input := fs.String("input", "", "learner CSV file to stage "+requiredMark)
	state := fs.String("state", "import.db", "state file to create")
	overwrite := fs.Bool("overwrite", false, "replace an existing state file, once the new one is complete")
	batchRows := fs.Int("batch-rows", staging.DefaultBatchRows, "rows per checkpoint")
	maxRecord := fs.Int64("max-record-bytes", staging.DefaultMaxRecordBytes, "longest CSV record; a longer one is rejected and reading resumes at its next line")
	mapping := fs.String("mapping", "", "mapping file: how the CSV becomes the graph (default: the built-in learners.yaml)")
	return &ffcli.Command{
		Name:       "stage",
		ShortUsage: "importer stage --input FILE [--state FILE] [--mapping FILE] [--overwrite]",
		ShortHelp:  "stream the CSV into a new state file (first pass)",
		LongHelp: `Reads the learner CSV once and stages its deduplicated entities and
relationships into a bbolt state file, checkpointing every --batch-rows rows.
Bad rows are rejected with a reason (see "importer rejects"). After a crash
or Ctrl-C, "importer resume --state FILE" continues from the last checkpoint.

--mapping names a mapping file (see "importer mapping"); without it the
built-in learners.yaml, the learner contract, is used. The mapping is stored
in the state file: load, verify, export, status and resume read it there.

With --overwrite, an existing state file stays as it is (and usable) until
the new one is complete: the new one is built as FILE.pending and renamed
over it at the end. "importer resume --state FILE" continues an interrupted
replacement.

Example:
  importer stage --input learners.csv --state import.db`,
		FlagSet: fs,
		Options: []ff.Option{ff.WithEnvVarPrefix("IMPORTER")},
		Exec: func(ctx context.Context, args []string) error {
			if *maxRecord <= 0 {
				return usageError{fmt.Errorf("--max-record-bytes must be positive, not %d", *maxRecord)}
			}
			opt := staging.Options{BatchRows: *batchRows, Overwrite: *overwrite, MaxRecordBytes: *maxRecord}
			if *mapping != "" {
				m, err := readMapping(rc, *mapping)
				if err != nil {
					return err
				}
				opt.Mapping = m
			}
			return runStaging(rc, "stage", *state, opt, func(opt staging.Options) error {
				_, err := staging.Stage(ctx, *input, *state, opt)
				return err
			})
		},
	}
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
	return fmt.Sprintf("stage: %d rows (%d rejected, %d duplicates)  %.0f rows/s  %.1f MB/s  %.0f%%  ETA %s",
		rows.Read, rows.Rejected, rows.Duplicates,
		progress.Rate(float64(rows.Read), elapsed), progress.Rate(done/1e6, elapsed),
		100*float64(pr.Offset)/float64(max(pr.Size, 1)), progress.ETA(float64(pr.Size-pr.Offset), progress.Rate(done, elapsed)))
}
