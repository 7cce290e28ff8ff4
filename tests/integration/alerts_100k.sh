#!/bin/sh
# alerts_100k.sh — the alerts of a generated organization of 100,000
# mailboxes, synced from the emulator, group into a handful of causes (not
# one group per mailbox): `alerts --summary` counts every alert once, and
# the groups' mailboxes add up to the mailboxes with alerts, and --json
# lists at most 1000 ids per group.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start --data none --generate 100000 --seed 7
client_env
run_rc 0 ec sync
jout() { printf '%s\n' "$OUT" | $JSON_GET "$@"; }

run_rc 0 ec alerts --json
nalerts=$(jout len .)
[ "$nalerts" -gt 10000 ] || fail "expected tens of thousands of alerts, got $nalerts"
nmailboxes=$(jout each . mailbox_id | sort -u | wc -l)

run_rc 0 ec alerts --summary --json
ngroups=$(jout len .)
# generate.c writes one kind of alert per channel, all one cause
[ "$ngroups" -ge 1 ] && [ "$ngroups" -le 5 ] || fail "$nalerts alerts in $ngroups groups"
sum=0
mb=0
i=0
while [ $i -lt "$ngroups" ]; do
	sum=$((sum + $(jout get .$i.alerts)))
	mb=$((mb + $(jout get .$i.mailboxes)))
	i=$((i + 1))
done
assert_eq "$nalerts" "$sum" "every alert in one group"
# each group lists at most 1000 of its mailboxes' ids ("mailboxes" counts them)
i=0
while [ $i -lt "$ngroups" ]; do
	want=$(jout get .$i.mailboxes)
	[ "$want" -gt 1000 ] && want=1000
	assert_eq "$want" "$(jout len .$i.mailbox_ids)" "group $i's mailbox_ids bounded"
	i=$((i + 1))
done
assert_eq "$nmailboxes" "$mb" "every mailbox with alerts in its cause's group"
echo "alerts at 100,000 mailboxes: ok ($nalerts alerts, $ngroups groups)"
