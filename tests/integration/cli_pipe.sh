#!/bin/sh
# cli_pipe.sh — `emailcfg ... | head` ends as git, ls and grep do: when the
# reader of stdout goes away the command dies by SIGPIPE (141 in a shell),
# says nothing on stderr, and leaves no emulator behind; a full disk is
# still exit 5 with its line. Under `set -o pipefail` (bash), for the
# commands that print a lot, in every output form.
. tests/lib/assert.sh
set -e

run_rc 0 $EMAILCFG --demo --cache "$T/demo.db" sync
C="$T/demo.db"

# A pipe whose reader is gone before the first write: the reader opens the
# FIFO (which waits for the writer) and exits at once, so the result does not
# depend on timing.
closed_pipe() { # command... — runs it with stdout on a pipe without a reader
	rm -f "$T/fifo"
	mkfifo "$T/fifo"
	(exec 3<"$T/fifo") &
	exec 4>"$T/fifo"
	wait
	set +e
	"$@" >&4 2>"$T/err"
	got=$?
	set -e
	exec 4>&-
	ERR=$(cat "$T/err")
}

for args in "mailboxes" "mailboxes --json" "mailboxes --csv" "alerts" "alerts --json" \
	"alerts --summary" "history" "history --csv" "settings" "settings --json" "profiles" \
	"outbox --all" "view list" "filter-keys" "--help" "mailboxes --help"; do
	# shellcheck disable=SC2086
	closed_pipe $EMAILCFG --cache "$C" $args
	assert_eq 141 "$got" "emailcfg $args into a closed pipe: the status of SIGPIPE"
	assert_eq "" "$ERR" "emailcfg $args into a closed pipe: stderr"
done

# The shell's own pipelines under pipefail: `| head -1` sees the first line,
# and the pipeline's status is 0 (all written before head left) or 141,
# never emailcfg's 5, and nothing on stderr.
for args in "mailboxes" "mailboxes --json" "mailboxes --csv" "alerts" "alerts --json"; do
	set +e
	line=$(bash -c 'set -o pipefail; "$@" 2>"'"$T/err"'" | head -1; echo "rc=$?"' sh \
		$EMAILCFG --demo $args)
	set -e
	case "$line" in *rc=0 | *rc=141) ;; *) fail "--demo $args | head -1 under pipefail: $line" ;; esac
	assert_eq "" "$(cat "$T/err")" "--demo $args | head -1: stderr"
	[ "$(printf '%s\n' "$line" | wc -l)" -eq 2 ] || fail "--demo $args | head -1 printed: $line"
done
# The emulator of --demo is stopped, and its directory removed, before the
# quiet end.
mkdir "$T/tmp"
TMPDIR="$T/tmp" closed_pipe $EMAILCFG --demo mailboxes --json
[ -z "$(ls -A "$T/tmp")" ] || fail "--demo ended by SIGPIPE left $(ls "$T/tmp") behind"
assert_eq 141 "$got" "--demo mailboxes --json into a closed pipe"
assert_eq "" "$ERR" "--demo into a closed pipe: stderr"
# Ours only (its --port-file is under $T/tmp): other emulators may run meanwhile.
sleep 0.5
! pgrep -f "emailcfg-sim .*--port-file $T/tmp/" >/dev/null || fail "the emulator outlived a command ended by SIGPIPE"

# A full disk is still a failure with its line, and a command that failed
# keeps its own status and message whatever became of stdout.
run_rc 5 sh -c "$EMAILCFG --cache '$C' mailboxes --json >/dev/full"
assert_contains "$ERR" "cannot write the output" "full disk named"
assert_not_contains "$ERR" "pipe" "full disk: no pipe in the message"
closed_pipe $EMAILCFG --cache "$C" mailboxes --filter 'nosuchkey:x'
assert_eq 2 "$got" "a bad filter into a closed pipe keeps its status"
assert_contains "$ERR" "nosuchkey" "a bad filter into a closed pipe keeps its message"
echo "cli pipe: ok"
