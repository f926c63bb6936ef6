package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/export"
	"github.com/learnergraph/importer/graphwrite"
	"github.com/learnergraph/importer/offline"
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

// runOffline is `importer load --offline`.
func (f *loadFlags) runOffline(ctx context.Context, rc *rootConfig) error {
	o := &f.offline
	o.export.state = f.state
	if f.mode != "" || f.restart {
		return usageError{errors.New("--mode and --restart are for the online load")}
	}
	opt, err := o.export.options()
	if err != nil {
		return usageError{err}
	}
	cfg, err := f.conn.config(rc.getenv)
	if err != nil {
		return err
	}
	db, err := openState(f.state)
	if err != nil {
		return err
	}
	defer db.Close()
	home, err := o.findHome(rc.getenv)
	if err != nil {
		return err
	}
	running, err := checkTarget(ctx, home, cfg, o.overwrite)
	if err != nil {
		return err
	}
	l := &offlineLoad{rc: rc, home: home, cfg: cfg, db: db, state: f.state, flags: o, start: time.Now()}
	return l.run(ctx, opt, running)
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
	home   offline.Home
	cfg    graphwrite.Config
	db     *bolt.DB
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

func (l *offlineLoad) run(ctx context.Context, opt export.Options, running bool) error {
	var res export.Result
	err := l.timed("export", func() (err error) {
		res, err = runExport(ctx, l.rc, l.db, "load", opt)
		return err
	})
	if err != nil {
		return err
	}
	if running {
		fmt.Fprintf(l.rc.stderr, "importer: stopping Neo4j at %s\n", l.home.Dir)
		if err := l.timed("stop", func() error { return l.home.Stop(ctx, l.flags.stopTimeout) }); err != nil {
			return err
		}
	}
	r := l.rc.newReporter(nil) // until the tool reports a phase
	r.Start()
	err = l.timed("import", func() error {
		return l.home.Import(ctx, offline.ImportOptions{
			ExportDir: res.Dir, ArgsFile: res.ArgsFile, Database: l.cfg.Database, Heap: l.flags.heap, OffHeap: l.flags.offHeap,
			Phase: func(phase string, pct int) {
				r.Update(func(time.Duration) string { return fmt.Sprintf("importer: bulk import %s %d%%", phase, pct) })
			},
		})
	})
	r.Stop()
	if err != nil {
		if running {
			if serr := l.home.Start(context.Background()); serr != nil {
				return fmt.Errorf("%w; and Neo4j did not start again: %v", err, serr)
			}
		}
		return fmt.Errorf("%w; database %q was not changed", err, l.cfg.Database)
	}
	fmt.Fprintf(l.rc.stderr, "importer: bulk import done (the tool's report and output: %s/%s, %s); starting Neo4j\n", res.Dir, offline.ReportFile, offline.LogFile)
	if err := l.timed("start", func() error { return l.home.Start(ctx) }); err != nil {
		return fmt.Errorf("%w; the imported database is in place: start Neo4j (neo4j/neo4j.sh up), then check it with importer verify --state %s", err, l.state)
	}
	if err := l.timed("constraints", func() error { return l.constraints(ctx) }); err != nil {
		return err
	}
	runID := "offline-" + time.Now().UTC().Format("20060102T150405")
	if err := l.db.Update(func(tx *bolt.Tx) error { return checkpoint.RecordOfflineLoad(tx, runID, l.start) }); err != nil {
		return fmt.Errorf("record the load: %w", err)
	}
	fmt.Fprintf(l.rc.stderr, "importer: loaded %d entities offline in %s (%s); next: importer verify --state %s\n",
		res.Entities, time.Since(l.start).Round(100*time.Millisecond), strings.Join(l.phases, ", "), l.state)
	return nil
}

// constraints creates the online load's uniqueness constraints and waits
// for them to be online.
func (l *offlineLoad) constraints(ctx context.Context) error {
	g, err := graphwrite.Connect(ctx, l.cfg)
	if err != nil {
		return err
	}
	defer g.Close(context.Background())
	return g.EnsureConstraints(ctx)
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
