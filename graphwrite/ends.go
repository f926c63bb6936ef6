package graphwrite

import (
	"context"
	"fmt"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/staging"
)

// The learner group finds the shared end of a relationship (a country, a
// skill, a company) by its Neo4j node id, not by an index seek: before the
// group's first batch the loader reads the id of every shared node that
// ends one of the group's relationships (they are all loaded by then), and
// each relationship row carries its end's id and key. Neo4j then reads the
// node record directly (NodeByIdSeek), and checks its label and key, so a
// row whose id names anything else matches nothing and fails the batch's
// count check, as a missing end does.
//
// The ids are read again whenever a load (or resume) reaches the group,
// so they are never older than the process. Shared nodes are few (about
// 25,000 at 1.7M learner rows, 2 MB of map); a schema with more than
// maxEndIDs of them keeps the index seeks.

// maxEndIDs is the most shared end nodes whose ids the loader holds.
const maxEndIDs = 1_000_000

// endIDs maps a shared label to its nodes' ids by staged key.
type endIDs map[string]nodeIDs

// nodeIDs maps the staged keys of one label's nodes to their ids and
// keys as the group statement's parameters.
type nodeIDs map[string]endRef

// endRef is a shared end's node id and key, boxed once as parameters, not
// once per relationship: a batch holds about a hundred thousand.
type endRef struct{ id, key any }

// endLabels returns the shared labels with a one-property key that end a
// relationship member of the group, and how many nodes of them are staged.
// Labels with a composite key keep the index seek.
func (b bucket) endLabels(c checkpoint.Counts) (labels []string, staged int64) {
	seen := map[string]bool{}
	for _, m := range b.members {
		if m.kind != checkpoint.KindRelationships || b.stateMember(m) >= 0 || seen[m.rel.End] {
			continue
		}
		if spec, _ := b.s.NodeSpecOf(m.rel.End); spec.Composite() {
			continue
		}
		seen[m.rel.End] = true
		labels = append(labels, m.rel.End)
		staged += c.Nodes[m.rel.End]
	}
	return labels, staged
}

// readEndIDs reads the node id of every node of the group's shared end
// labels, or returns nil when more than limit of them are staged.
func (g *Graph) readEndIDs(ctx context.Context, s *staging.Schema, group bucket, c checkpoint.Counts, limit int64) (endIDs, error) {
	labels, staged := group.endLabels(c)
	if staged > limit {
		return nil, nil
	}
	ids := endIDs{}
	for _, label := range labels {
		spec, _ := s.NodeSpecOf(label)
		recs, err := g.query(ctx, endIDsQuery(spec), nil)
		if err != nil {
			return nil, fmt.Errorf("read the node ids of %s: %w", label, err)
		}
		m := make(nodeIDs, len(recs))
		for _, r := range recs {
			key, _ := r.Values[0].(string)
			id, _ := r.Values[1].(int64)
			m[key] = endRef{id: id, key: key}
		}
		ids[label] = m
	}
	return ids, nil
}

// ref returns the node id and key parameter of the node with staged key
// key; the id is -1, which no node has, when Neo4j holds none.
func (n nodeIDs) ref(key string) endRef {
	if r, ok := n[key]; ok {
		return r
	}
	return endRef{id: int64(-1), key: key}
}
