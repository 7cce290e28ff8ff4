#!/bin/sh
# i18n_status_columns.sh — status in Slovenian: Organizacija, Zadnja
# sinhronizacija, Nabiralniki, Odobritve, Spremembe v čakanju and Opozorila
# read as one block, so their values start in one column although the
# channel table and the sign-in line split them into three blocks.
. tests/lib/assert.sh
set -e
F=tests/fixtures
$CACHE_LOAD "$T/c.db" --settings $F/organization.json --profiles $F/profiles.json \
	--mailboxes $F/mailboxes-page1.json --mailboxes $F/mailboxes-page2.json
unset EMAILCFG_LOCALEDIR
export TZ=UTC
bad=""
run_rc 0 env LC_ALL=C.UTF-8 LANGUAGE=sl $EMAILCFG --cache "$T/c.db" status
col() { # the character column where the value after LABEL starts
	printf '%s\n' "$OUT" | grep "^$1 " | head -1 | sed -E "s/^($1 +).*/\\1/" | tr -d '\n' | wc -m
}
want=$(col Organizacija)
for label in "Zadnja sinhronizacija" Nabiralniki Odobritve "Spremembe v čakanju" Opozorila; do
	got=$(col "$label")
	[ "$got" = "$want" ] || bad="$bad
status: '$label' value at column $got, 'Organizacija' value at $want"
done

[ -z "$bad" ] || fail "$bad"
echo "i18n_status_columns: ok"
