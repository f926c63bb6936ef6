package staging

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// The JSON columns. Objects are decoded into maps of raw members, looked
// up by their exact name (encoding/json matches struct fields regardless of
// case, so {"ID": ...} would pass for "id"), then each member is checked for
// its type, so a reason can name the field.
type jsonObject map[string]json.RawMessage

func (h *Header) skills(b *rowBuilder, rec []string) error {
	skills, err := decodeObjects(h.value(rec, colSkills), "skills")
	if err != nil {
		return err
	}
	for i, s := range skills {
		field := fmt.Sprintf("skills[%d]", i)
		id, err := requiredString(s["id"], field, "id")
		if err != nil {
			return err
		}
		name, err := optionalString(s["name"], field+".name")
		if err != nil {
			return err
		}
		level, err := scalar(s["level"], field+".level")
		if err != nil {
			return err
		}
		b.node(Skill, id, Props{}.Set("id", id).Set("name", name))
		b.rel(HasSkill, b.row.SandID, id, Props{}.Set("level", level))
	}
	return nil
}

func (h *Header) employment(b *rowBuilder, rec []string) error {
	jobs, err := decodeObjects(h.value(rec, colEmployment), "employment")
	if err != nil {
		return err
	}
	for i, j := range jobs {
		field := fmt.Sprintf("employment[%d]", i)
		id, err := requiredString(j["companyId"], field, "companyId")
		if err != nil {
			return err
		}
		name, err := optionalString(j["companyName"], field+".companyName")
		if err != nil {
			return err
		}
		title, err := optionalString(j["title"], field+".title")
		if err != nil {
			return err
		}
		start, err := optionalDate(j["startDate"], field+".startDate")
		if err != nil {
			return err
		}
		end, err := optionalDate(j["endDate"], field+".endDate")
		if err != nil {
			return err
		}
		b.node(Company, id, Props{}.Set("id", id).Set("name", name))
		b.rel(WorkedAt, b.row.SandID, id, Props{}.Set("title", title).Set("startDate", start).Set("endDate", end))
	}
	return nil
}

func (h *Header) states(b *rowBuilder, rec []string) error {
	states := []struct {
		col   column
		label string
		rel   string
	}{
		{colLearningState, LearningState, HasLearningState},
		{colProfessionalState, ProfessionalState, HasProfessionalState},
	}
	for _, s := range states {
		p, err := state(h.value(rec, s.col), columnNames[s.col])
		if err != nil {
			return err
		}
		if p == nil {
			continue
		}
		p = p.Set("learnerId", b.row.SandID)
		b.node(s.label, b.row.SandID, p)
		b.rel(s.rel, b.row.SandID, b.row.SandID, nil)
	}
	return nil
}

// state decodes a state object; nil props for a null column, or [] (the
// contract: a JSON null or [] for a whole column means nothing).
func state(text, col string) (Props, error) {
	if text == "" || text == "null" {
		return nil, nil
	}
	if strings.HasPrefix(text, "[") {
		var a []json.RawMessage
		if err := json.Unmarshal([]byte(text), &a); err != nil {
			return nil, malformed(col, err)
		}
		if len(a) > 0 {
			return nil, reject("%s: expected a JSON object, got array", col)
		}
		return nil, nil
	}
	s, err := decodeObject([]byte(text), col)
	if err != nil {
		return nil, err
	}
	status, err := requiredString(s["status"], col, "status")
	if err != nil {
		return nil, err
	}
	since, err := optionalDate(s["since"], col+".since")
	if err != nil {
		return nil, err
	}
	p := Props{}.Set("status", status).Set("since", since)
	if isNull(s["details"]) {
		return p, nil
	}
	details, err := decodeAny(s["details"])
	if err != nil {
		return nil, malformed(col+".details", err)
	}
	obj, ok := details.(map[string]any)
	if !ok {
		return nil, reject("%s.details: expected a JSON object", col)
	}
	p, err = flatten(p, "details", obj)
	if err != nil {
		return nil, reject("%s.%s", col, err)
	}
	return p, nil
}

// decodeObjects decodes a JSON array column of objects; null, [] and an
// empty value all mean nothing. A null element is an object with no members.
func decodeObjects(text, col string) ([]jsonObject, error) {
	if text == "" || text == "null" {
		return nil, nil
	}
	if !strings.HasPrefix(text, "[") {
		return nil, reject("%s: expected a JSON array", col)
	}
	var elems []json.RawMessage
	if err := json.Unmarshal([]byte(text), &elems); err != nil {
		return nil, malformed(col, err)
	}
	objs := make([]jsonObject, len(elems))
	for i, e := range elems {
		var err error
		if objs[i], err = decodeObject(e, fmt.Sprintf("%s[%d]", col, i)); err != nil {
			return nil, err
		}
	}
	return objs, nil
}

// decodeObject decodes one JSON object (null gives an empty one).
func decodeObject(raw []byte, field string) (jsonObject, error) {
	var o jsonObject
	if err := json.Unmarshal(raw, &o); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, reject("%s: expected a JSON object, got %s", field, te.Value)
		}
		return nil, malformed(field, err)
	}
	return o, nil
}

func malformed(col string, err error) *RowError {
	return reject("%s: malformed JSON: %v", col, err)
}

func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || string(raw) == "null"
}

// requiredString returns a required string field, trimmed.
func requiredString(raw json.RawMessage, object, name string) (string, error) {
	s, err := optionalString(raw, object+"."+name)
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
func optionalString(raw json.RawMessage, field string) (any, error) {
	if isNull(raw) {
		return nil, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, reject("%s: expected a string, got %s", field, raw)
	}
	return nullable(strings.TrimSpace(s)), nil
}

func optionalDate(raw json.RawMessage, field string) (any, error) {
	s, err := optionalString(raw, field)
	if err != nil || s == nil {
		return nil, err
	}
	d, ok := ParseDate(s.(string))
	if !ok {
		return nil, reject("%s: %q is not a date (YYYY-MM-DD)", field, s)
	}
	return d, nil
}

// scalar returns a string, number or boolean field as a property value.
func scalar(raw json.RawMessage, field string) (any, error) {
	if isNull(raw) {
		return nil, nil
	}
	v, err := decodeAny(raw)
	if err != nil {
		return nil, malformed(field, err)
	}
	switch v.(type) {
	case []any, map[string]any:
		return nil, reject("%s: expected a string, number or boolean", field)
	}
	return property(v, field)
}

func decodeAny(raw []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// flatten sets obj's members on p as prefix_name properties, descending
// into nested objects.
func flatten(p Props, prefix string, obj map[string]any) (Props, error) {
	names := make([]string, 0, len(obj))
	for k := range obj {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		name := prefix + "_" + k
		if nested, ok := obj[k].(map[string]any); ok {
			var err error
			if p, err = flatten(p, name, nested); err != nil {
				return nil, err
			}
			continue
		}
		v, err := property(obj[k], name)
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
func property(v any, field string) (any, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case string:
		return nullable(strings.TrimSpace(v)), nil
	case bool:
		return v, nil
	case json.Number:
		return number(v, field)
	case []any:
		return list(v), nil
	case map[string]any:
		return compactJSON(v), nil
	}
	return nil, reject("%s: unexpected JSON value", field)
}

// number is an integer when written without fraction or exponent.
func number(n json.Number, field string) (any, error) {
	s := n.String()
	if strings.ContainsAny(s, ".eE") {
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
	case json.Number:
		if strings.ContainsAny(first.String(), ".eE") {
			return listOf(a, func(v any) (float64, bool) {
				n, ok := v.(json.Number)
				if !ok || !strings.ContainsAny(n.String(), ".eE") {
					return 0, false
				}
				f, err := n.Float64()
				return f, err == nil
			})
		}
		return listOf(a, func(v any) (int64, bool) {
			n, ok := v.(json.Number)
			if !ok || strings.ContainsAny(n.String(), ".eE") {
				return 0, false
			}
			i, err := n.Int64()
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
// sorted (encoding/json sorts map keys; json.Number keeps its text).
func compactJSON(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return ""
	}
	return strings.TrimSuffix(buf.String(), "\n")
}
