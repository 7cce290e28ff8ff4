#!/bin/sh
# table.sh — renders the README's Performance table from bench/results.tsv
# (written by `make bench`): one row per result, in the order of the
# targets' ids, with whether the target is met. The README keeps the table
# between "<!-- perf: ... -->" and "<!-- /perf -->";
# tests/integration/perf_table.sh fails when they differ.
#
#   sh bench/table.sh              print the table
#   sh bench/table.sh --write FILE replace the table in FILE
set -eu
cd "$(dirname "$0")/.."
results=bench/results.tsv

# met VALUE TARGET: "yes" when VALUE meets a target written "≤ N ..." or
# "< N ...", "no" when it does not, "-" when the target is not a bound.
render() {
	sed -n '1s/^# measured by make bench /Measured by `make bench` /p' "$results" | sed 's/$/; medians of at least 3 runs./'
	echo
	echo '| # | what | target | measured | met |'
	echo '|---|---|---|---|---|'
	grep -v '^#' "$results" | sort -t '	' -k 1,1V -s |
		awk -F '\t' '{
			target = $5; bound = ""; strict = (target ~ /^</)
			if (match(target, /^(≤|<) *[0-9.]+/)) {
				bound = substr(target, RSTART, RLENGTH); sub(/^(≤|<) */, "", bound)
			}
			met = "-"
			if (bound != "" && strict) met = ($3 + 0 < bound + 0) ? "yes" : "**no**"
			else if (bound != "") met = ($3 + 0 <= bound + 0) ? "yes" : "**no**"
			printf "| %s | %s | %s | %s %s | %s |\n", $1, $2, target, $3, $4, met
		}'
}

[ -f "$results" ] || { echo "table.sh: $results is missing; run make bench" >&2; exit 1; }
if [ "${1:-}" = "--write" ]; then
	file=$2
	tmp=$file.tmp
	render >"$tmp.table"
	awk -v table="$tmp.table" '
		/^<!-- perf:/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
		/^<!-- \/perf -->/ { skip = 0 }
		!skip { print }' "$file" >"$tmp"
	rm -f "$tmp.table"
	grep -q '^<!-- perf:' "$tmp" || { rm -f "$tmp"; echo "table.sh: $file has no <!-- perf: --> marker" >&2; exit 1; }
	mv "$tmp" "$file"
else
	render
fi
