package export

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/learnergraph/importer/checkpoint"
)

// ArgsFileName is the name of the neo4j-admin @file an export writes into
// its directory. Its file names are relative to that directory, so the
// import tool must run there (the directory can be copied to a server).
const ArgsFileName = "import.args"

// ImportArgs returns the import tool's arguments for the exported units,
// one per line of the args file: the CSV dialect, the files to read in
// multiline mode, then one --nodes or --relationships per group, header
// file first.
//
// Multiline mode costs the import tool about 30% more CPU and its parallel
// reading (measured at 1.7M rows: 404 vs 289 CPU-seconds), so only the
// files whose rows have line breaks are listed, in the per-file form. That
// form's reader fails on a file larger than its 4 MiB buffer (see group),
// so when one such file is larger than MultilineSafeBytes, or its size was
// not recorded, multiline mode is turned on for the whole import instead.
func ImportArgs(plan checkpoint.ExportPlan, units []checkpoint.ExportUnit) []string {
	args := []string{
		"--array-delimiter=" + plan.ArrayDelimiter,
		"--id-type=" + plan.IDType,
	}
	args = append(args, multilineArgs(units)...)
	for _, u := range units {
		opt := "--nodes="
		if u.Kind == checkpoint.KindRelationships {
			opt = "--relationships="
		}
		for _, f := range u.Files {
			args = append(args, opt+u.Name+"="+f.Header+","+f.Data)
		}
	}
	return args
}

func multilineArgs(units []checkpoint.ExportUnit) []string {
	var files []string
	for _, u := range units {
		for _, f := range u.Files {
			if !f.Multiline {
				continue
			}
			if f.Bytes == 0 || f.Bytes > MultilineSafeBytes {
				return []string{"--multiline-fields=true"}
			}
			files = append(files, f.Data)
		}
	}
	if len(files) == 0 {
		return nil
	}
	return []string{"--multiline-fields-format=v2", "--multiline-fields=" + strings.Join(files, ",")}
}

// writeArgsFile writes the args file under a temporary name and renames it
// into place.
func writeArgsFile(dir string, plan checkpoint.ExportPlan, units []checkpoint.ExportUnit) error {
	var b strings.Builder
	for _, a := range ImportArgs(plan, units) {
		b.WriteString(quoteArg(a))
		b.WriteByte('\n')
	}
	path := filepath.Join(dir, ArgsFileName)
	if err := os.WriteFile(path+tmpSuffix, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(path+tmpSuffix, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// quoteArg quotes an argument for picocli's @file syntax when it holds a
// quote or a space (the --quote option does).
func quoteArg(a string) string {
	if !strings.ContainsAny(a, "\" '\\") {
		return a
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(a) + `"`
}

// Command is the shell command that bulk-imports the export in dir into
// database on a server with Neo4j installed (NEO4J_HOME/bin on PATH, Neo4j
// stopped, the database absent or empty). --bad-tolerance=0: the staged
// graph has no bad entries, so any is an error.
func Command(dir, database string) string {
	return "cd " + shellQuote(dir) + " && neo4j-admin database import full " + shellQuote(database) +
		" --bad-tolerance=0 --report-file=import.report @" + ArgsFileName
}

func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"\\$`!*?[]{}()<>|&;#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
