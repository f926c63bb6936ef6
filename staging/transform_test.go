package staging

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fullHeader is every column of the contract, in another order than the
// contract's table, with one unknown column in the middle.
var fullHeader = []string{
	"professionalState", "learningState", "employment", "enrollmentDate", "cohort", "programName",
	"programId", "skills", "cityName", "cityId", "notInTheContract", "originCountryName",
	"originCountryCode", "residenceCountryName", "residenceCountryCode", "birthYear", "gender",
	"fullName", "sandId",
}

func parseHeader(t testing.TB, fields []string) *Header {
	t.Helper()
	h, err := ParseHeader(fields)
	if err != nil {
		t.Fatalf("ParseHeader(%q): %v", fields, err)
	}
	return h
}

// fieldsOf returns the fields of a record of header with the given values;
// every other column is empty.
func fieldsOf(header []string, values map[string]string) []string {
	rec := make([]string, len(header))
	for i, name := range header {
		rec[i] = values[name]
	}
	return rec
}

func TestParseHeader(t *testing.T) {
	h := parseHeader(t, []string{" skills", "sandId ", "x", "SandId", "fullName"})
	if h.Fields() != 5 {
		t.Errorf("Fields() = %d, want 5", h.Fields())
	}
	if diff := cmp.Diff([]string{"x", "SandId"}, h.Unknown); diff != "" {
		t.Errorf("Unknown (-want +got):\n%s", diff)
	}
	row, err := h.Transform([]string{`[{"id":"s"}]`, " L1 ", "ignored", "ignored too", " Ada "})
	if err != nil {
		t.Fatal(err)
	}
	want := Row{SandID: "L1",
		Nodes: []Node{
			{Learner, "L1", props("sandId", "L1", "fullName", "Ada")},
			{Skill, "s", props("id", "s")},
		},
		Rels: []Rel{{HasSkill, "L1", "s", nil}},
	}
	if diff := cmp.Diff(want, row, cmpOpts...); diff != "" {
		t.Errorf("row (-want +got):\n%s", diff)
	}

	for _, fields := range [][]string{
		{"fullName", "gender"},                  // no sandId
		{"sandid", "fullName"},                  // names are case-sensitive
		{"sandId", "fullName", "sandId"},        // a column twice
		{"sandId", "x", " x"},                   // an unknown column twice
		{"sandId", "fullName", "fullName"},      // an optional column twice
		{"", "sandId", ""},                      // two unnamed columns
		{"cityId", "sandId ", " sandId", "foo"}, // twice once trimmed
	} {
		if _, err := ParseHeader(fields); !errors.Is(err, ErrContract) {
			t.Errorf("ParseHeader(%q) = %v, want ErrContract", fields, err)
		}
	}
}

func TestTransformAllColumns(t *testing.T) {
	h := parseHeader(t, fullHeader)
	rec := fieldsOf(fullHeader, map[string]string{
		"sandId": "  L1 ", "fullName": " Ada Lovelace ", "gender": " f ", "birthYear": " 1990 ",
		"residenceCountryCode": " fr ", "residenceCountryName": " France ",
		"originCountryCode": "De", "originCountryName": "Germany",
		"cityId": " c1 ", "cityName": " Paris ",
		"skills":    ` [{"id":" go ","name":" Go ","level":3},{"id":"sql","name":null,"level":"  expert "}]`,
		"programId": "p1", "programName": "Data", "cohort": " 2024A ", "enrollmentDate": " 2024-01-15 ",
		"employment":        `[{"companyId":"acme","companyName":"ACME","title":"Dev","startDate":"2020-01-01","endDate":"2021-06-30"},{"companyId":"zed"}]`,
		"learningState":     `{"status":" active ","since":"2024-03-01","details":{"track":"data"}}`,
		"professionalState": `{"status":"employed","since":null,"details":null}`,
		"notInTheContract":  "whatever",
	})
	row, err := h.Transform(rec)
	if err != nil {
		t.Fatal(err)
	}
	want := Row{SandID: "L1",
		Nodes: []Node{
			{Learner, "L1", props("sandId", "L1", "fullName", "Ada Lovelace", "gender", "f", "birthYear", int64(1990))},
			{Country, "FR", props("code", "FR", "name", "France")},
			{Country, "DE", props("code", "DE", "name", "Germany")},
			{City, "c1", props("id", "c1", "name", "Paris")},
			{Skill, "go", props("id", "go", "name", "Go")},
			{Skill, "sql", props("id", "sql")},
			{Program, "p1", props("id", "p1", "name", "Data")},
			{Company, "acme", props("id", "acme", "name", "ACME")},
			{Company, "zed", props("id", "zed")},
			{LearningState, "L1", props("learnerId", "L1", "status", "active", "since", date(t, "2024-03-01"), "details_track", "data")},
			{ProfessionalState, "L1", props("learnerId", "L1", "status", "employed")},
		},
		Rels: []Rel{
			{ResidesIn, "L1", "FR", nil},
			{OriginatesFrom, "L1", "DE", nil},
			{LivesIn, "L1", "c1", nil},
			{InCountry, "c1", "FR", nil},
			{HasSkill, "L1", "go", props("level", int64(3))},
			{HasSkill, "L1", "sql", props("level", "expert")},
			{EnrolledIn, "L1", "p1", props("cohort", "2024A", "enrolledOn", date(t, "2024-01-15"))},
			{WorkedAt, "L1", "acme", props("title", "Dev", "startDate", date(t, "2020-01-01"), "endDate", date(t, "2021-06-30"))},
			{WorkedAt, "L1", "zed", nil},
			{HasLearningState, "L1", "L1", nil},
			{HasProfessionalState, "L1", "L1", nil},
		},
	}
	if diff := cmp.Diff(want, row, cmpOpts...); diff != "" {
		t.Errorf("row (-want +got):\n%s", diff)
	}
	checkRow(t, row, "L1")
}

// TestTransformRows covers the rules within one row: nulls, merges, the
// columns that only count with their id, and the flattening of details.
func TestTransformRows(t *testing.T) {
	h := parseHeader(t, fullHeader)
	tests := []struct {
		name    string
		values  map[string]string
		learner Props  // more properties of the Learner node {sandId: L1}
		nodes   []Node // after the Learner node
		rels    []Rel
	}{{
		name:   "blank and whitespace values are null",
		values: map[string]string{"fullName": "   ", "gender": "\t", "birthYear": " ", "residenceCountryCode": " ", "cityId": "  ", "skills": " ", "programId": " ", "employment": "", "learningState": "  "},
	}, {
		name:   "JSON null and [] for a whole column mean nothing",
		values: map[string]string{"skills": "null", "employment": " [ ] ", "learningState": "null", "professionalState": "[ ]"},
	}, {
		name: "names, cohort and date without their id are ignored",
		values: map[string]string{"residenceCountryName": "France", "originCountryName": "Germany", "cityName": "Paris",
			"programName": "Data", "cohort": "A", "enrollmentDate": "2024-01-01"},
	}, {
		name:   "a bad date or name without its id is not looked at",
		values: map[string]string{"enrollmentDate": "31/12/2024", "cohort": "A", "residenceCountryName": "Nowhere"},
	}, {
		name:    "birthYear: a sign and leading zeros are still an integer",
		values:  map[string]string{"birthYear": "+01990"},
		learner: props("birthYear", int64(1990)),
	}, {
		name:   "a member twice in a JSON object: the last one counts",
		values: map[string]string{"skills": `[{"id":"a","id":"b","level":1,"level":null}]`},
		nodes:  []Node{{Skill, "b", props("id", "b")}},
		rels:   []Rel{{HasSkill, "L1", "b", nil}},
	}, {
		name:   "flattened names that collide: the member sorted last wins",
		values: map[string]string{"learningState": `{"status":"s","details":{"k_l":2,"k":{"l":1}}}`},
		nodes:  []Node{{LearningState, "L1", props("learnerId", "L1", "status", "s", "details_k_l", int64(2))}},
		rels:   []Rel{{HasLearningState, "L1", "L1", nil}},
	}, {
		name:   "residence comes before origin: the origin's name is the later value",
		values: map[string]string{"residenceCountryCode": "fr", "residenceCountryName": "France", "originCountryCode": "FR", "originCountryName": "République française"},
		nodes:  []Node{{Country, "FR", props("code", "FR", "name", "République française")}},
		rels:   []Rel{{ResidesIn, "L1", "FR", nil}, {OriginatesFrom, "L1", "FR", nil}},
	}, {
		name:   "a later null name never erases",
		values: map[string]string{"residenceCountryCode": "FR", "residenceCountryName": "France", "originCountryCode": "fr"},
		nodes:  []Node{{Country, "FR", props("code", "FR", "name", "France")}},
		rels:   []Rel{{ResidesIn, "L1", "FR", nil}, {OriginatesFrom, "L1", "FR", nil}},
	}, {
		name:   "IN_COUNTRY needs the residence country, not the origin",
		values: map[string]string{"cityId": "c1", "originCountryCode": "DE"},
		nodes:  []Node{{Country, "DE", props("code", "DE")}, {City, "c1", props("id", "c1")}},
		rels:   []Rel{{OriginatesFrom, "L1", "DE", nil}, {LivesIn, "L1", "c1", nil}},
	}, {
		name:   "a skill twice: one node, one HAS_SKILL, later non-null values",
		values: map[string]string{"skills": `[{"id":"go","name":"Go","level":1},{"id":"sql"},{"id":"go","name":"Golang","level":null},{"id":" go ","level":2},{"id":"go","level":" "}]`},
		nodes:  []Node{{Skill, "go", props("id", "go", "name", "Golang")}, {Skill, "sql", props("id", "sql")}},
		rels:   []Rel{{HasSkill, "L1", "go", props("level", int64(2))}, {HasSkill, "L1", "sql", nil}},
	}, {
		name:   "levels are scalars of any JSON type",
		values: map[string]string{"skills": `[{"id":"a","level":2.0},{"id":"b","level":true},{"id":"c","level":-7},{"id":"d","level":"x"}]`},
		nodes:  []Node{{Skill, "a", props("id", "a")}, {Skill, "b", props("id", "b")}, {Skill, "c", props("id", "c")}, {Skill, "d", props("id", "d")}},
		rels: []Rel{{HasSkill, "L1", "a", props("level", 2.0)}, {HasSkill, "L1", "b", props("level", true)},
			{HasSkill, "L1", "c", props("level", int64(-7))}, {HasSkill, "L1", "d", props("level", "x")}},
	}, {
		name: "WORKED_AT is keyed by startDate; a null startDate is a value of its own",
		values: map[string]string{"employment": `[{"companyId":"acme","title":"Intern"},{"companyId":"acme","startDate":"2020-01-01","title":"Dev"},` +
			`{"companyId":"acme","companyName":"ACME","title":"Trainee"},{"companyId":"acme","startDate":"2020-01-01","endDate":"2022-01-01"},{"companyId":"acme","startDate":" "}]`},
		nodes: []Node{{Company, "acme", props("id", "acme", "name", "ACME")}},
		rels: []Rel{{WorkedAt, "L1", "acme", props("title", "Trainee")},
			{WorkedAt, "L1", "acme", props("title", "Dev", "startDate", date(t, "2020-01-01"), "endDate", date(t, "2022-01-01"))}},
	}, {
		name:   "program without name, cohort or date",
		values: map[string]string{"programId": " p1 ", "cohort": " ", "enrollmentDate": ""},
		nodes:  []Node{{Program, "p1", props("id", "p1")}},
		rels:   []Rel{{EnrolledIn, "L1", "p1", nil}},
	}, {
		name: "details are flattened",
		values: map[string]string{"learningState": `{"status":"s","details":{"track":" data ","blank":"  ","nothing":null,` +
			`"int":87,"neg":-3,"zero":-0,"float":1.0,"exp":1e3,"frac":2.5,"yes":true,"no":false,` +
			`"exam":{"score":87,"passed":true,"sub":{"x":"y"}},"empty":{}}}`},
		nodes: []Node{{LearningState, "L1", props("learnerId", "L1", "status", "s",
			"details_track", "data", "details_int", int64(87), "details_neg", int64(-3), "details_zero", int64(0),
			"details_float", 1.0, "details_exp", 1000.0, "details_frac", 2.5, "details_yes", true, "details_no", false,
			"details_exam_score", int64(87), "details_exam_passed", true, "details_exam_sub_x", "y")}},
		rels: []Rel{{HasLearningState, "L1", "L1", nil}},
	}, {
		name: "arrays in details: typed lists, anything else compact JSON with sorted keys",
		values: map[string]string{"professionalState": `{"status":"s","details":{"tags":[" a ","b",""],"ints":[1,-2,3],` +
			`"floats":[1.5,2.0,1e2],"bools":[true,false],"one":["x"],"mixed":[1, "a", true],"intfloat":[1, 2.5],"floatint":[2.5,1],` +
			`"withnull":[1, null],"objs":[ {"b":1, "a":{"d":2,"c":"<é>"}} ],"nested":[[1],[2]],"none":[ ],"text":[" a ",1]}}`},
		nodes: []Node{{ProfessionalState, "L1", props("learnerId", "L1", "status", "s",
			"details_tags", []string{" a ", "b", ""}, "details_ints", []int64{1, -2, 3}, "details_floats", []float64{1.5, 2, 100},
			"details_bools", []bool{true, false}, "details_one", []string{"x"}, "details_mixed", `[1,"a",true]`,
			"details_intfloat", `[1,2.5]`, "details_floatint", `[2.5,1]`, "details_withnull", `[1,null]`,
			"details_objs", `[{"a":{"c":"<é>","d":2},"b":1}]`, "details_nested", `[[1],[2]]`, "details_none", `[]`,
			"details_text", `[" a ",1]`)}},
		rels: []Rel{{HasProfessionalState, "L1", "L1", nil}},
	}, {
		name:   "state without since and details; JSON inside a state is kept as written",
		values: map[string]string{"learningState": `{"status":"enrolled","since":" ","details":{"raw":"{\"a\": 1}"}}`},
		nodes:  []Node{{LearningState, "L1", props("learnerId", "L1", "status", "enrolled", "details_raw", `{"a": 1}`)}},
		rels:   []Rel{{HasLearningState, "L1", "L1", nil}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			values := map[string]string{"sandId": "L1"}
			for k, v := range tt.values {
				values[k] = v
			}
			row, err := h.Transform(fieldsOf(fullHeader, values))
			if err != nil {
				t.Fatal(err)
			}
			learner := Node{Learner, "L1", props("sandId", "L1").Merge(tt.learner)}
			want := Row{SandID: "L1", Nodes: append([]Node{learner}, tt.nodes...), Rels: tt.rels}
			if diff := cmp.Diff(want, row, cmpOpts...); diff != "" {
				t.Errorf("row (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTransformMissingColumns: a missing optional column is null on every
// row, and fields are found by name, not by position.
func TestTransformMissingColumns(t *testing.T) {
	h := parseHeader(t, []string{"cityId", "sandId"})
	row, err := h.Transform([]string{"c1", "L1"})
	if err != nil {
		t.Fatal(err)
	}
	want := Row{SandID: "L1",
		Nodes: []Node{{Learner, "L1", props("sandId", "L1")}, {City, "c1", props("id", "c1")}},
		Rels:  []Rel{{LivesIn, "L1", "c1", nil}},
	}
	if diff := cmp.Diff(want, row, cmpOpts...); diff != "" {
		t.Errorf("row (-want +got):\n%s", diff)
	}
}

// TestTransformRejects: every reason of the contract, as a person reads it.
func TestTransformRejects(t *testing.T) {
	h := parseHeader(t, fullHeader)
	tests := []struct {
		values map[string]string
		reason string
	}{
		{map[string]string{"sandId": ""}, "missing sandId"},
		{map[string]string{"sandId": " \t "}, "missing sandId"},
		{map[string]string{"fullName": "Ad\xffa"}, "invalid UTF-8 in field 18"},
		{map[string]string{"notInTheContract": "\xc3("}, "invalid UTF-8 in field 11"},
		{map[string]string{"birthYear": "19x0"}, `birthYear: "19x0" is not an integer`},
		{map[string]string{"birthYear": "1990.0"}, `birthYear: "1990.0" is not an integer`},
		{map[string]string{"birthYear": "1899"}, "birthYear: 1899 is outside 1900–2100"},
		{map[string]string{"birthYear": "2101"}, "birthYear: 2101 is outside 1900–2100"},
		{map[string]string{"birthYear": "-1990"}, "birthYear: -1990 is outside 1900–2100"},
		{map[string]string{"birthYear": "99999999999999999999"}, "birthYear: 99999999999999999999 is outside 1900–2100"},
		{map[string]string{"residenceCountryCode": "FRA"}, `residenceCountryCode: "FRA" is not a two-letter country code`},
		{map[string]string{"residenceCountryCode": "F1"}, `residenceCountryCode: "F1" is not a two-letter country code`},
		{map[string]string{"originCountryCode": "É"}, `originCountryCode: "É" is not a two-letter country code`},
		{map[string]string{"originCountryCode": "f"}, `originCountryCode: "f" is not a two-letter country code`},
		{map[string]string{"programId": "p", "enrollmentDate": "2024-02-30"}, `enrollmentDate: "2024-02-30" is not a date (YYYY-MM-DD)`},
		{map[string]string{"programId": "p", "enrollmentDate": "2024-1-15"}, `enrollmentDate: "2024-1-15" is not a date (YYYY-MM-DD)`},
		{map[string]string{"programId": "p", "enrollmentDate": "15/01/2024"}, `enrollmentDate: "15/01/2024" is not a date (YYYY-MM-DD)`},
		{map[string]string{"skills": `[{"id":"go"`}, "skills: malformed JSON: offset 11: unexpected end of input"},
		{map[string]string{"skills": `[] []`}, "skills: malformed JSON: offset 3: unexpected '[' after the value"},
		{map[string]string{"skills": `{"id":"go"}`}, "skills: expected a JSON array"},
		{map[string]string{"skills": `NULL`}, "skills: malformed JSON: offset 0: unexpected 'N'"},
		{map[string]string{"skills": `[1]`}, "skills[0]: expected a JSON object, got number"},
		{map[string]string{"skills": `[null]`}, `skills[0]: missing required field "id"`},
		{map[string]string{"skills": `[{"id":"a"},{"name":"Go"}]`}, `skills[1]: missing required field "id"`},
		{map[string]string{"skills": `[{"id":"  "}]`}, `skills[0]: missing required field "id"`},
		{map[string]string{"skills": `[{"ID":"go"}]`}, `skills[0]: missing required field "id"`},
		{map[string]string{"skills": `[{"id":5}]`}, "skills[0].id: expected a string, got 5"},
		{map[string]string{"skills": `[{"id":"a","name":["x"]}]`}, `skills[0].name: expected a string, got ["x"]`},
		{map[string]string{"skills": `[{"id":"a","level":[1]}]`}, "skills[0].level: expected a string, number or boolean"},
		{map[string]string{"skills": `[{"id":"a","level":{"x":1}}]`}, "skills[0].level: expected a string, number or boolean"},
		{map[string]string{"skills": `[{"id":"a","level":1e999}]`}, "skills[0].level: number 1e999 is out of range"},
		{map[string]string{"employment": `[{"companyName":"ACME"}]`}, `employment[0]: missing required field "companyId"`},
		{map[string]string{"employment": `[{"companyid":"acme"}]`}, `employment[0]: missing required field "companyId"`},
		{map[string]string{"employment": `[{"companyId":"a","startDate":"2020-13-01"}]`}, `employment[0].startDate: "2020-13-01" is not a date (YYYY-MM-DD)`},
		{map[string]string{"employment": `[{"companyId":"a","endDate":"yesterday"}]`}, `employment[0].endDate: "yesterday" is not a date (YYYY-MM-DD)`},
		{map[string]string{"employment": `[{"companyId":"a","startDate":20200101}]`}, "employment[0].startDate: expected a string, got 20200101"},
		{map[string]string{"employment": `[{"companyId":"a","title":true}]`}, "employment[0].title: expected a string, got true"},
		{map[string]string{"learningState": `{"status":"a"`}, "learningState: malformed JSON: offset 13: unexpected end of input"},
		{map[string]string{"learningState": `{"since":"2024-01-01"}`}, `learningState: missing required field "status"`},
		{map[string]string{"learningState": `{"Status":"active"}`}, `learningState: missing required field "status"`},
		{map[string]string{"learningState": `{}`}, `learningState: missing required field "status"`},
		{map[string]string{"learningState": `"active"`}, "learningState: expected a JSON object, got string"},
		{map[string]string{"learningState": `[{"status":"a"}]`}, "learningState: expected a JSON object, got array"},
		{map[string]string{"learningState": `[`}, "learningState: malformed JSON: offset 1: unexpected end of input"},
		{map[string]string{"employment": `[{"companyId":"a"},"acme"]`}, "employment[1]: expected a JSON object, got string"},
		{map[string]string{"learningState": `{"status":1}`}, "learningState.status: expected a string, got 1"},
		{map[string]string{"learningState": `{"status":"a","since":"2024-02-30"}`}, `learningState.since: "2024-02-30" is not a date (YYYY-MM-DD)`},
		{map[string]string{"learningState": `{"status":"a","details":[1]}`}, "learningState.details: expected a JSON object"},
		{map[string]string{"learningState": `{"status":"a","details":{"n":123456789012345678901}}`}, "learningState.details_n: integer 123456789012345678901 is out of range"},
		{map[string]string{"professionalState": `{"status":"a","details":{"x":{"y":1e400}}}`}, "professionalState.details_x_y: number 1e400 is out of range"},
		{map[string]string{"professionalState": `{"status":"a"} {}`}, "professionalState: malformed JSON: offset 15: unexpected '{' after the value"},
	}
	for _, tt := range tests {
		values := map[string]string{"sandId": "L1"}
		for k, v := range tt.values {
			values[k] = v
		}
		row, err := h.Transform(fieldsOf(fullHeader, values))
		var rerr *RowError
		if !errors.As(err, &rerr) {
			t.Errorf("%v: got row %+v, error %v; want a *RowError", tt.values, row, err)
			continue
		}
		if rerr.Reason != tt.reason {
			t.Errorf("%v: reason\n got %q\nwant %q", tt.values, rerr.Reason, tt.reason)
		}
	}

	for _, rec := range [][]string{fieldsOf(fullHeader, nil)[1:], append(fieldsOf(fullHeader, map[string]string{"sandId": "L1"}), "")} {
		_, err := h.Transform(rec)
		want := "wrong number of fields: " + map[bool]string{true: "18", false: "20"}[len(rec) == 18] + ", the header has 19"
		if err == nil || err.Error() != want {
			t.Errorf("Transform of %d fields: %v, want %q", len(rec), err, want)
		}
	}
}
