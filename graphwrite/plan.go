package graphwrite

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/learnergraph/importer/checkpoint"
	"github.com/learnergraph/importer/staging"
	bolt "go.etcd.io/bbolt"
)

// minPartitions is the least number of partitions a load plan splits the
// per-learner buckets into, so that a resume may use more workers than
// the load started with. Workers pull partitions, so 12 shares out evenly
// to 1, 2, 3, 4 or 6 of them: with 4 partitions, 3 workers left the last
// one to a single worker, and the last fifth of a 1.7M-row load ran at
// half speed (286 s against 240 s with 12).
const minPartitions = 12

// Begin starts a new load of a fully staged state file: it resolves mode
// (auto looks at the target), draws a new run id, fixes the number of
// partitions (max(workers, minPartitions)), and records the plan in the
// state file, forgetting any earlier plan and load marks. The previous run's
// watermarks, if any, are deleted from Neo4j.
//
// Begin does not refuse to replace a plan in progress: that is the
// caller's policy (the importer asks for --restart).
func Begin(ctx context.Context, g *Graph, db checkpoint.DB, mode Mode, workers int) (checkpoint.LoadPlan, error) {
	var old checkpoint.LoadPlan
	var hadOld bool
	var s *staging.Schema
	err := db.View(func(tx *bolt.Tx) error {
		if err := checkStaged(tx); err != nil {
			return err
		}
		var err error
		if s, err = staging.ReadSchema(tx); err != nil {
			return err
		}
		old, hadOld, err = checkpoint.ReadLoadPlan(tx)
		return err
	})
	if err != nil {
		return checkpoint.LoadPlan{}, err
	}
	m, err := g.ResolveMode(ctx, s, mode)
	if err != nil {
		return checkpoint.LoadPlan{}, err
	}
	plan := checkpoint.LoadPlan{Mode: string(m), RunID: newRunID(), Partitions: max(workers, minPartitions), Grouped: m == ModeCreate}
	err = db.Update(func(tx *bolt.Tx) error {
		if err := checkpoint.ClearLoad(tx); err != nil {
			return err
		}
		return checkpoint.WriteLoadPlan(tx, plan)
	})
	if err != nil {
		return checkpoint.LoadPlan{}, fmt.Errorf("record load plan: %w", err)
	}
	if hadOld && old.RunID != "" {
		if err := g.deleteWatermarks(ctx, old.RunID); err != nil {
			return plan, err
		}
	}
	return plan, nil
}

// checkStaged fails with ErrNotStaged unless the staging pass finished.
func checkStaged(tx *bolt.Tx) error {
	m, err := checkpoint.ReadStageMark(tx)
	if err != nil {
		return err
	}
	if !m.Done {
		return fmt.Errorf("%w (run `importer resume` to finish staging first)", ErrNotStaged)
	}
	return nil
}

// newRunID returns a fresh, unique id for a load run: the start time and
// random bits, so ids sort by time and never repeat.
func newRunID() string {
	var b [6]byte
	rand.Read(b[:])
	return time.Now().UTC().Format("20060102T150405") + "-" + hex.EncodeToString(b[:])
}
