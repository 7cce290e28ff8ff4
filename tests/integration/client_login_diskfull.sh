#!/bin/sh
# client_login_diskfull.sh — the sign-in survives a full disk: redeeming a
# refresh token spends it, so before it is sent emailcfg makes sure the
# sign-in store can take the rotated one. With the store's file system full
# (a 256 KB tmpfs, filled), a command stops with exit 5 and one line naming
# the directory, and sends no refresh request; once there is room again the
# old refresh token still signs in. Needs mount (root); skips otherwise.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
USER_NAME=ana@kovinoplast.example
MNT=$T/state
mkdir -p "$MNT"
if ! mount -t tmpfs -o size=256k,mode=0700 tmpfs "$MNT" 2>/dev/null; then
	echo "SKIP: cannot mount a small tmpfs (needs root) to fill the sign-in store"
	exit 0
fi
trap 'umount "$MNT" 2>/dev/null; sim__cleanup' EXIT
export XDG_STATE_HOME="$MNT"
sim_start --device-interval 1
export EMAILCFG_AUTHORITY="$SIM_URL"

login_start
signin_approve "$CODE" >/dev/null
wait "$LOGIN_PID" || fail "login: $(cat "$T/login.err")"
run_rc 0 ec sync
F=$(find "$MNT/emailcfg/signin" -type f ! -name .lock)
RT=$(sed -n 's/^refresh-token=//p' "$F")

# Fill the file system; a refresh is due.
dd if=/dev/zero of="$MNT/filler" bs=4k 2>/dev/null || true
sim_ctl POST tokens/expire >/dev/null
sim_ctl GET signin >/dev/null
before=$(jv refreshes)
run_rc 5 ec sync
sim_ctl GET signin >/dev/null
assert_eq "$before" "$(jv refreshes)" "no refresh request sent (it would spend the sign-in)"
assert_contains "$ERR" "cannot write the new sign-in to $MNT/emailcfg/signin/" "names the directory"
assert_contains "$ERR" "No space left on device" "says why"
assert_contains "$ERR" "free space there" "says what to do"
assert_eq 1 "$(printf '%s\n' "$ERR" | grep -c .)" "one line"
assert_eq "$RT" "$(sed -n 's/^refresh-token=//p' "$F")" "the old refresh token is kept"
assert_eq "" "$(find "$MNT/emailcfg" -name '.room.*' -o -name '.new.*')" "no probe left"

# Room again: the old sign-in still works.
rm -f "$MNT/filler"
run_rc 0 ec sync
[ "$RT" != "$(sed -n 's/^refresh-token=//p' "$F")" ] || fail "the refresh token did not rotate"
echo "client_login_diskfull: ok"
