#!/bin/sh
# run.sh — `make bench`: every benchmark program (build/bench/*, but the
# helpers) and script (bench/*.sh), one after another, each printing its own
# measurements. BENCH=pattern runs only the matching ones.
set -u
cd "$(dirname "$0")/.." || exit 1
rc=0
for b in build/bench/*; do
	case "$b" in */peak_rss | *.d) continue ;; esac
	case "$b" in *"${BENCH:-}"*) ;; *) continue ;; esac
	"$b" || rc=1
done
for s in bench/*.sh; do
	case "$s" in bench/run.sh) continue ;; esac
	case "$s" in *"${BENCH:-}"*) ;; *) continue ;; esac
	sh "$s" || rc=1
done
exit $rc
