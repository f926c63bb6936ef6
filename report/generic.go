package report

import (
	"fmt"
	"strings"

	"github.com/learnergraph/importer/staging"
)

// Schema is what the generic queries need to know of a model: its labels
// with their key property, and its relationship types with their ends.
type Schema struct {
	Labels []LabelSpec
	Types  []TypeSpec
}

// LabelSpec is one node label and its key properties (several for a
// composite key).
type LabelSpec struct {
	Name string
	Keys []string
}

// key is the Cypher expression of the key of node v: its key property, or
// a composite key's properties joined by "|" (keys are strings), which
// orders and shows the nodes by their whole key.
func (l LabelSpec) key(v string) string {
	parts := make([]string, len(l.Keys))
	for i, k := range l.Keys {
		parts[i] = v + "." + quote(k)
	}
	return strings.Join(parts, " + '|' + ")
}

// TypeSpec is one relationship type and the labels at its ends.
type TypeSpec struct{ Name, Start, End string }

// SchemaOf is a staged schema's labels and types, as the generic queries
// need them.
func SchemaOf(staged *staging.Schema) Schema {
	var s Schema
	for _, n := range staged.Nodes() {
		s.Labels = append(s.Labels, LabelSpec{Name: n.Label, Keys: n.KeyProps()})
	}
	for _, r := range staged.Rels() {
		s.Types = append(s.Types, TypeSpec{Name: r.Type, Start: r.Start, End: r.End})
	}
	return s
}

// quote makes a name from the schema a Cypher identifier.
func quote(name string) string { return "`" + strings.ReplaceAll(name, "`", "``") + "`" }

// literal makes a name from the schema a Cypher string literal.
func literal(name string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(name) + "'"
}

// countsCypher counts the nodes of every label and the relationships of
// every type: Neo4j answers each from its count store, at any size.
func countsCypher(s Schema) string {
	var parts []string
	for _, l := range s.Labels {
		parts = append(parts, fmt.Sprintf("MATCH (n:%s) RETURN 'nodes' AS kind, %s AS name, count(n) AS count", quote(l.Name), literal(l.Name)))
	}
	for _, t := range s.Types {
		parts = append(parts, fmt.Sprintf("MATCH ()-[r:%s]->() RETURN 'relationships' AS kind, %s AS name, count(r) AS count", quote(t.Name), literal(t.Name)))
	}
	return strings.Join(parts, "\nUNION ALL\n")
}

// GenericQueries are the graph-shape queries any schema gets: for every
// label, the distribution of its nodes' degree in each relationship type
// that touches it; and the densest nodes of every label.
func GenericQueries(s Schema) []Query {
	var out []Query
	for _, l := range s.Labels {
		var degrees []string
		needs := []string{l.Name}
		for _, t := range s.Types {
			if t.Start == l.Name {
				degrees = append(degrees, fmt.Sprintf("[%s, COUNT { (n)-[:%s]->() }]", literal(t.Name+" →"), quote(t.Name)))
			}
			if t.End == l.Name {
				degrees = append(degrees, fmt.Sprintf("[%s, COUNT { (n)<-[:%s]-() }]", literal("→ "+t.Name), quote(t.Name)))
			}
		}
		if len(degrees) == 0 {
			continue
		}
		out = append(out, Query{Section: Generic, Name: "degrees-" + l.Name, Chart: ChartDegrees, Needs: needs,
			Title: fmt.Sprintf("Degree distribution of %s nodes, per relationship type (log scales)", l.Name),
			Note:  "Bars: nodes with a degree in [low, high], powers of two; a node without the type is degree 0.",
			Cypher: fmt.Sprintf(`MATCH (n:%s)
UNWIND [%s] AS d
WITH d[0] AS relationship, d[1] AS degree
RETURN relationship, degree, count(*) AS nodes
ORDER BY relationship, degree`, quote(l.Name), strings.Join(degrees, ", "))})
	}
	var dense []string
	for _, l := range s.Labels {
		key := l.key("n")
		dense = append(dense, fmt.Sprintf(`MATCH (n:%s)
WITH n, COUNT { (n)--() } AS degree
ORDER BY degree DESC, %s LIMIT 3
RETURN %s + ' ' + toString(%s) AS node, %s AS label, %s AS key, degree`,
			quote(l.Name), key, literal(l.Name), key, literal(l.Name), key))
	}
	out = append(out, Query{Section: Generic, Name: "densest", Chart: ChartBar,
		Title:  "The densest nodes: the three with the most relationships of each label",
		Cypher: strings.Join(dense, "\nUNION ALL\n")})
	return out
}
