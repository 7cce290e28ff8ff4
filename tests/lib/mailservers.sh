# mailservers.sh — real mail servers for the tests and benchmarks (sourced,
# never run). Source tests/lib/assert.sh first (it makes $T and the EXIT trap).
#
#   mailservers_start      throwaway CA and certificates, then Dovecot (IMAP, POP3,
#                          submission) on free loopback ports, as its own process
#                          with its configuration, state and log under $T/mail
#   mailservers_add_users N   N more passwd-file users box0001@example.si... with
#                          passwords pw-0001...; call before mailservers_start
#   mailservers_start_ews  an HTTPS endpoint (socat + a shell responder) that answers
#                          like EWS: 401 with Negotiate/NTLM/Basic challenges, 200
#                          when the Basic credentials of $MAIL_USER are sent
#   mailservers_start_silent  a listener that accepts and never speaks
#   mailservers_start_plain_auth  plain-text SMTP and IMAP servers (socat + a shell
#                          responder) that offer AUTH PLAIN LOGIN and no STARTTLS and
#                          accept any login; every line they receive goes to $PLAIN_LOG
#   mailservers_start_flood   an IMAP greeting, then untagged lines without end
#   mailservers_stop       stops everything started (also run on exit, with the
#                          emulator of tests/lib/sim.sh when it is sourced)
#
# It touches only $T and loopback ports, and needs the Debian packages
# dovecot-core dovecot-imapd dovecot-pop3d dovecot-submissiond openssl socat,
# and build/tests/tools/probe-net (free ports, waiting, the silent listener).
#
# Exported after mailservers_start:
#   MAIL_USER MAIL_PASS       a valid login (ana@example.si)
#   MAIL_CA                   the CA file that signed every server certificate
#   IMAP_PORT IMAPS_PORT POP3_PORT POP3S_PORT SMTP_PORT SMTPS_PORT
#       plain+STARTTLS and implicit-TLS listeners on 127.0.0.1 (certificate for
#       localhost and 127.0.0.1); SMTP is Dovecot's submission service
#   EXPIRED_HOST EXPIRED_PORT      implicit-TLS IMAP whose certificate has expired
#   WRONGHOST_HOST WRONGHOST_PORT  implicit-TLS IMAP whose certificate names only
#                                  mail.example.test
#   CLOSED_PORT               a port nobody listens on
#   RELAY_PORT                the stand-in relay behind the submission service
#                             (probe-net relay: answers EHLO/NOOP/QUIT, takes no mail)
# After mailservers_start_ews: EWS_URL.  After mailservers_start_silent: SILENT_PORT.
# After mailservers_start_plain_auth: PLAIN_SMTP_PORT PLAIN_IMAP_PORT PLAIN_LOG
# ("smtp LINE" / "imap LINE").  After mailservers_start_flood: FLOOD_PORT.

PROBE_NET=${PROBE_NET:-build/tests/tools/probe-net}
MAIL_USER=ana@example.si
MAIL_PASS='Sup3r-Secret-Pw.42'
MAIL_DIR="$T/mail"
MAIL_PIDS=""
EXPIRED_HOST=127.0.0.2
WRONGHOST_HOST=127.0.0.3
export MAIL_USER MAIL_PASS EXPIRED_HOST WRONGHOST_HOST

mkdir -p "$MAIL_DIR"
: >"$MAIL_DIR/users"

mailservers_stop() {
	for pid in $MAIL_PIDS; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in $MAIL_PIDS; do
		wait "$pid" 2>/dev/null || true
	done
	MAIL_PIDS=""
}
# Chained, not replaced: the emulator of tests/lib/sim.sh (sourced before)
# is stopped too; sim.sh's own trap calls mailservers_stop when it is
# sourced after this file.
trap 'mailservers_stop; command -v sim__cleanup >/dev/null && sim__cleanup; rm -rf "$T"' EXIT

# mailservers_cert NAME SAN [STARTDATE ENDDATE] — a key and a certificate
# signed by the test CA, as $MAIL_DIR/NAME.key and NAME.pem.
mailservers_cert() {
	name=$1 san=$2
	start=${3:-} end=${4:-}
	d="$MAIL_DIR/ca"
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$MAIL_DIR/$name.key" \
		-subj "/CN=${san#*:}" -out "$d/$name.csr" 2>/dev/null || fail "openssl req $name"
	printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
		"$san" >"$d/$name.ext"
	if [ -n "$start" ]; then
		openssl ca -batch -config "$d/ca.cnf" -notext -startdate "$start" -enddate "$end" \
			-extfile "$d/$name.ext" -in "$d/$name.csr" -out "$MAIL_DIR/$name.pem" \
			2>"$d/$name.log" || fail "openssl ca $name: $(cat "$d/$name.log")"
	else
		openssl x509 -req -in "$d/$name.csr" -CA "$MAIL_CA" -CAkey "$d/ca.key" \
			-CAcreateserial -days 30 -extfile "$d/$name.ext" \
			-out "$MAIL_DIR/$name.pem" 2>/dev/null || fail "openssl x509 $name"
	fi
}

mailservers_certs() {
	d="$MAIL_DIR/ca"
	mkdir -p "$d/new"
	: >"$d/index.txt"
	echo 1000 >"$d/serial"
	MAIL_CA="$d/ca.pem"
	export MAIL_CA
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$d/ca.key" -out "$MAIL_CA" \
		-days 30 -subj "/CN=emailcfg test CA" \
		-addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null || fail "openssl CA"
	cat >"$d/ca.cnf" <<EOF
[ca]
default_ca = test
[test]
dir = $d
database = $d/index.txt
new_certs_dir = $d/new
serial = $d/serial
certificate = $MAIL_CA
private_key = $d/ca.key
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[any]
commonName = supplied
EOF
	mailservers_cert server "DNS:localhost,IP:127.0.0.1"
	mailservers_cert expired "DNS:localhost,IP:$EXPIRED_HOST" 20200101000000Z 20200201000000Z
	mailservers_cert wronghost "DNS:mail.example.test"
}

mailservers_add_users() { # N
	i=1
	while [ "$i" -le "$1" ]; do
		n=$(printf '%04d' "$i")
		echo "box$n@example.si:{PLAIN}pw-$n"
		i=$((i + 1))
	done >>"$MAIL_DIR/users"
}

mailservers_ports() { # VAR...
	ports=$("$PROBE_NET" ports $#) || fail "no free ports"
	for var in "$@"; do
		p=${ports%%
*}
		ports=${ports#*
}
		eval "$var=$p"
		export "${var?}"
	done
}

# Dovecot runs as root in CI: its processes take unprivileged users that the
# packages create (dovecot, dovenull) and mail is owned by nobody. As another
# user it runs everything as that user.
mailservers_users() {
	if [ "$(id -u)" -eq 0 ]; then
		MAIL_INTERNAL=dovecot MAIL_LOGIN=dovenull
		MAIL_UID=$(id -u nobody) MAIL_GID=$(id -g nobody)
		chmod 0711 "$T"
	else
		MAIL_INTERNAL=$(id -un) MAIL_LOGIN=$(id -un)
		MAIL_UID=$(id -u) MAIL_GID=$(id -g)
	fi
}

mailservers_listener() { # NAME ADDRESS PORT SSL
	printf '  inet_listener %s {\n    address = %s\n    port = %s\n    ssl = %s\n  }\n' \
		"$1" "$2" "$3" "$4"
}

mailservers_dovecot_conf() {
	dh=""
	[ -r /usr/share/dovecot/dh.pem ] && dh="ssl_dh = </usr/share/dovecot/dh.pem"
	cat <<EOF
# Generated by tests/lib/mailservers.sh for one test run.
instance_name = emailcfg-test-$$
base_dir = $MAIL_DIR/run
state_dir = $MAIL_DIR/state
log_path = $MAIL_DIR/dovecot.log
protocols = imap pop3 submission
listen = 127.0.0.1
hostname = mail.example.si
default_internal_user = $MAIL_INTERNAL
default_internal_group = $(id -gn "$MAIL_INTERNAL")
default_login_user = $MAIL_LOGIN
first_valid_uid = 1
# Loopback clients are trusted: no growing delays after the wrong-password tests.
login_trusted_networks = 127.0.0.0/8
first_valid_gid = 1
ssl = yes
ssl_cert = <$MAIL_DIR/server.pem
ssl_key = <$MAIL_DIR/server.key
$dh
local $EXPIRED_HOST {
  ssl_cert = <$MAIL_DIR/expired.pem
  ssl_key = <$MAIL_DIR/expired.key
}
local $WRONGHOST_HOST {
  ssl_cert = <$MAIL_DIR/wronghost.pem
  ssl_key = <$MAIL_DIR/wronghost.key
}
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
mail_max_userip_connections = 2000
mail_location = maildir:$MAIL_DIR/home/%u/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $MAIL_DIR/users
}
userdb {
  driver = static
  args = uid=$MAIL_UID gid=$MAIL_GID home=$MAIL_DIR/home/%u
}
submission_relay_host = 127.0.0.1
submission_relay_port = $RELAY_PORT
service imap-login {
$(mailservers_listener imap 127.0.0.1 "$IMAP_PORT" no)
$(mailservers_listener imaps 127.0.0.1 "$IMAPS_PORT" yes)
$(mailservers_listener imaps_expired "$EXPIRED_HOST" "$EXPIRED_PORT" yes)
$(mailservers_listener imaps_wronghost "$WRONGHOST_HOST" "$WRONGHOST_PORT" yes)
  service_count = 0
  process_min_avail = 2
  client_limit = 1000
}
service pop3-login {
$(mailservers_listener pop3 127.0.0.1 "$POP3_PORT" no)
$(mailservers_listener pop3s 127.0.0.1 "$POP3S_PORT" yes)
  service_count = 0
  process_min_avail = 2
  client_limit = 1000
}
service submission-login {
$(mailservers_listener submission 127.0.0.1 "$SMTP_PORT" no)
$(mailservers_listener submissions 127.0.0.1 "$SMTPS_PORT" yes)
  service_count = 0
  process_min_avail = 2
  client_limit = 1000
}
service anvil {
  client_limit = 5000
}
EOF
}

mailservers_start() {
	command -v dovecot >/dev/null || fail "dovecot is not installed (make deps)"
	[ -x "$PROBE_NET" ] || fail "$PROBE_NET is missing (make $PROBE_NET)"
	mailservers_ports IMAP_PORT IMAPS_PORT POP3_PORT POP3S_PORT SMTP_PORT SMTPS_PORT \
		EXPIRED_PORT WRONGHOST_PORT CLOSED_PORT RELAY_PORT
	mailservers_certs
	mailservers_users
	echo "$MAIL_USER:{PLAIN}$MAIL_PASS" >>"$MAIL_DIR/users"
	mkdir -p "$MAIL_DIR/run" "$MAIL_DIR/state" "$MAIL_DIR/home"
	chmod 0755 "$MAIL_DIR" "$MAIL_DIR/run"
	chmod 0644 "$MAIL_DIR/users"
	chown "$MAIL_UID:$MAIL_GID" "$MAIL_DIR/home" 2>/dev/null || true
	mailservers_dovecot_conf >"$MAIL_DIR/dovecot.conf"
	"$PROBE_NET" relay "$RELAY_PORT" 3600 &
	MAIL_PIDS="$MAIL_PIDS $!"
	dovecot -F -c "$MAIL_DIR/dovecot.conf" >"$MAIL_DIR/dovecot.out" 2>&1 &
	MAIL_PIDS="$MAIL_PIDS $!"
	"$PROBE_NET" wait 15 "$IMAP_PORT" "$IMAPS_PORT" "$POP3_PORT" "$POP3S_PORT" \
		"$SMTP_PORT" "$SMTPS_PORT" "$EXPIRED_HOST:$EXPIRED_PORT" \
		"$WRONGHOST_HOST:$WRONGHOST_PORT" ||
		fail "dovecot did not start: $(cat "$MAIL_DIR/dovecot.out" "$MAIL_DIR/dovecot.log" 2>/dev/null)"
}

# The responder reads one HTTP request on stdin and answers on stdout.
mailservers_ews_responder() {
	good=$(printf '%s:%s' "$MAIL_USER" "$MAIL_PASS" | openssl base64 -A)
	cat <<EOF
#!/bin/sh
auth=""
while IFS= read -r line; do
	line=\$(printf '%s' "\$line" | tr -d '\r')
	[ -z "\$line" ] && break
	case "\$line" in [Aa]uthorization:*) auth=\${line#*: } ;; esac
done
if [ "\$auth" = "Basic $good" ]; then
	body='<html><body>You have created a service.</body></html>'
	printf 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %s\r\nConnection: close\r\n\r\n%s' "\${#body}" "\$body"
else
	printf 'HTTP/1.1 401 Unauthorized\r\nServer: Microsoft-IIS/10.0\r\nWWW-Authenticate: Negotiate\r\nWWW-Authenticate: NTLM\r\nWWW-Authenticate: Basic realm="mail.example.si"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'
fi
EOF
}

mailservers_start_ews() {
	command -v socat >/dev/null || fail "socat is not installed (make deps)"
	mailservers_ports EWS_PORT
	mailservers_ews_responder >"$MAIL_DIR/ews.sh"
	socat "OPENSSL-LISTEN:$EWS_PORT,bind=127.0.0.1,reuseaddr,fork,verify=0,cert=$MAIL_DIR/server.pem,key=$MAIL_DIR/server.key" \
		"SYSTEM:sh $MAIL_DIR/ews.sh" 2>"$MAIL_DIR/socat.log" &
	MAIL_PIDS="$MAIL_PIDS $!"
	"$PROBE_NET" wait 10 "$EWS_PORT" || fail "the EWS listener did not start"
	EWS_URL="https://localhost:$EWS_PORT/EWS/Exchange.asmx"
	export EWS_URL
}

mailservers_start_silent() {
	mailservers_ports SILENT_PORT
	"$PROBE_NET" silent "$SILENT_PORT" 120 &
	MAIL_PIDS="$MAIL_PIDS $!"
	"$PROBE_NET" wait 10 "$SILENT_PORT" || fail "the silent listener did not start"
}

# The plain-text responder: one session of PROTO (smtp or imap) on stdin and
# stdout, each line received logged as "PROTO LINE" to the file LOG.
mailservers_plain_responder() {
	cat <<'EOF'
#!/bin/sh
proto=$1 log=$2
if [ "$proto" = smtp ]; then
	printf '220 plain.example.si ESMTP without TLS\r\n'
else
	printf '* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] plain.example.si without TLS\r\n'
fi
while IFS= read -r line; do
	line=$(printf '%s' "$line" | tr -d '\r')
	printf '%s %s\n' "$proto" "$line" >>"$log"
	tag=${line%% *}
	case "$proto ${line#* } $line" in
	"smtp "*" "[Ee][Hh][Ll][Oo]*) printf '250-plain.example.si\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n' ;;
	"smtp "*" "[Aa][Uu][Tt][Hh]\ *\ *) printf '235 2.7.0 Authentication successful\r\n' ;;
	"smtp "*" "[Aa][Uu][Tt][Hh]*) printf '334 \r\n'; read -r line; printf '235 2.7.0 Authentication successful\r\n' ;;
	"smtp "*" "[Qq][Uu][Ii][Tt]*) printf '221 2.0.0 Bye\r\n'; exit 0 ;;
	"smtp "*) printf '250 2.0.0 OK\r\n' ;;
	"imap "[Cc][Aa][Pp]*) printf '* CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR\r\n%s OK done\r\n' "$tag" ;;
	"imap "[Ll][Oo][Gg][Oo][Uu][Tt]*) printf '* BYE\r\n%s OK bye\r\n' "$tag"; exit 0 ;;
	*) printf '%s OK done\r\n' "$tag" ;;
	esac
done
EOF
}

mailservers_start_plain_auth() {
	command -v socat >/dev/null || fail "socat is not installed (make deps)"
	mailservers_ports PLAIN_SMTP_PORT PLAIN_IMAP_PORT
	PLAIN_LOG="$MAIL_DIR/plain.log"
	export PLAIN_LOG
	: >"$PLAIN_LOG"
	mailservers_plain_responder >"$MAIL_DIR/plain.sh"
	for p in smtp:$PLAIN_SMTP_PORT imap:$PLAIN_IMAP_PORT; do
		socat "TCP-LISTEN:${p#*:},bind=127.0.0.1,reuseaddr,fork" \
			"SYSTEM:sh $MAIL_DIR/plain.sh ${p%%:*} $PLAIN_LOG" 2>>"$MAIL_DIR/socat.log" &
		MAIL_PIDS="$MAIL_PIDS $!"
	done
	"$PROBE_NET" wait 10 "$PLAIN_SMTP_PORT" "$PLAIN_IMAP_PORT" ||
		fail "the plain-text servers did not start"
}

# The flood: a greeting, then "* OK and more" as fast as yes(1) can say it.
mailservers_flood() {
	printf '#!/bin/sh\nprintf %s\nexec yes %s\n' "'* OK flood.example.si ready\r\n'" "'* OK and more'"
}

mailservers_start_flood() {
	command -v socat >/dev/null || fail "socat is not installed (make deps)"
	mailservers_ports FLOOD_PORT
	mailservers_flood >"$MAIL_DIR/flood.sh"
	socat "TCP-LISTEN:$FLOOD_PORT,bind=127.0.0.1,reuseaddr,fork" "SYSTEM:sh $MAIL_DIR/flood.sh" \
		2>>"$MAIL_DIR/socat.log" &
	MAIL_PIDS="$MAIL_PIDS $!"
	"$PROBE_NET" wait 10 "$FLOOD_PORT" || fail "the flooding server did not start"
}
