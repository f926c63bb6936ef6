package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// twoFilesYAML reads an airports file and a flights file.
const twoFilesYAML = `version: 1
root: Flight
nodes:
  - {label: Airport, key: code, properties: [code, name]}
  - {label: Flight, key: id, partitioned: true, properties: [id]}
relationships:
  - {type: DEPARTS, from: Flight, to: Airport}
files:
  - name: airports
    columns: [faa, name]
    entities:
      - node: Airport
        key: {column: faa, required: true}
        properties: [{name: name, column: name}]
  - name: flights
    columns: [id, origin]
    entities:
      - {node: Flight, key: {column: id, required: true}}
      - node: Airport
        key: {column: origin}
        relationships: [{type: DEPARTS, from: Flight}]
`

// TestStageSeveralFilesCommandLine: stage takes a mapping's files as
// --input NAME=PATH; status lists each file's progress and rejects names
// each reject's file; every mistake in naming the files is one line and
// exit status 2, with no state file left behind.
func TestStageSeveralFilesCommandLine(t *testing.T) {
	dir := t.TempDir()
	mapping := filepath.Join(dir, "two.yaml")
	airports := filepath.Join(dir, "airports.csv")
	flights := filepath.Join(dir, "flights.csv")
	for path, text := range map[string]string{
		mapping:  twoFilesYAML,
		airports: "faa,name\nEWR,Newark\n,Nowhere\n",
		flights:  "id,origin\nF1,EWR\nF2,SJU\n,EWR\n",
	} {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"a plain path", []string{"--input", airports}, `reads 2 files: give each as --input NAME=PATH, NAME one of airports, flights`},
		{"an unknown name", []string{"--input", "airports=" + airports, "--input", "planes=" + flights}, `has no file "planes" (its files: airports, flights)`},
		{"a name twice", []string{"--input", "airports=" + airports, "--input", "airports=" + flights}, `file "airports" is given twice`},
		{"a file missing", []string{"--input", "airports=" + airports}, `no --input NAME=PATH for flights of the files of`},
		{"a missing path", []string{"--input", "airports=" + airports, "--input", "flights=" + filepath.Join(dir, "nope.csv")}, "no such file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			state := filepath.Join(dir, "bad.db")
			code, _, stderr := runCmd(t, "", append([]string{"stage", "--mapping", mapping, "--state", state}, c.args...)...)
			if code != exitUsage || !strings.Contains(stderr, c.want) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("exit %d, stderr %q: want %d and one line saying %q", code, stderr, exitUsage, c.want)
			}
			if _, err := os.Stat(state); !os.IsNotExist(err) {
				t.Errorf("a state file was left behind: %v", err)
			}
		})
	}
	if code, _, stderr := runCmd(t, "", "stage", "--input", airports, "--input", flights, "--state", filepath.Join(dir, "one.db")); code != exitUsage || !strings.Contains(stderr, "--input is given 2 times: the mapping reads one file") {
		t.Errorf("two --input with the built-in mapping: exit %d, %q", code, stderr)
	}

	state := filepath.Join(dir, "s.db")
	code, _, stderr := runCmd(t, "", "stage", "--mapping", mapping, "--state", state, "--input", "flights="+flights, "--input", "airports="+airports)
	if code != exitOK {
		t.Fatalf("stage: exit %d: %s", code, stderr)
	}
	_, status, _ := runCmd(t, "", "status", "--state", state)
	wantStatus := []string{
		"file airports: staged, 2 rows, 29 of 29 bytes, next line 4 (" + airports + ")",
		"file flights: staged, 3 rows, 29 of 29 bytes, next line 5 (" + flights + ")",
		"rows: 5 read, 3 staged, 2 rejected, 0 duplicates",
	}
	if diff := cmp.Diff(wantStatus, strings.Split(status, "\n")[2:5]); diff != "" {
		t.Errorf("status (-want +got):\n%s\n%s", diff, status)
	}
	_, rejects, _ := runCmd(t, "", "rejects", "--state", state)
	wantRejects := "file,line,sandId,reason,record\nairports,3,,missing faa,\",Nowhere\"\nflights,4,,missing id,\",EWR\"\n"
	if diff := cmp.Diff(wantRejects, rejects); diff != "" {
		t.Errorf("rejects (-want +got):\n%s", diff)
	}
}
