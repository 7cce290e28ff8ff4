#!/bin/sh
# review_mailbox_form_refresh.sh — (review) the Mailbox form with an unsaved
# edit (outgoing) while the live refresh brings in another admin's change
# of a field the admin never touched (the EWS URL): mf_reload() keeps the
# form's copy (every field as first read) and takes the fresh row as
# "saved", so `s` sends the old value of the untouched field too, against
# the fresh row: no 412, no conflict, their change silently reverted.
# (The keep-the-copy reload predates issue 11 (d88e86d); the profile form
# copied it, and the new keys — ews-url here — are exposed to it.)
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
s
<Esc>
:wait-idle
:dump form-saved
<Esc>
q
EOS
tui_run 120x40 "$T/edit" --org "$SIM_URL" --cache "$C" &
pid=$!
i=0
while [ ! -f "$D/form-edited" ]; do
	i=$((i + 1))
	[ $i -lt 300 ] || fail "the console never dumped form-edited"
	sleep 0.1
done
theirs=https://ews.changed-by-someone-else.example/EWS/Exchange.asmx
assert_eq 200 "$(sim_ctl PATCH "mailboxes($mb)" "{\"ewsurl\":\"$theirs\"}")" "their change"
touch "$T/changed"
wait $pid || fail "the console script failed"
echo "--- outbox:"; sqlite3 "$C" "select id, state, changes, base from outbox"
assert_eq 0 "$(org_mailbox outgoingemaildeliverymethod)" "the admin's edit (outgoing none) reached the organization"
assert_eq "$theirs" "$(org_mailbox ewsurl)" \
	"the other admin's EWS URL must not be reverted by a field this admin never touched"
echo ok
