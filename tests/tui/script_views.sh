#!/bin/sh
# script_views.sh — views in the console (script mode, 100x30): it opens on
# the view active (Dynamics 365's default) with the view's title and the
# filter as it applies in the header; v picks a built-in or saved view (a
# view saved by the CLI appears); a typed filter applies with the view;
# Tab completes filter keys and values and cycles; ? lists every value;
# inactive mailboxes are dimmed, and marked in words in ASCII without colour
# (100x40, so the help shows in two pages).
# Counts and names come from the CLI on the same cache.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start
client_env
run_rc 0 ec sync
run_rc 0 ec view save my-queues 'type:queue'

count() { ec mailboxes --json "$@" | $JSON_GET len .; }
total=$(count)
active=$(count --view active)
inactive=$(count --view inactive)
queues_sss=$(count --view my-queues --filter incoming:server-side-sync)
first_inactive=$(ec mailboxes --view inactive --json | $JSON_GET get .0.name)
# The second is not under the selection, so its own colour role shows.
second_inactive=$(ec mailboxes --view inactive --json | $JSON_GET get .1.name)
[ "$inactive" -ge 2 ] && [ "$queues_sss" -ge 1 ] || fail "demo: $inactive inactive, $queues_sss queues by SSS"

cat >"$T/views" <<'EOS'
:wait-idle
:dump views-start
v
:dump views-picker
<Down>
<Enter>
:dump views-inactive
v
<Down><Down><Down><Down><Down><Down><Down><Down><Down>
<Enter>
:dump views-saved
/inc<Tab>
:dump views-tab1
<Tab>
:dump views-tab2
<Tab>
:dump views-tab3
s<Tab>
:dump views-tab4
<Tab>
<Enter>
:dump views-filtered
?
<PgDn>
:dump views-help
<End>
:dump views-help-end
q
EOS
tui_run 100x40 "$T/views" --offline --cache "$C"
line2() { tui_dump "$1" | sed -n 2p; }
assert_contains "$(line2 views-start)" "Active Mailboxes  $active of $total mailboxes  filter: state:active  sort" "opens on active"
tui_dump views-start | grep -q "$first_inactive" && fail "an inactive mailbox in the view active"
assert_contains "$(tui_dump views-picker)" "Inactive Mailboxes                 inactive" "the picker lists built-in views"
assert_contains "$(tui_dump views-picker)" "my-queues                          type:queue" "and saved ones"
assert_contains "$(line2 views-inactive)" "Inactive Mailboxes  $inactive of $total mailboxes  filter: state:inactive  sort" "v, Down, Enter: inactive"
assert_contains "$(tui_dump views-inactive)" "$first_inactive" "the inactive mailbox listed"
# Dimmed ('d' in the attribute dump) where its name is drawn.
row=$(tui_dump views-inactive | grep -n "$second_inactive" | cut -d: -f1)
assert_eq "ddd" "$(sed -n "${row}p" "$D/views-inactive.attr" | cut -c4-6)" "the inactive name is dimmed"
assert_contains "$(line2 views-saved)" "my-queues  " "a saved view by its name"
assert_contains "$(line2 views-saved)" "filter: type:queue  sort" "its filter as it applies"
assert_contains "$(tui_dump views-tab1)" "/incoming:  " "Tab completes a key"
assert_contains "$(tui_dump views-tab2)" "/incoming-status:  " "Tab again: the next key"
assert_contains "$(tui_dump views-tab3)" "/incoming:  " "and round again"
assert_contains "$(tui_dump views-tab4)" "/incoming:server-side-sync" "Tab completes a value"
assert_contains "$(line2 views-filtered)" "my-queues  $queues_sss of $total mailboxes  filter: type:queue incoming:SSS  sort" "Tab again: the short form; view and filter both apply"
help=$(tui_dump views-help; tui_dump views-help-end)
assert_contains "$help" "none, outlook, server-side-sync (SSS), forward-mailbox" "? lists incoming's values"
assert_contains "$help" "status           any of the three channels" "? lists status"
assert_contains "$help" "not-run, success (ok), failure (FAIL)" "and its values"
assert_contains "$(tui_dump views-help-end)" "forward-mailboxes Forward Mailboxes" "? lists the views"
for d in views-start views-picker views-inactive views-saved views-tab4 views-filtered views-help views-help-end; do
	tui_expect "$d"
done

# Without colour and UTF-8 an inactive mailbox says so in words.
printf ':wait-idle\nv\n<Down>\n<Enter>\n:dump views-ascii-inactive\nq\n' >"$T/ascii"
LC_ALL=C NO_COLOR=1 tui_run 100x30 "$T/ascii" --offline --cache "$C"
assert_eq "$inactive" "$(tui_dump views-ascii-inactive | grep -c '^   \[inactive\] ')" "marked in ASCII/mono"
tui_expect views-ascii-inactive
# A saved view edited by hand into a bad filter is refused when picked; the
# view shown stays.
printf 'broken\tcolour:red\n' >>"$XDG_CONFIG_HOME/emailcfg/views"
printf ':wait-idle\nv\n<Down><Down><Down><Down><Down><Down><Down><Down><Down><Down>\n<Enter>\n:dump views-broken\nq\n' >"$T/broken"
tui_run 100x30 "$T/broken" --offline --cache "$C"
assert_contains "$(tui_dump views-broken)" "the view broken is not a valid filter: unknown filter key 'colour'" "a bad saved view"
assert_contains "$(line2 views-broken)" "Active Mailboxes  $active of $total" "the view shown stays"
echo "console views: ok"
