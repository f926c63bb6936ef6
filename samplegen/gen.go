package samplegen

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
)

// GenOptions configures Generate.
type GenOptions struct {
	Rows    int     // data rows to write (header not counted)
	Seed    int64   // same options, same bytes
	BadRate float64 // share of rows that break the contract, 0..1
}

// GenStats describes what Generate wrote.
type GenStats struct {
	Rows       int            // data rows written
	Bytes      int64          // bytes written, header included
	Bad        map[string]int // contract-breaking rows by kind, one entry per BadKinds kind
	Duplicates int            // good rows that reuse an earlier good row's sandId
}

const (
	// dupRate is the share of good rows that repeat an earlier learner.
	dupRate = 0.02
	// poolSize bounds the learners duplicates are drawn from: a uniform
	// reservoir sample of every earlier good learner, in constant memory.
	poolSize = 1 << 16
	// bufSize is the output buffer.
	bufSize = 256 << 10
)

// Generate writes a learner CSV of opt.Rows data rows to w: the header,
// then rows whose values, skew and flaws resemble a real export (see the
// package documentation). Output depends only on opt. Memory use does not
// grow with opt.Rows.
func Generate(w io.Writer, opt GenOptions) (GenStats, error) {
	return generate(w, opt, nil)
}

// generate is Generate with a hook that tests use to learn each row's bad
// kind ("" for a good row) and whether it is a duplicate.
func generate(w io.Writer, opt GenOptions, onRow func(kind string, dup bool)) (GenStats, error) {
	if opt.Rows < 0 {
		return GenStats{}, fmt.Errorf("generate: negative row count %d", opt.Rows)
	}
	if !(opt.BadRate >= 0 && opt.BadRate <= 1) {
		return GenStats{}, fmt.Errorf("generate: bad rate %v outside [0,1]", opt.BadRate)
	}
	g := newGenerator(opt)
	g.onRow = onRow
	err := g.run(w)
	return g.stats, err
}

// generator holds one Generate call's state.
type generator struct {
	opt     GenOptions
	key     uint64    // keys the sandId permutation
	seed    uint64    // seeds each learner's stream
	file    *drawer   // the file stream: which rows are bad, duplicates, ...
	learner *drawer   // the learner stream, reseeded for every row
	pcg     *rand.PCG // the learner stream's source
	row     row
	line    []byte
	next    uint64   // the next new learner's number
	pool    []uint64 // learners a duplicate may repeat
	seen    int      // good new learners so far
	badLeft int      // bad rows still to place
	kinds   []string // bad kinds, shuffled for each round
	nBad    int      // bad rows placed
	stats   GenStats
	onRow   func(kind string, dup bool)
}

func newGenerator(opt GenOptions) *generator {
	v := newVocab()
	seed := uint64(opt.Seed)
	pcg := rand.NewPCG(0, 0)
	g := &generator{
		opt:     opt,
		key:     splitmix(seed ^ 0x5eed),
		seed:    splitmix(seed),
		file:    newDrawer(rand.New(rand.NewPCG(seed, 0x66696c65)), v),
		learner: newDrawer(rand.New(pcg), v),
		pcg:     pcg,
		badLeft: int(float64(opt.Rows)*opt.BadRate + 0.5),
		kinds:   BadKinds(),
		stats:   GenStats{Bad: make(map[string]int)},
	}
	for _, k := range g.kinds {
		g.stats.Bad[k] = 0
	}
	return g
}

func (g *generator) run(w io.Writer) error {
	bw := bufio.NewWriterSize(w, bufSize)
	n, err := bw.WriteString(header)
	g.stats.Bytes += int64(n)
	if err != nil {
		return fmt.Errorf("write header: %w", err)
	}
	for i := range g.opt.Rows {
		if err := g.writeRow(bw, i); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("flush: %w", err)
	}
	return nil
}

// writeRow writes data row i (0-based).
func (g *generator) writeRow(bw *bufio.Writer, i int) error {
	kind := g.nextKind(i)
	dup := kind == "" && len(g.pool) > 0 && g.file.chance(dupRate)
	n := g.next
	if dup {
		n = g.pool[g.file.r.IntN(len(g.pool))]
	} else {
		g.next++
	}
	flt := fault{col: -1}
	if kind != "" {
		flt = newFault(g.file, kind)
	}
	g.pcg.Seed(g.seed, n)
	g.row.render(g.learner, n, g.key, flt)
	switch {
	case dup:
		g.row.vary(g.file)
	case kind != "":
		g.row.breakRow(g.file, flt)
	}
	g.line = appendRecord(g.line[:0], &g.row)
	written, err := bw.Write(g.line)
	g.stats.Bytes += int64(written)
	if err != nil {
		return fmt.Errorf("write row %d: %w", i+1, err)
	}
	g.count(kind, dup, n)
	return nil
}

// nextKind decides whether row i is bad and of which kind. Selection
// sampling places exactly badLeft bad rows at random among the rows left;
// kinds go round in shuffled rounds, so their counts differ by one at most.
func (g *generator) nextKind(i int) string {
	if g.badLeft == 0 || g.file.r.IntN(g.opt.Rows-i) >= g.badLeft {
		return ""
	}
	g.badLeft--
	round := g.nBad % len(g.kinds)
	if round == 0 {
		g.file.r.Shuffle(len(g.kinds), func(a, b int) { g.kinds[a], g.kinds[b] = g.kinds[b], g.kinds[a] })
	}
	g.nBad++
	return g.kinds[round]
}

// count updates the stats and the duplicate pool after row n was written.
func (g *generator) count(kind string, dup bool, n uint64) {
	g.stats.Rows++
	if g.onRow != nil {
		g.onRow(kind, dup)
	}
	switch {
	case kind != "":
		g.stats.Bad[kind]++
	case dup:
		g.stats.Duplicates++
	default:
		g.remember(n)
	}
}

// remember adds learner n to the duplicate pool by reservoir sampling.
func (g *generator) remember(n uint64) {
	g.seen++
	if len(g.pool) < poolSize {
		g.pool = append(g.pool, n)
		return
	}
	if j := g.file.r.IntN(g.seen); j < poolSize {
		g.pool[j] = n
	}
}

// splitmix is SplitMix64's finalizer: it spreads a seed over 64 bits.
func splitmix(x uint64) uint64 {
	x += 0x9E3779B97F4A7C15
	x = (x ^ x>>30) * 0xBF58476D1CE4E5B9
	x = (x ^ x>>27) * 0x94D049BB133111EB
	return x ^ x>>31
}
