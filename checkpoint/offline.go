package checkpoint

import (
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ModeOffline is the LoadPlan mode of a load done by Neo4j's bulk importer.
const ModeOffline = "offline"

// RecordOfflineLoad records a finished offline load that started at
// started: a done plan in mode ModeOffline and, for every staged label and
// type, one done load mark with the staged count, so that status reports it
// loaded like an online load; and two throughput samples, its start and its
// end with every entity.
func RecordOfflineLoad(tx *bolt.Tx, runID string, started time.Time) error {
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
	end := Sample{At: time.Now(), PID: os.Getpid(), Bucket: ModeOffline}
	for _, m := range marks {
		if err := WriteLoadMark(tx, m); err != nil {
			return err
		}
		if m.Kind == KindNodes {
			end.Nodes += m.Written
		} else {
			end.Relationships += m.Written
		}
	}
	if err := AddSample(tx, PassLoad, Sample{At: started, Start: true, PID: end.PID}); err != nil {
		return err
	}
	if err := AddSample(tx, PassLoad, end); err != nil {
		return err
	}
	return WriteLoadPlan(tx, LoadPlan{Mode: ModeOffline, RunID: runID, Partitions: 1, Done: true})
}
