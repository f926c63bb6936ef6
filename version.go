package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/peterbourgon/ff/v3"
	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/learnergraph/importer/checkpoint"
)

// Modules whose versions a bug report needs.
const (
	driverModule = "github.com/neo4j/neo4j-go-driver/v5"
	bboltModule  = "go.etcd.io/bbolt"
)

func newVersionCommand(rc *rootConfig) *ffcli.Command {
	fs := flag.NewFlagSet("importer version", flag.ContinueOnError)
	return &ffcli.Command{
		Name:       "version",
		ShortUsage: "importer version",
		ShortHelp:  "print the importer's version and what it was built with",
		LongHelp: `Prints the importer's version and VCS revision (from the build), the Go
version, the Neo4j driver and bbolt versions and the state file format
version it reads: what a bug report needs. "importer --version" is the same.

Example:
  importer version`,
		FlagSet: fs,
		Options: []ff.Option{ff.WithEnvVarPrefix("IMPORTER")},
		Exec: func(context.Context, []string) error {
			printVersion(rc.stdout)
			return nil
		},
	}
}

// printVersion writes one "name: value" line per fact.
func printVersion(w io.Writer) {
	version, revision, driver, bbolt := "(unknown)", "(unknown)", "(unknown)", "(unknown)"
	if info, ok := debug.ReadBuildInfo(); ok {
		version = info.Main.Version
		revision = vcsRevision(info.Settings)
		for _, dep := range info.Deps {
			switch dep.Path {
			case driverModule:
				driver = dep.Version
			case bboltModule:
				bbolt = dep.Version
			}
		}
	}
	fmt.Fprintf(w, "importer %s\n", version)
	fmt.Fprintf(w, "revision: %s\n", revision)
	fmt.Fprintf(w, "go: %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(w, "neo4j-go-driver: %s\n", driver)
	fmt.Fprintf(w, "bbolt: %s\n", bbolt)
	fmt.Fprintf(w, "state file format: %d\n", checkpoint.FormatVersion)
}

// vcsRevision is the commit the binary was built from, with its time and
// "+modified" when the work tree had changes.
func vcsRevision(settings []debug.BuildSetting) string {
	var rev, at, modified string
	for _, s := range settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+modified"
			}
		}
	}
	if rev == "" {
		return "(unknown: not built from a git checkout with go build)"
	}
	if at != "" {
		return rev + modified + " (" + at + ")"
	}
	return rev + modified
}
