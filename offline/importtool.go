package offline

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// importDatabase is the name the tool imports into; the result replaces
// the target only once the import succeeded, so a failed import leaves the
// target as it was.
const importDatabase = "importer-offline"

// ImportOptions tune Import.
type ImportOptions struct {
	ExportDir string // holds the files and the args file (names relative to it)
	ArgsFile  string // name inside ExportDir
	Database  string // the database to replace
	Heap      string // the tool's JVM heap (local home), e.g. 2g
	OffHeap   string // --max-off-heap-memory, e.g. 2g
	// Phase is called with each import phase ("(2/4) Relationship import")
	// and its percentage as the tool reports them.
	Phase func(phase string, pct int)
}

// Files the import leaves in the export directory.
const (
	ReportFile = "import.report" // the tool's report of bad entries
	LogFile    = "import.log"    // the tool's output
)

var (
	// The tool's phases: "(2/4) Relationship import 2026-…" in its normal
	// output, "Relationships, started 2026-…" with --verbose (which the
	// importer uses, so that a failure's cause is in the output).
	phaseLine   = regexp.MustCompile(`^\((\d)/(\d)\) (.+?) \d{4}-\d\d-\d\d`)
	stepLine    = regexp.MustCompile(`^([A-Z][^,]*), started \d{4}-\d\d-\d\d`)
	percentLine = regexp.MustCompile(`\s(\d{1,3})% ∆`)
	causeLine   = regexp.MustCompile(`^Caused by: (?:[\w.$]+: )*(.+)$`)
)

// Import runs the bulk import of an export for the database Database of
// the stopped Neo4j at h into a scratch database; Swap then puts it in the
// target's place. It succeeds only when the tool did and reported no bad
// entry. On failure the error wraps ErrImportFailed and quotes the
// report's first lines (or the tool's last output lines), the scratch
// database is removed, and the target is untouched.
func (h Home) Import(ctx context.Context, opt ImportOptions) error {
	report := filepath.Join(opt.ExportDir, ReportFile)
	os.Remove(report)
	logf, err := os.Create(filepath.Join(opt.ExportDir, LogFile))
	if err != nil {
		return err
	}
	defer logf.Close()
	args := []string{"database", "import", "full", importDatabase, "--verbose", "--overwrite-destination",
		// Bad entries are skipped into the report rather than abort the
		// tool, so that the error can quote them; the scratch database is
		// then thrown away.
		"--skip-duplicate-nodes=true", "--skip-bad-relationships=true", "--bad-tolerance=1000",
		"--report-file=" + report, "--max-off-heap-memory=" + opt.OffHeap,
		"@" + filepath.Join(opt.ExportDir, opt.ArgsFile)}
	cmd, err := h.importCommand(ctx, opt.Heap, args)
	if err != nil {
		return err
	}
	cmd.Dir = opt.ExportDir
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	tail := &lineTail{n: 3}
	cmd.Stderr = io.MultiWriter(logf, tail)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("%w: start the import tool: %v", ErrImportFailed, err)
	}
	follow(io.TeeReader(out, logf), tail, opt.Phase)
	runErr := cmd.Wait()
	if runErr != nil {
		h.RemoveStore(importDatabase)
		return fmt.Errorf("%w (%v): %s; report %s: %s; the tool's output is in %s", ErrImportFailed, runErr, tail.cause(), report,
			firstLines(report, 3), logf.Name())
	}
	if lines := firstLines(report, 3); lines != "(empty)" {
		h.RemoveStore(importDatabase)
		return fmt.Errorf("%w: the tool reported bad entries in %s: %s", ErrImportFailed, report, lines)
	}
	return nil
}

// Imported reports whether the scratch database of Import is there.
func (h Home) Imported() bool { return h.HasStore(importDatabase) }

// importCommand is the tool's command line: bin/neo4j-admin of an
// installation, or the import tool on the local Neo4j's classpath, run
// with NEO4J_HOME and an empty NEO4J_CONF.
func (h Home) importCommand(ctx context.Context, heap string, args []string) (*exec.Cmd, error) {
	if h.Installation {
		cmd := h.command(ctx, filepath.Join(h.Dir, "bin", "neo4j-admin"), args...)
		cmd.Env = append(cmd.Env, "HEAP_SIZE="+heap)
		return cmd, nil
	}
	cp, err := os.ReadFile(filepath.Join(h.Dir, "classpath.txt"))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrHomeNotFound, err)
	}
	conf := filepath.Join(h.Dir, "conf")
	if err := os.MkdirAll(conf, 0o755); err != nil {
		return nil, err
	}
	java := append([]string{"-Xmx" + heap, "-cp", strings.TrimSpace(string(cp)), "org.neo4j.cli.AdminTool"}, args...)
	cmd := h.command(ctx, "java", java...)
	cmd.Env = append(cmd.Env, "NEO4J_HOME="+h.Dir, "NEO4J_CONF="+conf)
	return cmd, nil
}

// follow reads the tool's output, reporting phases and percentages.
func follow(r io.Reader, tail *lineTail, phase func(string, int)) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	current := ""
	for sc.Scan() {
		line := sc.Text()
		tail.add(line)
		if phase == nil {
			continue
		}
		if m := phaseLine.FindStringSubmatch(line); m != nil {
			current = "(" + m[1] + "/" + m[2] + ") " + m[3]
			phase(current, 0)
		} else if m := stepLine.FindStringSubmatch(line); m != nil {
			current = m[1]
			phase(current, 0)
		} else if m := percentLine.FindStringSubmatch(line); m != nil && current != "" {
			pct, _ := strconv.Atoi(m[1])
			phase(current, pct)
		}
	}
}

// lineTail keeps the last n non-blank lines of the tool's output, and
// the innermost "Caused by:" of a stack trace.
type lineTail struct {
	mu      sync.Mutex
	n       int
	lines   []string
	partial []byte
	cause1  string
}

func (t *lineTail) add(line string) {
	line = strings.TrimSpace(line)
	if line == "" {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if m := causeLine.FindStringSubmatch(line); m != nil {
		t.cause1 = m[1]
	}
	if strings.HasPrefix(line, "at ") || strings.HasPrefix(line, "...") {
		return
	}
	t.lines = append(t.lines, line)
	if len(t.lines) > t.n {
		t.lines = t.lines[1:]
	}
}

// Write takes the tool's stderr, line by line.
func (t *lineTail) Write(p []byte) (int, error) {
	t.partial = append(t.partial, p...)
	for {
		i := strings.IndexByte(string(t.partial), '\n')
		if i < 0 {
			return len(p), nil
		}
		t.add(string(t.partial[:i]))
		t.partial = t.partial[i+1:]
	}
}

// cause is the innermost cause the tool printed, else its last lines.
func (t *lineTail) cause() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.cause1 != "" {
		return t.cause1
	}
	return strings.Join(t.lines, " | ")
}

// firstLines returns the first n lines of a file joined on one line.
func firstLines(path string, n int) string {
	f, err := os.Open(path)
	if err != nil {
		return "(none)"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var lines []string
	for len(lines) < n && sc.Scan() {
		lines = append(lines, strings.TrimSpace(sc.Text()))
	}
	if len(lines) == 0 {
		return "(empty)"
	}
	return strings.Join(lines, " | ")
}
