#!/bin/sh
# demo_session.sh — `emailcfg --demo COMMAND` calls share one demo session:
# an edit is seen by the next call; `--demo stop` leaves no emulator; a stale
# session (its emulator killed) is started afresh with a fresh cache; a pid
# file naming another process is never taken for the emulator (nor killed);
# two concurrent calls start one emulator, and a call waits while another
# process holds the lock (flock, util-linux); a state directory others may
# enter is refused; the console joins a running session and runs a private
# emulator when none runs. XDG_RUNTIME_DIR is the test's own (tests/lib/assert.sh).
. tests/lib/assert.sh
. tests/lib/tui.sh
set -e
S=$XDG_RUNTIME_DIR/emailcfg-demo
others=""
trap 'for p in $others; do kill "$p" 2>/dev/null || true; done; demo__cleanup; rm -rf "$T"' EXIT
alive() { kill -0 "$1" 2>/dev/null && [ "$(cut -d' ' -f3 /proc/"$1"/stat)" != Z ]; }
incoming() {
	run_rc 0 $EMAILCFG --demo mailbox "Ana Novak" --json
	echo "$OUT" | $JSON_GET get .incoming
}

# An edit, then a read in another call, sees the edit.
run_rc 0 $EMAILCFG --demo mailbox set "Ana Novak" incoming=none
pid=$(cat "$S/pid")
alive "$pid" || fail "no emulator after the first --demo call"
assert_contains "$(tr '\0' ' ' </proc/"$pid"/cmdline)" "--idle-exit 1800" "the session stops by itself when idle"
assert_eq none "$(incoming)" "the second call sees the first call's edit"
assert_eq "$pid" "$(cat "$S/pid")" "the second call joined the same emulator"
assert_eq 700 "$(stat -c %a "$S")" "the state directory's mode"
# The console joins the running session (and leaves it running).
printf ':wait-idle\n:dump joined\nq\n' >"$T/look"
tui_run 120x30 "$T/look" --demo
assert_contains "$(grep 'Ana Novak' "$D/joined")" " none " "the console shows the session's edit"
assert_contains "$(cat "$D/joined")" "Kovinoplast" "the console's organization"
alive "$pid" || fail "the console stopped the session's emulator"

# Stale: the emulator killed. The next call starts another, on a fresh cache
# (the old one names the old port's organization and would be refused).
kill -9 "$pid"
while alive "$pid"; do sleep 0.05; done
assert_eq server-side-sync "$(incoming)" "a new demo organization after a stale session"
new=$(cat "$S/pid")
[ "$new" != "$pid" ] && alive "$new" || fail "no new emulator after the old one was killed"

# Stop: no emulator left, the state forgotten; stopping again is fine.
run_rc 0 $EMAILCFG --demo stop
! alive "$new" || fail "--demo stop left the emulator $new running"
[ ! -e "$S/pid" ] && [ ! -e "$S/demo.db" ] || fail "--demo stop left $(ls "$S")"
run_rc 0 $EMAILCFG --demo stop
run_rc 2 $EMAILCFG --demo stop now
# With no session the console runs a private emulator (tmux_demo.sh: gone
# when it quits), not a session.
tui_run 120x30 "$T/look" --demo
[ ! -e "$S/pid" ] || fail "the console without a session started one"

# A pid file naming another process (a pid reused): not ours, not killed.
sleep 60 &
other=$!
others="$others $other"
echo "$other" >"$S/pid"
run_rc 0 $EMAILCFG --demo stop
alive "$other" || fail "--demo stop killed a process that is not its emulator"
echo "$other" >"$S/pid"
run_rc 0 $EMAILCFG --demo status --json
assert_eq 62 "$(echo "$OUT" | $JSON_GET get .mailboxes)" "a session started past a foreign pid"
alive "$other" || fail "--demo killed a process that is not its emulator"
[ "$(cat "$S/pid")" != "$other" ] || fail "the foreign pid was taken for the emulator"
run_rc 0 $EMAILCFG --demo stop

# Two calls at once start one emulator: a stand-in emailcfg-sim beside a copy
# of emailcfg notes each start and waits a second before it runs the real one,
# so the second call arrives while the first is starting.
mkdir -p "$T/bin"
cp "$EMAILCFG" "$T/bin/emailcfg"
cat >"$T/bin/emailcfg-sim" <<EOT
#!/bin/sh
echo start >>"$T/starts"
sleep 1
exec "$PWD/emailcfg-sim" "\$@"
EOT
chmod 755 "$T/bin/emailcfg-sim"
EMAILCFG_DATADIR=$PWD/data "$T/bin/emailcfg" --demo status --json >"$T/a.out" 2>"$T/a.err" &
a=$!
others="$others $a"
while [ ! -s "$T/starts" ]; do sleep 0.02; done
EMAILCFG_DATADIR=$PWD/data "$T/bin/emailcfg" --demo status --json >"$T/b.out" 2>"$T/b.err" || fail "the second call failed: $(cat "$T/b.err")"
wait $a || fail "the first call failed: $(cat "$T/a.err")"
assert_eq 62 "$($JSON_GET get .mailboxes <"$T/a.out")" "the first call's status"
assert_eq 62 "$($JSON_GET get .mailboxes <"$T/b.out")" "the second call's status"
assert_eq 1 "$(wc -l <"$T/starts")" "emulators started by two concurrent calls"
# A command holds the session's lock to its end, so commands take turns
# (two never sync the one cache at once) and `--demo stop` waits for a
# Test & Enable that is waiting for its verdict instead of cutting it off.
$EMAILCFG --demo test "Ana Novak" >"$T/test.out" 2>&1 &
tester=$!
others="$others $tester"
i=0
while flock -n "$S/lock" true; do
	i=$((i + 1))
	[ $i -lt 200 ] || fail "a running --demo command does not hold the session's lock"
	sleep 0.02
done
run_rc 0 $EMAILCFG --demo stop
wait $tester || fail "--demo stop cut off a running command: $(cat "$T/test.out")"
assert_contains "$(cat "$T/test.out")" "Ana Novak: pass" "the Test & Enable that --demo stop waited for"
# While another process holds the session's lock, a call waits for it and
# starts nothing; once it is free the call starts the emulator.
rm -f "$T/starts"
flock "$S/lock" sleep 1.5 &
holder=$!
others="$others $holder"
while flock -n "$S/lock" true; do sleep 0.02; done
EMAILCFG_DATADIR=$PWD/data "$T/bin/emailcfg" --demo status --json >"$T/c.out" 2>"$T/c.err" &
c=$!
others="$others $c"
sleep 0.8
[ ! -e "$T/starts" ] || fail "a call started an emulator while another process held the lock"
wait $holder
wait $c || fail "the waiting call failed: $(cat "$T/c.err")"
assert_eq 1 "$(wc -l <"$T/starts")" "the waiting call started the emulator once the lock was free"
run_rc 0 $EMAILCFG --demo stop

# A state directory that others may enter is refused, not used.
chmod 755 "$S"
run_rc 5 $EMAILCFG --demo status
assert_contains "$ERR" "only you may enter" "why the state directory is refused"
[ ! -e "$S/pid" ] || fail "a refused state directory was used"
chmod 700 "$S"
# So is one of another user (as root the test can make one), and a link.
if [ "$(id -u)" = 0 ]; then
	chown 65534 "$S"
	run_rc 5 $EMAILCFG --demo status
	assert_contains "$ERR" "a directory of yours" "a state directory of another user"
	chown 0 "$S"
fi
mv "$S" "$T/moved"
ln -s "$T/moved" "$S"
run_rc 5 $EMAILCFG --demo status
assert_contains "$ERR" "a directory of yours" "a link as the state directory"
[ ! -e "$T/moved/pid" ] || fail "the link was followed"
rm "$S"
mv "$T/moved" "$S"
echo "demo session: ok"
