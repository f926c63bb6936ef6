package model

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ReportSection is one section of `importer report`'s page, declared with
// the mapping: its named queries, in page order. The generic section
// (counts, degrees, densest nodes) needs no declaration: every mapping
// gets it, in the section with ID "shape" (appended when not declared).
type ReportSection struct {
	// ID names the section (an anchor on the page, the section of
	// report.json); Title is its heading.
	ID      string        `yaml:"section"`
	Title   string        `yaml:"title"`
	Queries []ReportQuery `yaml:"queries"`
}

// ReportQuery is one named query of a report section: read-only Cypher
// the report runs in a read transaction, and how its result is drawn.
type ReportQuery struct {
	Name  string `yaml:"name"`
	Title string `yaml:"title"`
	// Chart is one of ChartKinds.
	Chart string `yaml:"chart"`
	// Needs names the labels and relationship types the query reads: when
	// the graph holds none of one of them, the query is left out with a
	// note.
	Needs  []string `yaml:"needs"`
	Note   string   `yaml:"note"`
	Cypher string   `yaml:"cypher"`
	// Center and Via declare a ChartComponents query instead of Cypher:
	// the connected components of the Center label's nodes joined through
	// the Via relationship types (which start at Center) to their ends.
	Center string   `yaml:"center"`
	Via    []string `yaml:"via"`
}

// ChartComponents is the chart kind of a components query (Center, Via).
const ChartComponents = "components"

// ChartKinds are the chart kinds a report query may declare (package
// report draws them; its tests hold both lists equal).
var ChartKinds = []string{"bar", "bar-part", "columns", "shares", "stacked", "degrees", ChartComponents, "table"}

// report checks the report part: sections and names given once, known
// chart kinds, needs and components that name the schema's labels and
// types.
func (v *validator) report() {
	labels, types := map[string]bool{}, map[string]Rel{}
	for _, n := range v.m.Nodes {
		labels[n.Label] = true
	}
	for _, r := range v.m.Rels {
		types[r.Type] = r
	}
	sections := map[string]bool{}
	for i, s := range v.m.Report {
		p := at("report", i)
		switch {
		case s.ID == "":
			v.errorf(p, "a report section without a name (section:)")
		case s.ID == "import":
			v.errorf(append(p, "section"), "report section %q: the import section is the report's own", s.ID)
		case sections[s.ID]:
			v.errorf(append(p, "section"), "duplicate report section %q", s.ID)
		}
		sections[s.ID] = true
		if s.Title == "" {
			v.errorf(p, "report section %q has no title", s.ID)
		}
		names := map[string]bool{}
		for j, q := range s.Queries {
			qp := append(slices.Clone(p), "queries", j)
			if q.Name == "" {
				v.errorf(qp, "a report query without a name")
			} else if names[q.Name] {
				v.errorf(append(qp, "name"), "duplicate report query %q in section %q", q.Name, s.ID)
			}
			names[q.Name] = true
			v.reportQuery(qp, q, labels, types)
		}
	}
}

// reportQuery checks one report query.
func (v *validator) reportQuery(p []any, q ReportQuery, labels map[string]bool, types map[string]Rel) {
	if q.Title == "" {
		v.errorf(p, "report query %q has no title", q.Name)
	}
	if !slices.Contains(ChartKinds, q.Chart) {
		v.errorf(append(p, "chart"), "report query %q: chart %q: one of %s", q.Name, q.Chart, strings.Join(ChartKinds, ", "))
	}
	for k, need := range q.Needs {
		if _, ok := types[need]; !ok && !labels[need] {
			v.errorf(append(slices.Clone(p), "needs", k), "report query %q needs %q, which is not a label or relationship type of this mapping", q.Name, need)
		}
	}
	if q.Chart != ChartComponents {
		if q.Cypher == "" {
			v.errorf(p, "report query %q has no cypher", q.Name)
		}
		v.cypher(append(slices.Clone(p), "cypher"), q)
		if q.Center != "" || len(q.Via) > 0 {
			v.errorf(p, "report query %q: center and via are for chart %s only", q.Name, ChartComponents)
		}
		return
	}
	if q.Cypher != "" {
		v.errorf(append(p, "cypher"), "report query %q: a %s query has center and via, not cypher", q.Name, ChartComponents)
	}
	if !labels[q.Center] {
		v.errorf(append(p, "center"), "report query %q: center %q is not a declared node label", q.Name, q.Center)
	}
	if len(q.Via) == 0 {
		v.errorf(p, "report query %q: via names no relationship type", q.Name)
	}
	for k, t := range q.Via {
		if r, ok := types[t]; !ok || r.From != q.Center {
			v.errorf(append(slices.Clone(p), "via", k), "report query %q: via %q is not a relationship type starting at %s", q.Name, t, q.Center)
		}
	}
}

// cypher checks a query's Cypher (checkCypher), each mistake at its own
// line: a block scalar's text starts on the line after its indicator (|
// or >; a folded one's lines are joined, so its mistakes are at its
// first).
func (v *validator) cypher(p []any, q ReportQuery) {
	n := v.pos.node(p...)
	if n == nil {
		return
	}
	first, literal := n.Line, n.Style&yaml.LiteralStyle != 0
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		first++
	}
	for _, m := range checkCypher(q.Cypher) {
		line := first
		if literal {
			line += m.line
		}
		v.errs.List = append(v.errs.List, Error{File: v.m.Source, Line: line, Msg: fmt.Sprintf("report query %q: %s", q.Name, m.msg)})
	}
}
