package checkpoint

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"hash/fnv"
	"io"
	"os"
	"runtime/debug"
	"syscall"
	"time"
)

// DamagedError says that the state file at Path is damaged, and why. It
// matches ErrDamaged (errors.Is).
type DamagedError struct {
	Path   string
	Detail string
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("state file %s is damaged: %s; stage again with --overwrite", e.Path, e.Detail)
}

// Is makes errors.Is(err, ErrDamaged) hold.
func (e *DamagedError) Is(target error) bool { return target == ErrDamaged }

// Damaged returns err, which wraps ErrDamaged, as a *DamagedError for the
// state file at path (unchanged if it is one already).
func Damaged(path string, err error) error {
	var d *DamagedError
	if errors.As(err, &d) {
		return err
	}
	return &DamagedError{Path: path, Detail: err.Error()}
}

// Guard runs fn, which reads or writes the state file at path, so that
// damage bbolt trips over — a memory fault on a page past the end of the
// file, a panic on a page that is not what its parent says — comes back as
// a *DamagedError instead of a crash, and so does an error fn returns that
// wraps ErrDamaged. It holds for the calling goroutine only: every
// goroutine that reads the state file must run its reads under Guard.
func Guard(path string, fn func() error) (err error) {
	old := debug.SetPanicOnFault(true)
	defer func() {
		debug.SetPanicOnFault(old)
		if r := recover(); r != nil {
			err = &DamagedError{Path: path, Detail: fmt.Sprintf("reading it failed (%v)", r)}
		} else if errors.Is(err, ErrDamaged) {
			err = Damaged(path, err)
		}
	}()
	return fn()
}

// castagnoli is the CRC-32C table (hardware-accelerated on amd64 and arm64).
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Seal appends the checksum of b to b: its CRC-32C, 4 bytes big-endian.
// Every value the importer stores in the state file is sealed.
func Seal(b []byte) []byte { return SealFrom(b, 0) }

// SealFrom appends the checksum of b[start:], a value that starts there.
func SealFrom(b []byte, start int) []byte {
	return binary.BigEndian.AppendUint32(b, crc32.Checksum(b[start:], castagnoli))
}

// damage is an error that matches ErrDamaged without repeating its text.
type damage string

func (d damage) Error() string        { return string(d) }
func (d damage) Is(target error) bool { return target == ErrDamaged }

// Unseal checks the checksum Seal appended and returns the value without
// it. The error wraps ErrDamaged.
func Unseal(b []byte) ([]byte, error) {
	if len(b) < 4 {
		return nil, damage(fmt.Sprintf("a stored value of %d bytes has no checksum", len(b)))
	}
	body := b[:len(b)-4]
	if crc32.Checksum(body, castagnoli) != binary.BigEndian.Uint32(b[len(b)-4:]) {
		return nil, damage("a stored value fails its checksum")
	}
	return body, nil
}

// bbolt's on-disk meta page (go.etcd.io/bbolt/internal/common), in the
// machine's byte order (little-endian on every platform we build for): a
// 16-byte page header, then magic, version, page size, flags (4 bytes
// each), root bucket (16), freelist page, high-water mark page, txid and
// an FNV-64a checksum of the bytes before it (8 each).
const (
	boltMagic      = 0xED0CDAED
	boltVersion    = 2
	metaOffset     = 16
	metaPgidAt     = metaOffset + 40
	metaTxidAt     = metaOffset + 48
	metaChecksumAt = metaOffset + 56
	metaEnd        = metaOffset + 64
)

type boltMeta struct {
	valid, magic   bool
	pageSize, pgid uint64
	root, txid     uint64
}

func parseMeta(p []byte) boltMeta {
	var m boltMeta
	if len(p) < metaEnd {
		return m
	}
	le := binary.LittleEndian
	m.magic = le.Uint32(p[metaOffset:]) == boltMagic
	h := fnv.New64a()
	h.Write(p[metaOffset:metaChecksumAt])
	m.valid = m.magic && le.Uint32(p[metaOffset+4:]) == boltVersion && h.Sum64() == le.Uint64(p[metaChecksumAt:])
	m.pageSize = uint64(le.Uint32(p[metaOffset+8:]))
	m.root = le.Uint64(p[metaOffset+16:])
	m.pgid = le.Uint64(p[metaPgidAt:])
	m.txid = le.Uint64(p[metaTxidAt:])
	return m
}

// checkFile finds damage before bbolt maps the file: meta pages that
// fail their checksum, a file shorter than the pages its meta page says it
// has (a truncated file, which would fault on the first read of a page
// past its end), and a damaged page tree (see checkPages). A file that is
// not a bbolt file at all is left to bbolt to refuse.
//
// The page tree is walked for every open, read-only ones included: a
// damaged page header can hide a bucket's entries from a reader as well
// as from a writer, and status, rejects and verify would then report
// less than was staged, silently. The walk holds a shared lock on the
// file, so it never reads a file another importer is writing (that is
// ErrInUse, as bbolt's own lock would say).
func checkFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close() // releases the lock
	if err := lockShared(f, path); err != nil {
		return err
	}
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	size := info.Size()
	if size == 0 { // bbolt would initialise an empty file
		return fmt.Errorf("open %s: %w: the file is empty", path, ErrVersion)
	}
	read := func(off int64) []byte {
		p := make([]byte, metaEnd)
		if _, err := f.ReadAt(p, off); err != nil && err != io.EOF {
			return nil
		}
		return p
	}
	m0 := parseMeta(read(0))
	pageSize := int64(os.Getpagesize())
	if m0.valid {
		pageSize = int64(m0.pageSize)
	}
	m1 := parseMeta(read(pageSize))
	if !m0.magic && !m1.magic {
		return nil
	}
	m := m0
	if m1.valid && (!m0.valid || m1.txid > m0.txid) {
		m = m1
	}
	if !m.valid {
		return &DamagedError{Path: path, Detail: "both bbolt meta pages fail their checksum"}
	}
	if end := int64(m.pgid) * int64(m.pageSize); size < end {
		return &DamagedError{Path: path, Detail: fmt.Sprintf("it is %d bytes, but its pages reach %d bytes (truncated?)", size, end)}
	}
	return checkPages(f, path, m, m.root)
}

// lockShared takes a shared lock on f, released when f is closed: no
// importer writes the file while it is held (a writer holds bbolt's
// exclusive lock). It waits up to lockTimeout, as bbolt's open does.
func lockShared(f *os.File, path string) error {
	deadline := time.Now().Add(lockTimeout)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB)
		switch {
		case err == nil:
			return nil
		case !errors.Is(err, syscall.EWOULDBLOCK):
			return fmt.Errorf("lock %s: %w", path, err)
		case time.Now().After(deadline):
			return fmt.Errorf("open %s: %w%s", path, ErrInUse, holderHint(path))
		}
		time.Sleep(lockRetry)
	}
}

// lockRetry is how often lockShared tries again, as bbolt's flock does.
const lockRetry = 50 * time.Millisecond
