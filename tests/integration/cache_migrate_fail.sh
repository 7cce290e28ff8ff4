#!/bin/sh
# cache_migrate_fail.sh — the version 9 migration of a
# schema 8 cache with queued edits fails midway (a file size limit: killed
# by SIGXFSZ, then with SIGXFSZ ignored so the write fails with EFBIG): the
# cache stays at version 8 with every outbox entry, passes the integrity
# check, and the next run without the limit migrates it with the entries.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
command -v sqlite3 >/dev/null || fail "sqlite3 is needed"
sim_start --data none --generate 3000 --seed 3
client_env
run_rc 0 ec sync
set -- $(sqlite3 "$C" "select id from mailboxes where state=0 and outgoing=2 order by id limit 2")
run_rc 0 ec --offline mailbox set "$1" outgoing=none
run_rc 0 ec --offline mailbox set "$2" outgoing=none
. tests/lib/schema_undo.sh
schema_to_v8 "$C"
sqlite3 "$C" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
sqlite3 "$C" "select id, state, changes from outbox order by id" >"$T/before"
echo "outbox before: $(cat "$T/before")"

check_v8() {
	assert_eq 8 "$(sqlite3 "$C" 'PRAGMA user_version;')" "$1: still version 8"
	assert_eq ok "$(sqlite3 "$C" 'PRAGMA integrity_check;')" "$1: integrity"
	sqlite3 "$C" "select id, state, changes from outbox order by id" >"$T/now"
	cmp -s "$T/before" "$T/now" || fail "$1: the outbox changed: $(diff "$T/before" "$T/now")"
}
# 256 KiB: the migration's rewrite of every mailbox does not fit in the WAL.
set +e
(ulimit -f 512; exec $EMAILCFG --org "$SIM_URL" --cache "$C" --offline outbox) >"$T/o1" 2>"$T/e1"
rc1=$?
(trap '' XFSZ; ulimit -f 512; exec $EMAILCFG --org "$SIM_URL" --cache "$C" --offline outbox) >"$T/o2" 2>"$T/e2"
rc2=$?
set -e
[ "$rc1" -ne 0 ] || fail "the limited run did not fail: the case did not happen"
check_v8 "killed by SIGXFSZ"
[ "$rc2" -ne 0 ] || fail "the EFBIG run did not fail"
check_v8 "EFBIG"
echo "EFBIG run said: $(cat "$T/e2")"
run_rc 0 ec --offline outbox
assert_eq "$(schema_latest)" "$(sqlite3 "$C" 'PRAGMA user_version;')" "migrated without the limit"
sqlite3 "$C" "select id, state, changes from outbox order by id" >"$T/now"
cmp -s "$T/before" "$T/now" || fail "the outbox changed in the migration"
echo ok
