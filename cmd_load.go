package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/peterbourgon/ff/v3"
	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/graphwrite"
)

func newLoadCommand(rc *rootConfig) *ffcli.Command {
	fs := flag.NewFlagSet("importer load", flag.ContinueOnError)
	var f loadFlags
	f.register(fs, rc.getenv)
	f.registerOffline(fs, rc.getenv)
	return &ffcli.Command{
		Name:       "load",
		ShortUsage: "importer load [--state FILE] [--mode auto|create|merge] [--workers N] [--batch-size N] [connection flags]",
		ShortHelp:  "drain a staged state file into Neo4j (second pass)",
		LongHelp: `Creates the uniqueness constraints of the data contract, then writes every
staged node, then every staged relationship, into Neo4j in UNWIND batches of
--batch-size entities, one transaction each, with --workers parallel writers.

Every batch is written exactly once, whatever happens: each transaction also
moves a watermark node in Neo4j, and a resumed load continues after the
watermarks. After a crash, Ctrl-C or a Neo4j restart the load gives up
cleanly (transient errors are retried for --retry-for first); then
"importer resume --state FILE" continues it, with the same mode. A batch
that gets no answer within --tx-timeout (a hung connection, a Neo4j that
stopped answering) is abandoned and retried.

Modes: create (CREATE everything; for an empty target, fastest), merge
(MERGE on keys and add properties; for a target with data, and re-running it
changes nothing), auto (create if the target holds none of the contract's
labels, merge otherwise). The mode is fixed when a load starts.

--offline bulk-imports into a stopped local Neo4j instead (see README):
each finished step is recorded, so after a crash or Ctrl-C
"importer resume --state FILE" (or the same command) continues it.

Examples:
  NEO4J_PASSWORD=secret importer load --state import.db
  importer load --state import.db --mode merge --workers 4 --batch-size 10000
  importer load --state import.db --restart     # forget a load in progress
  importer load --state import.db --tx-timeout 1m   # retry a batch Neo4j has not answered for a minute
  importer load --offline --state import.db       # bulk import into the local Neo4j (empty target)
  importer status --state import.db             # from another terminal`,
		FlagSet: fs,
		Options: []ff.Option{ff.WithEnvVarPrefix("IMPORTER")},
		Exec: func(ctx context.Context, args []string) error {
			if f.offline.on {
				return f.runOffline(ctx, rc, false)
			}
			return f.run(ctx, rc, false)
		},
	}
}

// loadFlags are the flags of `importer load`, shared with `importer
// resume` (which takes the same connection and tuning flags).
type loadFlags struct {
	state     string
	mode      string
	workers   int
	batchSize int
	retryFor  time.Duration
	txTimeout time.Duration
	restart   bool
	conn      connFlags
	offline   offlineFlags
}

func (f *loadFlags) register(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&f.state, "state", "import.db", "state file to load from")
	fs.StringVar(&f.mode, "mode", "", "write mode: auto, create or merge (default auto; a resume keeps the mode the load started with)")
	fs.IntVar(&f.workers, "workers", graphwrite.DefaultWorkers, "parallel writers (one Neo4j session each)")
	fs.IntVar(&f.batchSize, "batch-size", 0, fmt.Sprintf("staged entities per Neo4j transaction (0: %d in create mode, %d in merge mode)",
		graphwrite.DefaultBatchSize(graphwrite.ModeCreate), graphwrite.DefaultBatchSize(graphwrite.ModeMerge)))
	fs.DurationVar(&f.retryFor, "retry-for", graphwrite.DefaultRetryFor, "how long to retry a batch through transient errors before giving up")
	fs.DurationVar(&f.txTimeout, "tx-timeout", graphwrite.DefaultTxTimeout, "how long one batch transaction may wait for Neo4j before it is abandoned and retried (Neo4j is given the same limit)")
	fs.BoolVar(&f.restart, "restart", false, "forget a load in progress and start a new one (load only)")
	f.conn.register(fs, getenv)
}

// registerOffline registers the flags of load --offline (load only).
func (f *loadFlags) registerOffline(fs *flag.FlagSet, getenv func(string) string) {
	f.offline.register(fs, getenv)
}

// run loads the state file: a new load, or with resume set the load in
// progress (a new one if none was started).
func (f *loadFlags) run(ctx context.Context, rc *rootConfig, resume bool) error {
	cmd := "load"
	if resume {
		cmd = "resume"
	}
	mode, err := f.validate(resume)
	if err != nil {
		return usageError{err}
	}
	cfg, err := f.conn.config(rc.getenv)
	if err != nil {
		return err
	}
	st, err := openState(f.state)
	if err != nil {
		return err
	}
	defer st.Close()
	plan, planned, err := f.check(st, resume, mode)
	if err != nil {
		return err
	}
	if planned && plan.Done {
		fmt.Fprintf(rc.stderr, "importer: nothing to do: %s is loaded (run %s); check it with: importer verify --state %s\n", f.state, plan.RunID, f.state)
		return nil
	}
	g, err := graphwrite.Connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer g.Close(context.Background())
	if !planned || f.restart {
		if plan, err = graphwrite.Begin(ctx, g, st, mode, f.workers); err != nil {
			return err
		}
		fmt.Fprintf(rc.stderr, "importer: load run %s: mode %s, %d partitions, into %s database %q\n", plan.RunID, plan.Mode, plan.Partitions, g.Address(), g.Database())
	} else {
		fmt.Fprintf(rc.stderr, "importer: resuming load run %s: mode %s, into %s database %q\n", plan.RunID, plan.Mode, g.Address(), g.Database())
	}
	stats, err := graphwrite.Load(ctx, g, st, graphwrite.LoadOptions{
		StatePath: f.state, Command: cmd, Workers: f.workers, BatchSize: f.batchSize, RetryFor: f.retryFor,
		TxTimeout: f.txTimeout, Progress: rc.stderr, Live: isTerminal(rc.stderr),
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(rc.stderr, "importer: %s; next: importer verify --state %s\n", summary(stats), f.state)
	return nil
}

// validate checks the flags on their own.
func (f *loadFlags) validate(resume bool) (graphwrite.Mode, error) {
	mode, err := graphwrite.ParseMode(f.mode)
	switch {
	case err != nil:
		return "", err
	case f.workers < 1:
		return "", fmt.Errorf("--workers must be at least 1, not %d", f.workers)
	case f.batchSize < 0:
		return "", fmt.Errorf("--batch-size must be at least 1 (or 0 for the mode's default), not %d", f.batchSize)
	case f.txTimeout < time.Second:
		return "", fmt.Errorf("--tx-timeout must be at least 1s, not %s", f.txTimeout)
	case resume && f.restart:
		return "", errors.New("--restart starts a new load: use importer load --restart")
	}
	return mode, nil
}

// check reads the state file's plan and refuses what the command cannot
// do with it.
func (f *loadFlags) check(st *checkpoint.State, resume bool, mode graphwrite.Mode) (plan checkpoint.LoadPlan, planned bool, err error) {
	stage, plan, planned, err := st.LoadPlan()
	switch {
	case err != nil:
		return plan, planned, fmt.Errorf("read state file %s: %w", f.state, err)
	case !stage.Done:
		return plan, planned, notStaged(f.state, graphwrite.ErrNotStaged)
	case !resume && planned && !plan.Done && !f.restart:
		return plan, planned, usageError{fmt.Errorf("%s has a load in progress (run %s, mode %s): continue it with `importer resume --state %s`, or start over with `importer load --restart`",
			f.state, plan.RunID, plan.Mode, f.state)}
	case resume && planned && f.mode != "" && mode != graphwrite.Mode(plan.Mode):
		return plan, planned, usageError{fmt.Errorf("this load runs in %s mode, fixed when it started: drop --mode %s, or start over with `importer load --restart --mode %s`",
			plan.Mode, f.mode, f.mode)}
	}
	if !resume && planned && plan.Done {
		planned = false // a finished load: this is a new one
	}
	return plan, planned, nil
}

// summary is the one-line report of a finished load.
func summary(s graphwrite.Stats) string {
	secs := max(s.Elapsed.Seconds(), 1e-9)
	line := fmt.Sprintf("loaded %d nodes and %d relationships in %s (%.0f nodes/s, %.0f relationships/s, mode %s, %d batches",
		s.Nodes, s.Relationships, s.Elapsed.Round(time.Millisecond), float64(s.Nodes)/secs, float64(s.Relationships)/secs, s.Mode, s.Batches)
	if s.Skipped > 0 {
		line += fmt.Sprintf(", %d found already committed", s.Skipped)
	}
	var retries []string
	for code, n := range s.Retries {
		retries = append(retries, fmt.Sprintf("%s×%d", code, n))
	}
	sort.Strings(retries)
	if len(retries) > 0 {
		line += ", retried: " + strings.Join(retries, " ")
	}
	return line + ")"
}
