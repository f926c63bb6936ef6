package staging

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"

	"github.com/learnergraph/importer/checkpoint"
	graphmodel "github.com/learnergraph/importer/model"
)

// filesYAML reads four files: two node files before the root's file, and
// a links file (routes) after it; they share Airline and Airport by key.
const filesYAML = `version: 1
root: Flight
nodes:
  - {label: Airline, key: code, properties: [code, name]}
  - {label: Airport, key: code, properties: [code, name, alt]}
  - {label: Flight, key: id, partitioned: true, properties: [id, dep]}
relationships:
  - {type: ROUTE, from: Airport, to: Airport, properties: [miles]}
  - {type: DEPARTS, from: Flight, to: Airport}
  - {type: OPERATED_BY, from: Flight, to: Airline}
files:
  - name: airlines
    columns: [carrier, name]
    entities:
      - node: Airline
        key: {column: carrier, required: true}
        properties: [{name: name, column: name}]
  - name: airports
    columns: [faa, name, alt]
    entities:
      - node: Airport
        key: {column: faa, required: true}
        properties: [{name: name, column: name}, {name: alt, column: alt, type: int}]
  - name: flights
    columns: [id, carrier, origin, dep]
    entities:
      - node: Flight
        key: {column: id, required: true}
        properties: [{name: dep, column: dep, type: int}]
      - node: Airport
        key: {column: origin}
        relationships: [{type: DEPARTS, from: Flight}]
      - node: Airline
        key: {column: carrier}
        relationships: [{type: OPERATED_BY, from: Flight}]
  - name: routes
    columns: [from, to, miles]
    entities:
      - {node: Airport, name: a, key: {column: from, required: true}}
      - node: Airport
        name: b
        key: {column: to, required: true}
        relationships: [{type: ROUTE, from: a, properties: [{name: miles, column: miles, type: int}]}]
`

func filesPlan(t testing.TB) *graphmodel.Model {
	t.Helper()
	m, err := graphmodel.Parse("files.yaml", []byte(filesYAML))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// writeFiles writes the files' contents (by name, in the mapping's
// order) into dir and returns their paths.
func writeFiles(t testing.TB, dir string, contents ...string) []string {
	t.Helper()
	names := []string{"airlines", "airports", "flights", "routes"}
	paths := make([]string, len(contents))
	for i, c := range contents {
		paths[i] = filepath.Join(dir, names[i]+".csv")
		if err := os.WriteFile(paths[i], []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return paths
}

// flat is a dump as lines: every node, relationship and reject (with its
// file), the counters and the stage mark.
func flat(t testing.TB, state string) []string {
	t.Helper()
	d := dump(t, state)
	var out []string
	for label, nodes := range d.Nodes {
		for _, n := range nodes {
			out = append(out, fmt.Sprintf("%s %s %v", label, n.Key, n.Props))
		}
	}
	for typ, rels := range d.Rels {
		for _, r := range rels {
			out = append(out, fmt.Sprintf("%s %s->%s %v", typ, r.Start, r.End, r.Props))
		}
	}
	sort.Strings(out)
	withStateTx(t, state, func(tx *bolt.Tx) error {
		return ReadFileRejects(tx, 0, func(file int, r Reject) error {
			out = append(out, fmt.Sprintf("reject file %d line %d %q: %s", file, r.Line, r.SandID, r.Reason))
			return nil
		})
	})
	out = append(out, fmt.Sprintf("rows %+v", d.Counts.Rows), fmt.Sprintf("mark %+v", d.Mark))
	return out
}

func withStateTx(t testing.TB, state string, fn func(*bolt.Tx) error) {
	t.Helper()
	db, err := checkpoint.OpenReadOnly(state)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.View(fn); err != nil {
		t.Fatal(err)
	}
}

// TestStageSeveralFiles stages four files into one graph: nodes staged
// from one file and referenced by key from another are one node (the
// later non-null value wins, in file order), a reference to a key no node
// file has is a node with its key alone, rejects are kept per file and
// line, and the mark ends in the last file.
func TestStageSeveralFiles(t *testing.T) {
	dir := t.TempDir()
	paths := writeFiles(t, dir,
		"carrier,name\nUA,United\nAA,American\n,Nobody\n",
		"faa,name,alt\nEWR,Newark,18\nJFK,Kennedy,x\nLGA,LaGuardia,22\n",
		"id,carrier,origin,dep\nF1,UA,EWR,517\nF2,B6,JFK,600\n,UA,EWR,1\nF1,UA,LGA,518\n",
		"from,to,miles\nEWR,LGA,17\nLGA,SJU,1598\nEWR,,3\nEWR,LGA,\n")
	state := filepath.Join(dir, "s.db")
	for _, batch := range []int{1, 1000} {
		if _, err := StageFiles(context.Background(), paths, state, Options{Mapping: filesPlan(t), BatchRows: batch, Overwrite: true}); err != nil {
			t.Fatal(err)
		}
		want := []string{
			"Airline AA [{code AA} {name American}]",
			"Airline B6 [{code B6}]",
			"Airline UA [{code UA} {name United}]",
			"Airport EWR [{alt 18} {code EWR} {name Newark}]",
			"Airport JFK [{code JFK}]",
			"Airport LGA [{alt 22} {code LGA} {name LaGuardia}]",
			"Airport SJU [{code SJU}]",
			"DEPARTS F1->EWR []",
			"DEPARTS F1->LGA []",
			"DEPARTS F2->JFK []",
			"Flight F1 [{dep 518} {id F1}]",
			"Flight F2 [{dep 600} {id F2}]",
			"OPERATED_BY F1->UA []",
			"OPERATED_BY F2->B6 []",
			"ROUTE EWR->LGA [{miles 17}]",
			"ROUTE LGA->SJU [{miles 1598}]",
			`reject file 0 line 4 "": missing carrier`,
			`reject file 1 line 3 "JFK": alt: "x" is not an integer`,
			`reject file 2 line 4 "": missing id`,
			`reject file 3 line 4 "EWR": missing to`,
			"rows {Read:14 Staged:10 Rejected:4 Duplicates:1}",
			"mark {File:3 Offset:54 Line:6 NextOrdinal:2 Done:true}",
		}
		if diff := cmp.Diff(want, flat(t, state)); diff != "" {
			t.Errorf("batches of %d rows: staged (-want +got):\n%s", batch, diff)
		}
	}
}

// genFiles writes the four files of filesYAML with n rows of flights:
// keys repeat within and across files, and every file has rejects.
func genFiles(t testing.TB, dir string, n int, seed uint64) (paths []string, rows []int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 3))
	pick := func(set string) string {
		f := strings.Fields(set)
		return f[rng.IntN(len(f))]
	}
	const carriers, airports = "UA AA B6 DL WN 9E", "EWR JFK LGA ATL ORD SFO SJU BQN"
	var files [4]strings.Builder
	files[0].WriteString("carrier,name\n")
	files[1].WriteString("faa,name,alt\n")
	files[2].WriteString("id,carrier,origin,dep\n")
	files[3].WriteString("from,to,miles\n")
	rows = []int{n / 8, n / 5, n, n / 6}
	for i := 0; i < rows[0]; i++ {
		c := pick(carriers + " _")
		fmt.Fprintf(&files[0], "%s,Airline %d\n", strings.Trim(c, "_"), rng.IntN(50))
	}
	for i := 0; i < rows[1]; i++ {
		fmt.Fprintf(&files[1], "%s,Airport %d,%s\n", pick(airports), rng.IntN(50), pick("10 20 -3 x 0 ."))
	}
	for i := 0; i < rows[2]; i++ {
		id := fmt.Sprintf("F%d", rng.IntN(n*2/3))
		if rng.IntN(30) == 0 {
			id = ""
		}
		fmt.Fprintf(&files[2], "%s,%s,%s,%d\n", id, pick(carriers+" _"), pick(airports+" _"), rng.IntN(2400))
	}
	for i := 0; i < rows[3]; i++ {
		fmt.Fprintf(&files[3], "%s,%s,%s\n", pick(airports), pick(airports+" _"), pick("17 944 1598 x"))
	}
	contents := make([]string, 4)
	for i := range files {
		contents[i] = strings.ReplaceAll(strings.ReplaceAll(files[i].String(), ",_,", ",,"), "_,", ",")
	}
	return writeFiles(t, dir, contents...), rows
}

// TestStageSeveralFilesResumesExactly interrupts staging at every
// checkpoint in turn — within each file and at every move to the next —
// and resumes it: each time the state file ends as an uninterrupted run's,
// and while interrupted its status says how far each file has come.
func TestStageSeveralFilesResumesExactly(t *testing.T) {
	dir := t.TempDir()
	paths, rows := genFiles(t, dir, 120, 5)
	ref := filepath.Join(dir, "ref.db")
	if _, err := StageFiles(context.Background(), paths, ref, Options{Mapping: filesPlan(t), BatchRows: 7}); err != nil {
		t.Fatal(err)
	}
	want := flat(t, ref)
	checkpoints := 0
	for _, n := range rows {
		checkpoints += (n + 6) / 7
		if n%7 == 0 {
			checkpoints++ // the empty batch at the end
		}
	}
	sizes := make([]int64, len(paths))
	for i, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		sizes[i] = info.Size()
	}
	for k := 1; k < checkpoints; k++ {
		state := filepath.Join(dir, fmt.Sprintf("cut%d.db", k))
		ctx, cancel := context.WithCancel(context.Background())
		seen := 0
		opt := Options{Mapping: filesPlan(t), BatchRows: 7, Progress: func(Progress) {
			if seen++; seen == k {
				cancel()
			}
		}}
		_, err := StageFiles(ctx, paths, state, opt)
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("checkpoint %d: StageFiles = %v, want it cancelled", k, err)
		}
		checkFileStatus(t, state, rows, sizes)
		if _, err := Resume(context.Background(), state, Options{BatchRows: 7}); err != nil {
			t.Fatalf("checkpoint %d: Resume: %v", k, err)
		}
		if diff := cmp.Diff(want, flat(t, state)); diff != "" {
			t.Fatalf("interrupted at checkpoint %d, then resumed (-uninterrupted +resumed):\n%s", k, diff)
		}
	}
	t.Logf("interrupted and resumed at each of %d checkpoints", checkpoints-1)
}

// checkFileStatus compares the status of an interrupted state file's
// input files with what its stage mark and counters imply: the files
// before the mark's whole, with all their rows; the mark's with the rows
// read since; the later ones not begun.
func checkFileStatus(t *testing.T, state string, rows []int, sizes []int64) {
	t.Helper()
	withStateTx(t, state, func(tx *bolt.Tx) error {
		st, err := checkpoint.ReadStatus(tx)
		if err != nil {
			return err
		}
		mark, err := checkpoint.ReadStageMark(tx)
		if err != nil {
			return err
		}
		names := []string{"airlines", "airports", "flights", "routes"}
		var want []checkpoint.FileStatus
		read := st.Rows.Read
		for i, name := range names {
			s := checkpoint.FileStatus{Name: name, Size: sizes[i]}
			switch {
			case i < mark.File:
				s.State, s.Offset, s.Line, s.Rows = "staged", sizes[i], int64(rows[i]+2), int64(rows[i])
				read -= int64(rows[i])
			case i == mark.File:
				s.State, s.Offset, s.Line = "staging", mark.Offset, mark.Line
			default:
				s.State, s.Line = "waiting", 1
			}
			want = append(want, s)
		}
		want[mark.File].Rows = read
		got := st.Files
		for i := range got {
			got[i].Path = ""
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("status of the files at %+v (-want +got):\n%s", mark, diff)
		}
		if st.Phase != checkpoint.PhaseStaging || st.Input != "" {
			t.Errorf("phase %s, input %q: want staging and no single input", st.Phase, st.Input)
		}
		return nil
	})
}

// TestStageSeveralFilesChanged: resume refuses a change within the part
// of the current file staged so far, and stages a file not yet begun as
// it is when staging reaches it.
func TestStageSeveralFilesChanged(t *testing.T) {
	dir := t.TempDir()
	paths, _ := genFiles(t, dir, 240, 9)
	state := filepath.Join(dir, "s.db")
	ctx, cancel := context.WithCancel(context.Background())
	opt := Options{Mapping: filesPlan(t), BatchRows: 7, Progress: func(pr Progress) {
		if pr.File == 2 && pr.Offset > 200 {
			cancel()
		}
	}}
	if _, err := StageFiles(ctx, paths, state, opt); !errors.Is(err, context.Canceled) {
		t.Fatalf("StageFiles = %v, want it cancelled in the flights file", err)
	}
	cancel()
	flights, err := os.ReadFile(paths[2])
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(flights), "\n", "\nF0,UA,EWR,1\n", 1) // a row inside the staged part
	if err := os.WriteFile(paths[2], []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Resume(context.Background(), state, Options{}); !errors.Is(err, ErrInputChanged) {
		t.Fatalf("Resume after the staged part of flights changed = %v, want ErrInputChanged", err)
	}
	if err := os.WriteFile(paths[2], flights, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(paths[3], os.O_APPEND|os.O_WRONLY, 0)
	if err == nil {
		_, err = f.WriteString("EWR,PSE,1617\n")
		f.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Resume(context.Background(), state, Options{BatchRows: 7}); err != nil {
		t.Fatalf("Resume with flights as staged and routes grown: %v", err)
	}
	ref := filepath.Join(dir, "ref.db")
	if _, err := StageFiles(context.Background(), paths, ref, Options{Mapping: filesPlan(t), BatchRows: 7}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(flat(t, ref), flat(t, state)); diff != "" {
		t.Errorf("resumed after routes grew (-staged from scratch +resumed):\n%s", diff)
	}
}
