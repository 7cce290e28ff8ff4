#!/bin/sh
# client_sync_snapshot.sh — an incremental sync without change tracking
# reads what the cache holds (on a thread, beside the version listing) as it
# was before the listing's first page was asked for: a row another emailcfg
# stores while the listing is read is not taken for one the organization
# no longer lists, so it is not removed.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start --data none --generate 300 --seed 5 --max-page 100 -v
client_env
assert_eq 200 "$(sim_ctl POST track '{"all":false}')" "tracking off"
run_rc 0 ec sync
run_rc 0 ec sync
listing='mailboxes?$select=mailboxid,versionnumber,modifiedon,name'
before=$(grep -cF "$listing" "$SIM_LOG")
assert_eq 200 "$(sim_ctl POST config '{"latency_ms":600}')" "slow answers"
ec sync >"$T/sync.out" 2>"$T/sync.err" &
pid=$!
# Once the listing's first page has been answered, another process stores a
# mailbox (three pages of 100: the listing goes on for over a second).
i=0
until [ "$(grep -cF "$listing" "$SIM_LOG")" -gt "$before" ]; do
	i=$((i + 1))
	[ $i -lt 200 ] || fail "the listing did not begin"
	sleep 0.05
done
other=0badc0de-0000-4000-8000-000000000001
sqlite3 -cmd ".timeout 5000" "$C" "INSERT INTO mailboxes (id, name, version) VALUES ('$other', 'Stored meanwhile', 1)"
wait $pid || fail "sync failed: $(cat "$T/sync.err")"
assert_eq 1 "$(sqlite3 "$C" "SELECT count(*) FROM mailboxes WHERE id = '$other'")" \
	"the row stored during the listing is kept"
assert_eq 300 "$(sqlite3 "$C" "SELECT count(*) FROM mailboxes WHERE id <> '$other'")" "the others"
# The next sync lists it no more than this one did: now it goes.
assert_eq 200 "$(sim_ctl POST config '{"latency_ms":0}')" "fast answers"
run_rc 0 ec sync
assert_eq 0 "$(sqlite3 "$C" "SELECT count(*) FROM mailboxes WHERE id = '$other'")" \
	"a sync that began after it removes it"
