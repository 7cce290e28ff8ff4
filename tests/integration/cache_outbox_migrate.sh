#!/bin/sh
# cache_outbox_migrate.sh — a schema 8 cache whose outbox holds
# queued, conflict, failed, sent and claimed entries, with a dropped entry
# above the highest id (the counter ahead of the rows), opened by this
# emailcfg: every entry keeps its id, state, changes, base, theirs, error
# and claim; a new entry takes an id above every id given before.
# A second cache whose outbox was emptied (all entries dropped) must not
# give the dropped ids again either.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/schema_undo.sh
set -e
command -v sqlite3 >/dev/null || fail "sqlite3 is needed"
sim_start
client_env
run_rc 0 ec sync
IMAP=e7414d04-dd37-55db-8653-90f9502ab86c


# Entries in every state. Mailboxes with nothing queued yet:
set -- $(sqlite3 "$C" "select id from mailboxes where state=0 and owner_type=0 and incoming=2 order by id limit 6")
[ $# -ge 6 ] || fail "six active user mailboxes needed"
M1=$1 M2=$2 M3=$3 M4=$4 M5=$5 M6=$6
run_rc 0 ec --offline mailbox set "$M3" incoming=none        # conflict
run_rc 0 ec --offline mailbox set "$M2" act=none             # failed
# M3: the organization changed incoming behind our back -> a conflict;
# M2: the organization no longer has the mailbox -> failed.
assert_eq 200 "$(sim_ctl PATCH "mailboxes($M3)" '{"incomingemaildeliverymethod":3}')" "theirs"
assert_eq 204 "$(sim_ctl DELETE "mailboxes($M2)")" "M2 deleted there"
set +e; ec sync >/dev/null 2>&1; set -e
run_rc 0 ec mailbox set "$M4" outgoing=none                  # sent
run_rc 0 ec --offline mailbox set "$M1" outgoing=none        # queued
run_rc 0 ec --offline mailbox set "$M5" incoming=none        # claimed (another process)
run_rc 0 ec --offline mailbox set "$M6" outgoing=none        # dropped (highest id)
e5=$(sqlite3 "$C" "select id from outbox where target_id='$M5'")
sqlite3 "$C" "UPDATE outbox SET claim = 'elsewhere 4242 abc.1', claim_expires = strftime('%s','now') + 3000 WHERE id = $e5"
e6=$(sqlite3 "$C" "select id from outbox where target_id='$M6'")
run_rc 0 ec outbox drop "$e6"
sqlite3 "$C" "select id, entity, target_id, changes, base, theirs, base_version, state, error, claim, claim_expires from outbox order by id" >"$T/before"
grep -q '|conflict|' "$T/before" || fail "no conflict entry made: $(cat "$T/before")"
grep -q '|failed|' "$T/before" || fail "no failed entry made: $(cat "$T/before")"
grep -q '|sent|' "$T/before" || fail "no sent entry made: $(cat "$T/before")"
seq_before=$(sqlite3 "$C" "select seq from sqlite_sequence where name='outbox'")
assert_eq "$e6" "$seq_before" "the counter is at the dropped entry"

schema_to_v8 "$C"
run_rc 0 ec --offline outbox --json
assert_eq "$(schema_latest)" "$(sqlite3 "$C" 'PRAGMA user_version;')" "migrated to the latest version"
sqlite3 "$C" "select id, entity, target_id, changes, base, theirs, base_version, state, error, claim, claim_expires from outbox order by id" >"$T/after"
cmp -s "$T/before" "$T/after" || fail "the outbox changed in the migration: $(diff "$T/before" "$T/after")"
run_rc 0 ec --offline profile set "$IMAP" max-connections=9
new=$(sqlite3 "$C" "select max(id) from outbox")
[ "$new" -gt "$seq_before" ] || fail "a new entry took id $new, given before (counter was $seq_before)"

# An outbox emptied before the upgrade: the counter is all that is left.
C2=$T/empty.db
C_SAVE=$C; C=$C2
run_rc 0 ec sync
run_rc 0 ec --offline mailbox set "$M1" outgoing=none
run_rc 0 ec --offline mailbox set "$M4" act=none
last=$(sqlite3 "$C" "select max(id) from outbox")
for id in $(sqlite3 "$C" "select id from outbox"); do run_rc 0 ec outbox drop "$id"; done
assert_eq 0 "$(sqlite3 "$C" "select count(*) from outbox")" "emptied"
schema_to_v8 "$C"
run_rc 0 ec --offline profile set "$IMAP" max-connections=9
new=$(sqlite3 "$C" "select max(id) from outbox")
[ "$new" -gt "$last" ] || fail "emptied outbox: after the version 9 rebuild a new entry took id $new again (ids up to $last were given before)"
C=$C_SAVE
echo ok
