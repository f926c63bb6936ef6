package report

import (
	"time"

	"github.com/learnergraph/importer/checkpoint"
)

// Report is what report.json holds; the page shows nothing else.
type Report struct {
	Generated time.Time `json:"generated"`
	State     string    `json:"state"`
	Neo4j     string    `json:"neo4j"`
	Database  string    `json:"database"`
	Import    Import    `json:"import"`
	Sections  []Section `json:"sections"`
	// Seconds is how long building the report took; each query's time is
	// in its result.
	Seconds float64 `json:"seconds"`
}

// Import is the import section: what the state file says, beside what
// Neo4j holds.
type Import struct {
	Phase    string          `json:"phase"`
	Mode     string          `json:"mode,omitempty"`
	Input    string          `json:"input,omitempty"`
	Rows     checkpoint.Rows `json:"rows"`
	Entities []EntityCount   `json:"entities"`
	// Disagree lists the labels and types whose Neo4j count differs from
	// the staged count (empty: graph and state file agree).
	Disagree []string       `json:"disagree"`
	Rejects  []RejectReason `json:"rejects"`
	Stage    *Pass          `json:"stage,omitempty"`
	Load     *Pass          `json:"load,omitempty"`
	Baseline *Baseline      `json:"baseline,omitempty"`
	// Cypher counts the nodes and relationships in Neo4j.
	Cypher string `json:"cypher"`
}

// EntityCount is one label or relationship type: staged in the state file,
// loaded by the load marks, and counted in Neo4j.
type EntityCount struct {
	Kind    string `json:"kind"` // checkpoint.KindNodes or KindRelationships
	Name    string `json:"name"`
	Staged  int64  `json:"staged"`
	Loaded  int64  `json:"loaded"`
	InNeo4j int64  `json:"inNeo4j"`
}

// RejectReason is one kind of reject reason (numbers and quoted values
// blanked out), with the first rejected row of that kind.
type RejectReason struct {
	Reason  string `json:"reason"`
	Count   int64  `json:"count"`
	Line    int64  `json:"firstLine"`
	SandID  string `json:"firstSandId,omitempty"`
	Example string `json:"firstReason"`
}

// Pass is one pass's throughput, from the state file's samples.
type Pass struct {
	Unit string `json:"unit"` // "rows" or "entities"
	// Count is the rows read or entities written over all samples.
	Count   int64   `json:"count"`
	Seconds float64 `json:"seconds"` // working time: each run from its start to its last checkpoint
	Runs    int     `json:"runs"`    // processes (a resume is another run)
	Batches int64   `json:"batches"`
	Retries int64   `json:"retries"`
	// Window is the width of each point's time bin, in seconds.
	Window float64 `json:"window"`
	Points []Point `json:"points"`
}

// Point is the rate over one time bin of a pass's working time.
type Point struct {
	T     float64 `json:"t"` // seconds of working time at the bin's end
	Count int64   `json:"count"`
	Rate  float64 `json:"rate"`
}

// Baseline is the seed's way of writing, measured by the benchmark, for
// the page to show beside the import's own rate.
type Baseline struct {
	RowsPerSec     float64 `json:"rowsPerSec"`
	ImportRowsPSec float64 `json:"importRowsPerSec"`
}

// Section is one part of the page.
type Section struct {
	ID      string   `json:"id"`
	Title   string   `json:"title"`
	Note    string   `json:"note,omitempty"`
	Results []Result `json:"results"`
}

// Result is one query's answer.
type Result struct {
	Name    string   `json:"name"`
	Title   string   `json:"title"`
	Chart   Chart    `json:"chart"`
	Cypher  string   `json:"cypher"`
	Columns []string `json:"columns"`
	Rows    [][]any  `json:"rows"`
	Seconds float64  `json:"seconds"`
	Note    string   `json:"note,omitempty"`
	// Skipped says why the query did not run (its labels are absent).
	Skipped string `json:"skipped,omitempty"`
	// Error is why the query failed (a time limit, Neo4j gone).
	Error string `json:"error,omitempty"`
	// Bins is a degree histogram's rows grouped into powers of two.
	Bins []Bin `json:"bins,omitempty"`
}

// Bin is one bar of a log-scale histogram: the values in [Low, High].
type Bin struct {
	Group string `json:"group"`
	Low   int64  `json:"low"`
	High  int64  `json:"high"`
	Count int64  `json:"count"`
}
