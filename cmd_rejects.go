package main

import (
	"context"
	"encoding/csv"
	"flag"
	"strconv"

	"github.com/peterbourgon/ff/v3"
	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/learnergraph/importer/staging"
)

func newRejectsCommand(rc *rootConfig) *ffcli.Command {
	fs := flag.NewFlagSet("importer rejects", flag.ContinueOnError)
	state := fs.String("state", "import.db", "state file to read")
	limit := fs.Int("limit", 0, "print at most this many rows (0: all)")
	return &ffcli.Command{
		Name:       "rejects",
		ShortUsage: "importer rejects [--state FILE] [--limit N]",
		ShortHelp:  "print the rejected rows as CSV (line,sandId,reason,record)",
		LongHelp: `Prints every row staging rejected, in file order, as CSV with the columns
line (where the record starts; the header is line 1), sandId (if any),
reason, and record (the raw CSV text of the row). Of a mapping that reads
several files, a first column file names the row's file (in the mapping's
order), and sandId is the key of the file's first entity.

Example:
  importer rejects --state import.db --limit 20`,
		FlagSet: fs,
		Options: []ff.Option{ff.WithEnvVarPrefix("IMPORTER")},
		Exec: func(ctx context.Context, args []string) error {
			st, err := openStateReadOnly(*state)
			if err != nil {
				return err
			}
			defer st.Close()
			w := csv.NewWriter(rc.stdout)
			s, err := st.Status()
			if err != nil {
				return err
			}
			if len(s.Files) == 0 {
				w.Write([]string{"line", "sandId", "reason", "record"})
				err = staging.ReadRejectsFrom(st, *limit, func(r staging.Reject) error {
					return w.Write([]string{strconv.FormatInt(r.Line, 10), r.SandID, r.Reason, r.Record})
				})
			} else {
				w.Write([]string{"file", "line", "sandId", "reason", "record"})
				err = staging.ReadFileRejectsFrom(st, *limit, func(file int, r staging.Reject) error {
					name := strconv.Itoa(file)
					if file < len(s.Files) {
						name = s.Files[file].Name
					}
					return w.Write([]string{name, strconv.FormatInt(r.Line, 10), r.SandID, r.Reason, r.Record})
				})
			}
			w.Flush()
			if err == nil {
				err = w.Error()
			}
			return err
		},
	}
}
