package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/pprof"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/graphwrite"
	"github.com/learnergraph/importer/samplegen"
	"github.com/learnergraph/importer/staging"
)

// window is the throughput series' resolution.
const window = 2 * time.Second

// runBench is the end-to-end run: generate, baseline, stage, clear, load,
// verify; then the table, result.json and the throughput series.
func runBench(ctx context.Context, cfg config) error {
	res := Result{Machine: machine(), Mode: string(graphwrite.ModeCreate), Workers: cfg.workers, BatchSize: cfg.batchSize}
	if neo4jPID(cfg.neo4jPID) == 0 {
		cfg.logf("Neo4j's process not found (-neo4j-pid): its CPU time is not reported")
	}
	n, err := connect(ctx, cfg.conn)
	if err != nil {
		return err
	}
	defer n.close()
	res.Machine.Neo4j = n.version(ctx)
	g, err := graphwrite.Connect(ctx, cfg.conn)
	if err != nil {
		return err
	}
	defer g.Close(context.Background())

	csvPath, statePath := cfg.path("learners.csv"), cfg.path("state.db")
	cfg.logf("generate %d rows into %s", cfg.rows, csvPath)
	m := startMeter(neo4jPID(cfg.neo4jPID))
	gen, err := generate(csvPath, cfg.rows, cfg.seed, cfg.badRate)
	res.Generate = m.Stop()
	if err != nil {
		return err
	}
	res.Rows, res.Bytes = int64(gen.Rows), gen.Bytes
	if cfg.baselineRows > 0 {
		bl, err := runBaseline(ctx, cfg, n, g, csvPath)
		if err != nil {
			return err
		}
		res.Baseline = &bl
	}
	stageSamples, err := runStage(ctx, cfg, csvPath, statePath, &res)
	if err != nil {
		return err
	}
	loadSamples, err := runLoad(ctx, cfg, n, g, statePath, &res)
	if err != nil {
		return err
	}
	// The report of the online load's graph, before the wipe; a failed
	// query is in the table and the report, not a failed benchmark.
	if err := runReport(ctx, cfg, g, statePath, &res); err != nil {
		if res.Report == nil || ctx.Err() != nil {
			return err
		}
		cfg.logf("%v", err)
	}
	if err := runClearLoaded(ctx, cfg, g, &res); err != nil {
		return err
	}
	// A failure of the offline phases still reports the phases that
	// finished (their figures took many minutes to measure), then fails.
	var offlineErr error
	if cfg.offline {
		if offlineErr = runOffline(ctx, cfg, statePath, &res); offlineErr != nil {
			offlineErr = fmt.Errorf("offline: %w", offlineErr)
			cfg.logf("the offline phases failed (%v); the table holds the phases that finished", offlineErr)
		}
	}
	if !cfg.keep && offlineErr == nil {
		os.Remove(csvPath)
		os.Remove(statePath)
		os.Remove(statePath + ".progress")
	}
	if err := report(cfg, res, stageSamples, loadSamples); err != nil {
		return errors.Join(offlineErr, err)
	}
	return offlineErr
}

// runClearLoaded measures clear-database on the graph the load wrote (the
// offline phases then import into the emptied database).
func runClearLoaded(ctx context.Context, cfg config, g *graphwrite.Graph, res *Result) error {
	unlock, err := lockNeo4j(ctx, cfg.logf)
	if err != nil {
		return err
	}
	defer unlock()
	cfg.logf("clear the loaded graph")
	m := startMeter(neo4jPID(cfg.neo4jPID))
	c, err := g.ClearDatabase(ctx)
	res.ClearLoaded = m.Stop()
	if err != nil {
		return fmt.Errorf("clear the loaded graph: %w", err)
	}
	res.ClearRetries = c.Retries
	cfg.logf("cleared %d nodes and %d relationships in %.1f s (%d batches retried)", c.Nodes, c.Relationships, res.ClearLoaded.Seconds, c.Retries)
	return nil
}

func generate(path string, rows int, seed int64, badRate float64) (samplegen.GenStats, error) {
	var st samplegen.GenStats
	err := writeFile(path, func(w *bufio.Writer) error {
		var err error
		st, err = samplegen.Generate(w, samplegen.GenOptions{Rows: rows, Seed: seed, BadRate: badRate})
		return err
	})
	if err != nil {
		return st, fmt.Errorf("generate: %w", err)
	}
	return st, nil
}

// runBaseline stages the first rows of the file, then writes them into the
// cleared database one transaction per entity, and checks them with
// graphwrite.Verify. The database keeps its uniqueness constraints (and
// so their indexes): the baseline's MERGEs find their nodes by index.
func runBaseline(ctx context.Context, cfg config, n *neo, g *graphwrite.Graph, csvPath string) (Baseline, error) {
	var bl Baseline
	state := cfg.path("baseline.db")
	defer os.Remove(state + ".progress")
	if !cfg.keep {
		defer os.Remove(state)
	}
	rows, bytes, err := stagePrefix(ctx, csvPath, state, cfg.baselineRows)
	if err != nil {
		return bl, err
	}
	db, err := checkpoint.Open(state)
	if err != nil {
		return bl, err
	}
	defer db.Close()
	unlock, err := lockNeo4j(ctx, cfg.logf)
	if err != nil {
		return bl, err
	}
	defer unlock()
	if err := waitReady(ctx, cfg.ping(g), cfg.logf); err != nil {
		return bl, err
	}
	pid := neo4jPID(cfg.neo4jPID)
	cfg.logf("baseline: clear the database, then write the first %d rows one transaction per entity", rows)
	if _, err := g.ClearDatabase(ctx); err != nil {
		return bl, err
	}
	if err := g.EnsureConstraints(ctx, staging.DefaultSchema()); err != nil {
		return bl, err
	}
	before := n.txCounter(ctx)
	m := startMeter(pid)
	w, err := n.baselineWrite(ctx, db)
	phase := m.Stop()
	if err != nil {
		return bl, err
	}
	w.Transactions = txBetween(before, n.txCounter(ctx))
	w.Rows, w.Bytes, w.Phase = rows, bytes, phase
	diffs, err := graphwrite.Verify(ctx, g, db, graphwrite.VerifyOptions{Seed: cfg.seed})
	if err != nil {
		return bl, fmt.Errorf("verify baseline: %w", err)
	}
	w.Differences = len(diffs)
	cfg.logf("baseline: %d nodes and %d relationships in %.1f s: %.1f rows/s, %d transactions, %d differences",
		w.Nodes, w.Relationships, w.Seconds(), w.RowsPerSec(), w.Transactions, w.Differences)
	return w, nil
}

// runStage stages the whole file, recording rows read at every checkpoint.
func runStage(ctx context.Context, cfg config, csvPath, statePath string, res *Result) ([]sample, error) {
	cfg.logf("stage %s into %s", csvPath, statePath)
	stopProfile, err := profile(cfg.stageProfile)
	if err != nil {
		return nil, err
	}
	var samples []sample
	m := startMeter(neo4jPID(cfg.neo4jPID))
	counts, err := staging.Stage(ctx, csvPath, statePath, staging.Options{Overwrite: true, Command: "bench", BatchRows: cfg.stageBatchRows,
		Progress: func(p staging.Progress) {
			samples = append(samples, sample{At: time.Since(m.start), Count: p.Counts.Rows.Read})
		}})
	res.Stage = m.Stop()
	stopProfile()
	if err != nil {
		return nil, err
	}
	res.Staged, res.Rejected = counts.Rows.Staged, counts.Rows.Rejected
	res.staged = map[string]int64{}
	for k, v := range counts.Nodes {
		res.Nodes += v
		res.staged[k] = v
	}
	for k, v := range counts.Relationships {
		res.Relationships += v
		res.staged[k] = v
	}
	for _, n := range staging.DefaultSchema().Nodes() {
		if n.PerLearner {
			res.staged[learnerGroup] += counts.Nodes[n.Label]
		}
	}
	for _, r := range staging.DefaultSchema().Rels() {
		if r.PerLearner() {
			res.staged[learnerGroup] += counts.Relationships[r.Type]
		}
	}
	cfg.logf("staged %d rows in %.1f s: %.0f rows/s", counts.Rows.Read, res.Stage.Seconds, float64(counts.Rows.Read)/res.Stage.Seconds)
	return samples, nil
}

// runLoad clears the database and loads the state file into it in create
// mode, sampling the load's progress from the state file's load marks;
// then verifies it.
func runLoad(ctx context.Context, cfg config, n *neo, g *graphwrite.Graph, statePath string, res *Result) ([]sample, error) {
	db, err := checkpoint.Open(statePath)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	unlock, err := lockNeo4j(ctx, cfg.logf)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if err := waitReady(ctx, cfg.ping(g), cfg.logf); err != nil {
		return nil, err
	}
	pid := neo4jPID(cfg.neo4jPID)
	cfg.logf("clear the database")
	m := startMeter(pid)
	_, err = g.ClearDatabase(ctx)
	res.Clear = m.Stop()
	if err != nil {
		return nil, err
	}
	if _, err := graphwrite.Begin(ctx, g, db, graphwrite.ModeCreate, cfg.workers); err != nil {
		return nil, err
	}
	cfg.logf("load %d nodes and %d relationships: %d workers, batches of %d", res.Nodes, res.Relationships, cfg.workers, cfg.batchSize)
	stopProfile, err := profile(cfg.cpuProfile)
	if err != nil {
		return nil, err
	}
	before := n.txCounter(ctx)
	m = startMeter(pid)
	stopSampling, samples := sampleLoad(db, m.start, pid)
	st, err := graphwrite.Load(ctx, g, db, graphwrite.LoadOptions{StatePath: statePath, Command: "bench",
		Workers: cfg.workers, BatchSize: cfg.batchSize, Progress: cfg.stderr})
	stopSampling()
	res.Load = m.Stop()
	stopProfile()
	if err != nil {
		return nil, err
	}
	res.Transactions = txBetween(before, n.txCounter(ctx))
	res.Batches, res.Retries = st.Batches, st.Retries
	end, ok := nodesDone(*samples, res.Nodes)
	if !ok {
		end = time.Duration(res.Load.Seconds * float64(time.Second))
	}
	res.NodeSeconds = end.Seconds()
	res.Buckets = bucketRates(*samples, res.staged)

	cfg.logf("verify")
	before = n.txCounter(ctx)
	m = startMeter(pid)
	diffs, err := graphwrite.Verify(ctx, g, db, graphwrite.VerifyOptions{Seed: cfg.seed})
	res.Verify = m.Stop()
	if err != nil {
		return nil, err
	}
	res.VerifyTx = txBetween(before, n.txCounter(ctx))
	res.Differences = len(diffs)
	for i, d := range diffs {
		if i == 10 {
			cfg.logf("verify: ... %d more", len(diffs)-i)
			break
		}
		cfg.logf("verify: %s", d)
	}
	return *samples, nil
}

// sampleLoad reads the load's progress from the state file every 250 ms
// (the same load marks the loader's progress snapshot publishes every 2 s),
// and Neo4j's CPU time, until stop is called, which takes a last sample.
func sampleLoad(db *bolt.DB, start time.Time, neoPID int) (stop func(), samples *[]sample) {
	samples = new([]sample)
	read := func() {
		var st checkpoint.Status
		err := db.View(func(tx *bolt.Tx) error {
			var err error
			st, err = checkpoint.ReadStatus(tx)
			return err
		})
		if err == nil {
			s := loadSample(time.Since(start), st)
			s.CPU, _ = procCPU(neoPID)
			*samples = append(*samples, s)
		}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		read() // the starting point of Neo4j's CPU time
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				read()
				return
			case <-t.C:
				read()
			}
		}
	})
	return func() { close(done); wg.Wait() }, samples
}

// profile starts a CPU profile into path ("" profiles nothing).
func profile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("create cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("start cpu profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// report prints the table and writes result.json, throughput.csv and
// throughput.svg.
func report(cfg config, res Result, stage, load []sample) error {
	text := table(res) + offlineTable(res)
	fmt.Fprint(cfg.stdout, text)
	points := append(rates("stage", "rows/s", stage, window), rates("load", "entities/s", load, window)...)
	err := writeJSON(cfg.path("result.json"), struct {
		Result     Result  `json:"result"`
		Throughput []Point `json:"throughput"`
	}{res, points})
	if err != nil {
		return err
	}
	if err := os.WriteFile(cfg.path("table.md"), []byte(text), 0o644); err != nil {
		return fmt.Errorf("write table: %w", err)
	}
	if err := os.WriteFile(cfg.path("buckets.md"), []byte(bucketTable(res.Buckets)), 0o644); err != nil {
		return fmt.Errorf("write bucket table: %w", err)
	}
	if err := writeFile(cfg.path("throughput.csv"), func(w *bufio.Writer) error { return writeSeries(w, points) }); err != nil {
		return err
	}
	svg := chart(fmt.Sprintf("make bench: %s rows, %s, %d cores", count(res.Rows), mb(res.Bytes), res.Machine.Cores), []panel{
		{Title: fmt.Sprintf("stage: rows/s every %s (%s s in all)", window, secs(res.Stage.Seconds)), Points: rates("stage", "rows/s", stage, window)},
		{Title: fmt.Sprintf("load: entities/s every %s; shaded: the bucket in progress (%s s in all)", window, secs(res.Load.Seconds)),
			Points: rates("load", "entities/s", load, window), Bands: bands(load)},
	})
	if err := os.WriteFile(cfg.path("throughput.svg"), []byte(svg), 0o644); err != nil {
		return fmt.Errorf("write chart: %w", err)
	}
	cfg.logf("wrote %s, %s, %s, %s and %s", cfg.path("table.md"), cfg.path("buckets.md"), cfg.path("result.json"),
		cfg.path("throughput.csv"), cfg.path("throughput.svg"))
	return nil
}
