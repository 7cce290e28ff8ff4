#!/bin/sh
# client_outbox.sh — edits go through the outbox: PATCH carries the row's
# etag in If-Match; a field changed behind our back to another value
# becomes a conflict (exit 3) that --mine and --theirs both resolve, while a
# change of another field, or of the same field to the same value, is not; an --offline edit is pushed by the
# next sync; --read-only and the rules refuse before anything is sent.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start
client_env
run_rc 0 ec sync

# api_since SEQ — "METHOD STATUS ..." of the Web API requests after SEQ.
api_since() {
	sim_log_since "$1"
	$JSON_GET each . method <"$SIM_BODY" >"$T/m"
	$JSON_GET each . status <"$SIM_BODY" >"$T/s"
	paste -d' ' "$T/m" "$T/s" | grep -v '^POST' | tr '\n' ' ' | sed 's/ $//'
}

# Pick an active user mailbox on the Exchange profile and a queue.
run_rc 0 ec mailboxes --filter 'type:user state:active profile:exchange act:server-side-sync' --json
user=$(echo "$OUT" | $JSON_GET get .0.id)
[ -n "$user" ] && [ "$user" != null ] || fail "no suitable user mailbox in the demo data"
run_rc 0 ec mailboxes --filter 'type:queue state:active' --json
queue=$(echo "$OUT" | $JSON_GET get .0.id)
run_rc 0 ec mailbox "$user" --json
etag_before=$(sqlite3 "$C" "select version from mailboxes where id='$user'")

# mailbox set sends If-Match with the row's etag.
before=$(sim_seq)
run_rc 0 ec mailbox set "$user" act=none
assert_contains "$OUT" "saved" "saved"
sim_log_since "$before"
$JSON_GET each . method <"$SIM_BODY" >"$T/m"
$JSON_GET each . status <"$SIM_BODY" >"$T/s"
$JSON_GET each . if_match <"$SIM_BODY" >"$T/i"
patch=$(paste -d" " "$T/m" "$T/s" "$T/i" | grep "^PATCH" | head -1)
assert_eq "PATCH 200 W/\"$etag_before\"" "$patch" "PATCH with If-Match: the etag"
run_rc 0 ec mailbox "$user" --json
assert_eq none "$(echo "$OUT" | $JSON_GET get .act)" "the cache has the new value"
assert_eq 0 "$(echo "$OUT" | $JSON_GET get .pending_edits)" "nothing pending"

# A change behind our back: the next edit is a conflict, kept in the outbox.
assert_eq 200 "$(sim_ctl PATCH "mailboxes($user)" '{"actdeliverymethod":0}')" "bump"
run_rc 3 ec mailbox set "$user" act=server-side-sync
assert_contains "$ERR" "outbox resolve" "conflict explained"
run_rc 0 ec outbox --json
entry=$(echo "$OUT" | $JSON_GET get .0.id)
assert_eq conflict "$(echo "$OUT" | $JSON_GET get .0.state)" "conflict state"
assert_eq server-side-sync "$(echo "$OUT" | $JSON_GET get .0.conflict.mine.act)" "mine"
assert_eq outlook "$(echo "$OUT" | $JSON_GET get .0.conflict.theirs.act)" "theirs"
run_rc 0 ec mailbox "$user" --json
assert_eq true "$(echo "$OUT" | $JSON_GET get .conflict)" "conflict marker"
run_rc 0 ec outbox resolve "$entry" --mine
run_rc 0 ec mailbox "$user" --json
assert_eq server-side-sync "$(echo "$OUT" | $JSON_GET get .act)" "--mine saved"
run_rc 0 ec outbox --json
assert_eq "[]" "$OUT" "outbox empty after --mine"

# And --theirs keeps the organization's value.
assert_eq 200 "$(sim_ctl PATCH "mailboxes($user)" '{"actdeliverymethod":2}')" "bump"
run_rc 3 ec mailbox set "$user" act=outlook
run_rc 0 ec outbox --json
entry=$(echo "$OUT" | $JSON_GET get .0.id)
run_rc 0 ec outbox resolve "$entry" --theirs
run_rc 0 ec sync
run_rc 0 ec mailbox "$user" --json
assert_eq none "$(echo "$OUT" | $JSON_GET get .act)" "--theirs kept the organization's value"
run_rc 0 ec outbox --json
assert_eq "[]" "$OUT" "outbox empty after --theirs"

# Offline: queued, then pushed by the next sync.
run_rc 0 ec --offline mailbox set "$user" act=outlook
assert_contains "$OUT" "queued" "queued offline"
run_rc 0 ec outbox --json
assert_eq queued "$(echo "$OUT" | $JSON_GET get .0.state)" "queued"
run_rc 0 ec mailboxes --filter pending:yes --json
assert_eq "$user" "$(echo "$OUT" | $JSON_GET get .0.id)" "pending filter"
run_rc 0 ec sync
assert_contains "$OUT" "pushed 1 edit" "pushed by sync"
run_rc 0 ec mailbox "$user" --json
assert_eq outlook "$(echo "$OUT" | $JSON_GET get .act)" "offline edit applied"

# Two edits queued offline: the second builds on the first, never undoes it.
run_rc 0 ec --offline mailbox set "$user" act=none
run_rc 0 ec --offline mailbox set "$user" act=server-side-sync
assert_contains "$OUT" "queued" "the second edit is queued, not 'unchanged'"
run_rc 0 ec --offline mailbox set "$user" outgoing=none
run_rc 0 ec outbox --json
assert_eq 1 "$(echo "$OUT" | $JSON_GET len .)" "one entry per mailbox"
assert_eq server-side-sync "$(echo "$OUT" | $JSON_GET get .0.changes.act)" "the latest value"
run_rc 0 ec sync
run_rc 0 ec mailbox "$user" --json
assert_eq server-side-sync "$(echo "$OUT" | $JSON_GET get .act)" "the latest edit won"
assert_eq none "$(echo "$OUT" | $JSON_GET get .outgoing)" "both keys sent"
run_rc 0 ec mailbox set "$user" outgoing=server-side-sync

# After a 412 the client compares field by field with base and mine. The
# organization touched another column (a status, as its own processes do
# all day): not a conflict; the edit goes out with the new etag.
before=$(sim_seq)
assert_eq 200 "$(sim_ctl PATCH "mailboxes($user)" '{"incomingemailstatus":2}')" "unrelated"
run_rc 0 ec mailbox set "$user" act=outlook
assert_contains "$OUT" "saved" "an unrelated change is no conflict"
assert_eq "PATCH 412 GET 200 PATCH 200" "$(api_since "$before")" \
	"412, re-read, PATCH again with the new etag"
run_rc 0 sim_ctl GET "mailboxes($user)"
assert_eq 0 "$(jv actdeliverymethod)" "mine reached the organization"
assert_eq 2 "$(jv incomingemailstatus)" "theirs stays"
run_rc 0 ec outbox --json --all
last=$(($(echo "$OUT" | $JSON_GET len .) - 1))
assert_eq sent "$(echo "$OUT" | $JSON_GET get ".$last.state")" "settled as sent"
# The same field changed to the same value on both sides: settled, no write.
assert_eq 200 "$(sim_ctl PATCH "mailboxes($user)" '{"actdeliverymethod":1}')" "same value"
before=$(sim_seq)
run_rc 0 ec mailbox set "$user" act=server-side-sync
assert_contains "$OUT" "saved" "the same value is settled"
assert_eq "PATCH 412 GET 200" "$(api_since "$before")" "412, re-read, nothing left to write"

# A row in conflict takes no new edit until the conflict is resolved. The
# same field changed to another value on both sides is one, with base,
# mine and theirs.
assert_eq 200 "$(sim_ctl PATCH "mailboxes($user)" '{"actdeliverymethod":0}')" "bump"
run_rc 3 ec mailbox set "$user" act=none
assert_contains "$ERR" "act was changed on the organization" "the field named"
run_rc 0 ec outbox --json
assert_eq none "$(echo "$OUT" | $JSON_GET get .0.conflict.mine.act)" "mine"
assert_eq outlook "$(echo "$OUT" | $JSON_GET get .0.conflict.theirs.act)" "theirs"
assert_eq server-side-sync "$(echo "$OUT" | $JSON_GET get .0.conflict.base.act)" "base"
run_rc 2 ec mailbox set "$user" act=outlook
assert_contains "$ERR" "resolve it first" "conflict first"
run_rc 0 ec outbox --json
entry=$(echo "$OUT" | $JSON_GET get .0.id)
assert_eq 1 "$(echo "$OUT" | $JSON_GET len .)" "still one entry"
run_rc 0 ec outbox resolve "$entry" --mine
run_rc 0 ec mailbox "$user" --json
assert_eq none "$(echo "$OUT" | $JSON_GET get .act)" "the resolved edit"

# --read-only refuses every change, exit 2, nothing sent.
before=$(sim_seq)
run_rc 2 ec --read-only mailbox set "$user" act=none
run_rc 2 ec --read-only settings set tracking-prefix=X:
run_rc 2 ec --read-only approve "$user"
run_rc 2 ec --read-only outbox drop 1
# A queue cannot use Outlook: refused by the rules, nothing sent.
run_rc 2 ec mailbox set "$queue" incoming=outlook
assert_contains "$ERR" "queue mailbox cannot use" "the rule's message"
assert_contains "$ERR" "Fix:" "the rule's fix"
assert_eq "$before" "$(sim_seq)" "no request reached the emulator"

# A hostile name in an error message reaches stderr sanitized.
code=$(sim_ctl POST mailboxes '{"name":"Evil \u001b]0;pwned\u0007 \u001b[2J \u202eboss","emailaddress":"evil@kovinoplast.si","incomingemaildeliverymethod":2,"outgoingemaildeliverymethod":0,"actdeliverymethod":2,"statecode":0}')
assert_eq 201 "$code" "hostile mailbox inserted"
run_rc 0 ec sync
run_rc 2 ec mailbox set evil@kovinoplast.si outgoing=server-side-sync
assert_contains "$ERR" "forward mailbox" "the rule"
printf '%s' "$ERR" | grep -q "$(printf '\033')" && fail "ESC on stderr"
printf '%s' "$ERR" | grep -q "$(printf '\342\200\256')" && fail "U+202E on stderr"
assert_contains "$ERR" "^[]0;pwned" "shown as text"

# Settings edits and approval go through the same outbox.
run_rc 0 ec settings set tracking-prefix=KP: max-attachment-kb=2048
run_rc 0 ec settings --json
assert_eq KP: "$(echo "$OUT" | $JSON_GET get .tracking_prefix)" "settings saved"
assert_eq 2048 "$(echo "$OUT" | $JSON_GET get .max_attachment_kb)" "size saved"
run_rc 2 ec settings set colour=blue

# Settings in conflict take no new edit either (a later --mine would
# revert it): exit 2 and the way out.
org=$(sqlite3 "$C" "select id from settings")
assert_eq 200 "$(sim_ctl PATCH "organizations($org)" '{"trackingprefix":"ORG:"}')" "theirs"
run_rc 3 ec settings set tracking-prefix=MINE:
before=$(sim_seq)
run_rc 2 ec settings set max-attachment-kb=1024
assert_contains "$ERR" "resolve it first: emailcfg outbox resolve" "settings conflict first"
run_rc 2 ec --offline settings set tracking-prefix=NEWER:
assert_eq "$before" "$(sim_seq)" "nothing sent"
run_rc 0 ec outbox --json
entry=$(echo "$OUT" | $JSON_GET get .0.id)
run_rc 0 ec outbox resolve "$entry" --theirs
run_rc 0 ec settings set max-attachment-kb=1024
run_rc 0 ec settings --json
assert_eq ORG: "$(echo "$OUT" | $JSON_GET get .tracking_prefix)" "theirs kept"

# A refused edit is failed; outbox retry sends it once the cause is gone.
assert_eq 200 "$(sim_ctl POST config '{"approver_role":"none"}')" "no approver"
run_rc 0 ec mailboxes --filter 'approval:pending type:user' --json
pending=$(echo "$OUT" | $JSON_GET get .0.id)
run_rc 1 ec approve "$pending"
run_rc 0 ec outbox --json
entry=$(echo "$OUT" | $JSON_GET get .0.id)
assert_eq failed "$(echo "$OUT" | $JSON_GET get .0.state)" "refused: failed"
run_rc 2 ec --read-only outbox retry "$entry"
assert_contains "$ERR" "read-only" "read-only refuses a retry"
run_rc 0 ec --offline outbox retry "$entry"
assert_contains "$OUT" "queued" "offline: only queued again"
run_rc 1 ec sync
assert_contains "$OUT" "pushed 0 edits (0 conflicts, 1 failed)" "still refused"
assert_eq 200 "$(sim_ctl POST config '{"approver_role":"admin"}')" "cause removed"
run_rc 0 ec outbox retry "$entry"
assert_contains "$OUT" "entry $entry sent" "retried and sent"
run_rc 0 ec mailbox "$pending" --json
assert_eq approved "$(echo "$OUT" | $JSON_GET get .approval)" "approved"
assert_eq 200 "$(sim_ctl GET "mailboxes($pending)")" "the organization's row"
assert_eq 1 "$(jv emailrouteraccessapproval)" "approved on the organization"
run_rc 2 ec outbox retry "$entry"
assert_contains "$ERR" "sent already" "nothing to retry"

# A 412 after the organization stored an option value newer than this
# client: the value is kept as its number, the field the admin edited was not
# touched by them, so the edit goes out with the new ETag (no conflict).
assert_eq 200 "$(sim_ctl PATCH "mailboxes($user)" '{"incomingemaildeliverymethod":7}')" "newer"
run_rc 0 ec mailbox set "$user" act=outlook
assert_eq 200 "$(sim_ctl GET "mailboxes($user)")" "the organization's row"
assert_eq 7 "$(jv incomingemaildeliverymethod)" "the newer value stays on the organization"
assert_eq 0 "$(jv actdeliverymethod)" "the edit arrived"

# A 412 whose re-read row cannot be decoded at all (a number column sent as
# a string) is never swallowed: failed, counted, exit 1.
assert_eq 200 "$(sim_ctl PATCH "mailboxes($user)" '{"actdeliverymethod":2}')" "bump"
assert_eq 200 "$(sim_ctl POST config '{"quote_column":"versionnumber"}')" "wrong type"
run_rc 1 ec mailbox set "$user" outgoing=outlook
assert_contains "$ERR" "cannot be read" "the reason"
assert_contains "$ERR" "outbox retry" "the way out"
run_rc 0 ec outbox --json
assert_eq failed "$(echo "$OUT" | $JSON_GET get .0.state)" "kept as failed"
run_rc 0 ec outbox drop "$(echo "$OUT" | $JSON_GET get .0.id)"
run_rc 0 ec --offline mailbox set "$user" outgoing=none
run_rc 1 ec sync
assert_contains "$OUT" "pushed 0 edits (0 conflicts, 1 failed)" "counted by sync"
assert_contains "$ERR$OUT" "the organization's settings: " "an unreadable settings row is reported, not fatal"
assert_eq 200 "$(sim_ctl POST config '{"quote_column":""}')" "types again"
echo "client outbox: ok"
