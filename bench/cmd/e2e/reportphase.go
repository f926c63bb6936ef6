package main

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/graphwrite"
	importreport "github.com/learnergraph/importer/report"
)

// ReportPhase is what `importer report` cost on the loaded graph.
type ReportPhase struct {
	Phase
	Failed  int           `json:"failedQueries"`
	Slowest []QueryTiming `json:"slowest"`
	Path    string        `json:"path"`
}

// QueryTiming is one report query's time.
type QueryTiming struct {
	Name    string  `json:"name"`
	Seconds float64 `json:"seconds"`
}

// slowestShown is how many of the slowest report queries the table names.
const slowestShown = 5

// runReport writes the report of the loaded graph into out/bench/report,
// with the seed's baseline beside the import's rate, and times it.
func runReport(ctx context.Context, cfg config, g *graphwrite.Graph, statePath string, res *Result) error {
	db, err := checkpoint.OpenReadOnly(statePath)
	if err != nil {
		return err
	}
	defer db.Close()
	opt := importreport.Options{StatePath: "state.db", Progress: cfg.stderr}
	if bl := res.Baseline; bl != nil {
		opt.Baseline = &importreport.Baseline{RowsPerSec: round(bl.RowsPerSec(), 2), ImportRowsPSec: round(res.RowsPerSec(), 1)}
	}
	cfg.logf("report")
	m := startMeter(neo4jPID(cfg.neo4jPID))
	rep, err := importreport.Build(ctx, g, db, opt)
	if rep == nil {
		return fmt.Errorf("report: %w", err)
	}
	res.Report = &ReportPhase{}
	var werr error
	if res.Report.Path, werr = importreport.Write(cfg.path("report"), rep); werr != nil {
		return fmt.Errorf("report: %w", werr)
	}
	res.Report.Phase = m.Stop()
	for _, s := range rep.Sections {
		for _, r := range s.Results {
			if r.Error != "" {
				res.Report.Failed++
			}
			res.Report.Slowest = append(res.Report.Slowest, QueryTiming{Name: s.ID + "/" + r.Name, Seconds: r.Seconds})
		}
	}
	sort.Slice(res.Report.Slowest, func(i, j int) bool { return res.Report.Slowest[i].Seconds > res.Report.Slowest[j].Seconds })
	res.Report.Slowest = res.Report.Slowest[:min(slowestShown, len(res.Report.Slowest))]
	cfg.logf("report: %s in %.1f s (%d failed queries); slowest: %s", res.Report.Path, res.Report.Seconds, res.Report.Failed, slowest(res.Report.Slowest))
	return err
}

func slowest(qs []QueryTiming) string {
	var parts []string
	for _, q := range qs {
		parts = append(parts, fmt.Sprintf("%s %.1f s", q.Name, q.Seconds))
	}
	return strings.Join(parts, ", ")
}
