// Package graphwritetest connects tests to the local Neo4j that
// `make neo4j-up` starts (neo4j/README.md). A test calls Driver to get a
// driver and the database name: without a reachable Neo4j the test is
// skipped, except under CI=true, where it fails.
//
// Proxy is a Bolt-aware TCP proxy on the loopback address for fault
// injection: it follows the client's chunked Bolt messages and resets the
// connection mid-batch, before or after forwarding a write transaction's
// COMMIT, holds a COMMIT back for a while or for good (Stall), as its Plan
// says, and counts what it did.
// MayClear is the rule that keeps the tests (and the benchmark) from
// clearing a database that is not theirs.
//
// Caveats: the proxy must be reached with a bolt:// URI (through neo4j://
// the routing table sends the driver to Neo4j's own address). It tells
// write transactions from read ones by BEGIN's "mode": "r", and does not
// parse what the server sends beyond the handshake.
package graphwritetest
