#!/bin/sh
# client_signin_bounds.sh — sign-in answers are bounded at 64 KB, not only
# by the 64 MB page bound: the emulator pads its token and device-code
# answers (pad_signin, EMAILCFG_SIM_PAD_SIGNIN); an answer a little under
# the bound still signs in, one over it — or 50 MB of it — ends with exit 4
# and one line naming the bound, quickly and in bounded memory (the client
# refuses the answer as it arrives).
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
EMAILCFG_SIM_PAD_SIGNIN=60000 sim_start --device-interval 1
client_env
C=$T/cache.db

# Under the bound: a token answer of some 61 KB is fine.
run_rc 0 ec sync

# Over it: the token answer.
sim_ctl POST config '{"pad_signin":70000}' >/dev/null
sim_ctl POST tokens/expire >/dev/null
run_rc 4 ec sync
assert_contains "$ERR" "sent an answer larger than 64 KB where a sign-in answer is a few KB" \
	"token answer over the bound"
assert_eq 1 "$(printf '%s\n' "$ERR" | grep -c .)" "one line"

# 50 MB: refused as it arrives (the memory stays far below it).
sim_ctl POST config '{"pad_signin":50000000}' >/dev/null
set +e
/usr/bin/time -f '%M' -o "$T/rss" $EMAILCFG --org "$SIM_URL" --cache "$C" sync 2>"$T/err"
got=$?
set -e
assert_eq 4 "$got" "50 MB token answer"
assert_contains "$(cat "$T/err")" "larger than 64 KB" "50 MB token answer: the bound named"
rss=$(tail -n 1 "$T/rss")
echo "max RSS reading a 50 MB sign-in answer: $rss KB" >&2
[ "$rss" -lt 40000 ] || fail "the client grew to $rss KB reading a refused answer"

# The device-code answer too (login).
unset EMAILCFG_CLIENT_SECRET EMAILCFG_CLIENT_ID EMAILCFG_TENANT
export XDG_STATE_HOME="$T/state"
sim_ctl POST config '{"pad_signin":70000}' >/dev/null
run_rc 4 ec login
assert_contains "$ERR" "larger than 64 KB" "device-code answer over the bound"
echo "client_signin_bounds: ok"
