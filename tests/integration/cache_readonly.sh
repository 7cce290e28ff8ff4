#!/bin/sh
# cache_readonly.sh — a cache in a directory we may not write (a read-only
# mount, another user's directory) can still be read: commands that only
# read open it read-only (immutable when it has no -wal); commands that write
# say why they cannot. As root the commands run as nobody, for whom the
# directory is not writable; as a user the directory is made read-only.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
sim_start
client_env
mkdir "$T/ro"
C=$T/ro/cache.db
run_rc 0 ec sync
[ ! -e "$C-wal" ] || fail "the cache kept a -wal after the sync"
if [ "$(id -u)" -eq 0 ]; then
	chmod 711 "$T"
	chmod 755 "$T/ro"
	chown 65534:65534 "$C"
	as_reader() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
else
	chmod 555 "$T/ro"
	as_reader() { "$@"; }
fi
export XDG_CONFIG_HOME=/nonexistent XDG_CACHE_HOME=/nonexistent
before=$(sha256sum <"$C")
run_rc 0 as_reader $EMAILCFG --offline --cache "$C" mailboxes --json
assert_eq 62 "$(echo "$OUT" | $JSON_GET len .)" "mailboxes read from a read-only directory"
id=$(echo "$OUT" | $JSON_GET get .0.id)
run_rc 0 as_reader $EMAILCFG --offline --cache "$C" status --json
run_rc 0 as_reader $EMAILCFG --cache "$C" settings --json
run_rc 0 as_reader $EMAILCFG --cache "$C" outbox
ls "$T/ro" >"$T/listing"
assert_eq "cache.db" "$(cat "$T/listing")" "nothing created beside the cache"
assert_eq "$before" "$(sha256sum <"$C")" "the cache unchanged"
# A command that writes fails with a sentence, not a crash.
set +e
as_reader $EMAILCFG --offline --cache "$C" mailbox set "$id" act=none >/dev/null 2>"$T/err"
rc=$?
set -e
[ $rc -eq 5 ] || fail "a write to a read-only cache exited $rc: $(cat "$T/err")"
assert_eq 1 "$(wc -l <"$T/err")" "one line says why"
echo "cache read-only: ok"
