// Package peerbench runs the same consent, classification and redaction
// work through osallisuus and through the general tools a county would
// otherwise reach for (embedded Open Policy Agent, Casbin, a plain Go map,
// Go regexp and an Aho–Corasick matcher), so that one `go test -bench` run on
// one machine shows how the library compares.
//
// The benchmarks live in the package's _test.go files; run.sh runs them with
// -count 6 and prints a benchstat table.
package peerbench
