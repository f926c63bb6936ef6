package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/learnergraph/importer/staging"
)

// fakeInstallation makes a Neo4j installation whose bin/neo4j and
// bin/neo4j-admin only append their arguments to the returned log: Neo4j
// "is not running" and the import tool fails. A load --offline that got as
// far as stopping Neo4j or importing leaves a line in the log.
func fakeInstallation(t *testing.T, dir string) (home, log string) {
	t.Helper()
	home, log = filepath.Join(dir, "neo4j-home"), filepath.Join(dir, "neo4j-calls.log")
	if err := os.MkdirAll(filepath.Join(home, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	scripts := map[string]string{
		"neo4j":       "#!/bin/sh\necho \"neo4j $*\" >> " + log + "\nexit 3\n",
		"neo4j-admin": "#!/bin/sh\necho \"neo4j-admin $*\" >> " + log + "\nexit 1\n",
	}
	for name, body := range scripts {
		if err := os.WriteFile(filepath.Join(home, "bin", name), []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return home, log
}

// TestDamagedStateFileEveryCommand damages a staged state file (and one
// whose staging was interrupted) as TestDamagedStateFile does and runs the
// other commands that open a state file: load, resume, load --offline and
// report (against an address where no Neo4j listens; load --offline
// against a fake installation that logs what it is asked). Each must say
// "state file X is damaged" on one line with exit status 4, or give the
// undamaged file's exit status and output. Where status finds the damage
// (it reads no more than opening the file does) every command must: all of
// them open the file before they connect. A load --offline that says the
// file is damaged has stopped nothing and imported nothing.
func TestDamagedStateFileEveryCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the commands some hundreds of times")
	}
	dir := t.TempDir()
	csv := filepath.Join(dir, "learners.csv")
	staged, partial := filepath.Join(dir, "staged.db"), filepath.Join(dir, "partial.db")
	for _, args := range [][]string{
		{"gen", "--rows", "400", "--seed", "3", "--bad-rate", "0.1", "--out", csv},
		{"stage", "--input", csv, "--batch-rows", "50", "--state", staged},
	} {
		var out bytes.Buffer
		if err := run(context.Background(), args, strings.NewReader(""), &out, &out, func(string) string { return "" }); err != nil {
			t.Fatalf("importer %s: %v\n%s", args[0], err, out.String())
		}
	}
	// A staging pass stopped after its second checkpoint.
	ctx, cancel := context.WithCancel(context.Background())
	checkpoints := 0
	_, err := staging.Stage(ctx, csv, partial, staging.Options{BatchRows: 50, Progress: func(staging.Progress) {
		if checkpoints++; checkpoints == 2 {
			cancel()
		}
	}})
	cancel()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted stage: %v, want context.Canceled", err)
	}

	home, calls := fakeInstallation(t, dir)
	noNeo4j := "bolt://127.0.0.1:1"
	type command struct {
		base string // the undamaged state file it runs on
		args []string
	}
	commands := []command{
		{staged, []string{"status"}},
		{staged, []string{"load", "--uri", noNeo4j}},
		{staged, []string{"load", "--offline", "--neo4j-home", home, "--uri", noNeo4j, "--out", filepath.Join(dir, "export")}},
		{staged, []string{"report", "--uri", noNeo4j, "--out", filepath.Join(dir, "report")}},
		{staged, []string{"resume", "--uri", noNeo4j}},
		{partial, []string{"status"}},
		{partial, []string{"resume", "--uri", noNeo4j}},
		{partial, []string{"load", "--uri", noNeo4j}},
	}
	path := filepath.Join(dir, "import.db")
	// runOn runs c on data written to path, from a clean directory.
	runOn := func(data []byte, c command) damageRun {
		for _, leftover := range []string{path + ".export", filepath.Join(dir, "export"), filepath.Join(dir, "report"), calls} {
			if err := os.RemoveAll(leftover); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return runInProcess(path, c.args...)
	}
	raw := map[string][]byte{}
	for _, base := range []string{staged, partial} {
		if raw[base], err = os.ReadFile(base); err != nil {
			t.Fatal(err)
		}
	}
	want := map[int]damageRun{}
	for i, c := range commands {
		want[i] = runOn(raw[c.base], c)
		if strings.Contains(want[i].stderr, "damaged") {
			t.Fatalf("%s of the undamaged file: %+v", c.args, want[i])
		}
	}

	type variant struct {
		name string
		data []byte
	}
	variants := func(raw []byte, hwm int64) []variant {
		var vs []variant
		for _, n := range []int64{4096, 8192 + 100, hwm / 2, hwm - 4096, hwm - 1} {
			vs = append(vs, variant{fmt.Sprintf("truncated to %d bytes", n), raw[:n]})
		}
		for p := int64(2); p < hwm/4096; p += max(1, hwm/4096/8) {
			for _, in := range []int64{8, 10, 12, 16, 21, 200, 1500, 4000} {
				b := append([]byte(nil), raw...)
				b[p*4096+in] ^= 0x5a
				vs = append(vs, variant{fmt.Sprintf("page %d byte %d flipped", p, in), b})
			}
		}
		return vs
	}
	byBase := map[string][]variant{
		staged:  variants(raw[staged], highWaterMark(t, staged)),
		partial: variants(raw[partial], highWaterMark(t, partial)),
	}
	damaged := map[int]int{}
	for _, base := range []string{staged, partial} {
		for _, v := range byBase[base] {
			atOpen := false // status said damaged
			for i, c := range commands {
				if c.base != base {
					continue
				}
				name := strings.Join(c.args[:min(2, len(c.args))], " ")
				got := runOn(v.data, c)
				if c.args[0] == "status" {
					atOpen = got.code == 4
				}
				if got.code == 4 {
					damaged[i]++
					prefix := "importer: " + c.args[0] + ": state file " + path + " is damaged: "
					lines := strings.Split(strings.TrimSuffix(got.stderr, "\n"), "\n")
					if !strings.HasPrefix(lines[len(lines)-1], prefix) || strings.Count(got.stderr, "damaged") != 1 {
						t.Errorf("%s, %s: exit 4 with stderr %q, want one line %q…", v.name, name, got.stderr, prefix)
					}
					if log, err := os.ReadFile(calls); err == nil && (strings.Contains(string(log), "neo4j stop") || strings.Contains(string(log), "neo4j-admin")) {
						t.Errorf("%s, %s: said damaged after it stopped Neo4j or imported: %q", v.name, name, log)
					}
					continue
				}
				if atOpen {
					t.Errorf("%s, %s: exit %d, stderr %q; status says the file is damaged, want exit 4", v.name, name, got.code, got.stderr)
					continue
				}
				if w := want[i]; got.code != w.code || got.stdout != w.stdout {
					t.Errorf("%s, %s: exit %d, stdout %q, stderr %q; want the undamaged result (exit %d, stdout %q) or exit 4",
						v.name, name, got.code, got.stdout, got.stderr, w.code, w.stdout)
				}
			}
		}
	}
	for i, c := range commands {
		t.Logf("%s on %s: %d variants said damaged (undamaged: exit %d)", c.args, filepath.Base(c.base), damaged[i], want[i].code)
		if damaged[i] == 0 {
			t.Errorf("%s on %s: no variant said damaged", c.args, filepath.Base(c.base))
		}
	}
}
