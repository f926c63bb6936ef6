package checkpoint

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
)

// bbolt's page layout (go.etcd.io/bbolt/internal/common), in the machine's
// byte order: a 16-byte header (id 8, flags 2, count 2, overflow 4), then
// count 16-byte elements. A branch element is (pos 4, ksize 4, pgid 8), a
// leaf element (flags 4, pos 4, ksize 4, vsize 4); pos counts from the
// element itself. A bucket's value starts with its root page id (8) and
// sequence (8); root 0 means an inline bucket, whose page follows.
const (
	pageHeaderSize  = 16
	elementSize     = 16
	branchPageFlag  = 0x01
	leafPageFlag    = 0x02
	bucketLeafFlag  = 0x01
	bucketValueSize = 16
)

// pageWalk checks the page tree of a bbolt file with plain reads, before
// bbolt maps it.
type pageWalk struct {
	f        *os.File
	path     string
	pageSize uint64
	hwm      uint64 // pages in use: ids below it
	seen     map[uint64]bool
	entries  map[string]int64 // top-level bucket -> key/value pairs found
	meta     map[string][]byte
}

// checkPages walks every bucket's pages from the root bucket's root page,
// as bbolt's freelist rebuild does on the first write after opening a file
// whose freelist is not synced (NoFreelistSync). That rebuild panics in a
// goroutine of its own — a crash nothing can recover — on a page reached
// twice or past the high-water mark, so damage of that kind must be found
// first. It also refuses a page that is not a branch or leaf, a page whose
// header names another page, and elements outside their page.
func checkPages(f *os.File, path string, m boltMeta, root uint64) error {
	w := &pageWalk{f: f, path: path, pageSize: m.pageSize, hwm: m.pgid, seen: map[uint64]bool{},
		entries: map[string]int64{}, meta: map[string][]byte{}}
	if _, err := w.tree(root, nil, nil, nil, ""); err != nil {
		return err
	}
	return w.checkEntries()
}

// checkEntries compares the entries found in each top-level bucket with
// the record of them the writer keeps (WriteEntries): a damaged page
// header can hide entries without breaking the tree's order.
func (w *pageWalk) checkEntries() error {
	raw, ok := w.meta[string(keyEntries)]
	if !ok {
		return nil
	}
	want := map[string]int64{}
	if err := unsealJSON(raw, &want); err != nil {
		return &DamagedError{Path: w.path, Detail: "read entries: " + err.Error()}
	}
	for name, n := range want {
		if got := w.entries[name]; got != n {
			return w.damaged("bucket %s holds %d entries, its record says %d", name, got, n)
		}
	}
	return nil
}

func (w *pageWalk) damaged(format string, args ...any) error {
	return &DamagedError{Path: w.path, Detail: fmt.Sprintf(format, args...)}
}

// tree checks the pages of the tree rooted at id, and every bucket below.
// Its keys must lie in [min, max) (nil: open) and ascend; it returns the
// subtree's greatest key, as bbolt's key-order check does.
//
// bucket names the top-level bucket the tree belongs to ("" for the root
// bucket's own tree, whose entries are the top-level buckets).
func (w *pageWalk) tree(id uint64, parent []uint64, min, max []byte, bucket string) ([]byte, error) {
	p, err := w.page(id)
	if err != nil {
		return nil, err
	}
	le := binary.LittleEndian
	flags, count := le.Uint16(p[8:]), int(le.Uint16(p[10:]))
	if pageHeaderSize+count*elementSize > len(p) {
		return nil, w.damaged("page %d holds %d elements, more than fit", id, count)
	}
	if flags != branchPageFlag && flags != leafPageFlag {
		return nil, w.damaged("page %d is not a branch or leaf page (flags %#x, reached from %v)", id, flags, parent)
	}
	keys := make([][]byte, count)
	for i := range count {
		at := uint64(pageHeaderSize + i*elementSize)
		e := p[at : at+elementSize]
		pos, ksize, vsize := uint64(le.Uint32(e[4:])), uint64(le.Uint32(e[8:])), uint64(le.Uint32(e[12:]))
		if flags == branchPageFlag {
			pos, ksize, vsize = uint64(le.Uint32(e)), uint64(le.Uint32(e[4:])), 0
		}
		if end := at + pos + ksize + vsize; end > uint64(len(p)) || end < at {
			return nil, w.damaged("page %d: element %d lies outside the page", id, i)
		}
		keys[i] = p[at+pos : at+pos+ksize]
	}
	running := min
	for i, k := range keys {
		if running != nil && (bytes.Compare(running, k) > 0 || i > 0 && bytes.Equal(running, k)) || max != nil && bytes.Compare(k, max) >= 0 {
			return nil, w.damaged("page %d: key %d is out of order (reached from %v)", id, i, parent)
		}
		if flags == leafPageFlag {
			running = k
			continue
		}
		next := max
		if i < count-1 {
			next = keys[i+1]
		}
		at := pageHeaderSize + i*elementSize
		if running, err = w.tree(le.Uint64(p[at+8:]), append(parent, id), k, next, bucket); err != nil {
			return nil, err
		}
	}
	if flags == leafPageFlag {
		if err := w.leaf(id, p, parent, bucket); err != nil {
			return nil, err
		}
	}
	return running, nil
}

// leaf counts a leaf page's entries for bucket, keeps the meta bucket's
// values, and checks the trees of the buckets the page holds.
func (w *pageWalk) leaf(id uint64, p []byte, parent []uint64, bucket string) error {
	le := binary.LittleEndian
	count := int(le.Uint16(p[10:]))
	if bucket != "" {
		w.entries[bucket] += int64(count)
	}
	for i := range count {
		at := uint64(pageHeaderSize + i*elementSize)
		e := p[at : at+elementSize]
		pos, ksize, vsize := uint64(le.Uint32(e[4:])), uint64(le.Uint32(e[8:])), uint64(le.Uint32(e[12:]))
		key, value := p[at+pos:at+pos+ksize], p[at+pos+ksize:at+pos+ksize+vsize]
		if bucket == string(metaBucket) {
			w.meta[string(key)] = value
		}
		if le.Uint32(e)&bucketLeafFlag == 0 {
			continue
		}
		if vsize < bucketValueSize {
			return w.damaged("page %d: bucket element %d is %d bytes", id, i, vsize)
		}
		name := string(key)
		if bucket != "" { // a bucket inside a bucket: counted on its own
			name = bucket + "/" + name
		}
		if sub := le.Uint64(value); sub != 0 {
			if _, err := w.tree(sub, append(parent, id), nil, nil, name); err != nil {
				return err
			}
		} else if err := w.inline(id, value[bucketValueSize:], name); err != nil {
			return err
		}
	}
	return nil
}

// inline checks and counts the page of an inline bucket (held in its
// parent's value).
func (w *pageWalk) inline(id uint64, p []byte, bucket string) error {
	if len(p) < pageHeaderSize {
		return w.damaged("page %d: an inline bucket of %d bytes", id, len(p))
	}
	le := binary.LittleEndian
	count := int(le.Uint16(p[10:]))
	if le.Uint16(p[8:]) != leafPageFlag || pageHeaderSize+count*elementSize > len(p) {
		return w.damaged("page %d: a damaged inline bucket", id)
	}
	for i := range count {
		at := uint64(pageHeaderSize + i*elementSize)
		e := p[at : at+elementSize]
		pos, ksize, vsize := uint64(le.Uint32(e[4:])), uint64(le.Uint32(e[8:])), uint64(le.Uint32(e[12:]))
		if end := at + pos + ksize + vsize; end > uint64(len(p)) || end < at {
			return w.damaged("page %d: an inline bucket's element %d lies outside it", id, i)
		}
		if bucket == string(metaBucket) {
			w.meta[string(p[at+pos:at+pos+ksize])] = p[at+pos+ksize : at+pos+ksize+vsize]
		}
	}
	if bucket != "" {
		w.entries[bucket] += int64(count)
	}
	return nil
}

// page reads page id with its overflow pages, once.
func (w *pageWalk) page(id uint64) ([]byte, error) {
	if id < 2 || id >= w.hwm {
		return nil, w.damaged("a page refers to page %d, outside the file's %d pages", id, w.hwm)
	}
	head := make([]byte, pageHeaderSize)
	if _, err := w.f.ReadAt(head, int64(id*w.pageSize)); err != nil {
		return nil, fmt.Errorf("read %s: %w", w.path, err)
	}
	le := binary.LittleEndian
	if got := le.Uint64(head); got != id {
		return nil, w.damaged("page %d says it is page %d", id, got)
	}
	overflow := uint64(le.Uint32(head[12:]))
	if id+overflow >= w.hwm {
		return nil, w.damaged("page %d runs %d pages past the file's %d", id, overflow, w.hwm)
	}
	for i := id; i <= id+overflow; i++ {
		if w.seen[i] {
			return nil, w.damaged("page %d is reached twice", i)
		}
		w.seen[i] = true
	}
	p := make([]byte, (overflow+1)*w.pageSize)
	if _, err := w.f.ReadAt(p, int64(id*w.pageSize)); err != nil {
		return nil, fmt.Errorf("read %s: %w", w.path, err)
	}
	return p, nil
}
