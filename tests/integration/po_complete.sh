#!/bin/sh
# po_complete.sh — every string the sources mark for translation (and every
# cause and fix of data/alerts.tsv) has a Slovenian entry, none fuzzy: the
# template is generated afresh from the sources as make pot does, the
# committed catalog is merged into it, and msgfmt --statistics must count
# only translated messages. The committed po/emailcfg.pot must hold that
# template's messages (make pot was run after the last string change; the
# source line numbers of its "#:" comments may lag behind).
. tests/lib/assert.sh
set -e
mkdir -p "$T/po"
cp po/sl.po po/emailcfg.pot "$T/po/"
# make pot writes into po/; run its recipe on a copy of the catalogs.
make --no-print-directory -s pot PO_FILES="$T/po/sl.po" POT_OUT="$T/po/fresh.pot" >"$T/pot.log" 2>&1 ||
	fail "make pot failed: $(cat "$T/pot.log")"
grep -v -e '^"POT-Creation-Date' -e '^#:' "$T/po/fresh.pot" >"$T/fresh"
grep -v -e '^"POT-Creation-Date' -e '^#:' po/emailcfg.pot >"$T/committed"
diff -u "$T/committed" "$T/fresh" >"$T/pot.diff" ||
	fail "po/emailcfg.pot is not what the sources mark now: run make pot (and translate what it adds): $(head -40 "$T/pot.diff")"
stats=$(msgfmt --check --statistics -o /dev/null "$T/po/sl.po" 2>&1)
case "$stats" in
*untranslated* | *fuzzy*)
	msgattrib --untranslated --only-fuzzy "$T/po/sl.po" 2>/dev/null | grep '^msgid' | head -5 >&2 || true
	msgattrib --untranslated "$T/po/sl.po" | grep -A1 '^msgid' | head -20 >&2
	fail "po/sl.po is not complete: $stats"
	;;
esac
assert_contains "$stats" "translated messages" "statistics"
echo "po_complete: $stats"
