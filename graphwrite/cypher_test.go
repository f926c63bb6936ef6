package graphwrite

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/learnergraph/importer/staging"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"
)

func TestQueries(t *testing.T) {
	country, _ := staging.DefaultSchema().NodeSpecOf(staging.Country)
	worked, _ := staging.DefaultSchema().RelSpecOf(staging.WorkedAt)
	resides, _ := staging.DefaultSchema().RelSpecOf(staging.ResidesIn)
	got := map[string]string{
		"node create":    nodeQuery(country, ModeCreate),
		"node merge":     nodeQuery(country, ModeMerge),
		"rel create":     relCreateQuery(staging.DefaultSchema(), resides),
		"props create":   relCreateQuery(staging.DefaultSchema(), worked),
		"rel merge":      relMergeQuery(staging.DefaultSchema(), resides),
		"keyed merge":    relMergeQuery(staging.DefaultSchema(), worked),
		"null key merge": relMergeNullQuery(staging.DefaultSchema(), worked),
		"constraint":     constraintQuery(staging.Learner, "sandId"),
	}
	want := map[string]string{
		"node create": "UNWIND $rows AS row CREATE (n:`Country`) SET n = row",
		"node merge":  "UNWIND $rows AS row MERGE (n:`Country` {`code`: row.`code`}) SET n += row",
		"rel create": "UNWIND $rows AS row MATCH (a:`Learner` {`sandId`: row.s}) MATCH (b:`Country` {`code`: row.e}) " +
			"CREATE (a)-[r:`RESIDES_IN`]->(b) RETURN count(*) AS n",
		"props create": "UNWIND $rows AS row MATCH (a:`Learner` {`sandId`: row.s}) MATCH (b:`Company` {`id`: row.e}) " +
			"CREATE (a)-[r:`WORKED_AT` {`title`: row.p.`title`, `startDate`: row.p.`startDate`, `endDate`: row.p.`endDate`}]->(b) RETURN count(*) AS n",
		"rel merge": "UNWIND $rows AS row MATCH (a:`Learner` {`sandId`: row.s}) MATCH (b:`Country` {`code`: row.e}) " +
			"MERGE (a)-[r:`RESIDES_IN`]->(b) SET r += row.p RETURN count(*) AS n",
		"keyed merge": "UNWIND $rows AS row MATCH (a:`Learner` {`sandId`: row.s}) MATCH (b:`Company` {`id`: row.e}) " +
			"MERGE (a)-[r:`WORKED_AT` {`startDate`: row.p.`startDate`}]->(b) SET r += row.p RETURN count(*) AS n",
		"null key merge": "UNWIND $rows AS row MATCH (a:`Learner` {`sandId`: row.s}) MATCH (b:`Company` {`id`: row.e}) " +
			"OPTIONAL MATCH (a)-[x:`WORKED_AT`]->(b) WHERE x.`startDate` IS NULL " +
			"WITH a, b, row, head(collect(x)) AS x " +
			"FOREACH (_ IN CASE WHEN x IS NULL THEN [1] ELSE [] END | CREATE (a)-[r:`WORKED_AT`]->(b) SET r = row.p) " +
			"FOREACH (_ IN CASE WHEN x IS NULL THEN [] ELSE [1] END | SET x += row.p) RETURN count(*) AS n",
		"constraint": "CREATE CONSTRAINT `importer_Learner_sandId_unique` IF NOT EXISTS FOR (n:`Learner`) REQUIRE n.`sandId` IS UNIQUE",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("queries (-want +got):\n%s", diff)
	}
}

func TestQuoteEscapesBackquotes(t *testing.T) {
	if got, want := quote("a`b"), "`a``b`"; got != want {
		t.Errorf("quote = %s, want %s", got, want)
	}
}

func TestParams(t *testing.T) {
	d, _ := staging.ParseDate("2021-03-04")
	rel := staging.Rel{Type: staging.WorkedAt, Start: "L1", End: "C9", Props: staging.Props{
		{Name: "flags", Value: []bool{true, false}},
		{Name: "n", Value: int64(3)},
		{Name: "scores", Value: []float64{1.5}},
		{Name: "startDate", Value: d},
		{Name: "tags", Value: []string{"a", "b"}},
		{Name: "title", Value: "Dev"},
	}}
	want := map[string]any{"s": "L1", "e": "C9", "p": map[string]any{
		"flags":     []any{true, false},
		"n":         int64(3),
		"scores":    []float64{1.5},
		"startDate": dbtype.Date(time.Date(2021, 3, 4, 0, 0, 0, 0, time.UTC)),
		"tags":      []string{"a", "b"},
		"title":     "Dev",
	}}
	// dbtype.Date wraps a time.Time: compare it through its Time method.
	opt := cmp.Transformer("date", func(d dbtype.Date) string { return d.Time().Format(time.DateOnly) })
	if diff := cmp.Diff(want, relRow(rel), opt); diff != "" {
		t.Errorf("relRow (-want +got):\n%s", diff)
	}

	// Values read back from Neo4j turn into the staged representation.
	back := propsFromNeo4j(map[string]any{
		"flags": []any{true, false}, "n": int64(3), "scores": []any{1.5},
		"startDate": dbtype.Date(time.Date(2021, 3, 4, 0, 0, 0, 0, time.UTC)),
		"tags":      []any{"a", "b"}, "title": "Dev",
	})
	if diff := cmp.Diff(rel.Props, back); diff != "" {
		t.Errorf("propsFromNeo4j (-staged +back):\n%s", diff)
	}
}

func TestRelStatementsSplitNullKeysInMergeMode(t *testing.T) {
	d, _ := staging.ParseDate("2020-01-01")
	rels := []staging.Rel{
		{Type: staging.WorkedAt, Start: "L1", End: "C1", Props: staging.Props{{Name: "startDate", Value: d}}},
		{Type: staging.WorkedAt, Start: "L1", End: "C1", Props: staging.Props{{Name: "title", Value: "x"}}},
	}
	worked, _ := staging.DefaultSchema().RelSpecOf(staging.WorkedAt)
	b := bucket{s: staging.DefaultSchema(), kind: "relationships", rel: worked}
	type shape struct {
		Cypher string
		Rows   int
	}
	shapes := func(stmts []statement, err error) []shape {
		if err != nil {
			t.Fatal(err)
		}
		var out []shape
		for _, s := range stmts {
			out = append(out, shape{s.cypher, len(s.params["rows"].([]any))})
		}
		return out
	}
	want := []shape{{relMergeQuery(staging.DefaultSchema(), worked), 1}, {relMergeNullQuery(staging.DefaultSchema(), worked), 1}}
	if diff := cmp.Diff(want, shapes(b.relStatements(rels, ModeMerge))); diff != "" {
		t.Errorf("merge statements (-want +got):\n%s", diff)
	}
	want = []shape{{relCreateQuery(staging.DefaultSchema(), worked), 2}}
	if diff := cmp.Diff(want, shapes(b.relStatements(rels, ModeCreate))); diff != "" {
		t.Errorf("create statements (-want +got):\n%s", diff)
	}
	rels[0].Props = rels[0].Props.Set("salary", int64(1))
	if _, err := b.relStatements(rels, ModeCreate); !errors.Is(err, ErrUndeclared) {
		t.Errorf("a property outside the schema: %v, want ErrUndeclared", err)
	}
}

func TestParseMode(t *testing.T) {
	for in, want := range map[string]Mode{"": ModeAuto, "auto": ModeAuto, "create": ModeCreate, "merge": ModeMerge} {
		if got, err := ParseMode(in); err != nil || got != want {
			t.Errorf("ParseMode(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := ParseMode("upsert"); err == nil {
		t.Error("ParseMode(upsert) succeeded")
	}
}

func TestSortedByEnd(t *testing.T) {
	rels := []staging.Rel{{Start: "1", End: "b"}, {Start: "2", End: "a"}, {Start: "3", End: "b"}, {Start: "4", End: "a"}}
	want := []staging.Rel{{Start: "2", End: "a"}, {Start: "4", End: "a"}, {Start: "1", End: "b"}, {Start: "3", End: "b"}}
	if diff := cmp.Diff(want, sortedByEnd(rels)); diff != "" {
		t.Errorf("sortedByEnd (-want +got):\n%s", diff)
	}
}

// TestRelKeyMergeQueries: for a type keyed by several properties, the
// merge of a row with a null key part matches each part equal or both
// null, and verify tells relationships apart by every key part, a null
// equal to an absent property only.
func TestRelKeyMergeQueries(t *testing.T) {
	got := nullKeyMatch([]string{"since", "role"})
	want := "(x.`since` = row.p.`since` OR x.`since` IS NULL AND row.p.`since` IS NULL) AND " +
		"(x.`role` = row.p.`role` OR x.`role` IS NULL AND row.p.`role` IS NULL)"
	if got != want {
		t.Errorf("nullKeyMatch =\n%s\nwant\n%s", got, want)
	}

	d, _ := staging.ParseDate("2020-01-01")
	spec := staging.RelSpec{Type: "WORKED_AT", Start: "Person", End: "Company", Keys: []string{"since", "role"}, Props: []string{"since", "role", "note"}}
	ends := relEnds{start: staging.NodeSpec{Label: "Person", Key: "id"}, end: staging.NodeSpec{Label: "Company", Key: "code"}}
	candidates := []staging.Props{
		{{Name: "role", Value: "dev"}, {Name: "since", Value: d}},
		{{Name: "note", Value: "n"}, {Name: "since", Value: d}},
		{{Name: "role", Value: "dev"}},
	}
	type result struct {
		D  Difference
		OK bool
	}
	var gotResults []result
	for _, p := range []staging.Props{
		{{Name: "since", Value: d}},
		{{Name: "note", Value: "n"}, {Name: "since", Value: d}},
		{{Name: "role", Value: "ops"}},
	} {
		diff, ok := compareRel(spec, ends, staging.Rel{Type: "WORKED_AT", Start: "P1", End: "C1", Props: p}, candidates)
		gotResults = append(gotResults, result{diff, ok})
	}
	wantResults := []result{
		{Difference{Kind: "relationships", Name: "WORKED_AT", Entity: "(P1)->(C1) since=2020-01-01 role=<nil>",
			Detail: "properties differ (-staged +neo4j):\n" + cmp.Diff(staging.Props{{Name: "since", Value: d}}, candidates[1], equateEmpty)}, false},
		{OK: true},
		{Difference{Kind: "relationships", Name: "WORKED_AT", Entity: "(P1)->(C1) since=<nil> role=ops", Detail: "missing in neo4j"}, false},
	}
	if diff := cmp.Diff(wantResults, gotResults); diff != "" {
		t.Errorf("compareRel (-want +got):\n%s", diff)
	}
}
