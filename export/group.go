package export

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/learnergraph/importer/staging"
)

// A group is the entities of one unit that share a file and its header:
// every property name has one type within a group. An entity goes to the
// first group where none of its property names has another type; its new
// names become new columns at the end of that group's header. The header
// is written last, in a file of its own, so rows written before a column
// existed are simply shorter (the import tool reads missing trailing
// fields as absent). The assignment depends only on the bucket order, so a
// rerun writes the same files byte for byte.
//
// Entities with a line break in a value go to groups of their own, each
// file at most about multilineFileBytes: the import tool then reads only
// those small files in multiline mode (per file, --multiline-fields-format=v2),
// and every other file in its faster, parallel mode. Its v2 reader finds
// row boundaries by scanning back from the end of a 4 MiB buffer, which
// failed at 1.7M rows on an 18 MB file ("found CR outside a text cell");
// a file smaller than one buffer never needs that scan.
type group struct {
	names     []string
	types     []colType
	index     map[string]int
	rows      int64
	bytes     int64 // of rows, uncompressed
	multiline bool  // holds the entities with a line break in a value
	out       *sink
}

const (
	// multilineFileBytes is the size past which a multiline group takes
	// no more entities (a new group, and file, starts).
	multilineFileBytes = 1 << 20
	// MultilineSafeBytes is the largest multiline file listed per file:
	// below the import tool's 4 MiB read buffer. A larger one (a single
	// huge row) turns multiline mode on for the whole import instead.
	MultilineSafeBytes = 3 << 20
)

// fits reports whether p can join g: no name of p has another type in g,
// and g holds entities with line breaks exactly when p has one.
func (g *group) fits(p staging.Props, types []colType, multiline bool) bool {
	if g.multiline != multiline || (multiline && g.bytes >= multilineFileBytes) {
		return false
	}
	for i, q := range p {
		if j, ok := g.index[q.Name]; ok && g.types[j] != types[i] {
			return false
		}
	}
	return true
}

// add makes sure g has a column for every property of p.
func (g *group) add(p staging.Props, types []colType) {
	for i, q := range p {
		if _, ok := g.index[q.Name]; !ok {
			g.index[q.Name] = len(g.names)
			g.names = append(g.names, q.Name)
			g.types = append(g.types, types[i])
		}
	}
}

// header is the group's header line: the id columns, then name:type.
func (g *group) header(ids []string) string {
	cols := append([]string(nil), ids...)
	for i, n := range g.names {
		cols = append(cols, n+":"+string(g.types[i]))
	}
	return strings.Join(cols, ",") + "\n"
}

// grouper assigns the entities of one unit to groups and encodes rows.
type grouper struct {
	enc    encoder
	groups []*group
	types  []colType // scratch
	fields [][]byte  // scratch: one encoded field per column
	row    []byte    // scratch
}

// place returns the group of an entity with properties p, creating one if
// none fits.
func (gr *grouper) place(p staging.Props, open func(n int) (*sink, error)) (*group, error) {
	gr.types = gr.types[:0]
	for _, q := range p {
		t, err := typeOf(q.Value)
		if err != nil {
			return nil, err
		}
		if err := checkName(q.Name); err != nil {
			return nil, err
		}
		gr.types = append(gr.types, t)
	}
	multiline := hasBreaks(p)
	for _, g := range gr.groups {
		if g.fits(p, gr.types, multiline) {
			g.add(p, gr.types)
			return g, nil
		}
	}
	out, err := open(len(gr.groups))
	if err != nil {
		return nil, err
	}
	g := &group{index: map[string]int{}, out: out, multiline: multiline}
	g.add(p, gr.types)
	gr.groups = append(gr.groups, g)
	return g, nil
}

// write encodes one row, the import ids first, into g's file.
func (gr *grouper) write(g *group, ids []int64, p staging.Props) error {
	b := gr.row[:0]
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	for len(gr.fields) < len(g.names) {
		gr.fields = append(gr.fields, nil)
	}
	fields := gr.fields[:len(g.names)]
	for i := range fields {
		fields[i] = fields[i][:0]
	}
	last := -1
	for _, q := range p {
		j := g.index[q.Name]
		f, err := gr.enc.appendValue(fields[j][:0], q.Value)
		if err != nil {
			return fmt.Errorf("property %s: %w", q.Name, err)
		}
		fields[j] = f
		last = max(last, j)
	}
	for j := 0; j <= last; j++ {
		b = append(b, ',')
		b = append(b, fields[j]...)
	}
	b = append(b, '\n')
	gr.row = b
	g.rows++
	g.bytes += int64(len(b))
	return g.out.write(b)
}
