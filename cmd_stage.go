package main

import (
	"context"
	"errors"
	"flag"

	"github.com/peterbourgon/ff/v3"
	"github.com/peterbourgon/ff/v3/ffcli"
)

func newStageCommand(rc *rootConfig) *ffcli.Command {
	fs := flag.NewFlagSet("importer stage", flag.ContinueOnError)
	fs.SetOutput(rc.stderr)
	return &ffcli.Command{
		Name:       "stage",
		ShortUsage: "importer stage [flags]",
		ShortHelp:  "(not implemented yet)",
		FlagSet:    fs,
		Options:    []ff.Option{ff.WithEnvVarPrefix("IMPORTER")},
		Exec: func(context.Context, []string) error {
			return usageError{errors.New("stage: not implemented yet")}
		},
	}
}
