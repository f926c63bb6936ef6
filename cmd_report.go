package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"time"

	"github.com/peterbourgon/ff/v3"
	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/learnergraph/importer/graphwrite"
	"github.com/learnergraph/importer/report"
)

func newReportCommand(rc *rootConfig) *ffcli.Command {
	fs := flag.NewFlagSet("importer report", flag.ContinueOnError)
	state := fs.String("state", "import.db", "state file of the import to report on")
	out := fs.String("out", "", "directory for report.html and report.json (default STATE.report)")
	timeout := fs.Duration("query-timeout", report.DefaultTimeout, "time limit of each query (Neo4j stops it)")
	parallel := fs.Int("parallel", report.DefaultParallel, "queries run at once")
	var conn connFlags
	conn.register(fs, rc.getenv)
	return &ffcli.Command{
		Name:       "report",
		ShortUsage: "importer report [--state FILE] [--out DIR] [--query-timeout D] [connection flags]",
		ShortHelp:  "write report.html and report.json: the import, the sections the mapping declares, the graph's shape",
		LongHelp: `Reads the state file (rows, rejects, staged and loaded counts, the throughput
of staging and loading) and queries the loaded Neo4j with read-only Cypher,
then writes one self-contained page, report.html (inline SVG charts, no
script, nothing fetched), and report.json with every number on the page.
The sections are the import, the named queries of the state file's mapping
(its report: part; the built-in mapping's: learners, programs, skills,
employment) and the graph's shape (degrees and densest nodes of every label).
Each query runs with --query-timeout and prints a progress line on stderr; a
section whose labels the graph does not hold is left out with a note. When
Neo4j's counts differ from the staged ones the page says so at the top.
Prints the page's path on stdout. A failed query is shown on the page and
makes the exit status 1.

Examples:
  importer report --state import.db
  importer report --state import.db --out /tmp/report --query-timeout 30s`,
		FlagSet: fs,
		Options: []ff.Option{ff.WithEnvVarPrefix("IMPORTER")},
		Exec: func(ctx context.Context, args []string) error {
			if *timeout <= 0 || *parallel < 1 {
				return usageError{errors.New("--query-timeout must be positive and --parallel at least 1")}
			}
			cfg, err := conn.config(rc.getenv)
			if err != nil {
				return err
			}
			st, err := openStateReadOnly(*state)
			if err != nil {
				return err
			}
			defer st.Close()
			g, err := graphwrite.Connect(ctx, cfg)
			if err != nil {
				return fmt.Errorf("report: %w", err)
			}
			defer g.Close(context.Background())
			dir := *out
			if dir == "" {
				dir = *state + ".report"
			}
			start := time.Now()
			rep, err := report.Build(ctx, g, st, report.Options{StatePath: filepath.Base(*state), Timeout: *timeout, Parallel: *parallel, Progress: rc.stderr})
			if rep == nil {
				return fmt.Errorf("report: %w", err)
			}
			path, werr := report.Write(dir, rep)
			if werr != nil {
				return fmt.Errorf("report: %w", werr)
			}
			fmt.Fprintf(rc.stderr, "importer: report of %s written in %s: %s (numbers: %s)\n",
				*state, time.Since(start).Round(100*time.Millisecond), path, filepath.Join(dir, report.JSONFile))
			fmt.Fprintln(rc.stdout, path)
			if err != nil {
				return fmt.Errorf("report: %w", err)
			}
			return nil
		},
	}
}
