package samplegen

import "strconv"

// Columns, in header order.
const (
	colSandID = iota
	colFullName
	colGender
	colBirthYear
	colResCode
	colResName
	colOriginCode
	colOriginName
	colCityID
	colCityName
	colSkills
	colProgramID
	colProgramName
	colCohort
	colEnrollment
	colEmployment
	colLearning
	colProfessional
	numCols
)

// header is the first line of every generated file.
const header = "sandId,fullName,gender,birthYear,residenceCountryCode," +
	"residenceCountryName,originCountryCode,originCountryName,cityId,cityName," +
	"skills,programId,programName,cohort,enrollmentDate,employment," +
	"learningState,professionalState\n"

// row holds one record's field values, unquoted, reused from row to row.
type row struct {
	f      [numCols][]byte
	j      jsonBuf
	raw    int // a column written verbatim, unquoted; -1 for none
	fields int // how many fields to write: numCols but in field-count rows
}

func (r *row) reset() {
	for i := range r.f {
		r.f[i] = r.f[i][:0]
	}
	r.raw = -1
	r.fields = numCols
}

// set replaces column c with s.
func (r *row) set(c int, s string) { r.f[c] = append(r.f[c][:0], s...) }

// render fills every column of a learner's row from d. A learner's row is
// the same whenever d's stream is seeded with the same learner number. flt
// tells the JSON columns which rule to break, if any.
func (r *row) render(d *drawer, n, key uint64, flt fault) {
	r.reset()
	r.f[colSandID] = appendSandID(r.f[colSandID], n, key)
	r.renderName(d)
	r.renderGender(d)
	r.renderBirthYear(d)
	res := r.renderResidence(d)
	r.renderOrigin(d, res)
	r.renderSkills(d, flt)
	r.renderProgram(d, flt)
	r.renderEmployment(d, flt)
	r.renderLearning(d, flt)
	r.renderProfessional(d, flt)
	r.pad(d)
}

// pad puts spaces around a few values; readers trim them.
func (r *row) pad(d *drawer) {
	for c := range r.f {
		if n := len(r.f[c]); n > 0 && d.chance(0.01) {
			r.f[c] = append(r.f[c], ' ', ' ')
			copy(r.f[c][1:], r.f[c][:n])
			r.f[c][0] = ' '
		}
	}
}

func (r *row) renderName(d *drawer) {
	b := r.f[colFullName][:0]
	if d.chance(0.01) {
		r.f[colFullName] = b
		return
	}
	c := d.cultureOf()
	given, family := d.pick(c.given), d.pick(c.family)
	switch n := d.r.IntN(1000); {
	case n < 30: // "Family, Given": needs quoting
		b = append(append(append(b, family...), ", "...), given...)
	case n < 40: // a quoted nickname: needs quoting and doubled quotes
		b = append(append(append(b, given...), ` "`...), d.pick(c.given)...)
		b = append(append(b, `" `...), family...)
	case n < 42: // a name split over two lines
		b = append(append(append(b, given...), '\n'), family...)
	case c.familyFirst:
		b = append(b, family...)
		if !c.noSpace {
			b = append(b, ' ')
		}
		b = append(b, given...)
	default:
		b = append(append(append(b, given...), ' '), family...)
		if d.chance(0.15) {
			b = append(append(b, '-'), d.pick(c.family)...)
		}
	}
	r.f[colFullName] = b
}

func (r *row) renderGender(d *drawer) {
	if d.chance(0.1) {
		return
	}
	r.set(colGender, d.pick(d.v.genders))
}

func (r *row) renderBirthYear(d *drawer) {
	if d.chance(0.05) {
		return
	}
	year := 1975 + d.r.IntN(17) + d.r.IntN(17) // peaks in the early 1990s
	r.f[colBirthYear] = strconv.AppendInt(r.f[colBirthYear], int64(year), 10)
}

// renderResidence fills the residence country and city columns and
// returns the country index.
func (r *row) renderResidence(d *drawer) int {
	ci := d.countryIdx()
	country := d.v.countries[ci]
	if !d.chance(0.03) {
		r.setCode(d, colResCode, country.id)
		if !d.chance(0.05) {
			r.set(colResName, country.name)
		}
	}
	if d.chance(0.08) {
		return ci
	}
	city := d.v.cities[d.cityIdx(ci)]
	r.set(colCityID, city.id)
	if !d.chance(0.03) {
		r.set(colCityName, city.name)
	}
	return ci
}

// setCode writes a country code, lower-cased now and then.
func (r *row) setCode(d *drawer, c int, code string) {
	r.set(c, code)
	if d.chance(0.05) {
		for i, ch := range r.f[c] {
			r.f[c][i] = ch | 0x20
		}
	}
}

func (r *row) renderOrigin(d *drawer, res int) {
	if d.chance(0.06) {
		return
	}
	ci := res
	if d.chance(0.25) {
		ci = d.countryIdx()
	}
	country := d.v.countries[ci]
	r.setCode(d, colOriginCode, country.id)
	if !d.chance(0.05) {
		r.set(colOriginName, country.name)
	}
}

func (r *row) renderProgram(d *drawer, flt fault) {
	if d.chance(0.12) && !flt.is(badDate, colEnrollment) {
		return
	}
	p := d.v.programs[d.programIdx()]
	r.set(colProgramID, p.id)
	if !d.chance(0.05) {
		r.set(colProgramName, p.name)
	}
	enrolled := d.day(2016, 2025)
	switch n := d.r.IntN(10); {
	case n < 6: // "2023-09"
		b := appendDate(r.f[colCohort][:0], enrolled)
		r.f[colCohort] = b[:7]
	case n < 8:
		r.f[colCohort] = strconv.AppendInt(append(r.f[colCohort][:0], 'C'), int64(1+d.r.IntN(40)), 10)
	case n < 9:
		r.f[colCohort] = strconv.AppendInt(append(r.f[colCohort][:0], "Spring "...), int64(2016+d.r.IntN(10)), 10)
	}
	switch {
	case flt.is(badDate, colEnrollment):
		r.set(colEnrollment, d.v.bad.dates[flt.variant%len(d.v.bad.dates)])
	case !d.chance(0.05):
		r.f[colEnrollment] = appendDate(r.f[colEnrollment], enrolled)
	}
}
