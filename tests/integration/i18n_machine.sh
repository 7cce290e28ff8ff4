#!/bin/sh
# i18n_machine.sh — what scripts read stays the same whatever the language
# and locale (README "Languages": --json, --csv, check's status word and
# perfdata, the metrics exposition), each compared byte for byte with the
# C.UTF-8 output on an organization big enough (1200 mailboxes) for %'ld to
# group; and check's fractional thresholds read the same under sl_SI (whose
# LC_NUMERIC has a decimal comma). Every problem is listed, then it fails.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start --data none --generate 1200 --seed 7
client_env
run_rc 0 ec sync
export TZ=UTC
bad=""
problem() {
	echo "PROBLEM: $*"
	bad="$bad
$*"
}

for cmd in "status --json" "mailboxes --csv" "mailboxes --json" "history --csv" "alerts --summary --json" "profiles --json" "metrics"; do
	eval "LC_ALL=C.UTF-8 ec --offline $cmd" >"$T/c.out" 2>&1 || true
	for loc in "LC_ALL=en_US.UTF-8" "LANGUAGE=sl LC_ALL=sl_SI.UTF-8"; do
		eval "$loc ec --offline $cmd" >"$T/l.out" 2>&1 || true
		cmp -s "$T/c.out" "$T/l.out" ||
			problem "$cmd under $loc differs from C.UTF-8: $(diff "$T/c.out" "$T/l.out" | head -4 | tr '\n' ' ')"
	done
done

# check: a fractional threshold (the monitoring-plugin range syntax) reads
# the same in every locale
LC_ALL=C.UTF-8 ec --offline check --warning 10.5 --critical 20 >"$T/c.out" 2>&1 || true
LC_ALL=sl_SI.UTF-8 ec --offline check --warning 10.5 --critical 20 >"$T/l.out" 2>&1 || true
[ "$(head -1 "$T/c.out" | cut -d' ' -f2)" = "$(head -1 "$T/l.out" | cut -d' ' -f2)" ] ||
	problem "check --warning 10.5 under LC_ALL=sl_SI.UTF-8: $(head -1 "$T/l.out") (under C: $(head -1 "$T/c.out" | cut -c1-40))"
[ "$(head -1 "$T/c.out" | sed 's/.*|//')" = "$(head -1 "$T/l.out" | sed 's/.*|//')" ] ||
	problem "check perfdata under LC_ALL=sl_SI.UTF-8 differs from C.UTF-8"

[ -z "$bad" ] || fail "$bad"
echo "i18n_machine: ok"
