#!/bin/sh
# views_cli.sh — views and filter short forms through the CLI, on a cache
# synced from the emulator: `mailboxes --view` selects what the emulator's
# own $filter selects (an independent reading), --view and --filter both
# apply, `mailboxes` alone stays unfiltered, the short forms the table
# prints select what their slugs select, and `view save/list/delete` keep
# a 0600 file in the configuration directory, refusing bad names, bad
# filters and built-in names with one line and the file untouched.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start
client_env
sim_token
run_rc 0 ec sync

# The emulator's count of mailboxes matching an OData $filter.
sim_count() {
	st=$(sim_req GET "mailboxes?\$select=name&\$count=true&\$filter=$1")
	[ "$st" = 200 ] || fail "sim \$filter=$1 answered $st"
	jv '@odata.count'
}
count() { ec mailboxes --json "$@" | $JSON_GET len .; }

total=$(sim_count 'statecode%20ge%200')
inactive=$(sim_count 'statecode%20eq%201')
[ "$inactive" -ge 1 ] && [ "$total" -gt "$inactive" ] || fail "demo: $inactive of $total inactive"
assert_eq "$total" "$(count)" "mailboxes without --view lists every mailbox"
assert_eq "$inactive" "$(count --view inactive)" "--view inactive"
assert_eq "$total" "$(count --view all)" "--view all"
assert_eq "$((total - inactive))" "$(count --view active)" "--view active"
sss_active=$(sim_count 'statecode%20eq%200%20and%20incomingemaildeliverymethod%20eq%202')
[ "$sss_active" -ge 1 ] || fail "no active mailbox receives by SSS"
# Both apply; the table's short form (sss, and the console's SSS) is the slug.
assert_eq "$sss_active" "$(count --view active --filter incoming:server-side-sync)" "view and filter"
assert_eq "$sss_active" "$(count --filter 'incoming:sss' --view active)" "incoming:sss"
assert_eq "$sss_active" "$(count --view active --filter 'incoming:SSS')" "incoming:SSS"
failing=$(sim_count 'statecode%20eq%200%20and%20(incomingemailstatus%20eq%202%20or%20outgoingemailstatus%20eq%202%20or%20actstatus%20eq%202)')
[ "$failing" -ge 1 ] || fail "no failing active mailbox in the demo"
assert_eq "$failing" "$(count --view failing)" "--view failing"
assert_eq "$failing" "$(count --view active --filter status:FAIL)" "status:FAIL"
pending=$(sim_count 'statecode%20eq%200%20and%20emailrouteraccessapproval%20eq%202')
assert_eq "$pending" "$(count --view pending-approval)" "--view pending-approval"
# What the table prints in IN and STATUS can be typed back as a filter.
row=$(ec mailboxes --view failing | sed -n 2p)
assert_contains "$row" "FAIL" "the table prints FAIL"
for v in queues users forward-mailboxes never-tested; do
	f=$(ec view list --json | $JSON_GET each . filter | sed -n "$(ec view list --json | $JSON_GET each . name | grep -n "^$v\$" | cut -d: -f1)p")
	assert_eq "$(count --filter "$f")" "$(count --view "$v")" "--view $v is its filter"
done
run_rc 2 ec mailboxes --view nosuch
assert_eq 1 "$(printf '%s\n' "$ERR" | wc -l)" "one line"
assert_contains "$ERR" "unknown view 'nosuch'; use one of: active, inactive, failing" "unknown view"

# Saved views: in $XDG_CONFIG_HOME/emailcfg/views (assert.sh points it at $T).
run_rc 0 ec view save my-sss 'incoming:sss'
assert_eq "" "$OUT" "a new view: nothing on stdout"
views="$XDG_CONFIG_HOME/emailcfg/views"
assert_eq 600 "$(stat -c %a "$views")" "the views file's mode"
assert_eq "$sss_active" "$(count --view my-sss --filter state:active)" "a saved view with a filter"
run_rc 0 ec view list --json
assert_eq my-sss "$(echo "$OUT" | $JSON_GET get .9.name)" "saved views follow the built-in ones"
assert_eq false "$(echo "$OUT" | $JSON_GET get .9.builtin)" "builtin: false"
assert_eq true "$(echo "$OUT" | $JSON_GET get .0.builtin)" "builtin: true"
# Saving under a saved view's name replaces it, and says so with the old
# filter (to undo by).
run_rc 0 ec view save my-sss 'incoming:sss type:user'
assert_eq "replaced view my-sss (was: incoming:sss)" "$OUT" "the replacement said on stdout"
run_rc 0 ec view save my-sss 'incoming:sss'
assert_eq "replaced view my-sss (was: incoming:sss type:user)" "$OUT" "and back"
cp "$views" "$T/views.before"
run_rc 2 ec view save active 'type:user'
assert_contains "$ERR" "'active' is a built-in view; save yours under another name" "built-in name"
run_rc 2 ec view save 'My View' 'type:user'
assert_contains "$ERR" "bad view name 'My View'" "bad name"
run_rc 2 ec view save mine 'incoming:sync'
assert_contains "$ERR" "unknown value 'sync' for the filter key 'incoming'; use one of: none, outlook, server-side-sync (SSS)" "bad filter"
run_rc 2 ec view save mine 'name:"open'
assert_contains "$ERR" "leaves a quote open" "open quote"
cmp -s "$views" "$T/views.before" || fail "a refused save changed the views file"
run_rc 2 ec view delete failing
run_rc 0 ec view delete my-sss
run_rc 2 ec mailboxes --view my-sss
run_rc 2 ec view delete my-sss
assert_contains "$ERR" "no saved view 'my-sss'" "deleted"
echo "views CLI: ok"
