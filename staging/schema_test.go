package staging

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/learnergraph/importer/checkpoint"
	graphmodel "github.com/learnergraph/importer/model"
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
	if diff := cmp.Diff(wantNodes, DefaultSchema().Nodes()); diff != "" {
		t.Errorf("node labels (-1f97e1a +learners.yaml):\n%s", diff)
	}
	if diff := cmp.Diff(wantRels, DefaultSchema().Rels()); diff != "" {
		t.Errorf("relationship types (-1f97e1a +learners.yaml):\n%s", diff)
	}
}

// ticketsYAML has a schema of its own, whose shared label's key property
// (zone) sorts after another of its properties (area).
const ticketsYAML = `version: 1
root: Ticket
columns: [ticket, zone, area]
nodes:
  - {label: Zone, key: zone, properties: [zone, area]}
  - {label: Ticket, key: ticket, partitioned: true, properties: [ticket]}
relationships:
  - {type: IN_ZONE, from: Ticket, to: Zone}
  - {type: NEXT_TO, from: Zone, to: Ticket}
entities:
  - node: Ticket
    key: {column: ticket, required: true}
  - node: Zone
    key: {column: zone}
    properties: [{name: area, column: area}]
    relationships: [{type: IN_ZONE, from: Ticket}, {type: NEXT_TO, to: Ticket}]
`

// TestAnotherSchemaStages: a mapping with labels and types of its own
// stages into buckets of its own and reads back through the read API; a
// repeated shared node keeps its key property (it sorts after another one).
func TestAnotherSchemaStages(t *testing.T) {
	m, err := graphmodel.Parse("tickets.yaml", []byte(ticketsYAML))
	if err != nil {
		t.Fatal(err)
	}
	state := stageString(t, "ticket,zone,area\nT1,Z1,North\nT2,Z1,\nT1,Z2,South\n,Z3,East\n", Options{Mapping: m})
	got := dump(t, state)
	in := func(start, end string) Rel { return Rel{Type: "IN_ZONE", Start: start, End: end, Props: Props{}} }
	next := func(start, end string) Rel { return Rel{Type: "NEXT_TO", Start: start, End: end, Props: Props{}} }
	want := Dump{
		Nodes: map[string][]Node{
			"Ticket": {{"Ticket", "T1", props("ticket", "T1")}, {"Ticket", "T2", props("ticket", "T2")}},
			"Zone":   {{"Zone", "Z1", props("area", "North", "zone", "Z1")}, {"Zone", "Z2", props("area", "South", "zone", "Z2")}},
		},
		Rels: map[string][]Rel{
			"IN_ZONE": {in("T1", "Z1"), in("T1", "Z2"), in("T2", "Z1")},
			"NEXT_TO": {next("Z1", "T1"), next("Z1", "T2"), next("Z2", "T1")},
		},
		Rejects: []Reject{{Line: 5, Reason: "missing ticket", Record: ",Z3,East"}},
	}
	got.Counts, got.Mark = checkpoint.Counts{}, checkpoint.StageMark{}
	if diff := cmp.Diff(want, got, cmpOpts...); diff != "" {
		t.Errorf("staged tickets (-want +got):\n%s", diff)
	}
}

// firstWinsYAML keeps the first non-null value of every property.
const firstWinsYAML = `version: 1
root: Ticket
columns: [ticket, zone, area, seat, holder]
nodes:
  - {label: Zone, key: zone, properties: [zone, area], merge: first}
  - {label: Ticket, key: ticket, partitioned: true, properties: [ticket, holder], merge: first}
relationships:
  - {type: IN_ZONE, from: Ticket, to: Zone, properties: [seat], merge: first}
  - {type: NEXT_TO, from: Zone, to: Ticket, properties: [area], merge: first}
entities:
  - node: Ticket
    key: {column: ticket, required: true}
    properties: [{name: holder, column: holder}]
  - node: Zone
    key: {column: zone}
    properties: [{name: area, column: area}]
    relationships:
      - {type: IN_ZONE, from: Ticket, properties: [{name: seat, column: seat, type: int}]}
      - {type: NEXT_TO, to: Ticket, properties: [{name: area, column: area}]}
`

// TestFirstWinsMerge: with merge: first, a repeated key keeps its first
// non-null values and later rows only fill nulls — for shared and
// per-learner nodes and relationships, within a batch and across batches.
func TestFirstWinsMerge(t *testing.T) {
	m, err := graphmodel.Parse("first.yaml", []byte(firstWinsYAML))
	if err != nil {
		t.Fatal(err)
	}
	csv := "ticket,zone,area,seat,holder\nT1,Z1,North,1,Ann\nT2,Z1,South,2,\nT1,Z1,,3,Bob\nT2,Z2,East,,Cy\n"
	rel := func(typ, start, end string, p Props) Rel { return Rel{Type: typ, Start: start, End: end, Props: p} }
	want := map[string]any{
		"Ticket": []Node{{"Ticket", "T1", props("holder", "Ann", "ticket", "T1")}, {"Ticket", "T2", props("holder", "Cy", "ticket", "T2")}},
		"Zone":   []Node{{"Zone", "Z1", props("area", "North", "zone", "Z1")}, {"Zone", "Z2", props("area", "East", "zone", "Z2")}},
		"IN_ZONE": []Rel{rel("IN_ZONE", "T1", "Z1", props("seat", int64(1))), rel("IN_ZONE", "T2", "Z1", props("seat", int64(2))),
			rel("IN_ZONE", "T2", "Z2", nil)},
		"NEXT_TO": []Rel{rel("NEXT_TO", "Z1", "T1", props("area", "North")), rel("NEXT_TO", "Z1", "T2", props("area", "South")),
			rel("NEXT_TO", "Z2", "T2", props("area", "East"))},
	}
	for _, rows := range []int{1, DefaultBatchRows} {
		d := dump(t, stageString(t, csv, Options{Mapping: m, BatchRows: rows}))
		got := map[string]any{}
		for l, n := range d.Nodes {
			got[l] = n
		}
		for typ, r := range d.Rels {
			got[typ] = r
		}
		if diff := cmp.Diff(want, got, cmpOpts...); diff != "" {
			t.Errorf("first wins, batches of %d rows (-want +got):\n%s", rows, diff)
		}
	}
}
