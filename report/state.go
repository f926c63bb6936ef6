package report

import (
	"regexp"
	"sort"

	bolt "go.etcd.io/bbolt"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/model"
	"github.com/learnergraph/importer/staging"
)

// maxReasons is how many kinds of reject reason the page lists; the rest
// are summed as one.
const maxReasons = 15

// readImport reads the import section from the state file, in one read
// transaction: the status, the rejects by reason, the throughput samples.
func readImport(db checkpoint.DB) (Import, error) {
	var imp Import
	err := db.View(func(tx *bolt.Tx) error {
		st, err := checkpoint.ReadStatus(tx)
		if err != nil {
			return err
		}
		imp.Phase, imp.Mode, imp.Input, imp.Rows = string(st.Phase), st.Mode, st.Input, st.Rows
		for i, f := range st.Files { // a mapping that reads several files
			if i > 0 {
				imp.Input += ", "
			}
			imp.Input += f.Name + "=" + f.Path
		}
		schema, err := staging.ReadSchema(tx)
		if err != nil {
			return err
		}
		for _, l := range schema.Labels() {
			imp.Entities = append(imp.Entities, EntityCount{Kind: checkpoint.KindNodes, Name: l, Staged: st.Nodes[l], Loaded: st.Loaded.Nodes[l]})
		}
		for _, t := range schema.Types() {
			imp.Entities = append(imp.Entities, EntityCount{Kind: checkpoint.KindRelationships, Name: t, Staged: st.Relationships[t], Loaded: st.Loaded.Relationships[t]})
		}
		if imp.Rejects, err = rejectReasons(tx); err != nil {
			return err
		}
		stage, err := checkpoint.ReadSamples(tx, checkpoint.PassStage)
		if err != nil {
			return err
		}
		load, err := checkpoint.ReadSamples(tx, checkpoint.PassLoad)
		if err != nil {
			return err
		}
		imp.Stage, imp.Load = passOf(stage, "rows"), passOf(load, "entities")
		return nil
	})
	return imp, err
}

// readModel returns the mapping the state file was staged with and its
// schema, as the generic queries need it.
func readModel(db checkpoint.DB) (*model.Model, Schema, error) {
	var m *model.Model
	var schema Schema
	err := db.View(func(tx *bolt.Tx) error {
		p, err := staging.ReadPlan(tx)
		if err != nil {
			return err
		}
		s, err := staging.ReadSchema(tx)
		if err != nil {
			return err
		}
		m, schema = p.Model(), SchemaOf(s)
		return nil
	})
	return m, schema, err
}

var (
	quotedValue = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'[^']*'`)
	numberValue = regexp.MustCompile(`[0-9]+`)
)

// reasonKind blanks out the values in a reject reason, so that rows
// rejected for the same rule share a kind.
func reasonKind(reason string) string {
	return numberValue.ReplaceAllString(quotedValue.ReplaceAllString(reason, "…"), "N")
}

// rejectReasons groups the rejected rows by reason kind, most frequent
// first, each with its first row.
func rejectReasons(tx *bolt.Tx) ([]RejectReason, error) {
	index := map[string]int{}
	out := []RejectReason{}
	err := staging.ReadRejects(tx, 0, func(r staging.Reject) error {
		kind := reasonKind(r.Reason)
		i, ok := index[kind]
		if !ok {
			i = len(out)
			index[kind] = i
			out = append(out, RejectReason{Reason: kind, Line: r.Line, SandID: r.SandID, Example: r.Reason})
		}
		out[i].Count++
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	if len(out) > maxReasons {
		other := RejectReason{Reason: "other reasons", Line: out[maxReasons].Line, SandID: out[maxReasons].SandID, Example: out[maxReasons].Example}
		for _, r := range out[maxReasons:] {
			other.Count += r.Count
		}
		out = append(out[:maxReasons], other)
	}
	return out, nil
}
