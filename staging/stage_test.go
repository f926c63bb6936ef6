package staging

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"

	"github.com/learnergraph/importer/checkpoint"
)

func fileSize(t testing.TB, name string) int64 {
	t.Helper()
	info, err := os.Stat(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return info.Size()
}

// TestStageMerge: the same entities on many rows merge in file order,
// within a batch and across batches alike.
func TestStageMerge(t *testing.T) {
	d20 := date(t, "2020-01-01")
	want := Dump{
		Nodes: map[string][]Node{
			Learner: {
				{Learner, "L1", props("sandId", "L1", "fullName", "Ada", "birthYear", int64(1991))},
				{Learner, "L2", props("sandId", "L2", "fullName", "Bob")},
				{Learner, "L3", props("sandId", "L3", "fullName", "Cy", "birthYear", int64(2001))},
			},
			Country:       {{Country, "DE", props("code", "DE", "name", "Deutschland")}, {Country, "FR", props("code", "FR", "name", "France")}},
			City:          {{City, "c1", props("id", "c1", "name", "Paris")}, {City, "c2", props("id", "c2", "name", "Lyon")}},
			Skill:         {{Skill, "go", props("id", "go", "name", "Go")}, {Skill, "sql", props("id", "sql")}},
			Program:       {{Program, "p1", props("id", "p1", "name", "Data")}},
			Company:       {{Company, "acme", props("id", "acme", "name", "ACME")}},
			LearningState: {{LearningState, "L1", props("learnerId", "L1", "status", "active", "details_track", "data", "details_level", int64(2))}},
		},
		Rels: map[string][]Rel{
			ResidesIn:        {{ResidesIn, "L1", "FR", nil}, {ResidesIn, "L2", "FR", nil}, {ResidesIn, "L3", "DE", nil}},
			OriginatesFrom:   {{OriginatesFrom, "L2", "DE", nil}, {OriginatesFrom, "L3", "FR", nil}},
			LivesIn:          {{LivesIn, "L1", "c1", nil}, {LivesIn, "L2", "c2", nil}, {LivesIn, "L3", "c1", nil}},
			InCountry:        {{InCountry, "c1", "DE", nil}, {InCountry, "c1", "FR", nil}, {InCountry, "c2", "FR", nil}},
			HasSkill:         {{HasSkill, "L1", "go", props("level", int64(2))}, {HasSkill, "L1", "sql", nil}, {HasSkill, "L2", "go", nil}},
			EnrolledIn:       {{EnrolledIn, "L1", "p1", props("cohort", "A")}, {EnrolledIn, "L2", "p1", props("cohort", "C")}},
			HasLearningState: {{HasLearningState, "L1", "L1", nil}},
			WorkedAt: {
				{WorkedAt, "L1", "acme", props("title", "Trainee")},
				{WorkedAt, "L1", "acme", props("title", "Dev", "startDate", d20)},
				{WorkedAt, "L3", "acme", props("startDate", d20)},
			},
		},
		Counts: counts(checkpoint.Rows{Read: 5, Staged: 5, Duplicates: 2},
			map[string]int64{Learner: 3, Country: 2, City: 2, Skill: 2, Program: 1, Company: 1, LearningState: 1},
			map[string]int64{ResidesIn: 3, OriginatesFrom: 2, LivesIn: 3, InCountry: 3, HasSkill: 3, EnrolledIn: 2, WorkedAt: 3, HasLearningState: 1}),
		Mark: checkpoint.StageMark{Offset: fileSize(t, "merge.csv"), Line: 7, NextOrdinal: 3, Done: true},
	}
	for _, batch := range []int{1, 2, 0} {
		got := dump(t, stageFile(t, "merge.csv", Options{BatchRows: batch}))
		if diff := cmp.Diff(want, got, cmpOpts...); diff != "" {
			t.Errorf("batches of %d rows: dump (-want +got):\n%s", batch, diff)
		}
	}
}

// TestStageNormalisation: BOM, CRLF, columns in another order, missing and
// unknown columns, quoted commas and line ends, blank lines.
func TestStageNormalisation(t *testing.T) {
	var warnings []string
	logf := func(format string, args ...any) { warnings = append(warnings, format) }
	got := dump(t, stageFile(t, "bom_crlf.csv", Options{Logf: logf}))
	want := Dump{
		Nodes: map[string][]Node{
			Learner: {
				{Learner, "L1", props("sandId", "L1", "fullName", "Lovelace, Ada")},
				{Learner, "L2", props("sandId", "L2", "fullName", "two\nlines")},
				{Learner, "L3", props("sandId", "L3")},
				{Learner, "L4", props("sandId", "L4")},
			},
			Country: {{Country, "FR", props("code", "FR")}, {Country, "GB", props("code", "GB")}},
			Skill:   {{Skill, "go", props("id", "go", "name", "Go")}, {Skill, "py", props("id", "py", "name", "Python, 3")}},
		},
		Rels: map[string][]Rel{
			ResidesIn: {{ResidesIn, "L1", "FR", nil}, {ResidesIn, "L3", "GB", nil}},
			HasSkill:  {{HasSkill, "L1", "go", nil}, {HasSkill, "L1", "py", nil}, {HasSkill, "L3", "go", nil}},
		},
		Counts: counts(checkpoint.Rows{Read: 4, Staged: 4},
			map[string]int64{Learner: 4, Country: 2, Skill: 2}, map[string]int64{ResidesIn: 2, HasSkill: 3}),
		Mark: checkpoint.StageMark{Offset: fileSize(t, "bom_crlf.csv"), Line: 7, NextOrdinal: 4, Done: true},
	}
	if diff := cmp.Diff(want, got, cmpOpts...); diff != "" {
		t.Errorf("dump (-want +got):\n%s", diff)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "ignoring columns") {
		t.Errorf("warnings = %q, want one about the unknown columns", warnings)
	}
}

// TestStageRejects: every reject reason of the contract, with the line the
// record starts on (after multi-line records and a blank line), its sandId
// and its raw text; the good rows around them are staged.
func TestStageRejects(t *testing.T) {
	got := dump(t, stageFile(t, "rejects.csv", Options{BatchRows: 4}))
	want := Dump{
		Nodes: map[string][]Node{
			Learner: {
				{Learner, "L1", props("sandId", "L1", "fullName", "Ada, Countess\nof Lovelace", "birthYear", int64(1990))},
				{Learner, "L13", props("sandId", "L13", "fullName", `quoted " ok`, "birthYear", int64(2000))},
				{Learner, "L15", props("sandId", "L15", "fullName", "after blank", "birthYear", int64(2001))},
			},
			Country: {{Country, "GB", props("code", "GB")}},
		},
		Rels: map[string][]Rel{ResidesIn: {{ResidesIn, "L1", "GB", nil}}},
		Rejects: []Reject{
			{4, "L2", "birthYear: 1890 is outside 1900–2100", "L2,Bob,1890,,,,,,"},
			{5, "L3", "wrong number of fields: 3, the header has 9", "L3,Too,Few"},
			{6, "L4", `bad quoting: a bare " in an unquoted field (line 6, column 7)`, `L4,Bad"Quote,1990,,,,,,`},
			{7, "", "missing sandId", ",NoId,1990,,,,,,"},
			{8, "L5", "invalid UTF-8 in field 2", " L5 ,Inv\xffalid,1990,,,,,,"},
			{9, "L6", `birthYear: "nineteen" is not an integer`, "L6,\"multi\nline\nname\",nineteen,,,,,,"},
			{12, "L7", `residenceCountryCode: "USA" is not a two-letter country code`, "L7,,,USA,,,,,"},
			{13, "L8", `enrollmentDate: "2024-02-30" is not a date (YYYY-MM-DD)`, "L8,,,,p1,2024-02-30,,,"},
			{14, "L9", "skills: malformed JSON: offset 11: unexpected end of input", `L9,,,,,,"[{""id"":""go""",,`},
			{15, "L10", `skills[0]: missing required field "id"`, `L10,,,,,,"[{""name"":""Go""}]",,`},
			{16, "L11", `employment[0].startDate: "2020/01/01" is not a date (YYYY-MM-DD)`, `L11,,,,,,,"[{""companyId"":""a"",""startDate"":""2020/01/01""}]",`},
			{17, "L12", `learningState: missing required field "status"`, `L12,,,,,,,,"{""since"":""2024-01-01""}"`},
			{19, "L14", `bad quoting: extraneous or missing " in a quoted field (line 19, column 10)`, `L14,"bad "quote",2000,,,,,,`},
			{22, "L16", `bad quoting: extraneous or missing " in a quoted field (line 23, column 9)`, "L16,\"unterminated\nrest,,,"},
		},
		Counts: counts(checkpoint.Rows{Read: 17, Staged: 3, Rejected: 14},
			map[string]int64{Learner: 3, Country: 1}, map[string]int64{ResidesIn: 1}),
		Mark: checkpoint.StageMark{Offset: fileSize(t, "rejects.csv"), Line: 24, NextOrdinal: 3, Done: true},
	}
	if diff := cmp.Diff(want, got, cmpOpts...); diff != "" {
		t.Errorf("dump (-want +got):\n%s", diff)
	}
}

// TestStageLines: a reject's line is where its record starts, after
// multi-line records, bad quoting across lines and blank lines.
func TestStageLines(t *testing.T) {
	got := dump(t, stageString(t, "sandId,birthYear\n\"L1\nx\",1800\nL2,\"19\n90\"\nL3,\"1990\"x\n\"L4\",1990\n"+
		"L5,\"1990\n\"x,\n\n\nL6,1\n\"L7\",\"\n\n\"\nL8,\"\"\"\n", Options{BatchRows: 2}))
	want := []Reject{
		{2, "L1\nx", "birthYear: 1800 is outside 1900–2100", "\"L1\nx\",1800"},
		{4, "L2", `birthYear: "19\n90" is not an integer`, "L2,\"19\n90\""},
		{6, "L3", `bad quoting: extraneous or missing " in a quoted field (line 6, column 9)`, `L3,"1990"x`},
		{8, "L5", `bad quoting: extraneous or missing " in a quoted field (line 9, column 1)`, "L5,\"1990\n\"x,"},
		{12, "L6", "birthYear: 1 is outside 1900–2100", "L6,1"},
		{16, "L8", `bad quoting: extraneous or missing " in a quoted field (line 16, column 8)`, `L8,"""`},
	}
	if diff := cmp.Diff(want, got.Rejects); diff != "" {
		t.Errorf("rejects (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(checkpoint.Rows{Read: 8, Staged: 2, Rejected: 6}, got.Counts.Rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

// TestStageLarge: a file of several MiB, so raw records are cut across
// the reader's buffer compaction, with rejects spread through it.
func TestStageLarge(t *testing.T) {
	var b strings.Builder
	b.WriteString("sandId,fullName,birthYear\n")
	var want []Reject
	line := int64(2)
	for i := range 15000 {
		rec := fmt.Sprintf("L%d,%s,%d", i, strings.Repeat("n", 80+i%37), 1950+i%50)
		switch {
		case i%997 == 0:
			rec = fmt.Sprintf("L%d,\"%s\n%d\",1800", i, strings.Repeat("m", i%300), i)
			want = append(want, Reject{line, fmt.Sprint("L", i), "birthYear: 1800 is outside 1900–2100", rec})
		case i%1499 == 0:
			rec = fmt.Sprintf("L%d,\"two\nlines\",2000", i)
		}
		b.WriteString(rec + "\n")
		line += int64(strings.Count(rec, "\n")) + 1
	}
	state := stageString(t, b.String(), Options{BatchRows: 4000})
	got := dump(t, state)
	if diff := cmp.Diff(want, got.Rejects); diff != "" {
		t.Errorf("rejects (-want +got):\n%s", diff)
	}
	rows := checkpoint.Rows{Read: 15000, Staged: 15000 - int64(len(want)), Rejected: int64(len(want))}
	if diff := cmp.Diff(rows, got.Counts.Rows); diff != "" || got.Mark.Line != line || len(got.Nodes[Learner]) != int(rows.Staged) {
		t.Errorf("mark %+v, %d learners; rows (-want +got):\n%s", got.Mark, len(got.Nodes[Learner]), diff)
	}

	// ReadRejects stops at its limit and at the first error of fn.
	db, err := checkpoint.OpenReadOnly(state)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var lines []int64
	if err := db.View(func(tx *bolt.Tx) error {
		return ReadRejects(tx, 3, func(r Reject) error { lines = append(lines, r.Line); return nil })
	}); err != nil || !cmp.Equal(lines, []int64{want[0].Line, want[1].Line, want[2].Line}) {
		t.Errorf("ReadRejects with limit 3: %v, lines %v", err, lines)
	}
	stop := errors.New("stop")
	if err := db.View(func(tx *bolt.Tx) error {
		return ReadRejects(tx, 0, func(Reject) error { return stop })
	}); !errors.Is(err, stop) {
		t.Errorf("ReadRejects whose fn fails: %v", err)
	}
}

// TestStageFileOrder: learners, and what hangs off them, read back in the
// order of their first appearance, whatever their sandIds.
func TestStageFileOrder(t *testing.T) {
	state := stageString(t, "sandId,skills\nL9,\nL1,\"[{\"\"id\"\":\"\"b\"\"},{\"\"id\"\":\"\"a\"\"}]\"\nL5,\nL9,\"[{\"\"id\"\":\"\"z\"\"}]\"\n", Options{})
	db, err := checkpoint.OpenReadOnly(state)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin(false)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	nodes, _, err := ReadNodes(tx, DefaultSchema(), Learner, Range{}, nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, n := range nodes {
		keys = append(keys, n.Key)
	}
	rels, _, err := ReadRels(tx, DefaultSchema(), HasSkill, Range{}, nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rels {
		keys = append(keys, r.Start)
	}
	if diff := cmp.Diff([]string{"L9", "L1", "L5", "L9", "L1", "L1"}, keys); diff != "" {
		t.Errorf("learners, then HAS_SKILL starts, in bucket order (-want +got):\n%s", diff)
	}
	if _, _, err := ReadNodes(tx, DefaultSchema(), "Person", Range{}, nil, 10); err == nil {
		t.Error("ReadNodes of an unknown label: no error")
	}
}

// TestStageReport: the counters agree with what is staged, and the
// progress callback and snapshot report the same as the state file.
func TestStageReport(t *testing.T) {
	var progress []Progress
	opt := Options{BatchRows: 2, Command: "stage", Progress: func(p Progress) { progress = append(progress, p) }}
	state := stageFile(t, "merge.csv", opt)
	d := dump(t, state)
	nodes, rels := countDump(d)
	if diff := cmp.Diff(counts(d.Counts.Rows, nodes, rels), d.Counts); diff != "" {
		t.Errorf("counters vs. staged entities (-staged +counters):\n%s", diff)
	}
	if r := d.Counts.Rows; r.Read != r.Staged+r.Rejected {
		t.Errorf("rows %+v: read != staged + rejected", r)
	}
	if len(progress) != 3 {
		t.Fatalf("%d progress calls for 5 rows in batches of 2, want 3", len(progress))
	}
	last := progress[2]
	size := fileSize(t, "merge.csv")
	want := last // fields not checked here keep their value
	want.Counts, want.Offset, want.Size, want.Done = d.Counts, size, size, true
	if diff := cmp.Diff(want, last); diff != "" {
		t.Errorf("last progress (-want +got):\n%s", diff)
	}
	if progress[0].Done || progress[0].Counts.Rows.Read != 2 || progress[0].Offset >= progress[1].Offset {
		t.Errorf("first progress %+v, second %+v", progress[0], progress[1])
	}
	snap, err := checkpoint.ReadSnapshot(state)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus := checkpoint.Status{Phase: checkpoint.PhaseStaged, Rows: d.Counts.Rows, Nodes: d.Counts.Nodes, Relationships: d.Counts.Relationships}
	if diff := cmp.Diff(wantStatus, snap.Status, cmpOpts...); diff != "" || snap.Command != "stage" || snap.PID != os.Getpid() {
		t.Errorf("snapshot %+v; status (-want +got):\n%s", snap, diff)
	}
}

// TestStageErrors: problems with the input or the state file stop Stage
// before it writes anything.
func TestStageErrors(t *testing.T) {
	tests := []struct {
		name, content string
		want          error
	}{
		{"no sandId column", "fullName,gender\nAda,f\n", ErrContract},
		{"sandId in another case", "SandId\nL1\n", ErrContract},
		{"empty file", "", ErrContract},
		{"only a byte-order mark and blank lines", "\ufeff\n\r\n", ErrContract},
		{"a column twice", "sandId,fullName,fullName\nL1,a,b\n", ErrContract},
		{"header with bad quoting", "sandId,\"full\"Name\nL1,a\n", ErrContract},
		{"missing input file", "", os.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			input := writeInput(t, tt.content)
			if tt.want == os.ErrNotExist {
				input += ".missing"
			}
			state := statePath(t, input)
			_, err := Stage(context.Background(), input, state, Options{})
			if !errors.Is(err, tt.want) {
				t.Errorf("Stage: %v, want %v", err, tt.want)
			}
			// Nothing but the input: no state file, no snapshot, no
			// temporary file (whatever its name: Create's are
			// import.db.creating-<random>).
			entries, err := os.ReadDir(filepath.Dir(state))
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			if diff := cmp.Diff([]string{"learners.csv"}, names); err != nil || diff != "" {
				t.Errorf("left behind next to the input (-want +got):\n%s%v", diff, err)
			}
		})
	}
}

// TestStageExisting: an existing state file is kept unless Overwrite.
func TestStageExisting(t *testing.T) {
	input := writeInput(t, "sandId\nL1\n")
	state := statePath(t, input)
	if err := os.WriteFile(state, []byte("not a state file"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Stage(context.Background(), input, state, Options{}); !errors.Is(err, checkpoint.ErrExists) {
		t.Fatalf("Stage over an existing file: %v, want ErrExists", err)
	}
	if raw, _ := os.ReadFile(state); string(raw) != "not a state file" {
		t.Fatalf("the existing file was changed: %q", raw)
	}
	c, err := Stage(context.Background(), input, state, Options{Overwrite: true})
	if err != nil {
		t.Fatalf("Stage with Overwrite: %v", err)
	}
	want := counts(checkpoint.Rows{Read: 1, Staged: 1}, map[string]int64{Learner: 1}, nil)
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, dump(t, state).Counts); diff != "" {
		t.Errorf("staged counts (-want +got):\n%s", diff)
	}
}

// resumeInput is a CSV of n rows with duplicates, multi-line records,
// rejects, a blank line and CRLF line ends, for the resume tests.
func resumeInput(n int) string {
	var b strings.Builder
	b.WriteString("sandId,fullName,birthYear,residenceCountryCode,residenceCountryName,cityId,skills,employment,learningState\r\n")
	codes := []string{"fr", "DE", "gb", "X1", "es"}
	for i := range n {
		name := fmt.Sprintf("Name %d", i)
		if i%4 == 0 {
			name = fmt.Sprintf("\"Name\r\n%d\"", i)
		}
		year := fmt.Sprint(1950 + i%60)
		if i%13 == 5 {
			year = "18"
		}
		country := ""
		if i%3 == 0 {
			country = "Country " + codes[i%5]
		}
		start := ""
		if i%2 == 0 {
			start = fmt.Sprintf(`,""startDate"":""20%02d-01-01""`, i%20)
		}
		fmt.Fprintf(&b, "L%d,%s,%s,%s,%s,c%d,\"[{\"\"id\"\":\"\"s%d\"\",\"\"level\"\":%d}]\",\"[{\"\"companyId\"\":\"\"k%d\"\"%s}]\",\"{\"\"status\"\":\"\"s%d\"\",\"\"details\"\":{\"\"n%d\"\":%d}}\"\r\n",
			(i*7)%(n/2), name, year, codes[i%5], country, i%6, i%5, i%3, i%4, start, i%2, i%3, i)
		switch i % 17 {
		case 8:
			b.WriteString("L0,\"bad \"quote\",1990,,,,,,\r\n")
		case 12:
			b.WriteString("\r\n")
		}
	}
	return b.String()
}

// TestResume: staging cancelled after every batch and resumed each time
// stages exactly what one uninterrupted run stages.
func TestResume(t *testing.T) {
	content := resumeInput(60)
	want := dump(t, stageString(t, content, Options{BatchRows: 5}))
	if want.Counts.Rows.Rejected == 0 || want.Counts.Rows.Duplicates == 0 {
		t.Fatalf("the input should have rejects and duplicates: %+v", want.Counts.Rows)
	}

	input := writeInput(t, content)
	state := statePath(t, input)
	ctx, cancel := context.WithCancel(context.Background())
	opt := Options{BatchRows: 5, Progress: func(Progress) { cancel() }}
	_, err := Stage(ctx, input, state, opt)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Stage cancelled: %v", err)
	}
	partial := dump(t, state)
	if r := partial.Counts.Rows; r.Read != 5 || partial.Mark.Done || len(partial.Rejects)+len(partial.Nodes[Learner]) > 5 {
		t.Fatalf("after one batch: rows %+v, mark %+v", r, partial.Mark)
	}
	for resumes := 1; ; resumes++ {
		ctx, cancel = context.WithCancel(context.Background())
		_, err := Resume(ctx, state, opt)
		cancel()
		if err == nil {
			break
		}
		if !errors.Is(err, context.Canceled) || resumes > 100 {
			t.Fatalf("Resume #%d: %v", resumes, err)
		}
	}
	if diff := cmp.Diff(want, dump(t, state), cmpOpts...); diff != "" {
		t.Errorf("resumed vs. uninterrupted (-uninterrupted +resumed):\n%s", diff)
	}

	// Resuming a finished state file changes nothing.
	c, err := Resume(context.Background(), state, Options{})
	if err != nil {
		t.Fatalf("Resume of a finished file: %v", err)
	}
	if diff := cmp.Diff(want.Counts, c); diff != "" {
		t.Errorf("counts of a finished file (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, dump(t, state), cmpOpts...); diff != "" {
		t.Errorf("after resuming a finished file (-want +got):\n%s", diff)
	}
}

// TestResumeRefuses: an input file whose staged part changed (a grown
// one resumes: TestStageInputGrows), or no state file.
func TestResumeRefuses(t *testing.T) {
	input := writeInput(t, resumeInput(30))
	state := statePath(t, input)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := Stage(ctx, input, state, Options{BatchRows: 5, Progress: func(Progress) { cancel() }}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Stage cancelled: %v", err)
	}
	before := dump(t, state)
	if err := os.WriteFile(input, []byte(strings.Replace(resumeInput(31), "Name 1,", "Name X,", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Resume(context.Background(), state, Options{}); !errors.Is(err, ErrInputChanged) {
		t.Errorf("Resume on a changed input: %v, want ErrInputChanged", err)
	}
	if diff := cmp.Diff(before, dump(t, state), cmpOpts...); diff != "" {
		t.Errorf("Resume on a changed input wrote (-before +after):\n%s", diff)
	}
	if err := os.Remove(input); err != nil {
		t.Fatal(err)
	}
	if _, err := Resume(context.Background(), state, Options{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Resume without its input: %v, want ErrNotExist", err)
	}
	if _, err := Resume(context.Background(), state+".none", Options{}); !errors.Is(err, checkpoint.ErrNotFound) {
		t.Errorf("Resume without a state file: %v, want ErrNotFound", err)
	}
}
