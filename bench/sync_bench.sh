#!/bin/sh
# sync_bench.sh — benchmark: emailcfg against 100,000 generated mailboxes on
# the emulator: the first full sync (rows/s and peak memory), an incremental
# sync with nothing changed, a listing of every row as JSON, and a filtered
# count. Prints one line per measurement.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
RSS=build/bench/peak_rss
sim_start --data none --generate 100000 --seed 1
client_env
measure() { # label command...
	label=$1
	shift
	"$RSS" "$@" >/dev/null 2>"$T/rss" || { cat "$T/rss"; fail "$label failed"; }
	line=$(grep wall_ms "$T/rss")
	ms=$(echo "$line" | sed 's/.*wall_ms=\([0-9]*\).*/\1/')
	kb=$(echo "$line" | sed 's/.*peak_rss_kb=\([0-9]*\).*/\1/')
	echo "sync: $label: $ms ms, peak RSS $((kb / 1024)) MB${per:+, $per}"
	per=
}
measure "full sync of 100,000 mailboxes" $EMAILCFG --org "$SIM_URL" --cache "$C" -q sync
measure "incremental sync, nothing changed" $EMAILCFG --org "$SIM_URL" --cache "$C" -q sync
measure "mailboxes --json (100,000 rows)" $EMAILCFG --cache "$C" mailboxes --json
measure "mailboxes --filter 'status:failure type:queue'" $EMAILCFG --cache "$C" mailboxes \
	--filter 'status:failure type:queue' --json
