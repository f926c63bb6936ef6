package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/peterbourgon/ff/v3"
	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/learnergraph/importer/graphwrite"
	"github.com/learnergraph/importer/model"
	"github.com/learnergraph/importer/staging"
)

func newMappingCommand(rc *rootConfig) *ffcli.Command {
	fs := flag.NewFlagSet("importer mapping", flag.ContinueOnError)
	cmd := &ffcli.Command{
		Name:       "mapping",
		ShortUsage: "importer mapping check FILE | importer mapping init --input CSV",
		ShortHelp:  "check a mapping file, or propose one for a CSV",
		LongHelp: `A mapping file says how a CSV's columns become the graph: labels, keys,
relationship types, property types and the checks that reject a row (see
the README's "Mapping files"; the built-in one is learners.yaml).

  importer mapping check FILE        lists every mistake, each with FILE:LINE
  importer mapping init --input CSV  proposes a mapping from the header and a sample`,
		FlagSet:     fs,
		Subcommands: []*ffcli.Command{newMappingCheckCommand(rc), newMappingInitCommand(rc)},
		Exec: func(context.Context, []string) error {
			return usageError{errors.New("give a subcommand: check FILE or init --input CSV (see importer mapping -h)")}
		},
	}
	return cmd
}

func newMappingCheckCommand(rc *rootConfig) *ffcli.Command {
	fs := flag.NewFlagSet("importer mapping check", flag.ContinueOnError)
	explain := fs.Bool("neo4j", false, "also have Neo4j plan every report query (EXPLAIN, nothing runs): syntax, unknown functions and procedures, writes")
	var conn connFlags
	conn.register(fs, rc.getenv)
	return &ffcli.Command{
		Name:       "check",
		ShortUsage: "importer mapping check [--neo4j [connection flags]] FILE",
		ShortHelp:  "list every mistake in a mapping file, with its line",
		LongHelp: `Reads the mapping file and lists every mistake at once on stderr, one per
line as FILE:LINE: what is wrong (unknown field or column, duplicate label
or key, a relationship to an undeclared label, a bad type, a report query
whose Cypher writes or takes a parameter, ...), including what staging
cannot stage yet. Exit status 0 when there is none, else 2.

With --neo4j, Neo4j also plans every Cypher query the mapping declares for
the report (EXPLAIN in a read transaction: nothing runs, nothing changes)
and each one it cannot plan (a syntax error, an unknown function or
procedure) or plans as a write is listed as FILE: report query NAME: why.

Examples:
  importer mapping check learners.yaml
  importer mapping check --neo4j --uri neo4j://db.example:7687 people.yaml`,
		FlagSet: fs,
		Options: []ff.Option{ff.WithEnvVarPrefix("IMPORTER")},
		Exec: func(ctx context.Context, args []string) error {
			if len(args) != 1 {
				return usageError{errors.New("check: give exactly one mapping file (importer mapping check FILE)")}
			}
			m, err := readMapping(rc, args[0])
			if err != nil {
				return fmt.Errorf("check: %w", err)
			}
			if *explain {
				if err := explainReport(ctx, rc, &conn, args[0], m); err != nil {
					return fmt.Errorf("check: %w", err)
				}
			}
			if len(m.Files) > 0 {
				fmt.Fprintf(rc.stdout, "%s: ok: %d labels, %d relationship types, %d input files (sha256 %s)\n",
					args[0], len(m.Nodes), len(m.Rels), len(m.Files), m.Hash)
				return nil
			}
			fmt.Fprintf(rc.stdout, "%s: ok: %d labels, %d relationship types, %d entities per row, %d columns (sha256 %s)\n",
				args[0], len(m.Nodes), len(m.Rels), len(m.Entities), len(m.Columns), m.Hash)
			return nil
		},
	}
}

// readMapping reads, validates and compiles a mapping file. Its mistakes
// go to stderr, one line each; the error is one line that counts them.
func readMapping(rc *rootConfig, path string) (*model.Model, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read mapping: %w", err)
	}
	m, err := model.Parse(path, text)
	var errs *model.Errors
	if errors.As(err, &errs) {
		for _, e := range errs.List {
			fmt.Fprintln(rc.stderr, e.String())
		}
		return nil, usageError{fmt.Errorf("mapping %s: %d mistake(s), listed above", path, len(errs.List))}
	}
	if err != nil {
		return nil, err
	}
	if _, err := staging.Compile(m); err != nil {
		return nil, usageError{err}
	}
	return m, nil
}

// explainReport has Neo4j plan every Cypher query of the mapping's report
// and lists on stderr each one it cannot plan or plans as a write; the
// error counts them.
func explainReport(ctx context.Context, rc *rootConfig, conn *connFlags, path string, m *model.Model) error {
	cfg, err := conn.config(rc.getenv)
	if err != nil {
		return err
	}
	g, err := graphwrite.Connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer g.Close(context.Background())
	bad := 0
	for _, s := range m.Report {
		for _, q := range s.Queries {
			if q.Cypher == "" {
				continue // a components query: the report's own Cypher
			}
			problem, err := g.Explain(ctx, q.Cypher)
			if err != nil {
				return fmt.Errorf("plan report query %q: %w", q.Name, err)
			}
			if problem != "" {
				fmt.Fprintf(rc.stderr, "%s: report query %q: %s\n", path, q.Name, problem)
				bad++
			}
		}
	}
	if bad > 0 {
		return usageError{fmt.Errorf("mapping %s: Neo4j refuses %d report query(ies), listed above", path, bad)}
	}
	return nil
}

func newMappingInitCommand(rc *rootConfig) *ffcli.Command {
	fs := flag.NewFlagSet("importer mapping init", flag.ContinueOnError)
	input := fs.String("input", "", "CSV file to propose a mapping for "+requiredMark)
	key := fs.String("key", "", "column that identifies a row's node (default: the first column)")
	sample := fs.Int("sample-rows", 1000, "rows to read for the types")
	return &ffcli.Command{
		Name:       "init",
		ShortUsage: "importer mapping init --input CSV [--key COLUMN] [--sample-rows N] > mapping.yaml",
		ShortHelp:  "propose a mapping for a CSV from its header and a sample of rows",
		LongHelp: `Reads the CSV's header and its first --sample-rows rows and prints a mapping
file on stdout: one node label named after the file, keyed by --key, and a
property per column with the type its sampled values share (int, float,
bool, date, datetime, else string). Edit it — split columns into nodes of
their own, add relationships and checks — then run "importer mapping check"
on it.

Example:
  importer mapping init --input people.csv --key id > people.yaml`,
		FlagSet: fs,
		Options: []ff.Option{ff.WithEnvVarPrefix("IMPORTER")},
		Exec: func(_ context.Context, args []string) error {
			switch {
			case len(args) > 0:
				return usageError{fmt.Errorf("init: unexpected argument %q (this command takes only flags)", args[0])}
			case *input == "":
				return usageError{errors.New("init: --input is required")}
			case *sample < 1:
				return usageError{fmt.Errorf("init: --sample-rows must be positive, not %d", *sample)}
			}
			header, rows, err := sampleCSV(*input, *sample)
			if err != nil {
				return fmt.Errorf("init: %w", err)
			}
			text, err := model.Propose(*input, header, rows, *key)
			if err != nil {
				return usageError{fmt.Errorf("init: %w", err)}
			}
			_, err = rc.stdout.Write(text)
			return err
		},
	}
}

// sampleCSV reads the header and up to n rows of a CSV file.
func sampleCSV(path string, n int) ([]string, [][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("open input: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	header, err := r.Read()
	if err == io.EOF {
		return nil, nil, fmt.Errorf("%s is empty", path)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read header of %s: %w", path, err)
	}
	if len(header) > 0 {
		header[0] = trimBOM(header[0])
	}
	var rows [][]string
	for len(rows) < n {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		var parseErr *csv.ParseError
		if errors.As(err, &parseErr) {
			continue // a bad row tells nothing about types
		}
		if err != nil {
			return nil, nil, fmt.Errorf("read %s: %w", path, err)
		}
		rows = append(rows, rec)
	}
	return header, rows, nil
}

func trimBOM(s string) string {
	if len(s) >= 3 && s[:3] == "\xef\xbb\xbf" {
		return s[3:]
	}
	return s
}
