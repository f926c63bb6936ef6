package main

import (
	"fmt"
	"sort"
	"strings"
)

// topByEnd is the element ids of the limit nodes of label with the most
// relationships of typ ending at them (ties by key), most first.
func (g rawGraph) topByEnd(typ, label, key string, limit int) []string {
	deg := map[string]int64{}
	for _, r := range g.rels[typ] {
		deg[r.end]++
	}
	var ids []string
	for id := range g.nodes[label] {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		a, b := ids[i], ids[j]
		if deg[a] != deg[b] {
			return deg[a] > deg[b]
		}
		return str(g.nodes[label][a], key) < str(g.nodes[label][b], key)
	})
	return ids[:min(limit, len(ids))]
}

func (g rawGraph) status() [][]any {
	states := g.out("HAS_LEARNING_STATE")
	t := newTally()
	for _, p := range g.topByEnd("ENROLLED_IN", "Program", "id", 25) {
		prog := g.nodes["Program"][p]
		label := or(str(prog, "name"), str(prog, "id"))
		for _, e := range g.rels["ENROLLED_IN"] {
			if e.end != p {
				continue
			}
			for _, s := range states[e.start] {
				st := or(str(g.nodes["LearningState"][s.end], "status"), "(none)")
				t.add(label+"\x00"+st, "", label, st)
			}
		}
	}
	return sortedRows(t.rows(0), 2)
}

func (g rawGraph) details(label string) [][]any {
	t := newTally()
	for _, p := range g.nodes[label] {
		for k := range p {
			if strings.HasPrefix(k, "details_") {
				t.add(k, k, k)
			}
		}
	}
	return t.rows(20)
}

func (g rawGraph) pairs() [][]any {
	top := map[string]bool{}
	for _, id := range g.topByEnd("HAS_SKILL", "Skill", "id", 100) {
		top[id] = true
	}
	t := newTally()
	for _, rs := range g.out("HAS_SKILL") {
		for _, a := range rs {
			for _, b := range rs {
				sa, sb := g.nodes["Skill"][a.end], g.nodes["Skill"][b.end]
				if !top[a.end] || !top[b.end] || !(str(sa, "id") < str(sb, "id")) {
					continue
				}
				ia, ib := str(sa, "id"), str(sb, "id")
				t.add(ia+"\x00"+ib, ia+"\x00"+ib, or(str(sa, "name"), ia)+" + "+or(str(sb, "name"), ib), ia, ib)
			}
		}
	}
	return t.rows(20)
}

func (g rawGraph) employedAfter() [][]any {
	jobs := g.out("WORKED_AT")
	enrolled, after := map[string]int64{}, map[string]int64{}
	for _, e := range g.rels["ENROLLED_IN"] {
		on, ok := day(e.p["enrolledOn"])
		if !ok {
			continue
		}
		enrolled[e.end]++
		for _, w := range jobs[e.start] {
			if start, ok := day(w.p["startDate"]); ok && start.After(on) {
				after[e.end]++
				break
			}
		}
	}
	var rows [][]any
	for p, n := range enrolled {
		prog := g.nodes["Program"][p]
		rows = append(rows, []any{or(str(prog, "name"), str(prog, "id")), str(prog, "id"), n, after[p]})
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i][2] != rows[j][2] {
			return rows[i][2].(int64) > rows[j][2].(int64)
		}
		return rows[i][1].(string) < rows[j][1].(string)
	})
	return rows[:min(25, len(rows))]
}

// components labels the learner–skill–program graph with a union-find
// over all its nodes.
func (g rawGraph) components() [][]any {
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		if parent[x] != x {
			parent[x] = find(parent[x])
		}
		return parent[x]
	}
	isHub := map[string]bool{}
	for _, l := range []string{"Learner", "Skill", "Program"} {
		for id := range g.nodes[l] {
			parent[id] = id
			isHub[id] = l != "Learner"
		}
	}
	for _, typ := range []string{"HAS_SKILL", "ENROLLED_IN"} {
		for _, r := range g.rels[typ] {
			parent[find(r.start)] = find(r.end)
		}
	}
	type size struct{ learners, hubs int64 }
	sizes := map[string]*size{}
	for id := range parent {
		root := find(id)
		if sizes[root] == nil {
			sizes[root] = &size{}
		}
		if isHub[id] {
			sizes[root].hubs++
		} else {
			sizes[root].learners++
		}
	}
	shapes := map[size]int64{}
	for _, s := range sizes {
		shapes[*s]++
	}
	var rows [][]any
	for s, n := range shapes {
		rows = append(rows, []any{s.learners, s.hubs, n})
	}
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if x, y := a[0].(int64)+a[1].(int64), b[0].(int64)+b[1].(int64); x != y {
			return x > y
		}
		return a[0].(int64) > b[0].(int64)
	})
	return rows
}

// degree counts every node's relationships, all types, both directions;
// a relationship from a node to itself (the flights' ROUTE from an
// airport back to it) is one relationship of that node, as the densest
// nodes' title says.
func (g rawGraph) degree() map[string]int64 {
	d := map[string]int64{}
	for _, rs := range g.rels {
		for _, r := range rs {
			d[r.start]++
			if r.end != r.start {
				d[r.end]++
			}
		}
	}
	return d
}

// densest is the three nodes of each label with the most relationships,
// sorted as rows (the report's UNION keeps label order; compared sorted).
func (g rawGraph) densest() [][]any {
	deg := g.degree()
	var rows [][]any
	for _, spec := range g.schema.Nodes() {
		var ids []string
		for id := range g.nodes[spec.Label] {
			ids = append(ids, id)
		}
		key := func(id string) string { return fmt.Sprint(g.nodes[spec.Label][id][spec.Key]) }
		sort.Slice(ids, func(i, j int) bool {
			if deg[ids[i]] != deg[ids[j]] {
				return deg[ids[i]] > deg[ids[j]]
			}
			return key(ids[i]) < key(ids[j])
		})
		for _, id := range ids[:min(3, len(ids))] {
			rows = append(rows, []any{spec.Label + " " + key(id), spec.Label, key(id), deg[id]})
		}
	}
	return rows
}

// degrees is the degree distribution of label's nodes per relationship
// type that touches it: rows (relationship, degree, nodes).
func (g rawGraph) degrees(label string) [][]any {
	t := newTally()
	for _, spec := range g.schema.Rels() {
		for _, side := range []struct {
			is   bool
			name string
			end  func(rawRel) string
		}{{spec.Start == label, spec.Type + " →", func(r rawRel) string { return r.start }},
			{spec.End == label, "→ " + spec.Type, func(r rawRel) string { return r.end }}} {
			if !side.is {
				continue
			}
			d := map[string]int64{}
			for _, r := range g.rels[spec.Type] {
				d[side.end(r)]++
			}
			for id := range g.nodes[label] {
				t.add(fmt.Sprintf("%s\x00%d", side.name, d[id]), "", side.name, d[id])
			}
		}
	}
	rows := t.rows(0)
	sort.Slice(rows, func(i, j int) bool {
		if rows[i][0] != rows[j][0] {
			return rows[i][0].(string) < rows[j][0].(string)
		}
		return rows[i][1].(int64) < rows[j][1].(int64)
	})
	return rows
}
