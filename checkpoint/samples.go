package checkpoint

import (
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Throughput samples: one small record per checkpoint of a pass, written in
// the checkpoint's own transaction, so `importer report` can draw the
// pass's rate over time. They live in a bucket per pass, created on the
// first sample: a state file written before samples existed simply has
// none (the format version is unchanged; nothing requires them).
//
//	samples:stage   sequence (8 bytes, big-endian) -> sealed JSON Sample
//	samples:load    the same; deleted by ClearLoad with the load marks

// Passes that record samples.
const (
	PassStage = "stage"
	PassLoad  = "load"
)

// Sample is one checkpoint of a pass: when it committed and what it added.
// A process that starts (or resumes) a pass first records a Sample with
// Start set and no counts, so the first batch's window and the gaps
// between resumed runs are known.
type Sample struct {
	At    time.Time `json:"at"`
	Start bool      `json:"start,omitempty"`
	PID   int       `json:"pid"`
	// Rows is how many input rows the staging checkpoint read.
	Rows int64 `json:"rows,omitempty"`
	// Nodes and Relationships are what a load batch wrote.
	Nodes         int64 `json:"nodes,omitempty"`
	Relationships int64 `json:"relationships,omitempty"`
	// Bucket names what a load batch wrote (a label, a type, "learners").
	Bucket string `json:"bucket,omitempty"`
	// Retries counts the failed attempts retried since the previous sample
	// of the process.
	Retries int64 `json:"retries,omitempty"`
}

func samplesBucket(pass string) []byte { return []byte("samples:" + pass) }

// AddSample appends s to the samples of pass.
func AddSample(tx *bolt.Tx, pass string, s Sample) error {
	b, err := tx.CreateBucketIfNotExists(samplesBucket(pass))
	if err != nil {
		return fmt.Errorf("write %s sample: %w", pass, err)
	}
	seq, err := b.NextSequence()
	if err != nil {
		return fmt.Errorf("write %s sample: %w", pass, err)
	}
	raw, err := sealJSON(s)
	if err != nil {
		return fmt.Errorf("write %s sample: %w", pass, err)
	}
	return b.Put(binary.BigEndian.AppendUint64(nil, seq), raw)
}

// ReadSamples returns the samples of pass in the order they were written
// (none for a file staged before samples were recorded).
func ReadSamples(tx *bolt.Tx, pass string) ([]Sample, error) {
	b := tx.Bucket(samplesBucket(pass))
	if b == nil {
		return nil, nil
	}
	var out []Sample
	err := Guard(tx.DB().Path(), func() error {
		return b.ForEach(func(k, v []byte) error {
			var s Sample
			if err := unsealJSON(v, &s); err != nil {
				return fmt.Errorf("read %s sample %x: %w", pass, k, err)
			}
			out = append(out, s)
			return nil
		})
	})
	return out, err
}

// clearSamples forgets the samples of pass.
func clearSamples(tx *bolt.Tx, pass string) error {
	if tx.Bucket(samplesBucket(pass)) == nil {
		return nil
	}
	if err := tx.DeleteBucket(samplesBucket(pass)); err != nil {
		return fmt.Errorf("clear %s samples: %w", pass, err)
	}
	return nil
}
