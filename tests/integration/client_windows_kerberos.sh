#!/bin/sh
# client_windows_kerberos.sh — auth = windows by Kerberos against a real
# MIT KDC (tests/lib/krb5.sh: a private realm on loopback) and the
# emulator checking SPNEGO with GSS-API against the keytab of
# HTTP/127.0.0.1 (EMAILCFG_SIM_GSS_KEYTAB). Signs in from the ticket cache
# after kinit, and with username = user@REALM and a 0600 password-file
# (a ticket got in-process, never written to disk); each failure an admin
# meets — no ticket, wrong password, unknown user, clock skew, an expired
# ticket, a missing SPN, an account that is no CRM user — is exit 4 with
# words that say what to do, and the password is never shown.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/krb5.sh
set -e
PW='Summer-2026!krb'
krb5_start
krb5_user jnovak "$PW"
krb5_user mhorvat 'Other-2026!krb'
krb5_service 127.0.0.1
EMAILCFG_SIM_GSS_KEYTAB=$KRB5_KEYTAB EMAILCFG_SIM_GSS_USERS="jnovak@$KRB5_REALM" sim_start
ORG=$SIM_URL/kovinarstvo
C=$T/krb.db
CC=${KRB5CCNAME#FILE:}
cat >"$T/emailcfg.ini" <<INI
[org kovina]
url = $ORG
auth = windows
INI
unset EMAILCFG_CLIENT_ID EMAILCFG_CLIENT_SECRET EMAILCFG_TOKEN EMAILCFG_AUTH
unset EMAILCFG_USERNAME EMAILCFG_PASSWORD_FILE
op() { $EMAILCFG --config "$T/emailcfg.ini" --org kovina --cache "$C" "$@"; }

# No ticket and no password: exit 4, saying kinit or a password file.
rm -f "$CC"
run_rc 4 op sync
assert_contains "$ERR" "there is no Kerberos ticket (klist shows none): run kinit USER@REALM" \
	"no ticket: says kinit"
assert_contains "$ERR" "password-file" "no ticket: names the password file too"

# From the ticket cache after kinit: the emulator checked the Kerberos
# ticket (its log names the principal only when it refuses one).
krb5_kinit jnovak "$PW"
seq=$(sim_seq)
EMAILCFG_PAGE_SIZE=10 run_rc 0 op -v sync
assert_contains "$ERR" "GET $ORG/api/data/v9.0/mailboxes" "9.0 on-premises path"
run_rc 0 op mailboxes --csv
[ "$(printf '%s\n' "$OUT" | wc -l)" -gt 50 ] || fail "mailboxes not stored"
klist >"$T/klist" 2>&1
grep -q "HTTP/127.0.0.1@" "$T/klist" || fail "no service ticket for HTTP/127.0.0.1: $(cat "$T/klist")"

# A forged token (the right shape, no valid ticket inside) is refused by
# the emulator's GSS-API, and a request without one is offered Negotiate.
forged=$(head -c 600 /dev/urandom | base64 | tr -d '\n')
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Negotiate YIIC$forged" \
	"$ORG/api/data/v9.0/WhoAmI")
expect_eq "forged Negotiate token" 401 "$code"
# A token over the emulator's bound (12,000 bytes) is refused unread.
long=$(head -c 15000 /dev/urandom | base64 | tr -d '\n')
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Negotiate $long" \
	"$ORG/api/data/v9.0/WhoAmI")
expect_eq "overlong Negotiate token" 401 "$code"
grep -q "Negotiate refused: not base64, empty or over 12000 bytes" "$SIM_LOG" ||
	fail "overlong token not refused by the bound: $(tail -3 "$SIM_LOG")"
curl -s -D "$T/h" -o /dev/null "$ORG/api/data/v9.0/WhoAmI"
grep -qi '^WWW-Authenticate: Negotiate' "$T/h" || fail "401 without Negotiate: $(cat "$T/h")"

# Two threads of one process, each with its own password ticket, signing
# in at once (the console's UI thread and worker): each request carries its
# own thread's ticket, never the other's.
KRB_THREADS_PW_OK=$PW KRB_THREADS_PW_REFUSED='Other-2026!krb' \
	build/tests/tools/krb-threads "$ORG/api/data/v9.0/WhoAmI" 100 "jnovak@$KRB5_REALM" \
	"mhorvat@$KRB5_REALM" >"$T/threads" 2>&1 || fail "tickets crossed threads: $(cat "$T/threads")"

# A principal the realm knows but the organization does not: the server's
# words, exit 4.
krb5_kinit mhorvat 'Other-2026!krb'
run_rc 4 op sync
assert_contains "$ERR" "mhorvat@$KRB5_REALM was authenticated by Kerberos but is not a user" \
	"not a CRM user: the server's words"
assert_contains "$ERR" "did not accept a valid Kerberos ticket" "not a CRM user: says so"

# An expired ticket: exit 4, run kinit.
printf '%s\n' "$PW" | kinit -l 2s "jnovak@$KRB5_REALM" >/dev/null
sleep 3
run_rc 4 op sync
assert_contains "$ERR" "the Kerberos ticket of jnovak@$KRB5_REALM has expired: run kinit" \
	"expired ticket"

# Clock skew, for real: the ticket cache says this computer's clock is an
# hour behind the KDC's (the offset MIT keeps in the cache header after
# kdc_timesync), so every authenticator is an hour ahead and the KDC
# refuses the service-ticket request with KRB_AP_ERR_SKEW.
krb5_kinit jnovak "$PW"
{
	head -c 8 "$CC"
	printf '\000\000\016\020\000\000\000\000' # +3600 s, 0 us
	tail -c +17 "$CC"
} >"$CC.skew"
KRB5CCNAME=FILE:$CC.skew run_rc 4 op sync
assert_contains "$ERR" "clock and the domain controller's differ by more than Kerberos allows" \
	"clock skew"

# With username = user@REALM and the password file: kinit in-process into
# memory. The admin's own ticket cache (mhorvat, no CRM user) is neither
# used nor touched.
rm -f "$CC.skew"
krb5_kinit mhorvat 'Other-2026!krb'
printf '%s\n' "$PW" >"$T/pw"
chmod 600 "$T/pw"
cat >>"$T/emailcfg.ini" <<INI
username = jnovak@emailcfg.test
password-file = $T/pw
INI
seq=$(sim_seq)
run_rc 0 op -v sync
assert_not_contains "$OUT$ERR" "$PW" "password not shown"
klist >"$T/klist" 2>&1 || fail "the ticket cache went: $(cat "$T/klist")"
grep -q "Default principal: mhorvat@" "$T/klist" || fail "ticket cache touched: $(cat "$T/klist")"
! grep -rq "$PW" "$KRB5_DIR" || fail "the password reached a file"
! grep -q "$PW" "$C" || fail "the password reached the cache"
sim_log_since "$seq"
[ "$($JSON_GET each . uri <"$SIM_BODY" | grep -c api/data)" -gt 0 ] || fail "no request signed in"

# A password ticket that ends while the command runs: the realm gives
# jnovak 3-second tickets, and every tenth answer is cut off so the client
# reconnects (a new handshake) throughout a sync of several seconds; the
# ticket is got anew before it ends.
krb5_lifetime jnovak "3 seconds"
expect_eq "faults on" 200 "$(sim_ctl POST config '{"drop_every":10,"latency_ms":200}')"
rm -f "$C"
start=$(date +%s)
EMAILCFG_PAGE_SIZE=10 run_rc 0 op sync
[ $(($(date +%s) - start)) -gt 4 ] || fail "the sync took under 4 s: it proves no renewal"

# The admin changes the password, and the file, while that runs: the
# ticket is got anew with the password read again (the one read at start
# is refused by then). Changed before the first renewal, once the sync has
# its first ticket (a request of it was answered 200), not after a fixed
# delay: on a loaded machine the sync may not have started by then, and
# would read the old password for the new one.
rm -f "$C"
sim_ctl POST reset >/dev/null
start=$(date +%s)
EMAILCFG_PAGE_SIZE=10 op sync >"$T/sync.out" 2>"$T/sync.err" &
pid=$!
i=0
while sim_ctl GET requests >/dev/null && ! $JSON_GET each . status <"$SIM_BODY" | grep -q '^200$'; do
	i=$((i + 1))
	[ $i -lt 200 ] || fail "no request of the sync was answered in 10 s"
	sleep 0.05
done
NEW_PW='Spring-2026!krb'
krb5__admin "cpw -pw $NEW_PW jnovak@$KRB5_REALM"
printf '%s\n' "$NEW_PW" >"$T/pw.new"
chmod 600 "$T/pw.new"
mv "$T/pw.new" "$T/pw"
wait $pid || fail "a renewal after a password change: $(cat "$T/sync.err")"
[ $(($(date +%s) - start)) -gt 3 ] || fail "the sync took under 3 s: it proves no renewal"
assert_not_contains "$(cat "$T/sync.out" "$T/sync.err")" "$NEW_PW" "new password not shown"
krb5__admin "cpw -pw $PW jnovak@$KRB5_REALM"
printf '%s\n' "$PW" >"$T/pw"
expect_eq "faults off" 200 "$(sim_ctl POST config '{"drop_every":0,"latency_ms":0}')"
krb5_lifetime jnovak "10 hours"

# DOMAIN\user with a password signs in by NTLM only: the ticket of
# whoever ran kinit (jnovak, a CRM user) never signs in in its place.
krb5_kinit jnovak "$PW"
EMAILCFG_USERNAME='KOVINA\mhorvat' run_rc 4 op sync
# The server offers Kerberos only: say so, not "check the password".
assert_contains "$ERR" "the server offers Negotiate, not NTLM: set username = user@REALM" \
	"DOMAIN\\user against a Kerberos-only server"
rm -f "$CC"

# A wrong password: the KDC refuses it before any request.
printf 'not-the-password\n' >"$T/pw"
seq=$(sim_seq)
run_rc 4 op sync
assert_contains "$ERR" "the KDC refused the password for jnovak@$KRB5_REALM: check $T/pw" \
	"wrong password"
assert_not_contains "$ERR" "not-the-password" "wrong password not shown"
sim_log_since "$seq"
[ "$($JSON_GET each . uri <"$SIM_BODY" | grep -c api/data)" -eq 0 ] || fail "sent a request"
printf '%s\n' "$PW" >"$T/pw"

# A user the domain does not have.
EMAILCFG_USERNAME="nobody@$KRB5_REALM" run_rc 4 op sync
assert_contains "$ERR" "has no user nobody@$KRB5_REALM: check username" "unknown user"

# The server's SPN missing on the KDC (no setspn): the KDC says so.
krb5_forget "HTTP/127.0.0.1@$KRB5_REALM"
run_rc 4 op sync
assert_contains "$ERR" "the domain has no service principal HTTP/127.0.0.1" "SPN missing"
assert_contains "$ERR" "setspn -S HTTP/127.0.0.1" "SPN missing: says setspn"
assert_not_contains "$OUT$ERR" "$PW" "password not shown on failure"
sim_stop

# user@REALM whose realm has no KDC to ask: the same name and password by
# NTLM, against a server that offers both.
krb5_service 127.0.0.1
EMAILCFG_SIM_GSS_KEYTAB=$KRB5_KEYTAB EMAILCFG_SIM_NTLM_USER="\\jnovak@NOKDC.TEST:$PW" sim_start
sed -i "s|^url = .*|url = $SIM_URL/kovinarstvo|" "$T/emailcfg.ini"
rm -f "$C"
EMAILCFG_USERNAME=jnovak@nokdc.test run_rc 0 op sync
assert_not_contains "$OUT$ERR" "$PW" "password not shown (NTLM)"
sim_stop
echo "client windows kerberos: ok"
