#!/bin/sh
# cli_help.sh — `emailcfg COMMAND --help` is that command's help, not the
# global one: for every command of `emailcfg --help`, its own usage line (the
# one the global help shows), every flag of it described under Options, and
# an example that names the command; `settings set`, `mailbox set` and
# `profile set` list every key of their tables in core/codec/keys.c (read
# here from the source, so a key added to a table and not shown fails) with
# the values it takes, the option keys' values being the option tables' own
# slugs (as `filter-keys` prints them). `outbox --help` names --all.
. tests/lib/assert.sh
set -e

run_rc 0 $EMAILCFG --help
global=$OUT
# The commands and their argument lines, as docs.sh reads them.
echo "$global" | awk '/^  [a-z][a-z-]*( [a-z]+)?  /{ sub(/^  /, ""); cmd = $0; sub(/  .*/, "", cmd); getline; sub(/^ +/, ""); print cmd "\t" $0 }' >"$T/commands"
[ "$(wc -l <"$T/commands")" -ge 25 ] || fail "too few commands in --help: $(cat "$T/commands")"
while IFS="$(printf '\t')" read -r cmd args; do
	# shellcheck disable=SC2086
	run_rc 0 $EMAILCFG $cmd --help
	[ "$OUT" != "$global" ] || fail "$cmd --help prints the global help"
	usage="Usage: emailcfg [GLOBAL] $cmd${args:+ $args}"
	assert_eq "$usage" "$(echo "$OUT" | sed -n 1p)" "$cmd --help: its usage line"
	echo "$OUT" | grep -A1 '^Example:$' | sed -n 2p | grep -q "^  emailcfg .*$cmd" ||
		fail "$cmd --help: no example of $cmd"
	for flag in $(echo "$args" | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
		echo "$OUT" | grep -qE -- "^  $flag( |$)" || fail "$cmd --help: $flag is not described"
	done
	# The global options stay global: --help after a command names them.
	assert_contains "$OUT" "emailcfg --help" "$cmd --help points to the global help"
done <"$T/commands"
run_rc 0 $EMAILCFG outbox --help
echo "$OUT" | grep -qE '^  --all +the sent edits too' || fail "outbox --help lacks --all"
assert_contains "$(echo "$global" | grep -A1 '^  outbox  ')" "--all" "--help's outbox line names --all"
run_rc 2 $EMAILCFG no-such-command --help
assert_contains "$ERR" "unknown command" "--help of an unknown command"
# A bad option points to the command's own help.
run_rc 2 $EMAILCFG mailboxes --no-such-option
assert_contains "$ERR" "see emailcfg mailboxes --help" "a bad option of mailboxes"
run_rc 2 $EMAILCFG --cache "$T/none.db" mailbox set --filter
assert_contains "$ERR" "see emailcfg mailbox set --help" "a missing value of mailbox set"

# The keys of a table in core/codec/keys.c, those `set` takes (not internal).
table_keys() { # TABLE
	awk -v t="$1" '
		$0 ~ "^const struct ec_key " t "\\[\\] = \\{" { inside = 1; next }
		inside && /^};/ { inside = 0 }
		inside && match($0, /^\t\{"[a-z0-9-]+"/) { key = substr($0, RSTART + 3, RLENGTH - 4) }
		inside && /true\},[ \t]*$/ { key = "" }
		inside && /false\},[ \t]*$/ && key != "" { print key; key = "" }
	' core/codec/keys.c
}
run_rc 0 $EMAILCFG filter-keys
filter_keys=$OUT
slugs() { # FILTER-KEY: its values in filter-keys, short forms dropped, "|"-joined
	echo "$filter_keys" | awk -F' \\| ' -v k="| \`$1\`" 'index($0, k) == 1 { print $2 }' |
		sed 's/ ([^)]*)//g; s/, /|/g'
}
for set in settings:keys_settings mailbox:keys_mailbox profile:keys_profile; do
	cmd=${set%%:*}
	table_keys "${set#*:}" >"$T/keys"
	[ "$(wc -l <"$T/keys")" -ge 10 ] || fail "${set#*:}: too few keys read from keys.c"
	run_rc 0 $EMAILCFG "$cmd" set --help
	echo "$OUT" >"$T/help"
	sed -n 's/^  \([a-z0-9-]*\)=.*/\1/p' "$T/help" >"$T/shown"
	cmp -s "$T/keys" "$T/shown" || fail "$cmd set --help shows [$(tr '\n' ' ' <"$T/shown")], the table has [$(tr '\n' ' ' <"$T/keys")]"
	while read -r key; do
		values=$(sed -n "s/^  $key=//p" "$T/help")
		[ -n "$values" ] || fail "$cmd set --help: $key without its values"
		case "$cmd:$key" in
		*:incoming | *:outgoing | *:act | *:state)
			assert_eq "$(slugs "$key")" "$values" "$cmd set --help: $key's values are the option table's" ;;
		esac
	done <"$T/keys"
done
run_rc 0 $EMAILCFG settings set --help
assert_contains "$OUT" "  max-attachment-kb=0-131072" "a number's range"
assert_contains "$OUT" "  approve-users=yes|no" "a boolean"
assert_contains "$OUT" "  process-email-using=server-side-sync|email-router" "an option's slugs"
run_rc 0 $EMAILCFG mailbox set --help
assert_not_contains "$OUT" "  approval=" "an internal key (set by approve) is not offered"
echo "cli help: ok"
