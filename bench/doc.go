// Package bench holds the importer's throughput benchmarks that have no
// package of their own (BenchmarkTransform) and, in bench/cmd/e2e, the
// end-to-end benchmark behind `make bench`. The sample CSV they measure on
// comes from package samplegen; see bench/README.md.
//
// # Caveats
//
//   - The package has no code outside its tests: it exists for its
//     benchmarks and its README.
package bench
