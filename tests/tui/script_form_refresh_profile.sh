#!/bin/sh
# script_form_refresh_profile.sh — the Email Server Profile form with an
# unsaved edit (max-connections) while the live refresh brings in another
# admin's change of another field (the incoming port): the edit moves onto
# the fresh row, so `s` sends max-connections only and their port stays.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
EMAILCFG_REFRESH_SECONDS=1
. tests/lib/tui.sh
set -e
sim_start
client_env
run_rc 0 ec sync
IMAP=e7414d04-dd37-55db-8653-90f9502ab86c # first row of the Server profiles list
org_profile() { # ID COLUMN
	sim_ctl GET "emailserverprofiles($1)" >/dev/null
	jv "$2"
}
port_before=$(org_profile "$IMAP" incomingportnumber)

# max-connections is the twelfth field of the form.
cat >"$T/edit" <<EOS
:wait-idle
3
e
<Down><Down><Down><Down><Down><Down><Down><Down><Down><Down><Down>
<Enter>
<C-u>25
<Enter>
:dump form-edited
:wait-file $T/changed
:wait-refresh
:wait-refresh
:dump form-refreshed
w
:wait-idle
:dump form-saved
<Esc>
q
EOS
tui_run 120x40 "$T/edit" --org "$SIM_URL" --cache "$C" &
pid=$!
tui_wait_dump form-edited
assert_contains "$(tui_dump form-edited)" "25" "the edit typed"
# Another admin changes the incoming port meanwhile.
theirs=$((port_before == 1143 ? 1144 : 1143))
assert_eq 200 "$(sim_ctl PATCH "emailserverprofiles($IMAP)" "{\"incomingportnumber\":$theirs}")" "their change"
touch "$T/changed"
wait $pid || fail "the console script failed"
echo "--- refreshed form:"; tui_dump form-refreshed | head -30
echo "--- outbox:"; sqlite3 "$C" "select id, state, changes, base from outbox"
assert_eq 25 "$(org_profile "$IMAP" maxconcurrentconnections)" "the admin's edit reached the organization"
assert_eq "$theirs" "$(org_profile "$IMAP" incomingportnumber)" \
	"the other admin's port (was $port_before) must not be reverted by a field this admin never touched"
echo ok
