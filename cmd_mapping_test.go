package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/learnergraph/importer/model"
)

// learnersYAML returns the built-in mapping's text.
func learnersYAML(t *testing.T) string {
	t.Helper()
	return string(model.Default().Text)
}

func TestMappingCheck(t *testing.T) {
	good := writeFile(t, "learners.yaml", learnersYAML(t))
	code, stdout, stderr := runCmd(t, "", "mapping", "check", good)
	if code != exitOK || stderr != "" || !strings.HasPrefix(stdout, good+": ok: 8 labels, 9 relationship types, 9 entities per row, 18 columns (sha256 "+model.Default().Hash+")") {
		t.Errorf("mapping check of learners.yaml: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}

	bad := strings.NewReplacer(
		"columns: [sandId, fullName,", "columns: [sandId, sandId, fullName,", // a duplicate column
		"{name: gender, column: gender}", "{name: gender, column: sex}", // an unknown column
		"{type: LIVES_IN, from: Learner, to: City}", "{type: LIVES_IN, from: Learner, to: Town}", // an undeclared label
		"column: birthYear, type: int,", "column: birthYear, type: integer,", // a bad type
	).Replace(learnersYAML(t))
	path := writeFile(t, "bad.yaml", bad)
	code, stdout, stderr = runCmd(t, "", "mapping", "check", path)
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	line := func(substr string) int {
		for i, l := range strings.Split(bad, "\n") {
			if strings.Contains(l, substr) {
				return i + 1
			}
		}
		t.Fatalf("no line with %q", substr)
		return 0
	}
	want := []string{
		path + ":" + strconv.Itoa(line("columns: [sandId, sandId")) + `: duplicate column "sandId"`,
		path + ":" + strconv.Itoa(line("to: Town")) + `: relationship LIVES_IN: to "Town" is not a declared node label`,
		path + ":" + strconv.Itoa(line("column: sex")) + `: unknown column "sex" (not in columns)`,
		path + ":" + strconv.Itoa(line("type: integer")) + `: bad type "integer": one of string, int, float, bool, date, datetime, list, scalar, flatten`,
		path + ":" + strconv.Itoa(line("{type: LIVES_IN, from: Learner}")) + `: relationship LIVES_IN goes from Learner to Town, this one from Learner to City`,
		"importer: mapping: check: mapping " + path + ": 5 mistake(s), listed above",
	}
	if code != exitUsage || stdout != "" {
		t.Errorf("mapping check of a bad file: exit %d, stdout %q; want %d and nothing", code, stdout, exitUsage)
	}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("mapping check's mistakes (-want +got):\n%s", diff)
	}

	for _, args := range [][]string{{"mapping", "check"}, {"mapping", "check", good, good}} {
		code, _, stderr := runCmd(t, "", args...)
		oneErrorLine(t, strings.Join(args, " "), stderr, "importer: mapping: ", "give exactly one mapping file")
		if code != exitUsage {
			t.Errorf("importer %s: exit %d, want %d", strings.Join(args, " "), code, exitUsage)
		}
	}
}

func TestMappingInitProposesAMappingThatParses(t *testing.T) {
	input := writeFile(t, "people.csv", "\xef\xbb\xbfid,full name,age,height,member,joined,tags,notes,seen\n"+
		"p1,Ana,31,1.62,true,2020-01-31,\"[{\"\"a\"\":1}]\",,2020-01-31T10:00:00Z\n"+
		"p2,Bob,,1.80,FALSE,2021-12-01,[],x,2021-12-01T08:30:00.5+02:00\n")
	code, stdout, stderr := runCmd(t, "", "mapping", "init", "--input", input)
	if code != exitOK {
		t.Fatalf("mapping init: exit %d: %s", code, stderr)
	}
	m, err := model.Parse("proposed.yaml", []byte(stdout))
	if err != nil {
		t.Fatalf("the proposed mapping does not parse: %v\n%s", err, stdout)
	}
	type prop struct{ Name, Column, Type string }
	var got []prop
	for _, v := range m.Entities[0].Properties {
		got = append(got, prop{v.Name, v.Column, v.TypeOf()})
	}
	want := []prop{
		{"full name", "full name", "string"}, {"age", "age", "int"}, {"height", "height", "float"},
		{"member", "member", "bool"}, {"joined", "joined", "date"}, {"tags", "tags", "string"}, {"notes", "notes", "string"}, {"seen", "seen", "datetime"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("proposed properties (-want +got):\n%s", diff)
	}
	if m.Root != "People" || m.Entities[0].Key[0].Column != "id" {
		t.Errorf("proposed root %q keyed by %q, want People keyed by id", m.Root, m.Entities[0].Key[0].Column)
	}
	if !strings.Contains(stdout, "JSON in the sample") {
		t.Errorf("the proposal says nothing of the JSON column tags:\n%s", stdout)
	}

	code, _, stderr = runCmd(t, "", "mapping", "init", "--input", input, "--key", "nope")
	oneErrorLine(t, "mapping init --key nope", stderr, "importer: mapping: ", `has no column "nope"`)
	if code != exitUsage {
		t.Errorf("mapping init --key nope: exit %d, want %d", code, exitUsage)
	}
}

// TestStageWithAMappingResumeRefusesAnother: the mapping's checks decide
// the rejects, status names the mapping, and resume refuses another one.
func TestStageWithAMappingResumeRefusesAnother(t *testing.T) {
	dir := t.TempDir()
	strict := filepath.Join(dir, "strict.yaml")
	text := strings.Replace(learnersYAML(t), "min: 1900, max: 2100", "min: 1900, max: 2000", 1)
	if err := os.WriteFile(strict, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	input := writeFile(t, "learners.csv", "sandId,birthYear\nL1,1990\nL2,2005\n")
	state := filepath.Join(dir, "import.db")
	if code, _, stderr := runCmd(t, "", "stage", "--input", input, "--state", state, "--mapping", strict); code != exitOK {
		t.Fatalf("stage --mapping: exit %d: %s", code, stderr)
	}
	code, stdout, stderr := runCmd(t, "", "rejects", "--state", state)
	if code != exitOK || !strings.Contains(stdout, "birthYear: 2005 is outside 1900–2000") {
		t.Errorf("rejects: exit %d, stdout %q, stderr %q; want the strict mapping's reason", code, stdout, stderr)
	}
	code, stdout, _ = runCmd(t, "", "status", "--state", state, "--json")
	var s struct {
		Mapping map[string]string `json:"mapping"`
	}
	if err := json.Unmarshal([]byte(stdout), &s); code != exitOK || err != nil {
		t.Fatalf("status --json: exit %d, %v", code, err)
	}
	sum, err := model.Parse(strict, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"name": strict, "sha256": sum.Hash}, s.Mapping); diff != "" {
		t.Errorf("status --json mapping (-want +got):\n%s", diff)
	}

	other := writeFile(t, "learners.yaml", learnersYAML(t))
	code, _, stderr = runCmd(t, "", "resume", "--state", state, "--mapping", other)
	oneErrorLine(t, "resume --mapping other", stderr, "importer: resume: ", "the mapping differs from the one the state file was staged with")
	if code != exitUsage {
		t.Errorf("resume with another mapping: exit %d, want %d", code, exitUsage)
	}
}
