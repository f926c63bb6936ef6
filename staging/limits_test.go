package staging

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/learnergraph/importer/checkpoint"
)

// TestStageOversizedKeys: a key longer than MaxKeyBytes (4,096 bytes) — of
// 9,000 bytes, past Neo4j's index limit (8,164), or of 40,000, past bbolt's
// key limit (32,768), or of 4,097, just past the bound — and a
// flattened property name longer than MaxPropertyNameBytes reject their row
// with a reason; the rows around them, and keys of exactly the maximum,
// are staged; resume has nothing left to fail on.
func TestStageOversizedKeys(t *testing.T) {
	maxKey := strings.Repeat("€", MaxKeyBytes/3) + strings.Repeat("k", MaxKeyBytes%3)
	maxName := "details_" + strings.Repeat("n", MaxPropertyNameBytes-len("details_"))
	long := func(n int) string { return strings.Repeat("x", n) }
	skill := func(id string) string { return `"[{""id"":""` + id + `""}]"` }
	job := func(id string) string { return `"[{""companyId"":""` + id + `""}]"` }
	state := func(name string) string { return `"{""status"":""s"",""details"":{""` + name + `"":1}}"` }
	rows := []string{
		"sandId,cityId,programId,skills,employment,learningState",
		"L1,,,,,",
		long(40000) + ",,,,,",
		"L2," + long(9000) + ",,,,",
		"L3,," + long(MaxKeyBytes+1) + ",,,",
		"L4,,," + skill(long(40000)) + ",,",
		"L5,,,," + job(long(9000)) + ",",
		"L6,,,,," + state(long(MaxPropertyNameBytes)),
		maxKey + "," + maxKey + "," + maxKey + "," + skill(maxKey) + "," + job(maxKey) + "," + state(maxName[len("details_"):]),
		"L7,,,,,",
	}
	path := stageString(t, strings.Join(rows, "\n")+"\n", Options{BatchRows: 2})
	got := dump(t, path)
	reason := func(field string, n int) string {
		return fmt.Sprintf("%s: %d bytes, longer than the %d-byte maximum for a key", field, n, MaxKeyBytes)
	}
	var gotRejects []Reject
	for _, r := range got.Rejects {
		gotRejects = append(gotRejects, Reject{Line: r.Line, Reason: r.Reason})
	}
	wantRejects := []Reject{
		{Line: 3, Reason: reason("sandId", 40000)},
		{Line: 4, Reason: reason("cityId", 9000)},
		{Line: 5, Reason: reason("programId", MaxKeyBytes+1)},
		{Line: 6, Reason: reason("skills[0].id", 40000)},
		{Line: 7, Reason: reason("employment[0].companyId", 9000)},
		{Line: 8, Reason: fmt.Sprintf("learningState.details_%s…: a property name of %d bytes, longer than the %d-byte maximum",
			strings.Repeat("x", 32), MaxPropertyNameBytes+len("details_"), MaxPropertyNameBytes)},
	}
	if diff := cmp.Diff(wantRejects, gotRejects); diff != "" {
		t.Errorf("rejects (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(checkpoint.Rows{Read: 9, Staged: 3, Rejected: 6}, got.Counts.Rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	for _, label := range []string{City, Program, Skill, Company} {
		if n := got.Nodes[label]; len(n) != 1 || n[0].Key != maxKey {
			t.Errorf("%s nodes = %d, want the one with the %d-byte key", label, len(n), MaxKeyBytes)
		}
	}
	if n := got.Nodes[LearningState]; len(n) != 1 || n[0].Props.Get(maxName) != int64(1) {
		t.Errorf("LearningState nodes = %v, want one with the %d-byte property name", len(n), MaxPropertyNameBytes)
	}
}
