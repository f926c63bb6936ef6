// Package checkpoint owns the state file: one bbolt file that holds the
// staged graph (written by package staging), the rejected rows, the counters
// of the status report, and the resume points of both passes.
//
// A state file is created by Create and reopened by Open (a *bolt.DB, for
// the packages that stage and read its buckets) or by OpenState (a *State:
// the typed operations the importer's commands use, so that no command
// holds a bbolt handle or transaction; packages that take a DB take either).
// Every write that moves a resume point happens in the same bbolt
// transaction as the data it describes, so the file is always at a
// checkpoint: a crash at any instant loses at most the batch in flight,
// never the consistency between data and counters.
//
// While a process writes the state file it holds bbolt's exclusive file lock.
// So that `importer status` can still answer, the writer also publishes a
// snapshot of its status next to the state file (path + ".progress"),
// replaced atomically at every checkpoint.
//
// # Caveats
//
//   - The format is versioned (FormatVersion). Open refuses a file of another
//     version instead of misreading it; there is no migration yet. A state
//     file of a mapping that reads several files has the files record
//     (InputFile, files.go) instead of the input record.
//   - The bbolt *DB returned by Create and Open must be closed by the caller;
//     bbolt keys and values are only valid inside their transaction, so every
//     reader in this package copies what it returns.
//   - Damage is detected, not repaired (damage.go, pages.go): every stored
//     value carries a CRC-32C (Seal/Unseal), so a flipped byte in a value is
//     refused, never decoded into another value; Open compares the file's
//     size with the pages its bbolt meta page claims (a truncated file would
//     fault on the first page past its end) and walks the page tree with
//     plain reads, because bbolt's freelist rebuild (on a write open)
//     panics unrecoverably in a goroutine of its own on a page reached twice
//     or out of order, and because a damaged page header can hide entries
//     from any reader: each top-level bucket's entries are counted against
//     a sealed record of them (OpenReadOnly walks too, under a shared lock
//     so that it never reads a file being written). Reads run under Guard (debug.SetPanicOnFault and
//     recover), so what is left — a fault or panic inside bbolt — becomes a
//     *DamagedError too. All of these match ErrDamaged (exit status 4).
//     Not detected: a flipped byte in a key that keeps the keys in order
//     (node and relationship keys are repeated in their checksummed values,
//     reject lines too, so no staged value changes), and a damaged meta page:
//     bbolt then reads the previous transaction, an earlier checkpoint, as
//     after a torn write.
//   - Every open's page walk reads every page once (bbolt's own freelist
//     rebuild on the first write does the same): `importer status` of a
//     large state file costs a read of the whole file.
//   - The progress snapshot is advisory: it may lag the state file by one
//     checkpoint, and a process killed with SIGKILL leaves its last snapshot
//     behind (status then finds the lock free and reads the file itself).
package checkpoint
