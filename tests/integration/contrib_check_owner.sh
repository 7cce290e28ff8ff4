#!/bin/sh
# contrib_check_owner.sh — the cache is private to the user that syncs
# (0600, in a 0700 state directory), so the monitoring user runs `check`
# as that user, through sudo (contrib/sudoers.d/emailcfg). Run directly as
# another user, the check is UNKNOWN with a line that names the owner and
# the sudo command, not SQLite's "unable to open"; root's check is refused
# the same way (it would leave companion files the owner cannot open); the
# owner's check (what sudo -u runs) is OK. Needs root (setpriv).
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
[ "$(id -u)" = 0 ] && command -v setpriv >/dev/null || { echo "skip: needs root and setpriv"; exit 0; }
sim_start --data none --generate 12 --seed 11
client_env
D=$T/state
mkdir -p "$D"
chmod 0755 "$T"
chown nobody "$D"
chmod 0700 "$D"
E=$(readlink -f "$EMAILCFG")
# as UID CMD... — runs CMD as the user UID, with no home and no config.
as() {
	_uid=$1
	shift
	setpriv --reuid="$_uid" --regid=nogroup --clear-groups env HOME=/nonexistent \
		XDG_CONFIG_HOME=$T/none XDG_CACHE_HOME=$T/none XDG_STATE_HOME=$T/none \
		"$E" --org "$SIM_URL" --cache "$D/prod.db" "$@"
}
set +e
as nobody sync --quiet
rc=$?
set -e
assert_eq 0 "$rc" "the service's user syncs"
assert_eq 600 "$(stat -c %a "$D/prod.db")" "the cache is private"
chmod 0711 "$D" # even where the monitoring user may reach the file
set +e
OUT=$(as 65500 check 2>&1)
rc=$?
set -e
assert_eq 3 "$rc" "another user's check is UNKNOWN"
assert_contains "$OUT" "EMAILCFG UNKNOWN - cache $D/prod.db belongs to user nobody" "it names the owner"
assert_contains "$OUT" "sudo -u nobody emailcfg ... check" "and the way that works"
set +e
OUT=$("$E" --org "$SIM_URL" --cache "$D/prod.db" check 2>&1)
rc=$?
set -e
assert_eq 3 "$rc" "root's check is refused too"
assert_eq "prod.db" "$(ls "$D")" "and leaves nothing beside the cache"
set +e
OUT=$(as nobody check 2>&1)
rc=$?
set -e
echo "$OUT"
assert_eq 0 "$rc" "the owner's check (what sudo -u runs) is OK"
assert_contains "$OUT" "EMAILCFG OK" "its status line"
