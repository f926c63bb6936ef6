package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	bolt "go.etcd.io/bbolt"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/graphwrite"
	"github.com/learnergraph/importer/staging"
)

// neo is this program's own connection, for what graphwrite does not do:
// the seed's one-transaction-per-entity writes, and counting transactions.
type neo struct {
	driver   neo4j.DriverWithContext
	database string
}

func connect(ctx context.Context, cfg graphwrite.Config) (*neo, error) {
	d, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.Username, cfg.Password, ""))
	if err != nil {
		return nil, fmt.Errorf("connect to neo4j: %w", err)
	}
	if err := d.VerifyConnectivity(ctx); err != nil {
		d.Close(context.Background())
		return nil, fmt.Errorf("connect to neo4j: %w", err)
	}
	return &neo{driver: d, database: cfg.Database}, nil
}

func (n *neo) close() { n.driver.Close(context.Background()) }

func (n *neo) query(ctx context.Context, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	res, err := neo4j.ExecuteQuery(ctx, n.driver, cypher, params, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(n.database))
	if err != nil {
		return nil, err
	}
	return res.Records, nil
}

// txCounter returns the database's transaction sequence number: Neo4j
// names transactions <database>-transaction-<n>, n counting every
// transaction started on the database, and SHOW TRANSACTIONS lists at
// least its own. The difference between two readings, minus one, is the
// number of transactions started in between, by anyone (-1: unknown).
func (n *neo) txCounter(ctx context.Context) int64 {
	recs, err := n.query(ctx, "SHOW TRANSACTIONS YIELD transactionId RETURN transactionId", nil)
	if err != nil {
		return -1
	}
	prefix := n.database + "-transaction-"
	var seq int64 = -1
	for _, r := range recs {
		id, _ := r.Get("transactionId")
		s, _ := id.(string)
		if rest, ok := strings.CutPrefix(s, prefix); ok {
			if v, err := strconv.ParseInt(rest, 10, 64); err == nil {
				seq = max(seq, v)
			}
		}
	}
	return seq
}

// txBetween is the number of transactions between two txCounter readings.
func txBetween(before, after int64) int64 {
	if before < 0 || after < 0 {
		return -1
	}
	return after - before - 1
}

// version returns Neo4j's version and edition.
func (n *neo) version(ctx context.Context) string {
	recs, err := n.query(ctx, "CALL dbms.components() YIELD versions, edition RETURN versions[0] AS v, edition AS e", nil)
	if err != nil || len(recs) == 0 {
		return ""
	}
	v, _ := recs[0].Get("v")
	e, _ := recs[0].Get("e")
	return fmt.Sprintf("%v %v", v, e)
}

// baselineWrite writes every staged entity of db the way the seed's old
// ETL did: one session, one transaction (session.ExecuteWrite) per node
// and per relationship, each a single MERGE with parameters. Nodes go
// first, then relationships, as in the importer. It returns the counts
// and the time each half took.
func (n *neo) baselineWrite(ctx context.Context, db *bolt.DB) (b Baseline, err error) {
	var nodes []staging.Node
	var rels []staging.Rel
	err = db.View(func(tx *bolt.Tx) error {
		for _, spec := range staging.DefaultSchema().Nodes() {
			ns, _, err := staging.ReadNodes(tx, staging.DefaultSchema(), spec.Label, staging.Range{}, nil, 1<<30)
			if err != nil {
				return err
			}
			nodes = append(nodes, ns...)
		}
		for _, spec := range staging.DefaultSchema().Rels() {
			rs, _, err := staging.ReadRels(tx, staging.DefaultSchema(), spec.Type, staging.Range{}, nil, 1<<30)
			if err != nil {
				return err
			}
			rels = append(rels, rs...)
		}
		return nil
	})
	if err != nil {
		return b, fmt.Errorf("read baseline slice: %w", err)
	}
	s := n.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: n.database, AccessMode: neo4j.AccessModeWrite})
	defer s.Close(context.Background())
	start := time.Now()
	for _, node := range nodes {
		spec, _ := staging.DefaultSchema().NodeSpecOf(node.Label)
		q := "MERGE (n:" + quote(spec.Label) + " {" + quote(spec.Key) + ": $key}) SET n += $props"
		if err := write(ctx, s, q, map[string]any{"key": node.Key, "props": graphwrite.Params(node.Props)}); err != nil {
			return b, fmt.Errorf("baseline write %s %s: %w", node.Label, node.Key, err)
		}
	}
	b.NodeSeconds = time.Since(start).Seconds()
	start = time.Now()
	for _, r := range rels {
		q, params := relStatement(r)
		if err := write(ctx, s, q, params); err != nil {
			return b, fmt.Errorf("baseline write %s (%s)->(%s): %w", r.Type, r.Start, r.End, err)
		}
	}
	b.RelSeconds = time.Since(start).Seconds()
	b.Nodes, b.Relationships = int64(len(nodes)), int64(len(rels))
	return b, nil
}

// relStatement is the seed's statement for one relationship: MERGE on
// its ends, and on its key property for a type that has one. MERGE cannot
// match a null, so a WORKED_AT without a startDate (a key value of its
// own, unique in the staged data) is created instead.
func relStatement(r staging.Rel) (string, map[string]any) {
	spec, _ := staging.DefaultSchema().RelSpecOf(r.Type)
	start, _ := staging.DefaultSchema().NodeSpecOf(spec.Start)
	end, _ := staging.DefaultSchema().NodeSpecOf(spec.End)
	q := "MATCH (a:" + quote(start.Label) + " {" + quote(start.Key) + ": $s}) " +
		"MATCH (b:" + quote(end.Label) + " {" + quote(end.Key) + ": $e}) "
	params := map[string]any{"s": r.Start, "e": r.End, "props": graphwrite.Params(r.Props)}
	t := quote(spec.Type)
	switch {
	case spec.KeyProp == "":
		q += "MERGE (a)-[r:" + t + "]->(b) SET r += $props"
	case r.Props.Get(spec.KeyProp) == nil:
		q += "CREATE (a)-[r:" + t + "]->(b) SET r = $props"
	default:
		params["k"] = graphwrite.Param(r.Props.Get(spec.KeyProp))
		q += "MERGE (a)-[r:" + t + " {" + quote(spec.KeyProp) + ": $k}]->(b) SET r += $props"
	}
	return q, params
}

// write runs one statement in its own managed transaction.
func write(ctx context.Context, s neo4j.SessionWithContext, q string, params map[string]any) error {
	_, err := s.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		res, err := tx.Run(ctx, q, params)
		if err != nil {
			return nil, err
		}
		return res.Consume(ctx)
	})
	return err
}

func quote(name string) string { return "`" + strings.ReplaceAll(name, "`", "``") + "`" }

// stagePrefix stages the first rows rows of input into state: staging
// checkpoints after exactly rows rows and is stopped there. It returns the
// rows read and the bytes they take in the file (header included). It
// removes an earlier state first (a run's kept by -keep, maybe of an
// older format): a stage stopped before its end never replaces a file
// with --overwrite, so the stale file would be the one read.
func stagePrefix(ctx context.Context, input, state string, rows int) (int64, int64, error) {
	for _, p := range []string{state, checkpoint.PendingPath(state)} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return 0, 0, fmt.Errorf("stage baseline slice: %w", err)
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var read, offset int64
	_, err := staging.Stage(ctx, input, state, staging.Options{BatchRows: rows, Command: "bench baseline",
		Progress: func(p staging.Progress) {
			if read == 0 {
				read, offset = p.Counts.Rows.Read, p.Offset
				cancel()
			}
		}})
	if err != nil && !(errors.Is(err, context.Canceled) && read > 0) {
		return 0, 0, fmt.Errorf("stage baseline slice: %w", err)
	}
	return read, offset, nil
}
