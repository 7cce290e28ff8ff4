#!/bin/sh
# cli_outbox_table.sh — `emailcfg outbox` names what each edit changes as
# the console does: the mailbox and the profile by their cached names, the
# organization's edit as Email Configuration Settings, never a GUID while
# the cache has the row; CREATED in local time (TZ), while --json keeps the
# ids and UTC.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start
client_env
run_rc 0 ec sync
run_rc 0 ec --offline mailbox set Podpora outgoing=none
run_rc 0 ec --offline settings set tracking-prefix=CRM:
run_rc 0 ec profiles --json
P=$(printf '%s\n' "$OUT" | $JSON_GET get .0.name)
run_rc 0 ec --offline profile set "$P" max-connections=9
created=$(sqlite3 "$C" "SELECT created_on FROM outbox ORDER BY id LIMIT 1")
# 10:00Z is 11:00 in Ljubljana in winter, 12:00 in summer: worked out by date(1).
want=$(TZ=Europe/Ljubljana date -d "$created" '+%Y-%m-%d %H:%M:%S')
OUT=$(TZ=Europe/Ljubljana "$EMAILCFG" --org "$SIM_URL" --cache "$C" outbox)
echo "$OUT"
assert_contains "$OUT" "Podpora" "the mailbox by name"
assert_contains "$OUT" "Email Configuration Settings" "the organization's edit"
assert_contains "$OUT" "$P" "the profile by name"
assert_contains "$OUT" "Outgoing email delivery method: Server-Side Synchronization or Email Router → None" \
	"the change in words, before and after"
if printf '%s\n' "$OUT" | grep -Eq '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'; then
	fail "a GUID in the table: $OUT"
fi
assert_contains "$OUT" "$want" "CREATED in local time"
run_rc 0 ec outbox --json
assert_contains "$OUT" "$created" "--json keeps UTC"
