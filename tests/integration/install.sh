#!/bin/sh
# install.sh — `make install PREFIX=/usr DESTDIR=...` puts the programs, the
# data, the man pages and the Slovenian catalog where they belong, and the
# installed emailcfg runs (its schema and alert table are compiled in).
. tests/lib/assert.sh
set -e
run_rc 0 make --no-print-directory install PREFIX=/usr DESTDIR="$T/root"
for f in usr/bin/emailcfg usr/bin/emailcfg-sim usr/share/emailcfg/demo-org.json \
	usr/share/man/man1/emailcfg.1 usr/share/man/man1/emailcfg-sim.1 \
	usr/share/locale/sl/LC_MESSAGES/emailcfg.mo; do
	[ -f "$T/root/$f" ] || fail "make install did not install $f"
done
run_rc 0 "$T/root/usr/bin/emailcfg" --version
assert_contains "$OUT" "emailcfg" "installed binary runs"
run_rc 0 "$T/root/usr/bin/emailcfg" --cache "$T/c.db" status --json
assert_eq 0 "$(echo "$OUT" | $JSON_GET get .mailboxes)" "installed binary opens a cache"
run_rc 0 man -l "$T/root/usr/share/man/man1/emailcfg.1"
# Every command of the command table is documented in the man page.
for c in sync settings mailboxes mailbox approve test status alerts outbox; do
	grep -q "^\.BR $c" man/emailcfg.1 || grep -q "^\.BR \"[a-z]* *$c" man/emailcfg.1 ||
		fail "man/emailcfg.1 lacks $c"
done
echo "install: ok"
