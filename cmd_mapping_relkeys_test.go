package main

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/learnergraph/importer/graphwrite/graphwritetest"
)

// jobsYAML keys two relationship types by two properties each: WORKED_AT
// from the root (a date and a string, later non-null wins) and LISTED_ON
// between shared nodes (two strings, first non-null wins).
const jobsYAML = `version: 1
root: Person
columns: [id, name, company, since, role, note, exchange, ticker, board]
nodes:
  - {label: Person, key: id, partitioned: true, properties: [id, name]}
  - {label: Company, key: code, properties: [code]}
  - {label: Exchange, key: code, properties: [code]}
relationships:
  - {type: WORKED_AT, from: Person, to: Company, key: [since, role], properties: [since, role, note]}
  - {type: LISTED_ON, from: Company, to: Exchange, key: [ticker, board], properties: [ticker, board, note], merge: first}
entities:
  - node: Person
    key: {column: id, required: true}
    properties: [{name: name, column: name}]
  - node: Company
    key: {column: company}
    relationships:
      - {type: WORKED_AT, from: Person, properties: [{name: since, column: since, type: date}, {name: role, column: role}, {name: note, column: note}]}
  - node: Exchange
    key: {column: exchange}
    relationships:
      - {type: LISTED_ON, from: Company, properties: [{name: ticker, column: ticker}, {name: board, column: board}, {name: note, column: note}]}
`

// jobRows generates n rows (and the header) over few people, companies
// and key values, so that relationships repeat with every pattern of null
// key parts; ticker and board values overlap ("A"+"BC" vs "AB"+"C").
func jobRows(n int, seed uint64) [][]string {
	rng := rand.New(rand.NewPCG(seed, 2))
	pick := func(blank int, values ...string) string {
		if rng.IntN(blank) == 0 {
			return ""
		}
		return values[rng.IntN(len(values))]
	}
	rows := [][]string{{"id", "name", "company", "since", "role", "note", "exchange", "ticker", "board"}}
	for i := 0; i < n; i++ {
		rows = append(rows, []string{
			"P" + strconv.Itoa(rng.IntN(n/12)), pick(3, "Ann", "Bo"), pick(8, "C1", "C2", "C3"),
			pick(3, "2020-01-01", "2021-06-30"), pick(3, "dev", "ops"), pick(3, "n"+strconv.Itoa(i)),
			pick(8, "X1", "X2"), pick(3, "A", "AB"), pick(3, "BC", "C"),
		})
	}
	return rows
}

// expectJobs is the graph jobsYAML makes of rows, computed from the
// mapping's meaning: a relationship is identified by its two ends and the
// values of its key properties, blank (null) being a value of its own.
func expectJobs(rows [][]string) graph {
	type entity struct {
		label string
		props map[string]any
	}
	merge := func(e *entity, first bool, kv ...any) {
		for i := 0; i < len(kv); i += 2 {
			name, v := kv[i].(string), kv[i+1]
			if _, set := e.props[name]; v != nil && !(first && set) {
				e.props[name] = v
			}
		}
	}
	nodes, rels := map[string]*entity{}, map[string]*entity{}
	var relOrder [][3]string
	node := func(label, key, keyProp string) string {
		id := label + "\x00" + key
		if nodes[id] == nil {
			nodes[id] = &entity{label: label, props: map[string]any{keyProp: key}}
		}
		return id
	}
	rel := func(start, typ, end string, first bool, key []string, kv ...any) {
		id := start + "\x00" + typ + "\x00" + end + "\x00" + strings.Join(key, "\x00")
		if rels[id] == nil {
			rels[id] = &entity{label: typ, props: map[string]any{}}
			relOrder = append(relOrder, [3]string{start, id, end})
		}
		merge(rels[id], first, kv...)
	}
	str := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	for _, r := range rows[1:] {
		p := node("Person", r[0], "id")
		merge(nodes[p], false, "name", str(r[1]))
		var c, x string
		if r[2] != "" {
			c = node("Company", r[2], "code")
			var since any
			if r[3] != "" {
				d, _ := time.Parse(time.DateOnly, r[3])
				since = dbtype.Date(d)
			}
			rel(p, "WORKED_AT", c, false, []string{r[3], r[4]}, "since", since, "role", str(r[4]), "note", str(r[5]))
		}
		if r[6] != "" {
			x = node("Exchange", r[6], "code")
		}
		if c != "" && x != "" {
			rel(c, "LISTED_ON", x, true, []string{r[7], r[8]}, "ticker", str(r[7]), "board", str(r[8]), "note", str(r[5]))
		}
	}
	var g graph
	for _, e := range nodes {
		g.Nodes = append(g.Nodes, fmt.Sprintf("%v %s", []any{e.label}, typed(e.props)))
	}
	for _, k := range relOrder {
		start, r, end := nodes[k[0]], rels[k[1]], nodes[k[2]]
		g.Rels = append(g.Rels, fmt.Sprintf("%v%s -%s %s-> %v%s", []any{start.label}, typed(start.props), r.label, typed(r.props), []any{end.label}, typed(end.props)))
	}
	sort.Strings(g.Nodes)
	sort.Strings(g.Rels)
	return g
}

// TestRelationshipKeysStageLoadAndVerify stages a generated file through a
// mapping whose relationship types are keyed by two properties, loads it
// online in create mode, merges it again over itself (nothing changes),
// then merges it into an empty database, and loads it offline; each graph
// read back equals the one computed from the rows, and verify finds no
// difference.
func TestRelationshipKeysStageLoadAndVerify(t *testing.T) {
	graphwritetest.Lock(t)
	graphwritetest.Driver(t)
	dir := t.TempDir()
	rows := jobRows(600, 5)
	input := filepath.Join(dir, "jobs.csv")
	writeCSV(t, input, rows)
	mapping := writeFile(t, "jobs.yaml", jobsYAML)
	state := filepath.Join(dir, "jobs.db")
	want := expectJobs(rows)
	// The rows must test what they are for: relationships with one key part
	// null, and repeats that merge.
	partial, withCompany := map[string]int{}, 0
	for _, r := range want.Rels {
		if strings.Count(r, `"since":`)+strings.Count(r, `"role":`) == 1 {
			partial["WORKED_AT"]++
		}
		if strings.Count(r, `"ticker":`)+strings.Count(r, `"board":`) == 1 {
			partial["LISTED_ON"]++
		}
	}
	for _, r := range rows[1:] {
		if r[2] != "" {
			withCompany++
		}
	}
	worked := strings.Count(strings.Join(want.Rels, "\n"), "-WORKED_AT ")
	if partial["WORKED_AT"] < 10 || partial["LISTED_ON"] < 5 || withCompany-worked < 50 {
		t.Fatalf("the generated rows test too little: %d of %d WORKED_AT rows merged, with one key part null: %v", withCompany-worked, withCompany, partial)
	}

	if code, _, stderr := runCmd(t, "", "stage", "--input", input, "--state", state, "--mapping", mapping); code != exitOK {
		t.Fatalf("stage --mapping jobs.yaml: exit %d: %s", code, stderr)
	}
	clearDB := func() {
		t.Helper()
		if code, _, stderr := runCmd(t, "", "clear-database", "--yes"); code != exitOK {
			t.Fatalf("clear-database: exit %d: %s", code, stderr)
		}
	}
	load := func(args ...string) {
		t.Helper()
		if code, _, stderr := runCmd(t, "", append([]string{"load", "--state", state}, args...)...); code != exitOK {
			t.Fatalf("load %v: exit %d: %s", args, code, stderr)
		}
		if diff := cmp.Diff(want, readGraph(t)); diff != "" {
			t.Errorf("graph after load %v (-want +got):\n%s", args, diff)
		}
		if code, stdout, stderr := runCmd(t, "", "verify", "--state", state); code != exitOK {
			t.Errorf("verify after load %v: exit %d: %s%s", args, code, stdout, stderr)
		}
	}
	clearDB()
	load("--mode", "create")
	load("--mode", "merge", "--restart")
	clearDB()
	load("--mode", "merge", "--restart")
	localHome(t) // skips unless the test Neo4j is the repo's local one
	load("--offline", "--out", filepath.Join(dir, "export"), "--overwrite-destination")
}
