package staging

import (
	"errors"
	"slices"
	"strconv"
	"strings"
)

// The compiled values of a plan (plan.go) at work on one row: each takes
// its value from a column or a JSON member, converts it to its type and
// applies its checks; a failed check rejects the row with a reason that
// names the column or field.

// columnKey returns the key of v's column, checked; "" when it is null and
// not required.
func (h *Header) columnKey(rec []string, v valuePlan) (string, error) {
	name := h.plan.columns[v.col]
	s := h.columnText(rec, &v)
	if s == "" {
		if v.required {
			return "", reject("missing %s", name)
		}
		return "", nil
	}
	s, err := v.check(s, name)
	if err != nil {
		return "", err
	}
	return s, checkKey(name, s)
}

// fieldKey returns the key of an entity from JSON obj (named f), or the
// root's key; "" when it is null and not required.
func (h *Header) fieldKey(b *rowBuilder, v valuePlan, obj jsonObject, f field) (string, error) {
	if v.root {
		return b.row.SandID, nil
	}
	var s string
	if v.required {
		var err error
		if s, err = requiredString(obj.get(v.field), f, v.field); err != nil {
			return "", err
		}
	} else {
		o, err := optionalString(obj.get(v.field), f.with(v.field))
		if err != nil || o == nil {
			return "", err
		}
		s = o.(string)
	}
	s, err := v.check(s, f.with(v.field).String())
	if err != nil {
		return "", err
	}
	return s, checkKeyAt(f.with(v.field), s)
}

// columnText returns v's column value, trimmed unless v says not, with
// v's default for null.
func (h *Header) columnText(rec []string, v *valuePlan) string {
	s := h.null(h.raw(rec, v.col))
	if v.trim {
		s = strings.TrimSpace(s)
	}
	if s == "" {
		s = v.def
	}
	return s
}

// columnValue converts v's column value to its type; nil for null.
func (h *Header) columnValue(rec []string, v *valuePlan) (any, error) {
	name := h.plan.columns[v.col]
	s := h.columnText(rec, v)
	if s == "" {
		if v.required {
			return nil, reject("missing %s", name)
		}
		return nil, nil
	}
	switch v.typ {
	case "int":
		return v.integer(s, name)
	case "float":
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, reject("%s: %q is not a number", name, s)
		}
		return f, v.inRange(f, strconv.FormatFloat(f, 'g', -1, 64), name)
	case "bool":
		t, err := strconv.ParseBool(s)
		if err != nil {
			return nil, reject("%s: %q is not a boolean (true or false)", name, s)
		}
		return t, nil
	case "date":
		d, ok := ParseDate(s)
		if !ok {
			return nil, reject("%s: %q is not a date (YYYY-MM-DD)", name, s)
		}
		return d, nil
	case "datetime":
		d, ok := ParseDateTime(s)
		if !ok {
			return nil, reject("%s: %q is not a date and time (RFC 3339)", name, s)
		}
		return d, nil
	case "list":
		return v.list(s, name)
	}
	return v.check(s, name)
}

// integer parses a base-10 integer and checks its range.
func (v *valuePlan) integer(s, name string) (any, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if errors.Is(err, strconv.ErrRange) {
		if v.min != nil || v.max != nil {
			return nil, reject("%s: %s is %s", name, s, v.rangeText())
		}
		return nil, reject("%s: %s is out of range", name, s)
	}
	if err != nil {
		return nil, reject("%s: %q is not an integer", name, s)
	}
	return n, v.inRange(float64(n), strconv.FormatInt(n, 10), name)
}

// inRange checks a number against v's min and max.
func (v *valuePlan) inRange(f float64, text, name string) error {
	if (v.min != nil && f < *v.min) || (v.max != nil && f > *v.max) {
		return reject("%s: %s is %s", name, text, v.rangeText())
	}
	return nil
}

func (v *valuePlan) rangeText() string {
	num := func(f *float64) string { return strconv.FormatFloat(*f, 'f', -1, 64) }
	switch {
	case v.min != nil && v.max != nil:
		return "outside " + num(v.min) + "–" + num(v.max)
	case v.min != nil:
		return "less than " + num(v.min)
	}
	return "more than " + num(v.max)
}

// list splits a list value at the delimiter; its elements are trimmed
// (unless v says not), checked, and blank ones dropped.
func (v *valuePlan) list(s, name string) (any, error) {
	var out []string
	for _, e := range strings.Split(s, v.delim) {
		if v.trim {
			e = strings.TrimSpace(e)
		}
		if e == "" {
			continue
		}
		e, err := v.check(e, name)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// check applies a string's checks (pattern, allowed values) and then its
// case.
func (v *valuePlan) check(s, name string) (string, error) {
	if v.pattern != nil && !v.pattern.MatchString(s) {
		if v.reason != "" {
			return "", reject("%s: %q %s", name, s, v.reason)
		}
		return "", reject("%s: %q does not match %s", name, s, v.pattern)
	}
	if len(v.values) > 0 && !slices.Contains(v.values, s) {
		return "", reject("%s: %q is not one of %q", name, s, v.values)
	}
	switch {
	case v.upper:
		s = strings.ToUpper(s)
	case v.lower:
		s = strings.ToLower(s)
	}
	return s, nil
}

// fieldValue converts v's member of obj (named f) to its type; nil for
// null or absent.
func fieldValue(v *valuePlan, obj jsonObject, f field) (any, error) {
	raw := obj.get(v.field)
	ff := f.with(v.field)
	if raw == nil && v.def != "" {
		raw = v.def
	}
	if v.required && raw == nil {
		return nil, reject("%s: missing required field %q", f, v.field)
	}
	var val any
	var err error
	switch v.typ {
	case "string":
		if v.required {
			val, err = requiredString(raw, f, v.field)
		} else {
			val, err = optionalString(raw, ff)
		}
		if err != nil || val == nil {
			return nil, err
		}
		return v.check(val.(string), ff.String())
	case "date":
		val, err = optionalDate(raw, ff)
	case "datetime":
		val, err = optionalDateTime(raw, ff)
	case "scalar":
		val, err = scalar(raw, ff)
	default: // int, float, bool
		val, err = typedField(v.typ, raw, ff)
	}
	if err == nil && val == nil && v.required {
		return nil, reject("%s: missing required field %q", f, v.field)
	}
	return val, err
}

// typedField converts a JSON number or boolean of type typ.
func typedField(typ string, raw any, f field) (any, error) {
	if raw == nil {
		return nil, nil
	}
	n, isNum := raw.(jsonNumber)
	_, isBool := raw.(bool)
	switch {
	case typ == "bool" && isBool:
		return raw, nil
	case typ == "int" && isNum && !n.isFloat():
		return number(n, f)
	case typ == "float" && isNum:
		v, err := strconv.ParseFloat(string(n), 64)
		if err != nil {
			return nil, reject("%s: number %s is out of range", f, n)
		}
		return v, nil
	}
	return nil, reject("%s: expected %s, got %s", f, map[string]string{"int": "an integer", "float": "a number", "bool": "a boolean"}[typ], appendJSON(nil, raw))
}

// flattenField sets the members of v's JSON object member as NAME_member
// properties, descending into nested objects.
func flattenField(p Props, v *valuePlan, obj jsonObject, f field) (Props, error) {
	switch m := obj.get(v.field).(type) {
	case nil:
		return p, nil
	case jsonObject:
		p, err := flatten(p, v.name, m)
		if err != nil {
			return nil, reject("%s.%s", f, err)
		}
		return p, nil
	}
	return nil, reject("%s: expected a JSON object", f.with(v.field))
}

// nullable maps the empty string (null) to a nil value.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
