#!/bin/sh
# client_faults.sh — sync under the emulator's faults: throttling is waited
# out no sooner than Retry-After; 503s, dropped connections and truncated
# bodies are retried to completion, or fail with one clear line and leave the
# cache as it was.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e

# 429 every 3rd request, Retry-After 1 s: the sync completes and every
# retry came at least a second after its 429.
sim_start --data none --generate 1200 --seed 3 --max-page 100 --throttle-every 3 --retry-after 1
client_env
run_rc 0 ec sync
assert_contains "$ERR" "throttled by the organization, retrying in 1 s" "wait reported"
run_rc 0 ec mailboxes --json
assert_eq 1200 "$(echo "$OUT" | $JSON_GET len .)" "all rows despite throttling"
sim_log_since 0
n=$($JSON_GET len . <"$SIM_BODY")
i=0
throttled=0
while [ $i -lt $((n - 1)) ]; do
	st=$($JSON_GET get .$i.status <"$SIM_BODY")
	if [ "$st" = 429 ]; then
		throttled=$((throttled + 1))
		t0=$($JSON_GET get .$i.t_ms <"$SIM_BODY")
		t1=$($JSON_GET get .$((i + 1)).t_ms <"$SIM_BODY")
		uri0=$($JSON_GET get .$i.uri <"$SIM_BODY")
		uri1=$($JSON_GET get .$((i + 1)).uri <"$SIM_BODY")
		assert_eq "$uri0" "$uri1" "the throttled request is retried next"
		[ $((t1 - t0)) -ge 1000 ] || fail "retried after $((t1 - t0)) ms, before Retry-After"
	fi
	i=$((i + 1))
done
[ $throttled -ge 3 ] || fail "expected several 429s, saw $throttled"
sim_stop

# 503 every 4th request: retried with backoff, completes.
sim_start --data none --generate 700 --seed 4 --max-page 100 --fail-every 4
client_env
rm -f "$C"
run_rc 0 ec sync
assert_contains "$ERR" "answered 503, retrying" "503 reported"
run_rc 0 ec mailboxes --json
assert_eq 700 "$(echo "$OUT" | $JSON_GET len .)" "all rows despite 503s"
sim_stop

# Dropped connections and truncated bodies: completes, or fails with one
# line and an unchanged cache.
for fault in --drop-every --truncate-every; do
	sim_start --data none --generate 700 --seed 5 --max-page 100 $fault 4
	client_env
	rm -f "$C"
	set +e
	ec sync >"$T/out" 2>"$T/err"
	rc=$?
	set -e
	if [ $rc -eq 0 ]; then
		run_rc 0 ec mailboxes --json
		assert_eq 700 "$(echo "$OUT" | $JSON_GET len .)" "all rows despite $fault"
	else
		assert_eq 4 "$rc" "$fault failure exit code"
		assert_eq 1 "$(grep -v -e retrying -e 'reading it again' "$T/err" | grep -c .)" \
			"$fault: one line"
		run_rc 0 sqlite3 "$C" 'PRAGMA integrity_check'
		assert_eq ok "$OUT" "$fault: cache intact"
	fi
	sim_stop
done

# A fault on every request: the sync gives up with one line; the cache keeps
# what it had, rows and watermarks alike.
sim_start --data none --generate 50 --seed 6
client_env
rm -f "$C"
run_rc 0 ec sync
run_rc 0 ec mailboxes --json
printf '%s\n' "$OUT" >"$T/before.json"
marks=$(sqlite3 "$C" 'select entity, watermark from sync_state order by entity')
assert_eq 200 "$(sim_ctl POST config '{"truncate_every":1}')" "faults on"
assert_eq 200 "$(sim_ctl PATCH "mailboxes($(echo "$OUT" | $JSON_GET get .0.id))" '{"name":"Renamed"}')" "a change"
run_rc 4 ec sync
assert_contains "$ERR" "malformed JSON" "truncation named"
assert_eq 1 "$(printf '%s\n' "$ERR" | grep -v 'reading it again' | grep -c .)" "one line"
run_rc 0 ec mailboxes --json
printf '%s\n' "$OUT" >"$T/after.json"
cmp -s "$T/before.json" "$T/after.json" || fail "a failed sync changed the cache"
assert_eq "$marks" "$(sqlite3 "$C" 'select entity, watermark from sync_state order by entity')" \
	"watermarks unchanged"
echo "client faults: ok"
