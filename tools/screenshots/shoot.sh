#!/bin/sh
# shoot.sh — `make screenshots`: drives the console in a real terminal (tmux,
# 132x40, TERM=xterm-256color) on the bundled demo organization and on a
# generated one of 100,000 mailboxes, captures the screens named in
# tools/screenshots/shots.tsv with `tmux capture-pane -e -p`, and renders
# each capture with tools/screenshots/render.py into screenshots/ (PNGs, and
# the frames of the admin task into one GIF). Run from the top of the tree
# after make; the captures stay in build/screenshots/.
#
# Pinned so a second run gives the same files: the wall clock of the console
# and the emulator (libfaketime, frozen at 2024-07-17 09:00:00 UTC; the
# monotonic clock stays real, which the jobs and timeouts need), TZ=UTC, the
# emulator's port, the generator's seed and size, the terminal's size. The
# status panel's countdown is captured one second after a refresh; its
# round trip ("rtt N ms") is measured, so the four pictures with the panel
# may differ there from one run to the next.
set -eu
cd "$(dirname "$0")/../.."

COLS=132
ROWS=40
PORT=${SCREENSHOTS_PORT:-18642}
CLOCK='2024-07-17 09:00:00'
OUT=screenshots
WORK=build/screenshots
PY=/usr/bin/python3
RENDER=tools/screenshots/render.py
SOCK=$WORK/tmux.sock

for need in ./emailcfg ./emailcfg-sim; do
	[ -x "$need" ] || { echo "shoot.sh: $need is not built (make)" >&2; exit 1; }
done
for need in tmux curl; do
	command -v "$need" >/dev/null || { echo "shoot.sh: $need is missing (make deps-screenshots)" >&2; exit 1; }
done
# libfaketime itself (its faketime wrapper forks, and would hide the pid).
FAKETIME_LIB=
for f in /usr/lib/*/faketime/libfaketimeMT.so.1 /usr/lib64/faketime/libfaketimeMT.so.1 \
	/usr/lib/faketime/libfaketimeMT.so.1; do
	[ -f "$f" ] && { FAKETIME_LIB=$f; break; }
done
[ -n "$FAKETIME_LIB" ] || { echo "shoot.sh: libfaketime is missing (make deps-screenshots)" >&2; exit 1; }

rm -rf "$WORK"
mkdir -p "$WORK/xdg/config" "$WORK/xdg/cache" "$WORK/xdg/state" "$WORK/xdg/run" "$OUT"
chmod 700 "$WORK/xdg/run"
WORK=$(cd "$WORK" && pwd)
SOCK=$WORK/tmux.sock
# Nothing of the user's: no configuration, cache, sign-in or EMAILCFG_*.
for v in $(env | sed -n 's/^\(EMAILCFG_[A-Z_]*\)=.*/\1/p'); do unset "$v"; done
unset NO_COLOR LANGUAGE LC_ALL LC_MESSAGES TMUX 2>/dev/null || true
export XDG_CONFIG_HOME="$WORK/xdg/config" XDG_CACHE_HOME="$WORK/xdg/cache"
export XDG_STATE_HOME="$WORK/xdg/state" XDG_RUNTIME_DIR="$WORK/xdg/run"
export TZ=UTC LANG=C.UTF-8
TENANT=7f3a9c2e-4b1d-4e8f-9a6c-2d5e8b1f0c34
CLIENT=b6e2f4a8-1c3d-4f5e-8a7b-9c0d1e2f3a4b
SECRET='kp8Q~Demo.Secret-Kovinoplast-2024'
URL=http://127.0.0.1:$PORT
SIM_PID=

say() { echo "screenshots: $*"; }
die() {
	echo "screenshots: $*" >&2
	[ ! -S "$SOCK" ] || tmux -S "$SOCK" capture-pane -p -t 0 >&2 2>/dev/null || true
	exit 1
}

cleanup() {
	tmux -S "$SOCK" kill-server 2>/dev/null || true
	[ -z "$SIM_PID" ] || { kill "$SIM_PID" 2>/dev/null; wait "$SIM_PID" 2>/dev/null; } || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the emulator -------------------------------------------------------------

# sim_start ARGS... — emailcfg-sim on $PORT under the frozen clock.
sim_start() {
	rm -f "$WORK/port"
	LD_PRELOAD=$FAKETIME_LIB FAKETIME=$CLOCK DONT_FAKE_MONOTONIC=1 \
		./emailcfg-sim --port "$PORT" --port-file "$WORK/port" "$@" 2>"$WORK/sim.log" &
	SIM_PID=$!
	i=0
	while [ ! -s "$WORK/port" ]; do
		kill -0 "$SIM_PID" 2>/dev/null || die "emailcfg-sim did not start (port $PORT busy? SCREENSHOTS_PORT=N): $(tail -n 3 "$WORK/sim.log")"
		i=$((i + 1))
		[ $i -lt 1200 ] || die "emailcfg-sim did not listen"
		sleep 0.05
	done
}

sim_stop() {
	kill "$SIM_PID" 2>/dev/null || true
	wait "$SIM_PID" 2>/dev/null || true
	SIM_PID=
}

# ---- the console in tmux -------------------------------------------------------

# console_start CACHE [VAR=VALUE...] — the console on $URL in a fresh tmux
# server at COLSxROWS; the variables go to its environment.
console_start() {
	cache=$1
	shift
	tmux -S "$SOCK" kill-server 2>/dev/null || true
	tmux -S "$SOCK" -f /dev/null new-session -d -x "$COLS" -y "$ROWS" \
		-e TERM=xterm-256color -e LANG=C.UTF-8 -e TZ=UTC \
		"env $* EMAILCFG_TENANT=$TENANT EMAILCFG_CLIENT_ID=$CLIENT \
		EMAILCFG_CLIENT_SECRET='$SECRET' EMAILCFG_AUTHORITY=$URL \
		EMAILCFG_REFRESH_SECONDS=3600 DONT_FAKE_MONOTONIC=1 \
		LD_PRELOAD=$FAKETIME_LIB FAKETIME='$CLOCK' ./emailcfg --org $URL --cache '$WORK/$cache' \
		2>'$WORK/console.err'"
	tmux -S "$SOCK" set-option -g remain-on-exit on >/dev/null
	tmux -S "$SOCK" set-option -g status off >/dev/null
}

screen() {
	tmux -S "$SOCK" capture-pane -p -t 0
}

# dead — 1 once the console has ended.
dead() {
	tmux -S "$SOCK" display -p -t 0 '#{pane_dead}'
}

# wait_for TEXT [SECONDS] — until the pane shows TEXT; wait_re REGEX
# [SECONDS]: a match of the extended REGEX.
wait_for() { wait_grep -F "$@"; }
wait_re() { wait_grep -E "$@"; }
wait_grep() {
	n=0
	max=$((${3:-30} * 20))
	while ! screen | grep -q "$1" -- "$2"; do
		n=$((n + 1))
		[ $n -lt $max ] || die "the console never showed '$2'"
		[ "$(dead)" != 1 ] || die "the console ended: $(cat "$WORK/console.err")"
		sleep 0.05
	done
}

# settle — until the screen stays the same for half a second.
settle() {
	prev=$(screen)
	n=0
	while :; do
		sleep 0.5
		now=$(screen)
		[ "$now" != "$prev" ] || return 0
		prev=$now
		n=$((n + 1))
		[ $n -lt 40 ] || die "the screen never settled"
	done
}

# key KEY... — tmux key names (Enter, Down, Escape, ...), one at a time.
key() {
	for k in "$@"; do
		tmux -S "$SOCK" send-keys -t 0 "$k"
		sleep 0.15
	done
}

# type TEXT — literal text.
type_text() {
	tmux -S "$SOCK" send-keys -t 0 -l "$1"
	sleep 0.2
}

# capture NAME — the pane with its attributes, to $WORK/NAME.ansi.
capture() {
	tmux -S "$SOCK" capture-pane -e -p -t 0 >"$WORK/$1.ansi"
}

# shot NAME — capture and render screenshots/NAME.png.
shot() {
	capture "$1"
	"$PY" "$RENDER" --cols "$COLS" --rows "$ROWS" "$WORK/$1.ansi" "$OUT/$1.png"
	say "$OUT/$1.png"
}

# panel_shot NAME NEXT_IN — a screen with the status panel: refresh (r), so
# the countdown starts again, and capture when it shows one second gone
# (NEXT_IN is the countdown's words: "next in", in Slovenian "naslednja čez").
panel_shot() {
	# No refresh that ended within the second (the countdown below 3600),
	# so the 3600 waited for next is this refresh's.
	wait_re "$2 (3[0-5][0-9][0-9]|[0-9]{1,3}) s" 300
	key r
	wait_for "$2 3600 s" 300
	n=0
	while ! screen | grep -qF "$2 3599 s"; do
		n=$((n + 1))
		[ $n -lt 60 ] || break # the tick skipped it: take the screen as it is
		sleep 0.05
	done
	shot "$1"
}

# frame MS — one frame of the GIF, shown MS milliseconds.
FRAMES=
NFRAME=0
frame() {
	settle
	NFRAME=$((NFRAME + 1))
	f=$(printf 'frame%02d' "$NFRAME")
	capture "$f"
	FRAMES="$FRAMES $WORK/$f.ansi:$1"
}

console_quit() {
	key q
	sleep 0.3
	# q asks first while a job runs or an edit is unsaved: Yes is to the right.
	if [ "$(dead)" != 1 ] && screen | grep -qiF "quit"; then
		key Right Enter
	fi
	n=0
	while [ "$(dead)" != 1 ]; do
		n=$((n + 1))
		[ $n -lt 200 ] || die "the console did not quit"
		sleep 0.1
	done
	st=$(tmux -S "$SOCK" display -p -t 0 '#{pane_dead_status}')
	[ -z "$st" ] || [ "$st" = 0 ] || die "the console ended with status $st: $(cat "$WORK/console.err")"
	tmux -S "$SOCK" kill-server 2>/dev/null || true
}

# ---- the admin task, as a GIF ----------------------------------------------------
# Jure Čuk fails: server-side synchronization without a server profile. The
# admin lists the failing mailboxes, opens his, reads the cause and the fix,
# chooses the Exchange profile, saves, runs Test & Enable and watches it pass.
say "the admin task (GIF)"
sim_start --data data/demo-org.json --test-delay 3
console_start task.db EMAILCFG_NO_PANEL=1
wait_for "Aljaž Oblak" 60
frame 1500
key /
type_text "status:"
frame 700
type_text "failure"
frame 900
key Enter
frame 1500
key Down Down Down Down Down Down
wait_for "7/16"
frame 1000
key Enter
wait_for "Jure Čuk  <jure.cuk@kovinoplast.si>"
frame 4000
key Down Down
frame 800
key Enter
wait_for "Email server profile of the mailbox"
frame 1800
key Home Down Down
frame 1000
key Enter
wait_for "Server profile                Microsoft Exchange Online"
frame 1200
key w
wait_for "Test & Enable now?"
frame 1800
key Right Enter
wait_for "Test & Enable mailbox 'Jure Čuk'?"
frame 1500
key Right Enter
key 6
wait_for "Test & Enable: 0 of 1 done"
frame 1500
wait_for "Test & Enable: 1 of 1 done" 60
frame 1800
key Enter
wait_for "verdict: pass"
frame 5000
console_quit
sim_stop
# shellcheck disable=SC2086
"$PY" "$RENDER" --cols "$COLS" --rows "$ROWS" --gif "$OUT/admin-task.gif" $FRAMES
say "$OUT/admin-task.gif"

# ---- the screens --------------------------------------------------------------
say "the demo organization"
sim_start --data data/demo-org.json --test-delay 3
# In Slovenian first, before anything changes the organization (the tests
# below write alerts that all bear the one frozen time, in no fixed order).
console_start sl.db LANGUAGE=sl
wait_for "Aljaž Oblak" 60
panel_shot slovenian "naslednja čez"
console_quit
console_start demo.db
wait_for "Aljaž Oblak" 60
panel_shot mailboxes "next in"
key /
type_text "status:failure"
key Enter
wait_for "filter: state:active status:failure"
panel_shot filter "next in"
key p

# Dragan Ćosić (4th failing) is on the IMAP profile, which cannot
# synchronize appointments, contacts and tasks: the ACT chooser refuses
# server-side synchronization and says why.
key Home Down Down Down Enter
wait_for "Dragan Ćosić  <dragan.cosic@kovinoplast.si>"
key Down Down Down Down Down Enter
wait_for "Appointments, contacts and tasks delivery method"
settle
shot mailbox-refused
key Escape Escape
wait_for "Active Mailboxes"

key 2
wait_for "Email Configuration Settings"
settle
shot settings

key 4
settle
shot alerts

key ?
settle
shot help
key Escape
settle

# Test & Enable of every failing mailbox (the filter is still on).
key 1 t T
wait_for "Test & Enable 16 tagged mailboxes?" 10
key Right Enter 6
# The emulator's own test takes 3 s (--test-delay): the waiting stage shows.
wait_re "Test & Enable: [0-9]+ of 16 done.*running" 20
wait_re "waiting [1-9]" 20
shot test-running
wait_for "Test & Enable: 16 of 16 done" 120
settle
shot test-verdicts

# A conflict: Ana Novak's ACT and outgoing methods changed by the
# organization (emailcfg-sim's control endpoint) while an edit of both made
# on the old row waits (the CLI, on the console's cache).
ec() {
	env EMAILCFG_TENANT=$TENANT EMAILCFG_CLIENT_ID=$CLIENT EMAILCFG_CLIENT_SECRET="$SECRET" \
		EMAILCFG_AUTHORITY=$URL DONT_FAKE_MONOTONIC=1 LD_PRELOAD=$FAKETIME_LIB FAKETIME="$CLOCK" \
		./emailcfg --org "$URL" --cache "$WORK/demo.db" "$@"
}
ana=$(ec mailboxes --filter 'name:"Ana Novak"' --json | sed -n 's/^\[{"id":"\([0-9a-f-]*\)".*/\1/p')
[ -n "$ana" ] || die "no Ana Novak in the demo organization"
st=$(curl -sS -o /dev/null -w '%{http_code}' -X PATCH -H 'Content-Type: application/json' \
	--data-binary '{"actdeliverymethod":0,"outgoingemaildeliverymethod":0}' "$URL/_sim/mailboxes($ana)")
[ "$st" = 200 ] || die "the emulator's control endpoint answered $st"
rc=0
ec -q mailbox set "$ana" act=none outgoing=outlook >/dev/null 2>&1 || rc=$?
[ "$rc" = 3 ] || die "the edit of Ana Novak ended $rc, not in a conflict (3)"
key 1 u /
key C-u
type_text 'name:"Ana Novak"'
key Enter Enter
wait_for "Ana Novak  <ana.novak@kovinoplast.si>"
settle
key c
settle
key m
settle
shot outbox-conflict
key o R
settle
console_quit

sim_stop

# ---- 100,000 mailboxes ----------------------------------------------------------
say "a generated organization of 100,000 mailboxes"
sim_start --data none --generate 100000 --seed 1
console_start generated.db
wait_re "of 100,?000 mailboxes" 300
panel_shot generated-100k "next in"
console_quit
sim_stop

# Every picture the list names was made.
grep -v '^#' tools/screenshots/shots.tsv | cut -f1 | while read -r f; do
	[ -s "$OUT/$f" ] || die "$OUT/$f was not made"
done
say "done: $(grep -vc '^#' tools/screenshots/shots.tsv) files in $OUT/"
