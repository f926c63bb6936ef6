package export

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/learnergraph/importer/staging"
)

// ErrNotExpressible is returned for a staged value or property name that
// neo4j-admin's CSV format cannot carry exactly: a list holding only an
// empty string (a quoted empty field is null to the import tool), a string
// list element holding the array delimiter, or a property name that the
// header syntax would misread. The online load carries these; the error
// names the entity.
var ErrNotExpressible = errors.New("value cannot be expressed in neo4j-admin import CSV")

// colType is a neo4j-admin header type: how the import tool reads a field.
type colType string

const (
	typeString   colType = "string"
	typeLong     colType = "long"
	typeDouble   colType = "double"
	typeBoolean  colType = "boolean"
	typeDate     colType = "date"
	typeDateTime colType = "datetime"
)

// typeOf returns the header type of a staged value (see staging.Prop).
// The import tool turns these into exactly the Neo4j values the online
// load's parameters become (graphwrite.Param): string, Integer (long),
// Float (double), Boolean, Date and lists of one of them.
func typeOf(v any) (colType, error) {
	switch v.(type) {
	case string:
		return typeString, nil
	case int64:
		return typeLong, nil
	case float64:
		return typeDouble, nil
	case bool:
		return typeBoolean, nil
	case staging.Date:
		return typeDate, nil
	case staging.DateTime:
		return typeDateTime, nil
	case []string:
		return typeString + "[]", nil
	case []int64:
		return typeLong + "[]", nil
	case []float64:
		return typeDouble + "[]", nil
	case []bool:
		return typeBoolean + "[]", nil
	}
	return "", fmt.Errorf("%w: unexpected staged type %T", ErrNotExpressible, v)
}

// encoder appends CSV fields: comma-separated, strings always quoted (so
// that an empty string is "" and not the import tool's null), quotes
// doubled (RFC 4180, the tool's default), list elements joined by the
// array delimiter.
type encoder struct {
	delim rune
}

// appendValue appends v as one field.
func (e encoder) appendValue(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case string:
		return appendQuoted(b, v), nil
	case int64:
		return strconv.AppendInt(b, v, 10), nil
	case float64:
		return strconv.AppendFloat(b, v, 'g', -1, 64), nil
	case bool:
		return strconv.AppendBool(b, v), nil
	case staging.Date:
		return append(b, v.String()...), nil
	case staging.DateTime:
		return append(b, v.String()...), nil
	case []string:
		return e.appendStrings(b, v)
	case []int64:
		return appendList(b, e.delim, v, func(b []byte, x int64) []byte { return strconv.AppendInt(b, x, 10) }), nil
	case []float64:
		return appendList(b, e.delim, v, func(b []byte, x float64) []byte { return strconv.AppendFloat(b, x, 'g', -1, 64) }), nil
	case []bool:
		return appendList(b, e.delim, v, strconv.AppendBool), nil
	}
	return b, fmt.Errorf("%w: unexpected staged type %T", ErrNotExpressible, v)
}

func (e encoder) appendStrings(b []byte, v []string) ([]byte, error) {
	if len(v) == 1 && v[0] == "" {
		return b, fmt.Errorf("%w: a list holding only an empty string", ErrNotExpressible)
	}
	b = append(b, '"')
	for i, s := range v {
		if strings.ContainsRune(s, e.delim) {
			return b, fmt.Errorf("%w: list element %q holds the array delimiter %U (choose another with --array-delimiter)", ErrNotExpressible, s, e.delim)
		}
		if i > 0 {
			b = append(b, string(e.delim)...)
		}
		b = appendEscaped(b, s)
	}
	return append(b, '"'), nil
}

// hasBreaks reports a line break in a string value of an entity: its row
// then spans lines, and the import tool must read its file in multiline
// mode.
func hasBreaks(p staging.Props) bool {
	for _, q := range p {
		switch v := q.Value.(type) {
		case string:
			if hasBreak(v) {
				return true
			}
		case []string:
			for _, s := range v {
				if hasBreak(s) {
					return true
				}
			}
		}
	}
	return false
}

func appendList[T any](b []byte, delim rune, v []T, f func([]byte, T) []byte) []byte {
	for i, x := range v {
		if i > 0 {
			b = append(b, string(delim)...)
		}
		b = f(b, x)
	}
	return b
}

func appendQuoted(b []byte, s string) []byte {
	b = append(b, '"')
	return append(appendEscaped(b, s), '"')
}

// appendEscaped appends s with every quote doubled.
func appendEscaped(b []byte, s string) []byte {
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			return append(b, s...)
		}
		b = append(b, s[:i+1]...)
		b = append(b, '"')
		s = s[i+1:]
	}
}

func hasBreak(s string) bool { return strings.ContainsAny(s, "\n\r") }

// checkName refuses a property name the header syntax (name:type, fields
// separated by commas, optionally quoted) would misread.
func checkName(name string) error {
	if name == "" || strings.ContainsAny(name, ":,\"\n\r()[]") {
		return fmt.Errorf("%w: property name %q", ErrNotExpressible, name)
	}
	return nil
}
