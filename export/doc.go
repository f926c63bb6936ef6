// Package export writes the staged graph of a state file as input for
// Neo4j's bulk importer (`neo4j-admin database import full`): per label and
// relationship type, header and data CSV files with typed columns, and an
// args file for the tool's @file syntax.
//
// The files carry exactly the graph the online load writes (package
// graphwrite): the same property names, values and types. Strings are
// always quoted, so an empty string stays an empty string (an empty
// unquoted field is the tool's null, which is how a missing property is
// written); quotes are doubled; list elements are joined by the array
// delimiter (U+001F by default). Entities of one label or type whose
// property types disagree (the flattened details_* can) go to separate
// files with their own headers (see group.go).
//
// The work is split into units, one per partition of a staged bucket, run
// in parallel. A unit's files are written under temporary names, renamed
// when complete, and the unit is then recorded in the state file
// (checkpoint.ExportUnit); a rerun skips recorded units whose files exist,
// and, because a unit's output depends only on the state file, writes the
// others byte for byte as an uninterrupted run would.
//
// # Caveats
//
//   - A few staged values have no CSV form the import tool reads back
//     exactly: a list holding only an empty string, a string list element
//     holding the array delimiter, a property name with a character the
//     header syntax reserves. The export fails with ErrNotExpressible,
//     naming the entity; the online load carries them.
//   - Read transactions are short (Options.Chunk entities); no write
//     transaction is opened while one is open in the same goroutine.
//   - Files are fsynced before they are renamed; the directory itself is
//     not, so after a power loss a rename may be lost (the unit is then
//     written again).
package export
