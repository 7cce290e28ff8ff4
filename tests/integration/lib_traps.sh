#!/bin/sh
# lib_traps.sh — a test that sources tests/lib/sim.sh and then
# tests/lib/mailservers.sh (which sets its own EXIT trap) still stops the
# emulator when it exits: the traps are chained, so no emulator is leaked.
. tests/lib/assert.sh
set -e
cat >"$T/child.sh" <<'EOS'
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/mailservers.sh
sim_start
echo "$SIM_PIDS" >"$PIDFILE"
EOS
PIDFILE="$T/pids" sh "$T/child.sh" || fail "the child test failed"
pids=$(cat "$T/pids")
[ -n "$pids" ] || fail "the child started no emulator"
for p in $pids; do
	i=0
	while kill -0 "$p" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -ge 50 ]; then
			kill "$p" 2>/dev/null
			fail "the emulator $p outlived its test (mailservers.sh replaced the EXIT trap)"
		fi
		sleep 0.1
	done
done
echo "chained EXIT traps: ok"
