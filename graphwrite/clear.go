package graphwrite

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/learnergraph/importer/staging"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

const (
	// clearBatch is the number of relationships or nodes each transaction
	// of ClearDatabase deletes.
	clearBatch = 10000
	// clearWorkers is how many transactions ClearDatabase runs at once.
	clearWorkers = 4
)

// ClearDatabase deletes in three phases, so that it keeps both cores busy
// and no transaction grows with the graph:
//
//  1. the relationships of the schema's types, one type per worker, the
//     most numerous first, each in transactions of clearBatch; two types
//     that share nodes deadlock now and then (at 1.7M rows often enough
//     to outlast the driver's 15 s of retries), so each batch is retried
//     with the load's backoff for up to DefaultRetryFor, and counted;
//  2. the nodes of the schema's labels (and the watermarks) the same way,
//     which now have no relationships left, so they take no lock but
//     their own (a node with two labels waits for the last sweep);
//  3. whatever is left (other labels and types, anything written
//     meanwhile), in one CALL { ... } IN TRANSACTIONS sweep each for
//     relationships and nodes, which must be sent as an auto-commit
//     transaction; relationships go first so that a dense node is never
//     detached in one huge inner transaction.
//
// Labels and types reach Cypher only from the schema; the sweeps need none.
var (
	clearRelsQuery  = fmt.Sprintf("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF %d ROWS", clearBatch)
	clearNodesQuery = fmt.Sprintf("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF %d ROWS", clearBatch)
)

func clearTypeQuery(typ string) string {
	return "MATCH ()-[r:" + quote(typ) + "]->() WITH r LIMIT $n DELETE r"
}

// clearLabelQuery leaves a node with more labels than label to the last
// sweep: the workers of two of its labels would both delete it.
func clearLabelQuery(label string) string {
	return "MATCH (n:" + quote(label) + ") WHERE size(labels(n)) = 1 WITH n LIMIT $n DETACH DELETE n"
}

// Cleared counts what ClearDatabase deleted.
type Cleared struct {
	Nodes         int64
	Relationships int64
	// Retries counts batches run again after a deadlock or another
	// transient error the driver's own retries did not outlast.
	Retries int64
}

func (c *Cleared) add(s neo4j.ResultSummary) {
	c.Nodes += int64(s.Counters().NodesDeleted())
	c.Relationships += int64(s.Counters().RelationshipsDeleted())
}

// ClearDatabase deletes every node and relationship of the graph's
// database, the importer's watermarks included, in batches that work on
// tens of millions of rows. It drops no constraint or index. The labels
// and types of the built-in learner schema are deleted in parallel jobs,
// anything else after them.
func (g *Graph) ClearDatabase(ctx context.Context) (Cleared, error) {
	var c Cleared
	var types, labels []clearJob
	schema := staging.DefaultSchema()
	for _, t := range schema.Types() {
		types = append(types, clearJob{name: t, cypher: clearTypeQuery(t), count: countRelsQuery(t)})
	}
	for _, l := range append(schema.Labels(), watermarkLabel) {
		labels = append(labels, clearJob{name: l, cypher: clearLabelQuery(l), count: countNodesQuery(l)})
	}
	if err := g.clearParallel(ctx, types, &c); err != nil {
		return c, fmt.Errorf("clear database %q: delete relationships: %w", g.database, err)
	}
	if err := g.clearParallel(ctx, labels, &c); err != nil {
		return c, fmt.Errorf("clear database %q: delete nodes: %w", g.database, err)
	}
	sum, err := g.exec(ctx, clearRelsQuery, nil)
	if err != nil {
		return c, fmt.Errorf("clear database %q: delete relationships: %w", g.database, err)
	}
	c.add(sum)
	sum, err = g.exec(ctx, clearNodesQuery, nil)
	if err != nil {
		return c, fmt.Errorf("clear database %q: delete nodes: %w", g.database, err)
	}
	c.add(sum)
	return c, nil
}

// clearJob deletes the relationships of a type or the nodes of a label.
type clearJob struct {
	name   string
	cypher string // deletes up to $n
	count  string // counts what is left, from the count store
	left   int64
}

// clearParallel runs jobs on up to clearWorkers sessions, the largest
// first, each until nothing of it is left.
func (g *Graph) clearParallel(ctx context.Context, jobs []clearJob, c *Cleared) error {
	todo := jobs[:0]
	for _, j := range jobs {
		n, err := g.countOne(ctx, j.count)
		if err != nil {
			return fmt.Errorf("count %s: %w", j.name, err)
		}
		if j.left = n; n > 0 {
			todo = append(todo, j)
		}
	}
	sort.SliceStable(todo, func(a, b int) bool { return todo[a].left > todo[b].left })
	queue := make(chan clearJob, len(todo))
	for _, j := range todo {
		queue <- j
	}
	close(queue)
	var mu sync.Mutex
	st := newStats(ModeCreate)
	retry := newRetrier(DefaultRetryFor, func(string, ...any) {}, st)
	defer func() {
		for _, n := range st.snapshot().Retries {
			c.Retries += n
		}
	}()
	errs := make([]error, min(clearWorkers, len(todo)))
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() {
			s := g.session(ctx, neo4j.AccessModeWrite)
			defer s.Close(context.Background())
			for j := range queue {
				var mine Cleared
				err := clearAll(ctx, s, retry, j, &mine)
				mu.Lock()
				c.Nodes += mine.Nodes
				c.Relationships += mine.Relationships
				mu.Unlock()
				if err != nil {
					errs[i] = fmt.Errorf("%s: %w", j.name, err)
					return
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// clearAll runs j's batches until one deletes nothing.
func clearAll(ctx context.Context, s neo4j.SessionWithContext, retry *retrier, j clearJob, c *Cleared) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var out any
		err := retry.do(ctx, "clear "+j.name, func() error {
			var err error
			out, err = s.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
				res, err := tx.Run(ctx, j.cypher, map[string]any{"n": clearBatch})
				if err != nil {
					return nil, err
				}
				return res.Consume(ctx)
			})
			return err
		})
		if err != nil {
			return err
		}
		sum := out.(neo4j.ResultSummary)
		c.add(sum)
		if sum.Counters().NodesDeleted()+sum.Counters().RelationshipsDeleted() == 0 {
			return nil
		}
	}
}
