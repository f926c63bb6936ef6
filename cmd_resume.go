package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/peterbourgon/ff/v3"
	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/staging"
)

func newResumeCommand(rc *rootConfig) *ffcli.Command {
	fs := flag.NewFlagSet("importer resume", flag.ContinueOnError)
	var load loadFlags
	load.register(fs, rc.getenv)
	batchRows := fs.Int("batch-rows", staging.DefaultBatchRows, "rows per checkpoint, when resuming staging")
	mapping := fs.String("mapping", "", "mapping file the stage was started with, to check: a different one is refused (the state file keeps its own)")
	return &ffcli.Command{
		Name:       "resume",
		ShortUsage: "importer resume [--state FILE] [load flags]",
		ShortHelp:  "continue an interrupted stage or load from its checkpoint",
		LongHelp: `Continues whatever the state file says was interrupted: a staging pass
from its last committed batch (the input file must be unchanged), an
export, an offline load (load --offline) after its last finished step, or
a load from the last batch Neo4j committed, with the mode chosen when the
load started. Load flags (--workers, --batch-size, connection) may differ
from the first run. The mapping is the one stored in the state
file; --mapping (or IMPORTER_MAPPING) that names a different file is
refused.

Examples:
  importer resume --state import.db
  importer resume --state import.db --workers 4`,
		FlagSet: fs,
		Options: []ff.Option{ff.WithEnvVarPrefix("IMPORTER")},
		Exec: func(ctx context.Context, args []string) error {
			state := load.state
			opt := staging.Options{BatchRows: *batchRows}
			if *mapping != "" {
				m, err := readMapping(rc, *mapping)
				if err != nil {
					return err
				}
				opt.Mapping = m
			}
			resumeStaging := func() error {
				return runStaging(rc, "resume", state, opt, func(opt staging.Options) error {
					_, err := staging.Resume(ctx, state, opt)
					return err
				})
			}
			if staging.HasPending(state) { // a `stage --overwrite` to finish
				return resumeStaging()
			}
			s, err := readState(state)
			if err != nil {
				return err
			}
			if m := opt.Mapping; m != nil && s.Mapping != nil && m.Hash != s.Mapping.SHA256 {
				return usageError{fmt.Errorf("%w: %s has sha256 %.12s…, the state file's %s %.12s… (stage it again with --overwrite to use the new one)",
					staging.ErrMappingChanged, m.Source, m.Hash, s.Mapping.Name, s.Mapping.SHA256)}
			}
			if s.Offline != nil { // an interrupted load --offline
				return load.runOffline(ctx, rc, true)
			}
			switch {
			case s.Phase == checkpoint.PhaseStaging:
				return resumeStaging()
			case s.Phase != checkpoint.PhaseLoading && s.Export != nil && !s.Export.Done:
				return resumeExport(ctx, rc, state)
			case s.Phase == checkpoint.PhaseStaged:
				return usageError{fmt.Errorf("nothing to resume: %s is staged; next: importer load --state %s", state, state)}
			}
			return load.run(ctx, rc, true)
		},
	}
}

// readState reads where the state file stands.
func readState(path string) (checkpoint.Status, error) {
	st, err := openStateReadOnly(path)
	if err != nil {
		return checkpoint.Status{}, err
	}
	defer st.Close()
	return st.Status()
}
