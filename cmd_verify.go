package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/peterbourgon/ff/v3"
	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/learnergraph/importer/graphwrite"
)

func newVerifyCommand(rc *rootConfig) *ffcli.Command {
	fs := flag.NewFlagSet("importer verify", flag.ContinueOnError)
	state := fs.String("state", "import.db", "state file to compare Neo4j with")
	sample := fs.Int("sample", graphwrite.DefaultSample, "staged entities per label and type to compare property by property")
	seed := fs.Int64("seed", 1, "seed of the random sample")
	var conn connFlags
	conn.register(fs, rc.getenv)
	return &ffcli.Command{
		Name:       "verify",
		ShortUsage: "importer verify [--state FILE] [--sample N] [--seed N] [connection flags]",
		ShortHelp:  "compare Neo4j with the state file: counts and a sample of entities",
		LongHelp: `Counts the nodes of every label and the relationships of every type in
Neo4j and compares them with the staged counts, then compares a random
sample of staged entities (all properties) with what Neo4j holds. Prints
every difference on stdout and exits with status 3 if there is any.

Examples:
  importer verify --state import.db
  importer verify --state import.db --sample 2000 --seed 7`,
		FlagSet: fs,
		Options: []ff.Option{ff.WithEnvVarPrefix("IMPORTER")},
		Exec: func(ctx context.Context, args []string) error {
			cfg, err := conn.config(rc.getenv)
			if err != nil {
				return err
			}
			st, err := openStateReadOnly(*state)
			if err != nil {
				return err
			}
			defer st.Close()
			g, err := graphwrite.Connect(ctx, cfg)
			if err != nil {
				return err
			}
			defer g.Close(context.Background())
			diffs, err := graphwrite.Verify(ctx, g, st, graphwrite.VerifyOptions{Sample: *sample, Seed: *seed})
			if err != nil {
				return err
			}
			for _, d := range diffs {
				fmt.Fprintln(rc.stdout, d)
			}
			if len(diffs) > 0 {
				return mismatchError{fmt.Errorf("%d differences between %s and %s database %q", len(diffs), *state, g.Address(), g.Database())}
			}
			fmt.Fprintf(rc.stdout, "verify: %s database %q matches %s (counts of every label and type, %d sampled entities of each)\n",
				g.Address(), g.Database(), *state, *sample)
			return nil
		},
	}
}
