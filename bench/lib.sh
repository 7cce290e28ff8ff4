#!/bin/sh
# lib.sh — what every benchmark script shares: timing a command (wall time
# and peak memory through build/bench/peak_rss), the median of repeated
# runs, and the one line format `make bench` collects into
# build/bench/results.tsv, from which bench/table.sh renders the README's
# Performance table.
#
#   . bench/lib.sh
#   bench_result S1 "what was measured" VALUE UNIT "target"
#
# A result line is "RESULT<TAB>id<TAB>what<TAB>value<TAB>unit<TAB>target";
# everything else a benchmark prints is commentary for the reader.
BENCH_RSS=${BENCH_RSS:-build/bench/peak_rss}
BENCH_RUNS=${BENCH_RUNS:-3}

# bench_result ID WHAT VALUE UNIT TARGET: one result, printed and collected.
bench_result() {
	printf 'RESULT\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5"
}

# bench_median V1 V2 ...: the median of the numbers given (the lower middle
# one of an even count), integers or decimals.
bench_median() {
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# bench_time CMD ARGS...: runs the command once under peak_rss; sets
# BENCH_MS (wall milliseconds) and BENCH_KB (peak resident kilobytes).
# Its stdout goes to /dev/null; a failure prints its stderr and returns 1.
bench_time() {
	_bt_err=$(mktemp)
	if ! "$BENCH_RSS" "$@" >/dev/null 2>"$_bt_err"; then
		cat "$_bt_err" >&2
		rm -f "$_bt_err"
		return 1
	fi
	_bt_line=$(grep wall_ms "$_bt_err" | tail -n 1)
	rm -f "$_bt_err"
	BENCH_MS=$(echo "$_bt_line" | sed 's/.*wall_ms=\([0-9]*\).*/\1/')
	BENCH_KB=$(echo "$_bt_line" | sed 's/.*peak_rss_kb=\([0-9]*\).*/\1/')
}

# bench_ms_to_s MS: "1.234" seconds.
bench_ms_to_s() {
	awk -v ms="$1" 'BEGIN { printf "%.3f", ms / 1000 }'
}

# bench_ratio A B: A / B to two decimals.
bench_ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) b = 1; printf "%.2f", a / b }'
}
