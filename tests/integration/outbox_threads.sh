#!/bin/sh
# outbox_threads.sh — the outbox's promise across the console's two threads
# (issue 9, with outbox_property.sh for two processes): the UI thread queues
# edits in its own session while the real background worker pushes and
# refreshes, the organization changes rows, the emulator's latency varies
# and the running job is cancelled, in random interleavings; the checks are
# in tests/tools/outbox-threads.c. OUTBOX_THREADS_SEEDS (default 200),
# OUTBOX_THREADS_FIRST (default 1), or OUTBOX_THREADS_SEED=N for one seed
# with its history.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start --data none --generate 1000 --seed 7
client_env
run_rc 0 ec sync
run_rc 0 ec mailboxes --filter 'type:user state:active' --json
echo "$OUT" | $JSON_GET each . id >"$T/ids"
seeds=${OUTBOX_THREADS_SEEDS:-200}
[ "$(wc -l <"$T/ids")" -ge $((2 * seeds)) ] || fail "fewer than $((2 * seeds)) user mailboxes"
start=$(date +%s)
build/tests/tools/outbox-threads "$SIM_URL" "$C" "$T/ids" >"$T/run" 2>&1 || {
	cat "$T/run"
	fail "outbox threads property violated (see the seed and history above)"
}
if [ -n "${OUTBOX_THREADS_SEED:-}" ]; then cat "$T/run"; else tail -n 1 "$T/run"; fi
echo "outbox threads: $(($(date +%s) - start)) s"
