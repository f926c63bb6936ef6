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
	kind string // checkpoint.KindNodes or KindRelationships
	name string // label or type
	part int
	r    staging.Range
}

func (u unit) key() string { return u.kind + "/" + u.name + "/" + strconv.Itoa(u.part) }

// base is the file name stem of group n of the unit.
func (u unit) base(n int) string {
	return fmt.Sprintf("%s-%s-p%d-g%d", u.kind, u.name, u.part, n)
}

// ids returns the id columns of the unit's header.
func (u unit) ids() []string {
	if u.kind == checkpoint.KindNodes {
		spec, _ := staging.NodeSpecOf(u.name)
		return []string{spec.Key + ":ID(" + spec.Label + ")"}
	}
	spec, _ := staging.RelSpecOf(u.name)
	return []string{":START_ID(" + spec.Start + ")", ":END_ID(" + spec.End + ")"}
}

// unitWriter writes one unit.
type unitWriter struct {
	u       unit
	db      *bolt.DB
	dir     string
	gzip    bool
	chunk   int
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
		if err := h.write([]byte(g.header(w.u.ids()))); err != nil {
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
// then encodes them outside it.
func (w *unitWriter) chunkOnce(after []byte) (int, []byte, error) {
	var nodes []staging.Node
	var rels []staging.Rel
	var last []byte
	err := w.db.View(func(tx *bolt.Tx) error {
		var err error
		if w.u.kind == checkpoint.KindNodes {
			nodes, last, err = staging.ReadNodes(tx, w.u.name, w.u.r, after, w.chunk)
		} else {
			rels, last, err = staging.ReadRels(tx, w.u.name, w.u.r, after, w.chunk)
		}
		return err
	})
	if err != nil {
		return 0, nil, err
	}
	if w.u.kind == checkpoint.KindNodes {
		spec, _ := staging.NodeSpecOf(w.u.name)
		for _, n := range nodes {
			if err := w.entity([]string{n.Key}, n.Props, spec.Key); err != nil {
				return 0, nil, fmt.Errorf("node %s=%q: %w", spec.Key, n.Key, err)
			}
		}
		return len(nodes), last, nil
	}
	for _, r := range rels {
		if err := w.entity([]string{r.Start, r.End}, r.Props, ""); err != nil {
			return 0, nil, fmt.Errorf("relationship (%s)->(%s): %w", r.Start, r.End, err)
		}
	}
	return len(rels), last, nil
}

func (w *unitWriter) entity(ids []string, p staging.Props, skip string) error {
	g, err := w.gr.place(ids, p, skip, w.open)
	if err != nil {
		return err
	}
	return w.gr.write(g, ids, p, skip)
}
