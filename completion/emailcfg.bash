# emailcfg.bash — bash completion for emailcfg: commands, flags, the keys
# and values of `settings set`, `mailbox set` and `profile set`, filter keys
# and values, view names, and mailbox and profile names from the cache. The
# candidates come from the program itself (`emailcfg complete -- WORDS`);
# this only hands it the words and quotes what it answers. Installed as
# share/bash-completion/completions/emailcfg by make install.

_emailcfg() {
	local line=${COMP_LINE:0:COMP_POINT} pos=0 i w rest gap
	local -a words=()
	# bash splits at = and : (COMP_WORDBREAKS); emailcfg wants the whole
	# words (incoming=none, type:queue), so pieces with no blank between
	# them in the line are joined again.
	for ((i = 0; i <= COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		rest=${line:pos}
		gap=${rest%%[![:space:]]*}
		pos=$((pos + ${#gap}))
		if ((i > 0 && ${#gap} == 0 && ${#words[@]} > 0)); then
			words[${#words[@]} - 1]+=$w
		else
			words+=("$w")
		fi
		pos=$((pos + ${#w}))
	done
	local cur=${words[${#words[@]} - 1]} q=""
	# What bash replaces is only the last piece; the rest stays as typed.
	local keep=${cur:0:${#cur}-${#COMP_WORDS[COMP_CWORD]}}
	# A word begun with a quote ("Ana N): emailcfg gets it without, and the
	# answer goes back in the same quotes.
	if [[ -z $keep && ($cur == \"* || $cur == \'*) ]]; then
		q=${cur:0:1} cur=${cur:1}
	fi
	local cand reply
	COMPREPLY=()
	while IFS= read -r cand; do
		[[ $cand == "$keep"* ]] || continue
		reply=${cand#"$keep"}
		if [[ $reply == *[=:] ]]; then
			compopt -o nospace 2>/dev/null # the value follows: no space yet
			reply=$q$reply
		elif [[ -n $q ]]; then
			reply=$q$reply$q
		else
			printf -v reply '%q' "$reply"
		fi
		COMPREPLY+=("$reply")
	done < <("${words[0]}" complete -- "${words[@]:1:${#words[@]}-2}" "$cur" 2>/dev/null)
}
complete -o default -F _emailcfg emailcfg
