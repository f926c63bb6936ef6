package offline

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Running returns the pid of the local Neo4j's launcher, or 0 when it is
// not running. For an installation it asks bin/neo4j status.
func (h Home) Running(ctx context.Context) (int, error) {
	if h.Installation {
		out, err := h.command(ctx, filepath.Join(h.Dir, "bin", "neo4j"), "status").CombinedOutput()
		if err != nil {
			return 0, nil // neo4j status exits non-zero when stopped
		}
		if _, after, ok := strings.Cut(string(out), "pid "); ok {
			pid, _ := strconv.Atoi(strings.TrimRight(strings.Fields(after)[0], ").,"))
			return max(pid, 1), nil
		}
		return 1, nil
	}
	raw, err := os.ReadFile(filepath.Join(h.Dir, "neo4j.pid"))
	if err != nil {
		return 0, nil
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(raw)))
	if err != nil || pid <= 0 {
		return 0, nil
	}
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil || !bytes.Contains(cmdline, []byte("Launcher.java")) {
		return 0, nil // a stale pid file
	}
	return pid, nil
}

// Stop stops Neo4j and waits up to timeout for it to end. It fails with
// ErrStillRunning, changing nothing, when Neo4j is still running then; it
// never kills it (a killed Neo4j's files would need recovery).
func (h Home) Stop(ctx context.Context, timeout time.Duration) error {
	pid, err := h.Running(ctx)
	if err != nil || pid == 0 {
		return err
	}
	if h.Installation {
		out, err := h.command(ctx, filepath.Join(h.Dir, "bin", "neo4j"), "stop").CombinedOutput()
		if err != nil {
			return fmt.Errorf("%w: bin/neo4j stop: %v: %s", ErrStillRunning, err, lastLine(out))
		}
		return nil
	}
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		return fmt.Errorf("%w (pid %d): %v; nothing was changed", ErrStillRunning, pid, err)
	}
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if syscall.Kill(pid, 0) != nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("%w: pid %d did not stop within %s of SIGTERM; nothing was changed (stop it, then run the command again)", ErrStillRunning, pid, timeout)
}

// Start starts Neo4j and waits until it answers (neo4j.sh up does; for an
// installation, bin/neo4j start returns at once and the caller's Bolt
// connection waits).
func (h Home) Start(ctx context.Context) error {
	var cmd *exec.Cmd
	if h.Installation {
		cmd = h.command(ctx, filepath.Join(h.Dir, "bin", "neo4j"), "start")
	} else {
		cmd = h.command(ctx, h.Script, "up")
	}
	out, err := cmd.CombinedOutput()
	if err != nil && !h.Installation {
		// neo4j.sh up fails when a step after the start does (marking the
		// test database has a 5 s limit, short on a busy machine); once
		// Neo4j runs, a second up only checks and marks.
		if pid, _ := h.Running(ctx); pid != 0 {
			out, err = h.command(ctx, h.Script, "up").CombinedOutput()
		}
	}
	if err != nil {
		return fmt.Errorf("start Neo4j: %v: %s", err, lastLine(out))
	}
	return nil
}

func (h Home) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = h.Env
	return cmd
}

func lastLine(out []byte) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
