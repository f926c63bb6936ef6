package main

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/graphwrite"
	"github.com/learnergraph/importer/staging"
)

// SweepRun is one load of the sweep.
type SweepRun struct {
	BatchSize int              `json:"batchSize"`
	Workers   int              `json:"workers"`
	Entities  int64            `json:"entities"`
	Phase     Phase            `json:"phase"`
	Retries   map[string]int64 `json:"retries"`
}

// Rate is the run's entities/s.
func (r SweepRun) Rate() float64 { return div(float64(r.Entities), r.Phase.Seconds) }

// runSweep generates and stages -sweep-rows rows once, then loads them
// into the cleared database with every batch size and worker count,
// -sweep-repeats times, the settings interleaved so that a change in the
// machine's load spreads over all of them.
func runSweep(ctx context.Context, cfg config) error {
	g, err := graphwrite.Connect(ctx, cfg.conn)
	if err != nil {
		return err
	}
	defer g.Close(context.Background())
	csvPath, statePath := cfg.path("sweep.csv"), cfg.path("sweep.db")
	if !cfg.keep {
		defer os.Remove(csvPath)
		defer os.Remove(statePath)
		defer os.Remove(statePath + ".progress")
	}
	cfg.logf("sweep: generate and stage %d rows", cfg.sweepRows)
	if _, err := generate(csvPath, cfg.sweepRows, cfg.seed, cfg.badRate); err != nil {
		return err
	}
	counts, err := staging.Stage(ctx, csvPath, statePath, staging.Options{Overwrite: true, Command: "bench sweep"})
	if err != nil {
		return err
	}
	var runs []SweepRun
	for rep := range cfg.sweepRepeats {
		for _, w := range cfg.sweepWorkers {
			for _, b := range cfg.sweepBatches {
				cfg.logf("sweep %d/%d: batch size %d, %d workers", rep+1, cfg.sweepRepeats, b, w)
				r, err := sweepLoad(ctx, cfg, g, statePath, b, w)
				if err != nil {
					return err
				}
				cfg.logf("sweep: %.1f s, %.0f entities/s", r.Phase.Seconds, r.Rate())
				runs = append(runs, r)
			}
		}
	}
	var entities int64
	for _, v := range counts.Nodes {
		entities += v
	}
	for _, v := range counts.Relationships {
		entities += v
	}
	text := sweepTable(cfg.sweepRows, entities, cfg.sweepBatches, cfg.sweepWorkers, runs)
	fmt.Fprint(cfg.stdout, text)
	if err := os.WriteFile(cfg.path("sweep.md"), []byte(text), 0o644); err != nil {
		return fmt.Errorf("write sweep table: %w", err)
	}
	return writeJSON(cfg.path("sweep.json"), struct {
		Machine Machine    `json:"machine"`
		Rows    int        `json:"rows"`
		Runs    []SweepRun `json:"runs"`
	}{machine(), cfg.sweepRows, runs})
}

// sweepLoad clears the database and loads the staged file once.
func sweepLoad(ctx context.Context, cfg config, g *graphwrite.Graph, statePath string, batch, workers int) (SweepRun, error) {
	r := SweepRun{BatchSize: batch, Workers: workers}
	db, err := checkpoint.Open(statePath)
	if err != nil {
		return r, err
	}
	defer db.Close()
	unlock, err := lockNeo4j(ctx, cfg.logf)
	if err != nil {
		return r, err
	}
	defer unlock()
	if err := waitReady(ctx, cfg.ping(g), cfg.logf); err != nil {
		return r, err
	}
	if _, err := g.ClearDatabase(ctx); err != nil {
		return r, err
	}
	if _, err := graphwrite.Begin(ctx, g, db, graphwrite.ModeCreate, workers); err != nil {
		return r, err
	}
	m := startMeter(neo4jPID(cfg.neo4jPID))
	st, err := graphwrite.Load(ctx, g, db, graphwrite.LoadOptions{Workers: workers, BatchSize: batch})
	r.Phase = m.Stop()
	if err != nil {
		return r, err
	}
	r.Entities, r.Retries = st.Nodes+st.Relationships, st.Retries
	return r, nil
}

// sweepTable renders the sweep as a markdown matrix, batch sizes down and
// worker counts across, each cell the median entities/s of its runs and
// its load seconds; the best cell is in bold.
func sweepTable(rows int, entities int64, batches, workers []int, runs []SweepRun) string {
	median := func(b, w int) (SweepRun, bool) {
		var rs []SweepRun
		for _, r := range runs {
			if r.BatchSize == b && r.Workers == w {
				rs = append(rs, r)
			}
		}
		if len(rs) == 0 {
			return SweepRun{}, false
		}
		slices.SortFunc(rs, func(x, y SweepRun) int { return cmp.Compare(x.Rate(), y.Rate()) })
		return rs[len(rs)/2], true
	}
	best := 0.0
	for _, b := range batches {
		for _, w := range workers {
			if r, ok := median(b, w); ok {
				best = max(best, r.Rate())
			}
		}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "Load of %s rows (%s entities), create mode; entities/s (load seconds), median of %d run(s):\n\n",
		count(int64(rows)), count(entities), max(1, len(runs)/max(1, len(batches)*len(workers))))
	gridHeader(&sb, workers)
	for _, b := range batches {
		fmt.Fprintf(&sb, "| %s |", count(int64(b)))
		for _, w := range workers {
			r, ok := median(b, w)
			switch {
			case !ok:
				sb.WriteString(" – |")
			case r.Rate() == best:
				fmt.Fprintf(&sb, " **%s** (%s s) |", rate(r.Rate()), secs(r.Phase.Seconds))
			default:
				fmt.Fprintf(&sb, " %s (%s s) |", rate(r.Rate()), secs(r.Phase.Seconds))
			}
		}
		sb.WriteString("\n")
	}
	sb.WriteString("\nNeo4j CPU per entity, in µs, of the same runs (CPU seconds of the Neo4j process over entities written: steadier than wall time on a shared machine):\n\n")
	gridHeader(&sb, workers)
	for _, b := range batches {
		fmt.Fprintf(&sb, "| %s |", count(int64(b)))
		for _, w := range workers {
			r, _ := median(b, w)
			fmt.Fprintf(&sb, " %s |", micros(r.Phase.Neo4jCPU, float64(r.Entities)))
		}
		sb.WriteString("\n")
	}
	if len(runs) > 0 {
		lo, hi := math.Inf(1), math.Inf(-1)
		var neo, wall float64
		total := map[string]int64{}
		for _, r := range runs {
			lo = min(lo, r.Phase.LoadAvg[0], r.Phase.LoadAvg[1])
			hi = max(hi, r.Phase.LoadAvg[0], r.Phase.LoadAvg[1])
			neo += r.Phase.Neo4jCPU
			wall += r.Phase.Seconds
			for k, v := range r.Retries {
				total[k] += v
			}
		}
		fmt.Fprintf(&sb, "\nMachine load average during the sweep %.1f–%.1f; Neo4j used %s cores on average; %s.\n",
			lo, hi, cores(neo, wall), retries(total))
	}
	return sb.String()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// gridHeader writes the header of a batch size × workers table.
func gridHeader(sb *strings.Builder, workers []int) {
	sb.WriteString("| batch size |")
	for _, w := range workers {
		fmt.Fprintf(sb, " %d worker%s |", w, plural(w))
	}
	sb.WriteString("\n|--:|" + strings.Repeat("--:|", len(workers)) + "\n")
}
