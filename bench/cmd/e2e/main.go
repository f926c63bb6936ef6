// Command e2e is the end-to-end benchmark behind `make bench`: it
// generates a learner CSV, measures the seed's way of writing (one
// transaction per entity) on its first rows, stages the whole file, loads
// it into the cleared local Neo4j, verifies it, and prints one table. It
// also writes out/bench/result.json, a throughput series
// (out/bench/throughput.csv) and its chart (out/bench/throughput.svg).
// With -sweep it loads a smaller file with every batch size and worker
// count of a grid instead. See bench/README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/learnergraph/importer/graphwrite"
	"github.com/learnergraph/importer/graphwrite/graphwritetest"
	"github.com/learnergraph/importer/staging"
)

// config holds the flags.
type config struct {
	rows           int
	seed           int64
	badRate        float64
	out            string
	workers        int
	batchSize      int
	stageBatchRows int
	memLimit       int64
	baselineRows   int
	cpuProfile     string
	stageProfile   string
	keep           bool
	neo4jPID       int
	sweep          bool
	offline        bool
	sweepRows      int
	sweepBatches   []int
	sweepWorkers   []int
	sweepRepeats   int
	conn           graphwrite.Config
	// clearAny clears the database even when it is not marked as the
	// repo's test database; optIn is IMPORTER_TEST_NEO4J; mark is the
	// index that marks it (graphwritetest.MarkIndex; tests change it).
	clearAny       bool
	optIn, mark    string
	stdout, stderr io.Writer
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "e2e: %s\n", graphwrite.RedactURIs(err.Error()))
		os.Exit(1)
	}
}

// importerMemLimit is the soft memory limit the importer sets for itself
// unless GOMEMLIMIT is set (heapLimit in the importer's main.go): staging
// and loading run in this process, so it sets the same to measure the
// same garbage collector behaviour.
const importerMemLimit = 224 << 20

func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	stdout, stderr = graphwrite.RedactingWriter{W: stdout}, graphwrite.RedactingWriter{W: stderr} // no password in the output
	cfg, err := parseFlags(args, stdout, stderr, getenv)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if getenv("GOMEMLIMIT") == "" && cfg.memLimit > 0 {
		debug.SetMemoryLimit(cfg.memLimit)
	}
	return start(ctx, cfg)
}

// start runs the benchmark or the sweep, once the database is known to
// be one it may clear.
func start(ctx context.Context, cfg config) error {
	if err := mayClear(ctx, cfg); err != nil {
		return err
	}
	if err := os.MkdirAll(cfg.out, 0o755); err != nil {
		return fmt.Errorf("create output directory: %w", err)
	}
	if cfg.sweep {
		return runSweep(ctx, cfg)
	}
	return runBench(ctx, cfg)
}

func parseFlags(args []string, stdout, stderr io.Writer, getenv func(string) string) (config, error) {
	env := func(k, def string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return def
	}
	cfg := config{stdout: stdout, stderr: stderr, optIn: getenv(graphwritetest.OptInVar), mark: graphwritetest.MarkIndex}
	fs := flag.NewFlagSet("e2e", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&cfg.rows, "rows", 1700000, "rows to generate, stage and load")
	fs.Int64Var(&cfg.seed, "seed", 1, "generator seed")
	fs.Float64Var(&cfg.badRate, "bad-rate", 0.01, "share of rows that break the contract")
	fs.StringVar(&cfg.out, "out", "out/bench", "directory for the CSV, the state files and the results")
	fs.IntVar(&cfg.workers, "workers", graphwrite.DefaultWorkers, "load workers")
	fs.IntVar(&cfg.batchSize, "batch-size", graphwrite.DefaultBatchSize(graphwrite.ModeCreate), "staged entities per load transaction")
	fs.IntVar(&cfg.stageBatchRows, "stage-batch-rows", staging.DefaultBatchRows, "rows per staging checkpoint")
	fs.IntVar(&cfg.baselineRows, "baseline-rows", 2000, "rows written the seed's way, one transaction per entity (0: skip the baseline)")
	fs.Int64Var(&cfg.memLimit, "memlimit", importerMemLimit, "Go soft memory limit in bytes, as the importer sets it (0: none; GOMEMLIMIT wins)")
	fs.StringVar(&cfg.cpuProfile, "cpuprofile", "", "write a CPU profile of the load phase to this file")
	fs.StringVar(&cfg.stageProfile, "stage-cpuprofile", "", "write a CPU profile of the stage phase to this file")
	fs.BoolVar(&cfg.keep, "keep", false, "keep the generated CSV and the state files")
	fs.IntVar(&cfg.neo4jPID, "neo4j-pid", 0, "Neo4j's process id, for its CPU time (default: from .neo4j/neo4j.pid)")
	fs.BoolVar(&cfg.offline, "offline", true, "also load the state file the offline way (export, neo4j-admin bulk import into the stopped local Neo4j, constraints, verify)")
	fs.BoolVar(&cfg.sweep, "sweep", false, "load -sweep-rows rows with every -sweep-batches × -sweep-workers instead")
	fs.IntVar(&cfg.sweepRows, "sweep-rows", 100000, "rows of the sweep's file")
	batches := fs.String("sweep-batches", "1000,5000,10000,20000,50000", "batch sizes of the sweep")
	workers := fs.String("sweep-workers", "1,2,4", "worker counts of the sweep")
	fs.IntVar(&cfg.sweepRepeats, "sweep-repeats", 1, "loads per sweep setting (the median is reported)")
	fs.StringVar(&cfg.conn.URI, "uri", env("NEO4J_URI", "neo4j://127.0.0.1:7687"), "Neo4j Bolt URI (env NEO4J_URI)")
	fs.StringVar(&cfg.conn.Username, "username", env("NEO4J_USERNAME", "neo4j"), "Neo4j user (env NEO4J_USERNAME)")
	fs.StringVar(&cfg.conn.Database, "database", env("NEO4J_DATABASE", "neo4j"), "Neo4j database, cleared by this benchmark (env NEO4J_DATABASE)")
	fs.BoolVar(&cfg.clearAny, "clear-any-database", false, "clear the database even if it is not marked as the repo's test database (the tests' rule: neo4j/neo4j.sh up marks the local one)")
	cfg.conn.Password = env("NEO4J_PASSWORD", "importer-local")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	var err error
	if cfg.sweepBatches, err = ints(*batches); err != nil {
		return cfg, fmt.Errorf("-sweep-batches: %w", err)
	}
	if cfg.sweepWorkers, err = ints(*workers); err != nil {
		return cfg, fmt.Errorf("-sweep-workers: %w", err)
	}
	switch {
	case fs.NArg() > 0:
		return cfg, fmt.Errorf("unexpected arguments %q", fs.Args())
	case cfg.rows < 1 || cfg.sweepRows < 1:
		return cfg, errors.New("-rows and -sweep-rows must be at least 1")
	case cfg.workers < 1 || cfg.batchSize < 1 || cfg.stageBatchRows < 1 || cfg.sweepRepeats < 1:
		return cfg, errors.New("-workers, -batch-size, -stage-batch-rows and -sweep-repeats must be at least 1")
	case cfg.baselineRows < 0:
		return cfg, errors.New("-baseline-rows must not be negative")
	}
	return cfg, nil
}

// mayClear refuses, before anything is written, a database that this
// benchmark cannot prove is the repo's test database: it clears it again
// and again, and the offline phase replaces its store. The rule is the
// tests' (graphwritetest.MayClear): the database carries the mark index
// that neo4j/neo4j.sh up creates, or IMPORTER_TEST_NEO4J names its URI;
// -clear-any-database overrides it.
func mayClear(ctx context.Context, cfg config) error {
	if cfg.clearAny {
		return nil
	}
	n, err := connect(ctx, cfg.conn)
	if err != nil {
		return err
	}
	defer n.close()
	if err := graphwritetest.MayClear(n.driver, cfg.conn.Database, cfg.conn.URI, cfg.optIn, cfg.mark); err != nil {
		return fmt.Errorf("this benchmark deletes everything in its database: %w; or pass -clear-any-database", err)
	}
	return nil
}

// ints parses a comma-separated list of positive integers.
func ints(s string) ([]int, error) {
	var out []int
	for f := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a positive integer", f)
		}
		out = append(out, n)
	}
	return out, nil
}

func (c config) logf(format string, args ...any) {
	fmt.Fprintf(c.stderr, "e2e: "+format+"\n", args...)
}

func (c config) path(name string) string { return filepath.Join(c.out, name) }

// ping asks g for an answer, in at most ten seconds.
func (c config) ping(g *graphwrite.Graph) func(context.Context) error {
	return func(ctx context.Context) error {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		_, err := g.Ping(ctx)
		return err
	}
}
