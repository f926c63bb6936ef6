package checkpoint

import (
	bolt "go.etcd.io/bbolt"
)

// ModeOffline is the LoadPlan mode of a load done by Neo4j's bulk importer.
const ModeOffline = "offline"

// RecordOfflineLoad records a finished offline load: a done plan in mode
// ModeOffline and, for every staged label and type, one done load mark with
// the staged count, so that status reports it loaded like an online load.
func RecordOfflineLoad(tx *bolt.Tx, runID string) error {
	counts, err := ReadCounts(tx)
	if err != nil {
		return err
	}
	if err := ClearLoad(tx); err != nil {
		return err
	}
	marks := []LoadMark{}
	for name, n := range counts.Nodes {
		marks = append(marks, LoadMark{Kind: KindNodes, Name: name, Written: n, Done: true})
	}
	for name, n := range counts.Relationships {
		marks = append(marks, LoadMark{Kind: KindRelationships, Name: name, Written: n, Done: true})
	}
	for _, m := range marks {
		if err := WriteLoadMark(tx, m); err != nil {
			return err
		}
	}
	return WriteLoadPlan(tx, LoadPlan{Mode: ModeOffline, RunID: runID, Partitions: 1, Done: true})
}
