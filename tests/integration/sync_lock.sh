#!/bin/sh
# sync_lock.sh — a sync holds the cache's write lock only while it writes,
# never while it waits for its server. Each page of a sync is written in one
# transaction; begun before the page's request, it held the lock through the
# server's latency (and its retries and Retry-After waits), so an edit, a
# console or another process's push waited and, past five seconds, failed
# with "cache busy" after its PATCH had arrived. Here the emulator answers
# every request after 1.5 s while a full sync reads pages of 10 mailboxes;
# every 0.1 s another connection takes the write lock without waiting: a
# sample may meet a batch being written (milliseconds), never two in a row.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start
client_env
run_rc 0 ec sync
run_rc 0 ec --offline mailboxes --filter 'type:user state:active act:server-side-sync' --json
user=$(echo "$OUT" | $JSON_GET get .0.id)
[ "$(sim_ctl POST config '{"latency_ms":1500}')" = 200 ] || fail "setting the latency"
EMAILCFG_PAGE_SIZE=10 $EMAILCFG --org "$SIM_URL" --cache "$C" sync --full >"$T/sync.out" 2>&1 &
pid=$!
samples=0 busy=0 run=0 longest=0
while [ $samples -lt 30 ] && kill -0 $pid 2>/dev/null; do
	if sqlite3 -cmd '.timeout 0' "$C" 'BEGIN IMMEDIATE; ROLLBACK;' >/dev/null 2>&1; then
		run=0
	else
		busy=$((busy + 1)) run=$((run + 1))
		[ $run -le $longest ] || longest=$run
	fi
	samples=$((samples + 1))
	sleep 0.1
done
# An offline edit in the middle of the slow sync is queued at once.
run_rc 0 ec --offline mailbox set "$user" act=none
sim_ctl POST config '{"latency_ms":0}' >/dev/null
wait $pid || fail "the slow sync failed: $(cat "$T/sync.out")"
[ $samples -ge 20 ] || fail "the sync ended after $samples samples; it should take seconds"
[ $longest -le 1 ] || fail "the cache was locked for $longest samples in a row ($busy of" \
	"$samples busy) while the sync waited for its server"
echo "sync_lock: ok ($samples samples, $busy met a write, longest run $longest)"
