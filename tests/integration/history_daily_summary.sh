#!/bin/sh
# history_daily_summary.sh — a day older than history-detail-days folds into
# one summary that keeps the day's worst failure counts: a 4-hour outage of
# 50 failing mailboxes that recovered before midnight still shows.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start --data none --generate 12 --seed 11
client_env
run_rc 0 ec sync
sqlite3 "$C" "INSERT INTO status_snapshots (taken_on, mailboxes, incoming_failure) VALUES \
(date('now', '-40 days') || 'T01:00:00Z', 60, 0), \
(date('now', '-40 days') || 'T02:00:00Z', 60, 50), \
(date('now', '-40 days') || 'T06:00:00Z', 60, 50), \
(date('now', '-40 days') || 'T23:00:00Z', 60, 0)"
run_rc 0 ec sync
peak=$(sqlite3 "$C" "SELECT max(incoming_failure) FROM status_snapshots WHERE daily")
assert_eq 50 "$peak" "the day's summary keeps the day's worst count"
