package graphwrite

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/staging"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// awaitIndexesSeconds bounds the wait for new constraints to come online.
const awaitIndexesSeconds = 600

// EnsureConstraints creates a uniqueness constraint for the key of every
// node label of schema s, and one for the watermarks' id, unless they
// (or equivalent ones) exist, and waits until their indexes are online.
// When the target already breaks one, the error wraps ErrConstraint and
// names the label and key.
func (g *Graph) EnsureConstraints(ctx context.Context, s *staging.Schema) error {
	return g.ensureConstraints(ctx, s, nil)
}

// ensureConstraints is EnsureConstraints but for the labels in deferred.
func (g *Graph) ensureConstraints(ctx context.Context, s *staging.Schema, deferred []string) error {
	specs := append(s.Nodes(), staging.NodeSpec{Label: watermarkLabel, Key: "id"})
	for _, n := range specs {
		if slices.Contains(deferred, n.Label) {
			continue
		}
		if _, err := g.exec(ctx, constraintQuery(n.Label, n.KeyProps()...), nil); err != nil {
			return constraintError(n.Label, n.KeyProps(), err)
		}
	}
	_, err := g.exec(ctx, "CALL db.awaitIndexes($seconds)", map[string]any{"seconds": int64(awaitIndexesSeconds)})
	if err != nil {
		return fmt.Errorf("wait for constraints to come online: %w", err)
	}
	return nil
}

func constraintError(label string, keys []string, err error) error {
	key, value := keys[0], "n."+keys[0]
	if len(keys) > 1 {
		key, value = strings.Join(keys, ", "), "[n."+strings.Join(keys, ", n.")+"]"
	}
	var dbErr *neo4j.Neo4jError
	if !errors.As(err, &dbErr) {
		return fmt.Errorf("create constraint on :%s(%s): %w", label, key, err)
	}
	hint := "see SHOW CONSTRAINTS and SHOW INDEXES"
	switch dbErr.Title() { // Neo4j 5 reports a violation as a DatabaseError
	case "ConstraintCreationFailed":
		hint = fmt.Sprintf("the target already holds several :%s nodes with one %s; find them with "+
			"MATCH (n:%s) WITH %s AS k, count(*) AS c WHERE c > 1 RETURN k, c, remove the duplicates "+
			"(or empty the target with `importer clear-database`), then run the load again", label, key, label, value)
	case "IndexAlreadyExists", "EquivalentSchemaRuleAlreadyExists", "ConstraintWithNameAlreadyExists",
		"IndexWithNameAlreadyExists", "ConflictingConstraint", "AlreadyIndexed":
		hint = fmt.Sprintf("an index or constraint on :%s(%s) is in the way; drop it (SHOW INDEXES, DROP INDEX name), then run the load again", label, key)
	}
	msg := strings.Join(strings.Fields(dbErr.Msg), " ") // one line
	return fmt.Errorf("%w on :%s(%s): %s: %s (%s)", ErrConstraint, label, key, dbErr.Code, msg, hint)
}

// deferConstraints returns the labels of schema s whose uniqueness
// constraints a create mode load may leave until the learner group is
// written, and drops those constraints: the group's node labels (the
// learner and its state labels) that have no node in the target. The
// group statement creates these nodes and never looks one up by its key,
// so during the group their unique indexes would only cost: an index
// insert, a uniqueness check and an index-entry lock per node
// (docs/performance.md, session 6). Built once at the end, by index
// population, they cost Neo4j a few seconds. A label with nodes keeps its
// constraint, so a create mode load into a target that already holds one
// of the file's keys still fails at the batch that repeats it.
func (g *Graph) deferConstraints(ctx context.Context, s *staging.Schema) ([]string, error) {
	var out []string
	for _, m := range learnerGroup(s).members {
		if m.kind != checkpoint.KindNodes {
			continue
		}
		n, err := g.countOne(ctx, countNodesQuery(m.node.Label))
		if err != nil {
			return nil, fmt.Errorf("count %s nodes: %w", m.node.Label, err)
		}
		if n > 0 {
			continue
		}
		if _, err := g.exec(ctx, "DROP CONSTRAINT "+quote(constraintName(m.node.Label, m.node.KeyProps()...))+" IF EXISTS", nil); err != nil {
			return nil, fmt.Errorf("drop the constraint on :%s to build it after the load: %w", m.node.Label, err)
		}
		out = append(out, m.node.Label)
	}
	return out, nil
}
