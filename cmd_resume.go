package main

import (
	"context"
	"errors"
	"flag"

	"github.com/peterbourgon/ff/v3"
	"github.com/peterbourgon/ff/v3/ffcli"
)

func newResumeCommand(rc *rootConfig) *ffcli.Command {
	fs := flag.NewFlagSet("importer resume", flag.ContinueOnError)
	fs.SetOutput(rc.stderr)
	return &ffcli.Command{
		Name:       "resume",
		ShortUsage: "importer resume [flags]",
		ShortHelp:  "(not implemented yet)",
		FlagSet:    fs,
		Options:    []ff.Option{ff.WithEnvVarPrefix("IMPORTER")},
		Exec: func(context.Context, []string) error {
			return usageError{errors.New("resume: not implemented yet")}
		},
	}
}
