package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/export"
	"github.com/learnergraph/importer/graphwrite"
	"github.com/learnergraph/importer/offline"
	"github.com/learnergraph/importer/staging"
)

// offlineFlags are the flags of `load --offline` (and the home flags of
// `clear-database --offline`).
type offlineFlags struct {
	on          bool
	home        string
	overwrite   bool
	heap        string
	offHeap     string
	stopTimeout time.Duration
	export      exportFlags
}

func (f *offlineFlags) register(fs *flag.FlagSet, getenv func(string) string) {
	fs.BoolVar(&f.on, "offline", false, "bulk-import with neo4j-admin into a stopped local Neo4j (empty target; see README)")
	f.registerHome(fs, getenv)
	fs.BoolVar(&f.overwrite, "overwrite-destination", false, "with --offline: replace a target database that holds data (destroys it, its indexes and constraints) "+cmdlineOnlyMark)
	fs.StringVar(&f.heap, "import-heap", "2g", "with --offline: JVM heap of the import tool")
	fs.StringVar(&f.offHeap, "import-memory", "2g", "with --offline: the import tool's --max-off-heap-memory")
	f.export.registerOutput(fs)
}

// registerHome registers where the Neo4j is and how long it may take to
// stop.
func (f *offlineFlags) registerHome(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&f.home, "neo4j-home", orDefault(getenv("NEO4J_HOME_DIR"), ".neo4j"),
		"with --offline: the Neo4j home: an installation (bin/neo4j-admin) or the repo's local Neo4j (env NEO4J_HOME_DIR, as neo4j/neo4j.sh)")
	fs.DurationVar(&f.stopTimeout, "stop-timeout", 2*time.Minute, "with --offline: how long Neo4j may take to stop")
}

// childEnv is the environment of the processes the offline path starts
// (neo4j.sh, the import tool): this process's, with the NEO4J_* settings
// the command sees.
func childEnv(getenv func(string) string) []string {
	env := os.Environ()
	for _, name := range []string{"NEO4J_PORT", "NEO4J_PASSWORD", "NEO4J_URI", "NEO4J_HEAP", "NEO4J_PAGECACHE_MB", "NEO4J_TX_MEMORY_MB", "NEO4J_START_TIMEOUT"} {
		if v := getenv(name); v != "" {
			env = append(env, name+"="+v)
		}
	}
	return env
}

// findHome finds the Neo4j home; not finding it is the user's to fix.
func (f *offlineFlags) findHome(getenv func(string) string) (offline.Home, error) {
	h, err := offline.Find(f.home, childEnv(getenv))
	if err != nil {
		return h, usageError{fmt.Errorf("%w (set --neo4j-home)", err)}
	}
	return h, nil
}

// runOffline is `importer load --offline`, and `importer resume` of an
// offline load in progress (resume set: its settings come from the state
// file).
func (f *loadFlags) runOffline(ctx context.Context, rc *rootConfig, resume bool) error {
	cmd := "load"
	if resume {
		cmd = "resume"
	}
	o := &f.offline
	o.export.state = f.state
	if f.mode != "" || f.restart {
		return usageError{errors.New("--mode and --restart are for the online load")}
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
	run, inProgress, err := st.OfflineRun()
	if err != nil {
		return err
	}
	if resume {
		o.home, o.heap, o.offHeap = run.Home, run.Heap, run.OffHeap
		o.stopTimeout = time.Duration(run.StopTimeout * float64(time.Second))
		o.export.out, o.export.gzip, o.export.delim = run.Out, run.Gzip, run.ArrayDelimiter
		cfg.Database = run.Database
	}
	opt, err := o.export.options()
	if err != nil {
		return usageError{err}
	}
	home, err := o.findHome(rc.getenv)
	if err != nil {
		return err
	}
	l := &offlineLoad{rc: rc, cmd: cmd, home: home, cfg: cfg, st: st, state: f.state, flags: o, start: time.Now()}
	if !inProgress || run.Home != home.Dir || run.Database != cfg.Database {
		run, err = l.begin(ctx)
	} else {
		run, err = l.continueRun(ctx, run)
	}
	if err != nil {
		return err
	}
	return l.run(ctx, opt, run)
}

// checkTarget refuses a target database that holds data unless overwrite
// is set, and says what will be destroyed. It reports whether Neo4j runs.
func checkTarget(ctx context.Context, home offline.Home, cfg graphwrite.Config, overwrite bool) (bool, error) {
	pid, err := home.Running(ctx)
	if err != nil {
		return false, err
	}
	if pid == 0 {
		if home.HasStore(cfg.Database) && !overwrite {
			return false, usageError{fmt.Errorf("Neo4j at %s is not running, so whether database %q is empty cannot be checked: start it, or pass --overwrite-destination to replace the database whatever it holds", home.Dir, cfg.Database)}
		}
		return false, nil
	}
	g, err := graphwrite.Connect(ctx, cfg)
	if err != nil {
		return true, err
	}
	defer g.Close(context.Background())
	nodes, rels, err := g.Size(ctx)
	if err != nil {
		return true, err
	}
	if nodes > 0 && !overwrite {
		return true, usageError{fmt.Errorf("%w: database %q at %s holds %d nodes and %d relationships; nothing was changed (--overwrite-destination destroys them, with the database's indexes and constraints; the online load adds to a live database)",
			errTargetNotEmpty, cfg.Database, g.Address(), nodes, rels)}
	}
	return true, nil
}

// offlineLoad is one run of load --offline.
type offlineLoad struct {
	rc     *rootConfig
	cmd    string
	home   offline.Home
	cfg    graphwrite.Config
	st     *checkpoint.State
	state  string
	flags  *offlineFlags
	start  time.Time
	phases []string
}

// timed runs fn as a named phase and notes its duration.
func (l *offlineLoad) timed(name string, fn func() error) error {
	t := time.Now()
	err := fn()
	l.phases = append(l.phases, fmt.Sprintf("%s %s", name, time.Since(t).Round(100*time.Millisecond)))
	return err
}

// begin checks the target of a new offline load and records the load.
func (l *offlineLoad) begin(ctx context.Context) (checkpoint.OfflineRun, error) {
	running, err := checkTarget(ctx, l.home, l.cfg, l.flags.overwrite)
	if err != nil {
		return checkpoint.OfflineRun{}, err
	}
	e := l.flags.export
	r := checkpoint.OfflineRun{Home: l.home.Dir, Database: l.cfg.Database, Heap: l.flags.heap, OffHeap: l.flags.offHeap,
		StopTimeout: l.flags.stopTimeout.Seconds(), WasRunning: running, Started: l.start, Overwrite: l.flags.overwrite, Out: e.dir(), Gzip: e.gzip, ArrayDelimiter: e.delim}
	return r, l.record(&r, checkpoint.OfflineChecked)
}

// continueRun takes up an offline load that stopped after r.Phase. What
// the target held was checked when it began; if Neo4j has been started
// again since and the target is not yet replaced, the target is checked
// again (someone may have written to it) and Neo4j stopped again.
func (l *offlineLoad) continueRun(ctx context.Context, r checkpoint.OfflineRun) (checkpoint.OfflineRun, error) {
	fmt.Fprintf(l.rc.stderr, "importer: continuing the offline load into database %q at %s after its last finished step (%s)\n", r.Database, r.Home, r.Phase)
	if !r.Phase.Before(checkpoint.OfflineSwapped) {
		return r, nil
	}
	pid, err := l.home.Running(ctx)
	if err != nil || pid == 0 {
		return r, err
	}
	if _, err := checkTarget(ctx, l.home, l.cfg, l.flags.overwrite || r.Overwrite); err != nil {
		return r, err
	}
	if !r.Phase.Before(checkpoint.OfflineStopped) {
		r.Phase = checkpoint.OfflineExported
	}
	return r, nil
}

// record notes that the load has finished phase p. Once the swap begins,
// an earlier load recorded in the state file no longer describes the
// target, and is forgotten. For the tests, a process whose
// IMPORTER_TEST_OFFLINE_KILL names p then kills itself with SIGKILL, as a
// crash right after that step would.
func (l *offlineLoad) record(r *checkpoint.OfflineRun, p checkpoint.OfflinePhase) error {
	r.Phase = p
	if err := l.st.RecordOfflineRun(*r); err != nil {
		return fmt.Errorf("record the offline load: %w", err)
	}
	if l.rc.getenv("IMPORTER_TEST_OFFLINE_KILL") == string(p) {
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {} // the signal is on its way
	}
	return nil
}

// run carries the load on from the step after r.Phase: export, stop,
// import, swap, start, constraints.
func (l *offlineLoad) run(ctx context.Context, opt export.Options, r checkpoint.OfflineRun) error {
	if r.Phase.Before(checkpoint.OfflineImported) || r.Phase == checkpoint.OfflineImported && !l.home.Imported() {
		if err := l.importPhases(ctx, opt, &r); err != nil {
			return err
		}
	}
	if r.Phase.Before(checkpoint.OfflineSwapped) {
		if err := l.record(&r, checkpoint.OfflineSwapping); err != nil {
			return err
		}
		if err := l.timed("swap", func() error { return l.home.Swap(l.cfg.Database) }); err != nil {
			return fmt.Errorf("%w (run importer resume --state %s to finish it)", err, l.state)
		}
		if err := l.record(&r, checkpoint.OfflineSwapped); err != nil {
			return err
		}
	}
	if r.Phase.Before(checkpoint.OfflineStarted) {
		fmt.Fprintln(l.rc.stderr, "importer: the imported database is in place; starting Neo4j")
		if err := l.timed("start", func() error { return l.ensureStarted(ctx) }); err != nil {
			return fmt.Errorf("%w; the imported database is in place: start Neo4j (neo4j/neo4j.sh up), then run importer resume --state %s for the constraints", err, l.state)
		}
		if err := l.record(&r, checkpoint.OfflineStarted); err != nil {
			return err
		}
	}
	if err := l.timed("constraints", func() error { return l.constraints(ctx) }); err != nil {
		return err
	}
	runID := "offline-" + time.Now().UTC().Format("20060102T150405")
	entities, err := l.st.FinishOfflineLoad(runID, r.Started)
	if err != nil {
		return fmt.Errorf("record the load: %w", err)
	}
	fmt.Fprintf(l.rc.stderr, "importer: loaded %d entities offline in %s (%s); next: importer verify --state %s\n",
		entities, time.Since(l.start).Round(100*time.Millisecond), strings.Join(l.phases, ", "), l.state)
	return nil
}

// importPhases exports (or finishes the export), stops Neo4j and runs the
// bulk import into the scratch database.
func (l *offlineLoad) importPhases(ctx context.Context, opt export.Options, r *checkpoint.OfflineRun) error {
	var res export.Result
	err := l.timed("export", func() (err error) {
		res, err = runExport(ctx, l.rc, l.st, l.cmd, opt)
		return err
	})
	if err != nil {
		return err
	}
	if r.Phase.Before(checkpoint.OfflineExported) {
		if err := l.record(r, checkpoint.OfflineExported); err != nil {
			return err
		}
	}
	if pid, err := l.home.Running(ctx); err != nil {
		return err
	} else if pid != 0 {
		fmt.Fprintf(l.rc.stderr, "importer: stopping Neo4j at %s\n", l.home.Dir)
		if err := l.timed("stop", func() error { return l.home.Stop(ctx, l.flags.stopTimeout) }); err != nil {
			return err
		}
	}
	if err := l.record(r, checkpoint.OfflineStopped); err != nil {
		return err
	}
	pr := l.rc.newReporter(nil) // until the tool reports a phase
	pr.Start()
	err = l.timed("import", func() error {
		return l.home.Import(ctx, offline.ImportOptions{
			ExportDir: res.Dir, ArgsFile: res.ArgsFile, Database: l.cfg.Database, Heap: l.flags.heap, OffHeap: l.flags.offHeap,
			Phase: func(phase string, pct int) {
				pr.Update(func(time.Duration) string { return fmt.Sprintf("importer: bulk import %s %d%%", phase, pct) })
			},
		})
	})
	pr.Stop()
	if err != nil {
		if r.WasRunning {
			if serr := l.home.Start(context.Background()); serr != nil {
				return fmt.Errorf("%w; and Neo4j did not start again: %v", err, serr)
			}
		}
		return fmt.Errorf("%w; database %q was not changed", err, l.cfg.Database)
	}
	fmt.Fprintf(l.rc.stderr, "importer: bulk import done (the tool's report and output: %s/%s, %s)\n", res.Dir, offline.ReportFile, offline.LogFile)
	return l.record(r, checkpoint.OfflineImported)
}

// ensureStarted starts Neo4j unless it runs.
func (l *offlineLoad) ensureStarted(ctx context.Context) error {
	if pid, err := l.home.Running(ctx); err != nil || pid != 0 {
		return err
	}
	return l.home.Start(ctx)
}

// constraints creates the online load's uniqueness constraints and waits
// for them to be online.
func (l *offlineLoad) constraints(ctx context.Context) error {
	schema, err := staging.ReadSchemaFrom(l.st)
	if err != nil {
		return err
	}
	g, err := graphwrite.Connect(ctx, l.cfg)
	if err != nil {
		return err
	}
	defer g.Close(context.Background())
	return g.EnsureConstraints(ctx, schema)
}

// clearOffline is `importer clear-database --offline`, after the
// confirmation: stop Neo4j, delete the database's store, start Neo4j.
func clearOffline(ctx context.Context, rc *rootConfig, f *offlineFlags, cfg graphwrite.Config) error {
	home, err := f.findHome(rc.getenv)
	if err != nil {
		return err
	}
	if cfg.Database == "system" {
		return usageError{errors.New("--offline never deletes the system database")}
	}
	start := time.Now()
	fmt.Fprintf(rc.stderr, "importer: stopping Neo4j at %s\n", home.Dir)
	if err := home.Stop(ctx, f.stopTimeout); err != nil {
		return err
	}
	if err := home.RemoveStore(cfg.Database); err != nil {
		return err
	}
	fmt.Fprintf(rc.stderr, "importer: deleted the store of database %q; starting Neo4j\n", cfg.Database)
	if err := home.Start(ctx); err != nil {
		return err
	}
	fmt.Fprintf(rc.stderr, "importer: database %q at %s is empty (offline clear in %s)\n", cfg.Database, home.Dir, time.Since(start).Round(100*time.Millisecond))
	return nil
}
