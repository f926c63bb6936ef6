package staging

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrContract is returned when the file itself breaks the data contract
// (no root key column, a column twice): nothing is staged.
var ErrContract = errors.New("input breaks the data contract")

// Header maps the mapping's columns to field positions in a record.
type Header struct {
	plan   *Plan
	index  []int // by column id: field position, -1 when the column is absent
	fields int   // fields per record
	// Unknown lists the header's columns the mapping does not know.
	Unknown []string
}

// ParseHeader reads the header record for the built-in mapping.
func ParseHeader(fields []string) (*Header, error) { return defaultPlan.ParseHeader(fields) }

// ParseHeader reads the header record. Column names are case-sensitive and
// may come in any order; surrounding whitespace is ignored.
func (p *Plan) ParseHeader(fields []string) (*Header, error) {
	if p.files != nil {
		return nil, fmt.Errorf("%w: the mapping reads %d files: parse the header of one of them (Plan.Files)", ErrMapping, len(p.files))
	}
	h := &Header{plan: p, index: make([]int, len(p.columns)), fields: len(fields)}
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
		c := p.column(name)
		if c < 0 {
			h.Unknown = append(h.Unknown, name)
			continue
		}
		h.index[c] = i
	}
	for _, c := range p.rootCols {
		if p.hasRoot && h.index[c] < 0 {
			return nil, fmt.Errorf("%w: the header has no %s column", ErrContract, p.columns[c])
		}
	}
	return h, nil
}

// Fields returns the number of fields every record must have.
func (h *Header) Fields() int { return h.fields }

// value returns the trimmed value of column c in rec, "" for null.
func (h *Header) value(rec []string, c int) string {
	return h.null(strings.TrimSpace(h.raw(rec, c)))
}

// null returns "" for a value the mapping says is null (Model.Nulls), else
// s. It inlines to one comparison when the mapping has no nulls (the
// built-in one), on the path of every value of every row.
func (h *Header) null(s string) string {
	if len(h.plan.nulls) == 0 {
		return s
	}
	return h.nullOf(s)
}

func (h *Header) nullOf(s string) string {
	if slices.Contains(h.plan.nulls, strings.TrimSpace(s)) {
		return ""
	}
	return s
}

// raw returns the value of column c in rec as written.
func (h *Header) raw(rec []string, c int) string {
	i := h.index[c]
	if i < 0 || i >= len(rec) {
		return ""
	}
	return rec[i]
}

// rootKey returns the trimmed value of the root's key column (in a file
// without the root: of its first entity's key column, if any); of a
// composite key, the values of its columns joined by "|" (as KeyText).
func (h *Header) rootKey(rec []string) string {
	if cols := h.plan.rootCols; len(cols) == 1 {
		if cols[0] < 0 {
			return ""
		}
		return h.value(rec, cols[0])
	}
	parts := make([]string, len(h.plan.rootCols))
	for i, c := range h.plan.rootCols {
		if c >= 0 {
			parts[i] = h.value(rec, c)
		}
	}
	return strings.Join(parts, "|")
}
