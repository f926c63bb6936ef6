package export

import (
	"errors"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/learnergraph/importer/staging"
)

func TestAppendValue(t *testing.T) {
	e := encoder{delim: DefaultArrayDelimiter}
	type out struct {
		Field     string
		Multiline bool
	}
	cases := []struct {
		v    any
		want out
	}{
		{"", out{Field: `""`}},
		{`say "hi"`, out{Field: `"say ""hi"""`}},
		{"a,b", out{Field: `"a,b"`}},
		{"two\nlines", out{Field: "\"two\nlines\"", Multiline: true}},
		{"cr\rhere", out{Field: "\"cr\rhere\"", Multiline: true}},
		{"é 😀", out{Field: `"é 😀"`}},
		{int64(-9223372036854775808), out{Field: "-9223372036854775808"}},
		{1.5e300, out{Field: "1.5e+300"}},
		{0.1, out{Field: "0.1"}},
		{true, out{Field: "true"}},
		{staging.Date(0), out{Field: "1970-01-01"}},
		{staging.DateTime(1356998400123000000), out{Field: "2013-01-01T00:00:00.123Z"}},
		{[]string{"x", "", `"q"`, "a;b"}, out{Field: "\"x\x1f\x1f\"\"q\"\"\x1fa;b\""}},
		{[]string{"", ""}, out{Field: "\"\x1f\""}},
		{[]string{"l1\nl2"}, out{Field: "\"l1\nl2\"", Multiline: true}},
		{[]int64{1, -2}, out{Field: "1\x1f-2"}},
		{[]float64{1.5, 2}, out{Field: "1.5\x1f2"}},
		{[]bool{true, false}, out{Field: "true\x1ffalse"}},
	}
	for _, c := range cases {
		b, err := e.appendValue(nil, c.v)
		if err != nil {
			t.Errorf("%#v: %v", c.v, err)
			continue
		}
		multi := hasBreaks(staging.Props{{Name: "p", Value: c.v}})
		if diff := cmp.Diff(c.want, out{Field: string(b), Multiline: multi}); diff != "" {
			t.Errorf("%#v (-want +got):\n%s", c.v, diff)
		}
	}
}

func TestNotExpressible(t *testing.T) {
	e := encoder{delim: DefaultArrayDelimiter}
	for _, v := range []any{[]string{""}, []string{"a\x1fb"}, struct{}{}} {
		if _, err := e.appendValue(nil, v); !errors.Is(err, ErrNotExpressible) {
			t.Errorf("%#v: got %v, want ErrNotExpressible", v, err)
		}
	}
	for _, name := range []string{"", "a:b", "a,b", `a"b`, "a\nb"} {
		if err := checkName(name); !errors.Is(err, ErrNotExpressible) {
			t.Errorf("name %q: got %v, want ErrNotExpressible", name, err)
		}
	}
}

// TestGrouping puts entities whose property types disagree into separate
// groups, and the others together, with the columns in order of first
// appearance.
func TestGrouping(t *testing.T) {
	gr := grouper{enc: encoder{delim: DefaultArrayDelimiter}}
	var sinks []string
	open := func(n int) (*sink, error) { sinks = append(sinks, "g"); return &sink{}, nil }
	props := []staging.Props{
		{{Name: "id", Value: "1"}, {Name: "level", Value: int64(3)}},
		{{Name: "id", Value: "2"}, {Name: "level", Value: "expert"}},
		{{Name: "id", Value: "3"}, {Name: "note", Value: "x"}},
		{{Name: "id", Value: "4"}, {Name: "level", Value: "basic"}, {Name: "note", Value: int64(1)}},
	}
	var got []int
	for _, p := range props {
		g, err := gr.place(p, open)
		if err != nil {
			t.Fatal(err)
		}
		for i := range gr.groups {
			if gr.groups[i] == g {
				got = append(got, i)
			}
		}
	}
	if diff := cmp.Diff([]int{0, 1, 0, 1}, got); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
	headers := []string{gr.groups[0].header([]string{":ID(X)"}), gr.groups[1].header([]string{":ID(X)"})}
	want := []string{":ID(X),id:string,level:long,note:string\n", ":ID(X),id:string,level:string,note:long\n"}
	if diff := cmp.Diff(want, headers); diff != "" {
		t.Errorf("headers (-want +got):\n%s", diff)
	}
}

// TestMultilineGroups keeps the entities with a line break (in a key or
// another string value) apart from the others, in files that stop taking entities
// once they pass multilineFileBytes, so each stays within what the import
// tool's per-file multiline reader handles.
func TestMultilineGroups(t *testing.T) {
	dir := t.TempDir()
	gr := grouper{enc: encoder{delim: DefaultArrayDelimiter}}
	open := func(n int) (*sink, error) { return newSink(filepath.Join(dir, strconv.Itoa(n)), false) }
	big := strings.Repeat("x", 100<<10) + "\n"
	entities := []staging.Props{
		{{Name: "note", Value: "plain"}},
		{{Name: "note", Value: "two\nlines"}},
		{{Name: "tags", Value: []string{"a", "b\r"}}},
		{{Name: "key", Value: "4\n"}, {Name: "note", Value: "plain"}},
		{{Name: "note", Value: "plain"}},
	}
	for range 13 { // 100 KiB each: the eleventh takes the first multiline file past 1 MiB
		entities = append(entities, staging.Props{{Name: "note", Value: big}})
	}
	var got []int
	for _, p := range entities {
		g, err := gr.place(p, open)
		if err != nil {
			t.Fatal(err)
		}
		if err := gr.write(g, []int64{int64(len(got))}, p); err != nil {
			t.Fatal(err)
		}
		got = append(got, slices.Index(gr.groups, g))
	}
	want := []int{0, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
	var multiline []bool
	for _, g := range gr.groups {
		multiline = append(multiline, g.multiline)
		if g.multiline && g.bytes > multilineFileBytes+int64(len(big))+64 {
			t.Errorf("a multiline group holds %d bytes, over %d plus one row", g.bytes, multilineFileBytes)
		}
		g.out.abort()
	}
	if diff := cmp.Diff([]bool{false, true, true}, multiline); diff != "" {
		t.Errorf("multiline groups (-want +got):\n%s", diff)
	}
}
