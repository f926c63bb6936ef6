package samplegen

import (
	"bytes"
	"strings"
)

// The kinds of contract-breaking rows, in BadKinds order.
const (
	badFieldCount = "field-count"
	badQuote      = "bad-quote"
	badSandID     = "missing-sandid"
	badUTF8       = "invalid-utf8"
	badJSON       = "malformed-json"
	badMissing    = "json-missing-field"
	badDate       = "bad-date"
	badBirthYear  = "bad-birthyear"
	badCountry    = "bad-country"
)

// BadKinds lists every kind of contract-breaking row Generate can write,
// the keys of GenStats.Bad.
func BadKinds() []string {
	return []string{badFieldCount, badQuote, badSandID, badUTF8, badJSON,
		badMissing, badDate, badBirthYear, badCountry}
}

// noMissing is fault.missing's answer for a member that is not broken.
const noMissing = -1

// fault is the rule a bad row breaks: its kind, the column it breaks where
// the kind has a choice, and a variant picking among ways to break it.
type fault struct {
	kind    string // "" for a good row
	col     int    // -1 when the kind has no column choice
	variant int
}

func (f fault) is(kind string, col int) bool { return f.kind == kind && f.col == col }

// missing tells a JSON writer how to write the required member of the
// object it is writing in column col: noMissing, or a json-missing-field
// variant (0 leaves it out, 1 makes it null) when this object is the one
// to break.
func (f fault) missing(col int, this bool) int {
	if !this || !f.is(badMissing, col) {
		return noMissing
	}
	return f.variant % 2
}

// badValues are the replacement values bad rows use.
type badValues struct {
	dates      []string // enrollmentDate
	jobDates   []string // employment startDate
	birthYears []string
	countries  []string
	sandIDs    []string
}

func newBadValues() badValues {
	return badValues{
		dates:      split("2021-13-45|2021-02-30|15/03/2021|2021-00-10"),
		jobDates:   split("yesterday|2019-00-10|2019/04/01|2019-04-31"),
		birthYears: split("19x0|1850|2150|1990.5|unknown"),
		countries:  split("USA|1X|U|GBR|E1"),
		sandIDs:    split("|   "),
	}
}

// newFault draws how a row of the given kind breaks the contract.
func newFault(d *drawer, kind string) fault {
	f := fault{kind: kind, col: -1, variant: d.r.IntN(12)}
	switch kind {
	case badJSON, badMissing:
		f.col = [...]int{colSkills, colEmployment, colLearning, colProfessional}[d.r.IntN(4)]
	case badDate:
		f.col = [...]int{colEnrollment, colEmployment}[d.r.IntN(2)]
	case badCountry:
		f.col = [...]int{colResCode, colOriginCode}[d.r.IntN(2)]
	}
	return f
}

// breakRow applies the faults that replace or corrupt rendered values, or
// change how the record is written (field-count, bad-quote). Faults inside
// JSON members (json-missing-field, bad employment dates) and a forced
// enrollment date were applied while rendering.
func (r *row) breakRow(d *drawer, f fault) {
	bad := &d.v.bad
	switch f.kind {
	case badSandID:
		r.set(colSandID, bad.sandIDs[f.variant%len(bad.sandIDs)])
	case badUTF8:
		r.breakUTF8(f.variant)
	case badJSON:
		r.breakJSON(f)
	case badBirthYear:
		r.set(colBirthYear, bad.birthYears[f.variant%len(bad.birthYears)])
	case badCountry:
		r.set(f.col, bad.countries[f.variant%len(bad.countries)])
	case badQuote:
		r.breakQuote(d, f.variant)
	case badFieldCount:
		r.breakFieldCount(d, f.variant)
	}
}

// breakQuote writes the name with quotes a strict reader rejects but that
// keep the record on one line: a bare quote in an unquoted field, inner
// quotes not doubled, or text after the closing quote.
func (r *row) breakQuote(d *drawer, variant int) {
	c := d.cultureOf()
	given, family := d.pick(c.given), d.pick(c.family)
	var name string
	switch variant % 3 {
	case 0:
		name = given + ` "` + d.pick(c.given) + `" ` + family
	case 1:
		name = `"` + given + ` "` + d.pick(c.given) + `" ` + family + `"`
	default:
		name = `"` + given + " " + family + `" Jr`
	}
	r.set(colFullName, name)
	r.raw = colFullName
}

// breakFieldCount drops the last field, adds one, or writes a
// "Family, Given" name unquoted, which splits it in two.
func (r *row) breakFieldCount(d *drawer, variant int) {
	switch variant % 3 {
	case 0:
		r.fields = numCols - 1
	case 1:
		r.fields = numCols + 1
	default:
		c := d.cultureOf()
		r.set(colFullName, d.pick(c.family)+", "+d.pick(c.given))
		r.raw = colFullName
	}
}

// breakUTF8 puts a raw 0xff byte into the name, or writes the name in
// Latin-1 as a mis-encoded export would.
func (r *row) breakUTF8(variant int) {
	latin1 := [...]string{"Jos\xe9 Garc\xeda", "Ren\xe9e M\xfcller", "Fran\xe7ois Lef\xe8vre"}
	if variant%2 == 0 {
		r.set(colFullName, latin1[variant/2%len(latin1)])
		return
	}
	name := strings.TrimSpace(string(r.f[colFullName]))
	if name == "" || strings.ContainsAny(name, "\r\n") {
		name = "Anna Smith"
	}
	cut := strings.IndexByte(name, ' ') + 1
	r.set(colFullName, name[:cut]+"\xff"+name[cut:])
}

// breakJSON corrupts the JSON text of the fault's column: a missing
// closing bracket, a trailing comma or a single-quoted key.
func (r *row) breakJSON(f fault) {
	b := bytes.TrimSpace(r.f[f.col])
	switch f.variant % 3 {
	case 0:
		b = b[:len(b)-1]
	case 1:
		end := b[len(b)-1]
		b = append(b[:len(b)-1], ',', end)
	default:
		i := bytes.IndexByte(b, '"')
		b[i] = '\''
	}
	r.f[f.col] = b
}
