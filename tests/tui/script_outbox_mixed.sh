#!/bin/sh
# script_outbox_mixed.sh — a conflict resolved field by field on the Outbox
# screen: a field cleared in the edit (mine: null) and kept as mine is
# cleared on the organization (not set to the text "none"); a field taken
# as theirs keeps the organization's value. The fields kept as mine are
# never dropped before they are queued: offline, the entry stays, narrowed
# to them. Server profiles are shown by their cached names.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start
client_env
run_rc 0 ec sync
sss=1 # actdeliverymethod: server-side synchronization

run_rc 0 ec mailboxes --filter 'type:user state:active act:server-side-sync outgoing:server-side-sync' --json
user=$(echo "$OUT" | $JSON_GET get .0.id)
[ -n "$user" ] && [ "$user" != null ] || fail "no suitable user mailbox in the demo data"
run_rc 0 ec mailbox set "$user" username=svc-crm
assert_contains "$OUT" "saved" "a user name to clear"

# conflict ACT — a conflict with mine {username: null, act: none}: the user
# name and act (to ACT) changed on the organization meanwhile, so both fields
# conflict (a field the organization did not touch would simply be sent).
conflict() {
	assert_eq 200 "$(sim_ctl PATCH "mailboxes($user)" "{\"username\":\"changed-on-org\",\"actdeliverymethod\":$1}")" "theirs"
	run_rc 3 ec mailbox set "$user" username= act=none
	run_rc 0 ec outbox --json
	entry=$(echo "$OUT" | $JSON_GET get .0.id)
	assert_eq null "$(echo "$OUT" | $JSON_GET get .0.conflict.mine.username)" "mine clears it"
	# m / o pick a field and move down: username mine, act theirs.
	keys=$(echo "$OUT" | $JSON_GET keys .0.changes | tr '\n' ' ')
	case "$keys" in
	"act username ") picks='o
m' ;;
	"username act ") picks='m
o' ;;
	*) fail "unexpected fields: $keys" ;;
	esac
	cat >"$T/mixed" <<EOS
:wait-idle
5
:wait-idle
<Enter>
$picks
:dump mixed-picked
R
:wait-idle
:dump mixed-done
q
EOS
}

conflict 0
tui_run 120x40 "$T/mixed" --offline --org "$SIM_URL" --cache "$C"
assert_contains "$(tui_dump mixed-picked)" "changed-on-org" "theirs is shown"
run_rc 0 ec --offline outbox --json
assert_eq 1 "$(echo "$OUT" | $JSON_GET len .)" "one entry, not dropped"
assert_eq queued "$(echo "$OUT" | $JSON_GET get .0.state)" "queued again"
assert_eq '{"username":null}' "$(sqlite3 "$C" "select changes from outbox where id=$entry")" \
	"narrowed to the field kept as mine, still null"
run_rc 0 ec sync
sim_ctl GET "mailboxes($user)" >/dev/null
assert_eq null "$(jv username)" "cleared on the organization, not 'none'"
assert_eq 0 "$(jv actdeliverymethod)" "act: theirs (outlook) kept"
run_rc 0 ec outbox --json
assert_eq "[]" "$OUT" "nothing left"

# Online: the same resolve pushes at once.
run_rc 0 ec mailbox set "$user" username=svc-crm
conflict $sss
tui_run 120x40 "$T/mixed" --org "$SIM_URL" --cache "$C"
sim_ctl GET "mailboxes($user)" >/dev/null
assert_eq null "$(jv username)" "cleared on the organization"
assert_eq $sss "$(jv actdeliverymethod)" "act: theirs kept"
run_rc 0 ec outbox --json
assert_eq "[]" "$OUT" "resolved and sent"
echo "mixed resolve: ok"
