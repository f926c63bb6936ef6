package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"
)

// damageRun is what one command did with a state file.
type damageRun struct {
	code           int
	stdout, stderr string
	files          map[string]string // export: file name -> SHA-256
}

// runOnState runs `importer <args> --state path` (export into dir/out).
func runOnState(t *testing.T, bin, dir, path string, args ...string) damageRun {
	t.Helper()
	out := filepath.Join(dir, "out")
	os.RemoveAll(out)
	args = append(args, "--state", path)
	if args[0] == "export" {
		args = append(args, "--out", out, "--export-workers", "1")
	}
	cmd := exec.Command(bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := damageRun{stdout: stdout.String(), stderr: stderr.String()}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		r.code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if args[0] == "export" && r.code == 0 {
		r.files = checksums(t, out)
	}
	return r
}

// TestDamagedStateFile truncates a staged state file at several offsets and
// flips bytes of its meta and data pages, then runs the commands that read
// it without Neo4j (status, rejects, and export, which reads every staged
// node and relationship through staging.ReadNodes/ReadRels). Each must give
// the undamaged file's exact result, or one line "state file X is damaged:
// …; stage again with --overwrite" and exit status 4: never a crash, a
// stack dump, or a changed value.
func TestDamagedStateFile(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the importer a few hundred times")
	}
	bin := importerBinary(t)
	dir := t.TempDir()
	csv, good := filepath.Join(dir, "learners.csv"), filepath.Join(dir, "good.db")
	for _, args := range [][]string{
		{"gen", "--rows", "400", "--seed", "3", "--out", csv},
		{"stage", "--input", csv, "--state", good, "--batch-rows", "50"},
	} {
		if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
			t.Fatalf("importer %s: %v\n%s", args[0], err, out)
		}
	}
	raw, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	hwm := highWaterMark(t, good)
	path := filepath.Join(dir, "import.db")
	commands := [][]string{{"status", "--json"}, {"rejects"}, {"export"}}
	want := map[string]damageRun{}
	for _, c := range commands {
		if err := os.WriteFile(path, raw, 0o644); err != nil {
			t.Fatal(err)
		}
		want[c[0]] = runOnState(t, bin, dir, path, c...)
		if want[c[0]].code != 0 {
			t.Fatalf("%s of the undamaged file: %+v", c[0], want[c[0]])
		}
	}

	type variant struct {
		name string
		data []byte
		meta bool // a meta page: bbolt may fall back to the previous transaction
	}
	var variants []variant
	for _, n := range []int64{4096, 8192, 8192 + 100, hwm / 2, hwm - 4096, hwm - 1, hwm + 4096} {
		variants = append(variants, variant{name: fmt.Sprintf("truncated to %d bytes", n), data: raw[:n]})
	}
	flip := func(off int64) []byte {
		b := append([]byte(nil), raw...)
		b[off] ^= 0x5a
		return b
	}
	for _, off := range []int64{16, 16 + 40, 16 + 48, 4096 + 16, 4096 + 16 + 40, 4096 + 16 + 48} {
		variants = append(variants, variant{name: fmt.Sprintf("meta byte %d flipped", off), data: flip(off), meta: true})
	}
	pages := hwm / 4096
	for p := int64(2); p < pages; p += max(1, pages/14) {
		for _, in := range []int64{0, 8, 10, 12, 16, 21, 200, 1500, 4000} {
			variants = append(variants, variant{name: fmt.Sprintf("page %d byte %d flipped", p, in), data: flip(p*4096 + in)})
		}
	}
	damaged := 0
	for _, v := range variants {
		for _, c := range commands {
			if err := os.WriteFile(path, v.data, 0o644); err != nil {
				t.Fatal(err)
			}
			got := runOnState(t, bin, dir, path, c...)
			for _, bad := range []string{"panic", "goroutine ", "fatal error", "SIGBUS", "SIGSEGV"} {
				if strings.Contains(got.stderr, bad) {
					t.Fatalf("%s, %s: crashed (exit %d):\n%s", v.name, c[0], got.code, got.stderr)
				}
			}
			if got.code == 4 {
				damaged++
				// The error is the last line (export's progress lines may come
				// before it) and the only one that says so.
				lines := strings.Split(strings.TrimSuffix(got.stderr, "\n"), "\n")
				last := lines[len(lines)-1]
				prefix := "importer: " + c[0] + ": state file " + path + " is damaged: "
				if !strings.HasPrefix(last, prefix) || !strings.HasSuffix(last, "; stage again with --overwrite") ||
					strings.Count(got.stderr, "damaged") != 1 {
					t.Errorf("%s, %s: exit 4 with stderr %q, want one line %q…", v.name, c[0], got.stderr, prefix)
				}
				continue
			}
			if v.meta && (got.code == 0 || got.code == 2 && strings.Count(got.stderr, "\n") == 1) {
				// bbolt reads the previous transaction's meta page, as after a
				// torn meta write: an earlier checkpoint (export then refuses a
				// file that is not fully staged, exit 2).
				continue
			}
			w := want[c[0]]
			if got.code != w.code || got.stdout != w.stdout || !cmp.Equal(got.files, w.files) {
				t.Errorf("%s, %s: exit %d, stderr %q; want the undamaged result or exit 4 (stdout diff -want +got:\n%s)",
					v.name, c[0], got.code, got.stderr, cmp.Diff(w.stdout, got.stdout))
			}
		}
	}
	t.Logf("%d variants × %d commands: %d said damaged, the others gave the undamaged result", len(variants), len(commands), damaged)
}

// highWaterMark is the size of the pages a bbolt file uses.
func highWaterMark(t *testing.T, path string) int64 {
	t.Helper()
	db, err := bolt.Open(path, 0o644, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var size int64
	db.View(func(tx *bolt.Tx) error { size = tx.Size(); return nil })
	return size
}

// readOnlyCommands are the commands that open the state file read-only
// (verify against an address where no Neo4j listens: it opens the state
// file first, so a damaged file must be named before any connection).
var readOnlyCommands = [][]string{
	{"status"}, {"status", "--json"}, {"rejects"}, {"rejects", "--limit", "100000"},
	{"verify", "--uri", "bolt://127.0.0.1:1"},
}

// runInProcess runs `importer <args> --state path` in this process and
// returns what it printed and its exit status.
func runInProcess(path string, args ...string) damageRun {
	var stdout, stderr bytes.Buffer
	args = append(append([]string(nil), args...), "--state", path)
	err := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr, func(string) string { return "" })
	code := exitCode(err, &stderr)
	return damageRun{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// TestDamagedPageHeadersReadOnly flips every byte of every page header of
// a staged state file, one at a time, and runs every command that opens
// the state file read-only. A flipped header byte (a leaf's element count,
// its flags, its overflow) can make bbolt skip entries without any error:
// each command must give the undamaged file's exact output, or exit 4
// with the one line that says the file is damaged.
func TestDamagedPageHeadersReadOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the read-only commands some thousands of times")
	}
	dir := t.TempDir()
	csv, path := filepath.Join(dir, "learners.csv"), filepath.Join(dir, "import.db")
	for _, args := range [][]string{
		{"gen", "--rows", "200", "--seed", "5", "--bad-rate", "0.2", "--out", csv},
		{"stage", "--input", csv, "--batch-rows", "40", "--state", path},
	} {
		var out bytes.Buffer
		if err := run(context.Background(), args, strings.NewReader(""), &out, &out, func(string) string { return "" }); err != nil {
			t.Fatalf("importer %s: %v\n%s", args[0], err, out.String())
		}
	}
	want := map[string]damageRun{}
	for _, c := range readOnlyCommands {
		w := runInProcess(path, c...)
		if w.code != 0 && c[0] != "verify" {
			t.Fatalf("%s of the undamaged file: %+v", c, w)
		}
		want[strings.Join(c, " ")] = w
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pages := highWaterMark(t, path) / 4096
	// change applies a damage to the two bytes at off and returns the
	// function that undoes it.
	change := func(off int64, damage func(b []byte)) (undo func()) {
		b := make([]byte, 2)
		if _, err := f.ReadAt(b, off); err != nil {
			t.Fatal(err)
		}
		old := append([]byte(nil), b...)
		damage(b)
		if _, err := f.WriteAt(b, off); err != nil {
			t.Fatal(err)
		}
		return func() {
			if _, err := f.WriteAt(old, off); err != nil {
				t.Fatal(err)
			}
		}
	}
	damaged, runs := 0, 0
	check := func(what string) {
		for _, c := range readOnlyCommands {
			runs++
			name := strings.Join(c, " ")
			got := runInProcess(path, c...)
			if got.code == 4 {
				damaged++
				prefix := "importer: " + c[0] + ": state file " + path + " is damaged: "
				if !strings.HasPrefix(got.stderr, prefix) || strings.Count(got.stderr, "\n") != 1 || got.stdout != "" && c[0] != "rejects" {
					t.Errorf("%s, %s: exit 4 with stderr %q, want one line %q…", what, name, got.stderr, prefix)
				}
				continue
			}
			if w := want[name]; got.code != w.code || got.stdout != w.stdout {
				t.Errorf("%s, %s: exit %d, stderr %q; want the undamaged result or exit 4 (stdout diff -want +got:\n%s)",
					what, name, got.code, got.stderr, cmp.Diff(w.stdout, got.stdout))
			}
		}
	}
	for p := int64(2); p < pages; p++ {
		for in := int64(0); in < 16; in++ {
			undo := change(p*4096+in, func(b []byte) { b[0] ^= 0x5a })
			check(fmt.Sprintf("page %d byte %d flipped", p, in))
			undo()
		}
		// One element fewer in the page's header: for a leaf, one entry
		// silently gone from what bbolt reads.
		undo := change(p*4096+10, func(b []byte) {
			if n := binary.LittleEndian.Uint16(b); n > 0 {
				binary.LittleEndian.PutUint16(b, n-1)
			}
		})
		check(fmt.Sprintf("page %d count less one", p))
		undo()
	}
	t.Logf("%d pages × 17 header damages × %d commands: %d runs said damaged, the others gave the undamaged result", pages-2, len(readOnlyCommands), damaged)
	if runs == 0 || damaged == 0 {
		t.Fatalf("no damage found in %d runs", runs)
	}
}
