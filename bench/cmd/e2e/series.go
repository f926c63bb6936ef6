package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/staging"
)

// sample is one reading of a phase's cumulative progress.
type sample struct {
	At    time.Duration // since the phase started
	Count int64         // rows (stage) or entities (load) so far
	Nodes int64         // load: nodes so far (Count - Nodes are relationships)
	Label string        // load: the bucket in progress ("" when done)
	CPU   float64       // load: Neo4j's CPU seconds so far (0: unknown)
}

// Point is one throughput reading of the series.
type Point struct {
	Phase string  `json:"phase"`
	T     float64 `json:"t"` // seconds since the phase started, at the window's end
	Rate  float64 `json:"rate"`
	Unit  string  `json:"unit"`
	Count int64   `json:"count"` // cumulative, at T
	Label string  `json:"label,omitempty"`
}

// rates turns cumulative samples into a rate every window: each point is
// the progress between the previous point (the phase start for the first)
// and the first sample at least window later, or the last sample. A last
// window shorter than half a window is merged into the one before, so
// that a final checkpoint right after the previous one does not make a
// point of its own. A point is labelled with what was in progress at its
// end, or at its start when the phase had finished by then.
func rates(phase, unit string, samples []sample, window time.Duration) []Point {
	var out []Point
	var prev, prevStart sample
	for i, s := range samples {
		last := i == len(samples)-1
		dt := s.At - prev.At
		if dt <= 0 || (dt < window && !last) {
			continue
		}
		from := prev
		if last && dt < window/2 && len(out) > 0 {
			out, from = out[:len(out)-1], prevStart
		}
		label := s.Label
		if label == "" {
			label = from.Label
		}
		out = append(out, Point{
			Phase: phase, T: round(s.At.Seconds(), 3), Unit: unit, Count: s.Count, Label: label,
			Rate: round(float64(s.Count-from.Count)/(s.At-from.At).Seconds(), 1),
		})
		prevStart, prev = from, s
	}
	return out
}

// nodesDone returns when the load's last node was written: the first
// sample with all nodes in Neo4j. ok is false if no sample saw it.
func nodesDone(samples []sample, nodes int64) (time.Duration, bool) {
	for _, s := range samples {
		if s.Nodes >= nodes {
			return s.At, true
		}
	}
	return 0, false
}

// learnerGroup names the per-learner buckets that a create mode load
// writes together, learner by learner (graphwrite's learner group).
const learnerGroup = "learners"

// inProgress names the first bucket in load order (node labels, then
// relationship types, as graphwrite writes them) that Neo4j does not hold
// entirely, or "" when the load is complete. In create mode the
// per-learner buckets load together, after the others, as learnerGroup.
func inProgress(st checkpoint.Status) string {
	grouped := st.Mode == "create"
	group := false
	for _, n := range staging.DefaultSchema().Nodes() {
		if st.Loaded.Nodes[n.Label] < st.Nodes[n.Label] {
			if !grouped || !n.PerLearner {
				return n.Label
			}
			group = true
		}
	}
	for _, r := range staging.DefaultSchema().Rels() {
		if st.Loaded.Relationships[r.Type] < st.Relationships[r.Type] {
			if !grouped || !r.PerLearner() {
				return r.Type
			}
			group = true
		}
	}
	if group {
		return learnerGroup
	}
	return ""
}

// loadSample reads a load's progress from its status.
func loadSample(at time.Duration, st checkpoint.Status) sample {
	s := sample{At: at, Label: inProgress(st)}
	for _, n := range st.Loaded.Nodes {
		s.Nodes += n
	}
	s.Count = s.Nodes
	for _, n := range st.Loaded.Relationships {
		s.Count += n
	}
	return s
}

// BucketRate is how long one bucket of the load took.
type BucketRate struct {
	Name     string  `json:"name"`
	Entities int64   `json:"entities"`
	Seconds  float64 `json:"seconds"`
	Neo4jCPU float64 `json:"neo4jCPUSeconds"` // 0: unknown
}

// Rate is the bucket's entities/s.
func (b BucketRate) Rate() float64 { return div(float64(b.Entities), b.Seconds) }

// bucketRates times every bucket of the load from its samples: a bucket
// takes the span during which samples found it in progress (see bands),
// and its entities are the staged ones. A bucket too quick to be seen in
// progress is left out.
func bucketRates(samples []sample, staged map[string]int64) []BucketRate {
	var out []BucketRate
	for _, b := range bands(samples) {
		if b.to <= b.from {
			continue // the starting sample
		}
		out = append(out, BucketRate{Name: b.label, Entities: staged[b.label], Seconds: round(b.to-b.from, 3),
			Neo4jCPU: round(b.cpu, 2)})
	}
	return out
}

// bucketTable renders the bucket rates as a markdown table.
func bucketTable(rs []BucketRate) string {
	var b strings.Builder
	b.WriteString("| bucket | entities | seconds | entities/s | Neo4j cores | Neo4j µs/entity |\n|---|--:|--:|--:|--:|--:|\n")
	for _, r := range rs {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", r.Name, count(r.Entities), secs(r.Seconds), rate(r.Rate()),
			cores(r.Neo4jCPU, r.Seconds), micros(r.Neo4jCPU, float64(r.Entities)))
	}
	return b.String()
}

// writeSeries writes the points as CSV with a header.
func writeSeries(w io.Writer, points []Point) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"phase", "t_seconds", "rate", "unit", "count", "in_progress"})
	for _, p := range points {
		cw.Write([]string{p.Phase, strconv.FormatFloat(p.T, 'f', -1, 64), strconv.FormatFloat(p.Rate, 'f', -1, 64),
			p.Unit, strconv.FormatInt(p.Count, 10), p.Label})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write throughput series: %w", err)
	}
	return nil
}
