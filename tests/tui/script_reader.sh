#!/bin/sh
# script_reader.sh — the reader thread (core/cache/cache_view.c) against the UI
# thread, interleaved step by step with the reader held (:reader hold and
# :reader step): each keystroke of a `/` filter shows its first screenful
# at once with "... of N" while the count is outstanding; the count of an
# older filter that arrives after a newer keystroke is dropped, not shown;
# the count of the filter shown then arrives and replaces "...". Also the
# Alerts screen's groups come from the reader (shown "reading" while held),
# and with the reader running free (:reader async) a typed filter settles
# to the same screen as in the default mode that waits for the reader.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start
client_env
run_rc 0 ec sync

cat >"$T/held" <<'EOS'
:reader async
:reader hold
/a
:wait-held
:dump typed-a
n
:dump typed-an
:reader step
:wait-answer
:dump stale-dropped
:wait-held
:reader step
:wait-answer
:dump counted
:reader release
:wait-reader
<Enter>
<Esc>
:reader hold
4
:dump alerts-held
:reader release
:wait-reader
:dump alerts-read
q
EOS
tui_run 120x40 "$T/held" --offline --cache "$C"
# Active mailboxes (the console opens on the view active) whose name, email
# or owner contains "a" / "an", from the cache itself.
n_a=$($EMAILCFG --offline --cache "$C" mailboxes --view active --filter a --json | $JSON_GET len .)
n_an=$($EMAILCFG --offline --cache "$C" mailboxes --view active --filter an --json | $JSON_GET len .)
[ "$n_a" != "$n_an" ] || fail "the fixture needs filters a and an to differ ($n_a)"

typed_a=$(tui_dump typed-a)
assert_contains "$(echo "$typed_a" | sed -n 2p)" "... of 62 mailboxes  filter: state:active a " \
	"the first screenful of 'a' shown before its count"
assert_contains "$typed_a" "Ana Novak" "rows of 'a' shown while counting"
typed_an=$(tui_dump typed-an)
assert_contains "$(echo "$typed_an" | sed -n 2p)" "... of 62 mailboxes  filter: state:active an " \
	"the next keystroke shows its rows at once, still counting"
echo "$typed_an" | sed -n '4,30p' | grep -q "Matej Žužek" &&
	fail "a row that does not match 'an' is shown"
stale=$(tui_dump stale-dropped)
assert_contains "$(echo "$stale" | sed -n 2p)" "... of 62 mailboxes  filter: state:active an " \
	"the count of 'a' ($n_a), answered after 'an' was typed, is dropped"
counted=$(tui_dump counted)
assert_contains "$(echo "$counted" | sed -n 2p)" "$n_an of 62 mailboxes  filter: state:active an " \
	"the count of 'an' arrives"
assert_contains "$(tui_dump alerts-held)" "reading the alerts" "alert groups asked of the reader"
assert_contains "$(tui_dump alerts-read)" "Mailboxes  Cause" "alert groups arrived"

# The reader running free settles to what the waiting mode shows.
cat >"$T/free" <<'EOS'
:reader async
/an
:wait-reader
:dump free-an
q
EOS
tui_run 120x40 "$T/free" --offline --cache "$C"
assert_eq "$(echo "$counted" | sed -n 1,30p)" "$(tui_dump free-an | sed -n 1,30p)" \
	"async filter settles to the counted screen"
