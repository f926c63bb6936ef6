package checkpoint

import (
	bolt "go.etcd.io/bbolt"
)

// keyMapping holds the mapping file a state file was staged with: the
// state file owns its model, so that load, verify, export, status and
// resume read the mapping from it, never from a file that may have
// changed since.
var keyMapping = []byte("mapping")

// Mapping is the mapping file a state file was staged with.
type Mapping struct {
	// Name is the file's path as given, or the built-in mapping's name.
	Name string `json:"name"`
	// SHA256 is the hash of Text, in hex.
	SHA256 string `json:"sha256"`
	Text   string `json:"text"`
}

// ReadMapping returns the mapping record; ok is false before staging
// started.
func ReadMapping(tx *bolt.Tx) (m Mapping, ok bool, err error) {
	ok, err = getJSON(tx, keyMapping, &m)
	return m, ok, err
}

// WriteMapping stores the mapping record.
func WriteMapping(tx *bolt.Tx, m Mapping) error { return putJSON(tx, keyMapping, m) }
