#!/usr/bin/env bash
# Runs the peer benchmarks of examples/peerbench with -count 6 and prints a benchstat
# table per family (one column per engine, osallisuus first, so "vs base" compares every peer with
# the library) and the ratios of the medians (peer time / osallisuus time).
#
# Usage: examples/peerbench/run.sh [raw-output-file]
# The raw `go test -bench` output is kept in the file (default: a temporary file, named
# on stderr). BENCH overrides the benchmark pattern, e.g. BENCH='^BenchmarkConsent$'.
# The whole run takes a few minutes on 2 cores (the regexp classifier alone needs
# about 10 s per pass over the 10 MB corpus).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
raw=${1:-$(mktemp -t peerbench.XXXXXX)}
case $raw in /*) ;; *) raw="$PWD/$raw" ;; esac # relative to where the script was started
cd "$here/.." # the examples module

benchstat=$(command -v benchstat || true)
if [ -z "$benchstat" ]; then
	benchstat="$(go env GOPATH)/bin/benchstat"
	if [ ! -x "$benchstat" ]; then
		go install golang.org/x/perf/cmd/benchstat@latest
	fi
fi

pattern=${BENCH:-'^Benchmark(Consent|Classify|Redact)$'}
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(go version) $(uname -srm)" >&2
echo "# go test -run='^\$' -bench='$pattern' -benchmem -count 6 -timeout 2h ./peerbench/ > $raw" >&2
go test -run='^$' -bench="$pattern" -benchmem -count 6 -timeout 2h ./peerbench/ | tee "$raw"

# benchstat: Family/engine becomes Family/engine=… so that engines are columns.
table=$(mktemp -t peerbench-table.XXXXXX)
trap 'rm -f "$table"' EXIT
sed -E 's#^(Benchmark[A-Za-z]+)/([a-z]+)(-[0-9]+)?([[:space:]])#\1/engine=\2\3\4#' "$raw" >"$table"
for family in Consent Classify Redact; do
	if grep -q "^Benchmark$family/" "$table"; then
		echo
		"$benchstat" -filter ".name:$family" -col /engine "$table"
	fi
done

# Ratios of the medians of ns/op: how many times slower each peer is than osallisuus.
echo
echo "ratios of median sec/op (peer / osallisuus):"
awk '
/^Benchmark[A-Za-z]+\/[a-z]+/ {
	split($1, p, "/"); fam = p[1]; sub(/^Benchmark/, "", fam); eng = p[2]; sub(/-[0-9]+$/, "", eng)
	for (i = 2; i <= NF; i++) if ($(i+1) == "ns/op") { key = fam SUBSEP eng; n[key]++; v[key, n[key]] = $i }
	if (!(fam SUBSEP eng in seen)) { seen[fam SUBSEP eng] = 1; order[++k] = fam SUBSEP eng }
}
function median(key,   m, i, j, t, a) {
	m = n[key]; for (i = 1; i <= m; i++) a[i] = v[key, i]
	for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
}
END {
	for (i = 1; i <= k; i++) {
		split(order[i], fe, SUBSEP)
		if (fe[2] == "osallisuus" || !((fe[1] SUBSEP "osallisuus") in n)) continue
		base = median(fe[1] SUBSEP "osallisuus"); peer = median(order[i])
		printf "  %-10s %-12s %12.1f ns/op vs %12.1f ns/op  = %8.2fx\n", fe[1], fe[2], peer, base, peer / base
	}
}' "$raw"
