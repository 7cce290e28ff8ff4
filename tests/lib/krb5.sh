# krb5.sh — a private MIT Kerberos realm for a test, in a temporary
# directory on a loopback port (sourced after tests/lib/sim.sh, whose
# SIM_TMP it lives in and whose exit trap it extends):
#
#   krb5_start            create realm $KRB5_REALM (EMAILCFG.TEST) with its
#                         database, start krb5kdc on a free 127.0.0.1 port;
#                         export KRB5_CONFIG, KRB5_KDC_PROFILE, KRB5CCNAME,
#                         KRB5RCACHEDIR (all inside $KRB5_DIR), KRB5_KDC_PORT.
#                         Exits 0 with a SKIP line when krb5kdc is missing.
#   krb5_user NAME PASS   add principal NAME@REALM with password PASS (and
#                         pre-authentication required, as Active Directory does)
#   krb5_service HOST     add HTTP/HOST@REALM with a random key; its key goes
#                         to $KRB5_KEYTAB (the emulator's keytab)
#   krb5_forget PRINC     delete a principal (what a domain admin would undo)
#   krb5_lifetime NAME L  the longest ticket NAME@REALM gets, e.g. "3 seconds"
#   krb5_kinit NAME PASS  kinit NAME@REALM into $KRB5CCNAME
#   krb5_stop             stop the KDC (also done on exit)
#
# The realm maps every host (default_realm; 127.0.0.1 and localhost in
# [domain_realm]), and names are never canonicalised through DNS, so
# libcurl's SPN HTTP@127.0.0.1 becomes HTTP/127.0.0.1@EMAILCFG.TEST.

KRB5_REALM=EMAILCFG.TEST
KRB5_DIR=$SIM_TMP/krb5
KRB5_KDC_PID=

krb5__sbin() {
	for d in /usr/sbin /usr/bin /sbin /usr/local/sbin; do
		[ -x "$d/$1" ] && { echo "$d/$1"; return 0; }
	done
	command -v "$1"
}

PROBE_NET=${PROBE_NET:-build/tests/tools/probe-net}

krb5_start() {
	KRB5KDC=$(krb5__sbin krb5kdc) || KRB5KDC=
	KDB5_UTIL=$(krb5__sbin kdb5_util) || KDB5_UTIL=
	KADMIN_LOCAL=$(krb5__sbin kadmin.local) || KADMIN_LOCAL=
	if [ -z "$KRB5KDC" ]; then
		echo "SKIP: krb5kdc is not installed (Debian: krb5-kdc krb5-admin-server krb5-user)"
		exit 0
	fi
	[ -n "$KDB5_UTIL" ] && [ -n "$KADMIN_LOCAL" ] ||
		fail "krb5kdc is installed but kdb5_util or kadmin.local is not (krb5-admin-server)"
	command -v kinit >/dev/null || fail "kinit is not installed (krb5-user)"
	mkdir -p "$KRB5_DIR"
	KRB5_KDC_PORT=$("$PROBE_NET" ports 1) || fail "no free port for the KDC"
	KRB5_KEYTAB=$KRB5_DIR/http.keytab
	export KRB5_CONFIG=$KRB5_DIR/krb5.conf KRB5_KDC_PROFILE=$KRB5_DIR/kdc.conf
	export KRB5CCNAME=FILE:$KRB5_DIR/ccache KRB5RCACHEDIR=$KRB5_DIR
	export KRB5_KDC_PORT KRB5_KEYTAB KRB5_REALM
	cat >"$KRB5_CONFIG" <<EOF
[libdefaults]
	default_realm = $KRB5_REALM
	dns_lookup_kdc = false
	dns_lookup_realm = false
	dns_canonicalize_hostname = false
	rdns = false
	udp_preference_limit = 1
[realms]
	$KRB5_REALM = {
		kdc = 127.0.0.1:$KRB5_KDC_PORT
	}
[domain_realm]
	127.0.0.1 = $KRB5_REALM
	localhost = $KRB5_REALM
EOF
	cat >"$KRB5_KDC_PROFILE" <<EOF
[kdcdefaults]
	kdc_listen = 127.0.0.1:$KRB5_KDC_PORT
	kdc_tcp_listen = 127.0.0.1:$KRB5_KDC_PORT
[realms]
	$KRB5_REALM = {
		database_name = $KRB5_DIR/principal
		key_stash_file = $KRB5_DIR/stash
		acl_file = $KRB5_DIR/kadm5.acl
		max_life = 10h
		supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal
	}
[logging]
	kdc = FILE:$KRB5_DIR/kdc.log
EOF
	: >"$KRB5_DIR/kadm5.acl"
	"$KDB5_UTIL" create -s -r "$KRB5_REALM" -P "master-$$-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')" \
		>"$KRB5_DIR/create.log" 2>&1 || fail "kdb5_util create: $(cat "$KRB5_DIR/create.log")"
	"$KRB5KDC" -n -r "$KRB5_REALM" -P "$KRB5_DIR/kdc.pid" >"$KRB5_DIR/kdc.out" 2>&1 &
	KRB5_KDC_PID=$!
	trap 'krb5_stop; sim__cleanup' EXIT
	"$PROBE_NET" wait 10 "127.0.0.1:$KRB5_KDC_PORT" 2>/dev/null ||
		fail "krb5kdc does not listen on $KRB5_KDC_PORT: $(cat "$KRB5_DIR/kdc.out" \
			"$KRB5_DIR/kdc.log" 2>/dev/null)"
}

krb5__admin() {
	"$KADMIN_LOCAL" -r "$KRB5_REALM" -q "$*" >"$KRB5_DIR/kadmin.log" 2>&1 ||
		fail "kadmin.local $*: $(cat "$KRB5_DIR/kadmin.log")"
	! grep -qi "error\|while " "$KRB5_DIR/kadmin.log" ||
		fail "kadmin.local $*: $(cat "$KRB5_DIR/kadmin.log")"
}

krb5_user() {
	krb5__admin "addprinc +requires_preauth -pw $2 $1@$KRB5_REALM"
}

krb5_service() {
	krb5__admin "addprinc -randkey HTTP/$1@$KRB5_REALM"
	krb5__admin "ktadd -k $KRB5_KEYTAB HTTP/$1@$KRB5_REALM"
}

krb5_forget() {
	krb5__admin "delprinc -force $1"
}

krb5_lifetime() {
	krb5__admin "modprinc -maxlife \"$2\" $1@$KRB5_REALM"
}

krb5_kinit() {
	printf '%s\n' "$2" | kinit "$1@$KRB5_REALM" >"$KRB5_DIR/kinit.log" 2>&1 ||
		fail "kinit $1: $(cat "$KRB5_DIR/kinit.log")"
}

krb5_stop() {
	[ -n "$KRB5_KDC_PID" ] || return 0
	kill -TERM "$KRB5_KDC_PID" 2>/dev/null
	wait "$KRB5_KDC_PID" 2>/dev/null
	KRB5_KDC_PID=
}
