#!/bin/sh
# offline_bench.sh — benchmark: the CLI's offline listings and Test & Enable
# planning over a cache of 100,000 mailboxes (issue 10, S6 and S9). Builds
# the caches once by `emailcfg sync` from the emulator (--data none
# --generate 100000 --seed 7, and 50,000 for the doubling check), then takes
# medians of 3 runs of:
#
#   S6a  --offline mailboxes --filter status:failure --json   CPU time
#   S6b  --offline mailboxes --json (all 100,000)              CPU time
#   S6c  --offline mailboxes --filter status:failure --csv    CPU time
#   S9   test --all --local-only: launch to the first probe   CPU time
#   S9b  the same planning of 100,000 against 50,000          CPU ratio
#
# CPU time is user + system: the machine's two cores are shared, and wall
# time there measures the neighbours as much as emailcfg (both are printed;
# on an idle machine the two agree within a few per cent, as nothing here
# waits on the network or the disk).
#
# S9 and S9b read the markers the test job logs to the file EMAILCFG_TIMES
# names (docs/testing.md): "times: probing starts at <epoch ms>" and "times:
# planning done at <epoch ms>". The run is stopped at the marker, before any
# result is stored, so the caches stay as synced.
#
#   sh bench/offline_bench.sh          from the top of the tree, after make
#
# Touches only a temporary directory and loopback ports.
set -eu
cd "$(dirname "$0")/.."
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. bench/lib.sh
[ -x "$BENCH_RSS" ] || fail "$BENCH_RSS is missing (make $BENCH_RSS)"
RUNS=${BENCH_RUNS:-3}
TICK=$(getconf CLK_TCK)

build_cache() { # MAILBOXES CACHE
	sim_start --data none --generate "$1" --seed 7
	client_env
	$EMAILCFG --org "$SIM_URL" --cache "$2" -q sync || fail "sync of $1 mailboxes failed"
}

# cpu_ms CMD...: runs it (output to /dev/null); sets CPU_MS, its user +
# system CPU in milliseconds (the shell's `times`, 10 ms ticks).
cpu_ms() {
	CPU_MS=$( ("$@" >/dev/null 2>&1 || echo failed >&2; times) | tail -n 1 |
		awk '{ n = split($0, t, /[ms ]+/); printf "%d", (t[1] * 60 + t[2] + t[3] * 60 + t[4]) * 1000 }')
}

# listing ID WHAT TARGET ARGS...: median CPU time of mailboxes ARGS; the
# wall times (bench_time) are printed beside.
listing() {
	id=$1 what=$2 target=$3
	shift 3
	cpu="" wall=""
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		bench_time $EMAILCFG --offline --cache "$T/100k.db" mailboxes "$@" ||
			fail "$id: mailboxes $* failed"
		wall="$wall $BENCH_MS"
		cpu_ms $EMAILCFG --offline --cache "$T/100k.db" mailboxes "$@"
		cpu="$cpu $CPU_MS"
		i=$((i + 1))
	done
	echo "offline_bench: $id CPU (ms):$cpu; wall (ms):$wall"
	bench_result "$id" "$what (user+sys CPU)" "$(bench_ms_to_s "$(bench_median $cpu)")" s \
		"$target"
}

# plan_run CACHE MARKER: runs test --all --local-only until the test job
# logs MARKER, stops it there; sets PLAN_WALL_MS (launch to the marker) and
# PLAN_CPU_MS (its user + system CPU up to then, read before it is stopped).
plan_run() {
	err=$T/plan.times
	: >"$err"
	start=$(date +%s%3N)
	EMAILCFG_TIMES="$err" $EMAILCFG --offline --cache "$1" -q test --all --local-only \
		>/dev/null 2>"$T/plan.err" &
	pid=$!
	while ! grep -q "times: $2 at" "$err"; do
		kill -0 "$pid" 2>/dev/null || {
			cat "$T/plan.err" >&2
			fail "test --all --local-only ended before '$2'"
		}
		sleep 0.01
	done
	ticks=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	at=$(sed -n "s/.*times: $2 at \([0-9]*\) ms.*/\1/p" "$err")
	PLAN_WALL_MS=$((at - start))
	PLAN_CPU_MS=$((ticks * 1000 / TICK))
	sed -n "s/.*times: $2 at [0-9]* ms (\(.*\))/\1/p" "$err"
}

build_cache 100000 "$T/100k.db"
build_cache 50000 "$T/50k.db"
rows=$($EMAILCFG --offline --cache "$T/100k.db" mailboxes --filter status:failure --csv |
	wc -l)
echo "offline_bench: 100,000 mailboxes cached; status:failure matches $((rows - 1))"

listing S6a "offline mailboxes --filter status:failure --json, 100,000" "≤ 0.3" \
	--filter status:failure --json
listing S6b "offline mailboxes --json, all 100,000" "≤ 1" --json
listing S6c "offline mailboxes --filter status:failure --csv, 100,000" "≤ 0.3" \
	--filter status:failure --csv

# S9: launch to the first probe. S9b: the CPU of planning everything, 100,000
# against 50,000, measured in turns so both see the same machine.
first="" firstwall="" big="" small=""
i=0
while [ "$i" -lt "$RUNS" ]; do
	plan_run "$T/100k.db" "probing starts"
	first="$first $PLAN_CPU_MS"
	firstwall="$firstwall $PLAN_WALL_MS"
	plan_run "$T/100k.db" "planning done"
	big="$big $PLAN_CPU_MS"
	plan_run "$T/50k.db" "planning done"
	small="$small $PLAN_CPU_MS"
	i=$((i + 1))
done
echo "offline_bench: S9 launch to first probe, CPU (ms):$first; wall (ms):$firstwall"
echo "offline_bench: S9b planning CPU (ms), 100,000:$big; 50,000:$small"
bench_result S9 "test --all --local-only, 100,000: launch to the first probe (user+sys CPU)" \
	"$(bench_ms_to_s "$(bench_median $first)")" s "≤ 1"
bench_result S9b "test --all --local-only planning CPU, 100,000 against 50,000" \
	"$(bench_ratio "$(bench_median $big)" "$(bench_median $small)")" x "≤ 2.5"
