package offline

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

var (
	// ErrHomeNotFound is returned by Find for a directory that is neither a
	// Neo4j installation nor the repo's local Neo4j.
	ErrHomeNotFound = errors.New("Neo4j home not found")
	// ErrStillRunning is returned when Neo4j does not stop; nothing was
	// changed.
	ErrStillRunning = errors.New("Neo4j is still running")
	// ErrImportFailed is returned when the import tool fails or reports bad
	// entries; the target database was not touched.
	ErrImportFailed = errors.New("bulk import failed")
)

// Home is a Neo4j whose files are on this machine: either an installation
// (bin/neo4j-admin, bin/neo4j) or the repo's local embedded Neo4j
// (neo4j/neo4j.sh, whose home holds classpath.txt and neo4j.pid).
type Home struct {
	Dir          string // absolute
	Installation bool
	// Script is neo4j/neo4j.sh of the repo whose local Neo4j this is.
	Script string
	// Env is the environment of the processes Home starts (the tool,
	// neo4j.sh); NEO4J_HOME_DIR is set to Dir for neo4j.sh.
	Env []string
}

// Find returns the Neo4j home at dir.
func Find(dir string, env []string) (Home, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Home{}, err
	}
	h := Home{Dir: abs, Env: env}
	if isFile(filepath.Join(abs, "bin", "neo4j-admin")) {
		h.Installation = true
		return h, nil
	}
	if !isFile(filepath.Join(abs, "classpath.txt")) {
		return Home{}, fmt.Errorf("%w at %s: neither an installation (bin/neo4j-admin) nor the repo's local Neo4j (classpath.txt; run make neo4j-up once)", ErrHomeNotFound, abs)
	}
	for _, s := range []string{filepath.Join(filepath.Dir(abs), "neo4j", "neo4j.sh"), filepath.Join("neo4j", "neo4j.sh")} {
		if isFile(s) {
			h.Script, _ = filepath.Abs(s)
			break
		}
	}
	if h.Script == "" {
		return Home{}, fmt.Errorf("%w: no neo4j/neo4j.sh next to %s to start the local Neo4j with", ErrHomeNotFound, abs)
	}
	h.Env = append(append([]string(nil), env...), "NEO4J_HOME_DIR="+abs)
	if !hasVar(env, "NEO4J_START_TIMEOUT") {
		// neo4j.sh's 180 s is too short for a restart on a busy machine,
		// and a start that gives up leaves the imported database offline.
		h.Env = append(h.Env, "NEO4J_START_TIMEOUT=900")
	}
	return h, nil
}

func hasVar(env []string, name string) bool {
	for _, kv := range env {
		if strings.HasPrefix(kv, name+"=") {
			return true
		}
	}
	return false
}

func isFile(path string) bool {
	info, err := os.Stat(path)
	return err == nil && !info.IsDir()
}

// DataDir is the directory holding databases/ and transactions/: the
// installation's server.directories.data when conf/neo4j.conf sets it,
// else DIR/data.
func (h Home) DataDir() string {
	if h.Installation {
		if d := confValue(filepath.Join(h.Dir, "conf", "neo4j.conf"), "server.directories.data"); d != "" {
			if !filepath.IsAbs(d) {
				d = filepath.Join(h.Dir, d)
			}
			return d
		}
	}
	return filepath.Join(h.Dir, "data")
}

func confValue(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	val := ""
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), "=")
		if ok && strings.TrimSpace(k) == key {
			val = strings.TrimSpace(v)
		}
	}
	return val
}

// StoreDirs are the directories of database's store and transaction logs.
func (h Home) StoreDirs(database string) []string {
	return []string{
		filepath.Join(h.DataDir(), "databases", database),
		filepath.Join(h.DataDir(), "transactions", database),
	}
}

// HasStore reports whether database has store files.
func (h Home) HasStore(database string) bool {
	_, err := os.Stat(filepath.Join(h.StoreDirs(database)[0], "neostore"))
	return err == nil
}

// RemoveStore deletes database's store and transaction logs. Neo4j must
// be stopped.
func (h Home) RemoveStore(database string) error {
	for _, d := range h.StoreDirs(database) {
		if err := os.RemoveAll(d); err != nil {
			return fmt.Errorf("remove %s: %w", d, err)
		}
	}
	return nil
}

// Swap moves the store and transaction logs of Import's scratch database
// into database's place, each old directory aside first and then deleted.
// Neo4j must be stopped. It can be run again after an interruption at any
// instant: a directory whose scratch copy is gone has been moved already.
func (h Home) Swap(database string) error {
	src, dst := h.StoreDirs(importDatabase), h.StoreDirs(database)
	for i := range dst {
		old := dst[i] + ".importer-old"
		if _, err := os.Stat(src[i]); err == nil {
			if err := os.RemoveAll(old); err != nil {
				return err
			}
			if err := os.Rename(dst[i], old); err != nil && !errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("move old store aside: %w", err)
			}
			if err := os.Rename(src[i], dst[i]); err != nil {
				return fmt.Errorf("move imported store into place: %w", err)
			}
		}
		if err := os.RemoveAll(old); err != nil {
			return fmt.Errorf("remove old store: %w", err)
		}
	}
	return nil
}
