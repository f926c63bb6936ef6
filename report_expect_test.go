package main

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/learnergraph/importer/staging"
)

// The report's numbers, computed again here from the raw graph: every node
// and relationship read with the plainest Cypher (no aggregation), then
// counted in Go — independent of the report's queries.

type rawRel struct {
	start, end string // element ids
	p          map[string]any
}

type rawGraph struct {
	schema *staging.Schema
	nodes  map[string]map[string]map[string]any // label -> element id -> properties
	rels   map[string][]rawRel                  // type -> relationships
}

// dumpGraph reads every node and relationship of schema's labels and types.
func dumpGraph(t *testing.T, driver neo4j.DriverWithContext, database string, schema *staging.Schema) rawGraph {
	t.Helper()
	ctx := context.Background()
	q := func(cypher string) []*neo4j.Record {
		res, err := neo4j.ExecuteQuery(ctx, driver, cypher, nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(database))
		if err != nil {
			t.Fatalf("%s: %v", cypher, err)
		}
		return res.Records
	}
	g := rawGraph{schema: schema, nodes: map[string]map[string]map[string]any{}, rels: map[string][]rawRel{}}
	for _, l := range schema.Labels() {
		g.nodes[l] = map[string]map[string]any{}
		for _, r := range q("MATCH (n:`" + l + "`) RETURN elementId(n), properties(n)") {
			g.nodes[l][r.Values[0].(string)] = r.Values[1].(map[string]any)
		}
	}
	for _, typ := range schema.Types() {
		for _, r := range q("MATCH (a)-[r:`" + typ + "`]->(b) RETURN elementId(a), elementId(b), properties(r)") {
			g.rels[typ] = append(g.rels[typ], rawRel{r.Values[0].(string), r.Values[1].(string), r.Values[2].(map[string]any)})
		}
	}
	return g
}

// str is a property as a string ("" when absent).
func str(p map[string]any, k string) string {
	s, _ := p[k].(string)
	return s
}

// or is a's value, or b's when a is "".
func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func day(v any) (time.Time, bool) {
	d, ok := v.(dbtype.Date)
	return d.Time(), ok
}

// tally counts keys; rows turns it into rows sorted by count descending,
// then by the key's sort string, at most limit.
type tally struct {
	n    map[string]int64
	row  map[string][]any
	sort map[string]string
}

func newTally() *tally {
	return &tally{n: map[string]int64{}, row: map[string][]any{}, sort: map[string]string{}}
}

func (t *tally) add(key, sortKey string, row ...any) {
	t.n[key]++
	t.row[key], t.sort[key] = row, sortKey
}

func (t *tally) rows(limit int) [][]any {
	keys := make([]string, 0, len(t.n))
	for k := range t.n {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if t.n[a] != t.n[b] {
			return t.n[a] > t.n[b]
		}
		return t.sort[a] < t.sort[b]
	})
	out := [][]any{}
	for i, k := range keys {
		if limit > 0 && i == limit {
			break
		}
		out = append(out, append(append([]any(nil), t.row[k]...), t.n[k]))
	}
	return out
}

// endCounts tallies relationships of typ by end node of label, keyed by the
// node's key property, labelled by name or key.
func (g rawGraph) endCounts(typ, label, key string) *tally {
	t := newTally()
	for _, r := range g.rels[typ] {
		p := g.nodes[label][r.end]
		t.add(r.end, str(p, key), or(str(p, "name"), str(p, key)), str(p, key))
	}
	return t
}

// out maps each start node to the end nodes of its relationships of typ.
func (g rawGraph) out(typ string) map[string][]rawRel {
	m := map[string][]rawRel{}
	for _, r := range g.rels[typ] {
		m[r.start] = append(m[r.start], r)
	}
	return m
}

// expected computes, for a result name, the rows the report must hold.
func (g rawGraph) expected(t *testing.T, name string) [][]any {
	switch name {
	case "residence":
		return g.endCounts("RESIDES_IN", "Country", "code").rows(20)
	case "cities":
		return g.endCounts("IN_COUNTRY", "Country", "code").rows(20)
	case "enrolments":
		return g.endCounts("ENROLLED_IN", "Program", "id").rows(25)
	case "top-skills":
		return g.endCounts("HAS_SKILL", "Skill", "id").rows(20)
	case "companies":
		return g.endCounts("WORKED_AT", "Company", "id").rows(20)
	case "flows":
		t := newTally()
		origins := g.out("ORIGINATES_FROM")
		for _, r := range g.rels["RESIDES_IN"] {
			for _, o := range origins[r.start] {
				if o.end != r.end {
					oc, rc := str(g.nodes["Country"][o.end], "code"), str(g.nodes["Country"][r.end], "code")
					t.add(oc+"/"+rc, oc+"\x00"+rc, oc+" → "+rc, oc, rc)
				}
			}
		}
		return t.rows(20)
	case "birth":
		t := newTally()
		for _, p := range g.nodes["Learner"] {
			if y, ok := p["birthYear"].(int64); ok {
				d, gender := fmt.Sprintf("%ds", y/10*10), or(str(p, "gender"), "(none)")
				t.add(d+"/"+gender, "", d, gender)
			}
		}
		return sortedRows(t.rows(0), 2)
	case "cohorts":
		t := newTally()
		for _, r := range g.rels["ENROLLED_IN"] {
			if d, ok := day(r.p["enrolledOn"]); ok {
				m := d.Format("2006-01")
				t.add(m, "", m)
			}
		}
		return sortedRows(t.rows(0), 1)
	case "status":
		return g.status()
	case "learning-details":
		return g.details("LearningState")
	case "professional-details":
		return g.details("ProfessionalState")
	case "levels":
		t := newTally()
		for _, r := range g.rels["HAS_SKILL"] {
			l := "(none)"
			if v, ok := r.p["level"]; ok {
				l = fmt.Sprint(v)
			}
			t.add(l, l, l)
		}
		return t.rows(20)
	case "skills-per-learner":
		per := map[string]int64{}
		for _, r := range g.rels["HAS_SKILL"] {
			per[r.start]++
		}
		t := newTally()
		for id := range g.nodes["Learner"] {
			t.add(fmt.Sprint(per[id]), "", per[id])
		}
		rows := t.rows(0)
		sort.Slice(rows, func(i, j int) bool { return rows[i][0].(int64) < rows[j][0].(int64) })
		return rows
	case "pairs":
		return g.pairs()
	case "titles":
		t := newTally()
		for _, r := range g.rels["WORKED_AT"] {
			if title := str(r.p, "title"); title != "" {
				t.add(title, title, title)
			}
		}
		return t.rows(20)
	case "professional-status":
		t := newTally()
		for _, p := range g.nodes["ProfessionalState"] {
			s := or(str(p, "status"), "(none)")
			t.add(s, s, s)
		}
		return t.rows(0)
	case "employed-after":
		return g.employedAfter()
	case "components":
		return g.components()
	case "densest":
		return g.densest()
	}
	if label, ok := strings.CutPrefix(name, "degrees-"); ok {
		return g.degrees(label)
	}
	t.Fatalf("no expected rows for result %q: add them to the test", name)
	return nil
}

// sortedRows sorts rows by their first n columns, as strings.
func sortedRows(rows [][]any, n int) [][]any {
	key := func(r []any) string {
		var parts []string
		for _, v := range r[:n] {
			parts = append(parts, fmt.Sprint(v))
		}
		return strings.Join(parts, "\x00")
	}
	sort.Slice(rows, func(i, j int) bool { return key(rows[i]) < key(rows[j]) })
	return rows
}
