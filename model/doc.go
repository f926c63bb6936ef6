// Package model is the graph model as data: the graph schema (node labels
// and their keys, relationship types, their key properties, the partition
// root) and the mapping of a CSV's columns onto it, decoded from a mapping
// file (YAML). learners.yaml, the learner contract of docs/learners-csv.md,
// is embedded and is the mapping when none is given (Default).
//
// Parse decodes strictly (an unknown field is an error with its line) and
// validates the whole file, returning every mistake at once, each with its
// file and line (*Errors). The values are plain data: package staging
// compiles them into its per-column plan once per run, and the staging,
// load and export passes read the schema through NodeSpecs and RelSpecs.
// A mapping may also declare the sections of `importer report` (Report:
// named queries with their chart kinds, checked against the schema here,
// their Cypher by a conservative keyword scan (cypher.go); package report
// runs them).
//
// # Caveats
//
//   - Some things a mapping can say are not staged yet; staging refuses them
//     when it compiles the mapping (never silently): a relationship to an
//     entity of a JSON array. See the README's "Mapping files".
//   - A relationship type keyed by several properties (`key: [a, b]`) has
//     them in RelSpec.Keys and KeyProp "" (one key property stays in
//     KeyProp): code that reads KeyProp alone sees no key; use KeyProps.
//   - A mapping that reads several CSV files gives them under Files, each
//     with its columns and entities; InputFiles is the one way to iterate
//     a mapping's files (a mapping of one file is one File without a name).
//     Exactly one file has the root's entity; the others may not stage
//     partitioned labels.
//   - A composite node key (`key: [a, b]`) is given in its entity as a list
//     of named values (KeyValues). A root with a composite key leaves no
//     room for other partitioned labels: they are keyed by `root: true`,
//     the root's one key value, which is then refused. Key values are
//     strings.
//   - A Model is read-only once parsed: share it, never change it.
package model
