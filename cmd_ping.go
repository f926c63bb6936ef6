package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/peterbourgon/ff/v3"
	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/learnergraph/importer/graphwrite"
)

func newPingCommand(rc *rootConfig) *ffcli.Command {
	fs := flag.NewFlagSet("importer ping", flag.ContinueOnError)
	var conn connFlags
	conn.register(fs, rc.getenv)
	return &ffcli.Command{
		Name:       "ping",
		ShortUsage: "importer ping [connection flags]",
		ShortHelp:  "check the Neo4j connection and print the server version",
		LongHelp: `Connects to Neo4j with the connection flags, runs RETURN 1 on the
database and prints the server's version. On failure it prints one line
saying what went wrong (unreachable, authentication, no such database).

Examples:
  importer ping
  NEO4J_URI=neo4j://db.example:7687 importer ping --password-file ~/.neo4j-pass`,
		FlagSet: fs,
		Options: []ff.Option{ff.WithEnvVarPrefix("IMPORTER")},
		Exec: func(ctx context.Context, args []string) error {
			cfg, err := conn.config(rc.getenv)
			if err != nil {
				return err
			}
			g, err := graphwrite.Connect(ctx, cfg)
			if err != nil {
				return err
			}
			defer g.Close(context.Background())
			info, err := g.Ping(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintln(rc.stdout, info)
			return nil
		},
	}
}
