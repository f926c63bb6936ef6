package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/peterbourgon/ff/v3"
	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/learnergraph/importer/graphwrite"
)

func newClearDatabaseCommand(rc *rootConfig) *ffcli.Command {
	fs := flag.NewFlagSet("importer clear-database", flag.ContinueOnError)
	yes := fs.Bool("yes", false, "delete without asking; needed when stdin is not a terminal; IMPORTER_YES is not read "+cmdlineOnlyMark)
	var conn connFlags
	conn.register(fs, rc.getenv)
	var off offlineFlags
	fs.BoolVar(&off.on, "offline", false, "stop the local Neo4j, delete the database's store files, start it (seconds; indexes and constraints go too)")
	off.registerHome(fs, rc.getenv)
	return &ffcli.Command{
		Name:       "clear-database",
		ShortUsage: "importer clear-database [--yes] [--offline [--neo4j-home DIR]] [connection flags]",
		ShortHelp:  "delete every node and relationship of the Neo4j database",
		LongHelp: `Deletes every node and relationship of the database (the importer's load
watermarks too), in batches of 10,000 that work on tens of millions of rows.
Constraints and indexes stay. On a terminal it asks you to type the
database name; otherwise --yes is required, on the command line: a
confirmation is never taken from the environment (IMPORTER_YES).

With --offline, for a Neo4j whose files are on this machine (the repo's
local one by default, see --neo4j-home): stops it, deletes the database's
store and transaction logs, and starts it again with an empty database:
seconds whatever the size, but its indexes and constraints go too (the
next load creates them again).

Examples:
  importer clear-database
  importer clear-database --offline --yes
  importer clear-database --yes --database neo4j`,
		FlagSet: fs,
		Options: []ff.Option{ff.WithEnvVarPrefix("IMPORTER")},
		Exec: func(ctx context.Context, args []string) error {
			cfg, err := conn.config(rc.getenv)
			if err != nil {
				return err
			}
			if off.on {
				if _, err := off.findHome(rc.getenv); err != nil {
					return err
				}
			}
			if !*yes {
				if !isTerminal(rc.stdin) {
					return usageError{errors.New("refusing to delete without confirmation: stdin is not a terminal; pass --yes on the command line (IMPORTER_YES is not read)")}
				}
				prompt := fmt.Sprintf("Delete EVERY node and relationship of database %q at %s? Type the database name to confirm: ", cfg.Database, cfg.URI) // rc.stderr redacts it
				ok, err := confirm(rc.stdin, rc.stderr, prompt, cfg.Database)
				if err != nil || !ok {
					return usageError{errors.New("not confirmed; nothing deleted")}
				}
			}
			if off.on {
				return clearOffline(ctx, rc, &off, cfg)
			}
			g, err := graphwrite.Connect(ctx, cfg)
			if err != nil {
				return err
			}
			defer g.Close(context.Background())
			c, err := g.ClearDatabase(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(rc.stderr, "importer: deleted %d nodes and %d relationships from %s database %q", c.Nodes, c.Relationships, g.Address(), g.Database())
			if c.Retries > 0 {
				fmt.Fprintf(rc.stderr, " (%d batches retried after deadlocks)", c.Retries)
			}
			fmt.Fprintln(rc.stderr)
			return nil
		},
	}
}

// confirm prints prompt on w and reports whether the line read from r is
// want.
func confirm(r io.Reader, w io.Writer, prompt, want string) (bool, error) {
	fmt.Fprint(w, prompt)
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return false, err
	}
	return strings.TrimSpace(line) == want, nil
}
