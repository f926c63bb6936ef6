package staging

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/learnergraph/importer/checkpoint"
)

// fuzzHeader puts the JSON columns first; the scalar columns come from one
// fuzzed string split on "|".
var fuzzHeader = []string{
	"sandId", "skills", "employment", "learningState", "professionalState",
	"fullName", "gender", "birthYear", "residenceCountryCode", "residenceCountryName",
	"originCountryCode", "originCountryName", "cityId", "cityName",
	"programId", "programName", "cohort", "enrollmentDate",
}

const fuzzScalars = 13

// FuzzTransform: every record gives either a well-formed Row or a
// *RowError with a reason, and never a panic.
func FuzzTransform(f *testing.F) {
	h, err := ParseHeader(fuzzHeader)
	if err != nil {
		f.Fatal(err)
	}
	seeds := [][6]string{
		{"L1", "", "", "", "", ""},
		{" L1 ", `[{"id":"go","name":"Go","level":3},{"id":"go","level":2.5}]`, `[{"companyId":"a","startDate":"2020-01-01"},{"companyId":"a"}]`,
			`{"status":"x","since":"2024-02-29","details":{"a":{"b":[1,2]},"c":[{"z":1,"y":null}],"d":1.0,"e":[true],"f":[]}}`,
			`[]`, "Ada|f|1990|fr|France|FR|Frankreich|c1|Paris|p1|Data|A|2024-01-01"},
		{"", "null", "[]", "null", "null", "||||||||||||"},
		{"L2", `[{"ID":"x"}]`, `[null]`, `{"Status":"x"}`, `"s"`, "a|b|99999999999999999999|usa"},
		{"L3", `[{"id":"x","level":[1]}]`, `[{"companyId":"a","endDate":"2020-02-30"}]`, `{"status":"x","details":{"n":1e999}}`,
			`{"status":"x","details":{"n":123456789012345678901,"m":-0}}`, "|||||||||||x|2024-1-1"},
		{"L4\xff", `[{"id":"\ud800"}]`, `[1]`, `{"status":" "}`, `{"status":"s","details":"x"}`, "\u00a0|\t|+1990|Éx|||||||||"},
		{"L5", `[{"id":"a","level":"  "},{"id":" a ","name":"  "}]`, `[{"companyId":"a","startDate":" "}]`,
			`{"status":"a","details":{"k":{"l":{}},"k_l":"x"}}`, `{"status":"a","details":{"a":[1,"1"],"b":[[]],"c":[1.5,2]}}`, "|||gb|||||||||extra|field"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1], s[2], s[3], s[4], s[5])
	}
	f.Fuzz(func(t *testing.T, sandID, skills, employment, learning, professional, scalars string) {
		rec := []string{sandID, skills, employment, learning, professional}
		fields := strings.Split(scalars, "|")
		for len(fields) < fuzzScalars {
			fields = append(fields, "")
		}
		rec = append(rec, fields...)
		row, err := h.Transform(rec)
		if err != nil {
			var rerr *RowError
			if !errors.As(err, &rerr) || rerr.Reason == "" || !utf8.ValidString(rerr.Reason) {
				t.Fatalf("error %#v is not a *RowError with a reason", err)
			}
			if row.SandID != "" || len(row.Nodes)+len(row.Rels) > 0 {
				t.Fatalf("rejected row %+v has entities", row)
			}
			return
		}
		checkRow(t, row, strings.TrimSpace(sandID))
	})
}

// checkRow checks that a row is well formed: known labels and types, keys
// equal to their key property, relationships between nodes of the row,
// nothing twice, properties of the documented types, declared by the
// schema, that survive the codec.
func checkRow(t *testing.T, row Row, sandID string) {
	t.Helper()
	if row.SandID == "" || row.SandID != sandID || !utf8.ValidString(row.SandID) {
		t.Fatalf("row sandId %q, want %q", row.SandID, sandID)
	}
	keys := map[string]bool{}
	for _, n := range row.Nodes {
		spec, ok := DefaultSchema().NodeSpecOf(n.Label)
		if !ok {
			t.Fatalf("node of unknown label %q", n.Label)
		}
		if n.Key == "" || n.Key != strings.TrimSpace(n.Key) || n.Props.Get(spec.Key) != n.Key {
			t.Fatalf("%s node: key %q, key property %v", n.Label, n.Key, n.Props.Get(spec.Key))
		}
		if spec.PerLearner && n.Key != row.SandID {
			t.Fatalf("%s node of learner %q in the row of %q", n.Label, n.Key, row.SandID)
		}
		if keys[n.Label+"\x00"+n.Key] {
			t.Fatalf("%s %q twice in one row", n.Label, n.Key)
		}
		keys[n.Label+"\x00"+n.Key] = true
		checkProps(t, n.Label, n.Props)
		for _, q := range n.Props {
			if !spec.Declares(q.Name) {
				t.Fatalf("%s node: property %q is not in the schema", n.Label, q.Name)
			}
		}
		got, err := decodeNode(encodeNode(n.Props))
		if diff := cmp.Diff(n.Props, got, cmpOpts...); diff != "" || err != nil {
			t.Fatalf("%s node through the codec (%v) (-in +out):\n%s", n.Label, err, diff)
		}
	}
	if !keys[Learner+"\x00"+row.SandID] {
		t.Fatalf("no Learner node for %q", row.SandID)
	}
	rels := map[string]bool{}
	for _, r := range row.Rels {
		spec, ok := DefaultSchema().RelSpecOf(r.Type)
		if !ok {
			t.Fatalf("relationship of unknown type %q", r.Type)
		}
		if !keys[spec.Start+"\x00"+r.Start] || !keys[spec.End+"\x00"+r.End] {
			t.Fatalf("%s (%q)->(%q) does not join nodes of the row", r.Type, r.Start, r.End)
		}
		id := r.Type + "\x00" + r.Start + "\x00" + r.End
		if v := r.Props.Get(spec.KeyProp); spec.KeyProp != "" && v != nil {
			id += "\x00" + string(appendValue(nil, v))
		}
		if rels[id] {
			t.Fatalf("%s (%q)->(%q) twice in one row", r.Type, r.Start, r.End)
		}
		rels[id] = true
		checkProps(t, r.Type, r.Props)
		for _, q := range r.Props {
			if !spec.Declares(q.Name) {
				t.Fatalf("%s: property %q is not in the schema", r.Type, q.Name)
			}
		}
		start, end, got, err := decodeRel(encodeRel(r.Start, r.End, r.Props))
		if diff := cmp.Diff(r.Props, got, cmpOpts...); diff != "" || err != nil || start != r.Start || end != r.End {
			t.Fatalf("%s through the codec (%v) (-in +out):\n%s", r.Type, err, diff)
		}
	}
}

// checkProps: sorted names, no name twice, no null, only documented types;
// scalar strings are trimmed and not blank.
func checkProps(t *testing.T, what string, p Props) {
	t.Helper()
	for i, q := range p {
		if i > 0 && p[i-1].Name >= q.Name {
			t.Fatalf("%s: properties not sorted or twice: %q, %q", what, p[i-1].Name, q.Name)
		}
		switch v := q.Value.(type) {
		case string:
			if v == "" || v != strings.TrimSpace(v) || !utf8.ValidString(v) {
				t.Fatalf("%s.%s: string %q is blank, untrimmed or not UTF-8", what, q.Name, v)
			}
		case []string:
			checkList(t, what+"."+q.Name, len(v))
		case []int64:
			checkList(t, what+"."+q.Name, len(v))
		case []float64:
			checkList(t, what+"."+q.Name, len(v))
		case []bool:
			checkList(t, what+"."+q.Name, len(v))
		case int64, float64, bool, Date:
		default:
			t.Fatalf("%s.%s: value %#v of an undocumented type", what, q.Name, v)
		}
	}
}

func checkList(t *testing.T, what string, n int) {
	t.Helper()
	if n == 0 {
		t.Fatalf("%s: empty list (an empty array is the text [])", what)
	}
}

// FuzzReader: line numbers grow and point into the input, raw records are
// the input's text, and a reader restarted at any resume point reads the
// same records, with the same line numbers, as one that read through.
func FuzzReader(f *testing.F) {
	for _, s := range []string{
		"a,b,c\n1,2,3\n", "a,\"b\nc\",d\r\n\r\n\n1,2,3", "x,\"y\"z,1\n\"unterminated\n1,2\n",
		"a,b\"c,d\n1,2,3\n4,5\n", "\"a\"\"b\",\"\",\n,,\n", "1,2,3\r\n\"x\r\ny\",2,3\r\n",
	} {
		f.Add(s, uint8(1))
	}
	f.Fuzz(func(t *testing.T, s string, split uint8) {
		through := mustCSVReader(t, s, 0, 1)
		all := readAllRecords(t, through)
		lines := int64(1 + strings.Count(s, "\n"))
		if off, line := through.next(); off != int64(len(s)) || line != lines {
			t.Fatalf("resume point at the end: offset %d, line %d; want %d, %d", off, line, len(s), lines)
		}
		for i, r := range all {
			if r.line < 1 || r.line > lines || (i > 0 && r.line <= all[i-1].line) {
				t.Fatalf("record %d at line %d (previous %d, %d lines)", i, r.line, all[max(i-1, 0)].line, lines)
			}
			if !strings.Contains(s, string(r.raw)) || len(r.raw) == 0 {
				t.Fatalf("raw record %q is not in the input", r.raw)
			}
		}
		// Read k records, then restart at the resume point.
		k := int(split) % (len(all) + 1)
		r := mustCSVReader(t, s, 0, 1)
		for range k {
			if _, err := r.read(); err != nil {
				t.Fatal(err)
			}
		}
		off, line := r.next()
		rest := readAllRecords(t, mustCSVReader(t, s, off, line))
		if diff := cmp.Diff(all[k:], rest, cmp.AllowUnexported(record{}), cmp.Comparer(sameError), cmpOpts[0]); diff != "" {
			t.Fatalf("restarted after %d records at offset %d, line %d (-through +restarted):\n%s", k, off, line, diff)
		}
	})
}

// mustCSVReader reads s from (off, line), three fields a record, records
// of at most 24 bytes.
func mustCSVReader(t *testing.T, s string, off, line int64) *csvReader {
	t.Helper()
	r, err := newCSVReader(strings.NewReader(s), off, line, 3, 24)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func sameError(a, b error) bool {
	return (a == nil) == (b == nil) && (a == nil || a.Error() == b.Error())
}

// readAllRecords reads to the end, copying what the reader reuses.
func readAllRecords(t *testing.T, r *csvReader) []record {
	t.Helper()
	var out []record
	for {
		rec, err := r.read()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		rec.fields = append([]string(nil), rec.fields...)
		rec.raw = append([]byte(nil), rec.raw...)
		out = append(out, rec)
	}
}

// stageHeader is the header of the FuzzStage inputs.
const stageHeader = "sandId,fullName,birthYear,residenceCountryCode,residenceCountryName,originCountryCode,cityId,skills,programId,cohort,employment,learningState\n"

// FuzzStage stages a fuzzed file in small batches and compares the state
// file with a model that merges the rows' entities in file order in plain
// maps: same entities and properties, same counters, every row accounted
// for. Every batch is an fsync: fuzz it with TMPDIR on a tmpfs
// (TMPDIR=/dev/shm go test -fuzz FuzzStage), or it crawls.
func FuzzStage(f *testing.F) {
	f.Add("L1,Ada,1990,fr,,de,c1,\"[{\"\"id\"\":\"\"go\"\",\"\"level\"\":1}]\",p1,A,\"[{\"\"companyId\"\":\"\"k\"\"}]\",\"{\"\"status\"\":\"\"s\"\"}\"\n"+
		"L2,,,FR,France,,c1,\"[{\"\"id\"\":\"\"go\"\",\"\"name\"\":\"\"Go\"\"}]\",p1,,\"[{\"\"companyId\"\":\"\"k\"\",\"\"startDate\"\":\"\"2020-01-01\"\"}]\",\n"+
		"L1,,1991,fr,,,c2,\"[{\"\"id\"\":\"\"go\"\",\"\"level\"\":2}]\",p1,B,\"[{\"\"companyId\"\":\"\"k\"\",\"\"title\"\":\"\"T\"\"}]\",\"{\"\"status\"\":\"\"t\"\",\"\"details\"\":{\"\"a\"\":[1]}}\"\n", uint8(1))
	f.Add("L1,\"x\ny\",1800,,,,,,,,,\nL2,,,gb,,,,,,,,\n\nL2,\"bad \"q,,,,,,,,,,\nL3,a,b\n", uint8(2))
	h, err := ParseHeader(strings.Split(strings.TrimSuffix(stageHeader, "\n"), ","))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string, batch uint8) {
		input := writeInput(t, stageHeader+body)
		state := filepath.Join(filepath.Dir(input), "import.db")
		if _, err := Stage(context.Background(), input, state, Options{BatchRows: 1 + int(batch%5)}); err != nil {
			t.Fatalf("Stage: %v", err)
		}
		checkConsistency(t, state)
		got := dump(t, state)
		want := model(t, h, body)
		want.Rejects, want.Mark = got.Rejects, got.Mark
		if diff := cmp.Diff(want, got, cmpOpts...); diff != "" {
			t.Fatalf("staged vs. model (-model +staged):\n%s", diff)
		}
		if int64(len(got.Rejects)) != got.Counts.Rows.Rejected {
			t.Fatalf("%d rejects stored, %d counted", len(got.Rejects), got.Counts.Rows.Rejected)
		}
		lines := int64(2 + strings.Count(body, "\n"))
		if m := got.Mark; !m.Done || m.Offset != int64(len(stageHeader)+len(body)) || m.Line != lines {
			t.Fatalf("final mark %+v, want offset %d, line %d", m, len(stageHeader)+len(body), lines)
		}
	})
}

// model stages body in memory: each record through Transform, entities
// merged in file order by their keys.
func model(t *testing.T, h *Header, body string) Dump {
	r := csv.NewReader(strings.NewReader(body))
	r.FieldsPerRecord = h.Fields()
	nodes := map[string]*Node{}
	rels := map[string]*Rel{}
	var order []string
	seen := map[string]bool{}
	var rows checkpoint.Rows
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		rows.Read++
		var row Row
		if err == nil {
			row, err = h.Transform(rec)
		}
		if err != nil {
			rows.Rejected++
			continue
		}
		rows.Staged++
		if seen[row.SandID] {
			rows.Duplicates++
		}
		seen[row.SandID] = true
		for _, n := range row.Nodes {
			k := n.Label + "\x00" + n.Key
			if old, ok := nodes[k]; ok {
				old.Props = old.Props.Merge(n.Props)
				continue
			}
			n.Props = append(Props(nil), n.Props...)
			nodes[k] = &n
			order = append(order, k)
		}
		for _, rel := range row.Rels {
			spec, _ := DefaultSchema().RelSpecOf(rel.Type)
			k := "rel\x00" + rel.Type + "\x00" + rel.Start + "\x00" + rel.End
			if v := rel.Props.Get(spec.KeyProp); spec.KeyProp != "" && v != nil {
				k += "\x00" + string(appendValue(nil, v))
			}
			if old, ok := rels[k]; ok {
				old.Props = old.Props.Merge(rel.Props)
				continue
			}
			rel.Props = append(Props(nil), rel.Props...)
			rels[k] = &rel
			order = append(order, k)
		}
	}
	d := Dump{Nodes: map[string][]Node{}, Rels: map[string][]Rel{}}
	for _, k := range order {
		if n, ok := nodes[k]; ok {
			d.Nodes[n.Label] = append(d.Nodes[n.Label], *n)
		} else {
			d.Rels[rels[k].Type] = append(d.Rels[rels[k].Type], *rels[k])
		}
	}
	for l := range d.Nodes {
		d.Nodes[l] = sortNodes(d.Nodes[l])
	}
	for ty := range d.Rels {
		d.Rels[ty] = sortRels(d.Rels[ty])
	}
	n, rl := countDump(d)
	d.Counts = counts(rows, n, rl)
	return d
}
