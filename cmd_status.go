package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"text/tabwriter"

	"github.com/peterbourgon/ff/v3"
	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/staging"
)

func newStatusCommand(rc *rootConfig) *ffcli.Command {
	fs := flag.NewFlagSet("importer status", flag.ContinueOnError)
	state := fs.String("state", "import.db", "state file to report on")
	asJSON := fs.Bool("json", false, "print the report as one JSON object")
	return &ffcli.Command{
		Name:       "status",
		ShortUsage: "importer status [--state FILE] [--json]",
		ShortHelp:  "show how far staging and loading have come",
		LongHelp: `Reports the phase, the row counters, the staged node and relationship
counts and what has been loaded into Neo4j so far. While another importer
process works on the state file, the report comes from the progress that
process publishes (marked "live").

Examples:
  importer status --state import.db
  importer status --state import.db --json | jq .rows`,
		FlagSet: fs,
		Options: []ff.Option{ff.WithEnvVarPrefix("IMPORTER")},
		Exec: func(ctx context.Context, args []string) error {
			s, err := readStatus(*state)
			if err != nil {
				return err
			}
			if staging.HasPending(*state) {
				fmt.Fprintf(rc.stderr, "importer: status: note: this is the old state file; its replacement by `stage --overwrite` is half staged (%s): `importer resume --state %s` finishes it\n",
					checkpoint.PendingPath(*state), *state)
			}
			if *asJSON {
				enc := json.NewEncoder(rc.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(s)
			}
			return printStatus(rc.stdout, s)
		},
	}
}

// readStatus reads the report from the state file, or from the running
// process's snapshot while another process holds the file.
func readStatus(path string) (checkpoint.Status, error) {
	s, err := readState(path)
	if errors.Is(err, checkpoint.ErrInUse) {
		if live, snapErr := checkpoint.LiveStatus(path); snapErr == nil {
			return live, nil
		}
	}
	return s, err
}

// printStatus writes the short human table.
func printStatus(w io.Writer, s checkpoint.Status) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "phase: %s", s.Phase)
	if s.Mode != "" {
		fmt.Fprintf(w, " (mode %s)", s.Mode)
	}
	if s.Live != nil {
		fmt.Fprintf(w, " — live from pid %d (%s), updated %s", s.Live.PID, s.Live.Command, s.Live.Updated)
	}
	if s.ETA != "" {
		fmt.Fprintf(w, ", ETA %s", s.ETA)
	}
	fmt.Fprintln(w)
	if m := s.Mapping; m != nil {
		fmt.Fprintf(w, "mapping: %s (sha256 %.12s…)\n", m.Name, m.SHA256)
	}
	if e := s.Export; e != nil {
		state := "in progress"
		if e.Done {
			state = "done"
		}
		fmt.Fprintf(w, "export: %s, %d of %d parts, %d entities, into %s\n", state, e.UnitsDone, e.Units, e.Entities, e.Dir)
	}
	if o := s.Offline; o != nil {
		fmt.Fprintf(w, "offline load: in progress into database %q at %s, last finished step %q (importer resume continues it)\n", o.Database, o.Home, o.Phase)
	}
	for _, f := range s.Files {
		fmt.Fprintf(w, "file %s: %s, %d rows, %d of %d bytes, next line %d (%s)\n", f.Name, f.State, f.Rows, f.Offset, f.Size, f.Line, f.Path)
	}
	fmt.Fprintf(w, "rows: %d read, %d staged, %d rejected, %d duplicates\n", s.Rows.Read, s.Rows.Staged, s.Rows.Rejected, s.Rows.Duplicates)
	fmt.Fprintln(tw, "\tstaged\tloaded\t")
	for _, name := range sortedKeys(s.Nodes) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t\n", name, s.Nodes[name], s.Loaded.Nodes[name])
	}
	for _, name := range sortedKeys(s.Relationships) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t\n", name, s.Relationships[name], s.Loaded.Relationships[name])
	}
	return tw.Flush()
}

func sortedKeys(m map[string]int64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
