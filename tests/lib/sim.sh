# sim.sh — shell helpers for tests that talk to emailcfg-sim. Source it from
# the repository root:   . tests/lib/sim.sh
#
#   sim_start [ARGS...]   start ./emailcfg-sim --port 0 --port-file ... ARGS in
#                         the background; wait until it listens; export
#                         SIM_PORT, SIM_URL (http://127.0.0.1:PORT), SIM_API
#                         (SIM_URL/api/data/v9.2), SIM_PID, SIM_LOG (its stderr).
#                         Several sims may run; the variables describe the
#                         last one. Every sim is killed when the shell exits.
#   sim_stop              SIGTERM the last sim, wait; returns its exit status
#                         (non-zero also when a sanitizer reported a problem).
#   sim_token             get a token with the demo credentials: sets SIM_TOKEN.
#   sim_req METHOD URL [CURL_ARGS...]
#                         HTTP request with the bearer token (when SIM_TOKEN is
#                         set); URL may be relative to SIM_API. Body goes to
#                         $SIM_BODY, headers to $SIM_HEADERS; prints the status.
#   sim_ctl METHOD PATH [JSON]
#                         control endpoint /_sim/PATH; body to $SIM_BODY; prints
#                         the status.
#   sim_header NAME       value of a response header of the last request.
#   jv PATH [FILE]        JSON value at PATH of $SIM_BODY (or FILE) via $JGET.
#   fail MESSAGE          print "FAIL: MESSAGE" to stderr and exit 1.
#   expect_eq WHAT EXPECTED ACTUAL
#   expect_match WHAT PATTERN ACTUAL   (grep -E pattern)
#
# Demo credentials: SIM_TENANT, SIM_CLIENT_ID, SIM_CLIENT_SECRET.

SIM_BIN=${SIM_BIN:-./emailcfg-sim}
JGET=${JGET:-build/tests/jget}
SIM_TENANT=7f3a9c2e-4b1d-4e8f-9a6c-2d5e8b1f0c34
SIM_CLIENT_ID=b6e2f4a8-1c3d-4f5e-8a7b-9c0d1e2f3a4b
SIM_CLIENT_SECRET='kp8Q~Demo.Secret-Kovinoplast-2024'
SIM_TMP=$(mktemp -d "${TMPDIR:-/tmp}/emailcfg-sim-test.XXXXXX") || exit 1
SIM_BODY=$SIM_TMP/body
SIM_HEADERS=$SIM_TMP/headers
SIM_PIDS=""
SIM_N=0
SIM_TOKEN=""
export SIM_TMP SIM_BODY SIM_HEADERS JGET

[ -x "$SIM_BIN" ] || { echo "FAIL: $SIM_BIN is not built (make emailcfg-sim)" >&2; exit 1; }
[ -x "$JGET" ] || { echo "FAIL: $JGET is not built (make $JGET)" >&2; exit 1; }

sim__cleanup() {
	for p in $SIM_PIDS; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in $SIM_PIDS; do
		wait "$p" 2>/dev/null
	done
	rm -rf "$SIM_TMP"
}
# Also the mail servers of tests/lib/mailservers.sh when it was sourced first.
trap 'command -v mailservers_stop >/dev/null && mailservers_stop; sim__cleanup' EXIT
trap 'exit 130' INT TERM

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

expect_eq() {
	[ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
}

expect_match() {
	printf '%s\n' "$3" | grep -Eq -- "$2" || fail "$1: '$3' does not match /$2/"
}

sim_start() {
	SIM_N=$((SIM_N + 1))
	sim__pf=$SIM_TMP/port.$SIM_N
	SIM_LOG=$SIM_TMP/sim.$SIM_N.log
	"$SIM_BIN" --port 0 --port-file "$sim__pf" "$@" 2>"$SIM_LOG" &
	SIM_PID=$!
	SIM_PIDS="$SIM_PIDS $SIM_PID"
	sim__i=0
	while [ ! -s "$sim__pf" ]; do
		if ! kill -0 "$SIM_PID" 2>/dev/null; then
			cat "$SIM_LOG" >&2
			fail "emailcfg-sim $* exited before listening"
		fi
		sim__i=$((sim__i + 1))
		[ $sim__i -lt 600 ] || fail "emailcfg-sim did not write its port file"
		sleep 0.05
	done
	SIM_PORT=$(cat "$sim__pf")
	SIM_URL=http://127.0.0.1:$SIM_PORT
	SIM_API=$SIM_URL/api/data/v9.2
	SIM_TOKEN=""
	export SIM_PORT SIM_URL SIM_API SIM_PID SIM_LOG
}

sim_stop() {
	kill -TERM "$SIM_PID" 2>/dev/null
	wait "$SIM_PID"
	sim__rc=$?
	SIM_PIDS=$(echo "$SIM_PIDS" | tr ' ' '\n' | grep -vx "$SIM_PID" | tr '\n' ' ')
	if [ $sim__rc -ne 0 ]; then
		tail -n 40 "$SIM_LOG" >&2
	fi
	return $sim__rc
}

sim_token() {
	sim__st=$(curl -sS -o "$SIM_BODY" -w '%{http_code}' -X POST \
		"$SIM_URL/$SIM_TENANT/oauth2/v2.0/token" \
		--data-urlencode grant_type=client_credentials \
		--data-urlencode "client_id=$SIM_CLIENT_ID" \
		--data-urlencode "client_secret=$SIM_CLIENT_SECRET" \
		--data-urlencode "scope=$SIM_URL/.default")
	[ "$sim__st" = 200 ] || fail "token request answered $sim__st: $(cat "$SIM_BODY")"
	SIM_TOKEN=$("$JGET" "$SIM_BODY" access_token) || fail "no access_token"
}

sim_req() {
	sim__m=$1
	sim__u=$2
	shift 2
	case "$sim__u" in http*) ;; *) sim__u=$SIM_API/$sim__u ;; esac
	if [ -n "$SIM_TOKEN" ]; then
		curl -sS -g -o "$SIM_BODY" -D "$SIM_HEADERS" -w '%{http_code}' -X "$sim__m" \
			-H "Authorization: Bearer $SIM_TOKEN" -H 'Accept: application/json' \
			-H 'OData-MaxVersion: 4.0' -H 'OData-Version: 4.0' "$@" "$sim__u"
	else
		curl -sS -g -o "$SIM_BODY" -D "$SIM_HEADERS" -w '%{http_code}' -X "$sim__m" \
			-H 'Accept: application/json' "$@" "$sim__u"
	fi
}

sim_ctl() {
	if [ $# -ge 3 ]; then
		curl -sS -g -o "$SIM_BODY" -D "$SIM_HEADERS" -w '%{http_code}' -X "$1" \
			-H 'Content-Type: application/json' --data-binary "$3" "$SIM_URL/_sim/$2"
	else
		curl -sS -g -o "$SIM_BODY" -D "$SIM_HEADERS" -w '%{http_code}' -X "$1" \
			"$SIM_URL/_sim/$2"
	fi
}

sim_header() {
	tr -d '\r' <"$SIM_HEADERS" | grep -i "^$1:" | head -n 1 | sed 's/^[^:]*: *//'
}

jv() {
	"$JGET" "${2:-$SIM_BODY}" "$1"
}

# pct_decode STRING — percent-decodes one level (ASCII escapes) with awk.
pct_decode() {
	printf '%s\n' "$1" | awk '
	function hex(c) { return index("0123456789ABCDEF", toupper(c)) - 1 }
	{
		out = ""; s = $0
		while ((i = index(s, "%")) > 0) {
			out = out substr(s, 1, i - 1) sprintf("%c", hex(substr(s, i + 1, 1)) * 16 + hex(substr(s, i + 2, 1)))
			s = substr(s, i + 3)
		}
		print out s
	}'
}

# sim_page_all URL — follows every nextLink of a collection in pages of 5000
# (as a client does) and prints how many rows came back.
sim_page_all() {
	sim__url=$1
	sim__rows=0
	while [ -n "$sim__url" ]; do
		sim__st=$(sim_req GET "$sim__url" -H 'Prefer: odata.maxpagesize=5000')
		[ "$sim__st" = 200 ] || fail "page answered $sim__st"
		sim__rows=$((sim__rows + $(jv 'value/#')))
		sim__url=$(jv '@odata.nextLink') || sim__url=""
	done
	echo "$sim__rows"
}
