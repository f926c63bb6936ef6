// Package samplegen writes sample learner CSV files: the generator behind
// `importer gen`, the tests and the benchmarks (bench/).
//
// Generate writes a file that follows docs/learners-csv.md and looks like
// a real export: sandIds in no particular order; Zipf-skewed popularity of
// about 200 countries (codes in either case), 5,000 cities tied to their
// countries, 2,000 skills, 50 programs and 20,000 companies; 0-8 skills
// and 0-4 employment entries per learner; state objects with nested
// details (objects, lists of scalars, a list of objects, integers, floats
// such as 1.0, booleans and nulls); names in many scripts, some with
// commas, quotes or a line break; padded values; empty optional columns;
// JSON columns that are empty, null or []. About 2% of good rows repeat an
// earlier learner with some columns changed and some emptied, and a chosen
// share of rows breaks exactly one rule of the contract (see BadKinds).
//
// A learner's row is drawn from a random stream seeded with the learner's
// number, so a repeat can rebuild the learner without keeping its row:
// memory stays constant however many rows are written.
//
// # Caveats
//
//   - The output is a function of GenOptions and of this package's code and
//     word lists: changing either changes the bytes. Tests that need fixed
//     bytes should generate them, not store them.
//   - Rows are about 650 bytes on average, so 1.7M rows make about 1.1 GB.
//     Most of that is JSON, whose quotes CSV doubles.
//   - Lines end in LF; the file has no byte-order mark.
//   - Repeats are drawn from a reservoir sample of 65,536 earlier learners,
//     uniformly over the whole file so far.
//   - Bad rows never reuse a good row's sandId and never stand for a repeat,
//     so a correct import of a whole file stages Rows - sum(Bad) rows and
//     makes Rows - sum(Bad) - Duplicates learners.
//     A bad-quote row keeps its quotes balanced, so readers that resync at
//     the next line lose only that row; the contract's row accounting
//     (read = staged + rejected) holds for them.
//   - The vocabulary (ids and names of countries, cities, skills, programs
//     and companies) does not depend on the seed: files made with different
//     seeds describe the same entities, with different learners.
package samplegen
