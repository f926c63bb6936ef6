package report

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// Connected components of a "center and hubs" graph — learners joined
// through the skills and programs they share — without a graph-algorithm
// library. A learner (a center) links only to hubs, so two learners are in
// one component exactly when their hubs are; the components are those of
// the hubs (a few thousand: kept in a union-find here) plus the learners
// hanging off them, plus every learner without a hub on its own.
//
//  1. Read the hubs' element ids; each hub starts as its own component.
//  2. Walk the learners in key order, a batch at a time (the key's index
//     gives the order and the seek). For each batch, Neo4j maps every
//     learner's hubs to their current component numbers (a parameter: the
//     union-find's state) and returns only the distinct pairs of different
//     components a learner joins; the union-find merges them. The first
//     batch is small; once the big components have formed, a batch returns
//     almost nothing, so batches grow. Neo4j's memory per batch is bounded
//     by the distinct pairs of one batch, not by the graph.
//  3. Count the learners per final component (grouped by component
//     number: one entry per component).

// Batch sizes of the component walk: the first, and the largest.
const (
	firstComponentBatch = 2000
	maxComponentBatch   = 200000
)

// unionFind is a disjoint-set forest over hub indexes.
type unionFind []int

func (u unionFind) find(i int) int {
	for u[i] != i {
		u[i] = u[u[i]]
		i = u[i]
	}
	return i
}

func (u unionFind) union(a, b int) {
	ra, rb := u.find(a), u.find(b)
	if ra != rb {
		u[max(ra, rb)] = min(ra, rb)
	}
}

// componentQueries are the Cypher of the three steps for c.
func (r *runner) componentQueries(c Components) (hubs, batchKeys, batch, final string, err error) {
	var center LabelSpec
	var ends []string
	for _, l := range r.schema.Labels {
		if l.Name == c.Center {
			center = l
		}
	}
	var via []string
	for _, name := range c.Via {
		for _, t := range r.schema.Types {
			if t.Name == name && t.Start == c.Center {
				ends = append(ends, fmt.Sprintf("MATCH (h:%s) RETURN elementId(h) AS hub", quote(t.End)))
				via = append(via, quote(t.Name))
			}
		}
	}
	if center.Name == "" || len(via) == 0 {
		return "", "", "", "", fmt.Errorf("components: %s and %v are not in the schema", c.Center, c.Via)
	}
	label, key, rels := quote(center.Name), center.key("l"), strings.Join(via, "|")
	hubs = strings.Join(ends, "\nUNION\n")
	batchKeys = fmt.Sprintf(`MATCH (l:%s) WHERE %s > $after
WITH %s AS key ORDER BY key LIMIT $limit
RETURN max(key) AS last, count(*) AS learners`, label, key, key)
	batch = fmt.Sprintf(`MATCH (l:%s) WHERE %s > $after AND %s <= $last
WITH [(l)-[:%s]->(h) | $component[elementId(h)]] AS cs
WHERE size(cs) > 1
WITH cs, reduce(m = cs[0], c IN cs | CASE WHEN c < m THEN c ELSE m END) AS low
UNWIND cs AS c
WITH DISTINCT low, c WHERE c <> low
RETURN low, c`, label, key, key, rels)
	final = fmt.Sprintf(`MATCH (l:%s)
WITH head([(l)-[:%s]->(h) | $component[elementId(h)]]) AS component
RETURN component, count(*) AS learners`, label, rels)
	return hubs, batchKeys, batch, final, nil
}

// components labels the components of q.Components into res: rows of
// (learners, hubs, components) — how many components have that many
// learners and hubs — largest first.
func (r *runner) components(ctx context.Context, q Query, res *Result) error {
	hubsQ, keysQ, batchQ, finalQ, err := r.componentQueries(*q.Components)
	if err != nil {
		return err
	}
	res.Cypher = "// 1. the hubs, each its own component to start with\n" + hubsQ +
		";\n\n// 2. per batch of learners (after $after, up to $limit of them): the batch's last key\n" + keysQ +
		";\n// ... and the distinct pairs of components its learners join ($component: hub element id → component, merged here between batches)\n" + batchQ +
		";\n\n// 3. learners per final component (null: a learner without skills and programs)\n" + finalQ
	_, rows, err := r.read(ctx, hubsQ, nil)
	if err != nil {
		return err
	}
	ids := make([]string, len(rows))
	index := map[string]int{}
	for i, row := range rows {
		ids[i], _ = row[0].(string)
		index[ids[i]] = i
	}
	uf := make(unionFind, len(ids))
	for i := range uf {
		uf[i] = i
	}
	labels := func() map[string]any {
		m := make(map[string]any, len(ids))
		for i, id := range ids {
			m[id] = int64(uf.find(i))
		}
		return m
	}
	after, limit, batches := "", firstComponentBatch, 0
	for {
		_, rows, err := r.read(ctx, keysQ, map[string]any{"after": after, "limit": limit})
		if err != nil {
			return err
		}
		last, _ := rows[0][0].(string)
		if n, _ := rows[0][1].(int64); n == 0 {
			break
		}
		_, pairs, err := r.read(ctx, batchQ, map[string]any{"after": after, "last": last, "component": labels()})
		if err != nil {
			return err
		}
		for _, p := range pairs {
			a, _ := p[0].(int64)
			b, _ := p[1].(int64)
			uf.union(int(a), int(b))
		}
		batches++
		after = last
		if len(pairs) < limit/10 {
			limit = min(limit*4, maxComponentBatch)
		}
	}
	_, rows, err = r.read(ctx, finalQ, map[string]any{"component": labels()})
	if err != nil {
		return err
	}
	res.Columns = []string{"learners", "hubs", "components"}
	res.Rows = componentRows(uf, rows)
	res.Note = strings.TrimSpace(res.Note + fmt.Sprintf(" Labelled in %d batches of learners over %d skills and programs.", batches, len(ids)))
	return nil
}

// componentRows groups the components by shape: learners per component
// (from rows of component, learners) and hubs per component (from the
// union-find); a null component counts learners without hubs, each a
// component of one.
func componentRows(uf unionFind, rows [][]any) [][]any {
	hubs := map[int]int64{}
	for i := range uf {
		hubs[uf.find(i)]++
	}
	learners := map[int]int64{}
	var alone int64
	for _, row := range rows {
		n, _ := row[1].(int64)
		c, ok := row[0].(int64)
		if !ok {
			alone += n
			continue
		}
		learners[int(c)] += n
	}
	type shape struct{ learners, hubs int64 }
	count := map[shape]int64{}
	for root, h := range hubs {
		count[shape{learners[root], h}]++
	}
	if alone > 0 {
		count[shape{1, 0}] += alone
	}
	var out [][]any
	for s, n := range count {
		out = append(out, []any{s.learners, s.hubs, n})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if x, y := a[0].(int64)+a[1].(int64), b[0].(int64)+b[1].(int64); x != y {
			return x > y
		}
		return a[0].(int64) > b[0].(int64)
	})
	return out
}
