#!/bin/sh
# client_windows_ntlm.sh — auth = windows against an on-premises
# organization that signs in with NTLM (the emulator checks the NTLMv2
# response against EMAILCFG_SIM_NTLM_USER): username = DOMAIN\user and a
# 0600 password-file sync through the 9.0 Web API; a wrong password, an
# unknown user and a password file others can read are refused with words
# that say what to check, and the password is never shown; a malformed
# username is refused before anything is sent (exit 5).
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
cat >"$T/emailcfg.ini" <<INI
[org kovina]
url = $ORG
auth = windows
username = KOVINA\\jnovak
password-file = $T/pw
INI
unset EMAILCFG_CLIENT_ID EMAILCFG_CLIENT_SECRET EMAILCFG_TOKEN EMAILCFG_AUTH
op() { $EMAILCFG --config "$T/emailcfg.ini" --org kovina --cache "$C" "$@"; }

# The right password: NTLM handshake, the 9.0 API, every page.
seq=$(sim_seq)
EMAILCFG_PAGE_SIZE=10 run_rc 0 op -v sync
assert_contains "$ERR" "GET $ORG/api/data/v9.0/mailboxes" "9.0 on-premises path"
assert_not_contains "$OUT$ERR" "$PW" "password not shown"
run_rc 0 op mailboxes --csv
[ "$(printf '%s\n' "$OUT" | wc -l)" -gt 50 ] || fail "mailboxes not stored"
! grep -q "$PW" "$C" || fail "the password reached the cache"

# A wrong password: exit 4, pointing at the password file.
printf 'not-the-password\n' >"$T/pw"
run_rc 4 op sync
assert_contains "$ERR" "Windows sign-in was refused: check the password in password-file" \
	"wrong password named"
assert_not_contains "$ERR" "not-the-password" "wrong password not shown"
printf '%s\n' "$PW" >"$T/pw"

# An unknown user: exit 4.
EMAILCFG_USERNAME='KOVINA\nobody' run_rc 4 op sync
assert_contains "$ERR" "(401" "unknown user refused"
assert_contains "$ERR" "domain account" "says to check the account"

# A malformed username (DOMAIN\ , \user, user@, @REALM, two separators, a
# control character, over 256 bytes) is refused before anything is sent:
# exit 5, one line with the accepted forms, the name itself not echoed.
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

# A password file others can read is refused before anything is sent.
chmod 640 "$T/pw"
seq=$(sim_seq)
run_rc 5 op sync
assert_contains "$ERR" "the password file $T/pw is readable by others; run: chmod 600" \
	"0600 enforced"
sim_log_since "$seq"
[ "$($JSON_GET each . uri <"$SIM_BODY" | grep -c api/data)" -eq 0 ] || fail "sent a request"
chmod 600 "$T/pw"

# EMAILCFG_PASSWORD_FILE gives the file instead of the config.
sed -i '/^password-file/d' "$T/emailcfg.ini"
EMAILCFG_PASSWORD_FILE=$T/pw run_rc 0 op sync
# Without any password (and no Kerberos ticket): exit 4 saying what to do.
KRB5CCNAME=FILE:$T/no-such-ccache run_rc 4 op sync
assert_contains "$ERR" "run kinit USER@REALM" "no credentials: says kinit"
sim_stop
echo "client windows ntlm: ok"
