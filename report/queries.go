package report

import "github.com/learnergraph/importer/model"

// Chart is how a result is drawn. Every chart reads the result's columns
// by position, so a query declares its chart by the shape of what it
// returns.
type Chart string

const (
	// ChartBar: horizontal bars; the first column labels a bar, the last
	// is its length.
	ChartBar Chart = "bar"
	// ChartBarPart: horizontal bars of the second-to-last column, with the
	// part given by the last column drawn over them and its share written.
	ChartBarPart Chart = "bar-part"
	// ChartColumns: vertical bars in row order; the first column is the x
	// value, the last the height.
	ChartColumns Chart = "columns"
	// ChartShares: one 100% bar per value of the first column, split by
	// the second column's values in proportion to the last column.
	ChartShares Chart = "shares"
	// ChartStacked: vertical bars per value of the first column, stacked
	// by the second column's values.
	ChartStacked Chart = "stacked"
	// ChartDegrees: small multiples of log-scale histograms (Result.Bins).
	ChartDegrees Chart = "degrees"
	// ChartComponents: the component summary (components.go).
	ChartComponents Chart = "components"
	// ChartTable: the rows as a table only.
	ChartTable Chart = "table"
)

// Query is one named query of a report section. Needs names the labels and
// relationship types it reads: when Neo4j holds none of one of them, the
// query is left out with a note.
type Query struct {
	Section string
	Name    string
	Title   string
	Cypher  string
	Chart   Chart
	Needs   []string
	Note    string
	// Components, when set, makes the query a component labelling
	// (components.go) instead of one Cypher statement.
	Components *Components
}

// Components declares the graph whose connected components are counted:
// Center nodes (one per row: learners) joined through Via relationship
// types to shared nodes (skills, programs).
type Components struct {
	Center string
	Via    []string
}

// SectionSpec is one section of the page: its id and heading.
type SectionSpec struct{ ID, Title string }

// Generic is the section the generic queries go to; a mapping that does
// not declare it gets it last, with GenericTitle.
const (
	Generic      = "shape"
	GenericTitle = "Graph shape"
)

// Declared returns the sections and named queries m's report part
// declares (model.ReportSection), in page order, with the generic section
// last unless m declares it. A state file staged with the built-in mapping
// before it declared a report gets the built-in mapping's.
func Declared(m *model.Model) ([]SectionSpec, []Query) {
	declared := m.Report
	if len(declared) == 0 && m.Source == model.DefaultName {
		declared = model.Default().Report
	}
	var sections []SectionSpec
	var queries []Query
	generic := false
	for _, s := range declared {
		sections = append(sections, SectionSpec{ID: s.ID, Title: s.Title})
		generic = generic || s.ID == Generic
		for _, q := range s.Queries {
			d := Query{Section: s.ID, Name: q.Name, Title: q.Title, Cypher: q.Cypher, Chart: Chart(q.Chart), Needs: q.Needs, Note: q.Note}
			if q.Chart == model.ChartComponents {
				d.Components = &Components{Center: q.Center, Via: q.Via}
			}
			queries = append(queries, d)
		}
	}
	if !generic {
		sections = append(sections, SectionSpec{ID: Generic, Title: GenericTitle})
	}
	return sections, queries
}
