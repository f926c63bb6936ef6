package main

import (
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"
	bolt "go.etcd.io/bbolt"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/graphwrite/graphwritetest"
	"github.com/learnergraph/importer/samplegen"
	"github.com/learnergraph/importer/staging"
)

// flightsYAML maps a small flights file — one row per flight, with its
// airline and its two airports — to a graph schema that has nothing of the
// learner contract's: other labels and types, a relationship between two
// shared nodes (ROUTE), and one from a shared node to the root (OPERATES).
const flightsYAML = `version: 1
root: Flight
columns: [flight, date, carrier, carrierName, origin, originCity, dest, destCity, distance, departs]
nodes:
  - {label: Airport, key: code, properties: [code, city]}
  - {label: Airline, key: code, properties: [code, name]}
  - {label: Flight, key: id, partitioned: true, properties: [id, date, distance, departs]}
relationships:
  - {type: ROUTE, from: Airport, to: Airport}
  - {type: DEPARTS, from: Flight, to: Airport}
  - {type: ARRIVES, from: Flight, to: Airport}
  - {type: OPERATES, from: Airline, to: Flight}
entities:
  - node: Flight
    key: {column: flight, required: true}
    properties:
      - {name: date, column: date, type: date}
      - {name: distance, column: distance, type: int, min: 0}
      - {name: departs, column: departs, type: datetime}
  - node: Airport
    name: origin
    key: {column: origin}
    properties:
      - {name: city, column: originCity}
    relationships:
      - {type: DEPARTS, from: Flight}
  - node: Airport
    name: dest
    key: {column: dest}
    properties:
      - {name: city, column: destCity}
    relationships:
      - {type: ARRIVES, from: Flight}
      - {type: ROUTE, from: origin}
  - node: Airline
    key: {column: carrier}
    properties:
      - {name: name, column: carrierName}
    relationships:
      - {type: OPERATES, to: Flight}
`

// flightRows generates n flight rows (and the header): flights repeat
// (later values win, blanks never erase), airports and airlines recur with
// and without their names, some rows have no destination or airline, and
// some have a negative distance (rejected by the mapping's min: 0).
func flightRows(n int, seed uint64) [][]string {
	rng := rand.New(rand.NewPCG(seed, 1))
	airports := [][2]string{{"EWR", "Newark"}, {"JFK", "New York"}, {"LGA", "New York"}, {"IAH", "Houston"},
		{"MIA", "Miami"}, {"ATL", "Atlanta"}, {"ORD", "Chicago"}, {"SFO", "San Francisco, CA"}}
	airlines := [][2]string{{"UA", "United"}, {"AA", "American \"AA\""}, {"B6", "JetBlue"}, {"DL", "Delta"}}
	maybe := func(s string) string {
		if rng.IntN(4) == 0 {
			return ""
		}
		return s
	}
	rows := [][]string{{"flight", "date", "carrier", "carrierName", "origin", "originCity", "dest", "destCity", "distance", "departs"}}
	zones := []string{"Z", "-05:00", "+01:30", ""} // "": no offset, UTC
	for i := 0; i < n; i++ {
		o, d, a := airports[rng.IntN(len(airports))], airports[rng.IntN(len(airports))], airlines[rng.IntN(len(airlines))]
		dist := strconv.Itoa(rng.IntN(3000) - 100) // a few negative ones
		if rng.IntN(5) == 0 {
			dist = ""
		}
		day := time.Date(2013, 1, 1+rng.IntN(60), 0, 0, 0, 0, time.UTC)
		departs := day.Add(time.Duration(rng.IntN(86400*1000))*time.Millisecond).Format("2006-01-02T15:04:05.999") + zones[rng.IntN(len(zones))]
		row := []string{"F" + strconv.Itoa(rng.IntN(n*2/3)), day.Format(time.DateOnly),
			a[0], maybe(a[1]), o[0], maybe(o[1]), d[0], maybe(d[1]), dist, maybe(departs)}
		if rng.IntN(8) == 0 {
			row[6], row[7] = "", "" // no destination
		}
		if rng.IntN(8) == 0 {
			row[2], row[3] = "", "" // no airline
		}
		rows = append(rows, row)
	}
	return rows
}

// expectFlights is the graph flightsYAML makes of rows, computed here from
// the mapping's meaning: rows without a flight or with a negative distance
// are rejected; an entity without a key is not staged, nor are its
// relationships; entities merge, a later non-blank value winning.
func expectFlights(rows [][]string) (g graph, rejected int) {
	type entity struct {
		label string
		props map[string]any
	}
	nodes := map[string]*entity{} // by label + key
	var order []string
	set := func(label, keyProp, key string, props ...any) {
		id := label + "\x00" + key
		e := nodes[id]
		if e == nil {
			e = &entity{label: label, props: map[string]any{keyProp: key}}
			nodes[id] = e
			order = append(order, id)
		}
		for i := 0; i < len(props); i += 2 {
			if props[i+1] != nil {
				e.props[props[i].(string)] = props[i+1]
			}
		}
	}
	rels := map[string]bool{}
	rel := func(startLabel, start, typ, endLabel, end string) {
		rels[fmt.Sprintf("%s\x00%s\x00%s\x00%s\x00%s", startLabel, start, typ, endLabel, end)] = true
	}
	str := func(s string) any {
		if s = strings.TrimSpace(s); s == "" {
			return nil
		}
		return s
	}
	for _, r := range rows[1:] {
		flight, dist := strings.TrimSpace(r[0]), strings.TrimSpace(r[8])
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
		day, _ := time.Parse(time.DateOnly, r[1])
		var departs any
		if r[9] != "" {
			t, err := time.Parse(time.RFC3339Nano, r[9])
			if err != nil {
				t, _ = time.Parse("2006-01-02T15:04:05.999999999", r[9])
			}
			departs = t.In(time.FixedZone("Offset", 0)) // as Neo4j returns a DateTime at offset Z
		}
		set("Flight", "id", flight, "date", dbtype.Date(day), "distance", distance, "departs", departs)
		origin, dest, carrier := strings.TrimSpace(r[4]), strings.TrimSpace(r[6]), strings.TrimSpace(r[2])
		if origin != "" {
			set("Airport", "code", origin, "city", str(r[5]))
			rel("Flight", flight, "DEPARTS", "Airport", origin)
		}
		if dest != "" {
			set("Airport", "code", dest, "city", str(r[7]))
			rel("Flight", flight, "ARRIVES", "Airport", dest)
			if origin != "" {
				rel("Airport", origin, "ROUTE", "Airport", dest)
			}
		}
		if carrier != "" {
			set("Airline", "code", carrier, "name", str(r[3]))
			rel("Airline", carrier, "OPERATES", "Flight", flight)
		}
	}
	for _, id := range order {
		e := nodes[id]
		g.Nodes = append(g.Nodes, fmt.Sprintf("%v %s", []any{e.label}, typed(e.props)))
	}
	for k := range rels {
		f := strings.Split(k, "\x00")
		start, end := nodes[f[0]+"\x00"+f[1]], nodes[f[3]+"\x00"+f[4]]
		g.Rels = append(g.Rels, fmt.Sprintf("%v%s -%s %s-> %v%s", []any{f[0]}, typed(start.props), f[2], typed(map[string]any{}), []any{f[3]}, typed(end.props)))
	}
	sort.Strings(g.Nodes)
	sort.Strings(g.Rels)
	return g, rejected
}

func writeCSV(t *testing.T, path string, rows [][]string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestAnotherSchemaStagesLoadsAndVerifies stages a flights file through a
// mapping whose graph schema is not the learner contract's, loads it
// online (create mode, the grouped load), then merge mode over it, then
// offline, into the repo's local Neo4j, and compares each graph read back
// with the one computed from the rows; verify finds no difference.
func TestAnotherSchemaStagesLoadsAndVerifies(t *testing.T) {
	graphwritetest.Lock(t)
	graphwritetest.Driver(t)
	dir := t.TempDir()
	rows := flightRows(400, 11)
	input := filepath.Join(dir, "flights.csv")
	writeCSV(t, input, rows)
	mapping := writeFile(t, "flights.yaml", flightsYAML)
	state := filepath.Join(dir, "flights.db")
	want, rejected := expectFlights(rows)
	if rejected == 0 || len(want.Rels) == 0 {
		t.Fatalf("the generated rows test nothing: %d rejected, %d relationships", rejected, len(want.Rels))
	}

	if code, _, stderr := runCmd(t, "", "stage", "--input", input, "--state", state, "--mapping", mapping); code != exitOK {
		t.Fatalf("stage --mapping flights.yaml: exit %d: %s", code, stderr)
	}
	withState(t, state, func(tx *bolt.Tx) error {
		c, err := checkpoint.ReadCounts(tx)
		if err == nil && c.Rows.Rejected != int64(rejected) {
			t.Errorf("%d rows rejected, want %d", c.Rows.Rejected, rejected)
		}
		return err
	})

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
	if code, _, stderr := runCmd(t, "", "clear-database", "--yes"); code != exitOK {
		t.Fatalf("clear-database: exit %d: %s", code, stderr)
	}
	load("--mode", "create")
	load("--mode", "merge", "--restart")
	localHome(t) // skips unless the test Neo4j is the repo's local one
	load("--offline", "--out", filepath.Join(dir, "export"), "--overwrite-destination")
}

// TestMappingInitProposesWhatStageAccepts: `mapping init` on a generated
// learner file proposes a mapping (a root label with every column) that
// `stage` stages without a reject: one node per distinct key.
func TestMappingInitProposesWhatStageAccepts(t *testing.T) {
	dir := t.TempDir()
	input := filepath.Join(dir, "learners.csv")
	f, err := os.Create(input)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := samplegen.Generate(f, samplegen.GenOptions{Rows: 300, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	code, proposed, stderr := runCmd(t, "", "mapping", "init", "--input", input, "--sample-rows", "300")
	if code != exitOK {
		t.Fatalf("mapping init: exit %d: %s", code, stderr)
	}
	mapping := writeFile(t, "proposed.yaml", proposed)
	state := filepath.Join(dir, "import.db")
	if code, _, stderr := runCmd(t, "", "stage", "--input", input, "--state", state, "--mapping", mapping); code != exitOK {
		t.Fatalf("stage with the proposed mapping: exit %d: %s\n%s", code, stderr, proposed)
	}

	in, err := os.Open(input)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	records, err := csv.NewReader(in).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, r := range records[1:] {
		if k := strings.TrimSpace(r[0]); k != "" && !slices.Contains(want, k) {
			want = append(want, k)
		}
	}
	sort.Strings(want)

	var got []string
	withState(t, state, func(tx *bolt.Tx) error {
		s, err := staging.ReadSchema(tx)
		if err != nil {
			return err
		}
		if diff := cmp.Diff([]string{"Learner"}, s.Labels()); diff != "" || len(s.Types()) != 0 {
			t.Errorf("proposed schema: labels (-want +got):\n%s; types %v", diff, s.Types())
		}
		c, err := checkpoint.ReadCounts(tx)
		if err != nil {
			return err
		}
		if c.Rows.Rejected != 0 {
			t.Errorf("%d rows rejected, want none", c.Rows.Rejected)
		}
		nodes, _, err := staging.ReadNodes(tx, s, "Learner", staging.Range{}, nil, len(records))
		for _, n := range nodes {
			got = append(got, n.Key)
		}
		return err
	})
	sort.Strings(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("staged keys (-the file's +staged):\n%s", diff)
	}
}
