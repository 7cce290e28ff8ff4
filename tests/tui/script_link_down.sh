#!/bin/sh
# script_link_down.sh — while the organization does not answer, the console
# keeps saying so (in the panel: "the organization does not answer"). Found by
# review:
# the console must keep saying so. The refresh's failure is only in the
# message line, and the message goes at the next key (tui/message.c: "It
# stays until a key"); then the panel reads "refresh: last 02:15:23  next in
# 28 s" exactly as when all is well (only the rtt is gone), and the admin
# who moved the cursor believes the numbers are live.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start
client_env
run_rc 0 ec sync
assert_eq 200 "$(sim_ctl POST config '{"fail_every":1}')" "the organization stops answering"
cat >"$T/s" <<'EOS'
:wait-idle
r
:wait-idle
:dump failed
<Down>
:dump moved
q
EOS
EMAILCFG_MAX_WAIT_SECONDS=2 tui_run 120x40 "$T/s" --org "$SIM_URL" --cache "$C"
down='refresh failed|not answer|unreachable|503|link down|cannot reach|connection (lost|failed)'
tui_dump failed | grep -Eiq "$down" || fail "the failure is shown at first"
tui_dump moved | grep -Eiq "$down" ||
	fail "after one cursor key nothing says the organization does not answer: $(tui_dump moved | grep -E 'refresh:')"
