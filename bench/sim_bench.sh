#!/bin/sh
# sim_bench.sh — benchmark: emailcfg-sim serving 100,000 generated mailboxes
# (--generate 100000 --seed 7) the way the client reads them: the client's
# $select (core/codec/codec_rows.c's MAILBOX_COLUMNS), $count=true, and its Prefer
# header (pages of 5,000 with every annotation, core/client/dataverse.c), walked
# with curl from the first page to the last nextLink.
#
#   S1   the median of 3 walks: the time curl spends on the 20 pages
#        (its own time_total, summed; the shell between pages not counted)
#   S1b  the emulator's CPU time (user + system, /proc/PID/stat) for the
#        same walks, median; the emulator and the client share two cores,
#        so it must stay a small part of a client benchmark's figures
#        (docs/testing.md says why 0.5 s)
#
# Also prints the start-up time (generating the rows until listening).
. tests/lib/sim.sh
. bench/lib.sh

# The client's mailbox columns, in its order, from the table it builds them from.
select=$(sed -n '/^#define MAILBOX_COLUMNS/,/^$/p' core/codec/codec_rows.c |
	grep -o 'X0*([a-z_]*,' | sed 's/^X0*(//; s/,$//' | paste -sd, -)
prefer='Prefer: odata.maxpagesize=5000,odata.include-annotations="OData.Community.Display.V1.FormattedValue,Microsoft.Dynamics.CRM.lookuplogicalname,Microsoft.Dynamics.CRM.associatednavigationproperty"'
grep -q 'Microsoft.Dynamics.CRM.associatednavigationproperty' core/client/dataverse.c ||
	fail "core/client/dataverse.c no longer asks for the annotations this benchmark sends"

now_ms() { echo $(($(date +%s%N) / 1000000)); }
# cpu_ticks: the emulator's user + system time so far, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$SIM_PID/stat"; }
tick=$(getconf CLK_TCK)

t0=$(now_ms)
sim_start --data none --generate 100000 --seed 7
t1=$(now_ms)
echo "sim: generate 100000: start-up $((t1 - t0)) ms"
sim_token

# walk: fetches every page; sets WALK_S (curl's time, seconds), WALK_CPU
# (the emulator's CPU seconds), WALK_PAGES and WALK_LAST (rows of the last
# page: every other page is full, tests/sim/paging.sh makes sure, and
# counting 15 MB in the shell would take longer than the walk).
walk() {
	url="$SIM_API/mailboxes?\$select=$select&\$count=true"
	WALK_S=0
	WALK_PAGES=0
	c0=$(cpu_ticks)
	while [ -n "$url" ]; do
		t=$(curl -sS -g -o "$SIM_TMP/page" -w '%{http_code} %{time_total}' \
			-H "Authorization: Bearer $SIM_TOKEN" -H 'Accept: application/json' \
			-H 'OData-MaxVersion: 4.0' -H 'OData-Version: 4.0' -H "$prefer" "$url") ||
			fail "curl failed on page $((WALK_PAGES + 1))"
		[ "${t% *}" = 200 ] || fail "page $((WALK_PAGES + 1)) answered ${t% *}"
		WALK_S=$(awk -v a="$WALK_S" -v b="${t#* }" 'BEGIN { printf "%.6f", a + b }')
		WALK_PAGES=$((WALK_PAGES + 1))
		# The nextLink is the page's last member; reading only the tail
		# keeps the walk from parsing 15 MB pages in the shell.
		url=$(tail -c 4096 "$SIM_TMP/page" | grep -o '"@odata.nextLink":"[^"]*"' |
			sed 's/^"@odata.nextLink":"//; s/"$//')
	done
	WALK_LAST=$(grep -o '"@odata.etag"' "$SIM_TMP/page" | wc -l)
	WALK_CPU=$(awk -v t="$(($(cpu_ticks) - c0))" -v hz="$tick" 'BEGIN { printf "%.2f", t / hz }')
}

walls=
cpus=
for run in 1 2 3; do
	walk
	expect_eq "pages of walk $run" 20 "$WALK_PAGES"
	expect_eq "rows of the last page of walk $run" 5000 "$WALK_LAST"
	echo "sim: walk $run: curl ${WALK_S} s, emulator CPU ${WALK_CPU} s, $(stat -c %s "$SIM_TMP/page") bytes in the last page"
	walls="$walls $WALK_S"
	cpus="$cpus $WALK_CPU"
done
sim_stop || fail "emailcfg-sim did not exit cleanly"
wall=$(printf '%.2f' "$(bench_median $walls)")
bench_result S1 "emulator serves 100,000 mailboxes with annotations, pages of 5,000, to curl" \
	"$wall" s "≤ 2.5"
bench_result S1b "emulator CPU (user + system) for that walk of 100,000 mailboxes" \
	"$(bench_median $cpus)" s "≤ 0.5"
