#!/bin/sh
# script_keys.sh — one key, one meaning (issue 12): the command table binds
# no key to two commands (`emailcfg --keys` says so on stderr otherwise);
# w saves, P pushes, W sets a password, t tags all, o takes theirs on
# every screen where they apply; Left/Right cycle a choice in place,
# skipping the values a rule refuses, and Enter opens its chooser, where
# g/G go to the first/last option and the "refused by a rule" footer shows
# only when something is refused; the find prompt starts empty and offers
# the last find (Enter alone takes it, Up edits it); --read-only forms are
# views that say so at the first edit key.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e

# The key table: no clash, and the keys the issue names.
run_rc 0 $EMAILCFG --keys
[ -z "$ERR" ] || fail "the key table binds a key to two commands: $ERR"
row() { printf '%s\n' "$OUT" | grep -F "| \`$1\` |" || true; }
assert_contains "$(row w)" "save" "w saves"
assert_contains "$(row W)" "password" "W sets the password"
assert_contains "$(row o)" "take theirs" "o takes theirs"
assert_contains "$(row A)" "try a failed edit again" "A tries again"
assert_eq 1 "$(row s | wc -l)" "s is bound once"
assert_contains "$(row s)" "sort" "s sorts"
assert_eq 1 "$(row P | wc -l)" "P is bound once"
assert_contains "$(row P)" "| everywhere | push" "P pushes everywhere, the Mailbox form too"
assert_eq 2 "$(row t | wc -l)" "t on Mailboxes and Alerts"
assert_not_contains "$(row t)" "theirs" "t never takes theirs"

sim_start
client_env
run_rc 0 ec sync

# Podpora is a queue: Outlook is refused for its outgoing email.
cat >"$T/cycle" <<'EOS'
:wait-idle
/Podpora
<Enter>
<Enter>
<Down><Down><Down><Down>
<Right>
:dump keys-cycle-right
<Right>
:dump keys-cycle-right-again
<Left>
:dump keys-cycle-left
<Enter>
:dump keys-chooser
G
:dump keys-chooser-last
g
:dump keys-chooser-first
<Esc>
<Esc>
<Right>
<Enter>
1
s
:dump keys-sort-chooser
<Esc>
f
Ana
<Enter>
f
:dump keys-find-offered
nov
:dump keys-find-typed
<C-u>
<Up>
:dump keys-find-recalled
<Esc>
q
EOS
tui_run 80x24 "$T/cycle" --org "$SIM_URL" --cache "$C"
for d in keys-cycle-right keys-cycle-left keys-chooser keys-chooser-first keys-chooser-last \
	keys-sort-chooser keys-find-offered keys-find-typed keys-find-recalled; do
	tui_expect "$d"
done
line() { tui_dump "$1" | grep "Outgoing email" | head -n 1; }
assert_contains "$(line keys-cycle-right)" "None" "Right wraps from the last value to None"
assert_not_contains "$(line keys-cycle-right)" "Server-Side" "the value changed in place"
assert_not_contains "$(tui_dump keys-cycle-right)" "Enter choose" "no chooser opened"
assert_contains "$(line keys-cycle-right-again)" "Server-Side" "Right skips Outlook, refused for a queue"
assert_contains "$(line keys-cycle-left)" "None" "Left skips Outlook too"
assert_contains "$(tui_dump keys-chooser)" "(disabled: refused by a rule)" "the footer where one is refused"
cmp -s "$D/keys-chooser.attr" "$D/keys-chooser-last.attr" && fail "G did not move to the last option"
cmp -s "$D/keys-chooser.attr" "$D/keys-chooser-first.attr" || fail "g did not go back to the first option"
assert_contains "$(tui_dump keys-sort-chooser)" "Enter choose  Esc cancel" "the sort chooser"
assert_not_contains "$(tui_dump keys-sort-chooser)" "refused by a rule" "no footer where nothing is refused"
assert_contains "$(tui_dump keys-find-offered)" "Enter alone: Ana" "the last find offered"
assert_contains "$(tui_dump keys-find-typed)" "nov" "typed"
assert_not_contains "$(tui_dump keys-find-typed)" "Ananov" "typing does not append to the last find"
assert_contains "$(tui_dump keys-find-recalled | grep -F "│ Ana ")" "Ana" "Up recalls the last find into the line"
assert_not_contains "$(tui_dump keys-find-recalled)" "Enter alone" "recalled: to edit, no longer offered"

# --read-only: the form is a view; Enter and Right say so at once.
cat >"$T/ro" <<'EOS'
:wait-idle
/Podpora
<Enter>
<Enter>
<Down><Down><Down><Down>
<Enter>
:dump keys-ro-enter
<Right>
:dump keys-ro-right
w
:dump keys-ro-save
q
EOS
tui_run 80x24 "$T/ro" --org "$SIM_URL" --cache "$C" --read-only --offline
for d in keys-ro-enter keys-ro-right; do
	assert_contains "$(tui_dump $d)" "read-only" "$d refused at once"
	assert_not_contains "$(tui_dump $d)" "Enter choose" "$d opens no chooser"
	assert_contains "$(tui_dump $d | grep 'Outgoing email')" "Server-Side" "$d changes nothing"
done
assert_contains "$(tui_dump keys-ro-save)" "read-only" "w is refused"

# The Outbox speaks the console's words: labels and option labels, the
# mailbox's name and the organization's name, never JSON or a GUID.
run_rc 0 ec --offline mailbox set Podpora outgoing=none
run_rc 0 ec --offline settings --json
case "$OUT" in
*'"approve_users": true'* | *'"approve_users":true'*) flip=no ;;
*) flip=yes ;;
esac
run_rc 0 ec --offline settings set approve-users=$flip
cat >"$T/outbox" <<'EOS'
:wait-idle
5
:dump keys-outbox
<Enter>
:dump keys-outbox-detail
<Esc>
1
/Podpora
<Enter>
<Enter>
:dump keys-form-queued
2
<End>
:dump keys-settings-queued
q
EOS
tui_run 120x40 "$T/outbox" --org "$SIM_URL" --cache "$C" --offline
tui_expect keys-outbox
tui_expect keys-outbox-detail
ob=$(tui_dump keys-outbox)
assert_contains "$ob" "Podpora" "the mailbox by name"
assert_contains "$ob" "Outgoing email delivery method: Server-Side Synchronization or Email Ro" \
	"a change as label: before → after (cut at 120 columns)"
assert_contains "$ob" "Process email only for users whose email address is approved: " "a settings change"
assert_contains "$ob" "settings of Kovinoplast d.o.o." "a settings edit's target is the organization's name"
printf '%s\n' "$ob" | grep -q '[{}]' && fail "JSON on the Outbox screen: $ob"
printf '%s\n' "$ob" | grep -Eqi '[0-9a-f]{8}-[0-9a-f]{4}-' && fail "a GUID on the Outbox screen: $ob"
assert_contains "$(tui_dump keys-outbox-detail)" "Outgoing email delivery method" "the detail's field by label"
printf '%s\n' "$(tui_dump keys-outbox-detail)" | grep -q '[{}]' && fail "JSON in the Outbox detail"
for d in keys-form-queued keys-settings-queued; do
	printf '%s\n' "$(tui_dump $d)" | grep -q '[{}]' && fail "JSON on $d"
done
assert_contains "$(tui_dump keys-form-queued)" "Outgoing email delivery method: Server-Side" "the form's queued edit in words"
assert_contains "$(tui_dump keys-settings-queued)" "Process email only for users whose email address is approved:" \
	"the settings' queued edit in words"
echo "keys: ok"
