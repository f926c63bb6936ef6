package export

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"sync/atomic"

	bolt "go.etcd.io/bbolt"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/staging"
)

// unit is one partition of one staged bucket: the piece of work that is
// written, renamed and recorded as a whole.
type unit struct {
	s    *staging.Schema // the state file's
	kind string          // checkpoint.KindNodes or KindRelationships
	name string          // label or type
	part int
	r    staging.Range
}

func (u unit) key() string { return u.kind + "/" + u.name + "/" + strconv.Itoa(u.part) }

// base is the file name stem of group n of the unit.
func (u unit) base(n int) string {
	return fmt.Sprintf("%s-%s-p%d-g%d", u.kind, u.name, u.part, n)
}

// idColumns returns the id columns of the unit's header: integer import
// ids (see ids), one ID space per label.
func (u unit) idColumns() []string {
	if u.kind == checkpoint.KindNodes {
		return []string{":ID(" + u.name + ")"}
	}
	spec, _ := u.s.RelSpecOf(u.name)
	return []string{":START_ID(" + spec.Start + ")", ":END_ID(" + spec.End + ")"}
}

// unitWriter writes one unit.
type unitWriter struct {
	u       unit
	db      checkpoint.DB
	dir     string
	gzip    bool
	chunk   int
	ids     *ids
	rows    []row // scratch
	gr      grouper
	written *atomic.Int64
}

func (w *unitWriter) ext() string {
	if w.gzip {
		return ".csv.gz"
	}
	return ".csv"
}

func (w *unitWriter) open(n int) (*sink, error) {
	return newSink(filepath.Join(w.dir, w.u.base(n)+w.ext()), w.gzip)
}

// run writes every entity of the unit, then the headers, renames the files
// into place and returns the record of the finished unit. On error every
// temporary file is removed.
func (w *unitWriter) run(ctx context.Context) (checkpoint.ExportUnit, error) {
	rec, err := w.write(ctx)
	if err != nil {
		for _, g := range w.gr.groups {
			g.out.abort()
		}
		return rec, fmt.Errorf("unit %s: %w", w.u.key(), err)
	}
	return rec, nil
}

func (w *unitWriter) write(ctx context.Context) (checkpoint.ExportUnit, error) {
	rec := checkpoint.ExportUnit{Kind: w.u.kind, Name: w.u.name, Part: w.u.part, Files: []checkpoint.ExportFile{}}
	var after []byte
	for {
		if err := ctx.Err(); err != nil {
			return rec, err
		}
		n, last, err := w.chunkOnce(after)
		if err != nil {
			return rec, err
		}
		if n == 0 {
			break
		}
		rec.Entities += int64(n)
		w.written.Add(int64(n))
		after = last
	}
	var headers []*sink
	defer func() {
		for _, h := range headers {
			h.abort()
		}
	}()
	for n, g := range w.gr.groups {
		h, err := newSink(filepath.Join(w.dir, w.u.base(n)+".header"+w.ext()), w.gzip)
		if err != nil {
			return rec, err
		}
		headers = append(headers, h)
		if err := h.write([]byte(g.header(w.u.idColumns()))); err != nil {
			return rec, err
		}
		if err := h.finish(); err != nil {
			return rec, err
		}
		if err := g.out.finish(); err != nil {
			return rec, err
		}
		rec.Files = append(rec.Files, checkpoint.ExportFile{
			Header: filepath.Base(h.final), Data: filepath.Base(g.out.final), Rows: g.rows, Bytes: g.bytes, Multiline: g.multiline,
		})
	}
	for n, g := range w.gr.groups {
		if err := headers[n].rename(); err != nil {
			return rec, err
		}
		if err := g.out.rename(); err != nil {
			return rec, err
		}
	}
	headers = nil
	return rec, nil
}

// chunkOnce copies out up to w.chunk entities in a short read transaction,
// with their import ids, then encodes them outside it.
func (w *unitWriter) chunkOnce(after []byte) (int, []byte, error) {
	rows := w.rows[:0]
	var last []byte
	var failed error // of rows[failedAt]
	failedAt := -1
	fail := func(err error) {
		if err != nil && failed == nil {
			failed, failedAt = err, len(rows)-1
		}
	}
	err := w.db.View(func(tx *bolt.Tx) error {
		var err error
		if w.u.kind == checkpoint.KindNodes {
			last, err = staging.EachNode(tx, w.u.s, w.u.name, w.u.r, after, w.chunk, func(k []byte, n staging.Node) {
				id, err := w.ids.node(n.Label, k, n.Key)
				rows = append(rows, row{ids: [2]int64{id}, props: n.Props, start: n.Key})
				fail(err)
			})
		} else {
			spec, _ := w.u.s.RelSpecOf(w.u.name)
			last, err = staging.EachRel(tx, w.u.s, w.u.name, w.u.r, after, w.chunk, func(k []byte, r staging.Rel) {
				start, end, err := w.ids.rel(spec, k, r)
				rows = append(rows, row{ids: [2]int64{start, end}, props: r.Props, start: r.Start, end: r.End})
				fail(err)
			})
		}
		return err
	})
	w.rows = rows
	if err != nil {
		return 0, nil, err
	}
	if failed != nil {
		return 0, nil, w.describe(rows[failedAt], failed)
	}
	nids := 1
	if w.u.kind == checkpoint.KindRelationships {
		nids = 2
	}
	for _, r := range rows {
		g, err := w.gr.place(r.props, w.open)
		if err == nil {
			err = w.gr.write(g, r.ids[:nids], r.props)
		}
		if err != nil {
			return 0, nil, w.describe(r, err)
		}
	}
	return len(rows), last, nil
}

// row is one entity copied out of the state file: its import ids, its
// properties and, for errors, its key or its ends' keys.
type row struct {
	ids        [2]int64 // a node's id; a relationship's start and end
	props      staging.Props
	start, end string
}

func (w *unitWriter) describe(r row, err error) error {
	if w.u.kind == checkpoint.KindNodes {
		return fmt.Errorf("node %s %q: %w", w.u.name, r.start, err)
	}
	return fmt.Errorf("relationship %s (%s)->(%s): %w", w.u.name, r.start, r.end, err)
}
