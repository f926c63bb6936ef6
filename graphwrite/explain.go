package graphwrite

import (
	"context"
	"errors"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Explain asks Neo4j to plan cypher without running it (EXPLAIN, in a read
// transaction) and returns what is wrong with it for a read-only query:
// "" when the plan only reads, else that it writes or the server's reason
// it cannot plan it (a syntax error, an unknown function or procedure).
// Any other failure (connection, authentication) is the error.
func (g *Graph) Explain(ctx context.Context, cypher string) (problem string, err error) {
	s := g.session(ctx, neo4j.AccessModeRead)
	defer s.Close(context.Background())
	t, err := s.ExecuteRead(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		res, err := tx.Run(ctx, "EXPLAIN "+cypher, nil)
		if err != nil {
			return nil, err
		}
		sum, err := res.Consume(ctx)
		if err != nil {
			return nil, err
		}
		return sum.StatementType(), nil
	})
	var dbErr *neo4j.Neo4jError
	switch {
	case errors.As(err, &dbErr) && strings.HasPrefix(dbErr.Code, "Neo.ClientError.Statement."):
		msg, _, _ := strings.Cut(strings.TrimSpace(dbErr.Msg), "\n")
		return "Neo4j cannot plan it: " + msg, nil
	case err != nil:
		return "", err
	case t != neo4j.StatementTypeReadOnly:
		return "Neo4j plans it as a query that writes", nil
	}
	return "", nil
}
