#!/bin/sh
# contrib_units.sh — what contrib/ ships runs as written: the systemd service
# and timer pass `systemd-analyze verify` (offline; with the built emailcfg in
# place of /usr/local/bin/emailcfg) without a warning, and every emailcfg
# command the service, the Icinga CheckCommand and the Nagios command name
# runs here against the emulator with the options they give it.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
S=contrib/systemd/emailcfg-metrics.service
for f in $S contrib/systemd/emailcfg-metrics.timer contrib/icinga/emailcfg.conf \
	contrib/nagios/emailcfg.cfg; do
	[ -s "$f" ] || fail "$f is missing"
done
command -v systemd-analyze >/dev/null || fail "systemd-analyze is missing (Debian package systemd)"

# systemd-analyze verify: offline, on copies that run the built program.
mkdir "$T/units"
sed "s|/usr/local/bin/emailcfg|$PWD/emailcfg|g" $S >"$T/units/emailcfg-metrics.service"
cp contrib/systemd/emailcfg-metrics.timer "$T/units/"
run_rc 0 systemd-analyze verify --man=no "$T/units/emailcfg-metrics.timer" \
	"$T/units/emailcfg-metrics.service"
assert_eq "" "$OUT$ERR" "systemd-analyze verify: no warning"
assert_contains "$(cat contrib/systemd/emailcfg-metrics.timer)" "OnCalendar=*:0/5" "every 5 minutes"
grep -q '^User=emailcfg$' $S || fail "the service runs as an unprivileged user"
grep -q '^Environment=EMAILCFG_CONFIG=' $S || fail "the service reads the config (secret file)"
assert_not_contains "$(cat $S)" "EMAILCFG_CLIENT_SECRET=" "no secret in the unit"

sim_start
client_env
# The service's commands, as written but for the organization and cache.
mkdir "$T/textfile"
grep -E '^Exec(Start|StopPost)=' $S | sed 's/^[^=]*=//' >"$T/exec"
assert_eq 2 "$(wc -l <"$T/exec")" "sync and metrics"
while read -r prog args; do
	assert_eq /usr/local/bin/emailcfg "$prog" "the program"
	# shellcheck disable=SC2086 # the unit's words
	set -- $(printf '%s\n' "$args" | sed "s|/var/lib/prometheus/node-exporter|$T/textfile|")
	run_rc 0 ec "$@"
	assert_eq "" "$OUT$ERR" "'$args' prints nothing on success"
done <"$T/exec"
[ -s "$T/textfile/emailcfg.prom" ] || fail "the service's metrics not written"

# Every option of the Icinga CheckCommand is one check takes.
sed -n 's/^ *"\(--[a-z-]*\)" = .*/\1/p' contrib/icinga/emailcfg.conf >"$T/icinga"
[ "$(wc -l <"$T/icinga")" -ge 10 ] || fail "the CheckCommand's arguments not found"
while read -r opt; do
	case $opt in
	--org) continue ;;
	--sync) run_rc 0 ec check "$opt" ;;
	--channel) run_rc 0 ec check "$opt" act ;;
	--age-*) run_rc 0 ec check "$opt" 15m ;;
	--max-names) run_rc 0 ec check "$opt" 3 ;;
	*warning) run_rc 1 ec check "$opt" @0: ;;
	*) run_rc 2 ec check "$opt" @0: ;;
	esac
done <"$T/icinga"
# The Nagios command line, its macros filled in.
line=$(sed -n 's/^ *command_line *//p' contrib/nagios/emailcfg.cfg)
line=$(printf '%s\n' "$line" | sed "s|/usr/bin/sudo -n -u emailcfg /usr/local/bin/emailcfg --config [^ ]*|$EMAILCFG --cache $C|;
	s|\\\$ARG1\\\$|$SIM_URL|; s|\\\$ARG2\\\$|20|; s|\\\$ARG3\\\$|30|")
# shellcheck disable=SC2086 # the definition's words
run_rc 0 $line
assert_contains "$OUT" "EMAILCFG OK - 16 failing mailboxes" "the Nagios command runs"

# The checks run as the cache's owner through sudo, and the sudoers rule
# allows exactly the command they run (the organization prod, the service's
# config), no other.
command -v visudo >/dev/null || fail "visudo is missing (Debian package sudo)"
run_rc 0 visudo -cf contrib/sudoers.d/emailcfg
rule=$(sed -n 's/^nagios ALL = (emailcfg) NOPASSWD: //p' contrib/sudoers.d/emailcfg)
assert_eq "/usr/local/bin/emailcfg --config /etc/emailcfg/config --org prod check *" "$rule" "the rule"
grep -q '^User=emailcfg$' $S || fail "the rule's user is the service's"
nagios=$(sed -n 's/^ *command_line *//p' contrib/nagios/emailcfg.cfg | sed 's/\$ARG1\$/prod/')
case $nagios in
"/usr/bin/sudo -n -u emailcfg ${rule%\*}"*) ;;
*) fail "the Nagios command is not the one sudo allows: $nagios" ;;
esac
icinga=$(tr -d '\n' <contrib/icinga/emailcfg.conf | sed -n 's/.*command = \[\([^]]*\)\].*/\1/p' |
	sed 's/[", ]\{1,\}/ /g; s/^ //; s/ $//; s/\$emailcfg_org\$/prod/')
assert_eq "/usr/bin/sudo -n -u emailcfg ${rule% \*}" "$icinga" "the Icinga command is the one sudo allows"
grep -q '^StateDirectoryMode=0700$' $S || fail "the service's state is private to its user"
