package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/learnergraph/importer/graphwrite"
)

// The command tree's rules live here, in one place, so that every
// subcommand (including ones added later) follows them:
//
//   - a flag error, an extra positional argument or a missing required flag
//     is one line on stderr, "importer: <command>: ...", and exit status 2
//     (ffcli would print the whole usage on a flag error);
//   - -h/--help prints the usage on stdout and exits 0;
//   - every error a subcommand returns is prefixed with its name;
//   - a flag is required when its usage text ends with requiredMark;
//   - a flag whose usage text ends with cmdlineOnlyMark is taken from the
//     command line only, never from IMPORTER_<FLAG> (a confirmation such as
//     clear-database's --yes must not hide in the environment).

// requiredMark ends the usage text of a flag that must be given.
const requiredMark = "(required)"

// cmdlineOnlyMark ends the usage text of a flag the environment may not set.
const cmdlineOnlyMark = "(command line only)"

// execute parses args against the command tree rooted at root and runs
// the selected command.
func execute(ctx context.Context, root *ffcli.Command, args []string, rc *rootConfig) error {
	for _, c := range root.Subcommands {
		c.FlagSet.SetOutput(io.Discard)
		guard(c)
		for _, sub := range c.Subcommands { // importer mapping check|init
			sub.FlagSet.SetOutput(io.Discard)
		}
	}
	root.FlagSet.SetOutput(io.Discard)
	cmd, cmdArgs := selected(root, args)
	if err := root.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(rc.stdout, usage(cmd))
			return nil
		}
		msg := strings.TrimPrefix(err.Error(), "error parsing commandline arguments: ") // ff's wording
		return prefixed(cmd, root, usageError{fmt.Errorf("%s (see %s -h)", msg, commandPath(cmd, root))})
	}
	if cmd != root {
		if err := resetEnvOnly(cmd.FlagSet, cmdArgs); err != nil {
			return prefixed(cmd, root, err)
		}
	}
	return prefixed(cmd, root, root.Run(ctx))
}

// selected is the subcommand args name and the arguments after its name,
// or root when they name none; it mirrors how ffcli chooses (the root has
// no flags that take a value).
func selected(root *ffcli.Command, args []string) (*ffcli.Command, []string) {
	for i, a := range args {
		if strings.HasPrefix(a, "-") {
			continue
		}
		for _, c := range root.Subcommands {
			if strings.EqualFold(a, c.Name) {
				return c, args[i+1:]
			}
		}
		return root, nil
	}
	return root, nil
}

// resetEnvOnly puts back to its default every flag marked cmdlineOnlyMark
// that args (the command line) do not set: ff may have set it from the
// environment. It parses args again into a flag set of the same names
// that only records which flags the command line gives.
func resetEnvOnly(fs *flag.FlagSet, args []string) error {
	given := flag.NewFlagSet(fs.Name(), flag.ContinueOnError)
	given.SetOutput(io.Discard)
	fs.VisitAll(func(f *flag.Flag) {
		b, ok := f.Value.(interface{ IsBoolFlag() bool })
		given.Var(nameOnly{isBool: ok && b.IsBoolFlag()}, f.Name, "")
	})
	if err := given.Parse(args); err != nil {
		return usageError{err} // fs parsed the same arguments: not reached
	}
	onCommandLine := map[string]bool{}
	given.Visit(func(f *flag.Flag) { onCommandLine[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if strings.HasSuffix(f.Usage, cmdlineOnlyMark) && !onCommandLine[f.Name] {
			err = errors.Join(err, f.Value.Set(f.DefValue))
		}
	})
	return err
}

// nameOnly is a flag value that accepts anything: resetEnvOnly needs only
// to know which flags were given.
type nameOnly struct{ isBool bool }

func (nameOnly) String() string     { return "" }
func (nameOnly) Set(string) error   { return nil }
func (v nameOnly) IsBoolFlag() bool { return v.isBool }

// commandPath is how a command is called: "importer" or "importer load".
func commandPath(c, root *ffcli.Command) string {
	if c == root {
		return root.Name
	}
	return root.Name + " " + c.Name
}

// guard wraps c's Exec with the rules every subcommand shares: no
// positional arguments, every required flag given.
func guard(c *ffcli.Command) {
	exec := c.Exec
	c.Exec = func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return usageError{fmt.Errorf("unexpected argument %q (this command takes only flags; see importer %s -h)", args[0], c.Name)}
		}
		if err := checkRequired(c.FlagSet); err != nil {
			return usageError{err}
		}
		return exec(ctx, args)
	}
}

// checkRequired fails when a flag marked required was not given, on the
// command line or in the environment, or was given empty.
func checkRequired(fs *flag.FlagSet) error {
	var missing error
	fs.VisitAll(func(f *flag.Flag) {
		if missing == nil && strings.HasSuffix(f.Usage, requiredMark) && f.Value.String() == "" {
			missing = fmt.Errorf("--%s is required", f.Name)
		}
	})
	return missing
}

// commandError is an error of a subcommand, printed with its name.
type commandError struct {
	name string
	err  error
}

// Error prefixes the command's name, unless the error already starts
// with it (some commands name themselves).
func (e commandError) Error() string {
	msg := e.err.Error()
	if strings.HasPrefix(msg, e.name+": ") {
		return msg
	}
	return e.name + ": " + msg
}

func (e commandError) Unwrap() error { return e.err }

// prefixed wraps err, if any, as cmd's error; the root's errors stay as
// they are.
func prefixed(cmd, root *ffcli.Command, err error) error {
	if err == nil || cmd == root {
		return err
	}
	return commandError{name: cmd.Name, err: err}
}

// usage is c's help text, with any password in it (a flag's default taken
// from NEO4J_URI) redacted.
func usage(c *ffcli.Command) string {
	return graphwrite.RedactURIs(ffcli.DefaultUsageFunc(c)) + "\n"
}

// unknownCommand is the one-line error for a word that names no
// subcommand, with the closest name when one is close.
func unknownCommand(root *ffcli.Command, name string) error {
	best, bestDist := "", 3 // suggest only within two edits
	for _, c := range root.Subcommands {
		if d := editDistance(strings.ToLower(name), c.Name); d < bestDist {
			best, bestDist = c.Name, d
		}
	}
	if best == "" {
		return usageError{fmt.Errorf("unknown command %q (see importer -h)", name)}
	}
	return usageError{fmt.Errorf("unknown command %q (did you mean %q?)", name, best)}
}

// editDistance is the Levenshtein distance between a and b, counting a
// swap of two neighbours as one edit ("laod" is one edit from "load").
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
