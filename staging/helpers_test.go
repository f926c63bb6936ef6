package staging

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	bolt "go.etcd.io/bbolt"

	"github.com/learnergraph/importer/checkpoint"
)

// Dump is everything a state file stages, in a form cmp.Diff can compare:
// nodes and relationships per label and type (empty ones left out), the
// rejects in line order, the counters and the staging resume point.
type Dump struct {
	Nodes   map[string][]Node
	Rels    map[string][]Rel
	Rejects []Reject
	Counts  checkpoint.Counts
	Mark    checkpoint.StageMark
}

// cmpOpts compare dumps and rows: an empty slice or map equals a nil one.
var cmpOpts = []cmp.Option{cmpopts.EquateEmpty()}

// writeInput writes content to a new file in a fresh temporary directory
// and returns its path.
func writeInput(t testing.TB, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "learners.csv")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// statePath returns the path of a state file next to input, and checks the
// file's consistency when the test ends.
func statePath(t testing.TB, input string) string {
	t.Helper()
	state := filepath.Join(filepath.Dir(input), "import.db")
	t.Cleanup(func() { checkConsistency(t, state) })
	return state
}

// stageString stages content with opt and returns the state file's path.
func stageString(t testing.TB, content string, opt Options) string {
	t.Helper()
	input := writeInput(t, content)
	state := statePath(t, input)
	if _, err := Stage(context.Background(), input, state, opt); err != nil {
		t.Fatalf("Stage: %v", err)
	}
	return state
}

// stageFile stages a file of testdata.
func stageFile(t testing.TB, name string, opt Options) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return stageString(t, string(raw), opt)
}

// checkConsistency runs bbolt's consistency check on a state file, if
// there is one.
func checkConsistency(t testing.TB, path string) {
	t.Helper()
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return
	}
	db, err := bolt.Open(path, 0o644, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Errorf("open %s for the consistency check: %v", path, err)
		return
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			t.Errorf("bbolt check of %s: %v", path, err)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

// dump reads back everything staged in the state file at path, by the
// schema of the mapping it was staged with. Every
// bucket is read in small pages, and per-learner buckets also in three
// partitions, which must give the same entities as one full scan.
func dump(t testing.TB, path string) Dump {
	t.Helper()
	db, err := checkpoint.OpenReadOnly(path)
	if err != nil {
		t.Fatalf("open state: %v", err)
	}
	defer db.Close()
	d := Dump{Nodes: map[string][]Node{}, Rels: map[string][]Rel{}}
	err = db.View(func(tx *bolt.Tx) error {
		schema, err := ReadSchema(tx)
		if err != nil {
			return err
		}
		for _, s := range schema.Nodes() {
			nodes := readAll(t, tx, s.PerLearner, 1, func(r Range, after []byte) ([]Node, []byte, error) {
				return ReadNodes(tx, schema, s.Label, r, after, 2)
			})
			parts := readAll(t, tx, s.PerLearner, 3, func(r Range, after []byte) ([]Node, []byte, error) {
				return ReadNodes(tx, schema, s.Label, r, after, 2)
			})
			if diff := cmp.Diff(nodes, parts, cmpOpts...); diff != "" {
				t.Errorf("%s: three partitions differ from one scan (-one +three):\n%s", s.Label, diff)
			}
			if len(nodes) > 0 {
				d.Nodes[s.Label] = sortNodes(nodes)
			}
		}
		for _, s := range schema.Rels() {
			rels := readAll(t, tx, s.PerLearner(), 1, func(r Range, after []byte) ([]Rel, []byte, error) {
				return ReadRels(tx, schema, s.Type, r, after, 2)
			})
			parts := readAll(t, tx, s.PerLearner(), 3, func(r Range, after []byte) ([]Rel, []byte, error) {
				return ReadRels(tx, schema, s.Type, r, after, 2)
			})
			if diff := cmp.Diff(rels, parts, cmpOpts...); diff != "" {
				t.Errorf("%s: three partitions differ from one scan (-one +three):\n%s", s.Type, diff)
			}
			if len(rels) > 0 {
				d.Rels[s.Type] = sortRels(rels)
			}
		}
		checkReadLearners(t, tx, schema, d)
		if err := ReadRejects(tx, 0, func(r Reject) error { d.Rejects = append(d.Rejects, r); return nil }); err != nil {
			return err
		}
		if d.Counts, err = checkpoint.ReadCounts(tx); err != nil {
			return err
		}
		d.Mark, err = checkpoint.ReadStageMark(tx)
		return err
	})
	if err != nil {
		t.Fatalf("dump state: %v", err)
	}
	return d
}

// checkReadLearners reads every learner record with ReadLearners, in
// three partitions and pages of two learners, and compares what it gives
// with d, the per-learner labels and types read one by one.
func checkReadLearners(t testing.TB, tx *bolt.Tx, s *Schema, d Dump) {
	t.Helper()
	got := Dump{Nodes: map[string][]Node{}, Rels: map[string][]Rel{}}
	for _, r := range Partitions(tx, true, 3) {
		var after []byte
		for {
			page, err := ReadLearners(tx, s, r, after, 2)
			if err != nil {
				t.Fatal(err)
			}
			if page.Last == nil {
				break
			}
			for l, n := range page.Nodes {
				got.Nodes[l] = append(got.Nodes[l], n...)
			}
			for typ, rels := range page.Rels {
				got.Rels[typ] = append(got.Rels[typ], rels...)
			}
			after = page.Last
		}
	}
	want := Dump{Nodes: map[string][]Node{}, Rels: map[string][]Rel{}}
	for _, n := range s.Nodes() {
		if n.PerLearner && len(d.Nodes[n.Label]) > 0 {
			want.Nodes[n.Label] = d.Nodes[n.Label]
			got.Nodes[n.Label] = sortNodes(got.Nodes[n.Label])
		}
	}
	for _, r := range s.Rels() {
		if r.PerLearner() && len(d.Rels[r.Type]) > 0 {
			want.Rels[r.Type] = d.Rels[r.Type]
			got.Rels[r.Type] = sortRels(got.Rels[r.Type])
		}
	}
	if diff := cmp.Diff(want, got, cmpOpts...); diff != "" {
		t.Errorf("ReadLearners differs from ReadNodes and ReadRels (-one by one +ReadLearners):\n%s", diff)
	}
}

// readAll drains the partitions of a bucket page by page.
func readAll[T any](t testing.TB, tx *bolt.Tx, perLearner bool, n int, read func(Range, []byte) ([]T, []byte, error)) []T {
	t.Helper()
	var out []T
	for _, r := range Partitions(tx, perLearner, n) {
		var after []byte
		for {
			page, last, err := read(r, after)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			out = append(out, page...)
			after = last
		}
	}
	return out
}

// sortNodes and sortRels put entities in a canonical order (the bucket
// order of keys is an implementation detail; the file order of learners is
// tested on its own).
func sortNodes(n []Node) []Node {
	sort.SliceStable(n, func(i, j int) bool { return n[i].Key < n[j].Key })
	return n
}

func sortRels(r []Rel) []Rel {
	key := func(r Rel) string {
		s := ""
		if d, ok := r.Props.Get("startDate").(Date); ok {
			s = d.String()
		}
		return r.Start + "\x00" + r.End + "\x00" + s
	}
	sort.SliceStable(r, func(i, j int) bool { return key(r[i]) < key(r[j]) })
	return r
}

// props builds a property set from name, value pairs; a nil value is left
// out, as null is never a property.
func props(kv ...any) Props {
	var p Props
	for i := 0; i < len(kv); i += 2 {
		p = p.Set(kv[i].(string), kv[i+1])
	}
	return p
}

// date parses a YYYY-MM-DD date for expectations.
func date(t testing.TB, s string) Date {
	t.Helper()
	d, ok := ParseDate(s)
	if !ok {
		t.Fatalf("bad date %q in the test", s)
	}
	return d
}

// counts builds expected counters: every label and type is present, zero
// unless given.
func counts(rows checkpoint.Rows, nodes, rels map[string]int64) checkpoint.Counts {
	c := checkpoint.NewCounts(DefaultSchema().Labels(), DefaultSchema().Types())
	c.Rows = rows
	for k, v := range nodes {
		c.Nodes[k] = v
	}
	for k, v := range rels {
		c.Relationships[k] = v
	}
	return c
}

// countDump counts the entities of a dump per label and type, for
// checking the counters against what is really staged.
func countDump(d Dump) (nodes, rels map[string]int64) {
	nodes, rels = map[string]int64{}, map[string]int64{}
	for l, n := range d.Nodes {
		nodes[l] = int64(len(n))
	}
	for t, r := range d.Rels {
		rels[t] = int64(len(r))
	}
	return nodes, rels
}
