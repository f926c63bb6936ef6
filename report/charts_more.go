package report

import (
	"fmt"
	"math"
	"strings"
)

// area draws a pass's rate over its working time as a filled step chart.
func area(p *Pass, title string) string {
	var b strings.Builder
	const h, top = 200, 10
	svgOpen(&b, chartW, h+axisBottom, title)
	maxR, maxT := 0.0, p.Seconds
	for _, q := range p.Points {
		maxR = math.Max(maxR, q.Rate)
	}
	ys, xs := ticks(maxR, 4), ticks(maxT, 8)
	yTop, xTop := ys[len(ys)-1], xs[len(xs)-1]
	plotW := float64(chartW - axisLeft - 16)
	x := func(t float64) float64 { return float64(axisLeft) + t/xTop*plotW }
	y := func(r float64) float64 { return top + h - r/yTop*h }
	for _, v := range ys {
		fmt.Fprintf(&b, `<line class="grid" x1="%d" x2="%d" y1="%.1f" y2="%.1f"/><text class="tick" x="%d" y="%.1f" text-anchor="end">%s</text>`,
			axisLeft, chartW-16, y(v), y(v), axisLeft-6, y(v)+4, short(v))
	}
	for _, v := range xs {
		fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%d" text-anchor="middle">%s</text>`, x(v), top+h+16, short(v))
	}
	fmt.Fprintf(&b, `<text class="tick" x="%d" y="%d" text-anchor="end">seconds of work</text>`, chartW-16, top+h+34)
	var path strings.Builder
	fmt.Fprintf(&path, "M%.1f %.1f", x(0), y(0))
	prev := 0.0
	for _, q := range p.Points {
		fmt.Fprintf(&path, " L%.1f %.1f L%.1f %.1f", x(prev), y(q.Rate), x(q.T), y(q.Rate))
		prev = q.T
	}
	fmt.Fprintf(&path, " L%.1f %.1f Z", x(prev), y(0))
	fmt.Fprintf(&b, `<path d="%s" fill="#dbeafe" stroke="%s" stroke-width="1.5" stroke-linejoin="round"/>`, path.String(), palette[0])
	fmt.Fprintf(&b, `<line class="axis" x1="%d" x2="%d" y1="%.1f" y2="%.1f"/>`, axisLeft, chartW-16, y(0), y(0))
	b.WriteString("</svg>")
	return b.String()
}

// degreeGrid draws one small log-log histogram per group of bins.
func degreeGrid(bins []Bin, title string) string {
	var groups []string
	byGroup := map[string][]Bin{}
	for _, bn := range bins {
		if byGroup[bn.Group] == nil {
			groups = append(groups, bn.Group)
		}
		byGroup[bn.Group] = append(byGroup[bn.Group], bn)
	}
	const cellW, cellH, cols, plotH = 250, 150, 3, 90
	rows := (len(groups) + cols - 1) / cols
	var b strings.Builder
	svgOpen(&b, cols*cellW+10, max(rows, 1)*cellH, title)
	for i, g := range groups {
		ox, oy := 10+(i%cols)*cellW, (i/cols)*cellH
		fmt.Fprintf(&b, `<text class="small-title" x="%d" y="%d">%s</text>`, ox, oy+16, esc(g))
		bs := byGroup[g]
		maxC := 1.0
		for _, bn := range bs {
			maxC = math.Max(maxC, float64(bn.Count))
		}
		decades := math.Max(1, math.Ceil(math.Log10(maxC+1)))
		y := func(c float64) float64 { return float64(oy+28+plotH) - math.Log10(c+1)/decades*plotH }
		for d := 0.0; d <= decades; d++ {
			yy := y(math.Pow(10, d) - 1)
			fmt.Fprintf(&b, `<line class="grid" x1="%d" x2="%d" y1="%.1f" y2="%.1f"/><text class="tick" x="%d" y="%.1f" text-anchor="end">%s</text>`,
				ox+34, ox+cellW-16, yy, yy, ox+30, yy+4, short(math.Pow(10, d)))
		}
		slot := float64(cellW-52) / float64(len(bs))
		for j, bn := range bs {
			x := float64(ox+36) + float64(j)*slot
			label := fmt.Sprint(bn.Low)
			if bn.High > bn.Low {
				label = fmt.Sprintf("%s–%s", short(float64(bn.Low)), short(float64(bn.High)))
			}
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>degree %s: %s nodes</title></rect>`,
				x+slot*0.1, y(float64(bn.Count)), slot*0.8, y(0)-y(float64(bn.Count)), palette[i%len(palette)], label, count(bn.Count))
			if len(bs) <= 8 || j%2 == 0 {
				fmt.Fprintf(&b, `<text class="tick small" x="%.1f" y="%d" text-anchor="middle">%s</text>`, x+slot/2, oy+28+plotH+13, short(float64(bn.Low)))
			}
		}
	}
	b.WriteString("</svg>")
	return b.String()
}

// componentSummary is the headline of the component result: how many
// components, and the largest's share of the nodes.
func componentSummary(rows [][]any) (components, nodes, largest int64) {
	for i, row := range rows {
		l, h, n := row[0].(int64), row[1].(int64), row[2].(int64)
		components += n
		nodes += (l + h) * n
		if i == 0 {
			largest = l + h
		}
	}
	return components, nodes, largest
}

// componentChart draws the components by size, as columns on a log scale
// of how many components have each shape.
func componentChart(rows [][]any, title string) string {
	var items []item
	for _, row := range rows {
		l, h, n := row[0].(int64), row[1].(int64), row[2].(int64)
		items = append(items, item{label: fmt.Sprintf("%s learners + %s skills/programs", count(l), count(h)), value: float64(n)})
	}
	if len(items) > 12 {
		items = items[:12]
	}
	return hbars(items, false, title)
}
