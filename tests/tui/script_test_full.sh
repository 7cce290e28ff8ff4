#!/bin/sh
# script_test_full.sh — Test & Enable from the console with the
# organization's own test (the emulator decides after a second): the
# progress view follows each stage, the verdict shows the server stage;
# then "With login...": a user name, a password typed without echo, and a
# login tried against the profile's endpoint — the password appears in no
# dump, and the checks show the login was attempted.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start --test-delay 1
client_env
run_rc 0 ec sync
SECRET='Pw-typed-4711'
cat >"$T/full" <<EOS
:wait-idle
/Ana Novak
<Enter>
T
<Right>
:dump full-confirm
<Enter>
:dump full-running
:wait-idle
:dump full-finished
<Enter>
:dump full-verdict
<Esc>
1
T
<Right><Right><Right>
<Enter>
ana.novak@kovinoplast.si
<Enter>
$SECRET
:dump login-password
<Enter>
:wait-idle
:dump login-finished
<Enter>
:dump login-verdict
q
EOS
tui_run 120x40 "$T/full" --org "$SIM_URL" --cache "$C"
assert_contains "$(tui_dump full-finished)" "1 of 1 done" "the run finished"
assert_contains "$(tui_dump full-verdict)" "server" "the organization's test is a stage"
assert_contains "$(tui_dump full-verdict)" "The organization's test succeeded" "and it passed"
assert_contains "$(tui_dump login-password)" "not shown" "the password prompt hides typing"
for d in login-password login-finished login-verdict; do
	grep -q "$SECRET" "$D/$d" && fail "the password is on the screen ($d)"
done
assert_contains "$(tui_dump login-verdict)" "refused the Basic login" "the login was tried (the emulator knows no passwords)"
grep -aq "$SECRET" "$C" "$C-wal" 2>/dev/null && fail "the password reached the cache"
run_rc 0 ec mailbox "Ana Novak" --json
[ "$(echo "$OUT" | $JSON_GET get .last_test.verdict)" != null ] || fail "no run in the history"
echo "test & enable, full and with login: ok"
