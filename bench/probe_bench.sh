#!/bin/sh
# probe_bench.sh — Test & Enable's connectivity stage at scale: 1,000
# mailboxes (each an IMAP and an SMTP probe over STARTTLS, with a login and a
# logout) against real local servers (tests/lib/mailservers.sh: Dovecot IMAP
# and submission, one passwd-file user per mailbox), run with concurrency 1
# and 32. Prints the wall time, probes/s and mailboxes/s of each run.
#
#   sh bench/probe_bench.sh [MAILBOXES]      from the top of the tree, after make
#
# Touches only a temporary directory and loopback ports.
set -eu
cd "$(dirname "$0")/.."
. tests/lib/assert.sh
. tests/lib/mailservers.sh
PROBE_RUN=${PROBE_RUN:-build/tests/tools/probe-run}
[ -x "$PROBE_RUN" ] || fail "$PROBE_RUN is missing (make $PROBE_RUN)"
boxes=${1:-1000}

mailservers_add_users "$boxes"
mailservers_start
i=1
while [ "$i" -le "$boxes" ]; do
	n=$(printf '%04d' "$i")
	echo "imap:starttls:127.0.0.1:$IMAP_PORT box$n@example.si pw-$n"
	echo "smtp:starttls:127.0.0.1:$SMTP_PORT box$n@example.si pw-$n"
	i=$((i + 1))
done >"$T/targets"
chmod 600 "$T/targets"

# Warm up Dovecot's login and mail processes, then measure.
head -n 64 "$T/targets" >"$T/warm"
"$PROBE_RUN" --ca-file "$MAIL_CA" --concurrency 8 --targets "$T/warm" >/dev/null 2>&1 || true
echo "probe_bench: $boxes mailboxes, IMAP + SMTP (STARTTLS, login, logout) each, $(nproc) cores"
for c in 1 32; do
	line=$("$PROBE_RUN" --ca-file "$MAIL_CA" --concurrency "$c" --timeout-ms 30000 \
		--targets "$T/targets" --summary | tail -n 1)
	set -- $line # probes N ok N failed N wall_ms N per_s N
	[ "$6" = 0 ] || fail "concurrency $c: $6 probes failed"
	awk -v c="$c" -v n="$2" -v ms="$8" -v boxes="$boxes" 'BEGIN {
		printf "concurrency %2d: %d probes in %.2f s = %.0f probes/s, %.0f mailboxes/s\n",
		       c, n, ms / 1000, n / (ms / 1000), boxes / (ms / 1000) }'
done
