package staging

import (
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/learnergraph/importer/checkpoint"
	graphmodel "github.com/learnergraph/importer/model"
)

// The state file owns its model: Stage stores the mapping's text and hash
// (checkpoint.Mapping) in the state file's first transaction, and every
// later reader takes the mapping from there.

// readMapping returns the state file's mapping record. Stage writes it
// with the input record, so a file with one and not the other is damaged.
func readMapping(tx *bolt.Tx) (checkpoint.Mapping, error) {
	m, ok, err := checkpoint.ReadMapping(tx)
	if err == nil && !ok {
		return m, &checkpoint.DamagedError{Path: tx.DB().Path(), Detail: "the mapping record is missing"}
	}
	return m, err
}

// ReadPlan returns the mapping a state file was staged with, compiled.
// Load, verify and export read it to refuse a state file whose mapping
// this build cannot use; the schema they load is the one it derives.
func ReadPlan(tx *bolt.Tx) (*Plan, error) {
	stored, err := readMapping(tx)
	if err != nil {
		return nil, err
	}
	return PlanOf(stored)
}

// ReadSchema returns the graph schema of the mapping a state file was
// staged with: what its buckets hold, and what the read API (ReadNodes,
// ReadRels) reads with.
func ReadSchema(tx *bolt.Tx) (*Schema, error) {
	p, err := ReadPlan(tx)
	if err != nil {
		return nil, err
	}
	return p.schema, nil
}

// ReadSchemaFrom is ReadSchema in a read transaction of its own.
func ReadSchemaFrom(db checkpoint.DB) (s *Schema, err error) {
	err = db.View(func(tx *bolt.Tx) error {
		s, err = ReadSchema(tx)
		return err
	})
	return s, err
}

// PlanOf parses and compiles a stored mapping.
func PlanOf(stored checkpoint.Mapping) (*Plan, error) {
	if stored.SHA256 == defaultPlan.model.Hash && stored.Text == string(defaultPlan.model.Text) {
		return defaultPlan, nil
	}
	m, err := graphmodel.Parse(stored.Name, []byte(stored.Text))
	if err != nil {
		return nil, fmt.Errorf("the state file's mapping: %w", err)
	}
	if m.Hash != stored.SHA256 {
		return nil, fmt.Errorf("%w: the state file's mapping %s has sha256 %s, its record says %s", ErrCorrupt, stored.Name, m.Hash, stored.SHA256)
	}
	return Compile(m)
}
