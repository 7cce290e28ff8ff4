#!/bin/sh
# monitoring_check_early_unknown.sh — `check` keeps the plugin exit codes
# (0-3) and its one status line whatever stops it, also a problem found
# before the command runs: the contrib Nagios/Icinga definitions pass
# --config /etc/emailcfg/config --org prod, and a missing or unreadable
# config or a missing [org prod] section today exits 5 with only a stderr
# line (Nagios: "Return code of 5 is out of bounds"); an unknown global
# option exits 2, which the monitoring system reads as CRITICAL.
. tests/lib/assert.sh
set -e
printf '[org other]\nurl = http://127.0.0.1:1\n' >"$T/config"
run_rc 3 $EMAILCFG --config "$T/missing" --org prod --cache "$T/c.db" check
assert_contains "$OUT" "EMAILCFG UNKNOWN" "a missing config: the UNKNOWN line"
run_rc 3 $EMAILCFG --config "$T/config" --org prod --cache "$T/c.db" check
assert_contains "$OUT" "EMAILCFG UNKNOWN" "no [org prod]: the UNKNOWN line"
run_rc 3 $EMAILCFG --no-such-global --cache "$T/c.db" check
