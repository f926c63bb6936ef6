package report

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/learnergraph/importer/checkpoint"
)

// Reader runs one read-only query with a time limit (graphwrite.Graph).
type Reader interface {
	Read(ctx context.Context, cypher string, params map[string]any, timeout time.Duration) ([]string, [][]any, error)
	Address() string
	Database() string
}

// Defaults of Options.
const (
	DefaultTimeout  = 2 * time.Minute
	DefaultParallel = 2
)

// ErrQueries is returned by Build, with the report, when queries failed:
// the report says which and why.
var ErrQueries = errors.New("some report queries failed")

// Options tune Build. Zero values take the defaults.
type Options struct {
	// StatePath names the state file in the report.
	StatePath string
	// Timeout bounds each query (Neo4j stops its transaction).
	Timeout time.Duration
	// Parallel is how many queries run at once.
	Parallel int
	// Progress receives one line per query as it starts and ends.
	Progress io.Writer
	// Baseline, when set, is shown beside the import's rate.
	Baseline *Baseline
}

func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Parallel <= 0 {
		o.Parallel = DefaultParallel
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	return o
}

// Build reads the state file and queries Neo4j, and returns the report:
// the import section, the sections the state file's mapping declares, and
// the generic queries of its schema. A failed query does not stop the
// others: its result carries the error, and Build returns the report with
// an error wrapping ErrQueries.
func Build(ctx context.Context, g Reader, db checkpoint.DB, opt Options) (*Report, error) {
	opt = opt.withDefaults()
	start := time.Now()
	rep := &Report{Generated: start.UTC(), State: opt.StatePath, Neo4j: g.Address(), Database: g.Database()}
	imp, err := readImport(db)
	if err != nil {
		return nil, err
	}
	imp.Baseline = opt.Baseline
	m, schema, err := readModel(db)
	if err != nil {
		return nil, err
	}
	specs, declared := Declared(m)
	r := &runner{g: g, opt: opt, schema: schema}
	queries := append(declared, GenericQueries(schema)...)
	r.total = len(queries) + 1
	present, err := r.counts(ctx, &imp)
	if err != nil {
		return nil, err
	}
	rep.Import = imp
	results := make([]Result, len(queries))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range opt.Parallel {
		wg.Go(func() {
			for i := range jobs {
				results[i] = r.run(ctx, queries[i], present)
			}
		})
	}
	for i := range queries {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	rep.Sections = sections(specs, queries, results)
	rep.Seconds = round(time.Since(start).Seconds(), 3)
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	var failed []string
	for i, res := range results {
		if res.Error != "" {
			failed = append(failed, queries[i].Section+"/"+queries[i].Name)
		}
	}
	if len(failed) > 0 {
		return rep, fmt.Errorf("%w: %s (the report says why)", ErrQueries, strings.Join(failed, ", "))
	}
	return rep, nil
}

// runner runs the queries of one report.
type runner struct {
	g      Reader
	opt    Options
	schema Schema
	mu     sync.Mutex
	n      int
	total  int
}

// logf prints one progress line.
func (r *runner) logf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintf(r.opt.Progress, "report: "+format+"\n", args...)
}

// begin numbers a query and prints its start.
func (r *runner) begin(name string) int {
	r.mu.Lock()
	r.n++
	n := r.n
	r.mu.Unlock()
	r.logf("[%d/%d] %s: running (time limit %s)", n, r.total, name, r.opt.Timeout)
	return n
}

// read runs one query and converts its values to JSON's (strings,
// integers, floats, booleans, null).
func (r *runner) read(ctx context.Context, cypher string, params map[string]any) ([]string, [][]any, error) {
	keys, rows, err := r.g.Read(ctx, cypher, params, r.opt.Timeout)
	if err != nil {
		return nil, nil, err
	}
	for _, row := range rows {
		for i, v := range row {
			row[i] = plain(v)
		}
	}
	return keys, rows, nil
}

// counts counts the nodes and relationships in Neo4j, fills the import
// section's entity table with them, and returns the labels and types the
// graph holds.
func (r *runner) counts(ctx context.Context, imp *Import) (map[string]bool, error) {
	n := r.begin("import/counts")
	start := time.Now()
	imp.Cypher = countsCypher(r.schema)
	_, rows, err := r.read(ctx, imp.Cypher, nil)
	if err != nil {
		return nil, fmt.Errorf("count the graph: %w", err)
	}
	present := map[string]bool{}
	inNeo4j := map[string]int64{}
	for _, row := range rows {
		name, _ := row[1].(string)
		c, _ := row[2].(int64)
		inNeo4j[row[0].(string)+"/"+name] = c
		present[name] = c > 0
	}
	imp.Disagree = []string{}
	for i, e := range imp.Entities {
		imp.Entities[i].InNeo4j = inNeo4j[e.Kind+"/"+e.Name]
		if imp.Entities[i].InNeo4j != e.Staged {
			imp.Disagree = append(imp.Disagree, fmt.Sprintf("%s %s: %d staged, %d in Neo4j", e.Kind, e.Name, e.Staged, imp.Entities[i].InNeo4j))
		}
	}
	r.logf("[%d/%d] import/counts: %d labels and types in %.1f s", n, r.total, len(rows), time.Since(start).Seconds())
	return present, nil
}

// run runs one query, unless the graph lacks what it needs.
func (r *runner) run(ctx context.Context, q Query, present map[string]bool) Result {
	res := Result{Name: q.Name, Title: q.Title, Chart: q.Chart, Cypher: q.Cypher, Note: q.Note, Columns: []string{}, Rows: [][]any{}}
	var absent []string
	for _, need := range q.Needs {
		if !present[need] {
			absent = append(absent, need)
		}
	}
	name := q.Section + "/" + q.Name
	if len(absent) > 0 {
		res.Skipped = "the graph holds no " + strings.Join(absent, ", ")
		r.logf("%s: left out: %s", name, res.Skipped)
		return res
	}
	n := r.begin(name)
	start := time.Now()
	var err error
	if q.Components != nil {
		err = r.components(ctx, q, &res)
	} else {
		res.Columns, res.Rows, err = r.read(ctx, q.Cypher, nil)
	}
	res.Seconds = round(time.Since(start).Seconds(), 3)
	if err != nil {
		res.Error = oneLine(err.Error())
		r.logf("[%d/%d] %s: failed after %.1f s: %s", n, r.total, name, res.Seconds, res.Error)
		return res
	}
	if q.Chart == ChartDegrees {
		res.Bins = degreeBins(res.Rows)
	}
	r.logf("[%d/%d] %s: %d rows in %.1f s", n, r.total, name, len(res.Rows), res.Seconds)
	return res
}

// sections groups the results by section, in page order.
func sections(specs []SectionSpec, queries []Query, results []Result) []Section {
	var out []Section
	for _, st := range specs {
		s := Section{ID: st.ID, Title: st.Title, Results: []Result{}}
		var skipped []string
		for i, q := range queries {
			if q.Section != st.ID {
				continue
			}
			if results[i].Skipped != "" {
				skipped = append(skipped, fmt.Sprintf("%s (%s)", q.Name, results[i].Skipped))
				continue
			}
			s.Results = append(s.Results, results[i])
		}
		if len(skipped) > 0 {
			s.Note = "Left out: " + strings.Join(skipped, "; ") + "."
		}
		if len(s.Results) == 0 && len(skipped) == 0 {
			continue
		}
		out = append(out, s)
	}
	return out
}

// degreeBins groups degree rows (relationship, degree, nodes) into powers
// of two per relationship: 0, 1, 2–3, 4–7, ...
func degreeBins(rows [][]any) []Bin {
	var out []Bin
	index := map[string]int{}
	for _, row := range rows {
		group, _ := row[0].(string)
		d, _ := row[1].(int64)
		n, _ := row[2].(int64)
		low, high := binOf(d)
		key := fmt.Sprintf("%s/%d", group, low)
		i, ok := index[key]
		if !ok {
			i = len(out)
			index[key] = i
			out = append(out, Bin{Group: group, Low: low, High: high})
		}
		out[i].Count += n
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Group != out[j].Group {
			return out[i].Group < out[j].Group
		}
		return out[i].Low < out[j].Low
	})
	return out
}

// binOf is the power-of-two bin [low, high] holding d.
func binOf(d int64) (low, high int64) {
	if d <= 0 {
		return 0, 0
	}
	low = 1
	for low*2 <= d {
		low *= 2
	}
	return low, low*2 - 1
}

// plain converts a driver value to a JSON value.
func plain(v any) any {
	switch x := v.(type) {
	case nil, string, int64, bool:
		return x
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return x
	case dbtype.Date:
		return x.Time().Format("2006-01-02")
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plain(e)
		}
		return out
	default:
		return fmt.Sprint(x)
	}
}

func round(v float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(v*p) / p
}

// oneLine joins a multi-line message (Neo4j's errors have several).
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
