package report

import (
	"math"

	"github.com/learnergraph/importer/checkpoint"
)

// maxPoints is about how many time bins a pass's chart has.
const maxPoints = 120

// passOf turns a pass's samples into its throughput: the working time of
// its runs laid end to end (a resume continues where the run before it
// stopped, so a pause between runs is not drawn), each sample's count
// spread evenly over the time since the sample before it, in bins of a
// round width. No samples: nil.
func passOf(samples []checkpoint.Sample, unit string) *Pass {
	type span struct {
		from, to float64 // working seconds
		count    int64
	}
	var spans []span
	p := &Pass{Unit: unit, Points: []Point{}}
	var offset, prev float64
	var runStart checkpoint.Sample
	started := false
	for _, s := range samples {
		if s.Start || !started {
			if started {
				offset = prev
			}
			runStart, started = s, true
			p.Runs++
			prev = offset
			if s.Start {
				continue
			}
		}
		t := offset + math.Max(0, s.At.Sub(runStart.At).Seconds())
		n := s.Rows + s.Nodes + s.Relationships
		spans = append(spans, span{from: prev, to: t, count: n})
		p.Count += n
		p.Batches++
		p.Retries += s.Retries
		prev = t
	}
	if !started {
		return nil
	}
	p.Seconds = round(prev, 3)
	if prev <= 0 {
		return p
	}
	p.Window = niceWindow(prev / maxPoints)
	bins := make([]float64, int(math.Ceil(prev/p.Window)))
	for _, sp := range spans {
		spread(bins, p.Window, sp.from, sp.to, float64(sp.count))
	}
	for i, c := range bins {
		from, to := float64(i)*p.Window, math.Min(float64(i+1)*p.Window, prev)
		p.Points = append(p.Points, Point{T: round(to, 3), Count: int64(math.Round(c)), Rate: round(c/math.Max(to-from, 1e-9), 1)})
	}
	return p
}

// spread adds n to the bins over [from, to], in proportion to the time in
// each; an instant goes to the bin it falls in.
func spread(bins []float64, w, from, to, n float64) {
	last := len(bins) - 1
	if to <= from {
		bins[min(int(to/w), last)] += n
		return
	}
	for i := min(int(from/w), last); i <= last; i++ {
		lo, hi := math.Max(from, float64(i)*w), math.Min(to, float64(i+1)*w)
		if i == last {
			hi = to
		}
		if hi > lo {
			bins[i] += n * (hi - lo) / (to - from)
		}
		if float64(i+1)*w >= to {
			return
		}
	}
}

// niceWindow is the smallest round bin width (1, 2, 5 × a power of ten
// seconds, at least 1 s) not below w.
func niceWindow(w float64) float64 {
	for mag := 1.0; ; mag *= 10 {
		for _, m := range []float64{1, 2, 5} {
			if m*mag >= w {
				return m * mag
			}
		}
	}
}
