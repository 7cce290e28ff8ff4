#!/bin/sh
# docs.sh — the documentation follows the code, and what the README claims
# holds: the README's key section is `emailcfg --keys` (the console's command
# table); every command of `emailcfg --help` (the CLI's command table) is in
# the man page and in docs/cli.md; the README opens with the two commands;
# its config example parses as written; its filter and page-size claims, its
# make targets, TESTS=pattern, its directory map and the direction of the
# arrows between the layers are true; and the documents refer to nothing
# outside the repository (Microsoft's documentation is linked, not copied).
. tests/lib/assert.sh
set -e

# The key table.
run_rc 0 $EMAILCFG --keys
printf '%s\n' "$OUT" >"$T/keys"
sed -n '/^<!-- keys:/,/^<!-- \/keys -->/p' README.md | sed '1d;$d' >"$T/readme-keys"
cmp -s "$T/keys" "$T/readme-keys" || fail "README's key table differs from emailcfg --keys (regenerate it)"

# docs/cli.md's filter keys with every value, and its built-in views, are
# the tables' (filter.c with options.c; views.c), as the CLI prints them.
run_rc 0 $EMAILCFG filter-keys
printf '%s\n' "$OUT" >"$T/filter-keys"
sed -n '/^<!-- filter-keys:/,/^<!-- \/filter-keys -->/p' docs/cli.md | sed '1d;$d' >"$T/doc-filter-keys"
cmp -s "$T/filter-keys" "$T/doc-filter-keys" || fail "docs/cli.md's filter keys differ from emailcfg filter-keys (regenerate them)"
grep -q '^| `incoming` | none, outlook, server-side-sync (SSS), forward-mailbox (forward) |' "$T/doc-filter-keys" ||
	fail "docs/cli.md's filter keys lack incoming's values and short forms"
XDG_CONFIG_HOME="$T/no-views" run_rc 0 $EMAILCFG view list --json
echo "$OUT" >"$T/views.json"
for f in name title filter; do $JSON_GET each . $f <"$T/views.json" >"$T/views.$f"; done
paste "$T/views.name" "$T/views.title" "$T/views.filter" |
	awk -F'\t' '{ f = $3 == "" ? "(none: every mailbox)" : "`" $3 "`"; printf "| `%s` | %s | %s |\n", $1, $2, f }' >"$T/views"
sed -n '/^<!-- views:/,/^<!-- \/views -->/p' docs/cli.md | sed '1,3d;$d' >"$T/doc-views"
[ "$(wc -l <"$T/views")" -eq 9 ] || fail "expected 9 built-in views"
cmp -s "$T/views" "$T/doc-views" || fail "docs/cli.md's views differ from emailcfg view list (regenerate them)"

# Every command in the man page and in docs/cli.md.
run_rc 0 $EMAILCFG --help
echo "$OUT" | sed -n 's/^  \([a-z][a-z]*\( [a-z][a-z]*\)\{0,1\}\)  .*/\1/p' >"$T/commands"
[ -s "$T/commands" ] || fail "no commands found in --help"
while read -r cmd; do
	grep -q "^\.BR \"\{0,1\}$cmd\"\{0,1\}" man/emailcfg.1 || fail "man/emailcfg.1 lacks '$cmd'"
	grep -q "^| \`$cmd\` |" docs/cli.md || fail "docs/cli.md lacks '$cmd'"
done <"$T/commands"

assert_eq '```sh' "$(sed -n 3p README.md)" "README opens with the commands"
assert_contains "$(sed -n 4p README.md)" "make demo" "first command"
assert_contains "$(sed -n 5p README.md)" "make check" "second command"

# The config example, as written: the organization URL is read, and the
# secret file's path is exactly the one shown (nothing after it on the line
# becomes part of it).
mkdir -p "$T/config/emailcfg"
sed -n '/^```ini/,/^```/p' README.md | sed '1d;$d' >"$T/config/emailcfg/config"
grep -q '^\[org prod\]' "$T/config/emailcfg/config" || fail "README has no [org prod] example"
url=$(sed -n 's/^url = //p' "$T/config/emailcfg/config")
secret=$(sed -n 's/^client-secret-file = \([^ ]*\).*/\1/p' "$T/config/emailcfg/config")
run_rc 0 $EMAILCFG --org prod --offline status --json
assert_eq "$url" "$(echo "$OUT" | $JSON_GET get .organization)" "the example's url"
run_rc 5 $EMAILCFG --org prod sync
assert_contains "$ERR" "client secret file $secret:" "the example's client-secret-file"

# The filter claims, on the demo organization: diacritics count.
run_rc 0 $EMAILCFG --demo --cache "$T/demo.db" sync
names() { $EMAILCFG --cache "$T/demo.db" mailboxes --filter "$1" --csv | cut -d, -f2 | tr -d '"'; }
assert_contains "$(names 'name:č')" "Jure Čuk" "name:č finds Jure Čuk"
assert_not_contains "$(names 'name:c')" "Jure Čuk" "name:c does not find Jure Čuk"
assert_not_contains "$(names 'name:c')" "Irena Černe" "name:c does not find Irena Černe"
assert_contains "$(names 'name:c')" "Nejc Potočnik" "name:c finds a plain c"
assert_contains "$(names 'type:queue approval:pending')" "Servis" "the README's filter example"
# The filter keys the README lists are the ones --help lists (the key table).
readme_keys=$(tr '\n' ' ' <README.md | sed -n 's/.*Keys: `\([a-z -]*\)`.*/\1/p' | tr -s ' ' '\n' | sort)
help_keys=$($EMAILCFG --help | tr '\n' ' ' | sed -n 's/.*Keys: \([a-z -]*\)\..*/\1/p' | tr -s ' ' '\n' | sort)
[ -n "$readme_keys" ] || fail "no filter keys found in README"
assert_eq "$help_keys" "$readme_keys" "README's filter keys"
# EMAILCFG_PAGE_SIZE: rows per page (62 mailboxes in pages of 10: 7 pages).
EMAILCFG_PAGE_SIZE=10 run_rc 0 $EMAILCFG --demo -v sync
assert_eq 7 "$(echo "$ERR" | grep -c 'GET [^ ]*/mailboxes?')" "EMAILCFG_PAGE_SIZE=10"

# Every make target of the README's table exists (a dry run succeeds).
sed -n 's/^| `make \([a-z-]*\).*/\1/p' README.md | sort -u >"$T/targets"
[ -s "$T/targets" ] || fail "no make targets found in README"
while read -r target; do
	[ -n "$target" ] || continue
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -n --no-print-directory "$target" \
		>/dev/null 2>"$T/make.err" || fail "make $target: $(cat "$T/make.err")"
done <"$T/targets"
# TESTS=pattern runs only the scripts whose path contains the pattern.
TESTS=integration/version run_rc 0 sh tests/run.sh
assert_contains "$OUT" "PASS integration/version.sh" "TESTS=pattern runs the match"
assert_contains "$OUT" "1 passed, 0 failed" "TESTS=pattern runs only the match"

# The house: every directory named exists, and the arrows point down only.
sed -n '/^## The house/,/^Arrows/p' README.md | sed -n 's|^\([a-z]*\)/ .*|\1|p' >"$T/dirs"
[ -s "$T/dirs" ] || fail "no directories found in README's house"
while read -r d; do [ -d "$d" ] || fail "README names $d/, which does not exist"; done <"$T/dirs"
up=$(grep -rl '#include "\(tui\|cli\)/' core 2>/dev/null || true)
[ -z "$up" ] || fail "core/ includes tui/ or cli/: $up"
# Inside core/, each folder uses only the folders docs/architecture.md's
# table lets it ("may use"): the table is read, not repeated here.
sed -n '/^Inside `core\/`/,/^$/p;/^| `base\/`/,/^$/p' docs/architecture.md |
	sed -n 's/^| `\([a-z]*\)\/` | .* | \([^|]*\) |$/\1 \2/p' | sort -u >"$T/layers"
[ "$(wc -l <"$T/layers")" -ge 8 ] || fail "docs/architecture.md has no table of core/'s folders"
while read -r dir uses; do
	[ -d "core/$dir" ] || fail "docs/architecture.md names core/$dir/, which does not exist"
	case "$uses" in *"and below"* | *"everything above"*) continue ;; esac # sync, jobs
	for used in $(grep -rhoE '#include "core/[a-z]+/' "core/$dir" | sed 's|.*core/||; s|/$||' | sort -u); do
		[ "$used" = "$dir" ] && continue
		case " $(echo "$uses" | tr ',;' '  ') " in *" $used "*) ;; *)
			fail "core/$dir/ includes core/$used/, which docs/architecture.md does not let it use ($uses)" ;;
		esac
	done
done <"$T/layers"
for d in core/*/; do
	grep -q "^$(basename "$d") " "$T/layers" || fail "$d is not in docs/architecture.md's table"
done
up=$(grep -l '#include "cli/' tui/*.[ch] 2>/dev/null || true)
[ -z "$up" ] || fail "tui/ includes cli/: $up"
up=$(grep -l '#include "\(core\|tui\|cli\)/' sim/*.[ch] 2>/dev/null || true)
[ -z "$up" ] || fail "sim/ includes the client: $up"

# The repository stands alone: no tracked file refers to a document outside
# it (this script names the patterns, so it is left out).
refs=$(git ls-files 2>/dev/null | grep -v '^tests/integration/docs.sh$' |
	xargs grep -lI 'DESIGN\|\.\./shared\|reference/dataverse\|seed document' 2>/dev/null || true)
[ -z "$refs" ] || fail "files refer to a document outside the repository: $refs"
for d in cli architecture dataverse testing; do
	[ -f "docs/$d.md" ] || fail "docs/$d.md is missing"
done
links=$(grep -o '](https\{0,1\}://[^)]*' docs/dataverse.md | cut -c3-)
[ -n "$links" ] || fail "docs/dataverse.md links no documentation"
echo "$links" | grep -v '^https://learn\.microsoft\.com/' && fail "docs/dataverse.md links outside Microsoft Learn"
# docs/connecting.md's troubleshooting words are the program's: each row's
# message, cut at its placeholders (ORG, USER, FILE, DIR, HOST, REALM,
# SERVER, CODE, METHODS, REASON, KIND, a number, "…", " / " between two
# messages, and ": " or "; " where a message joins another), is made of
# pieces found in the C sources with adjacent string literals joined.
cat core/*/*.c cli/*.c tui/*.c | tr '\n' ' ' |
	sed 's/"[[:space:]]*\\[[:space:]]*"//g; s/"[[:space:]]*"//g; s/\\\\/\\/g' >"$T/strings"
sed -n '/^## Troubleshooting/,/^## [A-Z]/p' docs/connecting.md | grep '^| ' | tail -n +3 |
	cut -d'|' -f2 >"$T/rows"
[ "$(wc -l <"$T/rows")" -gt 20 ] || fail "docs/connecting.md: no troubleshooting table found"
sed 's/…/\n/g; s| / |\n|g; s/: /\n/g; s/; /\n/g' "$T/rows" |
	sed 's/\b\(ORG\|USER\|FILE\|DIR\|HOST\|REALM\|SERVER\|CODE\|METHODS\|REASON\|KIND\|[0-9][0-9]*\)\b/\n/g' |
	sed 's/^[[:space:]]*//; s/[[:space:]]*$//' | awk 'length($0) >= 12' >"$T/pieces"
while IFS= read -r piece; do
	grep -qF -- "$piece" "$T/strings" ||
		fail "docs/connecting.md's troubleshooting has words the program never prints: [$piece]"
done <"$T/pieces"
echo "docs: ok"
