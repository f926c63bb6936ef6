package graphwrite

import (
	"context"
	"fmt"

	"github.com/learnergraph/importer/staging"
)

// Mode is how a load writes: create (CREATE everything; for an empty
// target), merge (MERGE on keys, add properties; for a target that holds
// data already, and idempotent), or auto (create when the target holds none
// of the schema's labels, merge otherwise).
type Mode string

// The write modes.
const (
	ModeAuto   Mode = "auto"
	ModeCreate Mode = "create"
	ModeMerge  Mode = "merge"
)

// ParseMode parses a --mode value; the empty string is auto.
func ParseMode(s string) (Mode, error) {
	switch Mode(s) {
	case "", ModeAuto:
		return ModeAuto, nil
	case ModeCreate, ModeMerge:
		return Mode(s), nil
	}
	return "", fmt.Errorf("mode %q: %w", s, ErrMode)
}

// ResolveMode turns auto into create or merge by looking at the target:
// merge as soon as it holds one node with a label of schema s.
func (g *Graph) ResolveMode(ctx context.Context, s *staging.Schema, m Mode) (Mode, error) {
	if m != ModeAuto {
		return m, nil
	}
	for _, label := range s.Labels() {
		n, err := g.countOne(ctx, countNodesQuery(label))
		if err != nil {
			return "", fmt.Errorf("choose write mode: count %s nodes: %w", label, err)
		}
		if n > 0 {
			return ModeMerge, nil
		}
	}
	return ModeCreate, nil
}

// countOne runs a query that returns one integer column n.
func (g *Graph) countOne(ctx context.Context, cypher string) (int64, error) {
	recs, err := g.query(ctx, cypher, nil)
	if err != nil {
		return 0, err
	}
	if len(recs) != 1 {
		return 0, fmt.Errorf("count: %d records", len(recs))
	}
	v, _ := recs[0].Get("n")
	n, _ := v.(int64)
	return n, nil
}

// Size counts every node and relationship of the database (the count
// store answers at once), the importer's watermarks included.
func (g *Graph) Size(ctx context.Context) (nodes, rels int64, err error) {
	if nodes, err = g.countOne(ctx, "MATCH (n) RETURN count(n) AS n"); err != nil {
		return 0, 0, fmt.Errorf("count nodes: %w", err)
	}
	if rels, err = g.countOne(ctx, "MATCH ()-[r]->() RETURN count(r) AS n"); err != nil {
		return 0, 0, fmt.Errorf("count relationships: %w", err)
	}
	return nodes, rels, nil
}
