// Package offline drives a Neo4j whose files are on this machine for the
// offline path: it finds its home, stops and starts it, runs Neo4j's bulk
// importer (`neo4j-admin database import full`) on an export (package
// export), and removes a database's store.
//
// Two kinds of home are known: an installation (bin/neo4j-admin and
// bin/neo4j) and the repo's local embedded Neo4j (neo4j/neo4j.sh, whose
// home holds classpath.txt, on which the import tool org.neo4j:neo4j-import-tool
// already is; the tool runs as org.neo4j.cli.AdminTool with NEO4J_HOME set
// and an empty NEO4J_CONF directory).
//
// The import goes into a scratch database directory first (Import); Swap
// replaces the target's store and transaction logs with it only once the
// tool succeeded and its report names no bad entry, so a failed import
// leaves the target as it was. Swap can be run again after an
// interruption at any instant and finishes the job; the caller records
// which steps have finished (checkpoint.OfflineRun) so that an
// interrupted offline load continues where it stopped.
//
// # Caveats
//
//   - Only homes of the repo's launcher are tested (the default one and a
//     second one made with NEO4J_HOME_DIR): no Neo4j installation
//     (tarball) was reachable where this was written. For an installation,
//     the data directory is conf/neo4j.conf's server.directories.data or
//     data/, and bin/neo4j stop/start/status are trusted.
//   - Stop never kills: a Neo4j that does not end within the timeout after
//     SIGTERM is an error (ErrStillRunning) and nothing is changed.
//   - Neo4j must be stopped while the store is replaced; the import tool
//     checks the store lock itself too.
package offline
