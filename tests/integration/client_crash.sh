#!/bin/sh
# client_crash.sh — SIGKILL `emailcfg mailbox set` and `emailcfg sync` at
# random moments (the emulator's latency widens the windows), then sync:
# the cache is intact and equals the organization, and every edit was
# applied exactly once or not at all — never twice.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start --data none --generate 400 --seed 11 --max-page 50 --latency 40
client_env
run_rc 0 ec sync

rand_ms() { # 0 .. $1-1
	echo $(($(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % $1))
}
kill_after() { # ms command...
	ms=$1
	shift
	"$@" >/dev/null 2>&1 &
	pid=$!
	sleep "$(printf '0.%03d' "$ms")"
	kill -9 $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
}

# Twenty distinct active mailboxes whose ACT is not none: set it to none.
run_rc 0 ec mailboxes --filter 'state:active -act:none -type:forward' --json
echo "$OUT" | $JSON_GET each . id | head -20 >"$T/ids"
assert_eq 20 "$(wc -l <"$T/ids")" "twenty mailboxes"
while read -r id; do
	kill_after "$(rand_ms 160)" ec mailbox set "$id" act=none
	kill_after "$(rand_ms 600)" ec sync
done <"$T/ids"

run_rc 0 ec sync
run_rc 0 sqlite3 "$C" 'PRAGMA integrity_check'
assert_eq ok "$OUT" "integrity"
run_rc 0 ec outbox --json
assert_eq "[]" "$OUT" "nothing left queued or in conflict after the final sync"

# What the organization has, read into a fresh cache.
C2=$T/fresh.db
run_rc 0 $EMAILCFG --org "$SIM_URL" --cache "$C2" sync
run_rc 0 $EMAILCFG --cache "$C2" mailboxes --json
printf '%s\n' "$OUT" >"$T/org.json"
run_rc 0 ec mailboxes --json
printf '%s\n' "$OUT" >"$T/ours.json"
cmp -s "$T/org.json" "$T/ours.json" || fail "the cache differs from the organization"

# Exactly once: never two accepted PATCHes for one mailbox; an edit whose
# value arrived has one.
sim_log_since 0
$JSON_GET each . method <"$SIM_BODY" >"$T/m"
$JSON_GET each . status <"$SIM_BODY" >"$T/s"
$JSON_GET each . uri <"$SIM_BODY" >"$T/u"
paste -d' ' "$T/m" "$T/s" "$T/u" | grep '^PATCH 200 ' >"$T/accepted" || true
applied=0
while read -r id; do
	n=$(grep -c "mailboxes($id)" "$T/accepted" || true)
	act=$($EMAILCFG --cache "$C2" mailbox "$id" --json | $JSON_GET get .act)
	[ "$n" -le 1 ] || fail "mailbox $id was written $n times"
	if [ "$act" = none ]; then
		applied=$((applied + 1))
		assert_eq 1 "$n" "an applied edit of $id was written once"
	else
		assert_eq 0 "$n" "an edit of $id that did not arrive was not written"
	fi
done <"$T/ids"
# The window that random kills rarely hit, made on purpose: the organization
# applied our change but the answer was lost before the outbox recorded it.
# The next push sees 412, finds the values there, and settles without a
# conflict or a second write.
id=$(sed -n 1p "$T/ids")
run_rc 0 ec --offline mailbox set "$id" act=outlook
assert_eq 200 "$(sim_ctl PATCH "mailboxes($id)" '{"actdeliverymethod":0}')" "applied behind"
before=$(sim_seq)
run_rc 0 ec sync
run_rc 0 ec outbox --json --all
assert_eq sent "$(echo "$OUT" | $JSON_GET get .0.state)" "settled as sent"
sim_log_since "$before"
$JSON_GET each . method <"$SIM_BODY" >"$T/m"
$JSON_GET each . status <"$SIM_BODY" >"$T/s"
assert_eq "PATCH 412" "$(paste -d' ' "$T/m" "$T/s" | grep '^PATCH' | tr '\n' ' ' | sed 's/ $//')" \
	"one conditional PATCH, refused, no second write"
echo "client crash: ok ($applied of 20 edits recorded before their kill and applied once)"
