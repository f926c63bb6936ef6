package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/learnergraph/importer/samplegen"
)

// runGenCmd runs `importer gen args...` and returns its exit status,
// stdout and stderr.
func runGenCmd(ctx context.Context, args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	err := run(ctx, append([]string{"gen"}, args...), strings.NewReader(""), &stdout, &stderr,
		func(string) string { return "" })
	code := exitCode(err, &stderr)
	return code, stdout.String(), stderr.String()
}

// generated is what samplegen.Generate writes for opt.
func generated(t *testing.T, opt samplegen.GenOptions) string {
	t.Helper()
	var buf bytes.Buffer
	if _, err := samplegen.Generate(&buf, opt); err != nil {
		t.Fatalf("generate: %v", err)
	}
	return buf.String()
}

// dirNames lists dir's entries.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

var genSummary = regexp.MustCompile(`^importer: gen: 200 rows, \d+ bytes \(\d+\.\d MB\), 2 bad rows, \d+ duplicates, \S+, to (.+)\n$`)

func TestGenStdout(t *testing.T) {
	code, stdout, stderr := runGenCmd(context.Background(), "--rows", "200", "--seed", "3")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if diff := cmp.Diff(generated(t, samplegen.GenOptions{Rows: 200, Seed: 3, BadRate: 0.01}), stdout); diff != "" {
		t.Errorf("stdout (-want +got):\n%s", diff)
	}
	m := genSummary.FindStringSubmatch(stderr)
	if m == nil || m[1] != "stdout" {
		t.Errorf("stderr = %q, want a summary line ending in 'to stdout'", stderr)
	}
}

func TestGenOut(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "learners.csv")
	if err := os.WriteFile(out, []byte("old contents"), 0o644); err != nil {
		t.Fatal(err)
	}
	// An existing file is refused, and left as it was.
	code, stdout, stderr := runGenCmd(context.Background(), "--rows", "200", "--seed", "4", "--out", out)
	if code != exitUsage || stdout != "" || stderr != "importer: gen: "+out+": file exists (pass --overwrite to replace it)\n" {
		t.Errorf("gen over an existing file: exit %d, stdout %q, stderr %q; want %d and one line", code, stdout, stderr, exitUsage)
	}
	if got, err := os.ReadFile(out); err != nil || string(got) != "old contents" {
		t.Errorf("gen without --overwrite changed the file: %q, %v", got, err)
	}
	code, stdout, stderr = runGenCmd(context.Background(), "--rows", "200", "--seed", "4", "--bad-rate", "0.01", "--out", out, "--overwrite")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(generated(t, samplegen.GenOptions{Rows: 200, Seed: 4, BadRate: 0.01}), string(got)); diff != "" {
		t.Errorf("file (-want +got):\n%s", diff)
	}
	if stdout != "" {
		t.Errorf("stdout = %q, want nothing", stdout)
	}
	if m := genSummary.FindStringSubmatch(stderr); m == nil || m[1] != out {
		t.Errorf("stderr = %q, want a summary line ending in 'to %s'", stderr, out)
	}
	if diff := cmp.Diff([]string{"learners.csv"}, dirNames(t, dir)); diff != "" {
		t.Errorf("directory (-want +got):\n%s", diff)
	}
}

func TestGenUsageErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string // the whole of stderr
	}{
		{[]string{"--rows", "-1"}, "importer: gen: --rows must be 0 or more, not -1\n"},
		{[]string{"--rows", "5", "--bad-rate", "1.5"}, "importer: gen: --bad-rate must be between 0 and 1, not 1.5\n"},
		{[]string{"--bad-rate", "-0.01"}, "importer: gen: --bad-rate must be between 0 and 1, not -0.01\n"},
		{[]string{"--bad-rate", "NaN"}, "importer: gen: --bad-rate must be between 0 and 1, not NaN\n"},
		{[]string{"--rows", "5", "learners.csv"}, "importer: gen: unexpected argument \"learners.csv\" (this command takes only flags; see importer gen -h)\n"},
	} {
		code, stdout, stderr := runGenCmd(context.Background(), append(tc.args, "--out", filepath.Join(dir, "x.csv"))...)
		if code != exitUsage || stdout != "" {
			t.Errorf("%q: exit %d, stdout %q; want exit %d and no output", tc.args, code, stdout, exitUsage)
		}
		if diff := cmp.Diff(tc.want, stderr); diff != "" {
			t.Errorf("%q: stderr (-want +got):\n%s", tc.args, diff)
		}
	}
	if names := dirNames(t, dir); len(names) != 0 {
		t.Errorf("usage errors left files: %q", names)
	}
}

func TestGenBadFlagValue(t *testing.T) {
	code, stdout, stderr := runGenCmd(context.Background(), "--rows", "many")
	if code != exitUsage || stdout != "" || !strings.Contains(stderr, `invalid value "many" for flag -rows`) {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and the bad value named", code, stdout, stderr, exitUsage)
	}
}

func TestGenMissingDirectory(t *testing.T) {
	out := filepath.Join(t.TempDir(), "no", "such", "dir", "learners.csv")
	code, _, stderr := runGenCmd(context.Background(), "--rows", "10", "--out", out)
	if code != exitUsage || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "create temporary file") {
		t.Errorf("exit %d, stderr %q; want exit %d and one line about the temporary file", code, stderr, exitUsage)
	}
}

// cancelAfter is a context that reports cancellation after n calls to Err,
// as Ctrl-C in the middle of a run would.
type cancelAfter struct {
	context.Context
	n int
}

func (c *cancelAfter) Err() error {
	if c.n--; c.n < 0 {
		return context.Canceled
	}
	return nil
}

// TestGenInterrupted checks that a run stopped by Ctrl-C, before or after
// it has written part of the file, leaves no file: neither the output nor
// its temporary file.
func TestGenInterrupted(t *testing.T) {
	for _, writes := range []int{0, 3} {
		dir := t.TempDir()
		ctx := &cancelAfter{Context: context.Background(), n: writes}
		code, _, _ := runGenCmd(ctx, "--rows", "20000", "--out", filepath.Join(dir, "learners.csv"))
		if code != exitInterrupted {
			t.Errorf("cancelled after %d writes: exit %d, want %d", writes, code, exitInterrupted)
		}
		if names := dirNames(t, dir); len(names) != 0 {
			t.Errorf("cancelled after %d writes: left files %q", writes, names)
		}
	}
}

func TestGenHelp(t *testing.T) {
	code, stdout, stderr := runGenCmd(context.Background(), "--help")
	if code != exitOK || stderr != "" || !strings.Contains(stdout, "importer gen --rows 10000 --out learners.csv") {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 0 and an example on stdout", code, stdout, stderr)
	}
}

// exitAfter is a context whose n-th call to Err does what main's second
// Ctrl-C does — run the exit hooks and exit at once —, noting the files
// in dir at that instant, as os.Exit would leave them; from then on Err
// reports cancellation, so the run in this process stops.
type exitAfter struct {
	context.Context
	n     int
	hooks *exitHooks
	dir   string
	left  []string
	t     *testing.T
}

func (c *exitAfter) Err() error {
	if c.n--; c.n == 0 {
		c.hooks.run()
		c.left = dirNames(c.t, c.dir)
	}
	if c.n <= 0 {
		return context.Canceled
	}
	return nil
}

// TestGenSecondSignalLeavesNoFile: a second Ctrl-C exits at once, without
// the deferred clean-up of a normal stop; the temporary file of
// `gen --out` must be gone all the same.
func TestGenSecondSignalLeavesNoFile(t *testing.T) {
	for _, writes := range []int{1, 4} {
		dir := t.TempDir()
		hooks := &exitHooks{}
		ctx := &exitAfter{Context: withExitHooks(context.Background(), hooks), n: writes, hooks: hooks, dir: dir, t: t}
		runGenCmd(ctx, "--rows", "20000", "--out", filepath.Join(dir, "learners.csv"))
		if ctx.n > 0 {
			t.Fatalf("gen finished before its %d-th write", writes)
		}
		if len(ctx.left) != 0 {
			t.Errorf("exited at once at write %d: left files %q", writes, ctx.left)
		}
	}
}

// TestGenSecondSignalLeavesNoFileProcess runs the real binary into a long
// `gen --out` and, once its temporary file holds data, delivers SIGINT and
// SIGTERM while the process is stopped, so the second signal is there
// before the first has been acted on: exit 130 at once, and no file left.
func TestGenSecondSignalLeavesNoFileProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the importer")
	}
	bin := importerBinary(t)
	dir := t.TempDir()
	cmd := exec.Command(bin, "gen", "--rows", "100000000", "--out", filepath.Join(dir, "learners.csv"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })
	for written := false; !written; {
		select {
		case err := <-done:
			t.Fatalf("gen ended before it was signalled: %v\n%s", err, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if info, err := e.Info(); err == nil && strings.HasSuffix(e.Name(), ".tmp") && info.Size() > 0 {
				written = true
			}
		}
	}
	for _, sig := range []syscall.Signal{syscall.SIGSTOP, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCONT} {
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
	}
	err := <-done
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitInterrupted || !strings.Contains(stderr.String(), "stopped at once") {
		t.Errorf("gen after two signals: %v, stderr %q; want exit %d, stopped at once", err, stderr.String(), exitInterrupted)
	}
	if names := dirNames(t, dir); len(names) != 0 {
		t.Errorf("left files %q", names)
	}
}
