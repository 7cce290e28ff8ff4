#!/bin/sh
# script_history_new_mailbox.sh — a mailbox that appears in the
# organization already failing (the usual case: a new user whose address is
# not approved) is a new failure to the admin: the status panel's count and
# sparkline go up by one, so "what changed since the last sync" must say
# "+1 failing" too. Today the line counts only status_changes rows, and a
# mailbox cached for the first time writes none (data/schema.sql: "A mailbox
# cached for the first time is not a change"), so the panel shows the
# count rising while it says no failure began.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start --data none --generate 12 --seed 11
client_env
run_rc 0 ec sync
assert_eq 0 "$(sqlite3 "$C" "SELECT count(*) FROM status_changes")" "the first sync: no change"
before=$(sqlite3 "$C" "SELECT incoming_failure FROM status_snapshots ORDER BY id DESC LIMIT 1")
id=0f0f0f0f-1111-4222-8333-444455556666
body=$(printf '{"mailboxid":"%s","name":"Nova Uporabnica","emailaddress":"nova@example.com","incomingemaildeliverymethod":2,"incomingemailstatus":2,"statecode":0}' "$id")
assert_eq 201 "$(sim_ctl POST mailboxes "$body")" "a new mailbox, failing"
run_rc 0 ec sync
after=$(sqlite3 "$C" "SELECT incoming_failure FROM status_snapshots ORDER BY id DESC LIMIT 1")
assert_eq $((before + 1)) "$after" "the history counts one more failing mailbox"
printf ':wait-idle\n:dump panel\nq\n' >"$T/s"
tui_run 120x40 "$T/s" --offline --cache "$C"
panel=$(tui_dump panel)
assert_contains "$panel" "+1 failing" "the panel says a failure began"
assert_not_contains "$panel" "no failure began or ended yet" "not that nothing changed"
run_rc 0 ec history --mailbox "$id" --csv
assert_contains "$OUT" ",incoming,new,failure," "history: the new mailbox's incoming from new to failure"
