package staging

import (
	"strconv"
	"strings"
)

// field names a JSON field in a reason: a column, an element of an array
// column, a member. Reasons are rare, so the name is only built for one.
type field struct {
	col    string
	i      int // element index, -1 for none
	member string
}

func colField(col string) field          { return field{col: col, i: -1} }
func elemField(col string, i int) field  { return field{col: col, i: i} }
func (f field) with(member string) field { f.member = member; return f }

func (f field) String() string {
	s := f.col
	if f.i >= 0 {
		s += "[" + strconv.Itoa(f.i) + "]"
	}
	if f.member != "" {
		s += "." + f.member
	}
	return s
}

// checkKeyAt is checkKey for a key in a JSON field.
func checkKeyAt(f field, v string) error {
	if len(v) <= MaxKeyBytes {
		return nil
	}
	return checkKey(f.String(), v)
}

// decodeObject decodes a JSON object column; ok is false for a null
// column, null or [] (the contract: a JSON null or [] for a whole column
// means nothing).
func decodeObject(text, col string) (obj jsonObject, ok bool, err error) {
	if text == "" {
		return nil, false, nil
	}
	v, err := parseJSON(text)
	if err != nil {
		return nil, false, malformed(col, err)
	}
	switch v := v.(type) {
	case nil:
		return nil, false, nil
	case []any:
		if len(v) > 0 {
			return nil, false, reject("%s: expected a JSON object, got array", col)
		}
		return nil, false, nil
	case jsonObject:
		return v, true, nil
	}
	return nil, false, reject("%s: expected a JSON object, got %s", col, jsonKind(v))
}

// decodeObjects decodes a JSON array column of objects; null, [] and an
// empty value all mean nothing. A null element is an object with no members.
func decodeObjects(text, col string) ([]jsonObject, error) {
	if text == "" {
		return nil, nil
	}
	v, err := parseJSON(text)
	if err != nil {
		return nil, malformed(col, err)
	}
	if v == nil {
		return nil, nil
	}
	elems, ok := v.([]any)
	if !ok {
		return nil, reject("%s: expected a JSON array", col)
	}
	objs := make([]jsonObject, len(elems))
	for i, e := range elems {
		switch e := e.(type) {
		case nil:
		case jsonObject:
			objs[i] = e
		default:
			return nil, reject("%s[%d]: expected a JSON object, got %s", col, i, jsonKind(e))
		}
	}
	return objs, nil
}

// jsonKind names the JSON type of a parsed value for a reason.
func jsonKind(v any) string {
	switch v.(type) {
	case bool:
		return "bool"
	case string:
		return "string"
	case jsonNumber:
		return "number"
	case []any:
		return "array"
	case jsonObject:
		return "object"
	}
	return "null"
}

func malformed(col string, err error) *RowError {
	return reject("%s: malformed JSON: %v", col, err)
}

// requiredString returns a required string field, trimmed.
func requiredString(v any, object field, name string) (string, error) {
	s, err := optionalString(v, object.with(name))
	if err != nil {
		return "", err
	}
	if s == nil {
		return "", reject("%s: missing required field %q", object, name)
	}
	return s.(string), nil
}

// optionalString returns a string field, trimmed, or nil for null, absent
// or blank.
func optionalString(v any, field field) (any, error) {
	if v == nil {
		return nil, nil
	}
	s, ok := v.(string)
	if !ok {
		return nil, reject("%s: expected a string, got %s", field, appendJSON(nil, v))
	}
	return nullable(strings.TrimSpace(s)), nil
}

func optionalDate(v any, field field) (any, error) {
	s, err := optionalString(v, field)
	if err != nil || s == nil {
		return nil, err
	}
	d, ok := ParseDate(s.(string))
	if !ok {
		return nil, reject("%s: %q is not a date (YYYY-MM-DD)", field, s)
	}
	return d, nil
}

func optionalDateTime(v any, field field) (any, error) {
	s, err := optionalString(v, field)
	if err != nil || s == nil {
		return nil, err
	}
	d, ok := ParseDateTime(s.(string))
	if !ok {
		return nil, reject("%s: %q is not a date and time (RFC 3339)", field, s)
	}
	return d, nil
}

// scalar returns a string, number or boolean field as a property value.
func scalar(v any, field field) (any, error) {
	switch v.(type) {
	case []any, jsonObject:
		return nil, reject("%s: expected a string, number or boolean", field)
	}
	return property(v, field)
}

// flatten sets obj's members on p as prefix_name properties, descending
// into nested objects.
func flatten(p Props, prefix string, obj jsonObject) (Props, error) {
	for _, m := range obj.sorted() {
		name := prefix + "_" + m.name
		if err := checkPropertyName(name); err != nil {
			return nil, err
		}
		if nested, ok := m.value.(jsonObject); ok {
			var err error
			if p, err = flatten(p, name, nested); err != nil {
				return nil, err
			}
			continue
		}
		v, err := property(m.value, colField(name))
		if err != nil {
			return nil, err
		}
		p = p.Set(name, v)
	}
	return p, nil
}

// property converts a decoded JSON value (not an object) to a property
// value: strings trimmed (blank is null), integers and floats by how the
// number is written, booleans as they are, a non-empty array of scalars of
// one type as a list, any other array as compact JSON text.
func property(v any, field field) (any, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case string:
		return nullable(strings.TrimSpace(v)), nil
	case bool:
		return v, nil
	case jsonNumber:
		return number(v, field)
	case []any:
		return list(v), nil
	case jsonObject:
		return compactJSON(v), nil
	}
	return nil, reject("%s: unexpected JSON value", field)
}

// number is an integer when written without fraction or exponent.
func number(n jsonNumber, field field) (any, error) {
	s := string(n)
	if n.isFloat() {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, reject("%s: number %s is out of range", field, s)
		}
		return f, nil
	}
	i, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil, reject("%s: integer %s is out of range", field, s)
	}
	return i, nil
}

// list returns a typed list for a non-empty array of scalars of one type
// (strings, integers, floats or booleans), else compact JSON text.
func list(a []any) any {
	if len(a) == 0 {
		return "[]"
	}
	switch first := a[0].(type) {
	case string:
		return listOf(a, func(v any) (string, bool) { s, ok := v.(string); return s, ok })
	case bool:
		return listOf(a, func(v any) (bool, bool) { b, ok := v.(bool); return b, ok })
	case jsonNumber:
		if first.isFloat() {
			return listOf(a, func(v any) (float64, bool) {
				n, ok := v.(jsonNumber)
				if !ok || !n.isFloat() {
					return 0, false
				}
				f, err := strconv.ParseFloat(string(n), 64)
				return f, err == nil
			})
		}
		return listOf(a, func(v any) (int64, bool) {
			n, ok := v.(jsonNumber)
			if !ok || n.isFloat() {
				return 0, false
			}
			i, err := strconv.ParseInt(string(n), 10, 64)
			return i, err == nil
		})
	}
	return compactJSON(a)
}

func listOf[T any](a []any, conv func(any) (T, bool)) any {
	out := make([]T, 0, len(a))
	for _, v := range a {
		t, ok := conv(v)
		if !ok {
			return compactJSON(a)
		}
		out = append(out, t)
	}
	return out
}

// compactJSON renders v with no insignificant whitespace and object keys
// sorted.
func compactJSON(v any) string { return string(appendJSON(nil, v)) }
