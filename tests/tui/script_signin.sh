#!/bin/sh
# script_signin.sh — the console signs the admin in (auth = device-code, no
# sign-in kept) instead of exiting: a dialog shows the verification address,
# the code and the time left while the worker polls. (1) The emulator's
# control approves the code after the dialog appeared: the dialog closes,
# the status line says "Signed in as USER" and the first sync fills the
# mailbox list. (1b) A kept sign-in that was revoked: the failed first sync
# opens the dialog. (2) A denied code: the sentence sign-in gives, with Try
# again / Quit; Quit ends the console. (3) Esc cancels: the console is at
# once responsive (a key moves the selection, another screen opens) and no
# sign-in is kept, even though the code is approved right after. No token
# the emulator issued is in any dump.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
USER_NAME=marta@kovinoplast.example
sim_start --device-interval 1
export EMAILCFG_AUTHORITY="$SIM_URL"

# wait_polling N — until the emulator has answered N polls (the dialog is
# up and the worker polls it).
wait_polling() {
	i=0
	while :; do
		sim_ctl GET signin >/dev/null
		[ "$(jv polls)" -ge "$1" ] && break
		i=$((i + 1))
		[ $i -lt 200 ] || fail "the console never polled ($1)"
		sleep 0.1
	done
}

# wait_dump NAME
wait_dump() {
	i=0
	while [ ! -f "$D/$1" ]; do
		i=$((i + 1))
		[ $i -lt 300 ] || fail "the console never dumped $1: $(cat "$T/tui.err")"
		sleep 0.1
	done
}

# 1. Approved.
cat >"$T/approve" <<EOS
:wait-file $T/polling1
:dump signin-code
:wait-file $T/approved
:wait-idle
:dump signin-done
q
EOS
tui_run 90x24 "$T/approve" --org "$SIM_URL" --cache "$C" &
pid=$!
wait_polling 1
touch "$T/polling1"
wait_dump signin-code
code=$(tui_dump signin-code)
assert_contains "$code" "Sign in to 127.0.0.1" "dialog title"
assert_contains "$code" "http://127.0.0.1:PORT/devicelogin" "verification address shown"
assert_contains "$code" "and enter the code" "code shown"
assert_contains "$code" "The code works for" "time left shown"
assert_contains "$code" "Waiting for you to sign in… (Esc cancels)" "waiting line"
[ "$(signin_approve)" = 204 ] || fail "approve"
touch "$T/approved"
wait $pid || fail "the console script failed: $(cat "$T/tui.err")"
done_=$(tui_dump signin-done)
assert_not_contains "$done_" "Waiting for you to sign in" "dialog closed"
assert_contains "$done_" "Signed in as $USER_NAME" "status line names the user"
assert_contains "$done_" "Ana Novak" "first sync filled the mailbox list"
run_rc 0 ec status --json
assert_contains "$OUT" "\"user\":\"$USER_NAME\"" "the sign-in is kept"

# 1b. A kept sign-in that was revoked: the first sync fails with "run
# emailcfg login" and the console opens the dialog instead of giving up.
sim_ctl POST signin/revoke >/dev/null
cat >"$T/again" <<EOS
:wait-file $T/polling1b
:dump signin-again
:wait-file $T/approved1b
:wait-idle
:dump signin-again-done
q
EOS
before=$(sim_ctl GET signin >/dev/null; jv polls)
tui_run 90x24 "$T/again" --org "$SIM_URL" --cache "$C" &
pid=$!
wait_polling $((before + 1))
touch "$T/polling1b"
wait_dump signin-again
assert_contains "$(tui_dump signin-again)" "Waiting for you to sign in" "revoked: dialog opens"
signin_approve >/dev/null
touch "$T/approved1b"
wait $pid || fail "the console script failed: $(cat "$T/tui.err")"
assert_contains "$(tui_dump signin-again-done)" "Signed in as $USER_NAME" "revoked: signed in again"
run_rc 0 ec sync

# 1c. The same in Slovenian: the failed sync's message is translated, and the
# console still knows it asks for a sign-in.
sim_ctl POST signin/revoke >/dev/null
sed 's/signin-again/signin-again-sl/; s/polling1b/polling1c/; s/approved1b/approved1c/' "$T/again" >"$T/again-sl"
before=$(sim_ctl GET signin >/dev/null; jv polls)
LANGUAGE=sl tui_run 90x24 "$T/again-sl" --org "$SIM_URL" --cache "$C" &
pid=$!
wait_polling $((before + 1))
touch "$T/polling1c"
wait_dump signin-again-sl
assert_contains "$(tui_dump signin-again-sl)" "Čakanje na vašo prijavo" "revoked, in Slovenian: dialog opens"
signin_approve >/dev/null
touch "$T/approved1c"
wait $pid || fail "the console script failed: $(cat "$T/tui.err")"
run_rc 0 ec sync

# 2. Denied: the clear sentence and Try again / Quit; Quit ends it.
run_rc 0 ec logout
rm -f "$C" "$C-wal" "$C-shm"
cat >"$T/deny" <<EOS
:wait-file $T/polling2
:wait-file $T/denied
:wait-idle
:dump signin-denied
<Right>
<Enter>
EOS
before=$(sim_ctl GET signin >/dev/null; jv polls)
tui_run 90x24 "$T/deny" --org "$SIM_URL" --cache "$C" &
pid=$!
wait_polling $((before + 1))
touch "$T/polling2"
sim_ctl POST signin/deny >/dev/null
touch "$T/denied"
wait $pid || fail "the console did not quit after Quit: $(cat "$T/tui.err")"
denied=$(tui_dump signin-denied)
assert_contains "$denied" "Sign-in failed" "failure dialog"
assert_contains "$denied" "declined" "denied: the sentence signin gives"
assert_contains "$denied" "[ Try again ]" "Try again offered"
assert_contains "$denied" "[ Quit ]" "Quit offered"
run_rc 0 ec status --json
assert_contains "$OUT" '"signed_in":null' "denied: nothing kept"

# 3. Esc cancels: responsive at once, nothing kept even if approved later.
cat >"$T/cancel" <<EOS
:wait-file $T/polling3
<Esc>
:dump signin-cancelled
2
:dump signin-settings
:wait-file $T/approved3
:wait-idle
q
EOS
before=$(sim_ctl GET signin >/dev/null; jv polls)
tui_run 90x24 "$T/cancel" --org "$SIM_URL" --cache "$C" &
pid=$!
wait_polling $((before + 1))
touch "$T/polling3"
wait_dump signin-settings
signin_approve >/dev/null
sleep 1.5 # longer than the poll interval: a live poll would now succeed
touch "$T/approved3"
wait $pid || fail "the console script failed: $(cat "$T/tui.err")"
cancelled=$(tui_dump signin-cancelled)
assert_not_contains "$cancelled" "Waiting for you to sign in" "Esc closed the dialog"
assert_contains "$cancelled" "Sign-in cancelled" "cancel said"
assert_contains "$(tui_dump signin-settings)" "Settings" "another screen opens after Esc"
run_rc 0 ec status --json
assert_contains "$OUT" '"signed_in":null' "cancelled: nothing kept"

# No token the emulator issued is on any screen.
sim_ctl GET signin >/dev/null
n=$(jv 'issued/#')
[ "$n" -ge 2 ] || fail "only $n tokens issued"
i=0
while [ $i -lt "$n" ]; do
	tok=$(jv "issued/$i")
	if grep -rqF -- "$tok" "$D"; then fail "a token is in a dump"; fi
	i=$((i + 1))
done
sim_stop
echo "script signin: ok"
