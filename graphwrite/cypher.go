package graphwrite

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/staging"
)

// Cypher text is built here and only here. Labels, relationship types and
// property names come from the state file's schema (staging.Schema, the
// compiled mapping) and are backquoted all the same; every value is a
// query parameter.
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
	l := quote(spec.Label)
	if mode == ModeCreate {
		return "UNWIND $rows AS row CREATE (n:" + l + ") SET n = row"
	}
	return "UNWIND $rows AS row MERGE (n:" + l + propMap("row.", spec.KeyProps()) + ") SET n += row"
}

// relMatch is the head of every relationship query: the rows and their two
// endpoints, found through the uniqueness constraints' indexes.
func relMatch(s *staging.Schema, spec staging.RelSpec) string {
	start, _ := s.NodeSpecOf(spec.Start)
	end, _ := s.NodeSpecOf(spec.End)
	return "UNWIND $rows AS row " +
		"MATCH (a:" + quote(start.Label) + keyMatch(start, "row.s") + ") " +
		"MATCH (b:" + quote(end.Label) + keyMatch(end, "row.e") + ") "
}

// relCreateQuery creates one relationship per row. It returns the number of
// rows whose endpoints were found, which must be all of them.
//
// The properties are spelled out from the schema (a null one is not set,
// as with SET r = row.p): SET r = row.p would write properties unknown to
// the planner, which then puts an Eager operator between the endpoint
// lookups and the CREATE, materializing every row first.
func relCreateQuery(s *staging.Schema, spec staging.RelSpec) string {
	return relMatch(s, spec) + "CREATE (a)-[r:" + quote(spec.Type) + propMap("row.p.", spec.Props) + "]->(b) RETURN count(*) AS n"
}

// propMap is a map literal " {k: <from>k, ...}" of the schema's property
// names, or "" for none.
func propMap(from string, names []string) string {
	if len(names) == 0 {
		return ""
	}
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = quote(n) + ": " + from + quote(n)
	}
	return " {" + strings.Join(parts, ", ") + "}"
}

// relMergeQuery merges one relationship per row on its two ends and, for
// a type with key properties, on them too. Rows with a null key property
// must go to relMergeNullQuery: MERGE cannot match on null.
func relMergeQuery(s *staging.Schema, spec staging.RelSpec) string {
	pattern := "(a)-[r:" + quote(spec.Type) + propMap("row.p.", spec.KeyProps()) + "]->(b)"
	return relMatch(s, spec) + "MERGE " + pattern + " SET r += row.p RETURN count(*) AS n"
}

// relMergeNullQuery is relMergeQuery for rows of a keyed type with a null
// key property, a key value of its own: it updates the relationship
// between the two ends whose key properties are those of the row — absent
// where the row's are null, equal where they are not —, or creates one.
// For a type keyed by one property every row here has it null.
func relMergeNullQuery(s *staging.Schema, spec staging.RelSpec) string {
	t := quote(spec.Type)
	return relMatch(s, spec) +
		"OPTIONAL MATCH (a)-[x:" + t + "]->(b) WHERE " + nullKeyMatch(spec.KeyProps()) + " " +
		"WITH a, b, row, head(collect(x)) AS x " +
		"FOREACH (_ IN CASE WHEN x IS NULL THEN [1] ELSE [] END | CREATE (a)-[r:" + t + "]->(b) SET r = row.p) " +
		"FOREACH (_ IN CASE WHEN x IS NULL THEN [] ELSE [1] END | SET x += row.p) " +
		"RETURN count(*) AS n"
}

// nullKeyMatch is the condition on x of relMergeNullQuery: "x.k IS NULL"
// for one key property; for several, each one equal to the row's or both
// null, "(x.k1 = row.p.k1 OR x.k1 IS NULL AND row.p.k1 IS NULL) AND …".
func nullKeyMatch(keys []string) string {
	if len(keys) == 1 {
		return "x." + quote(keys[0]) + " IS NULL"
	}
	parts := make([]string, len(keys))
	for i, k := range keys {
		x, p := "x."+quote(k), "row.p."+quote(k)
		parts[i] = "(" + x + " = " + p + " OR " + x + " IS NULL AND " + p + " IS NULL)"
	}
	return strings.Join(parts, " AND ")
}

// groupQuery writes one batch of a learner group (group.go). Its rows are
// positional lists, not maps, which Neo4j unpacks and reads faster (no key
// strings, no hash lookups): $rows holds one row per learner, its
// properties in schema order followed by one field per state member, [its
// state node] or []. A state is its properties in schema order, then the
// map of its data's properties, then one field per relationship member
// that may join it: [[its properties in schema order]] or []. $m<j> lists
// member j's relationships to shared nodes as [the learner's row, the
// end's node id (ends.go) or null, the end's key parameter (keyParam), its
// properties in schema order...]; the end is found by its id when its
// label has ids, else by its key. The statement returns the
// number of those whose end was found, which must be all of them.
//
// The learners are created first and collected, so each relationship
// list is one UNWIND in end key order that reaches its learner by position
// in the collected list, not by an index seek.
func groupQuery(g bucket) string {
	learner := g.members[0].node
	at := g.layout().at
	var q strings.Builder
	q.WriteString("UNWIND $rows AS row CREATE (l:" + quote(learner.Label) + propList("row", 0, learner.Props) + ")")
	for i, m := range g.members {
		if i == 0 || m.kind != checkpoint.KindNodes {
			continue
		}
		q.WriteString(" FOREACH (s IN row[" + strconv.Itoa(at[i]) + "] | CREATE (x:" + quote(m.node.Label) + propList("s", 0, m.node.Props) + ")")
		if m.node.DataPrefix != "" {
			q.WriteString(" SET x += s[" + strconv.Itoa(len(m.node.Props)) + "]")
		}
		for j, r := range g.members {
			if r.kind == checkpoint.KindRelationships && g.stateMember(r) == i {
				q.WriteString(" FOREACH (p IN s[" + strconv.Itoa(at[j]) + "] | CREATE (l)-[:" + quote(r.rel.Type) + propList("p", 0, r.rel.Props) + "]->(x))")
			}
		}
		q.WriteString(")")
	}
	q.WriteString(" WITH collect(l) AS ls")
	var counts []string
	for j, r := range g.members {
		if r.kind != checkpoint.KindRelationships || g.stateMember(r) >= 0 {
			continue
		}
		end, _ := g.s.NodeSpecOf(r.rel.End)
		c := "c" + strconv.Itoa(j)
		match := " MATCH (b:" + quote(end.Label) + keyMatch(end, "x[2]") + ")"
		if g.ends[end.Label] != nil {
			// [b.key] = [x[2]] is b.key = x[2], written so that the
			// planner cannot answer it from the key's unique index: given
			// the plain comparison it seeks the index (a locking seek)
			// and only filters on id(b).
			match = " MATCH (b:" + quote(end.Label) + ") WHERE id(b) = x[1] AND [b." + quote(end.Key) + "] = [x[2]]"
		}
		q.WriteString(" CALL (ls) { UNWIND $" + memberField(j) + " AS x WITH ls[x[0]] AS a, x" + match +
			" CREATE (a)-[:" + quote(r.rel.Type) + propList("x", 3, r.rel.Props) + "]->(b) RETURN count(*) AS " + c + " }")
		counts = append(counts, c)
	}
	if len(counts) == 0 {
		counts = []string{"0"}
	}
	q.WriteString(" RETURN " + strings.Join(counts, " + ") + " AS n")
	return q.String()
}

// propList is a map literal " {k: <list>[i], ...}" of the schema's
// property names, read from list from position first on, or "" for none.
func propList(list string, first int, names []string) string {
	if len(names) == 0 {
		return ""
	}
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = quote(n) + ": " + list + "[" + strconv.Itoa(first+i) + "]"
	}
	return " {" + strings.Join(parts, ", ") + "}"
}

// endIDsQuery returns the key and node id of every node of spec's label.
func endIDsQuery(spec staging.NodeSpec) string {
	return "MATCH (n:" + quote(spec.Label) + ") RETURN n." + quote(spec.Key) + " AS k, id(n) AS id"
}

// constraintName is the name of the uniqueness constraint on label's key
// properties.
func constraintName(label string, keys ...string) string {
	return "importer_" + label + "_" + strings.Join(keys, "_") + "_unique"
}

// constraintQuery creates the uniqueness constraint on label's key
// properties unless it, or one on the same schema, exists. A composite key
// gets a composite property uniqueness constraint, REQUIRE (n.a, n.b) IS
// UNIQUE: Neo4j 5.26 Community has it (its NODE KEY constraint, which
// would also require the properties to exist, is Enterprise only), and its
// index serves the MATCH and MERGE on all the key's properties.
func constraintQuery(label string, keys ...string) string {
	props := make([]string, len(keys))
	for i, k := range keys {
		props[i] = "n." + quote(k)
	}
	require := props[0]
	if len(props) > 1 {
		require = "(" + strings.Join(props, ", ") + ")"
	}
	return fmt.Sprintf("CREATE CONSTRAINT %s IF NOT EXISTS FOR (n:%s) REQUIRE %s IS UNIQUE",
		quote(constraintName(label, keys...)), quote(label), require)
}

// Watermark statements; see watermark.go.
var (
	// watermarkLockQuery creates the watermark if needed, takes its write
	// lock (SET) and only then reads it, so that a transaction that commits
	// the same partition concurrently is waited for, not read around.
	watermarkLockQuery = "MERGE (w:" + quote(watermarkLabel) + " {id: $id}) " +
		"ON CREATE SET w.after = '', w.written = 0, w.kind = $kind, w.name = $name, w.part = $part " +
		"SET w.run = $run RETURN w.after AS after, w.written AS written, w.counts AS counts"
	watermarkSetQuery = "MATCH (w:" + quote(watermarkLabel) + " {id: $id}) SET w.after = $after, w.written = $written, w.counts = $counts"
	watermarksQuery   = "MATCH (w:" + quote(watermarkLabel) + ") WHERE w.run = $run RETURN w.id AS id, w.after AS after, w.written AS written, w.counts AS counts"
	watermarksDelete  = "MATCH (w:" + quote(watermarkLabel) + ") WHERE w.run = $run DELETE w"
)

// countNodesQuery and countRelsQuery are answered from Neo4j's count store.
func countNodesQuery(label string) string {
	return "MATCH (n:" + quote(label) + ") RETURN count(n) AS n"
}

func countRelsQuery(typ string) string {
	return "MATCH ()-[r:" + quote(typ) + "]->() RETURN count(r) AS n"
}
