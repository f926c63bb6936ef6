package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/peterbourgon/ff/v3"
	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/learnergraph/importer/samplegen"
)

func newGenCommand(rc *rootConfig) *ffcli.Command {
	fs := flag.NewFlagSet("importer gen", flag.ContinueOnError)
	rows := fs.Int("rows", 1000, "data rows to write (the header is not counted)")
	seed := fs.Int64("seed", 1, "random seed: the same flags always write the same bytes")
	badRate := fs.Float64("bad-rate", 0.01, "share of rows that break the contract, 0..1")
	out := fs.String("out", "", "file to write, whole or not at all (default: stdout)")
	overwrite := fs.Bool("overwrite", false, "replace the --out file if it exists")
	return &ffcli.Command{
		Name:       "gen",
		ShortUsage: "importer gen --rows N [--seed S] [--bad-rate R] [--out FILE]",
		ShortHelp:  "write a realistic learner CSV, the same for the same flags",
		LongHelp: `Writes a learner CSV that follows the data contract and looks like a real
export: unsorted sandIds, skewed popularity of countries, cities, skills,
programs and companies, Unicode names (some with commas, quotes or line
breaks), nested JSON, padded and empty values, and about 2% of learners
repeated with changed values. A share --bad-rate of the rows breaks exactly
one rule each, spread evenly over: field-count, bad-quote, missing-sandid,
invalid-utf8, malformed-json, json-missing-field, bad-date, bad-birthyear,
bad-country. Rows average about 650 bytes: 1.7M rows make about 1.1 GB.

With --out the file is written under a temporary name in the same directory
and renamed when complete, so a failed or interrupted run leaves no partial
file. An existing --out file is refused unless --overwrite is given, and
even then replaced only once the new one is complete. A summary line goes
to stderr.

Examples:
  importer gen --rows 10000 --out learners.csv
  importer gen --rows 10000 --out learners.csv --overwrite
  importer gen --rows 1700000 --seed 7 --bad-rate 0.001 --out big.csv
  importer gen --rows 5 --bad-rate 0 | head -3`,
		FlagSet: fs,
		Options: []ff.Option{ff.WithEnvVarPrefix("IMPORTER")},
		Exec: func(ctx context.Context, args []string) error {
			opt := samplegen.GenOptions{Rows: *rows, Seed: *seed, BadRate: *badRate}
			if err := checkGenOptions(opt); err != nil {
				return usageError{err}
			}
			return runGen(ctx, rc, opt, *out, *overwrite)
		},
	}
}

// checkGenOptions rejects what Generate would, as a one-line usage error.
func checkGenOptions(opt samplegen.GenOptions) error {
	if opt.Rows < 0 {
		return fmt.Errorf("--rows must be 0 or more, not %d", opt.Rows)
	}
	if !(opt.BadRate >= 0 && opt.BadRate <= 1) {
		return fmt.Errorf("--bad-rate must be between 0 and 1, not %v", opt.BadRate)
	}
	return nil
}

// runGen generates to out (stdout when empty) and prints the summary.
func runGen(ctx context.Context, rc *rootConfig, opt samplegen.GenOptions, out string, overwrite bool) error {
	start := time.Now()
	var stats samplegen.GenStats
	var err error
	if out == "" {
		out = "stdout"
		stats, err = samplegen.Generate(ctxWriter{ctx, rc.stdout}, opt)
	} else {
		if _, statErr := os.Lstat(out); statErr == nil && !overwrite {
			return usageError{fmt.Errorf("%s: %w", out, errOutExists)}
		}
		stats, err = genFile(ctx, out, opt, overwrite)
	}
	if err != nil {
		return err
	}
	bad := 0
	for _, n := range stats.Bad {
		bad += n
	}
	fmt.Fprintf(rc.stderr, "importer: gen: %d rows, %d bytes (%.1f MB), %d bad rows, %d duplicates, %s, to %s\n",
		stats.Rows, stats.Bytes, float64(stats.Bytes)/1e6, bad, stats.Duplicates,
		time.Since(start).Round(time.Millisecond), out)
	return nil
}

// genFile generates into a temporary file next to path and moves it to
// path once it is complete and synced; on any error it removes it. Unless
// overwrite is set, an existing path (even one created meanwhile) is left
// alone and the run fails.
//
// The temporary file is registered with the context's exitHooks, so a
// second Ctrl-C, which exits at once, removes it too.
func genFile(ctx context.Context, path string, opt samplegen.GenOptions, overwrite bool) (stats samplegen.GenStats, err error) {
	var f *os.File
	forget, err := exitHooksFrom(ctx).add(func() (func(), error) {
		var err error
		if f, err = os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp"); err != nil {
			return nil, err
		}
		name := f.Name()
		return func() { os.Remove(name) }, nil
	})
	if err != nil {
		return stats, fmt.Errorf("create temporary file: %w", err)
	}
	defer forget()
	defer func() {
		if err != nil {
			err = errors.Join(err, closeAndRemove(f))
		}
	}()
	if stats, err = samplegen.Generate(ctxWriter{ctx, f}, opt); err != nil {
		return stats, err
	}
	if err = f.Chmod(0o644); err != nil {
		return stats, fmt.Errorf("chmod: %w", err)
	}
	if err = f.Sync(); err != nil {
		return stats, fmt.Errorf("sync: %w", err)
	}
	if err = f.Close(); err != nil {
		return stats, fmt.Errorf("close: %w", err)
	}
	if overwrite {
		if err = os.Rename(f.Name(), path); err != nil {
			return stats, fmt.Errorf("rename: %w", err)
		}
		return stats, nil
	}
	// Link, unlike rename, fails when path exists.
	if err = os.Link(f.Name(), path); err != nil {
		if errors.Is(err, os.ErrExist) {
			err = usageError{fmt.Errorf("%s: %w", path, errOutExists)}
		}
		return stats, err
	}
	return stats, os.Remove(f.Name())
}

// closeAndRemove discards a temporary file, closed or not.
func closeAndRemove(f *os.File) error {
	_ = f.Close() // may already be closed; the removal is what matters
	if err := os.Remove(f.Name()); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove temporary file: %w", err)
	}
	return nil
}

// ctxWriter fails writes once ctx is done, so Ctrl-C stops a long run at
// its next buffer flush.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (w ctxWriter) Write(p []byte) (int, error) {
	if err := w.ctx.Err(); err != nil {
		return 0, err
	}
	return w.w.Write(p)
}
