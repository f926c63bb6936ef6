package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/peterbourgon/ff/v3"
	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/export"
	"github.com/learnergraph/importer/progress"
)

func newExportCommand(rc *rootConfig) *ffcli.Command {
	fs := flag.NewFlagSet("importer export", flag.ContinueOnError)
	var f exportFlags
	f.register(fs)
	return &ffcli.Command{
		Name:       "export",
		ShortUsage: "importer export [--state FILE] [--out DIR] [--gzip] [--array-delimiter C]",
		ShortHelp:  "write the staged graph as neo4j-admin bulk-import CSV files",
		LongHelp: `Writes the staged graph as input for Neo4j's bulk importer
(neo4j-admin database import full): per label and relationship type, typed
header and data files, and DIR/import.args for the tool's @file syntax.
Prints the command to run where Neo4j is installed (stopped, target empty).

The files hold exactly the graph "importer load" writes. Each file is
written under a temporary name and renamed when complete, and the state
file records it; after a crash or Ctrl-C the same command (or importer
resume) finishes without rewriting completed files.

Examples:
  importer export --state import.db --out import.export
  importer export --state import.db --out /data/export --gzip
  importer load --offline --state import.db     # export if needed, then bulk import locally`,
		FlagSet: fs,
		Options: []ff.Option{ff.WithEnvVarPrefix("IMPORTER")},
		Exec: func(ctx context.Context, args []string) error {
			_, err := f.run(ctx, rc, "export")
			return err
		},
	}
}

// exportFlags are the flags of `importer export`, shared with `load
// --offline`.
type exportFlags struct {
	state   string
	out     string
	gzip    bool
	delim   string
	workers int
}

func (f *exportFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.state, "state", "import.db", "state file to export")
	f.registerOutput(fs)
}

// registerOutput registers the flags that shape the files.
func (f *exportFlags) registerOutput(fs *flag.FlagSet) {
	fs.StringVar(&f.out, "out", "", "output directory (default: the state file's name + .export)")
	fs.BoolVar(&f.gzip, "gzip", false, "gzip the CSV files")
	fs.StringVar(&f.delim, "array-delimiter", "U+001F", "character between list elements: one character or U+XXXX")
	fs.IntVar(&f.workers, "export-workers", 0, "parallel export writers (default: the number of CPUs)")
}

func (f *exportFlags) dir() string {
	if f.out == "" {
		return f.state + ".export"
	}
	return f.out
}

// parseDelimiter reads a delimiter given as one character or U+XXXX.
func parseDelimiter(s string) (rune, error) {
	if rest, ok := strings.CutPrefix(strings.ToUpper(s), "U+"); ok {
		n, err := strconv.ParseUint(rest, 16, 32)
		if err == nil && utf8.ValidRune(rune(n)) {
			return checkDelimiter(rune(n))
		}
	} else if utf8.RuneCountInString(s) == 1 {
		r, _ := utf8.DecodeRuneInString(s)
		return checkDelimiter(r)
	}
	return 0, fmt.Errorf("--array-delimiter %q: want one character or U+XXXX", s)
}

func checkDelimiter(r rune) (rune, error) {
	if r == ',' || r == '"' || r == '\n' || r == '\r' || r == utf8.RuneError {
		return 0, fmt.Errorf("--array-delimiter %U: the field delimiter, the quote and line breaks cannot separate list elements", r)
	}
	return r, nil
}

// run exports the state file; command names the command in messages and
// snapshots.
func (f *exportFlags) run(ctx context.Context, rc *rootConfig, command string) (export.Result, error) {
	opt, err := f.options()
	if err != nil {
		return export.Result{}, usageError{err}
	}
	st, err := openState(f.state)
	if err != nil {
		return export.Result{}, err
	}
	defer st.Close()
	return runExport(ctx, rc, st, command, opt)
}

// options checks the flags and returns the export's options.
func (f *exportFlags) options() (export.Options, error) {
	delim, err := parseDelimiter(f.delim)
	if err != nil {
		return export.Options{}, err
	}
	return export.Options{Dir: f.dir(), Gzip: f.gzip, ArrayDelimiter: delim, Workers: f.workers, StatePath: f.state}, nil
}

// runExport runs an export with progress on stderr and prints its summary
// and the neo4j-admin command.
func runExport(ctx context.Context, rc *rootConfig, st *checkpoint.State, command string, opt export.Options) (export.Result, error) {
	r := rc.newReporter(nil) // until export.Run reports
	opt.Command = command
	opt.Progress = func(written, total int64, unitsDone, units int) {
		r.Update(func(elapsed time.Duration) string {
			return fmt.Sprintf("importer: export %d of %d entities (%.0f%%), %d of %d parts, %.0f entities/s",
				written, total, 100*float64(written)/float64(max(total, 1)), unitsDone, units, progress.Rate(float64(written), elapsed))
		})
	}
	r.Start()
	res, err := export.Run(ctx, st, opt)
	r.Stop()
	switch {
	case errors.Is(err, export.ErrNotStaged):
		return res, notStaged(opt.StatePath, err)
	case errors.Is(err, syscall.ENOSPC):
		return res, fmt.Errorf("%w (free some space or choose another --out, then run the same command again: finished files are kept)", err)
	case err != nil:
		return res, err
	}
	files := 0
	for _, u := range res.Units {
		files += 2 * len(u.Files)
	}
	fmt.Fprintf(rc.stderr, "importer: exported %d entities into %d files in %s (%d written by this run, %s)\n",
		res.Entities, files, res.Dir, res.Written, res.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(rc.stderr, "importer: to bulk-import on a server with Neo4j installed (stopped, database empty or absent):\n  %s\n",
		export.Command(res.Dir, "neo4j"))
	return res, nil
}

// resumeExport continues the export in progress with its own plan.
func resumeExport(ctx context.Context, rc *rootConfig, state string) error {
	st, err := openState(state)
	if err != nil {
		return err
	}
	defer st.Close()
	plan, _, err := st.ExportPlan()
	if err != nil {
		return err
	}
	delim, err := parseDelimiter(plan.ArrayDelimiter)
	if err != nil {
		return err
	}
	fmt.Fprintf(rc.stderr, "importer: resuming the export into %s\n", plan.Dir)
	_, err = runExport(ctx, rc, st, "resume", export.Options{Dir: plan.Dir, Gzip: plan.Gzip, ArrayDelimiter: delim, StatePath: state})
	return err
}
