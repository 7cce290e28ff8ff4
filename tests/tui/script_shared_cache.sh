#!/bin/sh
# script_shared_cache.sh — the console and the CLI on one cache at the same
# time: while the console is open, CLI commands read and write the cache;
# the console then queues an edit of its own. Both edits are in the outbox,
# each side sees the other's, and the cache is intact (a process must never
# drop another connection's locks by opening and closing the file).
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start
client_env
run_rc 0 ec sync
cat >"$T/console" <<EOS
:wait-idle
:wait-file $T/go
/Andraž
<Enter>
a
<Right>
<Enter>
:wait-idle
<Esc>
/Aljaž
<Enter>
:dump shared-after
q
EOS
EMAILCFG_SCRIPT="$T/console" EMAILCFG_SCRIPT_SIZE=120x40 \
	$EMAILCFG --org "$SIM_URL" --cache "$C" >"$T/console.out" 2>"$T/console.err" &
pid=$!
sleep 1
run_rc 0 ec --offline status --json
run_rc 0 ec --offline mailbox set "Aljaž Oblak" act=none
run_rc 0 ec --offline outbox --json
touch "$T/go"
set +e
wait $pid
rc=$?
set -e
assert_eq 0 "$rc" "the console ran its script ($(cat "$T/console.err"))"
run_rc 0 ec --offline outbox --json --all
assert_eq 2 "$(echo "$OUT" | $JSON_GET len .)" "the CLI's edit and the console's approval"
run_rc 0 sqlite3 "$C" 'PRAGMA integrity_check'
assert_eq ok "$OUT" "the cache is intact"
assert_contains "$(tui_dump shared-after)" "Aljaž Oblak" "the console lists the mailbox"
# The console saw the CLI's edit (and its push sent it along with its own).
tui_dump shared-after | grep 'Aljaž Oblak' | grep -q ' none ' ||
	fail "the console did not see the CLI's edit"
run_rc 0 ec --offline mailbox "Aljaž Oblak" --json
assert_eq none "$(echo "$OUT" | $JSON_GET get .act)" "the CLI's edit reached the cache"
echo "shared cache: ok"
