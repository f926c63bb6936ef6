package graphwrite

import (
	"slices"
	"strconv"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/staging"
	bolt "go.etcd.io/bbolt"
)

// A learner group is how a create mode load writes the per-learner
// buckets: one batch is a range of learner ordinals, read in step from
// every per-learner bucket (staging keys them all by ordinal), and written
// by one statement that creates the learners, their state nodes and all
// their relationships. The learner side of a relationship is the node the
// same statement just created, and a state node is created next to its
// HAS_*_STATE relationship, so only the shared end (country, city, skill,
// program, company) is looked up in an index: about one index seek per
// entity fewer than bucket by bucket, which looks up both ends of every
// relationship.
//
// The group has one watermark per partition, like a bucket; its `after`
// is the key of the batch's last learner, and it also counts what it has
// written per member bucket (`counts`), so the state file's load marks and
// `importer status` still report label by label.

// kindLearners is the kind of the learner group in watermark ids.
const kindLearners = "learners"

// learnerGroup returns the group of every per-learner bucket of schema s,
// the root's node bucket (Learner) first, then the others in load order.
func learnerGroup(s *staging.Schema) bucket {
	g := bucket{s: s, kind: kindLearners}
	var rest []bucket
	for _, b := range buckets(s) {
		switch {
		case b.kind == checkpoint.KindNodes && b.node.Label == s.Root():
			g.members = append(g.members, b)
		case b.perLearner():
			rest = append(rest, b)
		}
	}
	g.members = append(g.members, rest...)
	return g
}

// loadBuckets returns the buckets of a load of schema s in order: every
// bucket on its own; or, grouped, the shared node buckets, the shared
// relationship buckets between shared nodes, the learner group, and last
// the shared relationship buckets that start or end at a per-learner node
// (whose ends the group writes).
func loadBuckets(s *staging.Schema, grouped bool) []bucket {
	if !grouped {
		return buckets(s)
	}
	perLearner := map[string]bool{}
	for _, n := range s.Nodes() {
		perLearner[n.Label] = n.PerLearner
	}
	var out, last []bucket
	for _, b := range buckets(s) {
		switch {
		case b.perLearner():
		case b.kind == checkpoint.KindRelationships && (perLearner[b.rel.Start] || perLearner[b.rel.End]):
			last = append(last, b)
		default:
			out = append(out, b)
		}
	}
	return append(append(out, learnerGroup(s)), last...)
}

// memberField is the name of member i's part of a group row or of the
// group statement's parameters.
func memberField(i int) string { return "m" + strconv.Itoa(i) }

// stateMember returns the index of the member whose node bucket holds the
// end of rel member m, or -1 when the end is a shared node.
func (b bucket) stateMember(m bucket) int {
	for i, n := range b.members {
		if n.kind == checkpoint.KindNodes && n.node.Label == m.rel.End {
			return i
		}
	}
	return -1
}

// readGroup copies the next batch of the group's partition r out of the
// state file: up to limit learners after the learner key after, and every
// entity of those learners in the other member buckets, read in one pass
// over their learner records. When fewer than limit learners are left, it
// reads the records to the end of r, so nothing staged past the last
// learner is ever left behind.
func (b bucket) readGroup(db checkpoint.DB, r staging.Range, after []byte, limit int) (batch, error) {
	out := batch{after: after, counts: make([]int64, len(b.members))}
	err := db.View(func(tx *bolt.Tx) error {
		got, err := staging.ReadLearners(tx, b.s, r, after, limit)
		if err != nil {
			return err
		}
		read := groupRead{nodes: make([][]staging.Node, len(b.members)), rels: make([][]staging.Rel, len(b.members))}
		for i, m := range b.members {
			if m.kind == checkpoint.KindNodes {
				read.nodes[i] = got.Nodes[m.node.Label]
			} else {
				read.rels[i] = got.Rels[m.rel.Type]
			}
			out.counts[i] = int64(len(read.nodes[i]) + len(read.rels[i]))
			out.count += int(out.counts[i])
		}
		out.last = got.Last
		if out.count > 0 {
			out.stmts, err = b.groupStatements(read)
		}
		return err
	})
	return out, err
}

// groupRead is what readGroup found, by member.
type groupRead struct {
	nodes [][]staging.Node
	rels  [][]staging.Rel
}

// rowLayout places the members of a learner group in the group
// statement's positional rows (see groupQuery).
type rowLayout struct {
	// at is, for each member but the first, its field: a state member's in
	// a learner row, after the learner's properties; a relationship member
	// that joins a learner to its state, its field in the state, after the
	// state's properties and its data map.
	at []int
	// width is the number of fields of a learner row.
	width int
	// joins is, for each state member, how many relationship members may
	// join a learner to it.
	joins []int
}

func (b bucket) layout() rowLayout {
	l := rowLayout{at: make([]int, len(b.members)), joins: make([]int, len(b.members)), width: len(b.members[0].node.Props)}
	for i, m := range b.members[1:] {
		i++
		if m.kind != checkpoint.KindNodes {
			continue
		}
		l.at[i] = l.width
		l.width++
		next := len(m.node.Props)
		if m.node.DataPrefix != "" {
			next++
		}
		for j, r := range b.members {
			if r.kind == checkpoint.KindRelationships && b.stateMember(r) == i {
				l.at[j] = next + l.joins[i]
				l.joins[i]++
			}
		}
	}
	return l
}

// groupStatements builds the batch's group statement and, for any entity
// that does not fit a learner row of the batch (none does not, from a
// state file staged by this importer), the bucket statements that write it
// on its own: nodes before the group statement, relationships after.
func (b bucket) groupStatements(read groupRead) ([]statement, error) {
	learner := b.members[0].node
	l := b.layout()
	rows := make([][]any, len(read.nodes[0]))
	rowRefs := make([]any, len(rows))
	index := make(map[string]int, len(rows))
	for i, n := range read.nodes[0] {
		if err := nodeDeclared(learner, n); err != nil {
			return nil, err
		}
		rows[i] = values(make([]any, 0, l.width), learner.Props, n.Props)[:l.width]
		index[n.Key] = i
		rowRefs[i] = int64(i)
	}
	params := map[string]any{}
	var before, after []statement
	want := 0
	for i, m := range b.members[1:] {
		i++
		if m.kind == checkpoint.KindNodes {
			left, err := addStates(rows, index, l.at[i], l.joins[i], m.node, read.nodes[i])
			if err != nil {
				return nil, err
			}
			before = append(before, m.nodeStatements(left, ModeCreate)...)
			continue
		}
		if err := relsDeclared(m.rel, read.rels[i]); err != nil {
			return nil, err
		}
		var left []staging.Rel
		if s := b.stateMember(m); s >= 0 {
			left = addStateRels(rows, index, l.at[s], l.at[i], m.rel, read.rels[i])
		} else {
			var list []any
			list, left = sharedRels(index, rowRefs, m.rel, endsOf(b.s, m.rel).end, b.ends, read.rels[i])
			params[memberField(i)] = list
			want += len(list)
		}
		stmts, err := m.relStatements(left, ModeCreate)
		if err != nil {
			return nil, err
		}
		after = append(after, stmts...)
	}
	all := make([]any, len(rows))
	for i, r := range rows {
		for f, v := range r[len(learner.Props):] {
			if v == nil {
				r[len(learner.Props)+f] = []any{}
			}
		}
		all[i] = r
	}
	params["rows"] = all
	group := statement{cypher: groupQuery(b), params: params, checked: true, want: want}
	return append(append(before, group), after...), nil
}

// values appends to dst the values of props in the order of the
// schema's names, null for a missing one.
func values(dst []any, names []string, props staging.Props) []any {
	for _, n := range names {
		var p any
		if v := props.Get(n); v != nil {
			p = Param(v)
		}
		dst = append(dst, p)
	}
	return dst
}

// addStates puts each state node into its learner's row, at field f: a
// one-element list holding the state's properties in schema order, the
// map of its data's properties (when the label has any) and joins empty
// lists, one per relationship member that may join it. It returns the
// nodes whose learner is not in the batch.
func addStates(rows [][]any, index map[string]int, f, joins int, spec staging.NodeSpec, nodes []staging.Node) ([]staging.Node, error) {
	var left []staging.Node
	for _, n := range nodes {
		if err := nodeDeclared(spec, n); err != nil {
			return nil, err
		}
		i, ok := index[n.Key]
		if !ok || rows[i][f] != nil {
			left = append(left, n)
			continue
		}
		state := values(make([]any, 0, len(spec.Props)+1+joins), spec.Props, n.Props)
		if spec.DataPrefix != "" {
			d := map[string]any{}
			for _, q := range n.Props {
				if !slices.Contains(spec.Props, q.Name) {
					d[q.Name] = Param(q.Value)
				}
			}
			state = append(state, d)
		}
		for range joins {
			state = append(state, []any{})
		}
		rows[i][f] = []any{state}
	}
	return left, nil
}

// addStateRels puts each relationship to a state node into the state's
// entry (field s of its learner's row), at field f: a one-element list of
// its properties in schema order. It returns the relationships that do
// not join a learner of the batch to that learner's own state node.
func addStateRels(rows [][]any, index map[string]int, s, f int, spec staging.RelSpec, rels []staging.Rel) []staging.Rel {
	var left []staging.Rel
	for _, r := range rels {
		i, ok := index[r.Start]
		if !ok || r.End != r.Start || rows[i][s] == nil {
			left = append(left, r)
			continue
		}
		state := rows[i][s].([]any)[0].([]any)
		if len(state[f].([]any)) > 0 {
			left = append(left, r)
			continue
		}
		state[f] = []any{values(nil, spec.Props, r.Props)}
	}
	return left
}

// sharedRels lists the relationships to shared nodes as [the learner's
// row, the end's id (null when its label has none), its key parameter,
// properties in schema order...], sorted by end key so that
// concurrent batches lock sparse end nodes in one order. rowRefs are the
// learners' row numbers, boxed once per batch. It returns the
// relationships whose learner is not in the batch apart.
func sharedRels(index map[string]int, rowRefs []any, spec staging.RelSpec, end staging.NodeSpec, ends endIDs, rels []staging.Rel) (list []any, left []staging.Rel) {
	list = make([]any, 0, len(rels))
	width := 3 + len(spec.Props)
	fields := make([]any, len(rels)*width) // every row's fields, in one allocation
	ids := ends[end.Label]
	for _, r := range sortedByEnd(rels) {
		i, ok := index[r.Start]
		if !ok {
			left = append(left, r)
			continue
		}
		x := fields[:3:width]
		fields = fields[width:]
		x[0] = rowRefs[i]
		if ids != nil {
			ref := ids.ref(r.End)
			x[1], x[2] = ref.id, ref.key
		} else {
			x[2] = keyParam(end, r.End)
		}
		list = append(list, values(x, spec.Props, r.Props))
	}
	return list, left
}
