package samplegen

// vary changes a repeated learner's row as a later export would: some
// groups of columns get new values, and some values are emptied, so that
// importing both rows exercises the merge rules (a later value replaces an
// earlier one, a later null erases nothing).
func (r *row) vary(d *drawer) {
	noFault := fault{col: -1}
	if d.chance(0.3) {
		r.clear(colResCode, colResName, colCityID, colCityName)
		r.renderResidence(d)
	}
	if d.chance(0.3) {
		r.clear(colSkills)
		r.renderSkills(d, noFault)
	}
	if d.chance(0.2) {
		r.clear(colProgramID, colProgramName, colCohort, colEnrollment)
		r.renderProgram(d, noFault)
	}
	if d.chance(0.2) {
		r.clear(colEmployment)
		r.renderEmployment(d, noFault)
	}
	if d.chance(0.4) {
		r.clear(colLearning)
		r.renderLearning(d, noFault)
	}
	if d.chance(0.3) {
		r.clear(colProfessional)
		r.renderProfessional(d, noFault)
	}
	for c := colFullName; c < numCols; c++ {
		if d.chance(0.08) {
			r.f[c] = r.f[c][:0]
		}
	}
}

func (r *row) clear(cols ...int) {
	for _, c := range cols {
		r.f[c] = r.f[c][:0]
	}
}
