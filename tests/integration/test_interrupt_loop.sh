#!/bin/sh
# test_interrupt_loop.sh — Ctrl-C on `emailcfg test` in a shell loop over
# mailboxes: after keeping the verdicts reached, emailcfg dies of the SIGINT
# (not only exits 130), because bash stops a loop only when its child died of
# the signal; otherwise Ctrl-C in `for m in ...; do emailcfg test "$m"; done`
# would stop one test and start the next. SIGINT goes to the loop's whole
# process group, as a terminal sends it.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
command -v sqlite3 >/dev/null || fail "sqlite3 is not installed"
command -v bash >/dev/null || fail "bash is not installed"
command -v setsid >/dev/null || fail "setsid is not installed"
sim_start --generate 300 --never-complete
client_env
run_rc 0 ec sync
runs() { sqlite3 "$C" 'SELECT count(*) FROM test_runs' 2>/dev/null || echo 0; }
alive() { st=$(ps -o stat= -p "$1" 2>/dev/null) && [ "${st#Z}" = "$st" ]; }

cat >"$T/loop.sh" <<EOF
for i in 1 2; do
	"$EMAILCFG" --org "$SIM_URL" --cache "$C" test --all --timeout 5 >/dev/null 2>&1
	echo "after \$i rc \$?" >>"$T/loop.log"
done
EOF
before=$(runs)
env --default-signal=INT setsid bash "$T/loop.sh" &
lp=$!
i=0
until [ "$(runs)" -gt "$before" ]; do
	alive "$lp" || fail "the loop ended before any verdict"
	i=$((i + 1))
	[ $i -lt 1200 ] || fail "no verdict stored within 120 s"
	sleep 0.1
done
kill -INT "-$lp"
i=0
while alive "$lp"; do
	i=$((i + 1))
	if [ $i -ge 900 ]; then
		kill -KILL "-$lp" 2>/dev/null || true
		fail "the loop did not end within 90 s"
	fi
	sleep 0.1
done
wait "$lp" || true
if [ -s "$T/loop.log" ]; then
	fail "Ctrl-C stopped one emailcfg test but the shell loop went on: $(tr '\n' ' ' <"$T/loop.log")"
fi
echo "test_interrupt_loop: ok"
