package staging

import (
	"math"
	"slices"
	"sort"
	"strings"
	"time"
)

// Date is a calendar date, stored as days since 1970-01-01. It becomes a
// Neo4j Date.
type Date int32

// ParseDate parses a YYYY-MM-DD date; ok is false for anything else.
func ParseDate(s string) (d Date, ok bool) {
	if len(s) != 10 {
		return 0, false
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, false
	}
	return Date(t.Unix() / 86400), true
}

// Time returns the date as midnight UTC.
func (d Date) Time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

func (d Date) String() string { return d.Time().Format(time.DateOnly) }

// DateTime is an instant, stored as nanoseconds since 1970-01-01 UTC (so
// from 1677 to 2262). It becomes a Neo4j DateTime at offset Z.
type DateTime int64

// dateTimeLayouts are the accepted forms: RFC 3339, and without an offset
// (taken as UTC).
var dateTimeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"}

// ParseDateTime parses an RFC 3339 date and time; ok is false for
// anything else, or an instant outside DateTime's range.
func ParseDateTime(s string) (d DateTime, ok bool) {
	for _, layout := range dateTimeLayouts {
		t, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		if t.Year() < 1678 || t.Year() > 2261 {
			return 0, false
		}
		return DateTime(t.UnixNano()), true
	}
	return 0, false
}

// Time returns the instant in UTC.
func (d DateTime) Time() time.Time { return time.Unix(0, int64(d)).UTC() }

func (d DateTime) String() string { return d.Time().Format(time.RFC3339Nano) }

// Prop is one property. Value is one of: string, int64, float64, bool,
// Date, DateTime, or a list of one of []string, []int64, []float64, []bool. Null is
// never a value: a null property is simply absent.
type Prop struct {
	Name  string
	Value any
}

// Props is a property set, sorted by name with no name twice.
type Props []Prop

// Get returns the value of name, or nil.
func (p Props) Get(name string) any {
	i := sort.Search(len(p), func(i int) bool { return p[i].Name >= name })
	if i < len(p) && p[i].Name == name {
		return p[i].Value
	}
	return nil
}

// Set returns p with name set to v (nil removes nothing and sets nothing:
// null never becomes a property).
func (p Props) Set(name string, v any) Props {
	if v == nil {
		return p
	}
	i := sort.Search(len(p), func(i int) bool { return p[i].Name >= name })
	if i < len(p) && p[i].Name == name {
		p[i].Value = v
		return p
	}
	if cap(p) == 0 {
		p = make(Props, 0, 4) // most entities have a few properties
	}
	p = append(p, Prop{})
	copy(p[i+1:], p[i:])
	p[i] = Prop{Name: name, Value: v}
	return p
}

// Merge returns p with later's properties laid over it: the contract's
// merge rule, where a later non-null value replaces an earlier one and a
// later null (an absent property) never erases.
func (p Props) Merge(later Props) Props {
	for _, q := range later {
		p = p.Set(q.Name, q.Value)
	}
	return p
}

// mergeFirst returns p with those of later's properties that p does not
// have: the first-wins merge rule (model.MergeFirst), where the first
// non-null value stays.
func (p Props) mergeFirst(later Props) Props {
	for _, q := range later {
		if p.Get(q.Name) == nil {
			p = p.Set(q.Name, q.Value)
		}
	}
	return p
}

// mergeBy is mergeFirst when first is set, else Merge.
func (p Props) mergeBy(later Props, first bool) Props {
	if first {
		return p.mergeFirst(later)
	}
	return p.Merge(later)
}

// mergeChanged is mergeBy that also reports whether later changed p. A
// property named same is known to be equal when p has it (a shared
// entity's key property: equal to its bucket key), and is not compared.
func mergeChanged(p, later Props, same string, first bool) (Props, bool) {
	changed := false
	known := p != nil // not p's state in the loop: a name before same sets it
	for _, q := range later {
		if q.Name == same && known || first && p.Get(q.Name) != nil {
			continue
		}
		if !sameValue(p.Get(q.Name), q.Value) {
			p = p.Set(q.Name, q.Value)
			changed = true
		}
	}
	return p, changed
}

// sameValue reports whether two property values encode the same (floats
// compare by their bits, so NaN is NaN and 0 is not -0).
func sameValue(a, b any) bool {
	switch a := a.(type) {
	case string, int64, bool, Date, DateTime:
		return a == b
	case float64:
		b, ok := b.(float64)
		return ok && math.Float64bits(a) == math.Float64bits(b)
	case []string:
		b, ok := b.([]string)
		return ok && slices.Equal(a, b)
	case []int64:
		b, ok := b.([]int64)
		return ok && slices.Equal(a, b)
	case []bool:
		b, ok := b.([]bool)
		return ok && slices.Equal(a, b)
	case []float64:
		b, ok := b.([]float64)
		return ok && slices.EqualFunc(a, b, func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) })
	}
	return false
}

// cloneValue copies the strings of a property value, so that keeping it
// does not keep the CSV record it was cut from.
func cloneValue(v any) any {
	switch v := v.(type) {
	case string:
		return strings.Clone(v)
	case []string:
		out := make([]string, len(v))
		for i, s := range v {
			out[i] = strings.Clone(s)
		}
		return out
	}
	return v
}
