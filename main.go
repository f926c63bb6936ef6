// Command importer turns a learner CSV export into a Neo4j graph in two
// resumable passes: `stage` streams the CSV into a bbolt staging file, `load`
// drains that file into Neo4j in UNWIND batches. See README.md.
//
// Exit status (chosen here and nowhere else):
//
//	0    success
//	1    the work failed (Neo4j unreachable, I/O error, ...); the resume point is intact
//	2    usage or input error: bad flag, missing file, contract error, state file in use
//	3    verify found differences between the staging file and Neo4j
//	4    the state file is damaged (checkpoint.ErrDamaged): stage again with --overwrite
//	130  interrupted by SIGINT/SIGTERM at a clean checkpoint; `importer resume` continues
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"syscall"

	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/graphwrite"
	"github.com/learnergraph/importer/model"
	"github.com/learnergraph/importer/staging"
)

// Exit codes; see the package comment.
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2
	exitMismatch    = 3
	exitDamaged     = 4
	exitInterrupted = 130
)

// heapLimit is the Go runtime's soft memory limit unless GOMEMLIMIT says
// otherwise: the garbage collector works harder near it, which keeps the
// peak Go heap under 256 MiB whatever the input size (bbolt's memory-mapped
// pages are outside the Go heap).
const heapLimit = 224 << 20

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	hooks := &exitHooks{}
	ctx = withExitHooks(ctx, hooks)
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go onSignals(signals, cancel, os.Stderr, func(code int) {
		hooks.run() // e.g. gen --out's temporary file
		os.Exit(code)
	})
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(heapLimit)
	}
	stopProfile := startCPUProfile(os.Getenv("IMPORTER_CPUPROFILE"), os.Stderr)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stopProfile()
	signal.Stop(signals)
	cancel()
	os.Exit(exitCode(err, os.Stderr))
}

// onSignals handles SIGINT and SIGTERM: the first cancels ctx, so the
// command stops at its next checkpoint (the batch in flight is abandoned:
// Neo4j rolls it back, bbolt never commits it); the second exits at once
// with status 130. Exiting at once is safe at any instant, as a SIGKILL
// is: bbolt commits atomically, and a Neo4j batch commits together with
// its watermark or not at all, so `importer resume` continues either way.
// What a command registered in its exitHooks (a temporary file to remove)
// is done by exit before the process goes.
func onSignals(signals <-chan os.Signal, cancel context.CancelFunc, stderr io.Writer, exit func(int)) {
	<-signals
	fmt.Fprintln(stderr, "importer: stopping at the next checkpoint (press Ctrl-C again to stop at once)")
	cancel()
	<-signals
	fmt.Fprintln(stderr, "importer: stopped at once; the state file holds its last checkpoint; run `importer resume` to continue")
	exit(exitInterrupted)
}

// startCPUProfile writes a pprof CPU profile of the whole run to path, when
// set (IMPORTER_CPUPROFILE=stage.prof importer stage ...; then
// go tool pprof bin/importer stage.prof).
func startCPUProfile(path string, stderr io.Writer) (stop func()) {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(stderr, "importer: warning: no CPU profile: %v\n", err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

// rootConfig holds what every subcommand shares: its I/O and its environment.
// Commands never touch os.Stdout, os.Stderr or os.Getenv directly, so tests
// can run them with buffers and a fake environment.
type rootConfig struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

// run parses args and runs the selected subcommand. Everything written to
// stderr has any password in a URI redacted.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) error {
	rc := &rootConfig{stdin: stdin, stdout: stdout, stderr: graphwrite.RedactingWriter{W: stderr}, getenv: getenv}
	return execute(ctx, newRootCommand(rc), args, rc)
}

func newRootCommand(rc *rootConfig) *ffcli.Command {
	fs := flag.NewFlagSet("importer", flag.ContinueOnError)
	version := fs.Bool("version", false, "print the version and exit")
	root := &ffcli.Command{
		Name:       "importer",
		ShortUsage: "importer <subcommand> [flags]",
		ShortHelp:  "turn a learner CSV into a Neo4j graph, resumably",
		LongHelp: `importer stages a learner CSV into a bbolt file (stage), then drains it
into Neo4j in UNWIND batches (load). Both passes checkpoint; after a crash,
Ctrl-C or a Neo4j restart, "importer resume" continues where they stopped.

Examples:
  importer gen --rows 10000 --out learners.csv
  importer stage --input learners.csv --state import.db
  NEO4J_PASSWORD=secret importer load --state import.db
  importer status --state import.db --json

Every flag can also be set as IMPORTER_<FLAG> in the environment
(e.g. IMPORTER_STATE=import.db).`,
		FlagSet: fs,
		Subcommands: []*ffcli.Command{
			newGenCommand(rc),
			newStageCommand(rc),
			newMappingCommand(rc),
			newExportCommand(rc),
			newLoadCommand(rc),
			newResumeCommand(rc),
			newStatusCommand(rc),
			newRejectsCommand(rc),
			newVerifyCommand(rc),
			newReportCommand(rc),
			newClearDatabaseCommand(rc),
			newPingCommand(rc),
			newVersionCommand(rc),
		},
	}
	root.Exec = func(_ context.Context, args []string) error {
		switch {
		case len(args) > 0:
			return unknownCommand(root, args[0])
		case *version:
			printVersion(rc.stdout)
			return nil
		default:
			fmt.Fprint(rc.stderr, usage(root))
			return usageError{errNoCommand}
		}
	}
	return root
}

// isUserError reports whether err is one of the sentinel errors that mean
// the user has something to fix (exit status 2) rather than that the work
// failed.
func isUserError(err error) bool {
	userErrors := []error{
		os.ErrNotExist, os.ErrPermission, syscall.EISDIR, graphwrite.ErrBadURI,
		staging.ErrContract, staging.ErrInputChanged, staging.ErrNotRegular, staging.ErrPending,
		staging.ErrMapping, staging.ErrMappingChanged, staging.ErrInputs, model.ErrInvalid,
		checkpoint.ErrExists, checkpoint.ErrInUse, checkpoint.ErrNotFound, checkpoint.ErrVersion,
	}
	for _, target := range userErrors {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

// exitCode maps the error a command returned to the process exit status,
// printing it as one line on stderr, any password in it redacted.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	code, msg := classify(err)
	fmt.Fprintf(stderr, "importer: %s\n", oneLine(graphwrite.RedactURIs(msg)))
	return code
}

// classify is the exit status for err and the message to print.
func classify(err error) (int, string) {
	var usage usageError
	var mismatch mismatchError
	var damaged *checkpoint.DamagedError
	switch {
	case errors.Is(err, context.Canceled):
		return exitInterrupted, commandName(err) + "interrupted at a clean checkpoint; run `importer resume` to continue"
	case errors.As(err, &damaged):
		return exitDamaged, commandName(err) + damaged.Error()
	case errors.Is(err, checkpoint.ErrDamaged):
		return exitDamaged, err.Error()
	case errors.As(err, &mismatch):
		return exitMismatch, err.Error()
	case errors.As(err, &usage) || isUserError(err):
		return exitUsage, err.Error()
	default:
		return exitFailure, err.Error()
	}
}

// commandName is "name: " for a subcommand's error, else "".
func commandName(err error) string {
	var ce commandError
	if errors.As(err, &ce) {
		return ce.name + ": "
	}
	return ""
}

// oneLine joins the lines of a multi-line message (some Neo4j errors have
// several), so every error is one line on stderr.
func oneLine(msg string) string {
	lines := strings.FieldsFunc(msg, func(r rune) bool { return r == '\n' || r == '\r' })
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	return strings.Join(lines, " ")
}
