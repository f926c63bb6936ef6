package graphwrite

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/graphwrite/graphwritetest"
	"github.com/learnergraph/importer/samplegen"
	"github.com/learnergraph/importer/staging"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	bolt "go.etcd.io/bbolt"
)

// testConfig is the connection of the local test Neo4j (make neo4j-up),
// overridable as in the importer: NEO4J_URI, NEO4J_USERNAME,
// NEO4J_PASSWORD, NEO4J_DATABASE.
func testConfig() Config {
	env := func(k, def string) string {
		if v := os.Getenv(k); v != "" {
			return v
		}
		return def
	}
	return Config{
		URI:      env("NEO4J_URI", "neo4j://127.0.0.1:7687"),
		Username: env("NEO4J_USERNAME", "neo4j"),
		Password: env("NEO4J_PASSWORD", "importer-local"),
		Database: env("NEO4J_DATABASE", "neo4j"),
	}
}

// testGraph connects to the test Neo4j and locks it for the test (other
// test binaries write it too). Without a Neo4j it skips the test, except
// under CI=true, where Neo4j must be up (graphwritetest.Driver decides).
func testGraph(t testing.TB) *Graph {
	t.Helper()
	graphwritetest.Lock(t)
	graphwritetest.Driver(t)
	g, err := Connect(context.Background(), testConfig())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.Close(context.Background()) })
	return g
}

// clearGraph empties the test database.
func clearGraph(t testing.TB, g *Graph) {
	t.Helper()
	if _, err := g.ClearDatabase(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// fixtures caches staged state files by size and seed for the test binary.
type fixtureSet struct {
	sync.Mutex
	dir   string
	paths map[string]string
}

var fixtures = &fixtureSet{paths: map[string]string{}}

// ensureDir creates the fixtures' directory; fixtures must be locked.
func (f *fixtureSet) ensureDir(t testing.TB) {
	if f.dir != "" {
		return
	}
	dir, err := os.MkdirTemp("", "graphwrite-fixtures-")
	if err != nil {
		t.Fatal(err)
	}
	f.dir = dir
}

// fixtureDir is a directory that lives as long as the test binary.
func fixtureDir(t testing.TB) string {
	fixtures.Lock()
	defer fixtures.Unlock()
	fixtures.ensureDir(t)
	return fixtures.dir
}

// stagedFile returns a fresh copy of a state file staged from a generated
// CSV of rows rows (1% bad rows, duplicates included).
func stagedFile(t testing.TB, rows int, seed int64) string {
	t.Helper()
	fixtures.Lock()
	defer fixtures.Unlock()
	key := fmt.Sprintf("%d-%d", rows, seed)
	src, ok := fixtures.paths[key]
	if !ok {
		fixtures.ensureDir(t)
		csvPath := filepath.Join(fixtures.dir, key+".csv")
		f, err := os.Create(csvPath)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := samplegen.Generate(f, samplegen.GenOptions{Rows: rows, Seed: seed, BadRate: 0.01}); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		src = filepath.Join(fixtures.dir, key+".db")
		if _, err := staging.Stage(context.Background(), csvPath, src, staging.Options{}); err != nil {
			t.Fatal(err)
		}
		fixtures.paths[key] = src
	}
	dst := filepath.Join(t.TempDir(), "state.db")
	copyFile(t, src, dst)
	return dst
}

func copyFile(t testing.TB, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if fixtures.dir != "" {
		os.RemoveAll(fixtures.dir)
	}
	os.Exit(code)
}

// openState opens a state file for the test and closes it at the end.
func openState(t testing.TB, path string) *bolt.DB {
	t.Helper()
	db, err := checkpoint.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// loadAll begins and runs a whole load.
func loadAll(t testing.TB, g *Graph, db *bolt.DB, mode Mode, opt LoadOptions) Stats {
	t.Helper()
	ctx := context.Background()
	if _, err := Begin(ctx, g, db, mode, opt.Workers); err != nil {
		t.Fatal(err)
	}
	st, err := Load(ctx, g, db, opt)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// graphDump is the whole graph, sorted, minus the importer's watermarks:
// what two loads must agree on.
type graphDump struct {
	Nodes []dumpNode
	Rels  []dumpRel
}

type dumpNode struct {
	Labels string
	Props  staging.Props
}

type dumpRel struct {
	Type       string
	Start, End string // Label:key
	Props      staging.Props
}

// nodeID names a node by its schema key.
func nodeID(labels []any, props map[string]any) string {
	var ls []string
	for _, l := range labels {
		ls = append(ls, fmt.Sprint(l))
	}
	sort.Strings(ls)
	id := strings.Join(ls, ":")
	if len(ls) == 1 {
		if spec, ok := staging.DefaultSchema().NodeSpecOf(ls[0]); ok {
			id += "=" + fmt.Sprint(props[spec.Key])
		}
	}
	return id
}

// dump reads the whole test graph.
func dump(t testing.TB, g *Graph) graphDump {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var d graphDump
	recs, err := g.query(ctx, "MATCH (n) WHERE NOT n:"+quote(watermarkLabel)+" RETURN labels(n) AS l, properties(n) AS p", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		l, _ := r.Get("l")
		p, _ := r.Get("p")
		props := p.(map[string]any)
		d.Nodes = append(d.Nodes, dumpNode{Labels: nodeID(l.([]any), props), Props: propsFromNeo4j(props)})
	}
	recs, err = g.query(ctx, "MATCH (a)-[r]->(b) RETURN type(r) AS t, labels(a) AS al, properties(a) AS ap, "+
		"labels(b) AS bl, properties(b) AS bp, properties(r) AS p", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		get := func(k string) any { v, _ := r.Get(k); return v }
		d.Rels = append(d.Rels, dumpRel{
			Type:  get("t").(string),
			Start: nodeID(get("al").([]any), get("ap").(map[string]any)),
			End:   nodeID(get("bl").([]any), get("bp").(map[string]any)),
			Props: propsFromNeo4j(get("p").(map[string]any)),
		})
	}
	sort.Slice(d.Nodes, func(i, j int) bool { return d.Nodes[i].Labels < d.Nodes[j].Labels })
	sort.Slice(d.Rels, func(i, j int) bool { return relLess(d.Rels[i], d.Rels[j]) })
	return d
}

func relLess(a, b dumpRel) bool {
	if a.Type != b.Type {
		return a.Type < b.Type
	}
	if a.Start != b.Start {
		return a.Start < b.Start
	}
	if a.End != b.End {
		return a.End < b.End
	}
	return fmt.Sprint(a.Props) < fmt.Sprint(b.Props)
}

// stagedDump is the graph the state file stages, in dump's form.
func stagedDump(t testing.TB, db *bolt.DB) graphDump {
	t.Helper()
	var d graphDump
	err := db.View(func(tx *bolt.Tx) error {
		for _, spec := range staging.DefaultSchema().Nodes() {
			nodes, _, err := staging.ReadNodes(tx, staging.DefaultSchema(), spec.Label, staging.Range{}, nil, math.MaxInt)
			if err != nil {
				return err
			}
			for _, n := range nodes {
				d.Nodes = append(d.Nodes, dumpNode{Labels: spec.Label + "=" + n.Key, Props: n.Props})
			}
		}
		for _, spec := range staging.DefaultSchema().Rels() {
			rels, _, err := staging.ReadRels(tx, staging.DefaultSchema(), spec.Type, staging.Range{}, nil, math.MaxInt)
			if err != nil {
				return err
			}
			for _, r := range rels {
				d.Rels = append(d.Rels, dumpRel{Type: spec.Type, Start: spec.Start + "=" + r.Start, End: spec.End + "=" + r.End, Props: r.Props})
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(d.Nodes, func(i, j int) bool { return d.Nodes[i].Labels < d.Nodes[j].Labels })
	sort.Slice(d.Rels, func(i, j int) bool { return relLess(d.Rels[i], d.Rels[j]) })
	return d
}

// commitBeforeGroup commits, in session s, each partition that a create
// mode load of plan writes before the learner group (the shared nodes and
// the relationships between them), each in one batch, and returns the
// group's partition and the entities committed.
func commitBeforeGroup(t *testing.T, s neo4j.SessionWithContext, db *bolt.DB, plan checkpoint.LoadPlan) (group partition, committed int64) {
	t.Helper()
	parts, err := planPartitions(db, staging.DefaultSchema(), plan)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range parts {
		if p.b.kind == kindLearners {
			return p, committed
		}
		bt, err := p.b.read(db, p.r, nil, math.MaxInt, ModeCreate)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := commitBatch(context.Background(), s, plan.RunID, p, bt, func(error) {}); err != nil {
			t.Fatal(err)
		}
		committed += int64(bt.count)
	}
	t.Fatal("the plan has no learner group")
	return partition{}, 0
}
