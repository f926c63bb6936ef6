package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"

	"github.com/learnergraph/importer/checkpoint"
)

//go:embed page.html.tmpl
var pageTemplate string

//go:embed page.css
var pageCSS string

var page = template.Must(template.New("page").Funcs(template.FuncMap{
	"count": count,
	"pct":   func(a, b int64) string { return pct(float64(a), float64(b)) },
	"secs":  secs,
	"rate":  func(n int64, s float64) string { return count(int64(math.Round(float64(n) / math.Max(s, 1e-9)))) },
	"css":   func() template.CSS { return template.CSS(pageCSS) },
	"chart": renderChart,
	"cell":  cell,
	"width": func(v, max int64) string { return fmt.Sprintf("%.1f%%", 100*float64(v)/math.Max(float64(max), 1)) },
	"rowsChart": func(r checkpoint.Rows) template.HTML {
		s := stack{groups: []string{"rows read"}, cats: []string{"staged", "duplicates (staged again)", "rejected"},
			values: map[string]map[string]float64{"rows read": {"staged": float64(r.Staged - r.Duplicates),
				"duplicates (staged again)": float64(r.Duplicates), "rejected": float64(r.Rejected)}}}
		return template.HTML(shares(s, "rows read"))
	},
	"rejectChart": func(rs []RejectReason) template.HTML {
		var items []item
		for _, r := range rs {
			items = append(items, item{label: r.Reason, value: float64(r.Count)})
		}
		return template.HTML(hbars(items, false, "reject reasons"))
	},
	"passChart": func(p *Pass, title string) template.HTML { return template.HTML(area(p, title)) },
	"maxInNeo4j": func(es []EntityCount) int64 {
		var m int64
		for _, e := range es {
			m = max(m, e.InNeo4j, e.Staged)
		}
		return m
	},
	"components": func(rows [][]any) map[string]string {
		c, n, l := componentSummary(rows)
		return map[string]string{"components": count(c), "nodes": count(n), "largest": count(l), "share": pct(float64(l), float64(n))}
	},
	"totals": func(es []EntityCount) map[string]int64 {
		m := map[string]int64{}
		for _, e := range es {
			m[e.Kind] += e.InNeo4j
		}
		return m
	},
}).Parse(pageTemplate))

// WriteHTML renders the report as one self-contained page.
func WriteHTML(w io.Writer, rep *Report) error {
	return page.Execute(w, rep)
}

// renderChart draws a result by its chart kind.
func renderChart(r Result) template.HTML {
	var items []item
	for _, row := range r.Rows {
		if len(row) == 0 {
			continue
		}
		it := item{label: text(row[0]), value: number(row[len(row)-1])}
		if r.Chart == ChartBarPart && len(row) >= 2 {
			it.value, it.part = number(row[len(row)-2]), number(row[len(row)-1])
		}
		items = append(items, it)
	}
	var svg string
	switch r.Chart {
	case ChartBar:
		svg = hbars(items, false, r.Title)
	case ChartBarPart:
		svg = hbars(items, true, r.Title)
	case ChartColumns:
		svg = columns(items, r.Title)
	case ChartShares:
		svg = shares(stackOf(r.Rows), r.Title)
	case ChartStacked:
		svg = stacked(stackOf(r.Rows), r.Title)
	case ChartDegrees:
		svg = degreeGrid(r.Bins, r.Title)
	case ChartComponents:
		svg = componentChart(r.Rows, r.Title)
	}
	if len(r.Rows) == 0 && len(r.Bins) == 0 {
		return template.HTML(`<p class="empty">No rows.</p>`)
	}
	return template.HTML(svg)
}

// cell formats a value for the data tables.
func cell(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case int64:
		return count(x)
	case float64:
		return fmt.Sprintf("%.4g", x)
	}
	return fmt.Sprint(v)
}

// secs formats seconds: 0.4 s, 12.3 s, 4 min 05 s.
func secs(s float64) string {
	switch {
	case s >= 60:
		m := int(s) / 60
		return fmt.Sprintf("%d min %02d s", m, int(math.Round(s))-60*m)
	case s >= 10:
		return fmt.Sprintf("%.0f s", s)
	}
	return strings.Replace(fmt.Sprintf("%.1f s", s), ".0 s", " s", 1)
}
