package export

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/learnergraph/importer/checkpoint"
)

// TestImportArgs checks the import tool's arguments: no multiline mode
// without line breaks; the multiline files listed per file while each is
// small enough for the per-file reader; multiline mode for the whole import
// when one is larger or its size unknown; one --nodes or --relationships
// per group, header first.
func TestImportArgs(t *testing.T) {
	plan := checkpoint.ExportPlan{ArrayDelimiter: "U+001F", IDType: "integer"}
	units := []checkpoint.ExportUnit{
		{Kind: checkpoint.KindNodes, Name: "Learner", Files: []checkpoint.ExportFile{{Header: "l.h.csv", Data: "l.csv"}}},
		{Kind: checkpoint.KindRelationships, Name: "HAS_SKILL", Files: []checkpoint.ExportFile{
			{Header: "a.h.csv", Data: "a.csv"}, {Header: "b.h.csv", Data: "b.csv"}}},
	}
	want := []string{
		"--array-delimiter=U+001F",
		"--id-type=integer",
		"--nodes=Learner=l.h.csv,l.csv",
		"--relationships=HAS_SKILL=a.h.csv,a.csv",
		"--relationships=HAS_SKILL=b.h.csv,b.csv",
	}
	if diff := cmp.Diff(want, ImportArgs(plan, units)); diff != "" {
		t.Errorf("no line breaks (-want +got):\n%s", diff)
	}
	with := func(multiline ...string) []string {
		return append(append(want[:2:2], multiline...), want[2:]...)
	}
	units[1].Files[1].Multiline, units[1].Files[1].Bytes = true, 1000
	units[0].Files[0].Multiline, units[0].Files[0].Bytes = true, MultilineSafeBytes
	if diff := cmp.Diff(with("--multiline-fields-format=v2", "--multiline-fields=l.csv,b.csv"), ImportArgs(plan, units)); diff != "" {
		t.Errorf("small multiline files (-want +got):\n%s", diff)
	}
	units[0].Files[0].Bytes = MultilineSafeBytes + 1
	if diff := cmp.Diff(with("--multiline-fields=true"), ImportArgs(plan, units)); diff != "" {
		t.Errorf("a large multiline file (-want +got):\n%s", diff)
	}
	units[0].Files[0].Bytes = 0
	if diff := cmp.Diff(with("--multiline-fields=true"), ImportArgs(plan, units)); diff != "" {
		t.Errorf("a multiline file of unknown size (-want +got):\n%s", diff)
	}
}
