package main

import (
	"fmt"
	"html"
	"math"
	"strings"
)

// panel is one chart of the SVG: a phase's rate over time.
type panel struct {
	Title  string
	Points []Point
	Bands  []band // shaded spans naming what was in progress
}

// Chart geometry, in SVG user units.
const (
	chartWidth  = 960
	panelHeight = 200
	marginLeft  = 72
	marginRight = 24
	panelTop    = 36 // room for the panel title
	panelBottom = 40 // room for the x axis labels
	titleHeight = 34
)

// chart draws the panels one above the other as a self-contained SVG line
// chart: per panel a step line of the rate over the seconds since its
// phase started, axes with round ticks, and shaded bands naming what was
// in progress (the load's buckets).
func chart(title string, panels []panel) string {
	var b strings.Builder
	height := titleHeight + len(panels)*(panelTop+panelHeight+panelBottom)
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n",
		chartWidth, height, chartWidth, height)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/>`+"\n", chartWidth, height)
	fmt.Fprintf(&b, `<text x="%d" y="22" font-size="16" font-weight="bold">%s</text>`+"\n", marginLeft, html.EscapeString(title))
	for i, p := range panels {
		top := titleHeight + i*(panelTop+panelHeight+panelBottom) + panelTop
		drawPanel(&b, p, top)
	}
	b.WriteString("</svg>\n")
	return b.String()
}

func drawPanel(b *strings.Builder, p panel, top int) {
	plotW := float64(chartWidth - marginLeft - marginRight)
	plotH := float64(panelHeight)
	fmt.Fprintf(b, `<text x="%d" y="%d" font-size="14" font-weight="bold">%s</text>`+"\n", marginLeft, top-10, html.EscapeString(p.Title))
	if len(p.Points) == 0 {
		fmt.Fprintf(b, `<text x="%d" y="%d" fill="#888">no samples</text>`+"\n", marginLeft+10, top+panelHeight/2)
		return
	}
	maxT, maxR := 0.0, 0.0
	for _, q := range p.Points {
		maxT = math.Max(maxT, q.T)
		maxR = math.Max(maxR, q.Rate)
	}
	xs := ticks(maxT, 10)
	ys := ticks(maxR, 5)
	xMax, yMax := xs[len(xs)-1], ys[len(ys)-1]
	x := func(t float64) float64 { return float64(marginLeft) + t/xMax*plotW }
	y := func(r float64) float64 { return float64(top) + plotH - r/yMax*plotH }

	for i, band := range p.Bands {
		x0, x1 := x(band.from), x(band.to)
		if i%2 == 0 {
			fmt.Fprintf(b, `<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="#e3e9f2"/>`+"\n", x0, top, x1-x0, panelHeight)
		}
		label := html.EscapeString(band.label)
		switch w := x1 - x0; {
		case w >= 6.5*float64(len(band.label))+6:
			fmt.Fprintf(b, `<text x="%.1f" y="%d" text-anchor="middle" font-size="11" fill="#445" stroke="white" stroke-width="3" paint-order="stroke">%s</text>`+"\n", (x0+x1)/2, top+panelHeight-8, label)
		case w >= 11:
			fmt.Fprintf(b, `<text transform="translate(%.1f,%d) rotate(-90)" font-size="10" fill="#445" stroke="white" stroke-width="3" paint-order="stroke">%s</text>`+"\n",
				(x0+x1)/2+4, top+panelHeight-8, label)
		}
	}
	for _, v := range ys {
		fmt.Fprintf(b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>`+"\n", marginLeft, y(v), chartWidth-marginRight, y(v))
		fmt.Fprintf(b, `<text x="%d" y="%.1f" text-anchor="end">%s</text>`+"\n", marginLeft-6, y(v)+4, short(v))
	}
	for _, v := range xs {
		fmt.Fprintf(b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#999"/>`+"\n", x(v), top+panelHeight, x(v), top+panelHeight+4)
		fmt.Fprintf(b, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", x(v), top+panelHeight+17, short(v))
	}
	fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="end" fill="#555">seconds</text>`+"\n", chartWidth-marginRight, top+panelHeight+34)
	fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333"/>`+"\n", marginLeft, top+panelHeight, chartWidth-marginRight, top+panelHeight)
	fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333"/>`+"\n", marginLeft, top, marginLeft, top+panelHeight)
	fmt.Fprintf(b, `<path d="%s" fill="none" stroke="#1f6feb" stroke-width="2"/>`+"\n", stepPath(p.Points, x, y))
}

// stepPath draws each point's rate as a horizontal step over its window,
// from the previous point's time (0 for the first) to its own.
func stepPath(points []Point, x, y func(float64) float64) string {
	var b strings.Builder
	prevT := 0.0
	for i, p := range points {
		if i == 0 {
			fmt.Fprintf(&b, "M%.1f %.1f", x(prevT), y(p.Rate))
		} else {
			fmt.Fprintf(&b, " V%.1f", y(p.Rate))
		}
		fmt.Fprintf(&b, " H%.1f", x(p.T))
		prevT = p.T
	}
	return b.String()
}

// band is a span of time during which one thing was in progress.
type band struct {
	from, to float64 // seconds
	label    string
	cpu      float64 // Neo4j CPU seconds over the band, when sampled
}

// bands groups consecutive samples by what was in progress: a band runs
// from the sample before its first to its last. Unlabelled samples (the
// phase was done) make no band.
func bands(samples []sample) []band {
	var out []band
	var prev sample
	for _, s := range samples {
		if s.Label != "" {
			cpu := 0.0
			if s.CPU > 0 && prev.CPU > 0 {
				cpu = s.CPU - prev.CPU
			}
			if n := len(out); n > 0 && out[n-1].label == s.Label {
				out[n-1].to = s.At.Seconds()
				out[n-1].cpu += cpu
			} else {
				out = append(out, band{from: prev.At.Seconds(), to: s.At.Seconds(), label: s.Label, cpu: cpu})
			}
		}
		prev = s
	}
	return out
}

// ticks returns round axis values from 0 to at least max, about n steps
// of 1, 2 or 5 times a power of ten.
func ticks(max float64, n int) []float64 {
	if !(max > 0) {
		return []float64{0, 1}
	}
	raw := max / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 5} {
		if raw <= m*mag {
			step = m * mag
			break
		}
	}
	var out []float64
	for i := 0; ; i++ {
		v := float64(i) * step
		out = append(out, v)
		if v >= max {
			return out
		}
	}
}

// short formats an axis value: 950, 12k, 1.5M.
func short(v float64) string {
	switch a := math.Abs(v); {
	case a >= 1e6:
		return trimZero(fmt.Sprintf("%.1f", v/1e6)) + "M"
	case a >= 1e4:
		return fmt.Sprintf("%.0fk", v/1e3)
	case a >= 1e3:
		return trimZero(fmt.Sprintf("%.1f", v/1e3)) + "k"
	}
	return trimZero(fmt.Sprintf("%.1f", v))
}

func trimZero(s string) string { return strings.TrimSuffix(s, ".0") }
