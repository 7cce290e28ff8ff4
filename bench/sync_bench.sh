#!/bin/sh
# sync_bench.sh — benchmark: emailcfg against 100,000 generated mailboxes on
# the emulator (--generate 100000 --seed 7).
#   S2  the first full sync into an empty cache against a curl walk of the
#       same pages (the client's own $select and headers), side by side in
#       this run: the ratio of the medians of wall time;
#   S3  the peak memory of that sync;
#   S4  the cache file after it;
#   S5a an incremental sync with 100 mailboxes changed (the deletion pass
#       included); S5b the same again with nothing changed; S5c the rows an
#       incremental sync reads again after a bulk change of 20,000 has been
#       synced once (the second sync after the change). S5a-S5c run with
#       change tracking on, as a Dataverse mailbox table offers it (the
#       incremental sync follows its delta link); S5d and S5e are S5a and
#       S5b with the emulator's tracking off (the version-listing path).
# Prints bench_result lines (bench/lib.sh) and commentary.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. bench/lib.sh
set -e
sim_start --data none --generate 100000 --seed 7 -v
client_env
sim_token
ANN='odata.include-annotations="OData.Community.Display.V1.FormattedValue,Microsoft.Dynamics.CRM.lookuplogicalname,Microsoft.Dynamics.CRM.associatednavigationproperty"'
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# curl_walk URL: every page of a collection as the client reads it.
curl_walk() {
	url=$1
	while [ -n "$url" ]; do
		curl -sS -g -o "$T/page" -H "Authorization: Bearer $SIM_TOKEN" \
			-H 'Accept: application/json' -H 'OData-MaxVersion: 4.0' -H 'OData-Version: 4.0' \
			-H 'If-None-Match: null' -H "Prefer: odata.maxpagesize=5000,$ANN" "$url"
		url=$(tail -c 4096 "$T/page" | sed -n 's/.*"@odata.nextLink":"\([^"]*\)".*/\1/p')
	done
}

# sync_full CACHE: a full sync into an empty cache; sets BENCH_MS, BENCH_KB.
sync_full() {
	rm -f "$1" "$1-wal" "$1-shm"
	bench_time $EMAILCFG --org "$SIM_URL" --cache "$1" -q sync --full
}

# The first pages the client reads (its $select lists), from the sim's log.
sync_full "$T/probe.db"
firsts=$(sed -n 's/^GET \(\/api\/data\/v9.2\/[a-z]*?\$select=[^ ]*\$count=true\) 200 .*/\1/p' "$SIM_LOG" |
	sort -u)
[ -n "$firsts" ] || fail "no page requests in the sim's log"

# Five pairs, not three: a sync is two threads and the emulator on two
# cores, and this machine's neighbours move single runs by a third.
walks="" syncs="" rss=""
for i in 1 2 3 4 5; do
	t0=$(now_ms)
	for f in $firsts; do curl_walk "$SIM_URL$f"; done
	walks="$walks $(($(now_ms) - t0))"
	sync_full "$C"
	syncs="$syncs $BENCH_MS"
	rss="$rss $BENCH_KB"
done
walk=$(bench_median $walks)
sync=$(bench_median $syncs)
echo "sync: curl walk of the client's pages:$walks ms; sync --full:$syncs ms; peak RSS:$rss KB"
bench_result S2 "sync --full of 100,000 into an empty cache / curl walk of the same pages, same run" \
	"$(bench_ratio "$sync" "$walk")" x "≤ 1.2"
bench_result S3 "peak RSS of sync --full, 100,000" "$(($(bench_median $rss) / 1024))" MB "≤ 48"
bench_result S4 "cache file with 100,000 mailboxes" \
	"$(awk -v b="$(wc -c <"$C")" 'BEGIN { printf "%.1f", b / 1048576 }')" MB "≤ 100"

# change_rows FIRST COUNT NAME: PATCH mailboxes FIRST..FIRST+COUNT-1 (in the
# cache's id order) through the sim's control endpoint, one curl process.
ids=$(sqlite3 "$C" "SELECT id FROM mailboxes ORDER BY id")
change_rows() {
	echo "$ids" | sed -n "$1,$(($1 + $2 - 1))p" |
		sed "s|.*|url = \"$SIM_URL/_sim/mailboxes(&)\"\\noutput = /dev/null|" >"$T/curlcfg"
	curl -sS -g -X PATCH -H 'Content-Type: application/json' --data-binary "{\"name\":\"$3\"}" \
		-K "$T/curlcfg"
}
# incremental PREFIX: S5a/S5b-style runs; sets a and b (ms lists).
incremental() {
a="" b=""
for i in 1 2 3; do
	change_rows $((i * 1000)) 100 "$1 $i"
	bench_time $EMAILCFG --org "$SIM_URL" --cache "$C" -q sync
	a="$a $BENCH_MS"
	out=$($EMAILCFG --org "$SIM_URL" --cache "$C" sync)
	case "$out" in *"stored 0 mailboxes"*) ;; *) fail "nothing changed, yet: $out" ;; esac
	bench_time $EMAILCFG --org "$SIM_URL" --cache "$C" -q sync
	b="$b $BENCH_MS"
done
echo "sync ($1): 100 changed:$a ms; nothing changed:$b ms"
$EMAILCFG --cache "$C" mailboxes --filter "name:\"$1 3\"" --json >"$T/changed"
assert_eq 100 "$(build/tests/tools/json-get len . <"$T/changed")" "the 100 changed rows arrived"
}
incremental Changed
[ -n "$(sqlite3 "$C" "SELECT value FROM meta WHERE key = 'delta_link.mailboxes'")" ] ||
	fail "no delta link kept: S5a/S5b did not follow one"
bench_result S5a "incremental sync, 100 of 100,000 changed (deletion pass included)" \
	"$(bench_ms_to_s "$(bench_median $a)")" s "≤ 1"
bench_result S5b "incremental sync, nothing changed" "$(bench_ms_to_s "$(bench_median $b)")" s \
	"≤ 0.2"

t0=$(now_ms)
change_rows 50000 20000 "Bulk"
echo "sync: bulk change of 20,000 through the control endpoint: $(($(now_ms) - t0)) ms"
first=$($EMAILCFG --org "$SIM_URL" --cache "$C" sync | sed -n 's/.*stored \([0-9]*\) mailboxes.*/\1/p')
second=$($EMAILCFG --org "$SIM_URL" --cache "$C" sync | sed -n 's/.*stored \([0-9]*\) mailboxes.*/\1/p')
echo "sync: after a bulk change of 20,000: the first sync stored $first, the second $second"
assert_eq 20000 "$first" "the bulk change arrived"
bench_result S5c "rows re-read by the second incremental sync after a bulk change of 20,000" \
	"$second" rows "≤ 0"

# The version-listing path: tracking off (the first sync drops the link).
assert_eq 200 "$(sim_ctl POST track '{"all":false}')" "tracking off"
$EMAILCFG --org "$SIM_URL" --cache "$C" -q sync 2>/dev/null
incremental Listed
[ -z "$(sqlite3 "$C" "SELECT value FROM meta WHERE key = 'delta_link.mailboxes'")" ] ||
	fail "a delta link kept with tracking off"
bench_result S5d "incremental sync without change tracking (version listing), 100 of 100,000 changed" \
	"$(bench_ms_to_s "$(bench_median $a)")" s "≤ 1"
bench_result S5e "incremental sync without change tracking, nothing changed" \
	"$(bench_ms_to_s "$(bench_median $b)")" s "≤ 0.2"
