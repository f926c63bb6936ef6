package graphwrite

import (
	"fmt"
	"strings"

	"github.com/learnergraph/importer/staging"
)

// Cypher text is built here and only here. Labels, relationship types and
// property names come from the staging schema (staging.Nodes, staging.Rels)
// and are backquoted all the same; every value is a query parameter.
//
// A node row is the node's property map. A relationship row is a map with
// "s" (start key), "e" (end key) and "p" (property map); see params.go.

// watermarkLabel is the label of the importer's own bookkeeping nodes.
const watermarkLabel = "ImporterWatermark"

// quote backquotes a schema name for Cypher.
func quote(name string) string {
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// nodeQuery writes one batch of nodes of spec's label.
func nodeQuery(spec staging.NodeSpec, mode Mode) string {
	l, k := quote(spec.Label), quote(spec.Key)
	if mode == ModeCreate {
		return "UNWIND $rows AS row CREATE (n:" + l + ") SET n = row"
	}
	return "UNWIND $rows AS row MERGE (n:" + l + " {" + k + ": row." + k + "}) SET n += row"
}

// relMatch is the head of every relationship query: the rows and their two
// endpoints, found through the uniqueness constraints' indexes.
func relMatch(spec staging.RelSpec) string {
	start, _ := staging.NodeSpecOf(spec.Start)
	end, _ := staging.NodeSpecOf(spec.End)
	return "UNWIND $rows AS row " +
		"MATCH (a:" + quote(start.Label) + " {" + quote(start.Key) + ": row.s}) " +
		"MATCH (b:" + quote(end.Label) + " {" + quote(end.Key) + ": row.e}) "
}

// relCreateQuery creates one relationship per row. It returns the number of
// rows whose endpoints were found, which must be all of them.
func relCreateQuery(spec staging.RelSpec) string {
	return relMatch(spec) + "CREATE (a)-[r:" + quote(spec.Type) + "]->(b) SET r = row.p RETURN count(*) AS n"
}

// relMergeQuery merges one relationship per row on its two ends and, for
// a type with a key property, on that property too. Rows whose key
// property is null must go to relMergeNullQuery: MERGE cannot match on null.
func relMergeQuery(spec staging.RelSpec) string {
	t := quote(spec.Type)
	pattern := "(a)-[r:" + t + "]->(b)"
	if spec.KeyProp != "" {
		k := quote(spec.KeyProp)
		pattern = "(a)-[r:" + t + " {" + k + ": row.p." + k + "}]->(b)"
	}
	return relMatch(spec) + "MERGE " + pattern + " SET r += row.p RETURN count(*) AS n"
}

// relMergeNullQuery is relMergeQuery for rows of a keyed type whose key
// property is null, a key value of its own: it updates the relationship
// between the two ends that has no key property, or creates one.
func relMergeNullQuery(spec staging.RelSpec) string {
	t, k := quote(spec.Type), quote(spec.KeyProp)
	return relMatch(spec) +
		"OPTIONAL MATCH (a)-[x:" + t + "]->(b) WHERE x." + k + " IS NULL " +
		"WITH a, b, row, head(collect(x)) AS x " +
		"FOREACH (_ IN CASE WHEN x IS NULL THEN [1] ELSE [] END | CREATE (a)-[r:" + t + "]->(b) SET r = row.p) " +
		"FOREACH (_ IN CASE WHEN x IS NULL THEN [] ELSE [1] END | SET x += row.p) " +
		"RETURN count(*) AS n"
}

// constraintName is the name of the uniqueness constraint on label.key.
func constraintName(label, key string) string {
	return "importer_" + label + "_" + key + "_unique"
}

// constraintQuery creates the uniqueness constraint on label.key unless
// it, or one on the same schema, exists.
func constraintQuery(label, key string) string {
	return fmt.Sprintf("CREATE CONSTRAINT %s IF NOT EXISTS FOR (n:%s) REQUIRE n.%s IS UNIQUE",
		quote(constraintName(label, key)), quote(label), quote(key))
}

// Watermark statements; see watermark.go.
var (
	// watermarkLockQuery creates the watermark if needed, takes its write
	// lock (SET) and only then reads it, so that a transaction that commits
	// the same partition concurrently is waited for, not read around.
	watermarkLockQuery = "MERGE (w:" + quote(watermarkLabel) + " {id: $id}) " +
		"ON CREATE SET w.after = '', w.written = 0, w.kind = $kind, w.name = $name, w.part = $part " +
		"SET w.run = $run RETURN w.after AS after, w.written AS written"
	watermarkSetQuery = "MATCH (w:" + quote(watermarkLabel) + " {id: $id}) SET w.after = $after, w.written = $written"
	watermarksQuery   = "MATCH (w:" + quote(watermarkLabel) + ") WHERE w.run = $run RETURN w.id AS id, w.after AS after, w.written AS written"
	watermarksDelete  = "MATCH (w:" + quote(watermarkLabel) + ") WHERE w.run = $run DELETE w"
)

// countNodesQuery and countRelsQuery are answered from Neo4j's count store.
func countNodesQuery(label string) string {
	return "MATCH (n:" + quote(label) + ") RETURN count(n) AS n"
}

func countRelsQuery(typ string) string {
	return "MATCH ()-[r:" + quote(typ) + "]->() RETURN count(r) AS n"
}
