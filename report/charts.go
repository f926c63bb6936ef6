package report

import (
	"fmt"
	"html"
	"math"
	"strings"
)

// The charts: inline SVG, sized by their viewBox (the page scales them to
// its width), styled by the page's CSS classes, text escaped.

// palette colours the categories of a chart, in order.
var palette = []string{"#2563eb", "#f59e0b", "#10b981", "#e11d48", "#8b5cf6", "#0ea5e9", "#f97316", "#14b8a6", "#a3a3a3", "#db2777"}

const (
	chartW     = 760
	labelW     = 230
	barH       = 20
	barGap     = 6
	valueRoom  = 90
	columnsH   = 220
	axisBottom = 46
	axisLeft   = 56
)

// item is one bar: its label, its value and, for a part-of bar, the part.
type item struct {
	label string
	value float64
	part  float64
}

func svgOpen(b *strings.Builder, w, h int, title string) {
	fmt.Fprintf(b, `<svg class="chart" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`, w, h, w, h, esc(title))
}

func esc(s string) string { return html.EscapeString(s) }

// clip shortens a label to n runes.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// hbars draws horizontal bars, longest scale first; a bar with a part
// draws the part darker over it and writes its share.
func hbars(items []item, withPart bool, title string) string {
	var b strings.Builder
	h := len(items)*(barH+barGap) + barGap
	svgOpen(&b, chartW, h, title)
	maxV := 0.0
	for _, it := range items {
		maxV = math.Max(maxV, it.value)
	}
	plot := float64(chartW - labelW - valueRoom)
	if withPart {
		plot -= 80 // room for "12 of 40 (30%)"
	}
	for i, it := range items {
		y := barGap + i*(barH+barGap)
		w := 0.0
		if maxV > 0 {
			w = math.Max(it.value/maxV*plot, 1)
		}
		fmt.Fprintf(&b, `<text class="label" x="%d" y="%d" text-anchor="end">%s<title>%s</title></text>`, labelW-8, y+barH-6, esc(clip(it.label, 34)), esc(it.label))
		fill := palette[0]
		if withPart {
			fill = "#bfdbfe"
		}
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="%d" rx="3" fill="%s"/>`, labelW, y, w, barH, fill)
		value := count(int64(it.value))
		if withPart {
			pw := 0.0
			if maxV > 0 {
				pw = it.part / maxV * plot
			}
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="%d" rx="3" fill="%s"/>`, labelW, y, pw, barH, palette[0])
			value = fmt.Sprintf("%s of %s (%s)", count(int64(it.part)), count(int64(it.value)), pct(it.part, it.value))
		}
		fmt.Fprintf(&b, `<text class="value" x="%.1f" y="%d">%s</text>`, float64(labelW)+w+6, y+barH-6, esc(value))
	}
	b.WriteString("</svg>")
	return b.String()
}

// columns draws vertical bars in order, with a y axis; log scales the y
// axis (for counts spanning orders of magnitude).
func columns(items []item, title string) string {
	var b strings.Builder
	h := columnsH + axisBottom + 12
	svgOpen(&b, chartW, h, title)
	maxV := 0.0
	for _, it := range items {
		maxV = math.Max(maxV, it.value)
	}
	ys := ticks(maxV, 4)
	top := ys[len(ys)-1]
	plotW := float64(chartW - axisLeft - 10)
	y := func(v float64) float64 { return 10 + columnsH - v/top*columnsH }
	for _, v := range ys {
		fmt.Fprintf(&b, `<line class="grid" x1="%d" x2="%d" y1="%.1f" y2="%.1f"/><text class="tick" x="%d" y="%.1f" text-anchor="end">%s</text>`,
			axisLeft, chartW-10, y(v), y(v), axisLeft-6, y(v)+4, short(v))
	}
	n := max(len(items), 1)
	slot := plotW / float64(n)
	every := int(math.Ceil(float64(n) / 16)) // at most ~16 x labels
	for i, it := range items {
		x := float64(axisLeft) + float64(i)*slot
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="2" fill="%s"><title>%s: %s</title></rect>`,
			x+slot*0.12, y(it.value), slot*0.76, y(0)-y(it.value), palette[0], esc(it.label), count(int64(it.value)))
		if i%every == 0 {
			fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%d" text-anchor="middle">%s</text>`, x+slot/2, 10+columnsH+16, esc(clip(it.label, 10)))
		}
	}
	fmt.Fprintf(&b, `<line class="axis" x1="%d" x2="%d" y1="%.1f" y2="%.1f"/>`, axisLeft, chartW-10, y(0), y(0))
	b.WriteString("</svg>")
	return b.String()
}

// stack is a chart of groups split into categories.
type stack struct {
	groups, cats []string
	values       map[string]map[string]float64
}

func stackOf(rows [][]any) stack {
	s := stack{values: map[string]map[string]float64{}}
	seenCat := map[string]bool{}
	for _, row := range rows {
		g, c, v := text(row[0]), text(row[1]), number(row[len(row)-1])
		if s.values[g] == nil {
			s.values[g] = map[string]float64{}
			s.groups = append(s.groups, g)
		}
		s.values[g][c] += v
		if !seenCat[c] {
			seenCat[c] = true
			s.cats = append(s.cats, c)
		}
	}
	return s
}

func (s stack) legend(b *strings.Builder, y int) {
	x := 8
	for i, c := range s.cats {
		fmt.Fprintf(b, `<rect x="%d" y="%d" width="12" height="12" rx="2" fill="%s"/><text class="legend" x="%d" y="%d">%s</text>`,
			x, y, palette[i%len(palette)], x+16, y+10, esc(clip(c, 22)))
		x += 28 + 7*len([]rune(clip(c, 22)))
	}
}

// shares draws one 100% bar per group, split by category, with each
// segment's share written when it fits.
func shares(s stack, title string) string {
	var b strings.Builder
	h := 28 + len(s.groups)*(barH+barGap) + barGap
	svgOpen(&b, chartW, h, title)
	s.legend(&b, 4)
	plot := float64(chartW - labelW - 12)
	for i, g := range s.groups {
		y := 28 + barGap + i*(barH+barGap)
		total := 0.0
		for _, v := range s.values[g] {
			total += v
		}
		fmt.Fprintf(&b, `<text class="label" x="%d" y="%d" text-anchor="end">%s<title>%s</title></text>`, labelW-8, y+barH-6, esc(clip(g, 34)), esc(g))
		x := float64(labelW)
		for j, c := range s.cats {
			v := s.values[g][c]
			if v == 0 || total == 0 {
				continue
			}
			w := v / total * plot
			fmt.Fprintf(&b, `<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"><title>%s, %s: %s (%s)</title></rect>`,
				x, y, w, barH, palette[j%len(palette)], esc(g), esc(c), count(int64(v)), pct(v, total))
			if w > 34 {
				fmt.Fprintf(&b, `<text class="inbar" x="%.1f" y="%d" text-anchor="middle">%s</text>`, x+w/2, y+barH-6, pct(v, total))
			}
			x += w
		}
	}
	b.WriteString("</svg>")
	return b.String()
}

// stacked draws vertical bars per group, stacked by category.
func stacked(s stack, title string) string {
	var b strings.Builder
	h := 24 + columnsH + axisBottom
	svgOpen(&b, chartW, h, title)
	s.legend(&b, 4)
	maxV := 0.0
	for _, g := range s.groups {
		t := 0.0
		for _, v := range s.values[g] {
			t += v
		}
		maxV = math.Max(maxV, t)
	}
	ys := ticks(maxV, 4)
	top := ys[len(ys)-1]
	y := func(v float64) float64 { return 34 + columnsH - v/top*columnsH }
	for _, v := range ys {
		fmt.Fprintf(&b, `<line class="grid" x1="%d" x2="%d" y1="%.1f" y2="%.1f"/><text class="tick" x="%d" y="%.1f" text-anchor="end">%s</text>`,
			axisLeft, chartW-10, y(v), y(v), axisLeft-6, y(v)+4, short(v))
	}
	slot := float64(chartW-axisLeft-10) / float64(max(len(s.groups), 1))
	for i, g := range s.groups {
		x := float64(axisLeft) + float64(i)*slot
		base := 0.0
		for j, c := range s.cats {
			v := s.values[g][c]
			if v == 0 {
				continue
			}
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s, %s: %s</title></rect>`,
				x+slot*0.15, y(base+v), slot*0.7, y(base)-y(base+v), palette[j%len(palette)], esc(g), esc(c), count(int64(v)))
			base += v
		}
		fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%d" text-anchor="middle">%s</text>`, x+slot/2, 34+columnsH+16, esc(clip(g, 10)))
	}
	fmt.Fprintf(&b, `<line class="axis" x1="%d" x2="%d" y1="%.1f" y2="%.1f"/>`, axisLeft, chartW-10, y(0), y(0))
	b.WriteString("</svg>")
	return b.String()
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
	trim := func(s string) string { return strings.TrimSuffix(s, ".0") }
	switch a := math.Abs(v); {
	case a >= 1e6:
		return trim(fmt.Sprintf("%.1f", v/1e6)) + "M"
	case a >= 1e4:
		return fmt.Sprintf("%.0fk", v/1e3)
	case a >= 1e3:
		return trim(fmt.Sprintf("%.1f", v/1e3)) + "k"
	}
	return trim(fmt.Sprintf("%.1f", v))
}

// count formats an integer with thousands separators.
func count(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// pct is part of total as a percentage.
func pct(part, total float64) string {
	if total <= 0 {
		return "–"
	}
	p := 100 * part / total
	if p < 10 {
		return fmt.Sprintf("%.1f%%", p)
	}
	return fmt.Sprintf("%.0f%%", p)
}

// text is a cell as a label.
func text(v any) string {
	if v == nil {
		return "(none)"
	}
	return fmt.Sprint(v)
}

// number is a cell as a number (0 if it is none).
func number(v any) float64 {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	}
	return 0
}
