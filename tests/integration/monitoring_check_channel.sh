#!/bin/sh
# monitoring_check_channel.sh — with --channel the perfdata label "failing"
# keeps its meaning (every channel), beside the channel's own count.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start --data none --generate 12 --seed 11
client_env
run_rc 0 ec sync
run_rc 0 ec check
overall=$(printf '%s\n' "$OUT" | sed -n '1s/.*| failing=\([0-9]*\);.*/\1/p')
assert_eq 1 "$overall" "one mailbox fails (incoming) in the generated organization"
run_rc 0 ec check --channel outgoing --warning 0
echo "$OUT"
perf=$(printf '%s\n' "$OUT" | sed -n '1s/.*| failing=\([0-9]*\);.*/\1/p')
assert_eq "$overall" "$perf" "the perfdata label failing keeps its meaning under --channel"
