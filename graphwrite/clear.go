package graphwrite

import (
	"context"
	"fmt"
)

// clearBatch is the number of rows each inner transaction of
// ClearDatabase deletes.
const clearBatch = 10000

// Deleting runs as CALL { ... } IN TRANSACTIONS, which must be sent as an
// auto-commit (implicit) transaction. Relationships go first, in batches,
// so that a dense node (a country with a million RESIDES_IN) is never
// detached in one huge inner transaction; the nodes then go with DETACH
// DELETE for anything created in between.
var (
	clearRelsQuery  = fmt.Sprintf("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF %d ROWS", clearBatch)
	clearNodesQuery = fmt.Sprintf("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF %d ROWS", clearBatch)
)

// Cleared counts what ClearDatabase deleted.
type Cleared struct {
	Nodes         int64
	Relationships int64
}

// ClearDatabase deletes every node and relationship of the graph's
// database, the importer's watermarks included, in batches that work on
// tens of millions of rows. It drops no constraint or index.
func (g *Graph) ClearDatabase(ctx context.Context) (Cleared, error) {
	var c Cleared
	sum, err := g.exec(ctx, clearRelsQuery, nil)
	if err != nil {
		return c, fmt.Errorf("clear database %q: delete relationships: %w", g.database, err)
	}
	c.Relationships = int64(sum.Counters().RelationshipsDeleted())
	sum, err = g.exec(ctx, clearNodesQuery, nil)
	if err != nil {
		return c, fmt.Errorf("clear database %q: delete nodes: %w", g.database, err)
	}
	c.Nodes = int64(sum.Counters().NodesDeleted())
	c.Relationships += int64(sum.Counters().RelationshipsDeleted())
	return c, nil
}
