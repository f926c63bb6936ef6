package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/learnergraph/importer/checkpoint"
)

// runArgs runs `importer args...` with an empty environment and returns
// its exit status, stdout and stderr.
func runArgs(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr, func(string) string { return "" })
	return exitCode(err, &stderr), stdout.String(), stderr.String()
}

// oneErrorLine checks that stderr is exactly one line starting with
// prefix and containing want.
func oneErrorLine(t *testing.T, what, stderr, prefix, want string) {
	t.Helper()
	if strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n") || !strings.HasPrefix(stderr, prefix) || !strings.Contains(stderr, want) {
		t.Errorf("%s: stderr %q; want one line starting %q containing %q", what, stderr, prefix, want)
	}
}

// TestEverySubcommandRejectsBadUsage runs every subcommand of the root,
// whoever added it, with an unknown flag, an extra argument and each
// required flag missing: exit status 2, nothing on stdout, one line on
// stderr naming the command.
func TestEverySubcommandRejectsBadUsage(t *testing.T) {
	root := newRootCommand(&rootConfig{getenv: func(string) string { return "" }})
	required := 0
	for _, c := range root.Subcommands {
		prefix := "importer: " + c.Name + ": "
		cases := []struct {
			name string
			args []string
			want string
		}{
			{"unknown flag", []string{c.Name, "--no-such-flag"}, "flag provided but not defined: -no-such-flag"},
			{"extra argument", []string{c.Name, "extra"}, `unexpected argument "extra"`},
			{"two extra arguments", []string{c.Name, "extra", "more"}, `unexpected argument "extra"`},
		}
		c.FlagSet.VisitAll(func(f *flag.Flag) {
			if strings.HasSuffix(f.Usage, requiredMark) {
				required++
				cases = append(cases, struct {
					name string
					args []string
					want string
				}{"missing --" + f.Name, []string{c.Name}, "--" + f.Name + " is required"})
			}
		})
		for _, tc := range cases {
			what := fmt.Sprintf("importer %s (%s)", strings.Join(tc.args, " "), tc.name)
			code, stdout, stderr := runArgs(tc.args...)
			if code != exitUsage || stdout != "" {
				t.Errorf("%s: exit %d, stdout %q; want exit %d and no output", what, code, stdout, exitUsage)
			}
			oneErrorLine(t, what, stderr, prefix, tc.want)
		}
		// -h: the usage on stdout, nothing on stderr, exit 0.
		code, stdout, stderr := runArgs(c.Name, "-h")
		if code != exitOK || stderr != "" || !strings.Contains(stdout, c.ShortUsage) {
			t.Errorf("importer %s -h: exit %d, stderr %q, stdout %q; want 0 and the usage on stdout", c.Name, code, stderr, stdout)
		}
	}
	if required == 0 {
		t.Errorf("no subcommand has a required flag: the missing-flag case tested nothing")
	}
}

func TestRoot(t *testing.T) {
	root := newRootCommand(&rootConfig{getenv: func(string) string { return "" }})
	rootUsage := usage(root)
	var version bytes.Buffer
	printVersion(&version)
	for _, tc := range []struct {
		args           []string
		code           int
		stdout, stderr string
	}{
		{[]string{"laod", "--state", "x"}, exitUsage, "", "importer: unknown command \"laod\" (did you mean \"load\"?)\n"},
		{[]string{"stag"}, exitUsage, "", "importer: unknown command \"stag\" (did you mean \"stage\"?)\n"},
		{[]string{"xyzzy"}, exitUsage, "", "importer: unknown command \"xyzzy\" (see importer -h)\n"},
		{[]string{"--no-such-flag"}, exitUsage, "", "importer: flag provided but not defined: -no-such-flag (see importer -h)\n"},
		{nil, exitUsage, "", rootUsage + "importer: no command given (see the list above)\n"},
		{[]string{"-h"}, exitOK, rootUsage, ""},
		{[]string{"--help"}, exitOK, rootUsage, ""},
		{[]string{"--version"}, exitOK, version.String(), ""},
		{[]string{"version"}, exitOK, version.String(), ""},
	} {
		code, stdout, stderr := runArgs(tc.args...)
		if code != tc.code {
			t.Errorf("importer %q: exit %d, want %d", tc.args, code, tc.code)
		}
		if diff := cmp.Diff(tc.stdout, stdout); diff != "" {
			t.Errorf("importer %q: stdout (-want +got):\n%s", tc.args, diff)
		}
		if diff := cmp.Diff(tc.stderr, stderr); diff != "" {
			t.Errorf("importer %q: stderr (-want +got):\n%s", tc.args, diff)
		}
	}
}

func TestVersionSaysWhatABugReportNeeds(t *testing.T) {
	_, stdout, _ := runArgs("version")
	for _, want := range []string{"importer ", "\nrevision: ", "\ngo: go1.", "\nneo4j-go-driver: ", "\nbbolt: ", fmt.Sprintf("\nstate file format: %d\n", checkpoint.FormatVersion)} {
		if !strings.Contains(stdout, want) {
			t.Errorf("version output %q lacks %q", stdout, want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{{"laod", "load", 1}, {"load", "load", 0}, {"stag", "stage", 1}, {"", "ping", 4}, {"verfiy", "verify", 1}, {"xyzzy", "ping", 5}} {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestErrorsArePrefixedAndRedacted checks the one-line rule on an error
// from inside a command: its name, no newline, no password.
func TestErrorsArePrefixedAndRedacted(t *testing.T) {
	var stdout, stderr bytes.Buffer
	env := map[string]string{"NEO4J_URI": "neo4j://bob:s3cret@127.0.0.1:1"}
	err := run(context.Background(), []string{"ping"}, strings.NewReader(""), &stdout, &stderr, func(k string) string { return env[k] })
	code := exitCode(err, &stderr)
	oneErrorLine(t, "ping", stderr.String(), "importer: ping: ", "neo4j unreachable")
	if code != exitFailure || strings.Contains(stderr.String(), "s3cret") {
		t.Errorf("ping of a closed port: exit %d, stderr %q; want %d and no password", code, stderr.String(), exitFailure)
	}
	if got := oneLine("first\n  second\r\nthird\n"); got != "first second third" {
		t.Errorf("oneLine = %q", got)
	}
}

// TestHelpRedactsTheURI checks that a password in NEO4J_URI, shown as the
// --uri flag's default, is redacted in every command's help.
func TestHelpRedactsTheURI(t *testing.T) {
	env := func(k string) string {
		if k == "NEO4J_URI" {
			return "neo4j://bob:s3cret@db.example:7687"
		}
		return ""
	}
	for _, c := range newRootCommand(&rootConfig{getenv: env}).Subcommands {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), []string{c.Name, "-h"}, strings.NewReader(""), &stdout, &stderr, env)
		if code := exitCode(err, &stderr); code != exitOK || strings.Contains(stdout.String()+stderr.String(), "s3cret") {
			t.Errorf("importer %s -h: exit %d, the password shown: %v", c.Name, code, strings.Contains(stdout.String(), "s3cret"))
		}
	}
}

func TestExitCodes(t *testing.T) {
	for _, tt := range []struct {
		err  error
		code int
	}{
		{nil, exitOK},
		{errors.New("disk full"), exitFailure},
		{usageError{errors.New("bad flag")}, exitUsage},
		{fmt.Errorf("open x: %w", checkpoint.ErrNotFound), exitUsage},
		{mismatchError{errors.New("3 differences")}, exitMismatch},
		{commandError{"status", fmt.Errorf("read x: %w", checkpoint.ErrDamaged)}, exitDamaged},
		{commandError{"load", fmt.Errorf("batch: %w", context.Canceled)}, exitInterrupted},
	} {
		var stderr bytes.Buffer
		if code := exitCode(tt.err, &stderr); code != tt.code {
			t.Errorf("exitCode(%v) = %d, want %d", tt.err, code, tt.code)
		}
		if tt.err != nil && (strings.Count(stderr.String(), "\n") != 1 || !strings.HasPrefix(stderr.String(), "importer: ")) {
			t.Errorf("exitCode(%v) printed %q, want one line", tt.err, stderr.String())
		}
	}
}

// TestYesOnlyFromTheCommandLine checks that IMPORTER_YES does not confirm
// clear-database (ff reads IMPORTER_<FLAG> for every other flag). The
// database is an unreachable address, so nothing can be deleted whatever
// happens: without the rule the command would get as far as connecting.
func TestYesOnlyFromTheCommandLine(t *testing.T) {
	t.Setenv("IMPORTER_URI", "neo4j://127.0.0.1:1")
	t.Setenv("IMPORTER_YES", "1")
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"clear-database"}, exitUsage, "importer: clear-database: refusing to delete without confirmation: stdin is not a terminal; pass --yes on the command line"},
		{[]string{"clear-database", "--yes=false"}, exitUsage, "refusing to delete without confirmation"},
		{[]string{"clear-database", "--yes"}, exitFailure, "importer: clear-database: connect to neo4j://127.0.0.1:1: neo4j unreachable"},
		{[]string{"clear-database", "-yes=true", "--database", "neo4j"}, exitFailure, "neo4j unreachable"},
	} {
		code, _, stderr := runArgs(tt.args...)
		if code != tt.code {
			t.Errorf("IMPORTER_YES=1 importer %q: exit %d, want %d (%s)", tt.args, code, tt.code, stderr)
		}
		oneErrorLine(t, fmt.Sprint(tt.args), stderr, "importer: clear-database: ", tt.want)
	}
}

// TestSecondSignalStopsAtOnce: the first signal cancels the run's context
// (a clean stop at the next checkpoint), the second exits with 130 without
// waiting for the run.
func TestSecondSignalStopsAtOnce(t *testing.T) {
	signals := make(chan os.Signal)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	exited := make(chan int, 1)
	var stderr syncWriter
	go onSignals(signals, cancel, &stderr, func(code int) { exited <- code })
	signals <- os.Interrupt
	<-ctx.Done() // the first signal cancels
	select {
	case code := <-exited:
		t.Fatalf("exited (%d) after one signal", code)
	default:
	}
	signals <- syscall.SIGTERM
	if code := <-exited; code != exitInterrupted {
		t.Errorf("exit status %d after the second signal, want %d", code, exitInterrupted)
	}
	want := "importer: stopping at the next checkpoint (press Ctrl-C again to stop at once)\n" +
		"importer: stopped at once; the state file holds its last checkpoint; run `importer resume` to continue\n"
	if diff := cmp.Diff(want, stderr.String()); diff != "" {
		t.Errorf("stderr (-want +got):\n%s", diff)
	}
}

// syncWriter is a strings.Builder safe for two goroutines.
type syncWriter struct {
	mu sync.Mutex
	b  strings.Builder
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// TestMalformedURIWithCredentials: a --uri (or NEO4J_URI) that cannot be
// parsed, with a password in it, gives one line naming the bad URI, exit
// status 2, and never the password — the driver's parse error quotes the
// URI, and it was once echoed twice.
func TestMalformedURIWithCredentials(t *testing.T) {
	for _, uri := range []string{
		"neo4j://bob:s3cret@127.0.0.1:notaport",
		"neo4j://bob:s3cr/et@127.0.0.1:notaport",
		"bolt://bob:s3cret@[::1",
		"nosuch://bob:s3cret@127.0.0.1",
	} {
		for _, tt := range []struct {
			args []string
			env  map[string]string
		}{
			{[]string{"ping", "--uri", uri}, nil},
			{[]string{"ping"}, map[string]string{"NEO4J_URI": uri}},
			{[]string{"clear-database", "--yes", "--uri", uri}, nil},
		} {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tt.args, strings.NewReader(""), &stdout, &stderr, func(k string) string { return tt.env[k] })
			code := exitCode(err, &stderr)
			what := fmt.Sprintf("importer %s (env %v)", strings.Join(tt.args, " "), tt.env)
			oneErrorLine(t, what, stderr.String(), "importer: "+tt.args[0]+": connect to ", "invalid neo4j URI")
			if code != exitUsage || strings.Contains(stdout.String()+stderr.String(), "s3cr") {
				t.Errorf("%s: exit %d, stdout %q, stderr %q; want %d and no password", what, code, stdout.String(), stderr.String(), exitUsage)
			}
		}
	}
}
