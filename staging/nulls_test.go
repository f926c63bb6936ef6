package staging

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	graphmodel "github.com/learnergraph/importer/model"
)

// TestNulls: a mapping's nulls (R's NA) are null in every column: a key
// that is NA skips its entity, a property that is NA is not set (and takes
// its default), a required one rejects the row as missing; "NA" inside a
// longer value, or "na", is a value.
func TestNulls(t *testing.T) {
	m, err := graphmodel.Parse("nulls.yaml", []byte(`version: 1
root: Flight
nulls: [NA]
columns: [id, dep, tail, note, gate]
nodes:
  - {label: Flight, key: id, partitioned: true, properties: [id, dep, note, gate]}
  - {label: Plane, key: tailnum, properties: [tailnum]}
relationships:
  - {type: FLOWN_WITH, from: Flight, to: Plane}
entities:
  - node: Flight
    key: {column: id, required: true}
    properties:
      - {name: dep, column: dep, type: int}
      - {name: note, column: note}
      - {name: gate, column: gate, default: "0"}
  - node: Plane
    key: {column: tail}
    relationships: [{type: FLOWN_WITH, from: Flight}]
`))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	paths := writeFiles(t, dir, "id,dep,tail,note,gate\nF1,517,N1,NAS,NA\nF2,NA, NA ,na,3\nNA,1,N2,x,1\n")
	state := filepath.Join(dir, "s.db")
	if _, err := StageFiles(context.Background(), paths, state, Options{Mapping: m}); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"FLOWN_WITH F1->N1 []",
		"Flight F1 [{dep 517} {gate 0} {id F1} {note NAS}]",
		"Flight F2 [{gate 3} {id F2} {note na}]",
		"Plane N1 [{tailnum N1}]",
		`reject file 0 line 4 "": missing id`,
		"rows {Read:3 Staged:2 Rejected:1 Duplicates:0}",
		"mark {File:0 Offset:67 Line:5 NextOrdinal:2 Done:true}",
	}
	if diff := cmp.Diff(want, flat(t, state)); diff != "" {
		t.Errorf("staged (-want +got):\n%s", diff)
	}
}
