package staging

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
)

// record is one CSV record as read: its fields (or the parse error that
// rejects it), the line it starts on, and its raw text.
type record struct {
	fields []string
	line   int64
	raw    []byte // valid until the next read; copy to keep
	err    error  // a *RowError for a record encoding/csv could not parse
}

// csvReader reads records from an input positioned at a record boundary
// (offset, line) and keeps each record's raw text.
type csvReader struct {
	tap    *tap
	csv    *csv.Reader
	offset int64 // input offset where csv started
	line   int64 // line number at offset
	lines  int64 // newlines consumed since offset
}

func newCSVReader(r io.Reader, offset, line int64, fields int) *csvReader {
	t := &tap{r: r}
	c := csv.NewReader(t)
	c.FieldsPerRecord = fields
	c.ReuseRecord = true
	return &csvReader{tap: t, csv: c, offset: offset, line: line}
}

// read returns the next record, or io.EOF. Errors other than io.EOF are
// I/O errors: records that do not parse come back with rec.err set.
func (r *csvReader) read() (record, error) {
	fields, err := r.csv.Read()
	if err == io.EOF {
		// Count the blank lines encoding/csv skipped before the end, so
		// that the resume point's line matches its offset.
		r.lines += int64(bytes.Count(r.tap.cut(r.csv.InputOffset()), []byte{'\n'}))
		return record{}, io.EOF
	}
	raw := r.tap.cut(r.csv.InputOffset())
	startLine := r.line + r.lines
	r.lines += int64(bytes.Count(raw, []byte{'\n'}))
	rec := record{fields: fields, raw: trimRaw(raw)}
	var perr *csv.ParseError
	switch {
	case err == nil:
		rel, _ := r.csv.FieldPos(0)
		rec.line = r.line + int64(rel) - 1
	case errors.As(err, &perr):
		rec.line = r.line + int64(perr.StartLine) - 1
		rec.err = parseReason(perr, r.line+int64(perr.Line)-1, len(fields), r.csv.FieldsPerRecord)
	default:
		return record{}, fmt.Errorf("read input at line %d: %w", startLine, err)
	}
	return rec, nil
}

// next is the resume point after the last record read.
func (r *csvReader) next() (offset, line int64) {
	return r.offset + r.csv.InputOffset(), r.line + r.lines
}

func parseReason(e *csv.ParseError, line int64, got, want int) *RowError {
	switch {
	case errors.Is(e.Err, csv.ErrFieldCount):
		return reject("wrong number of fields: %d, the header has %d", got, want)
	case errors.Is(e.Err, csv.ErrBareQuote):
		return reject("bad quoting: a bare \" in an unquoted field (line %d, column %d)", line, e.Column)
	case errors.Is(e.Err, csv.ErrQuote):
		return reject("bad quoting: extraneous or missing \" in a quoted field (line %d, column %d)", line, e.Column)
	}
	return reject("bad CSV: %v", e.Err)
}

// trimRaw drops the blank lines encoding/csv skipped before a record and
// the line end after it.
func trimRaw(raw []byte) []byte {
	for len(raw) > 0 && (raw[0] == '\n' || raw[0] == '\r') {
		raw = raw[1:]
	}
	return bytes.TrimRight(raw, "\r\n")
}

// tap is an io.Reader that keeps what it reads until cut, so the raw text
// of each record can be recovered from csv.Reader's input offsets.
type tap struct {
	r     io.Reader
	buf   []byte
	head  int   // buf[:head] is already cut
	start int64 // reader offset of buf[0]
}

func (t *tap) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.buf = append(t.buf, p[:n]...)
	return n, err
}

// cut returns the bytes from the previous cut up to reader offset off.
// The slice is valid until the next cut.
func (t *tap) cut(off int64) []byte {
	if t.head > 1<<20 {
		n := copy(t.buf, t.buf[t.head:])
		t.buf = t.buf[:n]
		t.start += int64(t.head)
		t.head = 0
	}
	end := int(off - t.start)
	raw := t.buf[t.head:end]
	t.head = end
	return raw
}
