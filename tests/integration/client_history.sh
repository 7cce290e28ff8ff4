#!/bin/sh
# client_history.sh — the sync history against the emulator: a sequence of
# syncs with mailboxes failing and recovering (the control endpoint changes
# them behind the client's back) gives one snapshot per sync with the right
# counts, each mailbox's timeline newest first with the alert that came with
# the change, and "failing since"; `history --since` filters, `--json` and
# `--csv` have their documented shapes; the filters since: and changed:
# select the right mailboxes; a sync prunes to the configured bounds; a bad
# bound is refused.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start --data none --generate 30 --seed 11
client_env
jout() { printf '%s\n' "$OUT" | $JSON_GET "$@"; }
snapshots() { sqlite3 "$C" "SELECT count(*) FROM status_snapshots"; }
# status ID WIRE: the organization changes the mailbox's incoming status.
status() {
	assert_eq 200 "$(sim_ctl PATCH "mailboxes($1)" "{\"incomingemailstatus\":$2}")" "PATCH $1"
}
# incoming failures of snapshot N (1-based, oldest first) from history --json
failing() {
	run_rc 0 ec history --json
	jout get ".$(($1 - 1)).incoming.failure"
}

run_rc 0 ec sync
assert_eq 1 "$(snapshots)" "the first sync records a snapshot"
assert_eq 0 "$(sqlite3 "$C" "SELECT count(*) FROM status_changes")" \
	"mailboxes cached for the first time are no change"
run_rc 0 ec status --json
f0=$(jout get .incoming.failure)
run_rc 0 ec mailboxes --filter 'state:active incoming:sss incoming-status:ok' --json
ids=$(jout each . id)
A=$(echo "$ids" | sed -n 1p)
B=$(echo "$ids" | sed -n 2p)
D=$(echo "$ids" | sed -n 3p)
[ -n "$D" ] || fail "the generated organization has too few succeeding mailboxes"
assert_eq "$f0" "$(failing 1)" "snapshot 1 holds the status panel's count"

# Sync 2: A and B fail, with an alert on A.
status "$A" 2
status "$B" 2
assert_eq 201 "$(sim_ctl POST tracelogs "{\"text\":\"Mailbox A failed: \\u001b[31mred\",\"level\":3,\
\"tracecode\":7,\"_regardingobjectid_value\":\"$A\"}")" "an alert on A"
run_rc 0 ec sync
assert_eq 2 "$(snapshots)" "one snapshot a sync"
assert_eq "$((f0 + 2))" "$(failing 2)" "two more failing"
assert_eq "2" "$(sqlite3 "$C" "SELECT count(DISTINCT mailbox_id) FROM status_changes WHERE \
to_status = 2 AND snapshot_id = (SELECT max(id) FROM status_snapshots)")" "+2 failing"
run_rc 0 ec mailboxes --filter 'since:<1h' --json
assert_eq "$(printf '%s\n%s' "$A" "$B" | sort)" "$(jout each . id | sort)" "failing for less than an hour"
run_rc 0 ec mailboxes --filter 'since:>1h' --json
assert_eq 0 "$(jout len .)" "nobody failing for longer"
run_rc 0 ec mailboxes --filter 'changed:<1h' --json
assert_eq 2 "$(jout len .)" "changed within the hour"

# Sync 3: A recovers, D fails; B still fails.
status "$A" 1
status "$D" 2
run_rc 0 ec sync
assert_eq "$((f0 + 2))" "$(failing 3)" "one recovered, one more failing"
run_rc 0 ec history --mailbox "$A" --json
assert_eq 2 "$(jout len .)" "A's timeline: two changes"
assert_eq "success failure incoming" \
	"$(jout get .0.to) $(jout get .0.from) $(jout get .0.channel)" "newest first: the recovery"
assert_eq "failure success" "$(jout get .1.to) $(jout get .1.from)" "then the failure"
assert_contains "$(jout get .1.alert_text)" "Mailbox A failed" "the alert that came with it"
assert_eq "changed_on mailbox_id mailbox_name channel from to alert_id alert_text" \
	"$(jout keys .0 | tr '\n' ' ' | sed 's/ $//')" "a change's JSON keys"
run_rc 0 ec history --mailbox "$A"
assert_contains "$OUT" "success  failure" "the table shows from and to"
assert_not_contains "$OUT" "$(printf '\033')" "the alert's text is sanitized"
assert_contains "$OUT" "Mailbox A failed" "the table shows the alert"
run_rc 0 ec history --mailbox "$A" --csv
assert_eq "changed_on,channel,from,to,alert_id,alert_text" "$(echo "$OUT" | sed -n 1p | tr -d "\r")" "timeline CSV"
assert_eq 3 "$(echo "$OUT" | wc -l)" "timeline CSV rows"

# Failing since: B's failure is made three days old; D's is new.
sqlite3 "$C" "UPDATE status_changes SET changed_on = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', \
'-3 days') WHERE mailbox_id = '$B'"
run_rc 0 ec mailboxes --filter 'since:>2d' --json
assert_eq "$B" "$(jout each . id)" "failing for more than two days"
run_rc 0 ec mailboxes --filter 'since:<1h' --json
assert_eq "$D" "$(jout each . id)" "failing for less than an hour (A recovered)"
run_rc 0 ec mailboxes --filter 'changed:<1h' --sort since --json
assert_eq "$(printf '%s\n%s' "$A" "$D" | sort)" "$(jout each . id | sort)" "changed within the hour"
run_rc 2 ec mailboxes --filter 'since:2d'
assert_contains "$ERR" ">DURATION or <DURATION" "a duration needs its direction"

# --since, and the shapes.
sqlite3 "$C" "UPDATE status_snapshots SET taken_on = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', \
'-2 days') WHERE id = 1"
run_rc 0 ec history --since 1d --json
assert_eq 2 "$(jout len .)" "--since 1d leaves out the snapshot of two days ago"
run_rc 0 ec history --since 3d --json
assert_eq 3 "$(jout len .)" "--since 3d has all three"
run_rc 0 ec history --since 2099-01-01 --json
assert_eq 0 "$(jout len .)" "--since a date in the future"
run_rc 2 ec history --since yesterday
assert_contains "$ERR" "give a duration" "a bad --since"
run_rc 0 ec history --json
assert_eq "taken_on duration_ms daily mailboxes active inactive incoming outgoing act \
approval_pending alerts queued conflicts" "$(jout keys .0 | tr '\n' ' ' | sed 's/ $//')" \
	"a snapshot's JSON keys"
assert_eq "success failure not_run" "$(jout keys .0.act | tr '\n' ' ' | sed 's/ $//')" "channel keys"
assert_eq "error warning information" "$(jout keys .0.alerts | tr '\n' ' ' | sed 's/ $//')" \
	"alert keys"
run_rc 0 ec history --csv
assert_eq "taken_on,duration_ms,daily,mailboxes,active,inactive,incoming_success,\
incoming_failure,incoming_not_run,outgoing_success,outgoing_failure,outgoing_not_run,\
act_success,act_failure,act_not_run,approval_pending,alert_errors,alert_warnings,\
alert_information,queued,conflicts" "$(echo "$OUT" | sed -n 1p | tr -d "\r")" "the CSV header"
assert_eq 4 "$(echo "$OUT" | wc -l)" "a CSV row per snapshot"
run_rc 0 ec history
assert_contains "$(echo "$OUT" | sed -n 1p)" "IN FAIL" "the table"
run_rc 2 ec history --json --csv

# Pruning by the sync: old detail folds into the day's last snapshot, past
# the bound it goes; old changes go but a cached mailbox's newest.
sqlite3 "$C" "INSERT INTO status_snapshots (taken_on, mailboxes) VALUES \
(date('now', '-40 days') || 'T01:00:00Z', 101), (date('now', '-40 days') || 'T02:00:00Z', 102), \
(date('now', '-400 days') || 'T02:00:00Z', 103); \
INSERT INTO status_changes (mailbox_id, channel, from_status, to_status, changed_on) VALUES \
('$D', 'outgoing', 1, 2, date('now', '-50 days') || 'T00:00:00Z'), \
('$D', 'outgoing', 2, 1, date('now', '-45 days') || 'T00:00:00Z')"
run_rc 0 ec sync
assert_eq "102" "$(sqlite3 "$C" "SELECT group_concat(mailboxes) FROM status_snapshots WHERE daily")" \
	"one summary for the day 40 days ago, none for 400 days ago"
assert_eq "21" "$(sqlite3 "$C" "SELECT group_concat(from_status || to_status) FROM status_changes \
WHERE channel = 'outgoing'")" "D's old outgoing changes: only the newest is kept"
# Configured bounds: one day of detail folds the snapshot of two days ago.
assert_eq 0 "$(sqlite3 "$C" "SELECT daily FROM status_snapshots WHERE id = 1")" "kept in detail"
EMAILCFG_HISTORY_DETAIL_DAYS=1 run_rc 0 ec sync
assert_eq 1 "$(sqlite3 "$C" "SELECT daily FROM status_snapshots WHERE id = 1")" \
	"history-detail-days=1 makes it its day's summary"
EMAILCFG_HISTORY_DAYS=soon run_rc 5 ec history
assert_contains "$ERR" "history-days is 'soon'" "a bad bound is refused"
echo "ok"
