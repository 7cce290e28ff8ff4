#!/bin/sh
# alerts_profile_groups.sh — an alert about a server profile (the demo's
# "More than 50 percent of the mailboxes that use the email server profile
# ... failed") names the profile, not its GUID, in `alerts`, and its group in
# `alerts --summary` stands for the profile's failing mailboxes (as the
# Profiles screen's F): counted, listed in --json's bounded "mailbox_ids",
# and selected by the filter key cause:SLUG, which selects the mailboxes of
# any cause (cause:approval) and names the causes when given a wrong one.
. tests/lib/assert.sh
set -e
jout() { printf '%s\n' "$OUT" | $JSON_GET "$@"; }
ids_of() { jout get "$1" | tr -d '[]" ' | tr , '\n' | sed '/^$/d' | sort; } # an array of strings
PROFILE=47794251-4922-561f-982f-a82d47e51a97 # the demo's "POP3/SMTP – stari strežnik"

# The list names the profile where a mailbox's name would be.
run_rc 0 $EMAILCFG --demo alerts
row=$(printf '%s\n' "$OUT" | grep 'More than 50 percent')
assert_contains "$row" "server profile POP3/SMTP" "the profile named"
assert_not_contains "$row" "47794251" "no GUID for a cached profile"

# Its group counts and lists the profile's failing mailboxes.
run_rc 0 $EMAILCFG --demo mailboxes --json --filter "profile:$PROFILE status:failure"
jout each . id | sort >"$T/failing"
nfailing=$(wc -l <"$T/failing")
[ "$nfailing" -ge 1 ] || fail "the demo's profile should have failing mailboxes"
run_rc 0 $EMAILCFG --demo alerts --summary --json
i=0
while [ "$(jout get .$i.cause)" != profile-wide ]; do
	i=$((i + 1))
	[ $i -lt "$(jout len .)" ] || fail "no profile-wide group"
done
assert_eq "$nfailing" "$(jout get .$i.mailboxes)" "the profile-wide group's mailboxes"
ids_of .$i.mailbox_ids >"$T/ids"
assert_eq "$(cat "$T/failing")" "$(cat "$T/ids")" "its mailbox_ids are the profile's failing ones"
run_rc 0 $EMAILCFG --demo alerts --summary
assert_contains "$(printf '%s\n' "$OUT" | grep 'Many mailboxes on one server profile')" \
	"warning      $nfailing " "the table counts them too"

# cause:SLUG selects the same mailboxes; cause:approval those of its group.
run_rc 0 $EMAILCFG --demo mailboxes --json --filter cause:profile-wide
jout each . id | sort >"$T/by-cause"
assert_eq "$(cat "$T/failing")" "$(cat "$T/by-cause")" "cause:profile-wide"
run_rc 0 $EMAILCFG --demo alerts --summary --json
j=0
while [ "$(jout get .$j.cause)" != approval ]; do j=$((j + 1)); done
napproval=$(jout get .$j.mailboxes)
ids_of .$j.mailbox_ids >"$T/approval-ids"
run_rc 0 $EMAILCFG --demo mailboxes --json --filter "CAUSE:Approval"
jout each . id | sort >"$T/approval-filter"
assert_eq "$napproval" "$(wc -l <"$T/approval-filter")" "cause:approval's mailboxes"
assert_eq "$(cat "$T/approval-ids")" "$(cat "$T/approval-filter")" "the same mailboxes"
run_rc 0 $EMAILCFG --demo mailboxes --json --filter "-cause:approval cause:approval"
assert_eq 0 "$(jout len .)" "a negated cause excludes"

# A wrong cause: one line naming the causes.
run_rc 2 $EMAILCFG --demo mailboxes --filter cause:aproval
assert_eq 1 "$(printf '%s\n' "$ERR" | wc -l)" "one line"
assert_contains "$ERR" "unknown cause 'aproval'" "the wrong value named"
assert_contains "$ERR" "approval, approval-rejected" "the causes listed"
run_rc 2 $EMAILCFG --demo mailboxes --filter cause:
assert_contains "$ERR" "needs a value" "an empty cause"

# mailbox_ids is bounded: 1500 mailboxes of one cause list the first 1000.
C=$T/big.db
{
	printf '{"value":['
	n=1
	while [ $n -le 1500 ]; do
		[ $n -gt 1 ] && printf ','
		id=$(printf '00000000-0000-4000-8000-%012d' $n)
		printf '{"tracelogid":"%s","text":"Email cannot be received because the email address of the mailbox M%d requires an approval by an Office 365 administrator.","level":3,"tracecode":1,"tracestatus":false,' "$id" $n
		printf '"_regardingobjectid_value@Microsoft.Dynamics.CRM.lookuplogicalname":"mailbox","_regardingobjectid_value":"%s","createdon":"2026-01-01T00:00:00Z","modifiedon":"2026-01-01T00:00:00Z"}' "$id"
		n=$((n + 1))
	done
	printf ']}'
} >"$T/big.json"
$CACHE_LOAD "$C" --alerts "$T/big.json"
run_rc 0 $EMAILCFG --cache "$C" alerts --summary --json
assert_eq 1500 "$(jout get .0.mailboxes)" "every mailbox counted"
assert_eq 1000 "$(jout len .0.mailbox_ids)" "at most 1000 ids listed"
assert_eq "00000000-0000-4000-8000-000000000001" "$(jout get .0.mailbox_ids.0)" "the first by id"
echo "alerts about profiles: ok"
