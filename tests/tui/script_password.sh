#!/bin/sh
# script_password.sh — "set password" in the Mailbox form: typed into a
# prompt that shows nothing, sent straight to the organization (which then
# says a password is set), and never written to a dump, the screen, the
# cache or the outbox. Refused under --read-only.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start
client_env
run_rc 0 ec sync
run_rc 0 ec mailboxes --filter 'name:"Ana Novak"' --json
id=$(echo "$OUT" | $JSON_GET get .0.id)
SECRET='Xy-pass-98765'
cat >"$T/pw" <<EOS
:wait-idle
/Ana Novak
<Enter>
<Enter>
:wait-idle
W
$SECRET
:dump password-prompt
<Enter>
:wait-idle
:dump password-sent
q
EOS
tui_run 120x40 "$T/pw" --org "$SIM_URL" --cache "$C"
assert_contains "$(tui_dump password-prompt)" "not shown" "the prompt says typing is hidden"
for d in password-prompt password-sent; do
	grep -q "$SECRET" "$D/$d" && fail "the password is on the screen ($d)"
done
assert_contains "$(tui_dump password-sent)" "set (write-only)" "the form shows it is set"
sim_ctl GET "mailboxes($id)" >/dev/null
assert_eq true "$(jv ispasswordset)" "the organization has it"
grep -aq "$SECRET" "$C" "$C-wal" 2>/dev/null && fail "the password reached the cache"
run_rc 0 ec outbox --json --all
assert_not_contains "$OUT" "$SECRET" "the password is not in the outbox"
assert_not_contains "$(cat "$T/tui.err")" "$SECRET" "nor on stderr"

# --read-only: the key is refused at the dispatcher.
cat >"$T/ro" <<EOS
:wait-idle
/Ana Novak
<Enter>
<Enter>
W
:dump password-read-only
q
EOS
tui_run 120x40 "$T/ro" --org "$SIM_URL" --cache "$C" --read-only --offline
assert_not_contains "$(tui_dump password-read-only)" "New password" "no prompt under --read-only"
echo "password: ok"
