package staging

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
)

// DefaultMaxRecordBytes bounds the size of one CSV record unless
// Options.MaxRecordBytes says otherwise (--max-record-bytes).
const DefaultMaxRecordBytes = 16 << 20

// rejectRawBytes is how much of an oversized record its reject keeps.
const rejectRawBytes = 1 << 10

// errRecordTooLong is what the tap returns to encoding/csv when the record
// being read outgrows the bound; csvReader turns it into a rejected record.
var errRecordTooLong = errors.New("record too long")

// record is one CSV record as read: its fields (or the parse error that
// rejects it), the line it starts on, and its raw text.
type record struct {
	fields []string
	line   int64
	raw    []byte // valid until the next read; copy to keep
	err    error  // a *RowError for a record encoding/csv could not parse
}

// csvReader reads records from an input positioned at a record boundary
// (offset, line) and keeps each record's raw text. A record longer than
// max bytes (counted from the end of the previous record, blank lines
// before it included) is rejected, and reading resumes at the start of the
// line after the one it starts on (see skip).
type csvReader struct {
	src    io.ReadSeeker
	max    int64
	fields int // fields per record, 0: as many as the first record
	tap    *tap
	csv    *csv.Reader
	offset int64 // input offset where csv started
	line   int64 // line number at offset
	lines  int64 // newlines consumed since offset
}

func newCSVReader(src io.ReadSeeker, offset, line int64, fields int, max int64) (*csvReader, error) {
	r := &csvReader{src: src, max: max, fields: fields}
	return r, r.reset(offset, line)
}

// reset restarts reading at a record boundary.
func (r *csvReader) reset(offset, line int64) error {
	if _, err := r.src.Seek(offset, io.SeekStart); err != nil {
		return fmt.Errorf("seek input: %w", err)
	}
	r.tap = &tap{r: bufio.NewReaderSize(r.src, 1<<20), max: r.max}
	r.csv = csv.NewReader(r.tap)
	r.csv.FieldsPerRecord = r.fields
	r.csv.ReuseRecord = true
	r.offset, r.line, r.lines = offset, line, 0
	return nil
}

// read returns the next record, or io.EOF. Errors other than io.EOF are
// I/O errors: records that do not parse come back with rec.err set.
func (r *csvReader) read() (record, error) {
	prev := r.csv.InputOffset()
	fields, err := r.csv.Read()
	if errors.Is(err, errRecordTooLong) {
		return r.skip(r.offset+prev, r.line+r.lines)
	}
	if err == io.EOF {
		// Count the blank lines encoding/csv skipped before the end, so
		// that the resume point's line matches its offset.
		r.lines += int64(bytes.Count(r.tap.cut(r.csv.InputOffset()), []byte{'\n'}))
		return record{}, io.EOF
	}
	raw := r.tap.cut(r.csv.InputOffset())
	startLine := r.line + r.lines
	if int64(len(raw)) > r.max {
		return r.skip(r.offset+prev, startLine)
	}
	r.lines += int64(bytes.Count(raw, []byte{'\n'}))
	if r.fields == 0 {
		r.fields = len(fields)
	}
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

// skip rejects the record that starts after the blank lines at (offset,
// line) for being longer than max bytes. Reading resumes at the start of
// the line after the record's first line: a stray quote that opens a
// quoted field nobody closes costs that one line, not the rest of the file.
// The reject keeps the first rejectRawBytes of the skipped line and says
// which lines the record's first max bytes span (where the bound was
// reached). It reads the input again from offset, with bounded memory.
func (r *csvReader) skip(offset, line int64) (record, error) {
	if _, err := r.src.Seek(offset, io.SeekStart); err != nil {
		return record{}, fmt.Errorf("seek input: %w", err)
	}
	br := bufio.NewReaderSize(r.src, 64<<10)
	pos, start := offset, int64(-1) // start: offset of the record's first line
	var head []byte
	ended := false // the record's first line has a line end
	for {
		chunk, err := br.ReadSlice('\n')
		if err != nil && err != bufio.ErrBufferFull && err != io.EOF {
			return record{}, fmt.Errorf("read input at line %d: %w", line, err)
		}
		pos += int64(len(chunk))
		if start < 0 && err == nil && len(chunk) == len(lineEnd(chunk)) {
			line++ // a blank line before the record
			continue
		}
		if start < 0 {
			start = pos - int64(len(chunk))
		}
		if n := min(len(chunk), rejectRawBytes-len(head)); n > 0 {
			head = append(head, chunk[:n]...)
		}
		if err != bufio.ErrBufferFull {
			ended = err == nil
			break
		}
	}
	if start < 0 || pos == start { // only blank lines to the end of the input
		if err := r.reset(pos, line); err != nil {
			return record{}, err
		}
		return r.read()
	}
	last, err := r.lastLine(start, line)
	if err != nil {
		return record{}, err
	}
	next := line
	if ended {
		next++
	}
	reason := fmt.Sprintf("record of more than %d bytes (--max-record-bytes) at line %d", r.max, line)
	if last > line {
		reason = fmt.Sprintf("record of more than %d bytes (--max-record-bytes) at lines %d–%d and on", r.max, line, last)
	}
	reason += fmt.Sprintf("; skipped line %d (%d bytes) and resumed at line %d", line, pos-start, next)
	rec := record{line: line, raw: trimRaw(head), err: &RowError{Reason: reason}}
	if err := r.reset(pos, next); err != nil {
		return record{}, err
	}
	return rec, nil
}

// lastLine returns the line that the first max bytes from offset (the
// start of line) reach.
func (r *csvReader) lastLine(offset, line int64) (int64, error) {
	if _, err := r.src.Seek(offset, io.SeekStart); err != nil {
		return 0, fmt.Errorf("seek input: %w", err)
	}
	buf := make([]byte, 64<<10)
	in := io.LimitReader(r.src, r.max)
	for {
		n, err := in.Read(buf)
		line += int64(bytes.Count(buf[:n], []byte{'\n'}))
		if err == io.EOF {
			return line, nil
		}
		if err != nil {
			return 0, fmt.Errorf("read input at line %d: %w", line, err)
		}
	}
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

// lineEnd returns the line end (LF or CRLF) that b ends with, if any.
func lineEnd(b []byte) []byte {
	switch {
	case bytes.HasSuffix(b, []byte("\r\n")):
		return b[len(b)-2:]
	case bytes.HasSuffix(b, []byte("\n")):
		return b[len(b)-1:]
	}
	return nil
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
// of each record can be recovered from csv.Reader's input offsets. It
// refuses to read on once it holds more than max bytes of one record.
type tap struct {
	r     io.Reader
	max   int64
	buf   []byte
	head  int   // buf[:head] is already cut
	start int64 // reader offset of buf[0]
}

func (t *tap) Read(p []byte) (int, error) {
	if int64(len(t.buf)-t.head) > t.max {
		return 0, errRecordTooLong
	}
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
