package staging

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/learnergraph/importer/checkpoint"
	graphmodel "github.com/learnergraph/importer/model"
)

// seatsYAML keys its root (Ticket: event and seat, given out of key
// order), a shared label (Zone: hall and zone) and the elements of a JSON
// array (Extra: kind and code) by several properties, with relationships
// to each from a per-learner and a shared start.
const seatsYAML = `version: 1
root: Ticket
columns: [event, seat, hall, zone, area, extras]
nodes:
  - {label: Zone, key: [hall, zone], properties: [hall, zone, area]}
  - {label: Extra, key: [kind, code], properties: [kind, code]}
  - {label: Ticket, key: [event, seat], partitioned: true, properties: [event, seat]}
relationships:
  - {type: IN_ZONE, from: Ticket, to: Zone}
  - {type: NEXT_TO, from: Zone, to: Ticket}
  - {type: HAS, from: Ticket, to: Extra}
entities:
  - node: Ticket
    key:
      - {name: seat, column: seat, required: true}
      - {name: event, column: event, required: true}
  - node: Zone
    key:
      - {name: hall, column: hall}
      - {name: zone, column: zone}
    properties: [{name: area, column: area}]
    relationships: [{type: IN_ZONE, from: Ticket}, {type: NEXT_TO, to: Ticket}]
  - node: Extra
    each: extras
    key:
      - {name: kind, field: kind, required: true}
      - {name: code, field: code}
    relationships: [{type: HAS, from: Ticket}]
`

// lp is a composite staged key written out by hand: each part a one-byte
// length (all parts here are shorter than 128 bytes) and its bytes.
func lp(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteByte(byte(len(p)))
		b.WriteString(p)
	}
	return b.String()
}

// TestCompositeKeysStage: a composite key is staged as its length-prefixed
// parts in the label's key order — ("E1", "1") and ("E", "11") stay two
// tickets —, keys and relationships to composite-keyed nodes carry it, an
// entity with a null part is skipped with its relationships, a missing
// required part or a key past MaxKeyBytes rejects the row, and the read
// API gives each node back the key it was staged under.
func TestCompositeKeysStage(t *testing.T) {
	m, err := graphmodel.Parse("seats.yaml", []byte(seatsYAML))
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("x", 2100)
	csv := "event,seat,hall,zone,area,extras\n" +
		`E1,1,H1,Z1,North,"[{""kind"":""food"",""code"":""a""},{""kind"":""food""}]"` + "\n" +
		"E1,2,H1,Z1,,\n" +
		` E1 ,1,H1,Z2,East,` + "\n" +
		"E,11,H1,Z1,,\n" +
		",3,H1,Z1,,\n" +
		"E2,4,,Z1,West,\n" +
		long + "," + long + ",H1,Z1,,\n" +
		`E2,5,H2,Z1,,"[{""code"":""b""}]"` + "\n"
	state := stageString(t, csv, Options{Mapping: m})
	got := dump(t, state)
	got.Counts, got.Mark = checkpoint.Counts{}, checkpoint.StageMark{}
	rel := func(typ, start, end string) Rel { return Rel{Type: typ, Start: start, End: end, Props: Props{}} }
	want := Dump{
		Nodes: map[string][]Node{
			"Ticket": {
				{"Ticket", lp("E", "11"), props("event", "E", "seat", "11")},
				{"Ticket", lp("E1", "1"), props("event", "E1", "seat", "1")},
				{"Ticket", lp("E1", "2"), props("event", "E1", "seat", "2")},
				{"Ticket", lp("E2", "4"), props("event", "E2", "seat", "4")},
			},
			"Zone": {
				{"Zone", lp("H1", "Z1"), props("area", "North", "hall", "H1", "zone", "Z1")},
				{"Zone", lp("H1", "Z2"), props("area", "East", "hall", "H1", "zone", "Z2")},
			},
			"Extra": {{"Extra", lp("food", "a"), props("code", "a", "kind", "food")}},
		},
		Rels: map[string][]Rel{
			"IN_ZONE": {
				rel("IN_ZONE", lp("E", "11"), lp("H1", "Z1")),
				rel("IN_ZONE", lp("E1", "1"), lp("H1", "Z1")),
				rel("IN_ZONE", lp("E1", "1"), lp("H1", "Z2")),
				rel("IN_ZONE", lp("E1", "2"), lp("H1", "Z1")),
			},
			"NEXT_TO": {
				rel("NEXT_TO", lp("H1", "Z1"), lp("E", "11")),
				rel("NEXT_TO", lp("H1", "Z1"), lp("E1", "1")),
				rel("NEXT_TO", lp("H1", "Z1"), lp("E1", "2")),
				rel("NEXT_TO", lp("H1", "Z2"), lp("E1", "1")),
			},
			"HAS": {rel("HAS", lp("E1", "1"), lp("food", "a"))},
		},
		Rejects: []Reject{
			{Line: 6, SandID: "|3", Reason: "missing event", Record: ",3,H1,Z1,,"},
			{Line: 8, SandID: long + "|" + long, Reason: "key of Ticket (event, seat): 4204 bytes, longer than the 4096-byte maximum for a key",
				Record: long + "," + long + ",H1,Z1,,"},
			{Line: 9, SandID: "E2|5", Reason: `extras[0]: missing required field "kind"`, Record: `E2,5,H2,Z1,,"[{""code"":""b""}]"`},
		},
	}
	if diff := cmp.Diff(want, got, cmpOpts...); diff != "" {
		t.Errorf("staged seats (-want +got):\n%s", diff)
	}

	// KeyParts splits a staged key again; KeyText shows it.
	spec := m.NodeSpecs()[2]
	if parts, err := KeyParts(spec, lp("E1", "1")); err != nil || !cmp.Equal(parts, []string{"E1", "1"}) {
		t.Errorf("KeyParts = %q, %v; want [E1 1]", parts, err)
	}
	if _, err := KeyParts(spec, lp("E1", "1")+"x"); err == nil {
		t.Errorf("KeyParts of a key with trailing bytes: no error")
	}
	if got := KeyText(spec, lp("E1", "1")); got != "E1|1" {
		t.Errorf("KeyText = %q, want E1|1", got)
	}
}
