package checkpoint

import (
	"bytes"
	"errors"
	"hash/crc32"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"
)

// TestPrefixExtend extends a prefix over an input in uneven steps, some
// longer than Extend's read buffer, and compares it with the CRC-32C of
// the whole prefix at each step; the record round-trips through the state
// file.
func TestPrefixExtend(t *testing.T) {
	input := make([]byte, 3*prefixChunk+123)
	for i := range input {
		input[i] = byte(i*7 + i/251)
	}
	r := bytes.NewReader(input)
	var p Prefix
	for _, offset := range []int64{0, 1, 10, prefixChunk - 1, 2*prefixChunk + 5, 2*prefixChunk + 5, int64(len(input))} {
		var err error
		if p, err = p.Extend(r, offset); err != nil {
			t.Fatalf("Extend to %d: %v", offset, err)
		}
		want := Prefix{Offset: offset, CRC32C: crc32.Checksum(input[:offset], crc32.MakeTable(crc32.Castagnoli))}
		if diff := cmp.Diff(want, p); diff != "" {
			t.Fatalf("prefix at %d (-want +got):\n%s", offset, diff)
		}
	}
	if back, err := p.Extend(r, 5); err != nil || back != p {
		t.Errorf("Extend backwards = %+v, %v; want the prefix unchanged", back, err)
	}

	db := mustOpen(t, func() string { path := tempState(t); create(t, path); return path }(), false)
	var got Prefix
	var ok bool
	db.View(func(tx *bolt.Tx) (err error) { _, ok, err = ReadPrefix(tx); return err })
	if ok {
		t.Fatal("a new state file has a prefix record")
	}
	update(t, db, func(tx *bolt.Tx) error { return WritePrefix(tx, p) })
	if err := db.View(func(tx *bolt.Tx) (err error) { got, ok, err = ReadPrefix(tx); return err }); err != nil || !ok {
		t.Fatalf("ReadPrefix: ok %v, %v", ok, err)
	}
	if diff := cmp.Diff(p, got); diff != "" {
		t.Errorf("prefix read back (-written +read):\n%s", diff)
	}
}

// TestPrefixExtendPastTheEnd fails when the input is shorter than the
// offset asked for (a file cut short since it was staged), naming the
// offset.
func TestPrefixExtendPastTheEnd(t *testing.T) {
	_, err := Prefix{}.Extend(bytes.NewReader([]byte("short")), 100)
	if !errors.Is(err, io.EOF) {
		t.Fatalf("Extend past the end: %v, want io.EOF", err)
	}
	if want := "checksum the input's first 100 bytes: EOF"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
}
