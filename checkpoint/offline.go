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
// end with every entity. The record of the load in progress (OfflineRun)
// goes.
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

// keyOffline holds the OfflineRun of an offline load in progress.
var keyOffline = []byte("offline")

// An OfflinePhase is a step of an offline load that has finished; they
// follow each other in the order of OfflinePhases.
type OfflinePhase string

// The steps of an offline load, in order. Each is recorded when it has
// finished, so a load interrupted at any instant (a crash, SIGKILL, a
// second Ctrl-C) is continued after its last finished step.
const (
	// OfflineChecked: the target was found empty, or the command line
	// allowed replacing it (--overwrite-destination).
	OfflineChecked OfflinePhase = "checked"
	// OfflineExported: the export is complete.
	OfflineExported OfflinePhase = "exported"
	// OfflineStopped: Neo4j is stopped.
	OfflineStopped OfflinePhase = "stopped"
	// OfflineImported: the scratch database holds the whole import and
	// the tool's report is empty; the target is untouched.
	OfflineImported OfflinePhase = "imported"
	// OfflineSwapping: the scratch store is being moved into the target's
	// place (store files, then transaction logs).
	OfflineSwapping OfflinePhase = "swapping"
	// OfflineSwapped: the target database is the import.
	OfflineSwapped OfflinePhase = "swapped"
	// OfflineStarted: Neo4j runs on the import; the constraints and the
	// record of the load (RecordOfflineLoad) remain.
	OfflineStarted OfflinePhase = "started"
)

// OfflinePhases lists the phases in order.
var OfflinePhases = []OfflinePhase{OfflineChecked, OfflineExported, OfflineStopped, OfflineImported, OfflineSwapping, OfflineSwapped, OfflineStarted}

// Before reports whether p comes before q ("" before every phase).
func (p OfflinePhase) Before(q OfflinePhase) bool { return p.index() < q.index() }

func (p OfflinePhase) index() int {
	for i, x := range OfflinePhases {
		if x == p {
			return i
		}
	}
	return -1
}

// OfflineRun is an offline load in progress: where it stands and what it
// needs to go on (`importer resume` has no offline flags of its own).
type OfflineRun struct {
	Phase    OfflinePhase `json:"phase"`
	Home     string       `json:"home"`     // the Neo4j home, absolute
	Database string       `json:"database"` // the target database
	Heap     string       `json:"heap"`     // the import tool's heap
	OffHeap  string       `json:"offHeap"`  // its --max-off-heap-memory
	// StopTimeout is how long Neo4j may take to stop, in seconds.
	StopTimeout float64 `json:"stopTimeout"`
	// WasRunning says Neo4j ran when the load began: a failed import
	// starts it again.
	WasRunning bool `json:"wasRunning"`
	// Started is when the load began (its first throughput sample).
	Started time.Time `json:"started"`
	// Overwrite says the command line allowed replacing a target that
	// holds data (--overwrite-destination): a resume that finds Neo4j
	// started again checks the target with the same permission.
	Overwrite bool `json:"overwrite"`
	// The export's directory and encoding.
	Out            string `json:"out"`
	Gzip           bool   `json:"gzip"`
	ArrayDelimiter string `json:"arrayDelimiter"`
}

// ReadOfflineRun returns the offline load in progress; ok is false when
// there is none.
func ReadOfflineRun(tx *bolt.Tx) (r OfflineRun, ok bool, err error) {
	ok, err = getJSON(tx, keyOffline, &r)
	return r, ok, err
}

// WriteOfflineRun records the offline load in progress.
func WriteOfflineRun(tx *bolt.Tx, r OfflineRun) error { return putJSON(tx, keyOffline, r) }

// ClearOfflineRun forgets the offline load in progress.
func ClearOfflineRun(tx *bolt.Tx) error { return tx.Bucket(metaBucket).Delete(keyOffline) }
