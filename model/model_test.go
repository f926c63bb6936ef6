package model

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDefaultIsLearnersYAML(t *testing.T) {
	m := Default()
	sum := sha256.Sum256(learnersYAML)
	if m.Hash != hex.EncodeToString(sum[:]) || string(m.Text) != string(learnersYAML) {
		t.Errorf("Default() carries hash %s and %d bytes of text, want the embedded file's", m.Hash, len(m.Text))
	}
	if m.Root != "Learner" || len(m.Nodes) != 8 || len(m.Rels) != 9 || len(m.Entities) != 9 {
		t.Errorf("Default(): root %q, %d labels, %d types, %d entities; want Learner, 8, 9, 9", m.Root, len(m.Nodes), len(m.Rels), len(m.Entities))
	}
}

// broken has one mistake of every kind the issue names, and more; Parse
// must report all of them at once, each at its line.
const broken = `version: 1
root: Person
columns: [id, name, city, city, age]
nodes:
  - {label: Person, key: id, partitioned: true, properties: [id, name, age], merge: newest}
  - {label: City, key: [id, id, code], properties: [id, nme]}
  - label: City
    key: id
    properties: [id]
    colour: red
relationships:
  - {type: LIVES_IN, from: Person, to: Town}
entities:
  - node: Person
    key: {column: id, required: true}
    properties:
      - {name: name, column: nam}
      - {name: age, column: age, type: integer}
  - node: City
    key: {column: city}
    relationships:
      - {type: LIVES_IN, from: Person}
`

func TestEveryMistakeAtOnceWithItsLine(t *testing.T) {
	_, err := Parse("people.yaml", []byte(broken))
	var errs *Errors
	if !errors.As(err, &errs) || !errors.Is(err, ErrInvalid) {
		t.Fatalf("Parse = %v, want *Errors wrapping ErrInvalid", err)
	}
	got := make([]string, len(errs.List))
	for i, e := range errs.List {
		got[i] = e.String()
	}
	want := []string{
		`people.yaml:3: duplicate column "city"`,
		`people.yaml:5: merge "newest": one of later, first`,
		`people.yaml:6: duplicate key property "id"`,
		`people.yaml:6: label City: key "code" is not one of its properties ["id" "nme"]`,
		`people.yaml:7: duplicate label "City"`,
		`people.yaml:10: unknown field colour in a node`,
		`people.yaml:12: relationship LIVES_IN: to "Town" is not a declared node label`,
		`people.yaml:17: unknown column "nam" (not in columns)`,
		`people.yaml:18: bad type "integer": one of string, int, float, bool, date, datetime, list, scalar, flatten`,
		`people.yaml:22: relationship LIVES_IN goes from Person to Town, this one from Person to City`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mistakes (-want +got):\n%s", diff)
	}
}

func TestSyntaxErrorHasItsLine(t *testing.T) {
	_, err := Parse("bad.yaml", []byte("version: 1\nnodes: [\n"))
	var errs *Errors
	if !errors.As(err, &errs) || len(errs.List) != 1 || errs.List[0].Line == 0 {
		t.Fatalf("Parse = %v, want one mistake with a line", err)
	}
}

func TestEmptyFile(t *testing.T) {
	_, err := Parse("empty.yaml", nil)
	var errs *Errors
	if !errors.As(err, &errs) || len(errs.List) == 0 {
		t.Fatalf("Parse of an empty file = %v, want mistakes", err)
	}
}
