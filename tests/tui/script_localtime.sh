#!/bin/sh
# script_localtime.sh — the console shows times in local time (TZ), one
# form everywhere (core/base/timefmt.h): the Mailbox form's test, sync and
# sync error times, its alerts and local Test & Enable history, the Alerts
# list, a profile's detail, the Tests screen's verdict and the status
# panel's sync times; while `--json` and `--csv` keep ISO 8601 UTC with Z
# under the same TZ. Times are chosen on both sides of a summer time switch
# and of midnight; the expected local times are worked out by hand for
# Europe/Ljubljana (CET +1, CEST +2 from 2026-03-29 01:00Z to 2026-10-25
# 01:00Z) and America/New_York (EST -5, EDT -4 from 2026-03-08 to 11-01).
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start --test-delay 1
client_env
jout() { printf '%s\n' "$OUT" | $JSON_GET "$@"; }
run_rc 0 ec sync
run_rc 0 ec mailboxes --filter name:Podpora --json
M=$(jout get .0.id)

# What the organization reports of Podpora, and an alert on it.
assert_eq 200 "$(sim_ctl PATCH "mailboxes($M)" '{"testmailboxaccesscompletedon":
"2026-07-01T22:30:00Z","lastsuccessfulsynccompletedon":"2026-12-01T10:00:00Z",
"lastsyncerroroccurredon":"2026-03-29T00:30:00Z","lastsyncerror":"Login refused."}')" \
	"the mailbox's times"
assert_eq 201 "$(sim_ctl POST tracelogs "{\"text\":\"Podpora: a local time test\",\"level\":3,\
\"tracecode\":7,\"_regardingobjectid_value\":\"$M\"}")" "an alert on Podpora"
run_rc 0 ec sync
# The organization stamps rows with its own clock; these are set in the cache
# instead, and a local Test & Enable run is stored as the CLI stores one.
sqlite3 "$C" "UPDATE alerts SET created_on = '2026-12-06T06:24:14Z',
	modified_on = '2026-12-06T06:24:14Z' WHERE text = 'Podpora: a local time test';
UPDATE profiles SET modified_on = '2026-12-01T23:15:00Z';
INSERT INTO alerts (id, regarding_id, regarding_profile, level, text, created_on, modified_on)
	SELECT 'a-profile-alert', id, 1, 2, 'A profile alert', '2026-07-31T22:05:00Z',
	'2026-07-31T22:05:00Z' FROM profiles WHERE name LIKE 'IMAP%';
UPDATE sync_state SET last_sync = '2026-12-01T10:00:00Z';
INSERT INTO test_runs (mailbox_id, name, verdict, started_on, finished_on)
	VALUES ('$M', 'Podpora', 'pass', '2026-10-25T00:59:00Z', '2026-10-25T00:59:30Z');"

cat >"$T/offline.script" <<'EOS'
:wait-idle
/
name:Podpora
<Enter>
:wait-idle
<Enter>
:wait-idle
:dump form
<Esc>
4
v
:dump alerts
3
<Enter>
:dump profile
q
EOS
# row FILE LABEL — the dump's line that starts with LABEL (after indent).
row() { grep -m1 "^ *$2" "$1" || true; }
# zone TZ — runs the offline console under TZ (no refresh moves the cache's
# last sync) and checks what stdin lists: DUMP|LABEL|WANT|WHAT, WANT on the
# dump's row that starts with LABEL.
zone() {
	TZ=$1 tui_run 120x60 "$T/offline.script" --org "$SIM_URL" --cache "$C" --offline
	for d in form alerts profile; do cp "$D/$d" "$T/$d-${1#*/}"; done
	while IFS='|' read -r dump label want what; do
		assert_contains "$(row "$D/$dump" "$label")" "$want" "$what ($1)"
	done
}
zone Europe/Ljubljana <<'EOT'
form|Test completed|2026-07-02 00:30:00|summer time, past midnight
form|Last successful sync|2026-12-01 11:00:00|winter time
form|on |2026-03-29 01:30:00|half an hour before summer time
form|2026-12-06 07:24:14|a local time test|the mailbox's alert
form|2026-10-25 02:59:00|pass|the local run, a minute before winter time
form|offline  cache synced|2026-12-01 11:00:00|the panel
alerts|2026-12-06 07:24|a local time test|the Alerts list
profile|Modified|2026-12-02 00:15:00|the profile
profile|2026-08-01 00:05:00|A profile alert|the profile's alert
EOT
zone America/New_York <<'EOT'
form|Test completed|2026-07-01 18:30:00|summer time
form|Last successful sync|2026-12-01 05:00:00|winter time
form|on |2026-03-28 20:30:00|summer time, the day before
form|2026-12-06 01:24:14|a local time test|the mailbox's alert
form|2026-10-24 20:59:00|pass|the local run, the day before
form|offline  cache synced|2026-12-01 05:00:00|the panel
alerts|2026-12-06 01:24|a local time test|the Alerts list
profile|Modified|2026-12-01 18:15:00|the profile
profile|2026-07-31 18:05:00|A profile alert|the profile's alert
EOT
assert_contains "$(head -2 "$T/profile-Ljubljana")" "IMAP/SMTP" "the profile with the alert"
for f in "$T"/form-* "$T"/alerts-* "$T"/profile-*; do
	assert_not_contains "$(cat "$f")" "2026-12-01T10:00:00Z" "no UTC text in $f"
	if grep -q '[0-9]T[0-9][0-9]:[0-9][0-9]' "$f"; then fail "a UTC time in $f"; fi
done

# The CLI's machine output stays UTC with Z under the same TZ.
export TZ=Europe/Ljubljana
run_rc 0 ec mailbox Podpora --json
assert_eq "2026-12-01T10:00:00Z" "$(jout get .last_sync_on)" "--json last_sync_on"
assert_eq "2026-03-29T00:30:00Z" "$(jout get .last_sync_error_on)" "--json last_sync_error_on"
run_rc 0 ec mailboxes --filter name:Podpora --json
assert_eq "2026-07-01T22:30:00Z" "$(jout get .0.test_completed_on)" "--json test_completed_on"
run_rc 0 ec mailboxes --filter name:Podpora --csv
assert_contains "$OUT" "2026-07-01T22:30:00Z" "--csv test_completed_on"
run_rc 0 ec alerts --json
assert_contains "$OUT" '"2026-12-06T06:24:14Z"' "--json alert times"

# Online: the panel's refresh line shows the local time of day of the last
# sync (the cache's, read after the run, in case the console refreshed);
# Test & Enable's verdict, on the Tests screen and in the pager, the local
# time of the run the cache stored.
cat >"$T/panel.script" <<'EOS'
:wait-idle
:dump panel
q
EOS
tui_run 120x40 "$T/panel.script" --org "$SIM_URL" --cache "$C"
synced=$(sqlite3 "$C" "SELECT max(last_sync) FROM sync_state")
clock=$(date -d "$synced" +%H:%M:%S)
[ "$clock" != "$(date -u -d "$synced" +%H:%M:%S)" ] || fail "Ljubljana is never UTC"
assert_contains "$(cat "$D/panel")" "refresh: last $clock " "the panel's refresh, local"
cat >"$T/online.script" <<'EOS'
:wait-idle
/
name:Podpora
<Enter>
:wait-idle
T
<Right><Right>
<Enter>
:wait-idle
6
<Enter>
:dump verdict
<Enter>
:dump pager
q
EOS
tui_run 120x40 "$T/online.script" --org "$SIM_URL" --cache "$C"
ran=$(sqlite3 "$C" "SELECT finished_on FROM test_runs WHERE mailbox_id = '$M' ORDER BY id DESC
	LIMIT 1")
ran=$(date -d "$ran" '+%Y-%m-%d %H:%M:%S')
assert_contains "$(sed -n 2p "$D/verdict")" "Podpora - verdict: pass  ($ran)" "the verdict's time"
assert_contains "$(cat "$D/pager")" "verdict: pass  ($ran)" "the verdict's time, in the pager"
echo ok
