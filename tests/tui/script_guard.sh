#!/bin/sh
# script_guard.sh — unsaved edits are never lost without asking: opening
# another mailbox while one has unsaved edits asks "Discard changes?"
# (Cancel, the default, returns to the edits), and quitting from the
# "terminal too small" screen asks too.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start
client_env
run_rc 0 ec sync
cat >"$T/guard" <<'EOS'
:wait-idle
/Ana Novak
<Enter>
<Enter>
<Enter>
<C-u>ana.new@kovinoplast.si
<Enter>
:dump guard-edited
1
/<C-u>Andraž
<Enter>
<Enter>
:dump guard-ask
<Enter>
:dump guard-kept
:resize 50x15
q
:dump guard-small-quit
<Esc>
:resize 120x40
w
:wait-idle
q
EOS
tui_run 120x40 "$T/guard" --org "$SIM_URL" --cache "$C"
assert_contains "$(tui_dump guard-edited)" "edited, not saved" "the edit is pending in the form"
assert_contains "$(tui_dump guard-ask)" "Discard changes?" "opening another mailbox asks"
assert_contains "$(tui_dump guard-kept)" "Ana Novak" "Cancel returns to the edited mailbox"
assert_contains "$(tui_dump guard-kept)" "ana.new@kovinoplast.si" "with the edit"
assert_contains "$(tui_dump guard-small-quit)" "Quit" "q asks even on the too-small screen"
run_rc 0 ec mailbox "Ana Novak" --json
assert_eq ana.new@kovinoplast.si "$(echo "$OUT" | $JSON_GET get .email)" "the edit was saved in the end"
# In the outbox list, o (take theirs) on a conflict asks first; Cancel keeps it.
run_rc 0 ec mailboxes --filter 'name:"Ana Novak"' --json
ana=$(echo "$OUT" | $JSON_GET get .0.id)
# (the organization changed the same field to another value: a new etag
# alone is no conflict)
assert_eq 200 "$(sim_ctl PATCH "mailboxes($ana)" '{"actdeliverymethod":2}')" "theirs"
run_rc 3 ec mailbox set "$ana" act=outlook
cat >"$T/theirs" <<'EOS'
:wait-idle
5
:wait-idle
o
:dump guard-theirs
<Enter>
q
EOS
tui_run 120x40 "$T/theirs" --org "$SIM_URL" --cache "$C"
assert_contains "$(tui_dump guard-theirs)" "Take theirs" "o asks before dropping the edit"
run_rc 0 ec outbox --json
assert_eq conflict "$(echo "$OUT" | $JSON_GET get .0.state)" "Cancel kept the conflict"
run_rc 0 ec outbox drop "$(echo "$OUT" | $JSON_GET get .0.id)"

# A saved edit is in the outbox at once: quitting while the organization is
# slow to take it (the push still running) loses nothing. A new address
# offers Test & Enable first; Esc declines.
sim_stop
sim_start --latency 2000
client_env
C=$T/slow.db # another emulator is another organization: a cache of its own
cat >"$T/slow" <<'EOS'
:wait-idle
/Ana Novak
<Enter>
<Enter>
<Enter>
<C-u>ana.slow@kovinoplast.si
<Enter>
w
:dump guard-offer-test
<Esc>
q
:dump guard-quit-busy
<Right>
<Enter>
EOS
tui_run 120x40 "$T/slow" --org "$SIM_URL" --cache "$C"
assert_contains "$(tui_dump guard-offer-test)" "Test & Enable now?" "a new address offers a test (No, the default, is Esc)"
assert_contains "$(tui_dump guard-quit-busy)" "Jobs are still running" "quit asks while the push runs"
run_rc 0 ec --offline outbox --json
assert_eq ana.slow@kovinoplast.si "$(echo "$OUT" | $JSON_GET get .0.changes.email)" \
	"the saved edit is queued, not lost"
echo "guard: ok"
