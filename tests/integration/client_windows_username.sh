#!/bin/sh
# client_windows_username.sh — auth = windows with a malformed username
# (DOMAIN\ , \user, user@, @REALM, two separators, a control character,
# over 256 bytes) is refused before anything is sent: exit 5 (a
# configuration problem), one line showing the accepted forms, the
# emulator sees no request, and the name itself is not echoed (it may hold
# a control character). A well-formed DOMAIN\user still signs in.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
PW='Winter-2026!ntlm'
EMAILCFG_SIM_NTLM_USER="KOVINA\\jnovak:$PW" sim_start
ORG=$SIM_URL/kovinarstvo
C=$T/win.db
printf '%s\n' "$PW" >"$T/pw"
chmod 600 "$T/pw"
unset EMAILCFG_CLIENT_ID EMAILCFG_CLIENT_SECRET EMAILCFG_TOKEN
export EMAILCFG_AUTH=windows EMAILCFG_PASSWORD_FILE="$T/pw"
op() { $EMAILCFG --org "$ORG" --cache "$C" "$@"; }

long=$(printf '%0300d' 0)
esc=$(printf 'KOVINA\\jn\033[31movak')
seq=$(sim_seq)
for name in 'KOVINA\' '\jnovak' 'jnovak@' '@KOVINA.LOCAL' 'KOVINA\jnovak@KOVINA.LOCAL' \
	'A\B\jnovak' "$esc" "KOVINA\\$long"; do
	EMAILCFG_USERNAME="$name" run_rc 5 op sync
	assert_contains "$ERR" "give it as DOMAIN\\user (NTLM) or user@REALM (Kerberos)" \
		"accepted forms shown for [$name]"
	assert_eq 1 "$(printf '%s\n' "$ERR" | grep -c .)" "one line for [$name]"
	case "$ERR" in *"$(printf '\033')"*) fail "a control character reached stderr" ;; esac
done
EMAILCFG_USERNAME="$esc" run_rc 5 op sync
assert_contains "$ERR" "control character" "says why"
EMAILCFG_USERNAME="KOVINA\\$long" run_rc 5 op sync
assert_contains "$ERR" "longer than 256 bytes" "says why (long)"
EMAILCFG_USERNAME='KOVINA\' run_rc 5 op sync
assert_contains "$ERR" "the user after \\ is empty" "says why (no user)"
assert_eq "$seq" "$(sim_seq)" "nothing was sent"

EMAILCFG_USERNAME='KOVINA\jnovak' run_rc 0 op sync
echo "client_windows_username: ok"
