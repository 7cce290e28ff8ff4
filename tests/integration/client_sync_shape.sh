#!/bin/sh
# client_sync_shape.sh — a listing page that the streamed scanner could
# read otherwise than json-c must not empty the cache: rows under a "value"
# key written with a JSON escape ("valu\u0065", the same member name to
# json-c) after an empty "value" ({"value":[],"valu\u0065":[ROW]}: json-c
# keeps the last) were an empty page to a scanner that compared the page's
# keys as raw bytes, and the sync, taking it for a complete, empty listing,
# deleted every cached mailbox and profile (exit 0). The scanner now
# decodes the names and refuses a page with "value" twice.
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
org=$($JSON_GET get .value.0 <"$SIM_BODY")
row="],\"valu\\u0065\":[$org"
# As a JSON string: backslashes and quotes escaped (the row is one line).
quoted=$(printf '%s' "$row" | sed 's/\\/\\\\/g; s/"/\\"/g')
cfg="{\"flood_rows\":1,\"flood_row\":\"$quoted\"}"
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
