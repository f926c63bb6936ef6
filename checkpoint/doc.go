// Package checkpoint owns the state file: one bbolt file that holds the
// staged graph (written by package staging), the rejected rows, the counters
// of the status report, and the resume points of both passes.
//
// A state file is created by Create and reopened by Open. Every write that
// moves a resume point happens in the same bbolt transaction as the data it
// describes, so the file is always at a checkpoint: a crash at any instant
// loses at most the batch in flight, never the consistency between data and
// counters.
//
// While a process writes the state file it holds bbolt's exclusive file lock.
// So that `importer status` can still answer, the writer also publishes a
// snapshot of its status next to the state file (path + ".progress"),
// replaced atomically at every checkpoint.
//
// # Caveats
//
//   - The format is versioned (FormatVersion). Open refuses a file of another
//     version instead of misreading it; there is no migration yet.
//   - The bbolt *DB returned by Create and Open must be closed by the caller;
//     bbolt keys and values are only valid inside their transaction, so every
//     reader in this package copies what it returns.
//   - The progress snapshot is advisory: it may lag the state file by one
//     checkpoint, and a process killed with SIGKILL leaves its last snapshot
//     behind (status then finds the lock free and reads the file itself).
package checkpoint
