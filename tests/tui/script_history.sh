#!/bin/sh
# script_history.sh — the console shows time (issue 14): over a sequence of
# syncs in which the emulator fails and recovers mailboxes, the status panel
# draws the trend of failing mailboxes (UTF-8 and ASCII) and what the last
# sync changed, the Mailboxes list shows how long a mailbox has failed and
# sorts by it, the Mailbox form shows the mailbox's timeline with the cause
# of its failure, and the Changes screen (7) lists what changed since a
# chosen time. Expected values are worked out from the sequence below.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start --data none --generate 30 --seed 11
client_env
jout() { printf '%s\n' "$OUT" | $JSON_GET "$@"; }
# status ID WIRE: the organization changes the mailbox's incoming status.
status() {
	assert_eq 200 "$(sim_ctl PATCH "mailboxes($1)" "{\"incomingemailstatus\":$2}")" "PATCH $1"
}

# Start from an organization where no incoming channel fails, and a history
# that begins with it: sync 1 has 0 failing.
run_rc 0 ec sync
run_rc 0 ec mailboxes --filter 'incoming-status:failure' --json
for id in $(jout each . id); do status "$id" 1; done
sqlite3 "$C" "DELETE FROM status_snapshots; DELETE FROM status_changes"
run_rc 0 ec sync
sqlite3 "$C" "DELETE FROM status_snapshots; DELETE FROM status_changes"
run_rc 0 ec sync
run_rc 0 ec mailboxes --filter 'state:active incoming:sss incoming-status:ok' --sort name --json
A=$(jout get .0.id)
B=$(jout get .1.id)
Dm=$(jout get .2.id)
Dname=$(jout get .2.name)
Aname=$(jout get .0.name)
[ -n "$Dm" ] || fail "the generated organization has too few succeeding mailboxes"

# Sync 2: A and B fail (2 failing), with an alert on A whose cause is known.
status "$A" 2
status "$B" 2
assert_eq 201 "$(sim_ctl POST tracelogs "{\"text\":\"Mailbox A: the email address have not \
been approved\",\"level\":3,\"tracecode\":7,\"_regardingobjectid_value\":\"$A\"}")" "an alert on A"
run_rc 0 ec sync
# Sync 3: A recovers, D fails (still 2 failing).
status "$A" 1
status "$Dm" 2
run_rc 0 ec sync
# Sync 4: B recovers (1 failing): +0 failing, 1 recovered.
status "$B" 1
run_rc 0 ec sync
# D has failed for 3 days and 5 hours; everything else changed just now.
sqlite3 "$C" "UPDATE status_changes SET changed_on = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', \
'-3 days', '-5 hours') WHERE mailbox_id = '$Dm'"

cat >"$T/history.script" <<EOS
:wait-idle
:dump list
7
:wait-idle
:dump changes-day
/
1w
<Enter>
:dump changes-week
<Enter>
:wait-idle
:dump changes-open
<Esc>
1
/
name:$Aname
<Enter>
:wait-idle
<Enter>
:wait-idle
G
:dump timeline
q
EOS
# Offline: the console's own refresh would be a fifth sync.
tui_run 120x40 "$T/history.script" --org "$SIM_URL" --cache "$C" --offline

# The panel: incoming failing over the four syncs is 0, 2, 2, 1, and syncs 2
# and 3 failed the same on every channel (one point): 0, 2, 1. On a scale
# from 0 to the largest (2), 0 is the floor (level 0), 2 the top (7), 1 is
# 1 + round(6 * 1 / 2) = 4: "▁█▅".
list=$(tui_dump list)
assert_contains "$list" "in ▁█▅ " "the incoming trend over four syncs"
assert_contains "$list" "changed MM-DD hh:mm: +0 failing, 1 recovered" "what the newest sync that changed a failure changed, and when"
# The list: only D fails now, for 3 days and 5 hours.
assert_contains "$(echo "$list" | sed -n 2,3p)" "Failing" "the column's title"
assert_contains "$(echo "$list" | grep "$Dname")" "3d 5h" "D's failing since"
assert_not_contains "$(echo "$list" | grep "$Aname")" "3d" "A does not fail"

# Changes within a day: A and B failed, A and B recovered (D's is older).
day=$(tui_dump changes-day)
assert_contains "$day" "4 changes · +2 failing, 2 recovered" "the day's changes"
assert_not_contains "$day" "$Dname" "D's failure is three days old"
assert_contains "$day" "The mailbox's email address is not approved" "A's failure and its cause"
week=$(tui_dump changes-week)
assert_contains "$week" "(1w)" "the time chosen"
assert_contains "$week" "5 changes · +3 failing, 2 recovered" "a week holds D's failure too"
# Newest first: B's recovery is the first row; Enter opens its form.
assert_contains "$(echo "$week" | sed -n 4p)" "Failure → Success" "the newest change first"
assert_contains "$(tui_dump changes-open)" "Mailbox" "Enter opens the mailbox's form"

# A's timeline: the recovery, then the failure with its alert's cause.
tl=$(tui_dump timeline)
assert_contains "$tl" "Status history" "the form's timeline section"
assert_contains "$tl" "Incoming: Failure → Success" "A's recovery"
assert_contains "$tl" "Incoming: Success → Failure" "A's failure"
assert_eq 1 "$(echo "$tl" | sed -n "/^Status history/,/^Alerts/p" | grep -c "cause  *The mailbox.s email address is not approved")" "the failure's cause, in the timeline"
first=$(echo "$tl" | grep -n "Failure → Success" | cut -d: -f1)
second=$(echo "$tl" | grep -n "Success → Failure" | cut -d: -f1)
[ "$first" -lt "$second" ] || fail "the timeline is not newest first"
assert_not_contains "$tl" "Failing since" "A does not fail now"

# ASCII: the same trend in ASCII marks ("_.:-=+*#": levels 0, 7, 4).
cat >"$T/ascii.script" <<EOS
:wait-idle
:dump ascii
q
EOS
EMAILCFG_ASCII=1 tui_run 120x40 "$T/ascii.script" --org "$SIM_URL" --cache "$C" --offline
assert_contains "$(tui_dump ascii)" "in _#= " "the ASCII trend"

# Sorted by failing since, the failing mailbox comes first both ways.
run_rc 0 ec mailboxes --sort since --json
assert_eq "$Dm" "$(jout get .0.id)" "sorted by failing since: D first"
run_rc 0 ec mailboxes --sort -since --json
assert_eq "$Dm" "$(jout get .0.id)" "descending too: the not failing come last"
echo ok
