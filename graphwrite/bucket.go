package graphwrite

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/staging"
	bolt "go.etcd.io/bbolt"
)

// bucket is one staged bucket: the nodes of a label or the relationships
// of a type; or the learner group (group.go), which loads its members
// together.
type bucket struct {
	s       *staging.Schema
	kind    string // checkpoint.KindNodes, checkpoint.KindRelationships or kindLearners
	node    staging.NodeSpec
	rel     staging.RelSpec
	members []bucket // of the learner group
	ends    endIDs   // of the learner group, when its ends are found by id
}

// buckets returns every bucket of schema s in load order: all node
// labels, then all relationship types, in the schema's order.
func buckets(s *staging.Schema) []bucket {
	var out []bucket
	for _, n := range s.Nodes() {
		out = append(out, bucket{s: s, kind: checkpoint.KindNodes, node: n})
	}
	for _, r := range s.Rels() {
		out = append(out, bucket{s: s, kind: checkpoint.KindRelationships, rel: r})
	}
	return out
}

func (b bucket) name() string {
	switch b.kind {
	case checkpoint.KindNodes:
		return b.node.Label
	case kindLearners:
		return kindLearners
	}
	return b.rel.Type
}

func (b bucket) perLearner() bool {
	switch b.kind {
	case checkpoint.KindNodes:
		return b.node.PerLearner
	case kindLearners:
		return true
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
	// Equal ends stay in their order: an unstable sort with the position
	// as the tie-break is a stable one, in O(n log n).
	slices.SortFunc(order, func(i, j int) int {
		if c := strings.Compare(rels[i].End, rels[j].End); c != 0 {
			return c
		}
		return cmp.Compare(i, j)
	})
	out := make([]staging.Rel, len(rels))
	for i, o := range order {
		out[i] = rels[o]
	}
	return out
}

// statement is one query of a batch with its parameters.
type statement struct {
	cypher string
	params map[string]any
	// checked statements return n, the relationships whose endpoints
	// matched, which must equal want.
	checked bool
	want    int
}

// rowsStatement is a statement of one parameter, $rows; a checked one
// expects every row to match.
func rowsStatement(cypher string, rows []any, checked bool) statement {
	return statement{cypher: cypher, params: map[string]any{"rows": rows}, checked: checked, want: len(rows)}
}

// batch is what one Neo4j transaction writes: up to batch-size staged
// entities of one partition, after the staged key `after` up to and
// including `last`.
type batch struct {
	after, last []byte
	count       int
	counts      []int64 // of a learner group: count by member
	stmts       []statement
}

// read copies the next batch of partition r out of the state file, in one
// short read transaction. A batch of count 0 means the partition is
// drained.
func (b bucket) read(db checkpoint.DB, r staging.Range, after []byte, limit int, mode Mode) (batch, error) {
	if b.kind == kindLearners {
		return b.readGroup(db, r, after, limit)
	}
	out := batch{after: after}
	err := db.View(func(tx *bolt.Tx) error {
		var err error
		if b.kind == checkpoint.KindNodes {
			var nodes []staging.Node
			nodes, out.last, err = staging.ReadNodes(tx, b.s, b.node.Label, r, after, limit)
			out.count = len(nodes)
			out.stmts = b.nodeStatements(nodes, mode)
			return err
		}
		var rels []staging.Rel
		rels, out.last, err = staging.ReadRels(tx, b.s, b.rel.Type, r, after, limit)
		if err != nil {
			return err
		}
		out.count = len(rels)
		out.stmts, err = b.relStatements(rels, mode)
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
	return []statement{rowsStatement(nodeQuery(b.node, mode), rows, false)}
}

// nodeDeclared fails unless every property of n is in spec's schema.
func nodeDeclared(spec staging.NodeSpec, n staging.Node) error {
	for _, q := range n.Props {
		if !spec.Declares(q.Name) {
			return fmt.Errorf("%w: %s.%s (load this state file with the importer version that staged it)", ErrUndeclared, spec.Label, q.Name)
		}
	}
	return nil
}

// relStatements builds the statements of a relationship batch. In merge
// mode a type with key properties splits its rows in two: those with every
// key property set, and those with one or more null (see
// relMergeNullQuery).
//
// Rows are sorted by end key, so that concurrent transactions lock shared
// end nodes that are still sparse (a company with a few employees) in the
// same order, which avoids most deadlocks; start nodes (learners) are
// never shared between concurrent batches.
func (b bucket) relStatements(rels []staging.Rel, mode Mode) ([]statement, error) {
	if len(rels) == 0 {
		return nil, nil
	}
	if err := relsDeclared(b.rel, rels); err != nil {
		return nil, err
	}
	rels = sortedByEnd(rels)
	ends := endsOf(b.s, b.rel)
	keys := b.rel.KeyProps()
	if mode == ModeCreate || len(keys) == 0 {
		rows := make([]any, len(rels))
		for i, r := range rels {
			rows[i] = ends.row(r)
		}
		q := relCreateQuery(b.s, b.rel)
		if mode != ModeCreate {
			q = relMergeQuery(b.s, b.rel)
		}
		return []statement{rowsStatement(q, rows, true)}, nil
	}
	var keyed, null []any
	for _, r := range rels {
		if anyNull(r.Props, keys) {
			null = append(null, ends.row(r))
		} else {
			keyed = append(keyed, ends.row(r))
		}
	}
	var out []statement
	if len(keyed) > 0 {
		out = append(out, rowsStatement(relMergeQuery(b.s, b.rel), keyed, true))
	}
	if len(null) > 0 {
		out = append(out, rowsStatement(relMergeNullQuery(b.s, b.rel), null, true))
	}
	return out, nil
}

// anyNull reports whether one of the properties keys is null in p.
func anyNull(p staging.Props, keys []string) bool {
	for _, k := range keys {
		if p.Get(k) == nil {
			return true
		}
	}
	return false
}

// relsDeclared fails unless every property of rels is in spec's schema,
// which the create query spells out: anything else would be dropped.
func relsDeclared(spec staging.RelSpec, rels []staging.Rel) error {
	for _, r := range rels {
		for _, q := range r.Props {
			if !spec.Declares(q.Name) {
				return fmt.Errorf("%w: %s.%s (load this state file with the importer version that staged it)", ErrUndeclared, spec.Type, q.Name)
			}
		}
	}
	return nil
}
