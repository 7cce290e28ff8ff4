#!/bin/sh
# i18n.sh — the Slovenian catalog: with LANGUAGE=sl the option labels are
# the terms of the product's Slovenian documentation (Brez, Dynamics 365 za Outlook, Strežniška
# sinhronizacija ali e-poštni usmerjevalnik, Nabiralnik za posredovanje);
# JSON and slugs never change with the language.
. tests/lib/assert.sh
set -e
F=tests/fixtures
$CACHE_LOAD "$T/c.db" --settings $F/organization.json --profiles $F/profiles.json \
	--mailboxes $F/mailboxes-page1.json --mailboxes $F/mailboxes-page2.json
sl() { LC_ALL=C.UTF-8 LANGUAGE=sl EMAILCFG_LOCALEDIR=build/locale "$@"; }
run_rc 0 sl $EMAILCFG --cache "$T/c.db" mailbox alexw@contoso.com
assert_contains "$OUT" "Strežniška sinhronizacija ali e-poštni usmerjevalnik" "SSS in Slovenian"
assert_contains "$OUT" "Dohodna e-pošta" "field label in Slovenian"
run_rc 0 sl $EMAILCFG --cache "$T/c.db" mailboxes --filter type:forward --json
id=$(echo "$OUT" | $JSON_GET get .0.id)
assert_eq none "$(echo "$OUT" | $JSON_GET get .0.outgoing)" "slugs stay English"
run_rc 0 sl $EMAILCFG --cache "$T/c.db" mailbox "$id"
assert_contains "$OUT" "Nabiralnik za posredovanje" "forward mailbox in Slovenian"
assert_contains "$OUT" "Brez" "None in Slovenian"
run_rc 0 $EMAILCFG --cache "$T/c.db" mailbox "$id"
assert_contains "$OUT" "Forward Mailbox" "English without LANGUAGE"
# Every label of the option tables has a Slovenian translation.
for label in "None" "Microsoft Dynamics 365 for Outlook" "Server-Side Synchronization or Email Router" \
	"Forward Mailbox" "Not Run" "Success" "Failure" "Pending Approval" "Approved" "Rejected"; do
	grep -q "^msgid \"$label\"" po/sl.po || fail "no Slovenian for '$label'"
done
# View titles are translated in the table, never in JSON.
run_rc 0 sl $EMAILCFG view list
assert_contains "$OUT" "inactive           Neaktivni nabiralniki" "a view's title in Slovenian"
run_rc 0 sl $EMAILCFG view list --json
assert_eq "Inactive Mailboxes" "$(echo "$OUT" | $JSON_GET get .1.title)" "JSON titles stay English"
echo "i18n: ok"
