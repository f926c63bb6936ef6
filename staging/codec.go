package staging

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/learnergraph/importer/checkpoint"
)

// Value encoding of staged records. Every value starts with a record
// version byte so a later release can tell old records from new ones; the
// state file as a whole is versioned by checkpoint.FormatVersion. Every
// value ends with its checksum (checkpoint.Seal: CRC-32C, 4 bytes), which
// newDecoder checks, so a damaged record is refused, never decoded into
// other values.
//
//	node:   version, props
//	rel:    version, start key, end key, props
//	reject: version, line (the bucket key, again), sandId, reason, raw record
//	props:  count, then per property: name, tag, payload
//
// and each ends with its 4-byte checksum.
//
// Strings are a uvarint length and the bytes; integers are varints; floats
// are 8 big-endian bytes of their IEEE 754 bits; dates are varint days.
const recordVersion = 1

// Property tags.
const (
	tagString byte = iota + 1
	tagInt
	tagFloat
	tagTrue
	tagFalse
	tagDate
	tagStrings
	tagInts
	tagFloats
	tagBools
	tagDateTime
)

// ErrCorrupt is returned when a staged record fails its checksum or cannot
// be decoded. errors.Is(err, checkpoint.ErrDamaged) holds for it too.
var ErrCorrupt error = corrupt{}

type corrupt struct{}

func (corrupt) Error() string        { return "corrupt staged record" }
func (corrupt) Is(target error) bool { return target == checkpoint.ErrDamaged }

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendProps(b []byte, p Props) []byte {
	b = binary.AppendUvarint(b, uint64(len(p)))
	for _, q := range p {
		b = appendString(b, q.Name)
		b = appendValue(b, q.Value)
	}
	return b
}

func appendValue(b []byte, v any) []byte {
	switch v := v.(type) {
	case string:
		return appendString(append(b, tagString), v)
	case int64:
		return binary.AppendVarint(append(b, tagInt), v)
	case float64:
		return binary.BigEndian.AppendUint64(append(b, tagFloat), math.Float64bits(v))
	case bool:
		if v {
			return append(b, tagTrue)
		}
		return append(b, tagFalse)
	case Date:
		return binary.AppendVarint(append(b, tagDate), int64(v))
	case DateTime:
		return binary.AppendVarint(append(b, tagDateTime), int64(v))
	case []string:
		b = binary.AppendUvarint(append(b, tagStrings), uint64(len(v)))
		for _, s := range v {
			b = appendString(b, s)
		}
		return b
	case []int64:
		b = binary.AppendUvarint(append(b, tagInts), uint64(len(v)))
		for _, n := range v {
			b = binary.AppendVarint(b, n)
		}
		return b
	case []float64:
		b = binary.AppendUvarint(append(b, tagFloats), uint64(len(v)))
		for _, f := range v {
			b = binary.BigEndian.AppendUint64(b, math.Float64bits(f))
		}
		return b
	case []bool:
		b = binary.AppendUvarint(append(b, tagBools), uint64(len(v)))
		for _, t := range v {
			if t {
				b = append(b, 1)
			} else {
				b = append(b, 0)
			}
		}
		return b
	}
	panic(fmt.Sprintf("staging: property value of unsupported type %T", v))
}

func encodeNode(p Props) []byte {
	return checkpoint.Seal(appendProps([]byte{recordVersion}, p))
}

func encodeRel(start, end string, p Props) []byte {
	b := appendString([]byte{recordVersion}, start)
	b = appendString(b, end)
	return checkpoint.Seal(appendProps(b, p))
}

// decoder reads an encoded record; the first error sticks.
type decoder struct {
	b   []byte
	err error
	// names, when set, holds one copy of each property name (and
	// relationship end key) read, shared by every decoder of a read.
	names map[string]string
}

// newDecoder checks the record's checksum and version.
func newDecoder(b []byte) *decoder {
	body, err := checkpoint.Unseal(b)
	if err != nil {
		return &decoder{err: fmt.Errorf("%w: %w", ErrCorrupt, err)}
	}
	d := &decoder{b: body}
	if d.byte() != recordVersion && d.err == nil {
		d.err = fmt.Errorf("%w: record version %d", ErrCorrupt, body[0])
	}
	return d
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = ErrCorrupt
	}
	d.b = nil
}

func (d *decoder) byte() byte {
	if len(d.b) == 0 {
		d.fail()
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) float() float64 {
	if len(d.b) < 8 {
		d.fail()
		return 0
	}
	v := math.Float64frombits(binary.BigEndian.Uint64(d.b))
	d.b = d.b[8:]
	return v
}

// string copies the bytes out: staged records live in bbolt's mmap.
func (d *decoder) string() string {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.fail()
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

// interned is string, returning the copy in d.names when there is one.
func (d *decoder) interned() string {
	if d.names == nil {
		return d.string()
	}
	b := d.raw()
	if s, ok := d.names[string(b)]; ok {
		return s
	}
	s := string(b)
	d.names[s] = s
	return s
}

// raw reads a string's bytes without copying them.
func (d *decoder) raw() []byte {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.fail()
		return nil
	}
	s := d.b[:n:n]
	d.b = d.b[n:]
	return s
}

// count reads a collection length, refusing one larger than the bytes left.
func (d *decoder) count() int {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *decoder) props() Props {
	n := d.count()
	p := make(Props, 0, n)
	for i := 0; i < n && d.err == nil; i++ {
		name := d.interned()
		p = append(p, Prop{Name: name, Value: d.value()})
	}
	return p
}

func (d *decoder) value() any {
	switch tag := d.byte(); tag {
	case tagString:
		return d.string()
	case tagInt:
		return d.varint()
	case tagFloat:
		return d.float()
	case tagTrue:
		return true
	case tagFalse:
		return false
	case tagDate:
		return Date(d.varint())
	case tagDateTime:
		return DateTime(d.varint())
	case tagStrings:
		v := make([]string, d.count())
		for i := range v {
			v[i] = d.string()
		}
		return v
	case tagInts:
		v := make([]int64, d.count())
		for i := range v {
			v[i] = d.varint()
		}
		return v
	case tagFloats:
		v := make([]float64, d.count())
		for i := range v {
			v[i] = d.float()
		}
		return v
	case tagBools:
		v := make([]bool, d.count())
		for i := range v {
			v[i] = d.byte() == 1
		}
		return v
	default:
		d.fail()
		return nil
	}
}

func (d *decoder) done() error {
	if d.err == nil && len(d.b) != 0 {
		d.err = fmt.Errorf("%w: %d trailing bytes", ErrCorrupt, len(d.b))
	}
	return d.err
}

func decodeNode(b []byte) (Props, error) {
	d := newDecoder(b)
	p := d.props()
	return p, d.done()
}

func decodeRel(b []byte) (start, end string, p Props, err error) {
	d := newDecoder(b)
	start = d.string()
	end = d.string()
	p = d.props()
	return start, end, p, d.done()
}

// decodeProps decodes the properties of a staged record of bucket name (a
// label or a relationship type).
func (s *Schema) decodeProps(name string, v []byte) (Props, error) {
	if s.isRel[name] {
		_, _, p, err := decodeRel(v)
		return p, err
	}
	return decodeNode(v)
}

// encodeReject encodes a rejected row; its line, the bucket key, is in the
// record too, so a damaged key is caught like a damaged value.
func encodeReject(r Reject) []byte {
	b := binary.AppendVarint([]byte{recordVersion}, r.Line)
	b = appendString(b, r.SandID)
	b = appendString(b, r.Reason)
	return checkpoint.Seal(appendString(b, r.Record))
}

func decodeReject(line uint64, v []byte) (Reject, error) {
	d := newDecoder(v)
	r := Reject{Line: d.varint()}
	r.SandID = d.string()
	r.Reason = d.string()
	r.Record = d.string()
	if err := d.done(); err != nil {
		return r, err
	}
	if uint64(r.Line) != line {
		return r, fmt.Errorf("%w: the reject keyed by line %d is the one of line %d", ErrCorrupt, line, r.Line)
	}
	return r, nil
}
