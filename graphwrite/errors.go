package graphwrite

import "errors"

// Sentinel errors. Every error returned by this package that one of them
// describes wraps it, so callers can test with errors.Is; the wrapping
// message says what happened and, where there is one, what to do.
var (
	// ErrUnreachable means no Bolt connection could be made: wrong address,
	// Neo4j not running, or a network error.
	ErrUnreachable = errors.New("neo4j unreachable")
	// ErrBadURI means the Bolt URI could not be used (malformed, unknown
	// scheme); the message shows it with any password redacted.
	ErrBadURI = errors.New("invalid neo4j URI")
	// ErrTLS means the TLS handshake with Neo4j failed: a certificate
	// not signed by a trusted authority, a name it is not for, or a
	// server that does not speak TLS.
	ErrTLS = errors.New("TLS handshake failed")
	// ErrAuth means Neo4j refused the user name and password.
	ErrAuth = errors.New("neo4j authentication failed")
	// ErrNoDatabase means the database named in Config does not exist.
	ErrNoDatabase = errors.New("neo4j database does not exist")
	// ErrConstraint means a uniqueness constraint of the schema could not be
	// created because the target already breaks it (two nodes with one key)
	// or holds a conflicting index or constraint.
	ErrConstraint = errors.New("cannot create uniqueness constraint")
	// ErrKeyExists means create mode met a node whose key the target
	// already holds: the target was not empty.
	ErrKeyExists = errors.New("node key already exists in neo4j")
	// ErrMissingEndpoint means a staged relationship's start or end node is
	// not in Neo4j, so the relationship could not be written.
	ErrMissingEndpoint = errors.New("relationship endpoint missing in neo4j")
	// ErrWatermark means a partition's watermark in Neo4j kept moving under
	// the writer: another process is loading the same run.
	ErrWatermark = errors.New("watermark moved by another writer")
	// ErrGaveUp means a batch still failed with a transient error (Neo4j
	// down, restarting, deadlocking) when the retry budget ran out. Nothing
	// is lost: the resume point is intact.
	ErrGaveUp = errors.New("gave up retrying")
	// ErrNoPlan means Load was called on a state file without a load plan.
	ErrNoPlan = errors.New("no load plan in the state file")
	// ErrNotStaged means the state file's staging pass has not finished.
	ErrNotStaged = errors.New("staging is not done")
	// ErrUndeclared means a staged property is not in the schema
	// (staging.NodeSpec.Props, staging.RelSpec.Props): the state file was
	// written by another version of the importer.
	ErrUndeclared = errors.New("staged property not in the schema")
	// ErrMode means an unknown write mode was asked for.
	ErrMode = errors.New("unknown write mode (want auto, create or merge)")
)
