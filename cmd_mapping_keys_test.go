package main

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"
	bolt "go.etcd.io/bbolt"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/graphwrite/graphwritetest"
	"github.com/learnergraph/importer/report"
)

// keyedFlightsYAML is the flights file keyed by several properties: a
// flight by its number and day (the root), a route by its two airports
// (given out of key order); with relationships to composite-keyed nodes
// from the root (FLIES), from a shared node (OPERATES to the root, SERVES
// to a route) and from one (STARTS).
const keyedFlightsYAML = `version: 1
root: Flight
columns: [flight, date, carrier, carrierName, origin, originCity, dest, destCity, distance, departs]
nodes:
  - {label: Airport, key: code, properties: [code, city]}
  - {label: Airline, key: code, properties: [code, name]}
  - {label: Route, key: [from, to], properties: [from, to]}
  - {label: Flight, key: [number, day], partitioned: true, properties: [number, day, date, distance, departs]}
relationships:
  - {type: DEPARTS, from: Flight, to: Airport}
  - {type: FLIES, from: Flight, to: Route}
  - {type: STARTS, from: Route, to: Airport}
  - {type: OPERATES, from: Airline, to: Flight}
  - {type: SERVES, from: Airline, to: Route}
entities:
  - node: Flight
    key:
      - {name: number, column: flight, required: true}
      - {name: day, column: date, required: true}
    properties:
      - {name: date, column: date, type: date}
      - {name: distance, column: distance, type: int, min: 0}
      - {name: departs, column: departs, type: datetime}
  - node: Airport
    name: origin
    key: {column: origin}
    properties: [{name: city, column: originCity}]
    relationships: [{type: DEPARTS, from: Flight}]
  - node: Route
    key:
      - {name: to, column: dest}
      - {name: from, column: origin}
    relationships: [{type: FLIES, from: Flight}, {type: STARTS, to: origin}]
  - node: Airline
    key: {column: carrier}
    properties: [{name: name, column: carrierName}]
    relationships: [{type: OPERATES, to: Flight}, {type: SERVES, to: Route}]
report:
  - section: shape
    title: Graph shape
    queries:
      - {name: components, title: Flights joined by their routes and airports, chart: components,
         needs: [Flight], center: Flight, via: [FLIES, DEPARTS]}
`

// keyedFlightRows is flightRows with repeats of earlier flights on their
// day, their names, cities and departure blank and another distance (a
// later non-blank value wins, a blank never erases).
func keyedFlightRows(n int, seed uint64) [][]string {
	rows := flightRows(n, seed)
	for i := 1; i < len(rows) && i < 150; i += 3 {
		r := slices.Clone(rows[i])
		r[3], r[5], r[7], r[9] = "", "", "", ""
		r[8] = strconv.Itoa(i)
		rows = append(rows, r)
	}
	return rows
}

// expectKeyedFlights is the graph keyedFlightsYAML makes of rows, computed
// from the mapping's meaning: rows without a flight or with a negative
// distance are rejected; a route needs both airports; entities merge by
// their whole key, a later non-blank value winning.
func expectKeyedFlights(rows [][]string) (g graph, rejected int) {
	type entity struct {
		label string
		props map[string]any
	}
	nodes := map[string]*entity{} // by label and key values
	id := func(label string, key ...string) string { return label + "\x00" + strings.Join(key, "\x00") }
	set := func(label string, keyProps, key []string, props ...any) {
		e := nodes[id(label, key...)]
		if e == nil {
			e = &entity{label: label, props: map[string]any{}}
			for i, k := range keyProps {
				e.props[k] = key[i]
			}
			nodes[id(label, key...)] = e
		}
		for i := 0; i < len(props); i += 2 {
			if props[i+1] != nil {
				e.props[props[i].(string)] = props[i+1]
			}
		}
	}
	rels := map[[3]string]bool{}
	rel := func(start, typ, end string) { rels[[3]string{start, typ, end}] = true }
	str := func(s string) any {
		if s = strings.TrimSpace(s); s == "" {
			return nil
		}
		return s
	}
	for _, r := range rows[1:] {
		flight, day, dist := strings.TrimSpace(r[0]), strings.TrimSpace(r[1]), strings.TrimSpace(r[8])
		var distance any
		if dist != "" {
			n, _ := strconv.ParseInt(dist, 10, 64)
			if n < 0 {
				rejected++
				continue
			}
			distance = n
		}
		if flight == "" {
			rejected++
			continue
		}
		date, _ := time.Parse(time.DateOnly, day)
		var departs any
		if r[9] != "" {
			t, err := time.Parse(time.RFC3339Nano, r[9])
			if err != nil {
				t, _ = time.Parse("2006-01-02T15:04:05.999999999", r[9])
			}
			departs = t.In(time.FixedZone("Offset", 0))
		}
		f := id("Flight", flight, day)
		set("Flight", []string{"number", "day"}, []string{flight, day}, "date", dbtype.Date(date), "distance", distance, "departs", departs)
		origin, dest, carrier := strings.TrimSpace(r[4]), strings.TrimSpace(r[6]), strings.TrimSpace(r[2])
		route := ""
		if origin != "" {
			set("Airport", []string{"code"}, []string{origin}, "city", str(r[5]))
			rel(f, "DEPARTS", id("Airport", origin))
		}
		if origin != "" && dest != "" {
			route = id("Route", origin, dest)
			set("Route", []string{"from", "to"}, []string{origin, dest})
			rel(f, "FLIES", route)
			rel(route, "STARTS", id("Airport", origin))
		}
		if carrier != "" {
			set("Airline", []string{"code"}, []string{carrier}, "name", str(r[3]))
			rel(id("Airline", carrier), "OPERATES", f)
			if route != "" {
				rel(id("Airline", carrier), "SERVES", route)
			}
		}
	}
	for _, e := range nodes {
		g.Nodes = append(g.Nodes, fmt.Sprintf("%v %s", []any{e.label}, typed(e.props)))
	}
	for k := range rels {
		start, end := nodes[k[0]], nodes[k[2]]
		g.Rels = append(g.Rels, fmt.Sprintf("%v%s -%s %s-> %v%s", []any{start.label}, typed(start.props), k[1], typed(map[string]any{}), []any{end.label}, typed(end.props)))
	}
	sort.Strings(g.Nodes)
	sort.Strings(g.Rels)
	return g, rejected
}

// TestCompositeKeysStageLoadAndVerify stages a flights file through a
// mapping with composite keys, loads it online (create mode, then merge
// mode over it) and offline into the repo's local Neo4j, and compares each
// graph read back with the one computed from the rows; verify finds no
// difference, and the composite keys have composite uniqueness
// constraints.
func TestCompositeKeysStageLoadAndVerify(t *testing.T) {
	graphwritetest.Lock(t)
	graphwritetest.Driver(t)
	dir := t.TempDir()
	rows := keyedFlightRows(400, 12)
	input := filepath.Join(dir, "flights.csv")
	writeCSV(t, input, rows)
	mapping := writeFile(t, "keyed.yaml", keyedFlightsYAML)
	state := filepath.Join(dir, "flights.db")
	want, rejected := expectKeyedFlights(rows)
	if rejected == 0 || len(want.Rels) == 0 {
		t.Fatalf("the generated rows test nothing: %d rejected, %d relationships", rejected, len(want.Rels))
	}

	if code, _, stderr := runCmd(t, "", "stage", "--input", input, "--state", state, "--mapping", mapping); code != exitOK {
		t.Fatalf("stage --mapping keyed.yaml: exit %d: %s", code, stderr)
	}
	withState(t, state, func(tx *bolt.Tx) error {
		c, err := checkpoint.ReadCounts(tx)
		if err == nil && c.Rows.Rejected != int64(rejected) {
			t.Errorf("%d rows rejected, want %d", c.Rows.Rejected, rejected)
		}
		return err
	})

	constraints := func() []string {
		driver, database := graphwritetest.Driver(t) // a new one: an offline load replaces the store
		res, err := neo4j.ExecuteQuery(context.Background(), driver,
			"SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type WHERE labelsOrTypes[0] IN ['Flight', 'Route', 'Airport', 'Airline'] "+
				"RETURN labelsOrTypes[0] + '(' + reduce(s = '', p IN properties | s + p + ' ') + ') ' + type AS c ORDER BY c",
			nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(database))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range res.Records {
			out = append(out, r.Values[0].(string))
		}
		return out
	}
	wantConstraints := []string{"Airline(code ) UNIQUENESS", "Airport(code ) UNIQUENESS", "Flight(number day ) UNIQUENESS", "Route(from to ) UNIQUENESS"}
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
		// Other tests leave constraints on these labels (Flight(id)): want
		// ours among them.
		got := constraints()
		var ours []string
		for _, c := range wantConstraints {
			if slices.Contains(got, c) {
				ours = append(ours, c)
			}
		}
		if diff := cmp.Diff(wantConstraints, ours); diff != "" {
			t.Errorf("constraints after load %v (-want +got):\n%s\nall: %q", args, diff, got)
		}
	}
	if code, _, stderr := runCmd(t, "", "clear-database", "--yes"); code != exitOK {
		t.Fatalf("clear-database: exit %d: %s", code, stderr)
	}
	load("--mode", "create")
	load("--mode", "merge", "--restart")
	checkKeyedReport(t, state, filepath.Join(dir, "report"), strings.Count(strings.Join(want.Nodes, "\n"), "[Flight]"))
	localHome(t) // skips unless the test Neo4j is the repo's local one
	load("--offline", "--out", filepath.Join(dir, "export"), "--overwrite-destination")
}

// checkKeyedReport runs `importer report` on the composite-keyed graph:
// every query runs, the densest flights are shown by their whole key, and
// the components hold every flight once.
func checkKeyedReport(t *testing.T, state, out string, flights int) {
	t.Helper()
	if code, _, stderr := runCmd(t, "", "report", "--state", state, "--out", out, "--query-timeout", "1m"); code != exitOK {
		t.Fatalf("report: exit %d: %s", code, stderr)
	}
	rep := readReport(t, filepath.Join(out, report.JSONFile))
	var densest, inComponents int
	for _, s := range rep.Sections {
		for _, r := range s.Results {
			if r.Error != "" || r.Skipped != "" {
				t.Errorf("report %s: error %q, skipped %q", r.Name, r.Error, r.Skipped)
			}
			for _, row := range r.Rows {
				switch r.Name {
				case "densest":
					if row[1] == "Flight" && regexp.MustCompile(`^F\d+\|2013-\d\d-\d\d$`).MatchString(fmt.Sprint(row[2])) {
						densest++
					}
				case "components":
					learners, _ := strconv.Atoi(fmt.Sprint(row[0]))
					n, _ := strconv.Atoi(fmt.Sprint(row[2]))
					inComponents += learners * n
				}
			}
		}
	}
	if densest != 3 || inComponents != flights {
		t.Errorf("report: %d densest flights shown by number|day, want 3; %d flights in components, want %d", densest, inComponents, flights)
	}
}
