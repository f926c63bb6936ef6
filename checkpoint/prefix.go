package checkpoint

import (
	"errors"
	"fmt"
	"hash/crc32"
	"io"

	bolt "go.etcd.io/bbolt"
)

// keyPrefix is the meta record of the staged prefix.
var keyPrefix = []byte("prefix")

// Prefix is a checksum of the input bytes staged so far: the CRC-32C of
// the input's first Offset bytes. Staging writes it with every stage mark
// (Offset is the mark's), so that a resume can tell an input that only
// grew, or changed past what was staged, from one whose staged part
// changed: the first continues with the rest of the file as it is now,
// the second must be staged again.
type Prefix struct {
	Offset int64  `json:"offset"`
	CRC32C uint32 `json:"crc32c"`
}

// ReadPrefix returns the staged prefix; ok is false for a state file
// staged before prefixes were recorded.
func ReadPrefix(tx *bolt.Tx) (p Prefix, ok bool, err error) {
	ok, err = getJSON(tx, keyPrefix, &p)
	return p, ok, err
}

// WritePrefix stores the staged prefix.
func WritePrefix(tx *bolt.Tx, p Prefix) error { return putJSON(tx, keyPrefix, p) }

// prefixChunk is how much of the input Extend reads at a time: it runs
// once per staging checkpoint, so its buffer is small (a MiB per batch
// showed as +2% of BenchmarkStage's bytes allocated).
const prefixChunk = 64 << 10

// Extend returns p extended over the bytes of f from p.Offset up to
// offset.
func (p Prefix) Extend(f io.ReaderAt, offset int64) (Prefix, error) {
	if offset <= p.Offset {
		return p, nil
	}
	buf := make([]byte, min(offset-p.Offset, prefixChunk))
	for p.Offset < offset {
		n, err := f.ReadAt(buf[:min(int64(len(buf)), offset-p.Offset)], p.Offset)
		p.CRC32C = crc32.Update(p.CRC32C, castagnoli, buf[:n])
		p.Offset += int64(n)
		if err != nil && !(errors.Is(err, io.EOF) && p.Offset == offset) {
			return p, fmt.Errorf("checksum the input's first %d bytes: %w", offset, err)
		}
	}
	return p, nil
}
