# client.sh — helpers for tests that run ./emailcfg against emailcfg-sim
# (sourced after tests/lib/sim.sh and tests/lib/assert.sh).
#
#   client_env            point emailcfg at the last sim started: the demo
#                         credentials in the environment, the sim as authority
#   ec ARGS...            ./emailcfg --org $SIM_URL --cache $C ARGS...
#   sim_log_since SEQ     the sim's request log after SEQ (JSON array in $SIM_BODY)
#   sim_seq               the sequence number of the sim's latest request
#   login_start [CMD]     `CMD login` (CMD: ec) in the background until it shows
#                         its code: $CODE, $LOGIN_PID
#   signin_approve [CODE] the sim's user $USER_NAME approves the device code
#                         (CODE, else the latest); the HTTP status on stdout

C=$T/cache.db

client_env() {
	export EMAILCFG_TENANT="$SIM_TENANT" EMAILCFG_CLIENT_ID="$SIM_CLIENT_ID"
	export EMAILCFG_CLIENT_SECRET="$SIM_CLIENT_SECRET" EMAILCFG_AUTHORITY="$SIM_URL"
}

ec() {
	$EMAILCFG --org "$SIM_URL" --cache "$C" "$@"
}

sim_seq() {
	sim_ctl GET "requests" >/dev/null
	n=$($JSON_GET len . <"$SIM_BODY")
	if [ "$n" -eq 0 ]; then echo 0; else $JSON_GET get ".$((n - 1)).seq" <"$SIM_BODY"; fi
}

sim_log_since() {
	sim_ctl GET "requests?since=$1" >/dev/null
}

# login_start [CMD] — `CMD login` (CMD: ec) in the background; waits for its code.
login_start() {
	[ $# -gt 0 ] || set -- ec
	rm -f "$T/login.err" # not the last login's code
	"$@" login >"$T/login.out" 2>"$T/login.err" &
	LOGIN_PID=$!
	i=0
	until grep -q "enter the code" "$T/login.err" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "login showed no code: $(cat "$T/login.err")"
		sleep 0.1
	done
	CODE=$(sed -n 's/.*enter the code \([A-Z0-9]*\).*/\1/p' "$T/login.err")
	[ -n "$CODE" ] || fail "no code in: $(cat "$T/login.err")"
}

# signin_approve [CODE] — the user approves a device code at the sim.
signin_approve() {
	if [ -n "${1:-}" ]; then
		sim_ctl POST signin/approve "{\"user_code\":\"$1\",\"user\":\"$USER_NAME\"}"
	else
		sim_ctl POST signin/approve "{\"user\":\"$USER_NAME\"}"
	fi
}
