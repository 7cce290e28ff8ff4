#!/bin/sh
# client_sync_shape.sh — review (t-review). FAILS on main 461df78: a page
# whose rows sit under a "value" key written with a JSON escape
# ("valu\u0065", the same member name to json-c) after an empty "value"
# ({"value":[],"valu\u0065":[ROW]}: json-c keeps the last, so the
# whole-page reader reads ROW) is read by the streamed scanner
# (core/codec/dv_scan.c: the page's keys are compared as raw bytes) as an
# empty page. The sync takes it for a complete, empty listing and
# remove_missing() deletes every cached mailbox and profile, exit 0.
# The emulator's flood sends {"value":[ROW]} to every listing; ROW makes
# the page above with the organizations row, so settings (read whole by
# json-c, dv_list) still pass and the mailboxes (streamed) are emptied.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
export EMAILCFG_SIM_NO_TRACK=1
sim_start --max-page 20
client_env

run_rc 0 ec sync
mailboxes=$(ec mailboxes --json | $JSON_GET len .)
[ "$mailboxes" -gt 10 ] || fail "demo data: $mailboxes mailboxes"

sim_token
assert_eq 200 "$(sim_req GET 'organizations')" "organizations row"
org=$(python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["value"][0], separators=(",",":")))' "$SIM_BODY")
row="],\"valu\\u0065\":[$org"
cfg=$(python3 -c 'import json,sys; print(json.dumps({"flood_rows":1,"flood_row":sys.argv[1]}))' "$row")
assert_eq 200 "$(sim_ctl POST config "$cfg")" "flood on"
set +e
ec sync >"$T/out" 2>"$T/err"
rc=$?
set -e
echo "sync: exit $rc; $(cat "$T/out") $(cat "$T/err")" >&2
assert_eq 200 "$(sim_ctl POST config '{"flood_rows":0}')" "flood off"
assert_eq "$mailboxes" "$(ec mailboxes --json | $JSON_GET len .)" \
	"a page json-c reads as rows removes no cached mailbox"
echo "client sync shape: ok"
