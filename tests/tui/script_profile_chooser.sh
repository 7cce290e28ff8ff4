#!/bin/sh
# script_profile_chooser.sh — the Mailbox form's Server profile chooser
# (Enter on the field) lists "(none)" and every profile, and choosing one
# and saving sets it. Enter there once crashed the console: the refusal
# check looked the value up in the field's option set, which a profile has
# not.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start
client_env
run_rc 0 ec sync

# Jure Čuk has no server profile; it is the form's third editable field.
cat >"$T/chooser" <<'EOS'
:wait-idle
/name:"Jure Čuk"
<Enter>
<Enter>
<Down><Down>
<Enter>
:dump chooser
<Down><Down>
<Enter>
w
:wait-idle
:dump saved
q
EOS
tui_run 120x40 "$T/chooser" --org "$SIM_URL" --cache "$C"
chooser=$(tui_dump chooser)
assert_contains "$chooser" "(none)" "the chooser offers no profile"
assert_contains "$chooser" "Microsoft Exchange Online" "the chooser lists the profiles"
assert_contains "$chooser" "IMAP/SMTP" "every profile"
run_rc 0 ec mailbox 'Jure Čuk' --json
assert_eq "Microsoft Exchange Online" "$(echo "$OUT" | $JSON_GET get .server_profile)" "the chosen profile saved"
echo "server profile chooser: ok"
