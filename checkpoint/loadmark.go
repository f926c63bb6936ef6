package checkpoint

import (
	"fmt"
	"strconv"

	bolt "go.etcd.io/bbolt"
)

var loadMarksBucket = []byte("load-marks")

// Kinds of staged buckets, as used in LoadMark and the status report.
const (
	KindNodes         = "nodes"
	KindRelationships = "relationships"
)

// LoadMark is the resume point of one partition of one staged bucket: the
// last staged key written to Neo4j (nil before the first batch) and how many
// entities that partition has written.
type LoadMark struct {
	Kind    string `json:"kind"`
	Name    string `json:"name"`
	Part    int    `json:"part"`
	After   []byte `json:"after,omitempty"`
	Written int64  `json:"written"`
	Done    bool   `json:"done"`
}

func (m LoadMark) key() []byte {
	return []byte(m.Kind + "/" + m.Name + "/" + strconv.Itoa(m.Part))
}

// WriteLoadMark stores m.
func WriteLoadMark(tx *bolt.Tx, m LoadMark) error {
	b, err := tx.CreateBucketIfNotExists(loadMarksBucket)
	if err != nil {
		return fmt.Errorf("write load mark: %w", err)
	}
	raw, err := sealJSON(m)
	if err != nil {
		return fmt.Errorf("write load mark: %w", err)
	}
	return b.Put(m.key(), raw)
}

// ReadLoadMarks returns every stored mark, in key order.
func ReadLoadMarks(tx *bolt.Tx) ([]LoadMark, error) {
	b := tx.Bucket(loadMarksBucket)
	if b == nil {
		return nil, nil
	}
	var marks []LoadMark
	err := Guard(tx.DB().Path(), func() error {
		return b.ForEach(func(k, v []byte) error {
			var m LoadMark
			if err := unsealJSON(v, &m); err != nil {
				return fmt.Errorf("read load mark %s: %w", k, err)
			}
			marks = append(marks, m)
			return nil
		})
	})
	return marks, err
}

// ClearLoad forgets the load plan, every load mark, the load's throughput
// samples and an offline load in progress (OfflineRun), so the next load
// starts from the beginning.
func ClearLoad(tx *bolt.Tx) error {
	if err := clearSamples(tx, PassLoad); err != nil {
		return err
	}
	if tx.Bucket(loadMarksBucket) != nil {
		if err := tx.DeleteBucket(loadMarksBucket); err != nil {
			return fmt.Errorf("clear load marks: %w", err)
		}
	}
	if err := ClearOfflineRun(tx); err != nil {
		return err
	}
	return tx.Bucket(metaBucket).Delete(keyLoad)
}
