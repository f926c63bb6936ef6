// Package staging is the first pass: it streams a CSV, turns each row into
// graph entities by a mapping (package model; the built-in one is the
// learner contract, docs/learners-csv.md), and stages them, deduplicated and
// merged in file order, into the buckets of the state file (package
// checkpoint). The buckets are those of the mapping's graph schema
// (Schema, stored with the mapping: ReadSchema); packages graphwrite and
// export read them back with ReadNodes and ReadRels and that schema.
//
// A row is either staged whole or rejected whole with a reason; rows are
// committed in batches, each in one bbolt transaction together with the
// counters and the resume point (byte offset and line of the next record),
// so a crash at any instant resumes exactly after the last committed batch.
//
// # Caveats
//
//   - The CSV is read with encoding/csv: an unterminated quoted field runs to
//     the end of the file, which then counts as one rejected row, as RFC 4180
//     reads it — unless the record outgrows Options.MaxRecordBytes first:
//     then it is rejected and reading resumes at the line after its first
//     (reader.go), so a legitimately longer multi-line record has its later
//     lines read as records of their own.
//   - Learner keys are ordinals in order of first appearance (see store.go),
//     not sandIds, so that bucket writes are appends whatever the order of
//     sandIds in the file. Everything per learner is one learner record
//     (learner.go); ReadNodes and ReadRels unpack it, giving each entity the
//     key a bucket of its own would. The sandId is in the staged properties.
//   - The sandId → ordinal index is in memory (index.go): 11–21 bytes per
//     learner (32 MiB at 1.7M learners, 128 MiB at 10M), rebuilt from the
//     state file when staging starts or resumes. Past about 6M learners it
//     alone approaches the importer's 224 MiB soft memory limit while it
//     doubles: stage such files with a higher limit (GOMEMLIMIT).
//   - The staged key of a node with a composite key is its values
//     length-prefixed (key.go), so Node.Key, Rel.Start and Rel.End of such a
//     label are not text: split them with KeyParts, show them with KeyText.
//     A single-property key is its value as it always was, so the state
//     file of a mapping without composite keys is byte-for-byte what it was.
//   - A relationship type's key properties (model.RelSpec.KeyProps) enter
//     the key of its relationships after their two ends, each value tagged
//     and a null as a 0 byte (appendRelKey, store.go): two relationships of
//     a type between the same nodes are one exactly when every key value is
//     equal, a null equal only to a null. Together they may take
//     MaxKeyBytes (checkRelKey), since a shared relationship's bucket key is
//     its two ends' keys and them, and bbolt refuses a key over 32 KiB.
//   - Everything returned by ReadNodes, ReadRels and ReadLearners is
//     copied out of bbolt and stays valid after the transaction ends.
//   - "Learner" in names (learner record, ReadLearners, PerLearner) means the
//     mapping's root, whatever its label; the layout is the same for any
//     schema: one record per root node, one bucket per shared label or type.
//   - The input must be a regular file (input.go): it is opened without
//     blocking and a FIFO, pipe, device or directory is refused
//     (ErrNotRegular), since resume seeks into it.
//   - A mapping may read several files (StageFiles, files.go): they are
//     staged in the mapping's order into the same buckets, each with its
//     own resume point (the stage mark's File). A file without the root's
//     entity stages shared labels and types only; its rows have no learner
//     record, so Rows.Duplicates counts the root's file only. A file
//     already staged is not checked again on resume.
//   - Stage with Overwrite over an existing state file stages into
//     checkpoint.PendingPath and renames it over the old file only when
//     complete (overwrite.go); until then the old file is whole, and Resume
//     of the old path continues the pending one. Other commands (status,
//     load) see the old file meanwhile.
package staging
