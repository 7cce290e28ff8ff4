#!/bin/sh
# client_outbox_race.sh — queueing while a push is in flight, and pushes
# that race each other (issue 9, items 1 and 5). An edit made while the
# PATCH of the same mailbox is slow to answer becomes its own entry and
# reaches the organization with the next sync (never merged into the entry
# in flight and then settled as sent with it); three `sync` runs at once
# send each of 20 queued edits exactly once, and their "pushed" counts sum
# to 20.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start
client_env
run_rc 0 ec sync

run_rc 0 ec mailboxes --filter 'type:user state:active act:server-side-sync outgoing:server-side-sync' --json
user=$(echo "$OUT" | $JSON_GET get .0.id)
[ -n "$user" ] && [ "$user" != null ] || fail "no suitable user mailbox in the demo data"

# wait_for SQL — until the cache answers SQL with something (5 s at most).
wait_for() {
	i=0
	while [ -z "$(sqlite3 "$C" "$1" 2>/dev/null)" ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "waited 5 s for: $1"
		sleep 0.05
	done
}

# Process A's PATCH takes 1.5 s; process B edits another field meanwhile.
assert_eq 200 "$(sim_ctl POST config '{"latency_ms":1500}')" "slow answers"
ec mailbox set "$user" act=none >"$T/a.out" 2>"$T/a.err" &
a=$!
wait_for "select id from outbox where claim is not null"
run_rc 0 ec --offline outbox
assert_contains "$OUT" "sending" "the entry in flight is shown as being sent"
run_rc 0 ec --offline mailbox set "$user" outgoing=none
assert_contains "$OUT" "queued" "B's edit is queued"
# B online as well: the entry in flight goes first, so B's waits for it.
run_rc 0 ec mailbox set "$user" incoming=none
assert_contains "$OUT" "queued" "B's second edit waits for the push in flight"
wait $a || fail "A: exit $?: $(cat "$T/a.err")"
assert_contains "$(cat "$T/a.out")" "saved" "A's edit was saved"
assert_eq 200 "$(sim_ctl POST config '{"latency_ms":0}')" "fast again"
run_rc 0 ec outbox --json
assert_eq 1 "$(echo "$OUT" | $JSON_GET len .)" "B's edits: one entry, still queued"
assert_eq queued "$(echo "$OUT" | $JSON_GET get .0.state)" "queued"
assert_eq none "$(echo "$OUT" | $JSON_GET get .0.changes.outgoing)" "B's first edit kept"
assert_eq none "$(echo "$OUT" | $JSON_GET get .0.changes.incoming)" "B's second edit kept"
run_rc 0 ec sync
assert_contains "$OUT" "pushed 1 edit (0 conflicts, 0 failed)" "pushed without a conflict"
assert_eq 200 "$(sim_ctl GET "mailboxes($user)")" "read the organization's row"
assert_eq 2 "$(jv actdeliverymethod)" "A's act=none reached the organization"
assert_eq 0 "$(jv outgoingemaildeliverymethod)" "B's outgoing=none reached the organization"
assert_eq 0 "$(jv incomingemaildeliverymethod)" "B's incoming=none reached the organization"

# Three syncs at once, 20 queued edits: each sent once.
run_rc 0 ec mailboxes --filter 'state:active -act:none -type:forward' --json
echo "$OUT" | $JSON_GET each . id | grep -v "$user" | head -20 >"$T/ids"
assert_eq 20 "$(wc -l <"$T/ids")" "twenty mailboxes"
while read -r id; do
	run_rc 0 ec --offline mailbox set "$id" act=none
done <"$T/ids"
assert_eq 200 "$(sim_ctl POST config '{"latency_ms":30}')" "answers overlap"
before=$(sim_seq)
for n in 1 2 3; do
	ec sync >"$T/sync.$n" 2>&1 &
	eval "p$n=$!"
done
# shellcheck disable=SC2154
wait "$p1" && wait "$p2" && wait "$p3" || fail "a sync failed: $(cat "$T"/sync.*)"
sim_log_since "$before"
$JSON_GET each . method <"$SIM_BODY" >"$T/m"
$JSON_GET each . status <"$SIM_BODY" >"$T/s"
accepted=$(paste -d' ' "$T/m" "$T/s" | grep -c '^PATCH 200' || true)
patches=$(grep -c '^PATCH' "$T/m" || true)
assert_eq 20 "$accepted" "exactly 20 accepted PATCHes"
assert_eq 20 "$patches" "no PATCH sent twice"
sum=0
for n in 1 2 3; do
	p=$(sed -n 's/.*pushed \([0-9]*\) edits.*/\1/p' "$T/sync.$n")
	sum=$((sum + p))
done
assert_eq 20 "$sum" "the pushed counts of the three runs sum to 20"
run_rc 0 ec outbox --json
assert_eq "[]" "$OUT" "nothing left queued"
echo "client outbox race: ok"
