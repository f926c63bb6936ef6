package graphwrite

import (
	"slices"
	"strings"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/staging"
	bolt "go.etcd.io/bbolt"
)

// bucket is one staged bucket: the nodes of a label or the relationships
// of a type.
type bucket struct {
	kind string // checkpoint.KindNodes or checkpoint.KindRelationships
	node staging.NodeSpec
	rel  staging.RelSpec
}

// buckets returns every bucket in load order: all node labels, then all
// relationship types, in the schema's order.
func buckets() []bucket {
	var out []bucket
	for _, n := range staging.Nodes() {
		out = append(out, bucket{kind: checkpoint.KindNodes, node: n})
	}
	for _, r := range staging.Rels() {
		out = append(out, bucket{kind: checkpoint.KindRelationships, rel: r})
	}
	return out
}

func (b bucket) name() string {
	if b.kind == checkpoint.KindNodes {
		return b.node.Label
	}
	return b.rel.Type
}

func (b bucket) perLearner() bool {
	if b.kind == checkpoint.KindNodes {
		return b.node.PerLearner
	}
	return b.rel.PerLearner()
}

// sortedByEnd returns rels ordered by end key, ties in bucket order. It
// sorts an index, not the (large) Rel values.
func sortedByEnd(rels []staging.Rel) []staging.Rel {
	order := make([]int, len(rels))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int { return strings.Compare(rels[i].End, rels[j].End) })
	out := make([]staging.Rel, len(rels))
	for i, o := range order {
		out[i] = rels[o]
	}
	return out
}

// statement is one query of a batch with its rows.
type statement struct {
	cypher string
	rows   []any
	// checked statements return n, the rows whose endpoints matched,
	// which must equal len(rows).
	checked bool
}

// batch is what one Neo4j transaction writes: up to batch-size staged
// entities of one partition, after the staged key `after` up to and
// including `last`.
type batch struct {
	after, last []byte
	count       int
	stmts       []statement
}

// read copies the next batch of partition r out of the state file, in one
// short read transaction. A batch of count 0 means the partition is
// drained.
func (b bucket) read(db *bolt.DB, r staging.Range, after []byte, limit int, mode Mode) (batch, error) {
	out := batch{after: after}
	err := db.View(func(tx *bolt.Tx) error {
		var err error
		if b.kind == checkpoint.KindNodes {
			var nodes []staging.Node
			nodes, out.last, err = staging.ReadNodes(tx, b.node.Label, r, after, limit)
			out.count = len(nodes)
			out.stmts = b.nodeStatements(nodes, mode)
			return err
		}
		var rels []staging.Rel
		rels, out.last, err = staging.ReadRels(tx, b.rel.Type, r, after, limit)
		out.count = len(rels)
		out.stmts = b.relStatements(rels, mode)
		return err
	})
	return out, err
}

func (b bucket) nodeStatements(nodes []staging.Node, mode Mode) []statement {
	if len(nodes) == 0 {
		return nil
	}
	rows := make([]any, len(nodes))
	for i, n := range nodes {
		rows[i] = nodeRow(n)
	}
	return []statement{{cypher: nodeQuery(b.node, mode), rows: rows}}
}

// relStatements builds the statements of a relationship batch. In merge
// mode a type with a key property splits its rows in two: those with the
// key property set, and those without (see relMergeNullQuery).
//
// Rows are sorted by end key, so that concurrent transactions lock shared
// end nodes that are still sparse (a company with a few employees) in the
// same order, which avoids most deadlocks; start nodes (learners) are
// never shared between concurrent batches.
func (b bucket) relStatements(rels []staging.Rel, mode Mode) []statement {
	if len(rels) == 0 {
		return nil
	}
	rels = sortedByEnd(rels)
	if mode == ModeCreate || b.rel.KeyProp == "" {
		rows := make([]any, len(rels))
		for i, r := range rels {
			rows[i] = relRow(r)
		}
		q := relCreateQuery(b.rel)
		if mode != ModeCreate {
			q = relMergeQuery(b.rel)
		}
		return []statement{{cypher: q, rows: rows, checked: true}}
	}
	var keyed, null []any
	for _, r := range rels {
		if r.Props.Get(b.rel.KeyProp) == nil {
			null = append(null, relRow(r))
		} else {
			keyed = append(keyed, relRow(r))
		}
	}
	var out []statement
	if len(keyed) > 0 {
		out = append(out, statement{cypher: relMergeQuery(b.rel), rows: keyed, checked: true})
	}
	if len(null) > 0 {
		out = append(out, statement{cypher: relMergeNullQuery(b.rel), rows: null, checked: true})
	}
	return out
}
