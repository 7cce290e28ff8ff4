#!/bin/sh
# script_status_texts.sh — the console's status texts (issue 12): a running
# job reads as a sentence in the status panel ("First sync…" only for a
# cache never synced, "Syncing…" for P); an edit queued while the
# organization does not answer is pushed by itself once a refresh gets an
# answer again, and the failure's message goes with its cause; an
# information message expires after EMAILCFG_MESSAGE_SECONDS.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start
client_env

# 1. Job sentences: slow answers keep the jobs on the panel for the dumps.
assert_eq 200 "$(sim_ctl POST config '{"latency_ms":300}')" "slow organization"
cat >"$T/jobs" <<'EOS'
:dump job-first
:wait-idle
P
:dump job-sync
:wait-idle
r
:dump job-refresh
:wait-idle
T
<Right>
<Enter>
:dump job-test
:wait-idle
q
EOS
tui_run 120x40 "$T/jobs" --org "$SIM_URL" --cache "$C"
first=$(tui_dump job-first)
assert_contains "$first" "First sync…" "an empty cache's sync is the first"
assert_not_contains "$first" "sync first sync" "no kind before the sentence"
sync=$(tui_dump job-sync)
assert_contains "$sync" "Syncing…" "P syncs"
assert_not_contains "$sync" "First sync" "the cache was synced before"
assert_not_contains "$sync" "push and pull" "no kind and label side by side"
assert_contains "$(tui_dump job-refresh)" "Refreshing…" "r refreshes"
assert_not_contains "$(tui_dump job-refresh)" "live refresh" "in one sentence"
test_line=$(tui_dump job-test | grep "Testing" || true)
echo "$test_line" | grep -Eq "^Testing (mailboxes…|[0-9]+ of 1 mailbox)( |$)" ||
	fail "Test & Enable's job line: $test_line"
assert_eq 200 "$(sim_ctl POST config '{"latency_ms":0}')" "fast again"

# down_then_up NAME: the console starts while the organization does not
# answer (dump NAME-down once idle), the organization answers again, the
# next refresh gets its answer (dump NAME-up once idle).
down_then_up() {
	assert_eq 200 "$(sim_ctl POST config '{"fail_every":1}')" "the organization stops answering"
	rm -f "$T/up"
	cat >"$T/$1" <<EOS
:wait-idle
:dump $1-down
:wait-file $T/up
:wait-refresh
:wait-idle
:dump $1-up
q
EOS
	EMAILCFG_MAX_WAIT_SECONDS=2 EMAILCFG_REFRESH_SECONDS=2 \
		tui_run 120x40 "$T/$1" --org "$SIM_URL" --cache "$C" &
	pid=$!
	tui_wait_dump "$1-down"
	assert_eq 200 "$(sim_ctl POST config '{"fail_every":0}')" "it answers again"
	touch "$T/up"
	wait $pid || fail "the console script $1 failed"
}

# 2. An edit queued while the organization does not answer.
run_rc 0 ec mailboxes --filter type:user --json
mb=$(echo "$OUT" | $JSON_GET get .0.id)
run_rc 0 ec --offline mailbox set "$mb" outgoing=none
down_then_up org
down=$(tui_dump org-down)
assert_contains "$down" "queued edits 1" "the edit waits in the outbox"
assert_contains "$down" "sync failed: 127.0.0.1 kept answering 503" "the failure says so"
up=$(tui_dump org-up)
assert_contains "$up" "queued edits 0" "pushed once the organization answered"
assert_not_contains "$up" "kept answering" "the failure's message went with its cause"
assert_eq 0 "$(sqlite3 "$C" "select count(*) from outbox where state != 'sent'")" "the outbox is empty"
assert_eq 200 "$(sim_ctl GET "mailboxes($mb)")" "the organization's row"
assert_eq 0 "$(jv outgoingemaildeliverymethod)" "the organization has the edit"

# 3. Nothing queued: the failure's message goes once a refresh is answered.
down_then_up calm
assert_contains "$(tui_dump calm-down)" "kept answering 503" "the failure is shown"
assert_not_contains "$(tui_dump calm-up)" "kept answering" "and goes once a refresh is answered"
assert_not_contains "$(tui_dump calm-up)" "pushed:" "nothing to push"

# 4. Information expires after EMAILCFG_MESSAGE_SECONDS (script mode: only
# when set); a warning or error does not.
(sleep 2; touch "$T/later") &
cat >"$T/info" <<EOS
:dump info-shown
:wait-file $T/later
:dump info-gone
q
EOS
EMAILCFG_MESSAGE_SECONDS=1 tui_run 80x24 "$T/info" --offline --cache "$C"
assert_contains "$(tui_dump info-shown)" "offline: showing the cache" "the message is shown"
assert_not_contains "$(tui_dump info-gone)" "offline: showing the cache" "and expires"
echo "status texts: ok"
