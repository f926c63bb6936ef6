// Package graphwrite is the second pass: it drains the staged graph of a
// state file (package staging, package checkpoint) into Neo4j over Bolt,
// exactly once, resumably, in parallel.
//
// Connect opens a Graph (one driver; clear errors for an unreachable
// server, bad credentials, a missing database). Begin records a load plan
// in the state file: the write mode (create, merge, or auto resolved
// against the target), a fresh run id and the number of partitions. Load
// creates the schema's uniqueness constraints, then writes every node
// bucket and then every relationship bucket in UNWIND batches, each batch
// one transaction, with LoadOptions.Workers parallel writers; a later Load
// of the same plan continues where the last one stopped. Verify compares
// Neo4j with the state file; ClearDatabase empties the database.
//
// # Exactly once
//
// The unit of work is a batch: up to BatchSize staged entities of one
// partition of one bucket, identified by the staged key it starts after
// and its last staged key. Partitions are fixed by the plan and their key
// ranges depend only on the staged data, which no longer changes once
// staging is done, so every process that loads a plan sees the same
// partitions in the same key order.
//
// Every partition has a watermark node in Neo4j,
// (:ImporterWatermark {id: "run/kind/name/part"}), holding `after`, the
// last staged key it has written (hex), and `written`. A batch is one
// transaction (session.ExecuteWrite) that
//
//  1. MERGEs the watermark and SETs a property on it before reading it.
//     The SET takes the watermark's write lock, so a transaction of the same
//     partition still in flight elsewhere (a killed process's last commit,
//     which Neo4j may still be applying) is waited for, and the value read
//     is the committed one, not a stale read-committed one;
//  2. writes the batch only if the watermark stands exactly at the key the
//     batch starts after; otherwise it writes nothing and reports where the
//     watermark stands;
//  3. moves the watermark to the batch's last key, and adds the batch's
//     size to `written`.
//
// In create mode the per-learner buckets load as one learner group
// (group.go): a batch is then about BatchSize entities of a range of
// learners, read in step from every per-learner bucket (all keyed by the
// learner's ordinal, so a learner's key is an exact resume point for all
// of them), and written by one statement. The group has one watermark per
// partition like any bucket; its `after` is the batch's last learner key,
// and its `counts` keeps `written` per member bucket for the load marks.
// Its rows are positional lists, not maps (no key strings to unpack, no
// hash lookups, and no Eager in the plan), and it finds a relationship's
// shared end by node id, read from Neo4j when the group starts (ends.go),
// checked against the end's label and key in the same MATCH.
//
// Since the batch and its watermark move commit or roll back together, at
// every instant Neo4j holds exactly the batches up to its watermarks, and
// the watermark says where the next batch starts. What can go wrong is
// knowing less than Neo4j does:
//
//   - The driver reruns the work function after a transient error: the
//     rerun reads the watermark again; if the first attempt did not commit,
//     it writes; if it did, the watermark has moved and it writes nothing.
//   - The connection dies during COMMIT (outcome unknown; the driver does
//     not retry that): the loader's own retry loop sends the batch again,
//     with the same answer.
//   - The process dies after Neo4j committed but before the state file's
//     load mark was updated (or the snapshot written): the load mark is only
//     a cache. Load starts by reading every watermark of the run from Neo4j
//     and resets the marks to them (reconcile), so it continues after the
//     last committed batch. Should a mark still lag, the batch's step 2
//     finds the watermark ahead, writes nothing, and the writer jumps to
//     the watermark.
//   - A hung connection, or a Neo4j that stops answering mid-batch: each
//     attempt has a time limit (LoadOptions.TxTimeout, --tx-timeout, 5
//     minutes by default), on the client (the driver stops waiting) and on
//     the server (Neo4j is given the same transaction timeout, so it
//     rolls back what the client gave up on). The attempt then counts as
//     failed, its outcome unknown, and is retried: the watermark decides
//     as after a connection lost during COMMIT.
//   - A resume with another --batch-size or --workers: batches start
//     wherever the watermark stands, and partitions do not depend on
//     workers, so only the grouping of later batches changes.
//
// The tests show each case against a real Neo4j: faults_test.go through
// a proxy that resets connections mid-batch and before or after
// forwarding COMMIT (the last must be found committed: Stats.Skipped),
// or that never answers a COMMIT (the time limit must end the wait),
// kill_test.go by SIGKILL of Neo4j itself, crash_test.go by SIGKILL of
// the importer.
//
// Create mode therefore never creates an entity twice, and merge mode
// would not even need the watermarks. Nothing is lost either: a partition
// ends only when reading after its watermark finds no staged entity.
// The run id keeps watermarks of different loads (another state file
// loading into the same database) apart; a finished load deletes its own.
//
// # Parallelism and locks
//
// Workers pull the partitions of the current bucket; buckets go one after
// another in schema order (the learner group after the shared buckets, but
// for the relationships from or to a partitioned node that do not start at
// the root, which come last),
// so a relationship is written after both of its endpoints, or, in the
// group, together with its learner and state node. Per-learner buckets (Learner, its state nodes, and every
// relationship that starts at a Learner) split into disjoint learner
// ranges, so two concurrent batches never touch the same learner; the
// other end (country, city, skill, program, company) is shared, but Neo4j
// 5 does not take an exclusive lock on a dense node (50 relationships or
// more) when a relationship is added to it. Before a node turns dense two
// writers can deadlock on it; Neo4j detects that and the transaction is
// retried (Stats.Retries counts it).
//
// # Measurements
//
// See the comment on DefaultBatchSize for the batch size and worker sweeps
// and the package's benchmark (go test -bench Load ./graphwrite,
// IMPORTER_BENCH_ROWS to scale). In short: Neo4j does the work, about 25
// CPU µs per entity in create mode and 30 in merge mode; the client spends
// about 2 CPU µs per entity (reading bbolt, building parameters, packing);
// at 1.7M rows a create mode load costs Neo4j 18-21 µs per entity with
// batches of 20,000, and 3 workers keep both cores busy.
//
// # Caveats
//
//   - No bbolt transaction is held across a Neo4j call: a batch is copied
//     out of the state file in a short read transaction, written to Neo4j,
//     and only then is the load mark updated in a write transaction.
//   - The load marks in the state file lag Neo4j by up to one batch per
//     worker; `importer status` shows them. Neo4j's watermarks are the truth.
//   - Clearing the target in the middle of a load (or loading a plan into
//     another database) makes the next Load start the cleared partitions
//     again from the beginning, which is what the target then needs.
//   - In merge mode, a relationship of a keyed type is MERGEd on its ends
//     and all its key properties when none is null; one with a null key
//     property (a WORKED_AT without a startDate) is found with OPTIONAL
//     MATCH — every key property equal to its own or, where it is null,
//     absent — and created if absent; that is not atomic against a
//     concurrent writer of the same learner, which the partitioning rules
//     out within a load but not against other programs.
//   - A target that already holds a node with a staged key fails a create
//     mode load (ErrKeyExists): use merge mode for a target with data.
//   - Verify compares a sample, not every entity; the counts cover all.
//   - A label with a composite key is matched and merged on every key
//     property, its key a list parameter (keys.go), and gets a composite
//     uniqueness constraint, REQUIRE (n.a, n.b) IS UNIQUE: Neo4j 5.26
//     Community has it (NODE KEY is Enterprise-only). Like any uniqueness
//     constraint it does not require the properties to exist; staging
//     never stages a node with a part missing.
//   - Labels, types and keys come from the state file's mapping
//     (staging.ReadSchema). A create mode load writes the shared labels,
//     then the relationships between shared nodes, then the learner group
//     (the root and what is staged with it), then the relationships from or
//     to a partitioned node that do not start at the root.
//   - The learner group's shared ends are found by Neo4j node id (`id()`,
//     deprecated in Neo4j 5 but kept in Cypher 25; elementId strings would
//     be ~40 bytes a row). Ids are read when the group starts, so a shared
//     node deleted and recreated by another program during the load fails
//     its batch (the key check) instead of linking the wrong node. With
//     more than a million shared end nodes the group keeps index seeks.
//   - ClearDatabase deletes the learner schema's labels and types in
//     parallel jobs and anything else (another mapping's) after them, in
//     batches of its own.
package graphwrite
