#!/bin/sh
# monitoring_metrics.sh — `emailcfg metrics` passes `promtool check metrics`
# and holds the numbers of `emailcfg status --json`; a profile name with '"',
# '\' and a newline is escaped as the format requires; --textfile writes
# DIR/emailcfg.prom atomically (0644, through a temporary name that is not
# a .prom, none left behind); the sync's outcome (last time, duration,
# errors); `sync --quiet` prints nothing on success and the error on failure.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
command -v promtool >/dev/null ||
	fail "promtool is missing: install the Debian package prometheus (make deps-check)"
sim_start
client_env

# sync --quiet: nothing at all on success.
run_rc 0 ec sync --quiet
assert_eq "" "$OUT" "sync --quiet: no stdout"
assert_eq "" "$ERR" "sync --quiet: no stderr"
run_rc 0 ec sync
assert_contains "$OUT" "synced: stored" "without --quiet the summary"

# metric NAME{LABELS} — its value.
metric() {
	awk -v k="$1" '$1 == k { print $2 }' "$T/m.prom"
}
run_rc 0 ec metrics
printf '%s\n' "$OUT" >"$T/m.prom"
promtool check metrics <"$T/m.prom" || fail "promtool check metrics: $(promtool check metrics <"$T/m.prom" 2>&1)"
$EMAILCFG --cache "$C" status --json >"$T/status.json"
for ch in incoming outgoing act; do
	for st in success failure not_run not_used; do
		assert_eq "$($JSON_GET get ".$ch.$st" <"$T/status.json")" \
			"$(metric "emailcfg_mailboxes{channel=\"$ch\",status=\"$st\"}")" "$ch $st"
	done
done
assert_eq "$($JSON_GET get .pending_approvals <"$T/status.json")" \
	"$(metric emailcfg_pending_approvals)" "pending approvals"
assert_eq "$($JSON_GET get .alerts.errors <"$T/status.json")" \
	"$(metric 'emailcfg_alerts{level="error"}')" "alert errors"
assert_eq "$($JSON_GET get .alerts.warnings <"$T/status.json")" \
	"$(metric 'emailcfg_alerts{level="warning"}')" "alert warnings"
assert_eq "$($JSON_GET get .queued_edits <"$T/status.json")" \
	"$(metric 'emailcfg_outbox_entries{state="queued"}')" "queued edits"
assert_eq "$($JSON_GET get .profiles <"$T/status.json")" "$(metric emailcfg_server_profiles)" \
	"profiles"
assert_eq "$($JSON_GET get .active <"$T/status.json")" \
	"$(metric 'emailcfg_mailboxes_by_state{state="active"}')" "active"
assert_eq 62 "$(grep '^emailcfg_mailboxes_by_approval{' "$T/m.prom" |
	awk '{ s += $NF } END { print s }')" "every mailbox has one approval"
assert_eq 60 "$(grep '^emailcfg_mailboxes_by_profile{' "$T/m.prom" |
	awk '{ s += $NF } END { print s }')" "mailboxes by profile (two have none)"
assert_eq 0 "$(metric emailcfg_sync_errors_total)" "no failed sync yet"
now=$(date +%s)
last=$(metric emailcfg_last_sync_timestamp_seconds)
[ $((now - last)) -ge 0 ] && [ $((now - last)) -lt 60 ] || fail "last sync $last, now $now"
expect_match "duration" '^[0-9]+\.[0-9]{3}$' "$(metric emailcfg_last_sync_duration_seconds)"
# Prometheus naming: the prefix, _total only on the counter.
assert_eq "" "$(grep '^# TYPE' "$T/m.prom" | grep -v ' emailcfg_' || true)" "emailcfg_ prefix"
assert_eq "emailcfg_sync_errors_total counter" \
	"$(grep '^# TYPE' "$T/m.prom" | grep -E '_total|counter' | cut -d' ' -f3-)" "one counter"

# A profile name with a double quote, a backslash, a newline and an escape
# sequence.
pid=$($EMAILCFG --cache "$C" profiles --json | $JSON_GET get .0.id)
assert_eq 200 "$(sim_ctl PATCH "emailserverprofiles($pid)" \
	'{"name":"Q\"uote \\back\nline\u001b[31m"}')" "rename the profile"
run_rc 0 ec sync --quiet
run_rc 0 ec metrics
printf '%s\n' "$OUT" >"$T/m.prom"
promtool check metrics <"$T/m.prom" || fail "promtool on the escaped name"
assert_contains "$OUT" "emailcfg_mailboxes_by_profile{profile=\"Q\\\"uote \\\\back\\nline^[[31m\",profile_id=\"$pid\"}" \
	"label value escaped, the escape character made visible"

# --textfile: the whole file, 0644, nothing else left in the directory.
mkdir "$T/tf"
run_rc 0 ec metrics --textfile "$T/tf"
assert_eq "" "$OUT" "--textfile: nothing on stdout"
assert_eq "emailcfg.prom" "$(ls -A "$T/tf")" "only the .prom in the directory"
assert_eq 644 "$(stat -c %a "$T/tf/emailcfg.prom")" "mode"
cmp -s "$T/m.prom" "$T/tf/emailcfg.prom" || fail "the file differs from stdout"
promtool check metrics <"$T/tf/emailcfg.prom" || fail "promtool on the textfile"
# A rename that cannot happen (a directory in the way): the error names the
# temporary file, which the collector ignores (not *.prom), and removes it.
rm "$T/tf/emailcfg.prom"
mkdir -p "$T/tf/emailcfg.prom/x"
run_rc 5 ec metrics --textfile "$T/tf"
tmpname=$(printf '%s\n' "$ERR" | sed -n 's/.*cannot rename \([^ ]*\) to .*/\1/p')
expect_match "temporary name" '/\.emailcfg\.prom\.[A-Za-z0-9]{6}$' "$tmpname"
assert_eq "emailcfg.prom" "$(ls -A "$T/tf")" "the temporary file removed"
run_rc 5 ec metrics --textfile "$T/no-such-dir"

# A failed sync: the error on stderr even with --quiet, counted in metrics.
sim_stop || true
run_rc 4 ec sync --quiet
assert_eq "" "$OUT" "failed sync --quiet: no stdout"
assert_contains "$ERR" "emailcfg: " "failed sync --quiet: the error"
run_rc 0 ec metrics
printf '%s\n' "$OUT" >"$T/m.prom"
assert_eq 1 "$(metric emailcfg_sync_errors_total)" "one failed sync"
[ "$(metric emailcfg_last_sync_attempt_timestamp_seconds)" -ge \
	"$(metric emailcfg_last_sync_timestamp_seconds)" ] || fail "the attempt after the success"
