// Package report builds `importer report`: one self-contained HTML page
// (inline SVG charts and CSS, no script, nothing fetched) and a JSON file
// holding every number the page shows, from the loaded Neo4j and the state
// file.
//
// The page has an import section read from the state file (row counters,
// staged, loaded and Neo4j counts per label and type, reject reasons, the
// throughput samples both passes record at every checkpoint), sections of
// named queries, and a generic graph-shape section. The named queries are
// declared by the state file's mapping, in its report part
// (model.ReportSection: section, name, Cypher, chart kind, the labels and
// types each needs; Declared); the learner sections are learners.yaml's.
// The generic queries (counts, degree distributions, densest nodes) are
// built from the stored schema and work for any mapping. A
// query whose labels or types the graph does not hold is left out with a
// note, not an error.
//
// Every query is read-only (a read transaction: Neo4j refuses a write in
// it), runs with a time limit, and prints its own progress line.
//
// Bounded at any size: every aggregation groups by something small — a
// node of a small label (countries, skills, programs), a degree value, a
// status — never by learner; degrees come from Neo4j's degree store
// (COUNT { (n)-[:T]->() }), not from expanding relationships. Connected
// components of the learner–skill–program graph (components.go) are
// labelled in batches of learners against a union-find over the skills
// and programs held in memory here (a few thousand entries): a learner only
// joins the components of its skills and programs, so a component is a
// set of hubs plus the learners attached to them.
//
// # Caveats
//
//   - A group-by of a free-text value (job titles, skill levels) holds one
//     entry per distinct value in Neo4j's memory: bounded by the data's
//     vocabulary, not by the number of rows.
//   - The skill pairs are counted among the 100 most held skills (named in
//     the note), so the query stays bounded; a pair outside them is not
//     seen.
//   - Throughput over time needs the state file's samples (recorded since
//     format 2 files gained them); a file without them says so.
//   - A label with a composite key is ordered and shown by its key values
//     joined by "|" (generic.go): the densest nodes and the component walk
//     of such a center then scan the label instead of seeking its index.
//   - Numbers from the state file describe the staged graph; numbers from
//     Neo4j describe whatever the database holds. When their counts differ
//     the page says so at the top (run `importer verify`).
package report
