package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/export"
	"github.com/learnergraph/importer/graphwrite"
	"github.com/learnergraph/importer/offline"
	"github.com/learnergraph/importer/staging"
)

// Offline is the offline path on the same state file: export, stop Neo4j,
// bulk import (neo4j-admin's import tool), start Neo4j, constraints,
// verify.
type Offline struct {
	Entities    int64 `json:"entities"`
	Export      Phase `json:"export"`
	Stop        Phase `json:"stop"`
	Import      Phase `json:"import"`
	Start       Phase `json:"start"`
	Constraints Phase `json:"constraints"`
	Verify      Phase `json:"verify"`
	// ImportCPU and ImportPeakRSS are the import tool's (a child process).
	ImportCPU     float64 `json:"importCPUSeconds"`
	ImportPeakRSS uint64  `json:"importPeakRSSBytes"`
	Differences   int     `json:"differences"`
}

// Seconds is stage-free wall time of the offline load: export to
// constraints online.
func (o Offline) Seconds() float64 {
	return o.Export.Seconds + o.Stop.Seconds + o.Import.Seconds + o.Start.Seconds + o.Constraints.Seconds
}

// CPU is the CPU time of the offline load: the export, the import tool,
// and Neo4j's while it creates the constraints.
func (o Offline) CPU() float64 {
	return o.Export.CPU + o.ImportCPU + o.Constraints.Neo4jCPU + o.Constraints.CPU
}

// childCPU is the CPU time and peak RSS of the waited-for children.
func childCPU() (float64, uint64) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru); err != nil {
		return 0, 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds(), uint64(ru.Maxrss) << 10
}

// runOffline loads the staged state file the offline way into the local
// Neo4j (whose database the online load filled: it is replaced) and
// verifies it. It leaves Neo4j running.
func runOffline(ctx context.Context, cfg config, statePath string, res *Result) error {
	home := os.Getenv("NEO4J_HOME_DIR")
	if home == "" {
		home = ".neo4j"
	}
	h, err := offline.Find(home, os.Environ())
	if err != nil {
		return fmt.Errorf("offline: %w", err)
	}
	db, err := checkpoint.Open(statePath)
	if err != nil {
		return err
	}
	defer db.Close()
	unlock, err := lockNeo4j(ctx, cfg.logf)
	if err != nil {
		return err
	}
	defer unlock()
	o := &Offline{}
	dir := cfg.path("export")
	os.RemoveAll(dir)
	defer func() {
		if !cfg.keep {
			os.RemoveAll(dir)
		}
	}()
	cfg.logf("offline: export into %s", dir)
	started := time.Now()
	m := startMeter(neo4jPID(cfg.neo4jPID))
	ex, err := export.Run(ctx, db, export.Options{Dir: dir})
	o.Export = m.Stop()
	if err != nil {
		return err
	}
	o.Entities = ex.Entities
	cfg.logf("offline: exported %d entities in %.1f s; stop Neo4j", ex.Entities, o.Export.Seconds)
	m = startMeter(0)
	err = h.Stop(ctx, 2*time.Minute)
	o.Stop = m.Stop()
	if err != nil {
		return err
	}
	cfg.logf("offline: bulk import")
	cpu0, _ := childCPU()
	m = startMeter(0)
	err = h.Import(ctx, offline.ImportOptions{ExportDir: ex.Dir, ArgsFile: ex.ArgsFile, Database: cfg.conn.Database, Heap: "2g", OffHeap: "2g",
		Phase: func(phase string, _ int) { cfg.logf("offline: import %s", phase) }})
	if err == nil {
		err = h.Swap(cfg.conn.Database)
	}
	o.Import = m.Stop()
	cpu1, rss := childCPU()
	o.ImportCPU, o.ImportPeakRSS = cpu1-cpu0, rss
	if err != nil {
		h.Start(context.Background())
		return err
	}
	cfg.logf("offline: imported in %.1f s; start Neo4j", o.Import.Seconds)
	m = startMeter(0)
	err = h.Start(ctx)
	o.Start = m.Stop()
	if err != nil {
		return err
	}
	g, err := graphwrite.Connect(ctx, cfg.conn)
	if err != nil {
		return err
	}
	defer g.Close(context.Background())
	if err := waitReady(ctx, cfg.ping(g), cfg.logf); err != nil {
		return err
	}
	pid := neo4jPID(cfg.neo4jPID)
	cfg.logf("offline: constraints")
	m = startMeter(pid)
	err = g.EnsureConstraints(ctx, staging.DefaultSchema())
	o.Constraints = m.Stop()
	if err != nil {
		return err
	}
	if err := db.Update(func(tx *bolt.Tx) error { return checkpoint.RecordOfflineLoad(tx, "bench", started) }); err != nil {
		return err
	}
	cfg.logf("offline: verify")
	m = startMeter(pid)
	diffs, err := graphwrite.Verify(ctx, g, db, graphwrite.VerifyOptions{Seed: cfg.seed})
	o.Verify = m.Stop()
	if err != nil {
		return err
	}
	o.Differences = len(diffs)
	res.Offline = o
	cfg.logf("offline: %.1f s from export to constraints online, %d differences", o.Seconds(), o.Differences)
	return nil
}

// offlineTable renders the offline path's phases.
func offlineTable(r Result) string {
	o := r.Offline
	if o == nil {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\nOffline path on the same state file (%s entities): stage, then export, bulk import (neo4j-admin), constraints, verify\n\n", count(o.Entities))
	b.WriteString("| phase | wall s | CPU s (importer / import tool / Neo4j) | peak memory | load avg |\n|---|--:|--:|--:|--:|\n")
	row := func(name string, p Phase, cpu string, mem string) {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %.1f–%.1f |\n", name, secs(p.Seconds), cpu, mem, p.LoadAvg[0], p.LoadAvg[1])
	}
	row("stage (as above)", r.Stage, fmt.Sprintf("%.1f / – / –", r.Stage.CPU), "Go heap "+mib(r.Stage.PeakHeap))
	row("export", o.Export, fmt.Sprintf("%.1f / – / –", o.Export.CPU), "Go heap "+mib(o.Export.PeakHeap))
	row("stop Neo4j", o.Stop, "–", "–")
	row("bulk import", o.Import, fmt.Sprintf("– / %.1f / –", o.ImportCPU), "tool RSS "+mib(o.ImportPeakRSS))
	row("start Neo4j", o.Start, "–", "–")
	row("constraints", o.Constraints, fmt.Sprintf("– / – / %.1f", o.Constraints.Neo4jCPU), "–")
	row("verify", o.Verify, fmt.Sprintf("%.1f / – / %.1f", o.Verify.CPU, o.Verify.Neo4jCPU), "–")
	total := r.Stage.Seconds + o.Seconds()
	fmt.Fprintf(&b, "\nstage + export + bulk import + constraints: %s s (%s min); offline load alone %s s; CPU %.1f µs per entity (export + tool + constraints; online load: Neo4j %.1f + importer %.1f µs); %d differences\n",
		secs(total), secs(total/60), secs(o.Seconds()), 1e6*div(o.CPU(), float64(o.Entities)),
		1e6*div(r.Load.Neo4jCPU, float64(r.Nodes+r.Relationships)), 1e6*div(r.Load.CPU, float64(r.Nodes+r.Relationships)), o.Differences)
	return b.String()
}
