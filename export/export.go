package export

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/staging"
)

// ErrNotStaged is returned when the state file's staging pass has not
// finished: there is nothing complete to export yet.
var ErrNotStaged = errors.New("the state file is not fully staged")

// DefaultArrayDelimiter separates list elements: the ASCII unit separator,
// which real text practically never holds (a string list element that
// does is refused with ErrNotExpressible, naming it).
const DefaultArrayDelimiter = '\x1f'

// idType is the import tool's --id-type of an export: integer ids, see ids.
const idType = "integer"

// Defaults of Options.
const (
	defaultChunk      = 5000
	defaultPartitions = 4
)

// Options tune Run.
type Options struct {
	Dir            string // output directory, created if missing
	Gzip           bool
	ArrayDelimiter rune // DefaultArrayDelimiter if 0
	Workers        int  // parallel units; GOMAXPROCS if 0
	Chunk          int  // entities per read transaction
	// StatePath and Command, when set, publish progress snapshots for
	// `importer status`.
	StatePath, Command string
	// Progress, when set, receives a progress line every ProgressEvery.
	Progress      func(written, total int64, unitsDone, units int)
	ProgressEvery time.Duration
}

// Result describes a finished export.
type Result struct {
	Dir      string
	ArgsFile string // name of the @file, inside Dir
	Units    []checkpoint.ExportUnit
	Entities int64
	Written  int64 // entities written by this run (0 when everything was done)
	Elapsed  time.Duration
}

// Run exports the staged graph of db as neo4j-admin import CSV files into
// opt.Dir. A run that finds an export of the same plan in progress (same
// directory, compression and delimiter) continues it: units recorded done
// whose files are still there are not written again. Another plan starts
// over.
func Run(ctx context.Context, db checkpoint.DB, opt Options) (Result, error) {
	start := time.Now()
	opt = opt.withDefaults()
	dir, err := filepath.Abs(opt.Dir)
	if err != nil {
		return Result{}, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Result{}, fmt.Errorf("create export directory: %w", err)
	}
	plan, ids, units, done, total, err := prepare(db, dir, opt)
	if err != nil {
		return Result{}, err
	}
	var todo []unit
	var already int64
	for _, u := range units {
		if rec, ok := done[u.key()]; ok && filesExist(dir, rec) {
			already += rec.Entities
			continue
		}
		todo = append(todo, u)
	}
	e := &exporter{db: db, dir: dir, opt: opt, plan: plan, ids: ids, total: total, units: len(units), unitsDone: len(units) - len(todo)}
	e.written.Store(already)
	stop := e.monitor()
	err = e.runAll(ctx, todo)
	stop(err == nil)
	if err != nil {
		return Result{}, err
	}
	return e.finish(start, already)
}

func (o Options) withDefaults() Options {
	if o.ArrayDelimiter == 0 {
		o.ArrayDelimiter = DefaultArrayDelimiter
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.Chunk <= 0 {
		o.Chunk = defaultChunk
	}
	if o.ProgressEvery <= 0 {
		o.ProgressEvery = time.Second
	}
	return o
}

// prepare checks the state file, keeps or replaces the export plan, and
// lists the units with those already done.
func prepare(db checkpoint.DB, dir string, opt Options) (checkpoint.ExportPlan, *ids, []unit, map[string]checkpoint.ExportUnit, int64, error) {
	var plan checkpoint.ExportPlan
	var ids *ids
	var units []unit
	var done map[string]checkpoint.ExportUnit
	var total int64
	err := db.Update(func(tx *bolt.Tx) error {
		stage, err := checkpoint.ReadStageMark(tx)
		if err != nil {
			return err
		}
		if !stage.Done {
			return ErrNotStaged
		}
		schema, err := staging.ReadSchema(tx)
		if err != nil {
			return err
		}
		counts, err := checkpoint.ReadCounts(tx)
		if err != nil {
			return err
		}
		for _, n := range counts.Nodes {
			total += n
		}
		for _, n := range counts.Relationships {
			total += n
		}
		old, ok, err := checkpoint.ReadExportPlan(tx)
		if err != nil {
			return err
		}
		if ids, err = newIDs(tx, schema); err != nil {
			return err
		}
		plan = checkpoint.ExportPlan{Dir: dir, IDType: idType, Gzip: opt.Gzip, ArrayDelimiter: fmt.Sprintf("U+%04X", opt.ArrayDelimiter), Partitions: defaultPartitions}
		units = listUnits(tx, schema, plan.Partitions)
		plan.Units = len(units)
		if ok && old.Dir == plan.Dir && old.IDType == plan.IDType && old.Gzip == plan.Gzip && old.ArrayDelimiter == plan.ArrayDelimiter && old.Partitions == plan.Partitions {
			plan.Done = old.Done
			done, err = checkpoint.ReadExportUnits(tx)
			return err
		}
		done = map[string]checkpoint.ExportUnit{}
		if err := checkpoint.ClearExport(tx); err != nil {
			return err
		}
		return checkpoint.WriteExportPlan(tx, plan)
	})
	if err != nil {
		return plan, nil, nil, nil, 0, fmt.Errorf("export: %w", err)
	}
	return plan, ids, units, done, total, nil
}

// listUnits splits every bucket of schema into units: per-learner buckets
// into parts learner ranges, the others whole. Largest first, so the long
// units start early.
func listUnits(tx *bolt.Tx, schema *staging.Schema, parts int) []unit {
	var per, rest []unit
	for _, s := range schema.Nodes() {
		for i, r := range staging.Partitions(tx, s.PerLearner, parts) {
			u := unit{s: schema, kind: checkpoint.KindNodes, name: s.Label, part: i, r: r}
			if s.PerLearner {
				per = append(per, u)
			} else {
				rest = append(rest, u)
			}
		}
	}
	for _, s := range schema.Rels() {
		for i, r := range staging.Partitions(tx, s.PerLearner(), parts) {
			u := unit{s: schema, kind: checkpoint.KindRelationships, name: s.Type, part: i, r: r}
			if s.PerLearner() {
				per = append(per, u)
			} else {
				rest = append(rest, u)
			}
		}
	}
	return append(per, rest...)
}

func filesExist(dir string, rec checkpoint.ExportUnit) bool {
	for _, f := range rec.Files {
		for _, name := range []string{f.Header, f.Data} {
			if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
				return false
			}
		}
	}
	return true
}

// exporter runs the units of one export.
type exporter struct {
	db        checkpoint.DB
	dir       string
	opt       Options
	plan      checkpoint.ExportPlan
	ids       *ids
	total     int64
	units     int
	written   atomic.Int64
	mu        sync.Mutex
	unitsDone int
}

// runAll writes the units with opt.Workers goroutines; the first error
// cancels the rest.
func (e *exporter) runAll(ctx context.Context, todo []unit) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	jobs := make(chan unit)
	var wg sync.WaitGroup
	for range min(e.opt.Workers, max(len(todo), 1)) {
		wg.Go(func() {
			for u := range jobs {
				if err := e.runUnit(ctx, u); err != nil {
					cancel(err)
				}
			}
		})
	}
	for _, u := range todo {
		if ctx.Err() != nil {
			break
		}
		jobs <- u
	}
	close(jobs)
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return err
	}
	return nil
}

func (e *exporter) runUnit(ctx context.Context, u unit) error {
	w := &unitWriter{u: u, db: e.db, dir: e.dir, gzip: e.opt.Gzip, chunk: e.opt.Chunk, ids: e.ids,
		gr: grouper{enc: encoder{delim: e.opt.ArrayDelimiter}}, written: &e.written}
	rec, err := w.run(ctx)
	if err != nil {
		return err
	}
	err = e.db.Update(func(tx *bolt.Tx) error { return checkpoint.WriteExportUnit(tx, rec) })
	if err != nil {
		return fmt.Errorf("record export unit %s: %w", u.key(), err)
	}
	e.mu.Lock()
	e.unitsDone++
	e.mu.Unlock()
	return nil
}

// finish writes the args file and records the export done.
func (e *exporter) finish(start time.Time, already int64) (Result, error) {
	var recs map[string]checkpoint.ExportUnit
	err := e.db.View(func(tx *bolt.Tx) error {
		var err error
		recs, err = checkpoint.ReadExportUnits(tx)
		return err
	})
	if err != nil {
		return Result{}, fmt.Errorf("export: %w", err)
	}
	res := Result{Dir: e.dir, ArgsFile: ArgsFileName, Written: e.written.Load() - already}
	var units []unit
	err = e.db.View(func(tx *bolt.Tx) error {
		schema, err := staging.ReadSchema(tx)
		units = listUnits(tx, schema, e.plan.Partitions)
		return err
	})
	if err != nil {
		return Result{}, err
	}
	for _, u := range units {
		rec := recs[u.key()]
		res.Units = append(res.Units, rec)
		res.Entities += rec.Entities
	}
	if err := writeArgsFile(e.dir, e.plan, res.Units); err != nil {
		return Result{}, err
	}
	e.plan.Done = true
	if err := e.db.Update(func(tx *bolt.Tx) error { return checkpoint.WriteExportPlan(tx, e.plan) }); err != nil {
		return Result{}, fmt.Errorf("record export done: %w", err)
	}
	e.snapshot()
	res.Elapsed = time.Since(start)
	return res, nil
}

// monitor reports progress and publishes snapshots until stopped.
func (e *exporter) monitor() (stop func(ok bool)) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(e.opt.ProgressEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				e.report()
				e.snapshot()
			}
		}
	})
	return func(ok bool) {
		close(done)
		wg.Wait()
		if ok {
			e.report()
		}
	}
}

func (e *exporter) report() {
	if e.opt.Progress == nil {
		return
	}
	e.mu.Lock()
	unitsDone := e.unitsDone
	e.mu.Unlock()
	e.opt.Progress(e.written.Load(), e.total, unitsDone, e.units)
}

// snapshot publishes the status for `importer status`; failures are not
// fatal.
func (e *exporter) snapshot() {
	if e.opt.StatePath == "" {
		return
	}
	var s checkpoint.Status
	err := e.db.View(func(tx *bolt.Tx) error {
		var err error
		s, err = checkpoint.ReadStatus(tx)
		return err
	})
	if err != nil || s.Export == nil {
		return
	}
	s.Export.Entities = e.written.Load()
	checkpoint.WriteSnapshot(e.opt.StatePath, checkpoint.Snapshot{PID: os.Getpid(), Command: e.opt.Command, Updated: time.Now(), Status: s})
}
