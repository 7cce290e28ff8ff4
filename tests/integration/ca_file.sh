#!/bin/sh
# ca_file.sh — ca-file (EMAILCFG_CA_FILE) means one thing everywhere: its CAs
# are trusted in addition to the system's, for sign-in, the Web API and the
# probes. The emulator sits behind socat TLS terminators, one with a
# certificate from a throwaway "system" CA, one from the ca-file's CA; the
# system store is replaced in a private mount namespace (so: as root only).
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
if [ "$(id -u)" -ne 0 ] || ! unshare -m true 2>/dev/null; then
	echo "ca file: skipped (a private mount namespace needs root)"
	exit 0
fi
command -v socat >/dev/null || fail "socat is not installed (make deps)"
PROBE_NET=build/tests/tools/probe-net
PROBE_RUN=build/tests/tools/probe-run

ca() { # NAME: a throwaway CA, $T/NAME.pem
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$T/$1.key" -out "$T/$1.pem" -days 2 -subj "/CN=emailcfg test $1" \
		-addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null || fail "openssl CA $1"
}
cert() { # NAME CA: a certificate for 127.0.0.1 signed by CA
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$T/$1.key" -subj /CN=127.0.0.1 -out "$T/$1.csr" 2>/dev/null
	printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
		>"$T/$1.ext"
	openssl x509 -req -in "$T/$1.csr" -CA "$T/$2.pem" -CAkey "$T/$2.key" -CAcreateserial \
		-days 2 -extfile "$T/$1.ext" -out "$T/$1.pem" 2>/dev/null || fail "openssl x509 $1"
}
ca system-ca
ca extra-ca
cert by-system system-ca
cert by-extra extra-ca
# System stores: a bundle alone (libcurl builds without a CA directory see
# only that), and Debian's bundle with a hashed directory.
mkdir "$T/bundle" "$T/hashed"
cp "$T/system-ca.pem" "$T/bundle/ca-certificates.crt"
cp "$T/system-ca.pem" "$T/hashed/ca-certificates.crt"
cp "$T/system-ca.pem" "$T/hashed/system-ca.pem"
openssl rehash "$T/hashed" 2>/dev/null || c_rehash "$T/hashed" >/dev/null
with_store() { # DIR COMMAND...: COMMAND with DIR as /etc/ssl/certs
	unshare -m sh -c 'mount --bind "$0" /etc/ssl/certs && exec "$@"' "$@"
}

sim_start
client_env
ports=$($PROBE_NET ports 2)
SYS_PORT=$(echo "$ports" | sed -n 1p)
EXTRA_PORT=$(echo "$ports" | sed -n 2p)
SOCAT_PIDS=""
tls() { # PORT CERT: TLS on PORT in front of the emulator
	socat "OPENSSL-LISTEN:$1,bind=127.0.0.1,reuseaddr,fork,verify=0,cert=$T/$2.pem,key=$T/$2.key" \
		"TCP:127.0.0.1:$SIM_PORT" 2>>"$T/socat.log" &
	SOCAT_PIDS="$SOCAT_PIDS $!"
}
trap 'kill $SOCAT_PIDS 2>/dev/null; sim__cleanup; rm -rf "$T"' EXIT
tls "$SYS_PORT" by-system
tls "$EXTRA_PORT" by-extra
$PROBE_NET wait 10 "$SYS_PORT" "$EXTRA_PORT" || fail "socat did not listen"

# Sign-in at an authority the system trusts, with a ca-file for another CA.
for store in bundle hashed; do
	C=$T/signin-$store.db
	EMAILCFG_AUTHORITY=https://127.0.0.1:$SYS_PORT EMAILCFG_CA_FILE=$T/extra-ca.pem \
		run_rc 0 with_store "$T/$store" $EMAILCFG --org "$SIM_URL" --cache "$C" sync
done
# The Web API at an organization only the ca-file's CA vouches for.
sim_token
C=$T/webapi.db
EMAILCFG_CLIENT_SECRET= EMAILCFG_TOKEN=$SIM_TOKEN EMAILCFG_PAGE_SIZE=5000 \
	run_rc 4 with_store "$T/bundle" $EMAILCFG --org "https://127.0.0.1:$EXTRA_PORT" --cache "$C" sync
EMAILCFG_CLIENT_SECRET= EMAILCFG_TOKEN=$SIM_TOKEN EMAILCFG_PAGE_SIZE=5000 \
	EMAILCFG_CA_FILE=$T/extra-ca.pem \
	run_rc 0 with_store "$T/bundle" $EMAILCFG --org "https://127.0.0.1:$EXTRA_PORT" --cache "$C" sync
# An unreadable ca-file is named before anything is sent.
EMAILCFG_CA_FILE=$T/missing.pem run_rc 5 ec sync
assert_contains "$ERR" "cannot read the CA file $T/missing.pem" "missing ca-file named"

# The probes: both certificates pass TLS with the ca-file, on a system store
# as Debian lays it out.
field() { echo "$OUT" | $JSON_GET get ".$1.$2"; }
set +e
with_store "$T/hashed" $PROBE_RUN --json --ca-file "$T/extra-ca.pem" \
	"ews:https://127.0.0.1:$SYS_PORT/EWS/Exchange.asmx" \
	"ews:https://127.0.0.1:$EXTRA_PORT/EWS/Exchange.asmx" >"$T/out" 2>"$T/err"
set -e
OUT=$(cat "$T/out")
for i in 0 1; do
	[ "$(field $i failed_at)" != tls ] || fail "probe $i: TLS refused: $(field $i message)"
	[ "$(field $i reached)" != connect ] || fail "probe $i stopped at connect"
done
echo "ca file: ok"
