#!/bin/sh
# i18n_locale.sh — dates and numbers follow the locale in human output: under
# LC_ALL=sl_SI.UTF-8 a time reads "07. 12. 2026 10:00:00"; a count groups its
# thousands where the locale does (en_US "1,200"; glibc's sl_SI groups none,
# so "1200"); under C.UTF-8 (every other test) they stay "2026-12-07
# 10:00:00" and "1200". JSON keeps ISO UTC and plain numbers in every locale.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start --data none --generate 1200 --seed 7
client_env
run_rc 0 ec sync
export TZ=UTC

LC_ALL=en_US.UTF-8 run_rc 0 ec status
assert_contains "$OUT" "1,200 (" "thousands grouped as en_US groups them"
LC_ALL=sl_SI.UTF-8 run_rc 0 ec status
assert_contains "$OUT" "1200 (" "sl_SI: glibc groups no thousands"
LC_ALL=C.UTF-8 run_rc 0 ec status
assert_contains "$OUT" "1200 (" "C: no grouping"

LC_ALL=sl_SI.UTF-8 run_rc 0 ec history
line=$(echo "$OUT" | sed -n 2p)
echo "$line" | grep -Eq '^[0-9]{2}\. [0-9]{2}\. [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} ' ||
	fail "a sync's time in the sl_SI order: $line"
LC_ALL=C.UTF-8 run_rc 0 ec history
line=$(echo "$OUT" | sed -n 2p)
echo "$line" | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} ' ||
	fail "a sync's time in the ISO order under C: $line"

# The other human outputs with a time: status's last sync, a mailbox's times
# (LC_ALL=sl_SI.UTF-8 also speaks Slovenian: the labels are its).
LC_ALL=sl_SI.UTF-8 run_rc 0 ec status
echo "$OUT" | grep -Eq '^Zadnja sinhronizacija +[0-9]{2}\. [0-9]{2}\. [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}$' ||
	fail "status's last sync in the sl_SI order: $(echo "$OUT" | grep '^Zadnja sinhronizacija')"
id=$(LC_ALL=C.UTF-8 ec mailboxes --csv | sed -n 2p | cut -d, -f1)
LC_ALL=sl_SI.UTF-8 run_rc 0 ec mailbox "$id"
echo "$OUT" | grep -Eq '^  Spremenjeno +[0-9]{2}\. [0-9]{2}\. [0-9]{4} ' ||
	fail "a mailbox's time in the sl_SI order: $(echo "$OUT" | grep 'Spremenjeno')"
LC_ALL=C.UTF-8 run_rc 0 ec mailbox "$id"
echo "$OUT" | grep -Eq '^  Modified on +[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$' ||
	fail "a mailbox's time as stored under C: $(echo "$OUT" | grep 'Modified on')"

LC_ALL=sl_SI.UTF-8 run_rc 0 ec history --json
assert_contains "$OUT" 'Z"' "JSON keeps ISO UTC"
LC_ALL=en_US.UTF-8 run_rc 0 ec status --json
assert_contains "$OUT" '"mailboxes":1200,' "JSON numbers stay plain"
echo "i18n_locale: ok"
