package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	bolt "go.etcd.io/bbolt"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/model"
	"github.com/learnergraph/importer/samplegen"
	"github.com/learnergraph/importer/staging"
)

const smallCSV = `sandId,fullName,residenceCountryCode,skills
L1,Ana,fr,"[{""id"":""go"",""level"":3}]"
L2,Bob,USA,
L1,,FR,
,Nobody,DE,
L3,"Cy, Jr",de,"[{""name"":""no id""}]"
`

// writeFile writes content into a new file in a temporary directory.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestStageStatusRejects(t *testing.T) {
	input := writeFile(t, "learners.csv", smallCSV)
	state := filepath.Join(filepath.Dir(input), "import.db")
	if code, _, stderr := runCmd(t, "", "stage", "--input", input, "--state", state); code != exitOK {
		t.Fatalf("stage: exit %d: %s", code, stderr)
	}

	code, stdout, stderr := runCmd(t, "", "status", "--state", state, "--json")
	if code != exitOK {
		t.Fatalf("status: exit %d: %s", code, stderr)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("status --json is not one JSON object: %v\n%s", err, stdout)
	}
	want := map[string]any{
		"phase": "staged",
		"rows":  map[string]any{"read": 5.0, "staged": 2.0, "rejected": 3.0, "duplicates": 1.0},
		"nodes": map[string]any{"Learner": 1.0, "Country": 1.0, "City": 0.0, "Skill": 1.0, "Program": 0.0,
			"Company": 0.0, "LearningState": 0.0, "ProfessionalState": 0.0},
		"relationships": map[string]any{"RESIDES_IN": 1.0, "ORIGINATES_FROM": 0.0, "LIVES_IN": 0.0, "IN_COUNTRY": 0.0,
			"HAS_SKILL": 1.0, "ENROLLED_IN": 0.0, "WORKED_AT": 0.0, "HAS_LEARNING_STATE": 0.0, "HAS_PROFESSIONAL_STATE": 0.0},
		"loaded": map[string]any{
			"nodes": map[string]any{"Learner": 0.0, "Country": 0.0, "City": 0.0, "Skill": 0.0, "Program": 0.0,
				"Company": 0.0, "LearningState": 0.0, "ProfessionalState": 0.0},
			"relationships": map[string]any{"RESIDES_IN": 0.0, "ORIGINATES_FROM": 0.0, "LIVES_IN": 0.0, "IN_COUNTRY": 0.0,
				"HAS_SKILL": 0.0, "ENROLLED_IN": 0.0, "WORKED_AT": 0.0, "HAS_LEARNING_STATE": 0.0, "HAS_PROFESSIONAL_STATE": 0.0},
		},
		"input":   input,
		"mapping": map[string]any{"name": model.DefaultName, "sha256": model.Default().Hash},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("status --json (-want +got):\n%s", diff)
	}

	code, stdout, stderr = runCmd(t, "", "rejects", "--state", state)
	if code != exitOK {
		t.Fatalf("rejects: exit %d: %s", code, stderr)
	}
	records, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	if err != nil {
		t.Fatalf("rejects output is not CSV: %v", err)
	}
	wantRejects := [][]string{
		{"line", "sandId", "reason", "record"},
		{"3", "L2", `residenceCountryCode: "USA" is not a two-letter country code`, "L2,Bob,USA,"},
		{"5", "", "missing sandId", ",Nobody,DE,"},
		{"6", "L3", `skills[0]: missing required field "id"`, `L3,"Cy, Jr",de,"[{""name"":""no id""}]"`},
	}
	if diff := cmp.Diff(wantRejects, records); diff != "" {
		t.Errorf("rejects (-want +got):\n%s", diff)
	}

	code, stdout, stderr = runCmd(t, "", "rejects", "--state", state, "--limit", "1")
	if code != exitOK {
		t.Fatalf("rejects --limit: exit %d: %s", code, stderr)
	}
	if records, err := csv.NewReader(strings.NewReader(stdout)).ReadAll(); err != nil || len(records) != 2 {
		t.Errorf("rejects --limit 1: %d records (%v), want the header and one row", len(records), err)
	}
}

// TestStageUserErrors: each is one line on stderr, exit status 2, and no
// state file left behind.
func TestStageUserErrors(t *testing.T) {
	dir := t.TempDir()
	noSandID := writeFile(t, "nosand.csv", "fullName\nAna\n")
	good := writeFile(t, "good.csv", smallCSV)
	existing := filepath.Join(dir, "existing.db")
	if code, _, stderr := runCmd(t, "", "stage", "--input", good, "--state", existing); code != exitOK {
		t.Fatalf("stage: %s", stderr)
	}
	cases := []struct {
		name  string
		args  []string
		state string
		want  string
	}{
		{"missing input", []string{"--input", filepath.Join(dir, "nope.csv")}, filepath.Join(dir, "a.db"), "no such file"},
		{"directory as input", []string{"--input", dir}, filepath.Join(dir, "b.db"), "(a directory): input is not a regular file"},
		{"no sandId column", []string{"--input", noSandID}, filepath.Join(dir, "c.db"), "no sandId column"},
		{"no --input", nil, filepath.Join(dir, "d.db"), "--input is required"},
		{"bad flag", []string{"--input", good, "--bogus"}, filepath.Join(dir, "e.db"), "flag provided but not defined"},
		{"existing state", []string{"--input", good}, existing, "already exists"},
		{"zero record bound", []string{"--input", good, "--max-record-bytes", "0"}, filepath.Join(dir, "f.db"), "--max-record-bytes must be positive, not 0"},
		{"negative record bound", []string{"--input", good, "--max-record-bytes", "-1"}, filepath.Join(dir, "g.db"), "--max-record-bytes must be positive, not -1"},
		{"record bound not a number", []string{"--input", good, "--max-record-bytes", "16MiB"}, filepath.Join(dir, "h.db"), `invalid value "16MiB" for flag -max-record-bytes`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := runCmd(t, "", append([]string{"stage", "--state", c.state}, c.args...)...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d; stderr %q", code, exitUsage, stderr)
			}
			if !strings.Contains(stderr, c.want) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("stderr %q is not one line saying %q", stderr, c.want)
			}
			if c.state != existing {
				if _, err := os.Stat(c.state); !os.IsNotExist(err) {
					t.Errorf("a state file was left behind: %v", err)
				}
			}
		})
	}
}

// TestResumeStaged: resuming a fully staged file is a usage error that
// says what to do next; a missing state file too.
func TestResumeStaged(t *testing.T) {
	input := writeFile(t, "learners.csv", smallCSV)
	state := filepath.Join(filepath.Dir(input), "import.db")
	if code, _, stderr := runCmd(t, "", "stage", "--input", input, "--state", state); code != exitOK {
		t.Fatalf("stage: %s", stderr)
	}
	code, _, stderr := runCmd(t, "", "resume", "--state", state)
	if code != exitUsage || !strings.Contains(stderr, "importer load --state") {
		t.Errorf("resume of a staged file: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = runCmd(t, "", "resume", "--state", state+".missing")
	if code != exitUsage || !strings.Contains(stderr, "not found") {
		t.Errorf("resume of a missing file: exit %d, stderr %q", code, stderr)
	}
}

// TestStatusWhileLocked: while another process holds the state file,
// status reports the snapshot that process published, marked live.
func TestStatusWhileLocked(t *testing.T) {
	input := writeFile(t, "learners.csv", smallCSV)
	state := filepath.Join(filepath.Dir(input), "import.db")
	if code, _, stderr := runCmd(t, "", "stage", "--input", input, "--state", state); code != exitOK {
		t.Fatalf("stage: %s", stderr)
	}
	holder, err := checkpoint.Open(state) // bbolt's flock: status's open waits, then gives up
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	code, stdout, stderr := runCmd(t, "", "status", "--state", state)
	if code != exitOK {
		t.Fatalf("status while locked: exit %d: %s", code, stderr)
	}
	for _, want := range []string{"phase: staged", "live from pid", "rows: 5 read, 2 staged, 3 rejected, 1 duplicates"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("status output lacks %q:\n%s", want, stdout)
		}
	}
	os.Remove(state + ".progress")
	code, _, stderr = runCmd(t, "", "status", "--state", state)
	if code != exitUsage || !strings.Contains(stderr, "in use") {
		t.Errorf("status while locked, no snapshot: exit %d, stderr %q", code, stderr)
	}
}

// TestStageRefusesSpecialFiles checks that a FIFO (with no writer: opening
// it for reading used to block forever, deaf to Ctrl-C), a directory and a
// device are refused up front with exit status 2, for stage and resume.
// The deadline only bounds a failure; a pass does not wait for it.
func TestStageRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "learners.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, input := range []string{fifo, dir, os.DevNull} {
		done := make(chan [2]string, 1)
		state := filepath.Join(t.TempDir(), "import.db")
		go func() {
			code, _, stderr := runCmd(t, "", "stage", "--input", input, "--state", state)
			done <- [2]string{strconv.Itoa(code), stderr}
		}()
		select {
		case got := <-done:
			if got[0] != strconv.Itoa(exitUsage) || !strings.Contains(got[1], "is not a regular file") || strings.Count(got[1], "\n") != 1 {
				t.Errorf("stage --input %s: exit %s, stderr %q; want %d and one line", input, got[0], got[1], exitUsage)
			}
			if _, err := os.Stat(state); !os.IsNotExist(err) {
				t.Errorf("stage --input %s left a state file (%v)", input, err)
			}
		case <-time.After(time.Minute):
			if w, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
				w.Close() // let the stuck open return
			}
			t.Fatalf("stage --input %s hangs", input)
		}
	}
	// A state file staged from a regular file that became a FIFO.
	input := writeFile(t, "learners.csv", smallCSV)
	state := filepath.Join(t.TempDir(), "import.db")
	if code, _, stderr := runCmd(t, "", "stage", "--input", input, "--state", state); code != exitOK {
		t.Fatalf("stage: %d %s", code, stderr)
	}
	withState(t, state, func(tx *bolt.Tx) error {
		mark, err := checkpoint.ReadStageMark(tx)
		mark.Done = false
		if err == nil {
			err = checkpoint.WriteStageMark(tx, mark)
		}
		return err
	})
	if err := os.Remove(input); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(input, 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCmd(t, "", "resume", "--state", state)
	if code != exitUsage || !strings.Contains(stderr, "importer: resume: open input") || !strings.Contains(stderr, "FIFO") {
		t.Errorf("resume from a FIFO: exit %d, stderr %q; want %d", code, stderr, exitUsage)
	}
}

// TestResumeFinishesAnOverwrite: `importer resume --state X` continues an
// interrupted `stage --overwrite` of X (X.pending) and moves it into place.
func TestResumeFinishesAnOverwrite(t *testing.T) {
	state := filepath.Join(t.TempDir(), "import.db")
	if code, _, stderr := runCmd(t, "", "stage", "--input", writeFile(t, "a.csv", "sandId\nA1\n"), "--state", state); code != exitOK {
		t.Fatalf("stage: %d %s", code, stderr)
	}
	var sb strings.Builder
	sb.WriteString("sandId\n")
	for i := range 50 {
		sb.WriteString("B" + strconv.Itoa(i) + "\n")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opt := staging.Options{Overwrite: true, BatchRows: 10, Progress: func(staging.Progress) { cancel() }}
	if _, err := staging.Stage(ctx, writeFile(t, "b.csv", sb.String()), state, opt); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted stage --overwrite: %v", err)
	}
	code, stdout, stderr := runCmd(t, "", "status", "--state", state, "--json")
	if code != exitOK || !strings.Contains(stdout, `"read": 1,`) || !strings.Contains(stderr, "half staged ("+state+".pending)") {
		t.Fatalf("status of the old file while the replacement is pending: %d %s %s", code, stdout, stderr)
	}
	if code, _, stderr := runCmd(t, "", "resume", "--state", state); code != exitOK {
		t.Fatalf("resume: %d %s", code, stderr)
	}
	code, stdout, stderr = runCmd(t, "", "status", "--state", state, "--json")
	if code != exitOK || !strings.Contains(stdout, `"read": 50,`) || !strings.Contains(stdout, `"phase": "staged"`) || stderr != "" {
		t.Errorf("status after resume: %d %s %s; want the replacement, staged", code, stdout, stderr)
	}
	if _, err := os.Stat(state + ".pending"); !os.IsNotExist(err) {
		t.Errorf("the pending file is still there: %v", err)
	}
}

// TestStageDiskFullThenResume stages into a 3 MiB tmpfs that fills up
// after a few batches: one line naming ENOSPC and how to go on, exit 1,
// the state file usable (status shows the batches committed so far);
// once there is space again, resume finishes with exactly the counts of
// an uninterrupted stage. It needs root (mount); elsewhere it skips.
func TestStageDiskFullThenResume(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs here (needs root): %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	input := filepath.Join(t.TempDir(), "learners.csv")
	f, err := os.Create(input)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := samplegen.Generate(f, samplegen.GenOptions{Rows: 20000, Seed: 5, BadRate: 0.02}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	ref := filepath.Join(t.TempDir(), "ref.db")
	if code, _, stderr := runCmd(t, "", "stage", "--input", input, "--state", ref); code != exitOK {
		t.Fatalf("reference stage: exit %d, %s", code, stderr)
	}
	state := filepath.Join(dir, "import.db")
	code, _, stderr := runCmd(t, "", "stage", "--batch-rows", "500", "--input", input, "--state", state)
	if code != exitFailure || !oneError(stderr, "stage: ") || !strings.Contains(stderr, "no space left on device") ||
		!strings.Contains(stderr, "importer resume --state "+state) {
		t.Fatalf("stage into a full disk: exit %d, stderr %q; want %d, one line naming ENOSPC and resume", code, stderr, exitFailure)
	}
	status := func(path string) checkpoint.Status {
		t.Helper()
		code, stdout, stderr := runCmd(t, "", "status", "--json", "--state", path)
		if code != exitOK {
			t.Fatalf("status of %s: exit %d, %s", path, code, stderr)
		}
		var s checkpoint.Status
		if err := json.Unmarshal([]byte(stdout), &s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	if s := status(state); s.Phase != checkpoint.PhaseStaging || s.Rows.Read == 0 {
		t.Fatalf("after the full disk: phase %s, %d rows read; want staging with the committed batches kept", s.Phase, s.Rows.Read)
	}
	if out, err := exec.Command("mount", "-o", "remount,size=64m", dir).CombinedOutput(); err != nil {
		t.Fatalf("grow the tmpfs: %v %s", err, out)
	}
	if code, _, stderr := runCmd(t, "", "resume", "--state", state); code != exitOK {
		t.Fatalf("resume with space again: exit %d, %s", code, stderr)
	}
	want, got := status(ref), status(state)
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(checkpoint.Status{}, "Input")); diff != "" {
		t.Errorf("stage, full disk, resume differs from an uninterrupted stage (-want +got):\n%s", diff)
	}
}
