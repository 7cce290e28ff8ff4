#!/bin/sh
# monitoring_check.sh — `emailcfg check`, the monitoring plugin: each of its
# four exit codes with its status line and perfdata. The numbers of the demo
# organization (60 active mailboxes; 16 fail incoming, 10 outgoing, 5 ACT,
# every one of those also among the 16; 16 approvals blocking mail of 17 pending; no conflicts)
# are compared with `emailcfg status --json`, then changed behind the client
# through the emulator's control endpoint.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start
client_env

# perf NAME — the perfdata item NAME=... of the last status line.
perf() {
	printf '%s\n' "$OUT" | head -n 1 | sed 's/.*| //' | tr ' ' '\n' | grep "^$1=" || true
}
line() {
	printf '%s\n' "$OUT" | head -n 1
}

# UNKNOWN (3): never synced, an unreadable cache, a bad threshold.
run_rc 3 $EMAILCFG --cache "$C" check
assert_contains "$(line)" "EMAILCFG UNKNOWN - " "never synced: UNKNOWN line"
assert_contains "$(line)" "never synced" "why"
printf 'not a database, just text\n%.0s' 1 2 3 4 5 6 7 8 >"$T/garbage.db"
run_rc 3 $EMAILCFG --cache "$T/garbage.db" check
assert_contains "$(line)" "EMAILCFG UNKNOWN - " "unreadable cache"
run_rc 0 ec sync
for bad in abc 10:5 @ "1:2:3" 15x; do
	run_rc 3 ec check --warning "$bad"
	assert_contains "$(line)" "EMAILCFG UNKNOWN - --warning '$bad' is not a threshold range" \
		"bad threshold $bad"
done
run_rc 3 ec check --age-warning 5w
run_rc 3 ec check --channel inbound
assert_contains "$(line)" "--channel is incoming, outgoing or act" "bad channel"
run_rc 3 ec check --no-such-option
assert_contains "$(line)" "EMAILCFG UNKNOWN - unknown option" "unknown option"

# OK (0): the status panel's numbers.
$EMAILCFG --cache "$C" status --json >"$T/status.json"
in_fail=$($JSON_GET get .incoming.failure <"$T/status.json")
out_fail=$($JSON_GET get .outgoing.failure <"$T/status.json")
act_fail=$($JSON_GET get .act.failure <"$T/status.json")
pending=$($JSON_GET get .pending_approvals <"$T/status.json")
active=$($JSON_GET get .active <"$T/status.json")
assert_eq "16 10 5 16 60" "$in_fail $out_fail $act_fail $pending $active" "the demo organization"
run_rc 0 ec check
expect_match "status line" \
	"^EMAILCFG OK - 16 failing mailboxes, 16 approvals blocking mail \(17 pending\), 0 conflicts, last sync [0-9]+s ago \| " \
	"$(line)"
assert_eq "failing=16;;;0;60" "$(perf failing)" "failing perfdata"
assert_eq "incoming_failing=16;;;0;60" "$(perf incoming_failing)" "incoming perfdata"
assert_eq "outgoing_failing=10;;;0;60" "$(perf outgoing_failing)" "outgoing perfdata"
assert_eq "act_failing=5;;;0;60" "$(perf act_failing)" "act perfdata"
assert_eq "pending_approvals=16;;;0" "$(perf pending_approvals)" "pending perfdata"
assert_eq "conflicts=0;;;0" "$(perf conflicts)" "conflicts perfdata"
expect_match "age perfdata" '^last_sync_age=[0-9]s;;;0$' "$(perf last_sync_age)"
assert_eq 1 "$(line | tr -cd '|' | wc -c)" "one '|' on the status line"
# Long output: at most 10 names, then how many more.
assert_eq 11 "$(printf '%s\n' "$OUT" | sed 1d | wc -l)" "10 names and the rest"
assert_contains "$OUT" "Andraž Šinkovec (incoming, outgoing, act)" "a failing mailbox named"
assert_contains "$OUT" "and 6 more" "the rest counted"
run_rc 0 ec check --max-names 2
assert_eq 3 "$(printf '%s\n' "$OUT" | sed 1d | wc -l)" "--max-names 2"
assert_contains "$OUT" "and 14 more" "--max-names 2: the rest"
run_rc 0 ec check --warning 20 --critical 30 --pending-warning 20 --conflicts-warning 0 \
	--age-warning 15m --age-critical 1h
assert_contains "$(line)" "EMAILCFG OK - " "below every threshold"
assert_eq "failing=16;20;30;0;60" "$(perf failing)" "thresholds in perfdata"
assert_eq "pending_approvals=16;20;;0" "$(perf pending_approvals)" "pending thresholds"
expect_match "age thresholds in seconds" '^last_sync_age=[0-9]s;900;3600;0$' \
	"$(perf last_sync_age)"
run_rc 0 ec check --warning 16 --critical 16:
assert_contains "$(line)" "EMAILCFG OK - " "16 is inside 0..16 and 16..inf"

# WARNING (1) and CRITICAL (2), each range form.
run_rc 1 ec check --warning 15 --critical 30
assert_contains "$(line)" "EMAILCFG WARNING - 16 failing mailboxes" "WARNING above 15"
assert_eq "failing=16;15;30;0;60" "$(perf failing)" "warning perfdata"
run_rc 2 ec check --warning 10 --critical 15
assert_contains "$(line)" "EMAILCFG CRITICAL - " "CRITICAL wins over WARNING"
run_rc 2 ec check --critical @10:20
assert_eq "failing=16;;@10:20;0;60" "$(perf failing)" "@ range in perfdata"
run_rc 1 ec check --warning 17:
run_rc 1 ec check --warning "~:15"
run_rc 0 ec check --warning "~:16"
run_rc 2 ec check --pending-critical 15
assert_contains "$(line)" "16 approvals blocking mail (17 pending)" "pending"
run_rc 1 ec check --conflicts-warning @0
# Per channel: the thresholds apply to its count, the line names it.
run_rc 1 ec check --channel act --warning 4 --critical 9
assert_contains "$(line)" "EMAILCFG WARNING - 5 mailboxes failing act" "channel line"
assert_eq "act_failing=5;4;9;0;60" "$(perf act_failing)" "channel thresholds"
# failing keeps its meaning (every channel) under --channel: a graph of it
# must not change with the service that draws it.
assert_eq "failing=16;;;0;60" "$(perf failing)" "failing counts every channel"
assert_eq 5 "$(printf '%s\n' "$OUT" | sed 1d | wc -l)" "the 5 failing act"
assert_not_contains "$OUT" "(incoming" "only the act channel named"
run_rc 0 ec check --channel outgoing --warning 10

# A mailbox that fails behind the client: one more after a sync.
id=$($EMAILCFG --cache "$C" mailboxes --filter \
	'state:active incoming:server-side-sync incoming-status:success outgoing-status:success' \
	--json | $JSON_GET get .0.id)
name=$($EMAILCFG --cache "$C" mailbox "$id" --json | $JSON_GET get .name)
assert_eq 200 "$(sim_ctl PATCH "mailboxes($id)" \
	'{"incomingemailstatus":2,"lastsyncerror":"Bad | pipe\nand newline"}')" "fail one"
run_rc 2 ec check --sync --critical 16
assert_contains "$(line)" "EMAILCFG CRITICAL - 17 failing mailboxes" "17 after the change"
assert_eq "incoming_failing=17;;;0;60" "$(perf incoming_failing)" "incoming 17"
assert_contains "$OUT" "$name (incoming): Bad / pipe^Jand newline" \
	"named, its error sanitized (no '|' to start perfdata, no newline)"

# The age of the last successful sync.
old=$(($(date +%s) - 7200))
sqlite3 "$C" "UPDATE meta SET value = '$old' WHERE key = 'sync.last_success'"
run_rc 1 ec check --age-warning 1h --age-critical 3h
expect_match "age" '^last_sync_age=720[0-9]s;3600;10800;0$' "$(perf last_sync_age)"
assert_contains "$(line)" "last sync 720" "age on the line"
run_rc 2 ec check --age-warning 30m --age-critical 90m

# --sync that fails: CRITICAL (an unreachable organization must page
# someone; UNKNOWN is the plugin's own trouble), its reason first, then the
# numbers the cache keeps.
sim_stop || true
run_rc 2 ec check --sync
assert_contains "$(line)" "EMAILCFG CRITICAL - sync failed: " "failed sync"
assert_contains "$(line)" "; 17 failing mailboxes" "the cache's numbers after the reason"
assert_eq "failing=17;;;0;60" "$(perf failing)" "perfdata still there"
run_rc 0 ec check --warning 20
