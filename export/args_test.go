package export

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/learnergraph/importer/checkpoint"
)

// TestImportArgs checks the import tool's arguments: multiline fields for
// the whole import as soon as one file has a line break in a value (the
// per-file form failed at 1.7M rows), none otherwise, and one --nodes or
// --relationships per group, header first.
func TestImportArgs(t *testing.T) {
	plan := checkpoint.ExportPlan{ArrayDelimiter: "U+001F"}
	units := []checkpoint.ExportUnit{
		{Kind: checkpoint.KindNodes, Name: "Learner", Files: []checkpoint.ExportFile{{Header: "l.h.csv", Data: "l.csv"}}},
		{Kind: checkpoint.KindRelationships, Name: "HAS_SKILL", Files: []checkpoint.ExportFile{
			{Header: "a.h.csv", Data: "a.csv"}, {Header: "b.h.csv", Data: "b.csv"}}},
	}
	want := []string{
		"--array-delimiter=U+001F",
		"--id-type=string",
		"--nodes=Learner=l.h.csv,l.csv",
		"--relationships=HAS_SKILL=a.h.csv,a.csv",
		"--relationships=HAS_SKILL=b.h.csv,b.csv",
	}
	if diff := cmp.Diff(want, ImportArgs(plan, units)); diff != "" {
		t.Errorf("no line breaks (-want +got):\n%s", diff)
	}
	units[1].Files[1].Multiline = true
	want = append(want[:2:2], append([]string{"--multiline-fields=true"}, want[2:]...)...)
	if diff := cmp.Diff(want, ImportArgs(plan, units)); diff != "" {
		t.Errorf("a line break in one file (-want +got):\n%s", diff)
	}
}
