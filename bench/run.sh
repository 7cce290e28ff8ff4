#!/bin/sh
# run.sh — `make bench`: every benchmark program (build/bench/*, but the
# helpers) and script (bench/*.sh, but the shared ones), one after another,
# each printing its own measurements. The RESULT lines (bench/lib.sh) of a
# complete run are written to bench/results.tsv with the machine they were
# measured on, and the README's Performance table is rendered from them
# (bench/table.sh). BENCH=pattern runs only the matching benchmarks and
# leaves both files alone: a partial run must not pass for a complete one.
set -u
cd "$(dirname "$0")/.." || exit 1
out=build/bench/output.txt
mkdir -p build/bench
: >"$out"
rc=0
for b in build/bench/*; do
	case "$b" in */peak_rss | *.d | *.txt | *.tsv) continue ;; esac
	[ -x "$b" ] || continue
	case "$b" in *"${BENCH:-}"*) ;; *) continue ;; esac
	"$b" 2>&1 | tee -a "$out"
done
for s in bench/*.sh; do
	case "$s" in bench/run.sh | bench/lib.sh | bench/table.sh) continue ;; esac
	case "$s" in *"${BENCH:-}"*) ;; *) continue ;; esac
	# A benchmark that fails says so and the run goes on; its figures are missing.
	{ sh "$s" || echo "FAILED: $s"; } 2>&1 | tee -a "$out"
done
grep -q '^FAILED: ' "$out" && rc=1
if [ -n "${BENCH:-}" ]; then
	echo "bench: partial run (BENCH=$BENCH): bench/results.tsv and README.md left as they were"
	exit $rc
fi
if [ $rc -ne 0 ]; then
	echo "bench: a benchmark failed: bench/results.tsv and README.md left as they were"
	exit $rc
fi
{
	printf '# measured by make bench on %s: %s, %s cores, %s\n' "$(date -u +%Y-%m-%d)" \
		"$(uname -m)" "$(nproc)" "$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)"
	grep '^RESULT	' "$out" | cut -f 2-
} >bench/results.tsv
sh bench/table.sh --write README.md && echo "bench: bench/results.tsv written, README.md's Performance table rendered from it"
