#!/bin/sh
# cli_json_keys.sh — one JSON key style: every key of every command's --json
# is snake_case (settings --json and an outbox entry's changes were
# kebab-case, as the key tables spell them), and the set commands take a key
# as --json prints it (approve_users) as well as the command line's own
# spelling (approve-users): each key settings --json prints, with the value
# it prints, goes back into `settings set` unchanged.
. tests/lib/assert.sh
set -e

run_rc 0 $EMAILCFG --demo --cache "$T/demo.db" sync
ec() { $EMAILCFG --cache "$T/demo.db" --offline "$@"; }
mb=$(ec mailboxes --json | $JSON_GET get .0.email)
profile=$(ec profiles --json | $JSON_GET get .0.name)

# Every key settings --json prints, with its value, is taken back as it is
# (before any edit is queued: the values are the organization's, so nothing
# is queued).
run_rc 0 ec settings --json
echo "$OUT" >"$T/settings.json"
n=0
for key in $($JSON_GET keys . <"$T/settings.json"); do
	value=$($JSON_GET get ".$key" <"$T/settings.json")
	[ "$value" = null ] && continue
	run_rc 0 ec settings set "$key=$value"
	n=$((n + 1))
done
[ "$n" -ge 15 ] || fail "only $n settings keys were given back"
run_rc 0 ec outbox --json
assert_eq "[]" "$OUT" "giving back the shown values queued nothing"

# Queued edits of the three kinds, their keys written both ways.
run_rc 0 ec settings set approve_users=no
run_rc 0 ec settings set approve-queues=no max_attachment_kb=2048
run_rc 0 ec mailbox set "$mb" process_email_from=2024-01-01 allow-credentials=yes
run_rc 0 ec profile set "$profile" max_connections=7
run_rc 0 ec outbox --json
assert_eq "false" "$(echo "$OUT" | $JSON_GET get .0.changes.approve_users)" "approve_users= queued"
assert_eq "2048" "$(echo "$OUT" | $JSON_GET get .0.changes.max_attachment_kb)" "max_attachment_kb= queued"
assert_eq "2024-01-01" "$(echo "$OUT" | $JSON_GET get .1.changes.process_email_from)" "process_email_from= queued"
assert_eq "7" "$(echo "$OUT" | $JSON_GET get .2.changes.max_connections)" "profile's max_connections= queued"

# No key with a '-' anywhere (keys are the strings a ':' follows).
for args in "settings --json" "outbox --all --json" "profiles --json" "profile $profile --json" \
	"mailbox $mb --json" "mailboxes --json" "status --json" "alerts --json" \
	"alerts --summary --json" "history --json" "history --mailbox $mb --json" "view list --json"; do
	# shellcheck disable=SC2086
	set -- $args
	case "$1" in profile | mailbox) run_rc 0 ec "$1" "$(echo "$args" | sed 's/^[a-z]* //; s/ --json$//')" --json ;;
	*) run_rc 0 ec "$@" ;; esac
	keys=$(printf '%s' "$OUT" | tr -d '\n' | grep -oE '"[^"\\]*" *:' | sort -u | tr '\n' ' ')
	[ -n "$keys" ] || [ "$OUT" = "[]" ] || fail "$args: no keys found in [$OUT]"
	case "$keys" in *-*) fail "$args: a kebab-case key in: $keys" ;; esac
done

# A key unknown in both spellings is still refused, by its own spelling.
run_rc 2 ec settings set no_such_key=1
assert_contains "$ERR" "no-such-key" "the unknown key named"
echo "cli json keys: ok"
