// Package graphwritetest connects tests to the local Neo4j that
// `make neo4j-up` starts (neo4j/README.md). A test calls Driver to get a
// driver and the database name: without a reachable Neo4j the test is
// skipped, except under CI=true, where it fails.
package graphwritetest
