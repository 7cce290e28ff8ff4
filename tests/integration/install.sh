#!/bin/sh
# install.sh — `make install DESTDIR=...` copies the programs that were
# built, the data, the man pages, the Slovenian catalog and the bash and zsh
# completion scripts, and compiles nothing; the installed programs run from
# there and find their data and catalog relative to themselves (no install
# path is compiled in); `make uninstall` removes every file again.
. tests/lib/assert.sh
set -e
unset EMAILCFG_DATADIR EMAILCFG_LOCALEDIR
root="$T/root"
before=$(ls -l --time-style=+%s.%N emailcfg emailcfg-sim build/libemailcfg.a)
run_rc 0 make --no-print-directory install PREFIX=/opt/ec DESTDIR="$root"
assert_eq "$before" "$(ls -l --time-style=+%s.%N emailcfg emailcfg-sim build/libemailcfg.a)" \
	"make install rebuilt nothing"
case "$OUT" in *" -c "* | *"cc "*) fail "make install compiled: $OUT" ;; esac
for f in bin/emailcfg bin/emailcfg-sim share/emailcfg/demo-org.json \
	share/man/man1/emailcfg.1 share/man/man1/emailcfg-sim.1 \
	share/locale/sl/LC_MESSAGES/emailcfg.mo share/bash-completion/completions/emailcfg \
	share/zsh/site-functions/_emailcfg; do
	[ -f "$root/opt/ec/$f" ] || fail "make install did not install $f"
done
cmp -s emailcfg "$root/opt/ec/bin/emailcfg" || fail "the installed emailcfg is not the one built"

# Run from the installed tree, away from the source tree.
bin="$root/opt/ec/bin"
cp "$(pwd)/tests/fixtures/"*.json "$T/"
(cd / && "$bin/emailcfg" --version) >"$T/out" || fail "the installed emailcfg does not run"
assert_contains "$(cat "$T/out")" "emailcfg " "installed binary runs"
$CACHE_LOAD "$T/c.db" --settings "$T/organization.json" --profiles "$T/profiles.json" \
	--mailboxes "$T/mailboxes-page1.json"
id=$( (cd / && "$bin/emailcfg" --cache "$T/c.db" mailboxes --json) | $JSON_GET get .0.id)
# The catalog: found at ../share/locale from the binary.
out=$(cd / && LC_ALL=C.UTF-8 LANGUAGE=sl "$bin/emailcfg" --cache "$T/c.db" mailbox "$id")
assert_contains "$out" "Dohodna e-pošta" "the installed catalog is found"
# The demo organization: emailcfg-sim beside emailcfg, demo-org.json at
# ../share/emailcfg.
out=$(cd / && "$bin/emailcfg" --demo status --json) || fail "--demo from the installed tree: $out"
assert_eq 62 "$(echo "$out" | $JSON_GET get .mailboxes)" "--demo finds the installed demo data"
run_rc 0 man -l "$root/opt/ec/share/man/man1/emailcfg.1"

run_rc 0 make --no-print-directory uninstall PREFIX=/opt/ec DESTDIR="$root"
left=$(find "$root" -type f)
[ -z "$left" ] || fail "make uninstall left: $left"
echo "install: ok"
