#!/bin/sh
# script_form_refresh_mailbox.sh — the Mailbox form under a live refresh.
# An unsaved edit (outgoing) while another admin changes a field this admin
# never touched (the EWS URL): the refresh moves the edit onto the fresh
# row, so `s` sends outgoing only and their EWS URL stays. Then an edit of
# outgoing while they change outgoing too: the form keeps the admin's value
# and says so, `s` asks "Save over their change?" (Cancel, the default,
# queues nothing), and Save queues the admin's value knowingly.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
EMAILCFG_REFRESH_SECONDS=1
. tests/lib/tui.sh
set -e
sim_start
client_env
run_rc 0 ec sync
run_rc 0 ec mailboxes --filter 'name:Podpora' --json
mb=$(echo "$OUT" | $JSON_GET get .0.id)
org_mailbox() { # COLUMN
	sim_ctl GET "mailboxes($mb)" >/dev/null
	jv "$1"
}

cat >"$T/edit" <<EOS
:wait-idle
/Podpora
<Enter>
<Enter>
<Down><Down><Down><Down>
<Enter>
<Home>
<Enter>
:dump form-edited
:wait-file $T/changed
:wait-refresh
:wait-refresh
:dump form-refreshed
w
<Esc>
:wait-idle
:dump form-saved
<Esc>
q
EOS
tui_run 120x40 "$T/edit" --org "$SIM_URL" --cache "$C" &
pid=$!
tui_wait_dump form-edited
theirs=https://ews.changed-by-someone-else.example/EWS/Exchange.asmx
assert_eq 200 "$(sim_ctl PATCH "mailboxes($mb)" "{\"ewsurl\":\"$theirs\"}")" "their change"
touch "$T/changed"
wait $pid || fail "the console script failed"
echo "--- outbox:"; sqlite3 "$C" "select id, state, changes, base from outbox"
assert_eq 0 "$(org_mailbox outgoingemaildeliverymethod)" "the admin's edit (outgoing none) reached the organization"
assert_eq "$theirs" "$(org_mailbox ewsurl)" \
	"the other admin's EWS URL must not be reverted by a field this admin never touched"

# Both change outgoing: the admin to server-side sync, they to Outlook.
cat >"$T/edit2" <<EOS
:wait-idle
/Podpora
<Enter>
<Enter>
<Down><Down><Down><Down>
<Enter>
<End>
<Enter>
:dump moved-edited
:wait-file $T/changed2
:wait-refresh
:wait-refresh
:dump moved-refreshed
w
:dump moved-ask
<Enter>
:wait-idle
:dump moved-cancelled
w
<Right>
<Enter>
:wait-idle
:dump moved-saved
<Esc>
q
EOS
tui_run 120x40 "$T/edit2" --org "$SIM_URL" --cache "$C" &
pid=$!
tui_wait_dump moved-edited
assert_eq 200 "$(sim_ctl PATCH "mailboxes($mb)" '{"outgoingemaildeliverymethod":1}')" "their outgoing"
touch "$T/changed2"
wait $pid || fail "the second console script failed"
assert_contains "$(tui_dump moved-refreshed)" "changed by someone else while you edit" "the form says so"
assert_contains "$(tui_dump moved-ask)" "Save over their change?" "w asks first"
assert_contains "$(tui_dump moved-cancelled)" "edited, not saved" "Cancel keeps the edit unsaved"
assert_eq 2 "$(org_mailbox outgoingemaildeliverymethod)" "Save sent the admin's value knowingly"
echo ok
