#!/bin/sh
# i18n.sh — the Slovenian catalog: with LANGUAGE=sl the option labels are
# the product's Slovenian terms (Brez, Dynamics 365 za Outlook, Sinhronizacija
# na strani strežnika ali usmerjevalnik e-pošte, Posredovalni nabiralnik);
# --help, status and a mailbox read in Slovenian, with their values aligned
# however long the words; the catalog is found from the build tree with no
# variable set; JSON and slugs never change with the language.
. tests/lib/assert.sh
set -e
F=tests/fixtures
$CACHE_LOAD "$T/c.db" --settings $F/organization.json --profiles $F/profiles.json \
	--mailboxes $F/mailboxes-page1.json --mailboxes $F/mailboxes-page2.json
unset EMAILCFG_LOCALEDIR
sl() { LC_ALL=C.UTF-8 LANGUAGE=sl "$@"; }
run_rc 0 sl $EMAILCFG --cache "$T/c.db" mailbox alexw@contoso.com
assert_contains "$OUT" "Sinhronizacija na strani strežnika ali usmerjevalnik e-pošte" "SSS in Slovenian"
assert_contains "$OUT" "Dohodna e-pošta" "field label in Slovenian"
run_rc 0 sl $EMAILCFG --cache "$T/c.db" mailboxes --filter type:forward --json
id=$(echo "$OUT" | $JSON_GET get .0.id)
assert_eq none "$(echo "$OUT" | $JSON_GET get .0.outgoing)" "slugs stay English"
run_rc 0 sl $EMAILCFG --cache "$T/c.db" mailbox "$id"
assert_contains "$OUT" "Posredovalni nabiralnik" "forward mailbox in Slovenian"
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
# Values start in one column after the longest Slovenian label (bytes would
# misalign "Čas zadnje napake" by its two-byte letters).
run_rc 0 sl $EMAILCFG --cache "$T/c.db" mailbox alexw@contoso.com
col() { # the character column where LINE's value starts, after LABEL
	printf '%s\n' "$OUT" | grep "^  $1 " | head -1 | sed -E "s/^(  $1 +).*/\\1/" | tr -d '\n' | wc -m
}
assert_eq "$(col Ime)" "$(col 'Čas zadnje napake')" "mailbox values in one column"
assert_eq "$(col Ime)" "$(col 'Primarna organizacija za sinhronizacijo')" "after the longest label"

# --help in Slovenian, English without LANGUAGE.
run_rc 0 sl $EMAILCFG --help
assert_contains "$OUT" "Ukazi:" "help headings in Slovenian"
assert_contains "$OUT" "prikaže Nastavitve konfiguracije e-pošte" "a command's summary in Slovenian"
run_rc 0 sl $EMAILCFG mailboxes --help
assert_not_contains "$OUT" "Usage:" "a command's help in Slovenian"
run_rc 0 $EMAILCFG --help
assert_contains "$OUT" "Commands:" "English without LANGUAGE"

# status: translated labels and words, counts under their headers.
run_rc 0 sl $EMAILCFG --cache "$T/c.db" status
assert_contains "$OUT" "Nabiralniki" "status in Slovenian"
assert_not_contains "$OUT" "Approvals" "no English label left"
run_rc 0 $EMAILCFG --cache "$T/c.db" status
assert_contains "$OUT" "Approvals        " "English status as before"
echo "i18n: ok"
