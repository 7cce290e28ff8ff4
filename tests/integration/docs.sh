#!/bin/sh
# docs.sh — the documentation follows the tables that drive the code: the
# README's key section is `emailcfg --keys` (the console's command table),
# every command of `emailcfg --help` (the CLI's command table) has a man
# page entry, and the README opens with the two commands.
. tests/lib/assert.sh
set -e
run_rc 0 $EMAILCFG --keys
printf '%s\n' "$OUT" >"$T/keys"
sed -n '/^<!-- keys:/,/^<!-- \/keys -->/p' README.md | sed '1d;$d' >"$T/readme-keys"
cmp -s "$T/keys" "$T/readme-keys" || fail "README's key table differs from emailcfg --keys (regenerate it)"
run_rc 0 $EMAILCFG --help
echo "$OUT" | sed -n 's/^  \([a-z][a-z]*\( [a-z][a-z]*\)\{0,1\}\)  .*/\1/p' | while read -r cmd; do
	grep -q "^\.BR \"\{0,1\}$cmd\"\{0,1\}" man/emailcfg.1 || fail "man/emailcfg.1 lacks '$cmd'"
done
assert_eq '```sh' "$(sed -n 3p README.md)" "README opens with the commands"
assert_contains "$(sed -n 4p README.md)" "make demo" "first command"
assert_contains "$(sed -n 5p README.md)" "make check" "second command"
echo "docs: ok"
