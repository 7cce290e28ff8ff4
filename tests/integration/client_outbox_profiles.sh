#!/bin/sh
# client_outbox_profiles.sh — a server-profile edit is kept and compared by
# the profile's id, never its name: moving a mailbox to another profile of
# the same name is an edit; a profile named "None" chosen by id is that
# profile, not "no profile"; a profile renamed on the organization neither
# turns a saved edit into a conflict nor makes a kept conflict unresolvable.
# The outbox shows the cached profile's name. An entry queued by an older
# emailcfg (the profile's name as value) is still sent to that profile.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start
client_env
run_rc 0 ec sync

org_profile() {
	sim_ctl GET "mailboxes($1)" >/dev/null
	jv _emailserverprofile_value
}

run_rc 0 ec mailboxes --filter 'type:user state:active act:server-side-sync outgoing:server-side-sync' --json
user=$(echo "$OUT" | $JSON_GET get .0.id)
[ -n "$user" ] && [ "$user" != null ] || fail "no suitable user mailbox in the demo data"
run_rc 0 ec mailbox "$user" --json
cur=$(echo "$OUT" | $JSON_GET get .server_profile_id)
sim_ctl GET "emailserverprofiles($cur)" >/dev/null
stype=$(jv servertype)
cur_name=$(jv name)

# Two profiles with the same name: moving the mailbox to the other one (by
# id) is an edit, sent and saved.
assert_eq 201 "$(sim_ctl POST emailserverprofiles "{\"name\":\"$cur_name\",\"servertype\":$stype}")" \
	"a second profile of the same name"
twin=$(jv id)
run_rc 0 ec sync
run_rc 0 ec mailbox set "$user" server-profile="$twin"
assert_contains "$OUT" "saved" "the move to the twin is an edit"
assert_eq "$twin" "$(org_profile "$user")" "the organization has the twin"
run_rc 0 ec mailbox set "$user" server-profile="$cur"
assert_contains "$OUT" "saved" "and back"
assert_eq "$cur" "$(org_profile "$user")" "the organization has the first one again"

# A profile named "None", chosen by id: queued as its id, shown by its name,
# sent as that profile (not as "no profile").
assert_eq 201 "$(sim_ctl POST emailserverprofiles "{\"name\":\"None\",\"servertype\":$stype}")" \
	"a profile named None"
none=$(jv id)
run_rc 0 ec sync
run_rc 0 ec --offline mailbox set "$user" server-profile="$none"
assert_contains "$OUT" "queued" "queued offline"
assert_eq "{\"server-profile\":\"$none\"}" "$(sqlite3 "$C" "select changes from outbox where state='queued'")" \
	"the outbox keeps the id"
assert_eq "{\"server-profile\":\"$cur\"}" "$(sqlite3 "$C" "select base from outbox where state='queued'")" \
	"and the base's id"
run_rc 0 ec outbox --json
assert_eq None "$(echo "$OUT" | $JSON_GET get '.0.changes.server_profile')" "outbox --json shows the name"
run_rc 0 ec outbox
assert_contains "$OUT" 'Microsoft Exchange Online → None' "the outbox table shows the profiles by name"
run_rc 0 ec sync
assert_eq "$none" "$(org_profile "$user")" "the organization has the profile named None"
run_rc 0 ec outbox --json
assert_eq "[]" "$OUT" "nothing left queued"

# The target profile renamed on the organization: the edit is saved, not a
# conflict.
p2=$(sqlite3 "$C" "select id from profiles where id not in ('$cur', '$none', '$twin') and state=0 limit 1")
[ -n "$p2" ] || fail "no third active profile in the demo data"
assert_eq 200 "$(sim_ctl PATCH "emailserverprofiles($p2)" '{"name":"Renamed on the org"}')" "rename"
run_rc 0 ec mailbox set "$user" act=none server-profile="$p2"
assert_contains "$OUT" "saved" "a rename of the profile is no conflict"
assert_eq "$p2" "$(org_profile "$user")" "the organization has the renamed profile"

# A kept conflict on the profile (the organization moved the mailbox to the
# twin meanwhile), the profile renamed (and synced) before --mine: still sent
# by id.
assert_eq 200 "$(sim_ctl PATCH "mailboxes($user)" "{\"_emailserverprofile_value\":\"$twin\"}")" \
	"moved behind our back"
run_rc 3 ec mailbox set "$user" server-profile="$cur"
run_rc 0 ec outbox --json
entry=$(echo "$OUT" | $JSON_GET get .0.id)
assert_eq conflict "$(echo "$OUT" | $JSON_GET get .0.state)" "a conflict (the profile)"
assert_eq "$cur_name" "$(echo "$OUT" | $JSON_GET get '.0.conflict.mine.server_profile')" "mine by name"
assert_eq "$(sqlite3 "$C" "select name from profiles where id='$p2'")" \
	"$(echo "$OUT" | $JSON_GET get '.0.conflict.base.server_profile')" "base by its cached name"
assert_eq 200 "$(sim_ctl PATCH "emailserverprofiles($cur)" '{"name":"Also renamed"}')" "rename mine"
run_rc 0 ec sync
run_rc 0 ec outbox resolve "$entry" --mine
assert_eq "$cur" "$(org_profile "$user")" "--mine sent the profile by id"

# An entry queued by an older emailcfg holds the profile's name: still sent
# to that profile.
run_rc 0 ec --offline mailbox set "$user" act=none server-profile="$p2"
sqlite3 "$C" "update outbox set changes='{\"act\":\"none\",\"server-profile\":\"Renamed on the org\"}', base='{\"act\":\"server-side-sync\",\"server-profile\":\"Also renamed\"}' where state='queued'"
run_rc 0 ec outbox --json
assert_eq "Renamed on the org" "$(echo "$OUT" | $JSON_GET get '.0.changes.server_profile')" "a name shows as is"
run_rc 0 ec sync
assert_eq "$p2" "$(org_profile "$user")" "an old entry's name is resolved"

# The organization's default profile goes by id too.
run_rc 0 ec settings set server-profile="$none"
run_rc 0 ec settings --json
assert_eq None "$(echo "$OUT" | $JSON_GET get '.server_profile')" "settings --json shows the name"
org=$(sqlite3 "$C" "select id from settings")
assert_eq 200 "$(sim_ctl GET "organizations($org)")" "the organization's row"
assert_eq "$none" "$(jv _defaultemailserverprofileid_value)" "the organization's default is the profile named None"
assert_eq "{\"server-profile\":\"$none\"}" "$(sqlite3 "$C" "select changes from outbox where entity='organization'")" \
	"kept as its id"
echo "server profiles by id in the outbox: ok"
