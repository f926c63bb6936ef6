package main

import (
	"context"
	"errors"
	"flag"

	"github.com/peterbourgon/ff/v3"
	"github.com/peterbourgon/ff/v3/ffcli"
)

func newGenCommand(rc *rootConfig) *ffcli.Command {
	fs := flag.NewFlagSet("importer gen", flag.ContinueOnError)
	fs.SetOutput(rc.stderr)
	return &ffcli.Command{
		Name:       "gen",
		ShortUsage: "importer gen [flags]",
		ShortHelp:  "(not implemented yet)",
		FlagSet:    fs,
		Options:    []ff.Option{ff.WithEnvVarPrefix("IMPORTER")},
		Exec: func(context.Context, []string) error {
			return usageError{errors.New("gen: not implemented yet")}
		},
	}
}
