#!/bin/sh
# demo_cli.sh — `emailcfg --demo COMMAND`: the bundled organization on
# loopback, synced into a throwaway cache first (or into --cache when given),
# and the emulator stopped afterwards.
. tests/lib/assert.sh
set -e
sims() { pgrep -f "emailcfg-sim.*demo-org" | wc -l; }
before=$(sims)
run_rc 0 $EMAILCFG --demo mailboxes --json
assert_eq 62 "$(echo "$OUT" | $JSON_GET len .)" "the demo organization's mailboxes"
run_rc 0 $EMAILCFG --demo --cache "$T/kept.db" status --json
assert_eq 62 "$(echo "$OUT" | $JSON_GET get .mailboxes)" "status of the demo"
[ -f "$T/kept.db" ] || fail "--cache was not used with --demo"
sleep 0.5
[ "$(sims)" -le "$before" ] || fail "the emulator outlived the command"
echo "demo CLI: ok"
