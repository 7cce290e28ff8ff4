#!/bin/sh
# cli_docs_keys.sh — docs/cli.md and the man page list every key of
# `settings set`, `mailbox set` and `profile set` with every value, as the
# commands' --help prints them from the key tables (core/codec/keys.c): the
# docs' tables (key, values, what it sets; the organization column is free
# text) are the --help lines in order, and the man page's KEYS section has
# each KEY=VALUES line under its command. A key added to a table and not to
# the documents fails here (cli_help.sh ties --help to the tables).
. tests/lib/assert.sh
set -e

# The man page as text, wide enough that no key line is broken.
LC_ALL=C MANWIDTH=250 man -l man/emailcfg.1 2>/dev/null | sed 's/^ *//' >"$T/man"
grep -q '^KEYS$' "$T/man" || fail "man/emailcfg.1 has no KEYS section"

for cmd in settings mailbox profile; do
	run_rc 0 $EMAILCFG "$cmd" set --help
	# --help's "  KEY=V1|V2" and the line under it, as docs/cli.md's first three cells.
	echo "$OUT" | awk '/^  [a-z0-9-]+=/ {
		sub(/^  /, ""); key = $0; sub(/=.*/, "", key); v = $0; sub(/^[^=]*=/, "", v)
		getline h; sub(/^ +/, "", h)
		n = split(v, a, "|"); vs = ""
		for (i = 1; i <= n; i++) vs = vs (i > 1 ? ", " : "") "`" a[i] "`"
		printf "| `%s` | %s | %s\n", key, vs, h }' >"$T/help.$cmd"
	[ "$(wc -l <"$T/help.$cmd")" -ge 10 ] || fail "$cmd set --help: too few keys"
	sed -n "/^<!-- $cmd-keys: emailcfg $cmd set --help -->/,/^<!-- \/$cmd-keys -->/p" docs/cli.md |
		sed '1,3d;$d' | awk -F' [|] ' '{ print $1 " | " $2 " | " $3 }' >"$T/doc.$cmd"
	[ -s "$T/doc.$cmd" ] || fail "docs/cli.md has no $cmd-keys table"
	if ! cmp -s "$T/help.$cmd" "$T/doc.$cmd"; then
		diff "$T/help.$cmd" "$T/doc.$cmd" >&2 || true
		fail "docs/cli.md's keys of $cmd set differ from emailcfg $cmd set --help (above: < help, > docs)"
	fi
	# The man page: each KEY=VALUES line of --help under ".SS CMD set".
	sed -n "/^$cmd set\$/,/^\([a-z]* set\|[A-Z][A-Z ]*\)\$/p" "$T/man" >"$T/man.$cmd"
	echo "$OUT" | sed -n 's/^  \([a-z0-9-]*=.*\)/\1/p' | while read -r line; do
		grep -qxF "$line" "$T/man.$cmd" || fail "man/emailcfg.1 lacks '$line' under KEYS, $cmd set"
	done
	[ "$(grep -c '^[a-z0-9-]*=' "$T/man.$cmd")" -eq "$(wc -l <"$T/help.$cmd")" ] ||
		fail "man/emailcfg.1 lists other keys than $cmd set --help under KEYS, $cmd set"
done
echo "cli docs keys: ok"
