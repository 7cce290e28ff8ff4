#!/bin/sh
# completion.sh — bash completion (completion/emailcfg.bash, sourced in bash)
# answers from the program's own tables and cache: commands, flags, the keys
# and values of `settings set` and `mailbox set`, filter keys and values,
# view names (built-in and saved), mailbox and profile names from the demo
# session's cache (a hostile name is never offered, and at most 100 are);
# `complete` is hidden from --help, and words after `--` are not options.
# The words bash hands the function are made as bash makes them (= and :
# are words of their own), and three cases run in a real bash in tmux; where
# zsh is installed (it is not a dependency) its script parses and two cases
# run in a real zsh.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
set -e
command -v bash >/dev/null || fail "bash is not installed"
export LC_ALL=C.UTF-8
mkdir -p "$T/bin"
ln -s "$PWD/emailcfg" "$T/bin/emailcfg"
export PATH="$T/bin:$PATH"

# comp LINE — the replies of _emailcfg with the cursor at the end of LINE,
# one a line.
cat >"$T/comp.bash" <<'EOS'
. completion/emailcfg.bash
comp() {
	local line=$1 i c w="" q=""
	COMP_LINE=$line COMP_POINT=${#line} COMP_WORDS=()
	for ((i = 0; i < ${#line}; i++)); do
		c=${line:i:1}
		if [[ -n $q ]]; then w+=$c; [[ $c == "$q" ]] && q=""; continue; fi
		case $c in
		\" | \') q=$c w+=$c ;;
		' ') [[ -n $w ]] && COMP_WORDS+=("$w"); w="" ;;
		[=:]) [[ -n $w ]] && COMP_WORDS+=("$w"); COMP_WORDS+=("$c"); w="" ;;
		*) w+=$c ;;
		esac
	done
	[[ -n $w || ${line: -1} == ' ' ]] && COMP_WORDS+=("$w")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	_emailcfg
	printf '%s\n' "${COMPREPLY[@]}"
}
EOS
comp() { bash -c '. "$1"; comp "$2"' sh "$T/comp.bash" "$1"; }
lines() { printf '%s\n' "$@"; }

assert_eq "$(lines mailboxes mailbox)" "$(comp 'emailcfg mai')" "emailcfg mai<TAB>"
assert_eq "$(lines set defaults)" "$(comp 'emailcfg --offline mailbox ')" "mailbox's second words (no cache)"
assert_eq "$(lines =none =outlook =server-side-sync =forward-mailbox)" \
	"$(comp 'emailcfg mailbox set X incoming=')" "mailbox set X incoming=<TAB>"
assert_eq "server-side-sync" "$(comp 'emailcfg mailbox set X outgoing=serv')" "a value's prefix"
assert_contains "$(comp 'emailcfg mailbox set X ')" "allow-credentials=" "mailbox set's keys"
assert_contains "$(comp 'emailcfg settings set ')" "approve-users=" "settings set's keys"
assert_eq "$(lines =yes =no)" "$(comp 'emailcfg settings set approve-users=')" "a yes/no key's values"
views=$(comp 'emailcfg mailboxes --view ')
assert_eq "$(./emailcfg view list --json | $JSON_GET each . name)" "$views" "mailboxes --view <TAB>"
run_rc 0 ./emailcfg view save my-queues 'type:queue'
assert_contains "$(comp 'emailcfg mailboxes --view ')" "my-queues" "a saved view"
assert_eq "my-queues" "$(comp 'emailcfg view delete m')" "view delete offers saved views only"
assert_eq "queue" "$(comp 'emailcfg mailboxes --filter type:q')" "a filter value"
assert_eq "approval:" "$(comp 'emailcfg mailboxes --filter appr')" "a filter key"
assert_eq "'type:queue approval:" "$(comp "emailcfg mailboxes --filter 'type:queue appr")" \
	"the last term of a quoted filter"
assert_contains "$(comp 'emailcfg mailboxes --')" "--view" "a command's flags"
assert_contains "$(comp 'emailcfg mailboxes --')" "--offline" "the global flags"
assert_eq "--filter" "$(comp 'emailcfg approve --fi')" "a bulk command's --filter"
assert_eq "--all" "$(comp 'emailcfg test --al')" "a bulk command's --all"
assert_eq "$(lines --theirs)" "$(comp 'emailcfg outbox resolve 1 --th')" "outbox resolve --theirs"
assert_contains "$(comp 'emailcfg alerts --level ')" "warning" "--level's values"
assert_contains "$(comp 'emailcfg mailboxes --sort -')" "-name" "descending sort keys"
# --org: the [org NAME] sections of the configuration, --config's or the default one.
mkdir -p "$T/orgs/emailcfg"
printf '[org prod]\nurl = https://a.crm4.dynamics.com\n[org test]\nurl = https://b.crm4.dynamics.com\n' \
	>"$T/orgs/emailcfg/config"
assert_eq "$(lines prod test)" "$(XDG_CONFIG_HOME=$T/orgs comp 'emailcfg --org ')" "--org's names"
assert_eq "test" "$(comp "emailcfg --config $T/orgs/emailcfg/config mailboxes --org t")" \
	"--org's names from --config"

# `complete` is the scripts' and nobody else's: not in --help or its own list.
run_rc 0 ./emailcfg --help
assert_not_contains "$OUT" "complete" "--help"
assert_eq "" "$(comp 'emailcfg comp')" "complete offered as a command"
# Nothing after `--` is a global option: --demo in the words starts nothing.
run_rc 0 ./emailcfg complete -- --demo mailbox A
[ ! -e "$XDG_RUNTIME_DIR/emailcfg-demo" ] || fail "completing --demo words touched the demo session"
run_rc 0 ./emailcfg complete -- --help
assert_eq "--help" "$OUT" "completing --help (not the help)"

# Names from the demo session's cache, quoted for the shell.
run_rc 0 ./emailcfg --demo status
assert_eq "$(lines 'Ana\ Novak' 'Andraž\ Šinkovec' 'Anže\ Kuhar')" "$(comp 'emailcfg --demo mailbox An')" \
	"mailbox names from the cache"
assert_eq '"Ana Novak"' "$(comp 'emailcfg --demo test "Ana N')" "a name begun with a quote"
assert_contains "$(comp 'emailcfg --demo mailbox set "Ana Novak" server-profile=')" \
	'=Microsoft\ Exchange\ Online' "server-profile's values are the profiles"
assert_contains "$(comp 'emailcfg --demo profile ')" 'Microsoft\ Exchange\ Online' "profile names"
assert_eq 'ana.novak@kovinoplast.si' "$(comp 'emailcfg --demo approve ana.novak@')" "an email"
# The same through --cache.
cache=$XDG_RUNTIME_DIR/emailcfg-demo/demo.db
assert_eq "$(lines 'Ana\ Novak' 'Andraž\ Šinkovec' 'Anže\ Kuhar')" "$(comp "emailcfg --cache $cache mailbox An")" \
	"mailbox names from --cache"

# Hostile names are never offered; at most 100 names are. 300 generated
# mailboxes, three renamed Zz... with an escape sequence, a bidi override,
# and a line break.
sim_start --data none --generate 300
client_env
run_rc 0 ec sync
run_rc 0 ec mailboxes --json
set -- $(echo "$OUT" | $JSON_GET each . id | head -4)
rename() { assert_eq 200 "$(sim_ctl PATCH "mailboxes($1)" "{\"name\":$2}")" "rename $1"; }
rename "$1" '"Zz\u001b]0;pwned\u0007"'
rename "$2" '"Zz\u202egnp.exe"'
rename "$3" '"Zz\nrm -rf ~"'
rename "$4" '"Zz plain"'
run_rc 0 ec sync
assert_eq 'Zz\ plain' "$(comp "emailcfg --org $SIM_URL --cache $C mailbox Zz")" "only the plain Zz name"
assert_eq 100 "$(comp "emailcfg --org $SIM_URL --cache $C mailbox set " | wc -l)" "names offered at most"
# Outbox ids: drop offers every entry still in the outbox, resolve only a
# conflict, retry only a failed edit (two queued, then one marked failed).
run_rc 0 ec --offline mailbox set "Zz plain" act=none
run_rc 0 ec --offline mailbox set "$1" outgoing=none
set -- $(sqlite3 "$C" "SELECT id FROM outbox WHERE state = 'queued' ORDER BY id")
assert_eq 2 "$#" "two queued edits"
oc() { comp "emailcfg --org $SIM_URL --cache $C outbox $1 "; }
assert_eq "$(lines "$1" "$2")" "$(oc drop)" "outbox drop <TAB>: the entries"
assert_eq "" "$(oc resolve)" "outbox resolve <TAB>: no conflict"
sqlite3 "$C" "UPDATE outbox SET state = 'failed', error = 'x' WHERE id = $2"
assert_eq "$2" "$(oc retry)" "outbox retry <TAB>: the failed one"

# The same in a real bash, through the keyboard: TAB twice lists both; a
# KEY=VALUE and a filter term (split by bash at = and :) complete whole.
if command -v tmux >/dev/null; then
	sock=$T/tmux
	tmux -S "$sock" -f /dev/null new-session -d -x 100 -y 10 "bash --norc --noprofile -i"
	trap 'tmux -S "$sock" kill-server 2>/dev/null || true; sim__cleanup; demo__cleanup; rm -rf "$T"' EXIT
	pane() { tmux -S "$sock" capture-pane -p; }
	wait_pane() { # TEXT
		i=0
		until pane | grep -qF -- "$1"; do
			i=$((i + 1))
			[ $i -lt 100 ] || fail "no [$1] on the terminal: $(pane)"
			sleep 0.1
		done
	}
	tmux -S "$sock" send-keys "PS1='READY\$ '; . completion/emailcfg.bash" Enter
	wait_pane 'READY$'
	tmux -S "$sock" send-keys "emailcfg mai" Tab
	wait_pane 'READY$ emailcfg mailbox'
	tmux -S "$sock" send-keys Tab Tab
	wait_pane 'mailboxes'
	tmux -S "$sock" send-keys C-u "emailcfg mailbox set X incoming=serv" Tab
	wait_pane 'READY$ emailcfg mailbox set X incoming=server-side-sync'
	tmux -S "$sock" send-keys C-u "emailcfg mailboxes --filter type:q" Tab
	wait_pane 'READY$ emailcfg mailboxes --filter type:queue'
	assert_contains "$(tmux -S "$sock" capture-pane -p)" "mailbox " "real bash lists mailbox"
fi

# The zsh script parses and, in a real zsh, completes the same (zsh is not
# a dependency: only where it is installed).
if command -v zsh >/dev/null; then
	zsh -n completion/_emailcfg || fail "completion/_emailcfg does not parse"
	if command -v tmux >/dev/null; then
		mkdir -p "$T/zdot"
		cat >"$T/zdot/.zshrc" <<EOZ
fpath=($PWD/completion \$fpath)
autoload -Uz compinit && compinit -u -d "$T/zdot/compdump"
PS1='ZREADY%# '
EOZ
		tmux -S "$sock" new-window "env ZDOTDIR=$T/zdot zsh -i"
		wait_pane 'ZREADY'
		tmux -S "$sock" send-keys "emailcfg mailbox set X incoming=serv" Tab
		wait_pane 'ZREADY# emailcfg mailbox set X incoming=server-side-sync'
		tmux -S "$sock" send-keys C-u "emailcfg mailboxes --filter type:q" Tab
		wait_pane 'ZREADY# emailcfg mailboxes --filter type:queue'
	fi
fi
echo "completion: ok"
