#!/bin/sh
# client_tls.sh — the Web API client over TLS: the emulator (Web API and
# token endpoint alike) behind socat as a TLS terminator, with certificates
# from a throwaway CA (tests/lib/mailservers.sh). Without the CA the client
# refuses, naming the certificate (exit 4, nothing reaches the emulator); with
# it (EMAILCFG_CA_FILE or ca-file in the config) a paged sync and a push
# work, their nextLinks on the https origin. An expired certificate is
# refused even with the CA.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/mailservers.sh
trap 'mailservers_stop; sim__cleanup; rm -rf "$T"' EXIT
set -e
command -v socat >/dev/null || fail "socat is not installed (make deps)"
unset EMAILCFG_CA_FILE

mailservers_certs
mailservers_ports TLS_PORT EXPIRED_TLS_PORT
ORG=https://localhost:$TLS_PORT
sim_start --data none --generate 300 --seed 31 --max-page 100 --public-url "$ORG"
# tls_terminator PORT CERT — TLS on 127.0.0.1:PORT, plain text to the emulator.
tls_terminator() {
	socat "OPENSSL-LISTEN:$1,bind=127.0.0.1,reuseaddr,fork,verify=0,cert=$MAIL_DIR/$2.pem,key=$MAIL_DIR/$2.key" \
		"TCP:127.0.0.1:$SIM_PORT" 2>>"$MAIL_DIR/socat-tls.log" &
	MAIL_PIDS="$MAIL_PIDS $!"
}
tls_terminator "$TLS_PORT" server
tls_terminator "$EXPIRED_TLS_PORT" expired
"$PROBE_NET" wait 10 "$TLS_PORT" "$EXPIRED_TLS_PORT" || fail "socat did not listen"
client_env
export EMAILCFG_AUTHORITY="$ORG"
tec() { $EMAILCFG --org "$ORG" --cache "$C" "$@"; }

# The test CA is not trusted: refused at the sign-in, before any secret or
# request reaches the emulator.
run_rc 4 tec sync
assert_contains "$ERR" "certificate" "the certificate is named"
assert_contains "$ERR" "EMAILCFG_CA_FILE" "the way out is named"
assert_eq 1 "$(printf '%s\n' "$ERR" | grep -c .)" "one line"
assert_eq '[]' "$(curl -sS "$SIM_URL/_sim/requests")" "nothing reached the emulator"

# Trusted through EMAILCFG_CA_FILE: three pages of mailboxes, each nextLink
# on https://localhost:PORT, then an edit pushed over TLS.
EMAILCFG_CA_FILE="$MAIL_CA" run_rc 0 tec sync
run_rc 0 tec mailboxes --json
assert_eq 300 "$(echo "$OUT" | $JSON_GET len .)" "every page over TLS"
sim_log_since 0
cp "$SIM_BODY" /tmp/tls_req.json; echo "$ERR" > /tmp/tls_err.txt
assert_eq 3 "$($JSON_GET each . uri <"$SIM_BODY" | grep -c '/mailboxes?')" "three pages"
id=$(echo "$OUT" | $JSON_GET get .0.id)
run_rc 0 tec --offline mailbox set "$id" outgoing=none
EMAILCFG_CA_FILE="$MAIL_CA" run_rc 0 tec sync
sim_ctl GET "mailboxes($id)" >/dev/null
assert_eq 0 "$(jv outgoingemaildeliverymethod)" "the edit arrived over TLS"

# Trusted through ca-file in the config file.
mkdir -p "$XDG_CONFIG_HOME/emailcfg"
printf '[org tls]\nurl = %s\ntenant = %s\nclient-id = %s\nauthority = %s\nca-file = %s\n' \
	"$ORG" "$SIM_TENANT" "$SIM_CLIENT_ID" "$ORG" "$MAIL_CA" >"$XDG_CONFIG_HOME/emailcfg/config"
unset EMAILCFG_TENANT EMAILCFG_CLIENT_ID EMAILCFG_AUTHORITY
run_rc 0 $EMAILCFG --org tls --cache "$C" sync
client_env
export EMAILCFG_AUTHORITY="https://localhost:$EXPIRED_TLS_PORT" EMAILCFG_CA_FILE="$MAIL_CA"
run_rc 4 $EMAILCFG --org "https://localhost:$EXPIRED_TLS_PORT" --cache "$T/other.db" sync
assert_contains "$ERR" "certificate has expired" "an expired certificate is refused"
echo "client over TLS: ok"
