package main

import (
	"context"
	"errors"
	"flag"

	"github.com/peterbourgon/ff/v3"
	"github.com/peterbourgon/ff/v3/ffcli"
)

func newStatusCommand(rc *rootConfig) *ffcli.Command {
	fs := flag.NewFlagSet("importer status", flag.ContinueOnError)
	fs.SetOutput(rc.stderr)
	return &ffcli.Command{
		Name:       "status",
		ShortUsage: "importer status [flags]",
		ShortHelp:  "(not implemented yet)",
		FlagSet:    fs,
		Options:    []ff.Option{ff.WithEnvVarPrefix("IMPORTER")},
		Exec: func(context.Context, []string) error {
			return usageError{errors.New("status: not implemented yet")}
		},
	}
}
