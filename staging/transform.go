package staging

import (
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// Row is what one accepted CSV row stages: its learner's sandId and its
// entities, in file order and already merged within the row (a skill listed
// twice gives one Skill and one HAS_SKILL, with the later values).
type Row struct {
	SandID string
	Nodes  []Node
	Rels   []Rel
}

// RowError is why a row is rejected: a reason a person can act on.
type RowError struct {
	Reason string
}

func (e *RowError) Error() string { return e.Reason }

func reject(format string, args ...any) *RowError {
	return &RowError{Reason: fmt.Sprintf(format, args...)}
}

// Transform turns one record into the row's entities by the data contract,
// or rejects the whole row with a *RowError. It never panics on any input.
func (h *Header) Transform(rec []string) (Row, error) {
	b := &rowBuilder{}
	if err := h.transform(b, rec); err != nil {
		return Row{}, err
	}
	return b.row, nil
}

// transform is Transform into b, reusing the room of b's previous row: the
// Row it leaves in b is valid until the next call.
func (h *Header) transform(b *rowBuilder, rec []string) error {
	if len(rec) != h.fields {
		return reject("wrong number of fields: %d, the header has %d", len(rec), h.fields)
	}
	for i, f := range rec {
		if !utf8.ValidString(f) {
			return reject("invalid UTF-8 in field %d", i+1)
		}
	}
	sandID := h.value(rec, colSandID)
	if sandID == "" {
		return reject("missing sandId")
	}
	if err := checkKey("sandId", sandID); err != nil {
		return err
	}
	if b.row.Nodes == nil {
		b.row.Nodes, b.row.Rels = make([]Node, 0, 12), make([]Rel, 0, 16)
	}
	clear(b.row.Nodes)
	clear(b.row.Rels)
	b.row = Row{SandID: sandID, Nodes: b.row.Nodes[:0], Rels: b.row.Rels[:0]}
	for _, step := range transformSteps {
		if err := step(h, b, rec); err != nil {
			return err
		}
	}
	return nil
}

// transformSteps are the parts of Transform, in the contract's order.
// Read-only.
var transformSteps = []func(*Header, *rowBuilder, []string) error{
	(*Header).learner, (*Header).countries, (*Header).city, (*Header).skills,
	(*Header).program, (*Header).employment, (*Header).states,
}

func (h *Header) learner(b *rowBuilder, rec []string) error {
	p := Props{}.Set("sandId", b.row.SandID)
	p = p.Set("fullName", nullable(h.value(rec, colFullName)))
	p = p.Set("gender", nullable(h.value(rec, colGender)))
	if s := h.value(rec, colBirthYear); s != "" {
		y, err := strconv.ParseInt(s, 10, 64)
		if errors.Is(err, strconv.ErrRange) {
			return reject("birthYear: %s is outside 1900–2100", s)
		}
		if err != nil {
			return reject("birthYear: %q is not an integer", s)
		}
		if y < 1900 || y > 2100 {
			return reject("birthYear: %d is outside 1900–2100", y)
		}
		p = p.Set("birthYear", y)
	}
	b.node(Learner, b.row.SandID, p)
	return nil
}

// countries stages the residence country, then the origin country: when
// both name the same country, the origin's name is the later value.
func (h *Header) countries(b *rowBuilder, rec []string) error {
	pairs := []struct {
		code, name column
		rel        string
	}{
		{colResidenceCountryCode, colResidenceCountryName, ResidesIn},
		{colOriginCountryCode, colOriginCountryName, OriginatesFrom},
	}
	for _, pair := range pairs {
		raw := h.value(rec, pair.code)
		if raw == "" {
			continue
		}
		code, ok := countryCode(raw)
		if !ok {
			return reject("%s: %q is not a two-letter country code", columnNames[pair.code], raw)
		}
		b.node(Country, code, Props{}.Set("code", code).Set("name", nullable(h.value(rec, pair.name))))
		b.rel(pair.rel, b.row.SandID, code, nil)
	}
	return nil
}

// countryCode upper-cases a two-letter ASCII code.
func countryCode(s string) (string, bool) {
	if len(s) != 2 {
		return "", false
	}
	out := []byte(s)
	for i, c := range out {
		switch {
		case c >= 'A' && c <= 'Z':
		case c >= 'a' && c <= 'z':
			out[i] = c - 'a' + 'A'
		default:
			return "", false
		}
	}
	return string(out), true
}

func (h *Header) city(b *rowBuilder, rec []string) error {
	id := h.value(rec, colCityID)
	if id == "" {
		return nil
	}
	if err := checkKey("cityId", id); err != nil {
		return err
	}
	b.node(City, id, Props{}.Set("id", id).Set("name", nullable(h.value(rec, colCityName))))
	b.rel(LivesIn, b.row.SandID, id, nil)
	if raw := h.value(rec, colResidenceCountryCode); raw != "" {
		code, _ := countryCode(raw) // validated by countries
		b.rel(InCountry, id, code, nil)
	}
	return nil
}

func (h *Header) program(b *rowBuilder, rec []string) error {
	id := h.value(rec, colProgramID)
	if id == "" {
		return nil
	}
	if err := checkKey("programId", id); err != nil {
		return err
	}
	rel := Props{}.Set("cohort", nullable(h.value(rec, colCohort)))
	if s := h.value(rec, colEnrollmentDate); s != "" {
		d, ok := ParseDate(s)
		if !ok {
			return reject("enrollmentDate: %q is not a date (YYYY-MM-DD)", s)
		}
		rel = rel.Set("enrolledOn", d)
	}
	b.node(Program, id, Props{}.Set("id", id).Set("name", nullable(h.value(rec, colProgramName))))
	b.rel(EnrolledIn, b.row.SandID, id, rel)
	return nil
}

// nullable maps the empty string (null) to a nil value.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// rowBuilder collects a row's entities, merging repeats within the row.
type rowBuilder struct {
	row Row
}

func (b *rowBuilder) node(label, key string, p Props) {
	for i := range b.row.Nodes {
		n := &b.row.Nodes[i]
		if n.Label == label && n.Key == key {
			n.Props = n.Props.Merge(p)
			return
		}
	}
	b.row.Nodes = append(b.row.Nodes, Node{Label: label, Key: key, Props: p})
}

func (b *rowBuilder) rel(typ, start, end string, p Props) {
	for i := range b.row.Rels {
		r := &b.row.Rels[i]
		if r.Type == typ && r.Start == start && r.End == end && sameKeyProp(typ, r.Props, p) {
			r.Props = r.Props.Merge(p)
			return
		}
	}
	b.row.Rels = append(b.row.Rels, Rel{Type: typ, Start: start, End: end, Props: p})
}

// sameKeyProp reports whether two relationships agree on the type's key
// property (true when the type has none). Key properties are dates, so ==
// compares them, and two nulls are equal.
func sameKeyProp(typ string, a, b Props) bool {
	spec, _ := RelSpecOf(typ)
	if spec.KeyProp == "" {
		return true
	}
	return a.Get(spec.KeyProp) == b.Get(spec.KeyProp)
}
