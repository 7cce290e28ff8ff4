# tui.sh — helpers for the console's tests (sourced after tests/lib/sim.sh,
# tests/lib/assert.sh and tests/lib/client.sh).
#
#   tui_run SIZE SCRIPT [ARGS...]  run ./emailcfg in script mode (no terminal)
#                                  at SIZE (WxH) with the script file SCRIPT;
#                                  dumps land in $D; status in $TUI_RC
#   tui_expect NAME                compare dump NAME (and NAME.attr) with
#                                  tests/tui/expected/NAME after masking clock
#                                  values; TUI_UPDATE=1 rewrites the expected
#                                  files instead
#   tui_dump NAME                  the masked dump NAME (for assert_contains)
#   tmux_start W H CMD...          start CMD in a fresh tmux server at WxH
#   tmux_wait TEXT [SECONDS]       wait until the pane shows TEXT
#   tmux_screen                    the pane's text
#   tmux_done                      kill the tmux server
#
# The environment is pinned: UTF-8 locale, UTC, no colour overrides, a long
# refresh interval (tests that want the live refresh set their own).

D=$T/dumps
mkdir -p "$D"
export LC_ALL=C.UTF-8 LANG=C.UTF-8 TZ=UTC
export EMAILCFG_SCRIPT_DUMPDIR="$D" EMAILCFG_REFRESH_SECONDS=${EMAILCFG_REFRESH_SECONDS:-3600}
export EMAILCFG_SCRIPT_TIMEOUT=${EMAILCFG_SCRIPT_TIMEOUT:-60}
unset NO_COLOR EMAILCFG_MONO EMAILCFG_ASCII ESCDELAY EMAILCFG_SCRIPT 2>/dev/null || true
TUI_EXPECTED=tests/tui/expected

tui_run() {
	tui__size=$1
	tui__script=$2
	shift 2
	set +e
	EMAILCFG_SCRIPT="$tui__script" EMAILCFG_SCRIPT_SIZE="$tui__size" \
		timeout $((EMAILCFG_SCRIPT_TIMEOUT * 2 + 60)) $EMAILCFG "$@" >"$T/tui.out" 2>"$T/tui.err"
	TUI_RC=$?
	set -e
	[ "$TUI_RC" -eq 0 ] || fail "console script $tui__script exited $TUI_RC: $(cat "$T/tui.err")"
}

# Clock values (times of day, dates, "next in N s", round trips) vary per run.
# A time the console shows in local time ("2026-12-01 11:00:00", timefmt.h)
# is masked as the UTC text it replaced was; the short form ("12-01 11:00") as
# MM-DD hh:mm.
tui_mask() {
	sed -E -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}Z?/YYYY-MM-DDThh:mm:ssZ/g' \
		-e 's/[0-9]{2}:[0-9]{2}:[0-9]{2}Z?/hh:mm:ssZ/g' \
		-e 's/(^|[^0-9-])[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}([^0-9]|$)/\1MM-DD hh:mm\2/g' \
		-e 's/next in [0-9]+ s/next in N s/' \
		-e 's/127\.0\.0\.1:[0-9]+/127.0.0.1:PORT/g' \
		-e 's/  rtt [0-9]+ ms//' "$1"
}

# tui_wait_dump NAME — waits (30 s at most) for a console run in the background
# to write dump NAME, e.g. to act behind its back at that point.
tui_wait_dump() {
	_i=0
	while [ ! -f "$D/$1" ]; do
		_i=$((_i + 1))
		[ $_i -lt 300 ] || fail "the console never dumped $1"
		sleep 0.1
	done
}

tui_dump() {
	[ -f "$D/$1" ] || fail "no dump $1"
	tui_mask "$D/$1"
}

tui_expect() {
	[ -f "$D/$1" ] || fail "no dump $1 (see $T/tui.err: $(cat "$T/tui.err" 2>/dev/null))"
	if [ "${TUI_UPDATE:-0}" = 1 ]; then
		mkdir -p "$TUI_EXPECTED"
		tui_mask "$D/$1" >"$TUI_EXPECTED/$1"
		cp "$D/$1.attr" "$TUI_EXPECTED/$1.attr"
		return 0
	fi
	tui_mask "$D/$1" >"$T/masked"
	if ! diff -u "$TUI_EXPECTED/$1" "$T/masked" >"$T/diff"; then
		cat "$T/diff" >&2
		fail "screen $1 differs from $TUI_EXPECTED/$1"
	fi
	if ! diff -u "$TUI_EXPECTED/$1.attr" "$D/$1.attr" >"$T/diff"; then
		cat "$T/diff" >&2
		fail "colour roles of $1 differ from $TUI_EXPECTED/$1.attr"
	fi
}

# ---- tmux ----------------------------------------------------------------------

TMUX_SOCK=$T/tmux.sock

tmux_start() {
	tmux__w=$1
	tmux__h=$2
	shift 2
	tmux -S "$TMUX_SOCK" -f /dev/null new-session -d -x "$tmux__w" -y "$tmux__h" \
		-e LC_ALL=C.UTF-8 -e LANG=C.UTF-8 -e TERM=xterm-256color "$@"
	tmux -S "$TMUX_SOCK" set-option -g remain-on-exit on >/dev/null
}

tmux_screen() {
	tmux -S "$TMUX_SOCK" capture-pane -p -t 0
}

tmux_wait() {
	tmux__n=0
	tmux__max=$(( ${2:-20} * 10 ))
	while ! tmux_screen 2>/dev/null | grep -qF -- "$1"; do
		tmux__n=$((tmux__n + 1))
		if [ $tmux__n -gt $tmux__max ]; then
			tmux_screen >&2
			fail "the pane never showed '$1'"
		fi
		sleep 0.1
	done
}

tmux_keys() {
	tmux -S "$TMUX_SOCK" send-keys -t 0 "$@"
}

tmux_display() {
	tmux -S "$TMUX_SOCK" display -p -t 0 "$1"
}

tmux_done() {
	tmux -S "$TMUX_SOCK" kill-server 2>/dev/null || true
}
