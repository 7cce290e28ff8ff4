#!/bin/sh
# demo_sim_url.sh — emailcfg-sim says where it listens: the URL on stderr
# whatever the options (--generate N without --port included), the port in
# --port-file written atomically once it listens; and --idle-exit S stops it
# by itself after S seconds without a request, while requests keep it up.
. tests/lib/assert.sh
set -e
pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null || true; done; rm -rf "$T"' EXIT

# wait_for FILE PID — until FILE is not empty, or fail when PID has ended.
wait_for() {
	i=0
	until [ -s "$1" ]; do
		kill -0 "$2" 2>/dev/null || fail "emailcfg-sim ended before writing $1: $(cat "$T"/*.err)"
		i=$((i + 1))
		[ $i -lt 300 ] || fail "nothing in $1 after 15 s"
		sleep 0.05
	done
}

# --generate without --port: a free port, and the URL on stderr.
./emailcfg-sim --data none --generate 20 2>"$T/gen.err" &
gen=$!
pids="$pids $gen"
i=0
until grep -q 'listening on' "$T/gen.err"; do
	kill -0 $gen 2>/dev/null || fail "emailcfg-sim --generate ended: $(cat "$T/gen.err")"
	i=$((i + 1))
	[ $i -lt 300 ] || fail "emailcfg-sim --generate 20 said nothing of where it listens"
	sleep 0.05
done
url=$(sed -n 's/^emailcfg-sim: listening on \(http:[^ ]*\) (20 mailboxes)$/\1/p' "$T/gen.err")
assert_contains "$url" "http://127.0.0.1:" "the URL on stderr: $(cat "$T/gen.err")"
assert_eq 200 "$(curl -s -o /dev/null -w '%{http_code}' "$url/_sim/config")" "the announced URL answers"
kill $gen
wait $gen || fail "emailcfg-sim did not stop cleanly on SIGTERM"

# --port-file: the same port, written whole (no temporary name left).
./emailcfg-sim --port-file "$T/port" --idle-exit 2 2>"$T/pf.err" &
pf=$!
pids="$pids $pf"
wait_for "$T/port" $pf
port=$(cat "$T/port")
assert_contains "$(cat "$T/pf.err")" "listening on http://127.0.0.1:$port (62 mailboxes)" "stderr and the port file agree"
assert_eq "port" "$(ls "$T" | grep '^port')" "only the port file, no temporary one"

# Requests keep it up past its idle time...
for i in 1 2 3 4 5 6 7 8; do
	curl -s -o /dev/null "http://127.0.0.1:$port/_sim/config" || fail "request $i was not answered"
	sleep 0.5
done
kill -0 $pf 2>/dev/null || fail "--idle-exit 2 ended while requests kept coming"
# ...and without them it ends by itself, with status 0.
i=0
while kill -0 $pf 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "--idle-exit 2 still running 10 s after the last request"
	sleep 0.1
done
wait $pf || fail "--idle-exit ended with a failure status"
assert_contains "$(cat "$T/pf.err")" "no request for 2 s" "why it ended"
echo "sim url: ok"
