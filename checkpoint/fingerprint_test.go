package checkpoint

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestFingerprint(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "in.csv")
	content := make([]byte, headBytes+100)
	for i := range content {
		content[i] = byte('a' + i%26)
	}
	mtime := time.Date(2024, 1, 2, 3, 4, 5, 6000, time.UTC)
	write := func(b []byte) Fingerprint {
		t.Helper()
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, mtime, mtime); err != nil {
			t.Fatal(err)
		}
		fp, err := fingerprintFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return fp
	}
	base := write(content)
	sum := sha256.Sum256(content[:headBytes])
	want := Fingerprint{Size: int64(len(content)), ModTime: mtime.UnixNano(), Head: hex.EncodeToString(sum[:])}
	if diff := cmp.Diff(want, base); diff != "" {
		t.Errorf("fingerprint (-want +got):\n%s", diff)
	}
	if again := write(content); again != base {
		t.Errorf("same file, other fingerprint: %+v vs %+v", again, base)
	}

	changed := append([]byte(nil), content...)
	changed[10] = '!'
	if fp := write(changed); fp.Head == base.Head || fp.Size != base.Size || fp.ModTime != base.ModTime {
		t.Errorf("a byte changed in the first MiB: %+v vs %+v", fp, base)
	}
	// Documented limit: past the first MiB only size and time tell.
	changed = append([]byte(nil), content...)
	changed[headBytes+10] = '!'
	if fp := write(changed); fp != base {
		t.Errorf("a byte changed after the first MiB, same size and time: %+v, want %+v", fp, base)
	}
	if fp := write(append(content, '\n')); fp.Size == base.Size {
		t.Errorf("a byte appended: size %d", fp.Size)
	}
	mtime = mtime.Add(time.Second)
	if fp := write(content); fp.ModTime == base.ModTime || fp.Head != base.Head {
		t.Errorf("touched: %+v vs %+v", fp, base)
	}

	empty := sha256.Sum256(nil)
	if fp := write(nil); fp.Size != 0 || fp.Head != hex.EncodeToString(empty[:]) {
		t.Errorf("empty file: %+v", fp)
	}
	if _, err := fingerprintFile(dir); err == nil {
		t.Error("a directory: no error")
	}
}

func fingerprintFile(path string) (Fingerprint, error) {
	f, err := os.Open(path)
	if err != nil {
		return Fingerprint{}, err
	}
	defer f.Close()
	return FingerprintOf(f)
}
