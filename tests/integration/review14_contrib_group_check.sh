#!/bin/sh
# review14_contrib_group_check.sh — contrib/icinga, contrib/nagios and the
# README say the check "reads the same cache as a user in group emailcfg".
# It cannot: the owner's sync keeps the cache 0600, and a group member is
# refused a 0640 cache ("can be read by other users and is not yours"), so
# the documented check is UNKNOWN forever. Needs root (setpriv to nobody).
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
[ "$(id -u)" = 0 ] && command -v setpriv >/dev/null || { echo "skip: needs root and setpriv"; exit 0; }
sim_start --data none --generate 12 --seed 11
client_env
D=$T/state
mkdir -p "$D"
C=$D/prod.db
run_rc 0 ec sync
chgrp -R nogroup "$D"
chmod 0750 "$D"
chmod 0640 "$C"
run_rc 0 ec sync
assert_eq 600 "$(stat -c %a "$C")" "the owner's sync takes the group's read access away again"
chmod 0640 "$C"
chmod 0755 "$T"
E=$(readlink -f "$EMAILCFG")
set +e
OUT=$(setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME=/nonexistent \
	XDG_CONFIG_HOME=$T/none XDG_CACHE_HOME=$T/none XDG_STATE_HOME=$T/none \
	"$E" --org "$SIM_URL" --cache "$C" check 2>&1)
rc=$?
set -e
echo "$OUT"
assert_eq 0 "$rc" "a member of the cache's group runs the check (contrib/icinga/emailcfg.conf)"
