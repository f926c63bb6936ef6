package graphwrite

import (
	"context"
	"errors"
	"fmt"
	"strings"

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
	specs := append(s.Nodes(), staging.NodeSpec{Label: watermarkLabel, Key: "id"})
	for _, n := range specs {
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
