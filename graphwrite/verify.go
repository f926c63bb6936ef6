package graphwrite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/staging"
	bolt "go.etcd.io/bbolt"
)

// DefaultSample is how many staged entities of each label and type Verify
// compares property by property.
const DefaultSample = 200

// equateEmpty makes a staged entity without properties equal to a Neo4j
// one without properties, whatever the nil-ness of either slice.
var equateEmpty = cmpopts.EquateEmpty()

// verifyChunk is how many staged entities one read transaction of the
// sampling scan copies out.
const verifyChunk = 10000

// VerifyOptions tune Verify. Zero values take the defaults.
type VerifyOptions struct {
	Sample int   // per label and per type; DefaultSample if 0
	Seed   int64 // the same seed samples the same entities
}

// Difference is one way Neo4j differs from the state file.
type Difference struct {
	Kind   string // checkpoint.KindNodes or checkpoint.KindRelationships
	Name   string // label or type
	Entity string // "" for a count, else the entity's key
	Detail string // the counts, or a cmp.Diff (-staged +neo4j)
}

func (d Difference) String() string {
	if d.Entity == "" {
		return fmt.Sprintf("%s %s: %s", d.Kind, d.Name, d.Detail)
	}
	return fmt.Sprintf("%s %s %s: %s", d.Kind, d.Name, d.Entity, d.Detail)
}

// Verify compares Neo4j with the state file: the number of nodes of every
// label and relationships of every type against the staged counts, and a
// seeded random sample of staged entities, all properties, against what
// Neo4j holds. It returns the differences; none means equal.
func Verify(ctx context.Context, g *Graph, db checkpoint.DB, opt VerifyOptions) ([]Difference, error) {
	if opt.Sample <= 0 {
		opt.Sample = DefaultSample
	}
	var counts checkpoint.Counts
	var s *staging.Schema
	err := db.View(func(tx *bolt.Tx) error {
		var err error
		if s, err = staging.ReadSchema(tx); err != nil {
			return err
		}
		counts, err = checkpoint.ReadCounts(tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	diffs, err := g.verifyCounts(ctx, s, counts)
	if err != nil {
		return nil, err
	}
	for i, b := range buckets(s) {
		rng := rand.New(rand.NewPCG(uint64(opt.Seed), uint64(i)))
		var d []Difference
		if b.kind == checkpoint.KindNodes {
			d, err = g.verifyNodes(ctx, db, s, b.node, opt.Sample, rng)
		} else {
			d, err = g.verifyRels(ctx, db, s, b.rel, opt.Sample, rng)
		}
		if err != nil {
			return nil, err
		}
		diffs = append(diffs, d...)
	}
	return diffs, nil
}

func (g *Graph) verifyCounts(ctx context.Context, s *staging.Schema, counts checkpoint.Counts) ([]Difference, error) {
	var diffs []Difference
	check := func(kind, name, cypher string, staged int64) error {
		got, err := g.countOne(ctx, cypher)
		if err != nil {
			return fmt.Errorf("verify: count %s: %w", name, err)
		}
		if got != staged {
			diffs = append(diffs, Difference{Kind: kind, Name: name, Detail: fmt.Sprintf("%d staged, %d in neo4j", staged, got)})
		}
		return nil
	}
	for _, l := range s.Labels() {
		if err := check(checkpoint.KindNodes, l, countNodesQuery(l), counts.Nodes[l]); err != nil {
			return nil, err
		}
	}
	for _, t := range s.Types() {
		if err := check(checkpoint.KindRelationships, t, countRelsQuery(t), counts.Relationships[t]); err != nil {
			return nil, err
		}
	}
	return diffs, nil
}

// reservoir keeps a uniform random sample of up to cap(items) values.
type reservoir[T any] struct {
	items []T
	seen  int
	rng   *rand.Rand
}

func (r *reservoir[T]) add(v T) {
	r.seen++
	if len(r.items) < cap(r.items) {
		r.items = append(r.items, v)
		return
	}
	if j := r.rng.IntN(r.seen); j < len(r.items) {
		r.items[j] = v
	}
}

// sampleBucket scans a bucket in short read transactions and keeps a
// sample of it.
func sampleBucket[T any](db checkpoint.DB, n int, rng *rand.Rand, read func(tx *bolt.Tx, after []byte) ([]T, []byte, error)) ([]T, error) {
	res := &reservoir[T]{items: make([]T, 0, n), rng: rng}
	var after []byte
	for {
		var chunk []T
		err := db.View(func(tx *bolt.Tx) error {
			var err error
			chunk, after, err = read(tx, after)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("verify: %w", err)
		}
		if len(chunk) == 0 {
			return res.items, nil
		}
		for _, v := range chunk {
			res.add(v)
		}
	}
}

func (g *Graph) verifyNodes(ctx context.Context, db checkpoint.DB, schema *staging.Schema, spec staging.NodeSpec, n int, rng *rand.Rand) ([]Difference, error) {
	sample, err := sampleBucket(db, n, rng, func(tx *bolt.Tx, after []byte) ([]staging.Node, []byte, error) {
		return staging.ReadNodes(tx, schema, spec.Label, staging.Range{}, after, verifyChunk)
	})
	if err != nil || len(sample) == 0 {
		return nil, err
	}
	keys := make([]any, len(sample))
	for i, s := range sample {
		keys[i] = keyParam(spec, s.Key)
	}
	recs, err := g.query(ctx, "UNWIND range(0, size($keys) - 1) AS i WITH i, $keys[i] AS k "+
		"MATCH (n:"+quote(spec.Label)+keyMatch(spec, "k")+") RETURN i, properties(n) AS p",
		map[string]any{"keys": keys})
	if err != nil {
		return nil, fmt.Errorf("verify %s: %w", spec.Label, err)
	}
	got := map[int64]staging.Props{}
	for _, r := range recs {
		i, _ := r.Get("i")
		p, _ := r.Get("p")
		m, _ := p.(map[string]any)
		n, _ := i.(int64)
		got[n] = propsFromNeo4j(m)
	}
	var diffs []Difference
	for i, s := range sample {
		d := Difference{Kind: checkpoint.KindNodes, Name: spec.Label, Entity: fmt.Sprintf("%s=%q", strings.Join(spec.KeyProps(), ","), staging.KeyText(spec, s.Key))}
		p, ok := got[int64(i)]
		switch {
		case !ok:
			d.Detail = "missing in neo4j"
		case !cmp.Equal(s.Props, p, equateEmpty):
			d.Detail = "properties differ (-staged +neo4j):\n" + cmp.Diff(s.Props, p, equateEmpty)
		default:
			continue
		}
		diffs = append(diffs, d)
	}
	return diffs, nil
}

func (g *Graph) verifyRels(ctx context.Context, db checkpoint.DB, schema *staging.Schema, spec staging.RelSpec, n int, rng *rand.Rand) ([]Difference, error) {
	sample, err := sampleBucket(db, n, rng, func(tx *bolt.Tx, after []byte) ([]staging.Rel, []byte, error) {
		return staging.ReadRels(tx, schema, spec.Type, staging.Range{}, after, verifyChunk)
	})
	if err != nil || len(sample) == 0 {
		return nil, err
	}
	ends := endsOf(schema, spec)
	rows := make([]any, len(sample))
	for i, s := range sample {
		rows[i] = map[string]any{"i": int64(i), "s": keyParam(ends.start, s.Start), "e": keyParam(ends.end, s.End)}
	}
	cypher := "UNWIND $rows AS row " +
		"MATCH (a:" + quote(ends.start.Label) + keyMatch(ends.start, "row.s") + ")-[r:" + quote(spec.Type) + "]->" +
		"(b:" + quote(ends.end.Label) + keyMatch(ends.end, "row.e") + ") RETURN row.i AS i, collect(properties(r)) AS ps"
	recs, err := g.query(ctx, cypher, map[string]any{"rows": rows})
	if err != nil {
		return nil, fmt.Errorf("verify %s: %w", spec.Type, err)
	}
	got := make([][]staging.Props, len(sample))
	for _, r := range recs {
		i, _ := r.Get("i")
		ps, _ := r.Get("ps")
		list, _ := ps.([]any)
		for _, p := range list {
			m, _ := p.(map[string]any)
			got[i.(int64)] = append(got[i.(int64)], propsFromNeo4j(m))
		}
	}
	var diffs []Difference
	for i, s := range sample {
		if d, ok := compareRel(spec, ends, s, got[i]); !ok {
			diffs = append(diffs, d)
		}
	}
	return diffs, nil
}

// compareRel compares a staged relationship with the relationships of its
// type between its two ends in Neo4j: exactly one of them must have its key
// (the ends, and the values of the type's key properties, a null equal to
// an absent property), with equal properties.
func compareRel(spec staging.RelSpec, ends relEnds, s staging.Rel, candidates []staging.Props) (Difference, bool) {
	d := Difference{Kind: checkpoint.KindRelationships, Name: spec.Type,
		Entity: fmt.Sprintf("(%s)->(%s)", staging.KeyText(ends.start, s.Start), staging.KeyText(ends.end, s.End))}
	keys := spec.KeyProps()
	var same []staging.Props
	for _, c := range candidates {
		if sameKey(keys, c, s.Props) {
			same = append(same, c)
		}
	}
	for _, k := range keys {
		d.Entity += fmt.Sprintf(" %s=%v", k, s.Props.Get(k))
	}
	switch {
	case len(same) == 0:
		d.Detail = "missing in neo4j"
	case len(same) > 1:
		d.Detail = fmt.Sprintf("%d copies in neo4j", len(same))
	case !cmp.Equal(s.Props, same[0], equateEmpty):
		d.Detail = "properties differ (-staged +neo4j):\n" + cmp.Diff(s.Props, same[0], equateEmpty)
	default:
		return Difference{}, true
	}
	return d, false
}

// sameKey reports whether a and b have equal values of every key property.
func sameKey(keys []string, a, b staging.Props) bool {
	for _, k := range keys {
		if !cmp.Equal(a.Get(k), b.Get(k)) {
			return false
		}
	}
	return true
}
