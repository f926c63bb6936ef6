package main

import (
	"context"
	"errors"
	"flag"

	"github.com/peterbourgon/ff/v3"
	"github.com/peterbourgon/ff/v3/ffcli"
)

func newClearDatabaseCommand(rc *rootConfig) *ffcli.Command {
	fs := flag.NewFlagSet("importer clear-database", flag.ContinueOnError)
	fs.SetOutput(rc.stderr)
	return &ffcli.Command{
		Name:       "clear-database",
		ShortUsage: "importer clear-database [flags]",
		ShortHelp:  "(not implemented yet)",
		FlagSet:    fs,
		Options:    []ff.Option{ff.WithEnvVarPrefix("IMPORTER")},
		Exec: func(context.Context, []string) error {
			return usageError{errors.New("clear-database: not implemented yet")}
		},
	}
}
