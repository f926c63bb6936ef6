package samplegen

// The JSON columns: skills, employment and the two state objects.

// Dates are drawn up to the end of lastYear; an employment whose end would
// fall later has a null endDate (the learner still works there).
const lastYear = 2025

// emptyJSON writes, with the given probabilities, one of the three ways a
// JSON column says "nothing" (empty, null, []) and reports whether it did.
// A column a bad row breaks is never empty.
func (r *row) emptyJSON(d *drawer, c int, pEmpty, pNull, pArr float64, flt fault) bool {
	if flt.col == c {
		return false
	}
	switch x := d.r.Float64(); {
	case x < pEmpty:
		return true
	case x < pEmpty+pNull:
		r.set(c, "null")
		return true
	case x < pEmpty+pNull+pArr:
		r.set(c, "[]")
		return true
	}
	return false
}

// required writes a required string member, or, for a json-missing-field
// row, leaves it out (missing 0) or makes it null (missing 1).
func (r *row) required(key, val string, missing int) {
	switch missing {
	case 0:
	case 1:
		r.j.key(key)
		r.j.null()
	default:
		r.j.key(key)
		r.j.str(val)
	}
}

func (r *row) renderSkills(d *drawer, flt fault) {
	if r.emptyJSON(d, colSkills, 0.05, 0.02, 0.03, flt) {
		return
	}
	n := 1 + d.r.IntN(7) // and, sometimes, one repeated: 0-8 entries
	broken := d.r.IntN(n)
	var picked [7]int
	r.j.reset(r.f[colSkills][:0], d.chance(0.05))
	r.j.open('[')
	for i := range n {
		s := d.skillIdx()
		for try := 0; try < 3 && contains(picked[:i], s); try++ {
			s = d.skillIdx()
		}
		picked[i] = s
		r.skill(d, s, flt.missing(colSkills, i == broken))
	}
	if n > 1 && d.chance(0.04) { // the same skill again: the later level wins
		r.skill(d, picked[0], noMissing)
	}
	r.j.close(']')
	r.f[colSkills] = r.j.b
}

func (r *row) skill(d *drawer, s, missing int) {
	sk := d.v.skills[s]
	r.j.open('{')
	nameFirst := d.chance(0.1)
	if nameFirst {
		r.j.key("name")
		r.j.str(sk.name)
	}
	r.required("id", sk.id, missing)
	if !nameFirst && !d.chance(0.03) {
		r.j.key("name")
		r.j.str(sk.name)
	}
	switch x := d.r.IntN(100); {
	case x < 68:
		r.j.key("level")
		r.j.int(1 + d.r.IntN(5))
	case x < 75:
		r.j.key("level")
		r.j.str(d.pick(d.v.levels))
	case x < 80:
		r.j.key("level")
		r.j.null()
	}
	r.j.close('}')
}

func (r *row) renderEmployment(d *drawer, flt fault) {
	if r.emptyJSON(d, colEmployment, 0.08, 0.02, 0.05, flt) {
		return
	}
	n := jobCount(d.r.IntN(100))
	broken := d.r.IntN(n)
	limit := daysFrom(lastYear, 12, 31)
	start := d.day(2008, 2018)
	r.j.reset(r.f[colEmployment][:0], d.chance(0.05))
	r.j.open('[')
	for i := range n {
		end := start + d.intIn(90, 1500)
		if i == n-1 && d.chance(0.6) || end > limit {
			end = -1 // still there
		}
		startDate := start
		if d.chance(0.05) {
			startDate = -1
		}
		badStart := ""
		if flt.is(badDate, colEmployment) && i == broken {
			badStart = d.v.bad.jobDates[flt.variant%len(d.v.bad.jobDates)]
		}
		r.job(d, flt.missing(colEmployment, i == broken), startDate, end, badStart)
		start = end + d.intIn(0, 200)
	}
	r.j.close(']')
	r.f[colEmployment] = r.j.b
}

// jobCount maps a percentile to 1-4 jobs: 60%, 28%, 8%, 4%.
func jobCount(p int) int {
	switch {
	case p < 60:
		return 1
	case p < 88:
		return 2
	case p < 96:
		return 3
	}
	return 4
}

// job writes one employment entry; a non-empty badStart replaces its
// startDate.
func (r *row) job(d *drawer, missing, start, end int, badStart string) {
	company := d.v.companies[d.companyIdx()]
	r.j.open('{')
	r.required("companyId", company.id, missing)
	if !d.chance(0.03) {
		r.j.key("companyName")
		r.j.str(company.name)
	}
	switch x := d.r.IntN(100); {
	case x < 92:
		r.j.key("title")
		r.j.str(d.pick(d.v.titles))
	case x < 95:
		r.j.key("title")
		r.j.null()
	}
	r.j.key("startDate")
	if badStart != "" {
		r.j.str(badStart)
	} else {
		r.j.date(start)
	}
	if end >= 0 || d.chance(0.5) {
		r.j.key("endDate")
		r.j.date(end)
	}
	r.j.close('}')
}

// state opens a state object with its status and since members.
func (r *row) state(d *drawer, statuses []string, missing int) {
	r.j.open('{')
	r.required("status", d.pick(statuses), missing)
	switch x := d.r.IntN(100); {
	case x < 92:
		r.j.key("since")
		r.j.date(d.day(2018, lastYear))
	case x < 97:
		r.j.key("since")
		r.j.null()
	}
}

// openDetails starts the details member and reports whether the caller
// should fill it: sometimes it is absent, null or an empty object.
func (r *row) openDetails(d *drawer) bool {
	switch x := d.r.IntN(100); {
	case x < 35:
		return false
	case x < 40:
		r.j.key("details")
		r.j.null()
		return false
	case x < 45:
		r.j.key("details")
		r.j.raw("{}")
		return false
	}
	r.j.key("details")
	r.j.open('{')
	return true
}

func (r *row) renderLearning(d *drawer, flt fault) {
	r.renderState(d, flt, colLearning, 0.08, d.v.learn, r.learningDetails)
}

// renderState writes a state column: sometimes empty, null or [] (emptyP
// and the fixed shares of emptyJSON), else an object with a status drawn
// from statuses, a since date and, sometimes, details written by details.
func (r *row) renderState(d *drawer, flt fault, col int, emptyP float64, statuses []string, details func(*drawer)) {
	if r.emptyJSON(d, col, emptyP, 0.03, 0.01, flt) {
		return
	}
	r.j.reset(r.f[col][:0], d.chance(0.05))
	r.state(d, statuses, flt.missing(col, true))
	if r.openDetails(d) {
		details(d)
		r.j.close('}')
	}
	r.j.close('}')
	r.f[col] = r.j.b
}

// moduleIDs holds the module ids "m1", "m2" and "m3", two bytes each.
const moduleIDs = "m1m2m3"

// learningDetails writes nested objects, lists of scalars, a list of
// objects, a mixed list, integers, floats (1.0 among them) and nulls.
func (r *row) learningDetails(d *drawer) {
	j := &r.j
	if d.chance(0.6) {
		j.key("track")
		j.str(d.pick(d.v.tracks))
	}
	if d.chance(0.2) {
		j.key("cohortSize")
		j.int(d.intIn(8, 120))
	}
	if d.chance(0.3) {
		score := d.r.IntN(101)
		j.key("exam")
		j.open('{')
		j.key("score")
		j.int(score)
		j.key("passed")
		j.bool(score >= 50)
		if d.chance(0.6) {
			j.key("attempts")
			j.int(d.intIn(1, 3))
		}
		j.close('}')
	}
	if d.chance(0.25) {
		j.key("tags")
		j.open('[')
		for range d.r.IntN(4) {
			j.str(d.pick(d.v.tags))
		}
		j.close(']')
	}
	if d.chance(0.25) {
		j.key("ratio")
		if d.chance(0.3) {
			j.float(1)
		} else {
			j.float(float64(d.r.IntN(100)) / 100)
		}
	}
	if d.chance(0.05) {
		j.key("modules")
		j.open('[')
		for i := range d.intIn(1, 3) {
			j.open('{')
			j.key("id")
			j.str(moduleIDs[2*i : 2*i+2])
			j.key("done")
			j.bool(d.chance(0.7))
			j.close('}')
		}
		j.close(']')
	}
	if d.chance(0.05) {
		j.key("scores")
		j.raw("[90,85.5]")
	}
	if d.chance(0.05) {
		j.key("note")
		j.null()
	}
}

func (r *row) renderProfessional(d *drawer, flt fault) {
	r.renderState(d, flt, colProfessional, 0.14, d.v.work, r.professionalDetails)
}

func (r *row) professionalDetails(d *drawer) {
	j := &r.j
	if d.chance(0.5) {
		j.key("sector")
		j.str(d.pick(d.v.sectors))
	}
	if d.chance(0.25) {
		j.key("salaryBand")
		j.int(d.intIn(1, 8))
	}
	if d.chance(0.3) {
		j.key("remote")
		j.bool(d.chance(0.4))
	}
	if d.chance(0.1) {
		j.key("hoursPerWeek")
		j.float([...]float64{37.5, 40, 20, 32.5}[d.r.IntN(4)])
	}
	if d.chance(0.2) {
		j.key("languages")
		j.raw([...]string{`["en"]`, `["en","fr"]`, `["ar","en"]`, `["pt","es","en"]`}[d.r.IntN(4)])
	}
	if d.chance(0.1) {
		j.key("history")
		j.open('{')
		j.key("jobs")
		j.int(d.r.IntN(5))
		j.key("lastTitle")
		j.str(d.pick(d.v.titles))
		j.close('}')
	}
}

func contains(list []int, x int) bool {
	for _, v := range list {
		if v == x {
			return true
		}
	}
	return false
}
