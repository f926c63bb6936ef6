package main

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"

	"github.com/learnergraph/importer/checkpoint"
)

// testBinary builds the importer once per test binary, for the tests that
// run it as a process.
var testBinary = struct {
	sync.Mutex
	path string
}{}

func importerBinary(t *testing.T) string {
	t.Helper()
	testBinary.Lock()
	defer testBinary.Unlock()
	if testBinary.path == "" {
		dir, err := os.MkdirTemp("", "importer-bin-")
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "importer")
		if out, err := exec.Command("go", "build", "-o", path, ".").CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
		testBinary.path = path
	}
	return testBinary.path
}

// checksums maps every file name in dir to its SHA-256.
func checksums(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	sums := map[string]string{}
	for _, e := range entries {
		f, err := os.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		sums[e.Name()] = hex.EncodeToString(h.Sum(nil))
	}
	return sums
}

func copyState(t *testing.T, src string) string {
	t.Helper()
	raw, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(dst, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestExportKilledThenResumed SIGKILLs a real `importer export` process
// once some of its files are complete, resumes it, and compares every file
// with an uninterrupted export of the same state: byte-identical, and the
// files completed before the kill were not written again.
func TestExportKilledThenResumed(t *testing.T) {
	state := stagedState(t, 60000)
	reference := copyState(t, state)
	refDir := filepath.Join(t.TempDir(), "ref")
	if code, _, stderr := runCmd(t, "", "export", "--state", reference, "--out", refDir, "--gzip"); code != exitOK {
		t.Fatalf("reference export: %d %s", code, stderr)
	}

	// The export must not finish before it is killed, however fast the
	// machine: the temporary file of its largest relationship file is a
	// FIFO nobody reads, so with one worker the export stops there (its
	// writes block once the pipe is full) after every node part is done.
	dir := filepath.Join(t.TempDir(), "out")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	fifo := blockingFile(t, refDir, dir)
	cmd := exec.Command(importerBinary(t), "export", "--state", state, "--out", dir, "--gzip", "--export-workers", "1")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	if !waitForUnitDone(state, done) {
		t.Fatalf("the export ended before it recorded a finished part: %s", stderr.String())
	}
	cmd.Process.Signal(syscall.SIGKILL)
	<-done
	before := recordedFiles(t, state, dir)
	if err := os.Remove(fifo); err != nil {
		t.Fatal(err)
	}

	code, _, errOut := runCmd(t, "", "resume", "--state", state)
	if code != exitOK || !strings.Contains(errOut, "resuming the export") {
		t.Fatalf("resume: %d %s", code, errOut)
	}
	if diff := cmp.Diff(checksums(t, refDir), checksums(t, dir)); diff != "" {
		t.Errorf("files after kill and resume differ from an uninterrupted export (-want +got):\n%s", diff)
	}
	for name, info := range before {
		now, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !os.SameFile(info, now) || !now.ModTime().Equal(info.ModTime()) {
			t.Errorf("%s, complete before the kill, was written again", name)
		}
	}
	code, stdout, _ := runCmd(t, "", "status", "--state", state)
	if code != exitOK || !strings.Contains(stdout, "export: done, 50 of 50 parts") {
		t.Errorf("status after the export: %d\n%s", code, stdout)
	}
}

// blockingFile makes a FIFO in dir where the export will write the
// largest relationship data file of the reference export in refDir under
// its temporary name, and returns its path. The export opens it read-write
// (so it never waits for a reader) and its writes block once the pipe
// holds 64 KiB (Linux's default capacity): the file must be well over it.
func blockingFile(t *testing.T, refDir, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(refDir)
	if err != nil {
		t.Fatal(err)
	}
	var name string
	var size int64
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(e.Name(), checkpoint.KindRelationships) && !strings.Contains(e.Name(), "header") && info.Size() > size {
			name, size = e.Name(), info.Size()
		}
	}
	if size <= 4*64<<10 {
		t.Fatalf("the largest relationship file of the reference export, %q, has %d bytes: too few to fill a pipe", name, size)
	}
	path := filepath.Join(dir, name+".tmp")
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// waitForUnitDone waits until the export's progress snapshot reports a
// finished part while the export is still running; false when the process
// ended first.
func waitForUnitDone(state string, done chan error) bool {
	for {
		select {
		case err := <-done:
			done <- err
			return false
		default:
		}
		snap, err := checkpoint.ReadSnapshot(state)
		if e := snap.Status.Export; err == nil && e != nil && e.UnitsDone >= 1 && !e.Done {
			return true
		}
		time.Sleep(time.Millisecond)
	}
}

// recordedFiles returns the files of the parts the state file records as
// exported.
func recordedFiles(t *testing.T, state, dir string) map[string]os.FileInfo {
	t.Helper()
	files := map[string]os.FileInfo{}
	withState(t, state, func(tx *bolt.Tx) error {
		units, err := checkpoint.ReadExportUnits(tx)
		for _, u := range units {
			for _, f := range u.Files {
				for _, name := range []string{f.Header, f.Data} {
					info, err := os.Stat(filepath.Join(dir, name))
					if err != nil {
						return err
					}
					files[name] = info
				}
			}
		}
		return err
	})
	if len(files) == 0 {
		t.Fatal("no part recorded as exported at the kill")
	}
	return files
}

func TestExportUsageErrors(t *testing.T) {
	state := stagedState(t, 50)
	cases := [][]string{
		{"export", "--state", state, "--array-delimiter", ","},
		{"export", "--state", state, "--array-delimiter", "ab"},
		{"export", "--state", filepath.Join(t.TempDir(), "missing.db")},
		{"export", "--state", state, "extra"},
	}
	for _, args := range cases {
		code, _, stderr := runCmd(t, "", args...)
		if code != exitUsage || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%q: exit %d, stderr %q; want exit %d and one line", args, code, stderr, exitUsage)
		}
	}
}

// TestExportDiskFull exports into a 1 MiB tmpfs: one line, a non-zero exit,
// no temporary file left behind, the state file still usable; and
// load --offline, whose export meets the full disk, changes nothing. It
// needs root (mount); elsewhere it skips.
func TestExportDiskFull(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs here (needs root): %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	state := stagedState(t, 5000)
	code, _, stderr := runCmd(t, "", "export", "--state", state, "--out", dir)
	if code != exitFailure || !oneError(stderr, "export: ") || !strings.Contains(stderr, "no space left on device") {
		t.Fatalf("export into a full disk: exit %d, stderr %q", code, stderr)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
	code, stdout, _ := runCmd(t, "", "status", "--state", state)
	if code != exitOK || !strings.Contains(stdout, "export: in progress") {
		t.Errorf("status after the failed export: %d\n%s", code, stdout)
	}

	// load --offline exports first: the full disk stops it there, before
	// Neo4j is stopped or its store touched (a home whose "Neo4j" is not
	// running, with a store that must survive).
	home := fakeHome(t)
	code, _, stderr = runCmd(t, "", "load", "--offline", "--state", state, "--out", dir, "--neo4j-home", home, "--overwrite-destination")
	if code != exitFailure || !oneError(stderr, "load: ") || !strings.Contains(stderr, "no space left on device") || strings.Contains(stderr, "stopping Neo4j") {
		t.Errorf("load --offline with the export into a full disk: exit %d, stderr %q", code, stderr)
	}
	if got, err := os.ReadFile(filepath.Join(home, "data", "databases", "neo4j", "neostore")); err != nil || string(got) != "precious" {
		t.Errorf("the target store was touched: %q %v", got, err)
	}
}
