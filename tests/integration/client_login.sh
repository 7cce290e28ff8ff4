#!/bin/sh
# client_login.sh — device-code sign-in against the emulator's Entra
# endpoints, with no app registration secret: `emailcfg login` shows the
# address and the code on stderr and polls at the interval given (never so
# fast that the emulator says slow_down); the refresh token lands in
# $XDG_STATE_HOME/emailcfg (0700 directories, a 0600 file) and serves later
# commands; `status` names the user; a declined or expired code, a revoked
# or expired refresh token and a missing sign-in give exit 4 with what to
# do; two processes refreshing at once both keep the sign-in (the emulator
# spends a refresh token on use, so a shared one would be lost); `logout`
# forgets; slow_down slows the polls by 5 s; no token the emulator issued is in the SQLite cache, on stderr
# or in a file name; auth = windows against it names what it offers; auth and
# api-version values are checked.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
USER_NAME=ana@kovinoplast.example
sim_start --device-interval 1 --refresh-delay 300
export EMAILCFG_AUTHORITY="$SIM_URL"
# As ~/.local/state on a new account: none of it exists yet.
export XDG_STATE_HOME="$T/home/.local/state"
C=$T/cache.db
ALL_ERR=$T/all-stderr
: >"$ALL_ERR"

keep_err() { printf '%s\n' "$ERR" >>"$ALL_ERR"; }

# login_end STATUS — waits (at most 30 s) for the login and checks its exit
# status.
login_end() {
	i=0
	while kill -0 "$LOGIN_PID" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 300 ]; then
			kill "$LOGIN_PID"
			fail "login still polling after 30 s: $(cat "$T/login.err")"
		fi
		sleep 0.1
	done
	set +e
	wait "$LOGIN_PID"
	got=$?
	set -e
	ERR=$(cat "$T/login.err")
	keep_err
	[ "$got" = "$1" ] || fail "login exited $got, expected $1: $ERR"
}

# Not signed in yet: a command says how to sign in.
run_rc 4 ec sync
assert_contains "$ERR" "not signed in to $SIM_URL" "no sign-in"
assert_contains "$ERR" "run emailcfg login" "no sign-in: what to do"

# Signing in: the address and the code on stderr, the user approves.
login_start
assert_contains "$(cat "$T/login.err")" "open $SIM_URL/devicelogin" "verification address shown"
sleep 1.5 # a couple of polls while the sign-in is pending
[ "$(signin_approve "$CODE")" = 204 ] ||
	fail "approve: $(cat "$SIM_BODY")"
login_end 0
assert_contains "$ERR" "Signed in as $USER_NAME to $SIM_URL" "login says who"
sim_ctl GET signin >/dev/null
[ "$(jv polls)" -ge 2 ] || fail "login polled $(jv polls) times"
assert_eq 0 "$(jv slow_down)" "polls honoured the interval (no slow_down)"

# The sign-in cache: private directories, a private file, per user.
S=$XDG_STATE_HOME/emailcfg
assert_eq 700 "$(stat -c %a "$S")" "state directory mode"
assert_eq 700 "$(stat -c %a "$S/signin")" "signin directory mode"
F=$(find "$S/signin" -type f ! -name .lock)
assert_eq 1 "$(printf '%s\n' "$F" | wc -l)" "one sign-in file"
assert_eq 600 "$(stat -c %a "$F")" "sign-in file mode"
assert_contains "$F" "$USER_NAME" "the file is the user's"

# Later commands refresh silently (-v: every request logged, no token);
# status says who is signed in, until when. A state directory others can
# read is made private again.
chmod 755 "$S"
run_rc 0 ec -v sync
keep_err
assert_contains "$ERR" "POST $SIM_URL/organizations/oauth2/v2.0/token" "-v logs the refresh"
assert_eq 700 "$(stat -c %a "$S")" "state directory made private again"
run_rc 0 ec status
assert_contains "$OUT" "Signed in as $USER_NAME to $SIM_URL until 20" "status names the user"

# Two processes refreshing at once: the emulator spends each refresh token
# when it is used, so both succeed only if they take turns.
for round in 1 2 3; do
	ec sync >"$T/a.out" 2>"$T/a.err" &
	a=$!
	ec sync >"$T/b.out" 2>"$T/b.err" &
	b=$!
	wait $a || fail "round $round: first sync failed: $(cat "$T/a.err")"
	wait $b || fail "round $round: second sync failed: $(cat "$T/b.err")"
	cat "$T/a.err" "$T/b.err" >>"$ALL_ERR"
done
run_rc 0 ec sync
keep_err
assert_eq "" "$(find "$S/signin" -name '.new.*')" "no temporary files left by rotation"

# A sign-in file others can read is refused, not used.
chmod 644 "$F"
run_rc 5 ec sync
assert_contains "$ERR" "readable by others" "loose sign-in file refused"
chmod 600 "$F"

# No token the emulator issued is in the SQLite cache, on stderr or in the
# names of the sign-in files (only inside the one 0600 file).
sim_ctl GET signin >/dev/null
n=$(jv 'issued/#')
[ "$n" -ge 10 ] || fail "only $n tokens issued"
ls -laR "$S" >"$T/listing"
i=0
while [ $i -lt "$n" ]; do
	tok=$(jv "issued/$i")
	for f in "$C" "$C-wal" "$ALL_ERR" "$T/listing"; do
		[ -f "$f" ] || continue
		if grep -qF -- "$tok" "$f"; then fail "a token is in $f"; fi
	done
	i=$((i + 1))
done

# A revoked refresh token: exit 4, sign in again.
sim_ctl POST signin/revoke >/dev/null
run_rc 4 ec sync
assert_contains "$ERR" "expired or been revoked" "revoked refresh token"
assert_contains "$ERR" "run emailcfg login" "revoked: what to do"
keep_err

# Declined and expired codes.
login_start
sim_ctl POST signin/deny "{\"user_code\":\"$CODE\"}" >/dev/null
login_end 4
assert_contains "$ERR" "declined" "declined code"
login_start
sim_ctl POST signin/expire-code "{\"user_code\":\"$CODE\"}" >/dev/null
login_end 4
assert_contains "$ERR" "code expired" "expired code"

# Sign in again; then the refresh token expires.
login_start
signin_approve "$CODE" >/dev/null
login_end 0
run_rc 0 ec sync
sim_ctl POST signin/expire-refresh >/dev/null
run_rc 4 ec sync
assert_contains "$ERR" "run emailcfg login" "expired refresh token"

# logout forgets; --all forgets every organization.
run_rc 0 ec logout
assert_contains "$ERR" "Forgot the sign-in to $SIM_URL" "logout"
run_rc 0 ec status
assert_not_contains "$OUT" "Signed in" "status after logout"
run_rc 4 ec sync
assert_contains "$ERR" "not signed in" "sync after logout"
run_rc 0 ec logout --all
assert_eq "" "$(find "$S/signin" -type f ! -name .lock)" "no sign-in files left"

# The modes and versions that are not (yet) there.
# (auth = windows: client_windows_*.sh, where no ticket says kinit; here
# the server takes bearer tokens only, and says so.)
EMAILCFG_AUTH=windows EMAILCFG_API_VERSION=9.2 KRB5CCNAME=FILE:$T/no-ccache run_rc 4 ec sync
assert_contains "$ERR" "the server offers Bearer, not Windows authentication" \
	"windows against a bearer-token server"
EMAILCFG_AUTH=kerberos run_rc 2 ec sync
assert_contains "$ERR" "one of client-secret, device-code, windows, adfs" "unknown auth"
EMAILCFG_API_VERSION=9.2/../x run_rc 2 ec sync
assert_contains "$ERR" "api-version" "api-version checked"
sim_stop

# slow_down: the next poll comes 5 s later than the interval (one slow_down
# answer only: a poll sooner than interval + 5 s would get another).
sim_start --device-interval 1 --device-slow-down 1
export EMAILCFG_AUTHORITY="$SIM_URL"
login_start
signin_approve "$CODE" >/dev/null
login_end 0
sim_ctl GET signin >/dev/null
assert_eq 1 "$(jv slow_down)" "slow_down made the client wait 5 s more"
assert_eq 2 "$(jv polls)" "polls after slow_down"
sim_stop
echo "client login: ok"
