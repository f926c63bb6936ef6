package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/peterbourgon/ff/v3"
	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/learnergraph/importer/staging"
)

func newStageCommand(rc *rootConfig) *ffcli.Command {
	fs := flag.NewFlagSet("importer stage", flag.ContinueOnError)
	input := fs.String("input", "", "learner CSV file to stage "+requiredMark)
	state := fs.String("state", "import.db", "state file to create")
	overwrite := fs.Bool("overwrite", false, "replace an existing state file, once the new one is complete")
	batchRows := fs.Int("batch-rows", staging.DefaultBatchRows, "rows per checkpoint")
	maxRecord := fs.Int64("max-record-bytes", staging.DefaultMaxRecordBytes, "longest CSV record; a longer one is rejected and reading resumes at its next line")
	return &ffcli.Command{
		Name:       "stage",
		ShortUsage: "importer stage --input FILE [--state FILE] [--overwrite]",
		ShortHelp:  "stream the CSV into a new state file (first pass)",
		LongHelp: `Reads the learner CSV once and stages its deduplicated entities and
relationships into a bbolt state file, checkpointing every --batch-rows rows.
Bad rows are rejected with a reason (see "importer rejects"). After a crash
or Ctrl-C, "importer resume --state FILE" continues from the last checkpoint.

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
			opt := stageOptions(rc, "stage", *batchRows)
			opt.Overwrite = *overwrite
			opt.MaxRecordBytes = *maxRecord
			_, err := staging.Stage(ctx, *input, *state, opt)
			return stageResult(rc, *state, err)
		},
	}
}

// stageOptions wires staging's progress and warnings to stderr.
func stageOptions(rc *rootConfig, command string, batchRows int) staging.Options {
	p := newProgressPrinter(rc.stderr)
	start := time.Now()
	return staging.Options{
		BatchRows: batchRows,
		Command:   command,
		Logf:      func(format string, args ...any) { fmt.Fprintf(rc.stderr, "importer: "+format+"\n", args...) },
		Progress: func(pr staging.Progress) {
			first := pr.Start // a resumed run measures its own bytes
			elapsed := time.Since(start)
			rows := pr.Counts.Rows
			line := fmt.Sprintf("stage: %d rows (%d rejected, %d duplicates)  %.0f rows/s  %.1f MB/s  %.0f%%  ETA %s",
				rows.Read, rows.Rejected, rows.Duplicates,
				rate(float64(rows.Read), elapsed), rate(float64(pr.Offset-first)/1e6, elapsed),
				100*float64(pr.Offset)/float64(max(pr.Size, 1)), eta(float64(pr.Offset-first), float64(pr.Size-first), elapsed))
			p.print(line, pr.Done)
		},
	}
}

// stageResult reports the end of a staging run.
func stageResult(rc *rootConfig, state string, err error) error {
	if err != nil {
		return err
	}
	fmt.Fprintf(rc.stderr, "importer: staged into %s; next: importer load --state %s\n", state, state)
	return nil
}
