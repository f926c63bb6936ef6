package staging

import (
	"errors"
	"fmt"
	"strings"
)

// ErrContract is returned when the file itself breaks the data contract
// (no sandId column, a column twice): nothing is staged.
var ErrContract = errors.New("input breaks the data contract")

// column identifies one column of the contract.
type column int

const (
	colSandID column = iota
	colFullName
	colGender
	colBirthYear
	colResidenceCountryCode
	colResidenceCountryName
	colOriginCountryCode
	colOriginCountryName
	colCityID
	colCityName
	colSkills
	colProgramID
	colProgramName
	colCohort
	colEnrollmentDate
	colEmployment
	colLearningState
	colProfessionalState
	numColumns
)

// columnNames are the contract's column names, indexed by column.
var columnNames = [numColumns]string{
	"sandId", "fullName", "gender", "birthYear",
	"residenceCountryCode", "residenceCountryName", "originCountryCode", "originCountryName",
	"cityId", "cityName", "skills", "programId", "programName", "cohort", "enrollmentDate",
	"employment", "learningState", "professionalState",
}

// Header maps the contract's columns to field positions in a record.
type Header struct {
	index  [numColumns]int // field position, -1 when the column is absent
	fields int             // fields per record
	// Unknown lists the header's columns the contract does not know.
	Unknown []string
}

// ParseHeader reads the header record. Column names are case-sensitive and
// may come in any order; surrounding whitespace is ignored.
func ParseHeader(fields []string) (*Header, error) {
	h := &Header{fields: len(fields)}
	for c := range h.index {
		h.index[c] = -1
	}
	seen := map[string]bool{}
	for i, f := range fields {
		name := strings.TrimSpace(f)
		if seen[name] {
			return nil, fmt.Errorf("%w: column %q appears twice in the header", ErrContract, name)
		}
		seen[name] = true
		c, ok := lookupColumn(name)
		if !ok {
			h.Unknown = append(h.Unknown, name)
			continue
		}
		h.index[c] = i
	}
	if h.index[colSandID] < 0 {
		return nil, fmt.Errorf("%w: the header has no sandId column", ErrContract)
	}
	return h, nil
}

func lookupColumn(name string) (column, bool) {
	for c, n := range columnNames {
		if n == name {
			return column(c), true
		}
	}
	return 0, false
}

// Fields returns the number of fields every record must have.
func (h *Header) Fields() int { return h.fields }

// value returns the trimmed value of column c in rec, "" for null.
func (h *Header) value(rec []string, c column) string {
	i := h.index[c]
	if i < 0 || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}
