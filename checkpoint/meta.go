package checkpoint

import (
	"encoding/binary"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Keys of the meta bucket. Records are small and written once per
// checkpoint, so they are JSON (readable with `bbolt get` when debugging),
// sealed with a checksum like every stored value.
var (
	keyVersion = []byte("version")
	keyInput   = []byte("input")
	keyStage   = []byte("stage")
	keyCounts  = []byte("counts")
	keyLoad    = []byte("load")
	keyEntries = []byte("entries")
)

// Phase is where an import stands.
type Phase string

// The phases, in order.
const (
	PhaseStaging Phase = "staging"
	PhaseStaged  Phase = "staged"
	PhaseLoading Phase = "loading"
	PhaseLoaded  Phase = "loaded"
)

// Input describes the CSV file a state file was staged from.
type Input struct {
	Path        string      `json:"path"`
	Fingerprint Fingerprint `json:"fingerprint"`
	Header      []string    `json:"header"`
	// MaxRecordBytes is the bound on one record's size staging used; resume
	// keeps it (0 in files staged before the bound existed).
	MaxRecordBytes int64 `json:"maxRecordBytes,omitempty"`
}

// StageMark is the staging pass's resume point: the byte offset and line
// number at which the next record starts, in input file File (of a mapping
// that reads several; always 0 for one file). Done: every file is staged.
type StageMark struct {
	File        int    `json:"file,omitempty"`
	Offset      int64  `json:"offset"`
	Line        int64  `json:"line"`
	NextOrdinal uint64 `json:"nextOrdinal"`
	Done        bool   `json:"done"`
}

// LoadPlan is fixed when a load starts and kept by every resume.
type LoadPlan struct {
	Mode       string `json:"mode"`
	RunID      string `json:"runId"`
	Partitions int    `json:"partitions"`
	// Grouped loads the per-learner buckets together, learner by learner
	// (create mode); a plan without it loads bucket by bucket.
	Grouped bool `json:"grouped,omitempty"`
	Done    bool `json:"done"`
}

// ReadInput returns the input record; ok is false before staging started.
func ReadInput(tx *bolt.Tx) (in Input, ok bool, err error) {
	ok, err = getJSON(tx, keyInput, &in)
	return in, ok, err
}

// WriteInput stores the input record.
func WriteInput(tx *bolt.Tx, in Input) error { return putJSON(tx, keyInput, in) }

// ReadStageMark returns the staging resume point (zero before the first
// checkpoint).
func ReadStageMark(tx *bolt.Tx) (StageMark, error) {
	var m StageMark
	_, err := getJSON(tx, keyStage, &m)
	return m, err
}

// WriteStageMark stores the staging resume point.
func WriteStageMark(tx *bolt.Tx, m StageMark) error { return putJSON(tx, keyStage, m) }

// ReadCounts returns the staging counters.
func ReadCounts(tx *bolt.Tx) (Counts, error) {
	c := NewCounts(nil, nil)
	_, err := getJSON(tx, keyCounts, &c)
	return c, err
}

// WriteCounts stores the staging counters.
func WriteCounts(tx *bolt.Tx, c Counts) error { return putJSON(tx, keyCounts, c) }

// WriteEntries stores how many key/value pairs each top-level bucket
// holds, for Open to check when it walks the file's pages (pages.go).
func WriteEntries(tx *bolt.Tx, entries map[string]int64) error {
	return putJSON(tx, keyEntries, entries)
}

// ReadLoadPlan returns the load plan; ok is false before a load started.
func ReadLoadPlan(tx *bolt.Tx) (p LoadPlan, ok bool, err error) {
	ok, err = getJSON(tx, keyLoad, &p)
	return p, ok, err
}

// WriteLoadPlan stores the load plan.
func WriteLoadPlan(tx *bolt.Tx, p LoadPlan) error { return putJSON(tx, keyLoad, p) }

func getJSON(tx *bolt.Tx, key []byte, v any) (ok bool, err error) {
	err = Guard(tx.DB().Path(), func() error {
		ok, err = getJSONTx(tx, key, v)
		return err
	})
	return ok, err
}

func getJSONTx(tx *bolt.Tx, key []byte, v any) (bool, error) {
	b := tx.Bucket(metaBucket)
	if b == nil {
		return false, fmt.Errorf("read %s: %w: no meta bucket", key, ErrVersion)
	}
	raw := b.Get(key)
	if raw == nil {
		return false, nil
	}
	if err := unsealJSON(raw, v); err != nil {
		return false, fmt.Errorf("read %s: %w", key, err)
	}
	return true, nil
}

// sealJSON encodes v as JSON, sealed.
func sealJSON(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	return Seal(raw), err
}

// unsealJSON checks a sealed JSON record and decodes it into v; the error
// wraps ErrDamaged: the importer wrote these bytes.
func unsealJSON(raw []byte, v any) error {
	body, err := Unseal(raw)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(body, v); err != nil {
		return damage(fmt.Sprintf("undecodable record: %v", err))
	}
	return nil
}

func putJSON(tx *bolt.Tx, key []byte, v any) error {
	raw, err := sealJSON(v)
	if err != nil {
		return fmt.Errorf("write %s: %w", key, err)
	}
	return tx.Bucket(metaBucket).Put(key, raw)
}

func encodeUint64(v uint64) []byte {
	return binary.BigEndian.AppendUint64(nil, v)
}

func decodeUint64(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}
