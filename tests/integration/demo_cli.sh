#!/bin/sh
# demo_cli.sh — `emailcfg --demo COMMAND`: the bundled organization on
# loopback, synced into the demo session's cache first (or into --cache when
# given); the emulator stays for the next command and `--demo stop` stops it
# (demo_session.sh tests the session itself).
. tests/lib/assert.sh
set -e
sims() { pgrep -f "emailcfg-sim.*--port-file $XDG_RUNTIME_DIR/" | wc -l; }
run_rc 0 $EMAILCFG --demo mailboxes --json
assert_eq 62 "$(echo "$OUT" | $JSON_GET len .)" "the demo organization's mailboxes"
run_rc 0 $EMAILCFG --demo --cache "$T/kept.db" status --json
assert_eq 62 "$(echo "$OUT" | $JSON_GET get .mailboxes)" "status of the demo"
[ -f "$T/kept.db" ] || fail "--cache was not used with --demo"
assert_eq 1 "$(sims)" "one emulator for both commands"
run_rc 0 $EMAILCFG --demo stop
assert_eq 0 "$(sims)" "emulators after --demo stop"
echo "demo CLI: ok"
