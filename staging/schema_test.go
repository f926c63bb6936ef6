package staging

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestBuiltInMappingIsTheContractSchema: the schema derived from
// learners.yaml is the one staging/schema.go spelled in Go before the
// mapping existed (commit 1f97e1a), copied here value for value; FromRoot
// is that commit's RelSpec.PerLearner(), Start == Learner.
func TestBuiltInMappingIsTheContractSchema(t *testing.T) {
	wantNodes := []NodeSpec{
		{Label: Country, Key: "code", Props: []string{"code", "name"}},
		{Label: City, Key: "id", Props: []string{"id", "name"}},
		{Label: Skill, Key: "id", Props: []string{"id", "name"}},
		{Label: Program, Key: "id", Props: []string{"id", "name"}},
		{Label: Company, Key: "id", Props: []string{"id", "name"}},
		{Label: Learner, Key: "sandId", PerLearner: true, Props: []string{"sandId", "fullName", "gender", "birthYear"}},
		{Label: LearningState, Key: "learnerId", PerLearner: true, Props: []string{"learnerId", "status", "since"}, DataPrefix: "details_"},
		{Label: ProfessionalState, Key: "learnerId", PerLearner: true, Props: []string{"learnerId", "status", "since"}, DataPrefix: "details_"},
	}
	wantRels := []RelSpec{
		{Type: InCountry, Start: City, End: Country},
		{Type: ResidesIn, Start: Learner, End: Country},
		{Type: OriginatesFrom, Start: Learner, End: Country},
		{Type: LivesIn, Start: Learner, End: City},
		{Type: HasSkill, Start: Learner, End: Skill, Props: []string{"level"}},
		{Type: EnrolledIn, Start: Learner, End: Program, Props: []string{"cohort", "enrolledOn"}},
		{Type: WorkedAt, Start: Learner, End: Company, KeyProp: "startDate", Props: []string{"title", "startDate", "endDate"}},
		{Type: HasLearningState, Start: Learner, End: LearningState},
		{Type: HasProfessionalState, Start: Learner, End: ProfessionalState},
	}
	for i := range wantRels {
		wantRels[i].FromRoot = wantRels[i].Start == Learner
	}
	if diff := cmp.Diff(wantNodes, Nodes()); diff != "" {
		t.Errorf("node labels (-1f97e1a +learners.yaml):\n%s", diff)
	}
	if diff := cmp.Diff(wantRels, Rels()); diff != "" {
		t.Errorf("relationship types (-1f97e1a +learners.yaml):\n%s", diff)
	}
}
