#!/bin/sh
# console_bench.sh — the console over 100,000 cached mailboxes (issue 10,
# targets S3b, S7, S8): peak memory, the first frame, key-to-frame times
# (scroll, page down, End, a sort change, each keystroke of a `/` filter,
# opening Alerts, opening a mailbox, starting Test & Enable of the ~19,000
# mailboxes `status:failure` shows, tagged) in script mode with the reader
# answering asynchronously, three runs; then the real binary in a real
# terminal (tmux): the longest stretch of work on the UI thread while keys
# arrive and a live refresh runs, CPU of an idle console, and the bytes
# written to the terminal per scroll step at 120x40. Times come from the
# console's own EMAILCFG_TIMES file (tui/timing.c).
#
#   sh bench/console_bench.sh        from the top of the tree, after make
#
# Touches only a temporary directory and loopback ports.
cd "$(dirname "$0")/.." || exit 1
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. bench/lib.sh
set -e
command -v tmux >/dev/null || fail "tmux is not installed"
export LC_ALL=C.UTF-8 LANG=C.UTF-8 TZ=UTC
sim_start --data none --generate 100000 --seed 7
client_env
$EMAILCFG --org "$SIM_URL" --cache "$C" -q sync >/dev/null
echo "console: cache of 100,000 mailboxes ready"

# ---- script mode: every key of the list above, three runs ----------------------
cat >"$T/keys" <<'EOS'
:reader async
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<PgDn>
<PgDn>
<PgDn>
<PgDn>
<PgDn>
<End>
<Home>
:wait-reader
s
<Down>
<Enter>
:wait-reader
s
<Enter>
:wait-reader
/
n
o
v
a
k
<BS>
<BS>
<BS>
<BS>
<BS>
s
t
a
t
u
s
:
f
a
i
l
u
r
e
<Enter>
:wait-reader
4
:wait-reader
<Esc>
:wait-reader
<Enter>
:wait-reader
<Esc>
:wait-reader
q
EOS
# Test & Enable of the mailboxes status:failure shows, tagged, then 32 keys
# (Tests, scrolling, Mailboxes, help) while it runs with the organization's
# own test (scheduling each mailbox on the emulator, then polling; quitting
# stops it): S7e, the keys of a running bulk test of ~19,000 mailboxes.
cat >"$T/test" <<'EOS'
:reader async
/status:failure
<Enter>
:wait-reader
t
:wait-reader
T
:wait-reader
<Right>
<Enter>
:dump started
6
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<PgDn>
<PgDn>
<PgDn>
<End>
<Home>
1
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<Down>
<PgDn>
<PgDn>
<PgDn>
?
<Esc>
6
:dump during
q
EOS
sed -i 's/^:$/<Colon>/' "$T/keys"
firsts= keys_p95= during_p95= rss= trss=
for run in 1 2 3; do
	rm -f "$T/times.$run"
	EMAILCFG_TIMES="$T/times.$run" EMAILCFG_SCRIPT="$T/keys" EMAILCFG_SCRIPT_SIZE=120x40 \
		EMAILCFG_SCRIPT_DUMPDIR="$T" bench_time $EMAILCFG --offline --cache "$C"
	rss="$rss $BENCH_KB"
	EMAILCFG_TIMES="$T/times.$run" EMAILCFG_SCRIPT="$T/test" EMAILCFG_SCRIPT_SIZE=120x40 \
		EMAILCFG_SCRIPT_DUMPDIR="$T" EMAILCFG_REFRESH_SECONDS=3600 \
		bench_time $EMAILCFG --org "$SIM_URL" --cache "$C"
	trss="$trss $BENCH_KB"
	grep -Eq "Test & Enable of [0-9]{5} mailboxes started" "$T/started" ||
		fail "Test & Enable did not start: $(cat "$T/started")"
	grep -q "running" "$T/during" || fail "the test was no longer running: $(cat "$T/during")"
	p95=$(awk '$1 == "key" { print $3 }' "$T/times.$run" | tail -n 32 | sort -n |
		awk '{ v[NR] = $1 } END { i = int(NR * 0.95 + 0.999); if (i < 1) i = 1; print v[i] }')
	during_p95="$during_p95 $p95"
	firsts="$firsts $(awk '$1 == "first" { print $2 }' "$T/times.$run" | head -n 1)"
	p95=$(awk '$1 == "key" { print $3 }' "$T/times.$run" | sort -n |
		awk '{ v[NR] = $1 } END { i = int(NR * 0.95 + 0.999); if (i < 1) i = 1; print v[i] }')
	keys_p95="$keys_p95 $p95"
	echo "console: run $run: $(grep -c '^key' "$T/times.$run") keys, p95 $p95 ms;" \
		"slowest: $(awk '$1 == "key"' "$T/times.$run" | sort -k3 -n -r | head -n 3 | tr '\n' ' ')"
done
echo "console: peak RSS of the runs that start Test & Enable of the failing active mailboxes (the worker's job included):" \
	"$(bench_median $trss) KB"
bench_result S3b "console peak RSS, 100,000 cached (script run of every key but Test & Enable)" \
	"$(awk -v kb="$(bench_median $rss)" 'BEGIN { printf "%.1f", kb / 1024 }')" MB "≤ 48"
bench_result S7a "console first frame, 100,000 cached" "$(bench_median $firsts)" ms "≤ 100"
bench_result S7b "console key to finished frame, p95 of every key (scroll, page, End, sort, filter keystrokes, Alerts, mailbox, Test & Enable of the failing active mailboxes)" \
	"$(bench_median $keys_p95)" ms "≤ 16"
bench_result S7e "console key to finished frame, p95 of 32 keys while Test & Enable (the organization's test) of the failing active mailboxes runs" \
	"$(bench_median $during_p95)" ms "≤ 16"

# ---- a real terminal ------------------------------------------------------------
TMUX_SOCK=$T/tmux.sock
tx() { tmux -S "$TMUX_SOCK" "$@"; }
# (|| true: under set -e a failing command would end the trap before the
# emulator is stopped, leaving it running)
trap 'tx kill-server 2>/dev/null || true; sim__cleanup; rm -rf "$T"' EXIT
wait_for() { # text seconds
	n=0
	while ! tx capture-pane -p -t 0 | grep -qF -- "$1"; do
		n=$((n + 1))
		[ $n -le $(($2 * 10)) ] || fail "the pane never showed '$1'"
		sleep 0.1
	done
}
console_pid() { # the pane runs the console itself, or a shell running it
	pp=$(tx display -p -t 0 '#{pane_pid}')
	if [ "$(cat "/proc/$pp/comm")" = emailcfg ]; then
		echo "$pp"
	else
		ps -o pid= --ppid "$pp" | tr -d ' ' | head -n 1
	fi
}
cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# S7c: keys while the first sync and live refreshes (every 2 s) run.
rm -f "$T/live"
tx -f /dev/null new-session -d -x 120 -y 40 -e LC_ALL=C.UTF-8 -e TERM=xterm-256color \
	"EMAILCFG_TIMES=$T/live EMAILCFG_REFRESH_SECONDS=2 $EMAILCFG --org $SIM_URL --cache $C"
wait_for "of 100000 mailboxes" 60
for i in $(seq 1 40); do
	tx send-keys -t 0 Down
	sleep 0.1
	[ $((i % 10)) -eq 0 ] && tx send-keys -t 0 PageDown
done
for k in / n o v a k Escape 4 Escape End Home; do
	tx send-keys -t 0 "$k"
	sleep 0.3
done
sleep 3
tx send-keys -t 0 q
sleep 1
tx kill-server 2>/dev/null || true
stall=$(awk '$1 == "stall" && $2 > m { m = $2 } END { printf "%.1f", m + 0 }' "$T/live")
echo "console: live run: $(grep -c '^key' "$T/live") keys, $(grep -c '^stall' "$T/live") stalls over 20 ms;" \
	"longest (ms, then the keys or the work of the stretch): $(grep '^stall' "$T/live" | sort -k2 -n -r | head -n 5 | tr '\n' ' ')"
bench_result S7c "console longest UI-thread stall, keys during the first sync and live refreshes (tmux)" \
	"$stall" ms "≤ 50"

# S7d and S8: an idle console, then scrolling, offline at 120x40.
tx -f /dev/null new-session -d -x 120 -y 40 -e LC_ALL=C.UTF-8 -e TERM=xterm-256color \
	"$EMAILCFG --offline --cache $C"
wait_for "of 100000 mailboxes" 60
sleep 2
pid=$(console_pid)
t0=$(cpu_ticks "$pid")
sleep 10
t1=$(cpu_ticks "$pid")
hz=$(getconf CLK_TCK)
bench_result S7d "console idle CPU, 10 s, offline (ticks of /proc/PID/stat)" \
	"$(awk -v t=$((t1 - t0)) -v hz="$hz" 'BEGIN { printf "%.2f", t / hz / 10 * 100 }')" "%" "< 1"
tx pipe-pane -o -t 0 "cat >>$T/out"
sleep 0.5
: >"$T/out"
steps=60
for i in $(seq 1 $steps); do
	tx send-keys -t 0 Down
	sleep 0.05
done
sleep 1
bytes=$(wc -c <"$T/out")
bench_result S8 "bytes written to the terminal per scroll step (Down), 120x40" \
	"$((bytes / steps))" bytes "≤ 1024"
tx send-keys -t 0 q
sleep 0.5
