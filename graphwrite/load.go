package graphwrite

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/staging"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	bolt "go.etcd.io/bbolt"
)

// Defaults of the load's tuning flags, from measurements on this 2-core
// machine with Neo4j 5.26 on the same machine (and other work beside it;
// load average 5-10, so wall times are noisy and Neo4j's CPU seconds are
// the steadier figure). 50k generated rows = 657k entities, create mode,
// 2 workers:
//
//	batch   1000: 23-25 s, Neo4j 16-18 CPU s, client 2.9 CPU s, 681 batches
//	batch   5000: 23 s,    Neo4j 16 CPU s,    client 1.6 CPU s, 162 batches
//	batch  10000: 25-40 s, Neo4j 16-18 CPU s, client 1.5 CPU s
//	batch  20000: 27-37 s, Neo4j 17-18 CPU s, client 1.3 CPU s
//
// and with batch 5000, by workers (create; merge): 1: 29-40 s; 25-33 s,
// 2: 22-30 s; 20-41 s, 3: 20-35 s, 4: 17-25 s; 16-26 s. Neo4j's CPU per
// entity does not grow with workers (no lock waits, no deadlock retries
// once relationship rows are sorted by end key), and more workers keep
// both cores busy while the client reads and packs the next batches. On
// 200k rows (2.57M entities): 4 workers 47.6 s (54k entities/s, Neo4j 64
// CPU s, client 5.7 CPU s), 2 workers 67 s; merge mode with 4 workers 78 s.
// The contract's 1.7M rows (21.6M entities), create mode, 4 workers, next
// to another Neo4j and an end-to-end benchmark: 10m44s, Neo4j 673 CPU s,
// client 48 CPU s (about 6 minutes of work for two cores), no retries.
const (
	// DefaultWorkers is the number of parallel writers: on this 2-core
	// machine, at 1.7M rows and batches of 20,000, 3 cost Neo4j 2.5-5%
	// less CPU per entity than 4 (19.3 against 19.8 µs; 20.3 against 21.4),
	// and 3 less than 2 (docs/performance.md, session 7).
	DefaultWorkers = 3
	// DefaultTxTimeout bounds one attempt at a batch transaction. A batch
	// of 5,000 entities takes well under a second on a quiet machine, but
	// with a cold Neo4j on two cores at load average 30 a first batch took
	// over a minute (a 1-minute limit made the fault test's reference load
	// give up), so the limit is generous: 5 minutes without an answer
	// means a hung connection or a stuck Neo4j.
	DefaultTxTimeout = 5 * time.Minute
)

const (
	// stopGrace is how long a batch in flight may still take once the load
	// is cancelled.
	stopGrace = 3 * time.Second
	// maxMoves is how many times in a row a partition's watermark may be
	// found away from where the writer expects it before the load stops.
	maxMoves      = 3
	snapshotEvery = 2 * time.Second
)

// LoadOptions tune a load. Zero values take the defaults.
type LoadOptions struct {
	// StatePath is the state file's path, for the progress snapshot that
	// `importer status` reads while the file is locked; "" writes none.
	StatePath string
	// Command names the process in the snapshot ("load", "resume").
	Command string
	Workers int
	// BatchSize is the number of staged entities per transaction; 0 takes
	// DefaultBatchSize of the plan's mode.
	BatchSize int
	// RetryFor is how long one batch is retried through transient errors
	// (deadlocks, Neo4j restarting) before the load gives up (ErrGaveUp).
	RetryFor time.Duration
	// TxTimeout is how long one attempt at a batch may take, client side
	// (the driver stops waiting for Neo4j's answer) and server side (Neo4j
	// is told the same limit and terminates the transaction): then the
	// attempt has failed and the batch is retried like after a lost
	// connection. It keeps a hung connection or a Neo4j that stopped
	// answering from holding the load for ever.
	TxTimeout time.Duration
	// Progress receives progress and retry lines (stderr); nil discards.
	Progress io.Writer
	// Live rewrites one progress line in place (Progress is a terminal).
	Live bool
	// maxEndIDs is the most shared end nodes the learner group finds by
	// node id (ends.go); tests lower it to take the index seek path.
	maxEndIDs int64
}

func (o LoadOptions) withDefaults() LoadOptions {
	if o.Workers <= 0 {
		o.Workers = DefaultWorkers
	}
	if o.RetryFor <= 0 {
		o.RetryFor = DefaultRetryFor
	}
	if o.maxEndIDs <= 0 {
		o.maxEndIDs = maxEndIDs
	}
	if o.TxTimeout <= 0 {
		o.TxTimeout = DefaultTxTimeout
	}
	if o.Command == "" {
		o.Command = "load"
	}
	return o
}

// loader is one Load call.
type loader struct {
	g     *Graph
	db    checkpoint.DB
	s     *staging.Schema // the state file's
	plan  checkpoint.LoadPlan
	mode  Mode
	opt   LoadOptions
	st    *stats
	prog  *progress
	retry *retrier
	parts []partition
	marks map[string]resumePoint // by markKey, as reconciled at start
	// groupLimit is the number of learners in a batch of the learner
	// group: about BatchSize entities.
	groupLimit int
	counts     checkpoint.Counts // staged

}

// DefaultBatchSize is the number of staged entities per transaction of a
// load in mode m: 20,000 in create mode, 5,000 in merge mode.
//
// In create mode a learner group batch of 20,000 entities (about 1,400
// learners) cost Neo4j 18.0 µs per entity at 1.7M rows, against 19.0 at
// 10,000 and 20.4 at 5,000, and loaded in 234.5 s against 248.2 and 268.6
// (docs/performance.md, session 6; measured with the learner constraints
// built after the group, which main does not do: with them first, 20,000
// took 263 s and 21.0 µs): a transaction pays per dense shared node it
// links to, and a larger batch links more learners to each. 50,000
// was slower (58k entities/s against 93k: commits queue on those nodes'
// locks). Merge mode writes bucket by bucket, where 20,000 gained nothing:
// at 200k rows 284 Neo4j CPU-s against 263 with 5,000 (one run each), and
// the sweep at the top of this file found 5,000 the cheapest.
func DefaultBatchSize(m Mode) int {
	if m == ModeMerge {
		return 5000
	}
	return 20000
}

// resumePoint is where a partition starts in this process.
type resumePoint struct {
	wm   watermark
	done bool
}

// Load drains the state file's staged graph into Neo4j following the load
// plan recorded by Begin, from wherever an earlier Load of the same plan
// stopped. It returns ctx.Err() when ctx is cancelled, after the batches in
// flight are committed and their marks written.
func Load(ctx context.Context, g *Graph, db checkpoint.DB, opt LoadOptions) (Stats, error) {
	opt = opt.withDefaults()
	start := time.Now()
	plan, counts, s, err := readPlan(db)
	if err != nil {
		return Stats{}, err
	}
	if opt.BatchSize <= 0 {
		opt.BatchSize = DefaultBatchSize(Mode(plan.Mode))
	}
	l := &loader{g: g, db: db, s: s, plan: plan, mode: Mode(plan.Mode), opt: opt, st: newStats(Mode(plan.Mode))}
	if plan.Done {
		return l.st.snapshot(), nil
	}
	if err := g.EnsureConstraints(ctx, s); err != nil {
		return Stats{}, err
	}
	if l.parts, err = planPartitions(db, s, plan); err != nil {
		return Stats{}, err
	}
	l.groupLimit = groupLimit(s, counts, opt.BatchSize)
	l.counts = counts
	l.prog = newProgress(opt.Progress, opt.Live, total(counts), 0)
	l.retry = newRetrier(opt.RetryFor, l.prog.logf, l.st)
	if err := l.reconcile(ctx); err != nil {
		return Stats{}, err
	}
	err = db.Update(func(tx *bolt.Tx) error {
		return checkpoint.AddSample(tx, checkpoint.PassLoad, checkpoint.Sample{At: start, Start: true, PID: os.Getpid()})
	})
	if err != nil {
		return Stats{}, fmt.Errorf("record the load's start: %w", err)
	}
	err = l.run(ctx)
	if err == nil {
		err = l.finish(ctx)
	}
	l.prog.finish()
	out := l.st.snapshot()
	out.Elapsed = time.Since(start)
	return out, err
}

// readPlan reads the load plan, the staged counts and the schema.
func readPlan(db checkpoint.DB) (plan checkpoint.LoadPlan, counts checkpoint.Counts, s *staging.Schema, err error) {
	err = db.View(func(tx *bolt.Tx) error {
		if err := checkStaged(tx); err != nil {
			return err
		}
		var ok bool
		if plan, ok, err = checkpoint.ReadLoadPlan(tx); err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("%w (start one with `importer load`)", ErrNoPlan)
		}
		if _, err := ParseMode(plan.Mode); err != nil || plan.Mode == string(ModeAuto) {
			return fmt.Errorf("load plan has mode %q: %w", plan.Mode, ErrMode)
		}
		if s, err = staging.ReadSchema(tx); err != nil {
			return err
		}
		counts, err = checkpoint.ReadCounts(tx)
		return err
	})
	return plan, counts, s, err
}

func total(c checkpoint.Counts) int64 {
	var n int64
	for _, v := range c.Nodes {
		n += v
	}
	for _, v := range c.Relationships {
		n += v
	}
	return n
}

// groupLimit is the number of learners whose entities make about
// batchSize entities, on average.
func groupLimit(s *staging.Schema, c checkpoint.Counts, batchSize int) int {
	var entities int64
	for _, b := range learnerGroup(s).members {
		if b.kind == checkpoint.KindNodes {
			entities += c.Nodes[b.name()]
		} else {
			entities += c.Relationships[b.name()]
		}
	}
	learners := c.Nodes[s.Root()]
	if entities == 0 || learners == 0 {
		return batchSize
	}
	return max(1, int(int64(batchSize)*learners/entities))
}

// planPartitions splits every bucket of the plan into its partitions. The
// ranges depend only on the staged data, which no longer changes once
// staging is done, so every resume finds the same ones.
func planPartitions(db checkpoint.DB, s *staging.Schema, plan checkpoint.LoadPlan) ([]partition, error) {
	var out []partition
	err := db.View(func(tx *bolt.Tx) error {
		for _, b := range loadBuckets(s, plan.Grouped) {
			for i, r := range staging.Partitions(tx, b.perLearner(), plan.Partitions) {
				out = append(out, partition{b: b, part: i, r: r})
			}
		}
		return nil
	})
	return out, err
}

// run writes every bucket in load order. Within a bucket, workers pull
// partitions; a bucket is finished before the next starts, so no
// relationship is written before its endpoints.
func (l *loader) run(ctx context.Context) error {
	sessions := make([]neo4j.SessionWithContext, l.opt.Workers)
	for i := range sessions {
		sessions[i] = l.g.session(ctx, neo4j.AccessModeWrite)
		defer sessions[i].Close(context.Background())
	}
	stop := l.monitor()
	defer stop()
	for _, b := range loadBuckets(l.s, l.plan.Grouped) {
		if err := ctx.Err(); err != nil {
			return err
		}
		var todo []partition
		for _, p := range l.parts {
			if p.b.name() == b.name() && !l.marks[p.markKey()].done {
				todo = append(todo, p)
			}
		}
		if len(todo) == 0 {
			continue
		}
		l.prog.setBucket(b.name())
		if b.kind == kindLearners {
			ends, err := l.g.readEndIDs(ctx, l.s, b, l.counts, l.opt.maxEndIDs)
			if err != nil {
				return err
			}
			for i := range todo {
				todo[i].b.ends = ends
			}
		}
		if err := l.runBucket(ctx, sessions, todo); err != nil {
			return err
		}
	}
	return nil
}

// runBucket drains the partitions of one bucket with up to one worker per
// session. The first failure stops the other workers after their batch in
// flight.
func (l *loader) runBucket(ctx context.Context, sessions []neo4j.SessionWithContext, todo []partition) error {
	jobs := make(chan partition, len(todo))
	for _, p := range todo {
		jobs <- p
	}
	close(jobs)
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, min(len(sessions), len(todo)))
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() {
			for p := range jobs {
				if err := l.partition(wctx, sessions[i], p); err != nil {
					errs[i] = err
					cancel()
					return
				}
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
	}
	return nil
}

// partition writes one partition batch by batch, from its reconciled mark
// to its end.
func (l *loader) partition(ctx context.Context, s neo4j.SessionWithContext, p partition) error {
	pos := l.marks[p.markKey()].wm
	limit := l.opt.BatchSize
	if p.b.kind == kindLearners {
		limit = l.groupLimit
	}
	moves := 0
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		bt, err := p.b.read(l.db, p.r, pos.after, limit, l.mode)
		if err != nil {
			return fmt.Errorf("read %s from the state file: %w", p, err)
		}
		if bt.count == 0 {
			return l.saveMark(p, pos, true, nil)
		}
		out, err := l.commit(ctx, s, p, bt)
		if err != nil {
			return err
		}
		l.prog.add(out.wm.written - pos.written)
		var sample *checkpoint.Sample
		if out.moved {
			if moves++; moves > maxMoves {
				return fmt.Errorf("write %s: %w (is another importer loading this state file's run %s?)", p, ErrWatermark, l.plan.RunID)
			}
			l.st.skipped()
			l.prog.logf("%s: Neo4j already holds the batch after %x (its watermark is at %x, %d written); continuing from there",
				p, pos.after, out.wm.after, out.wm.written)
		} else {
			moves = 0
			l.st.committed(p.b, bt)
			smp := l.st.sample(p.b, bt)
			sample = &smp
		}
		pos = out.wm
		if err := l.saveMark(p, pos, false, sample); err != nil {
			return err
		}
	}
}

// commit writes one batch, retrying transient failures. Each attempt
// may take TxTimeout; one that gets no answer by then (a hung connection,
// a stuck Neo4j) is abandoned and retried. After the caller's
// cancellation (Ctrl-C) the attempt in flight gets stopGrace to finish,
// so a normal batch still ends at a clean checkpoint, but one stuck in
// Neo4j (waiting for a lock, a slow commit) is abandoned rather than
// holding the exit for up to TxTimeout. Abandoning is safe at any
// instant: the batch commits with its watermark or not at all, and the
// next attempt (or load) reads the watermark first. The backoff between
// attempts stops at once.
func (l *loader) commit(ctx context.Context, s neo4j.SessionWithContext, p partition, bt batch) (outcome, error) {
	var out outcome
	err := l.retry.do(ctx, "write "+p.String(), func() error {
		tctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), l.opt.TxTimeout)
		defer cancel()
		stop := context.AfterFunc(ctx, func() { time.AfterFunc(stopGrace, cancel) })
		defer stop()
		var err error
		out, err = commitBatch(tctx, s, l.plan.RunID, p, bt, l.driverRetry(p))
		if err != nil && errors.Is(tctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil {
			err = fmt.Errorf("%w: no answer within %s (--tx-timeout): %w", errTxTimeout, l.opt.TxTimeout, err)
		}
		return err
	})
	if err != nil && ctx.Err() != nil {
		return out, fmt.Errorf("write %s: batch in flight abandoned: %w", p, ctx.Err())
	}
	if err != nil {
		return out, batchError(p, err)
	}
	return out, nil
}

// driverRetry returns the callback that counts and logs a failed attempt
// inside a transaction function, which the driver retries by itself when
// the error is transient.
func (l *loader) driverRetry(p partition) func(error) {
	return func(err error) {
		if !retryable(err) {
			return
		}
		l.st.observe(err)
		l.prog.logf("write %s: %s; the driver retries the transaction", p, shortError(err))
	}
}

// finish marks the plan done, publishes the last snapshot and removes the
// run's watermarks, in that order: a crash before the plan is marked done
// resumes with the watermarks intact; one after leaves a few harmless
// watermark nodes behind.
func (l *loader) finish(ctx context.Context) error {
	l.plan.Done = true
	err := l.db.Update(func(tx *bolt.Tx) error { return checkpoint.WriteLoadPlan(tx, l.plan) })
	if err != nil {
		return fmt.Errorf("record load done: %w", err)
	}
	l.writeSnapshot()
	if err := l.g.deleteWatermarks(ctx, l.plan.RunID); err != nil {
		l.prog.logf("warning: %v", err)
	}
	return nil
}
