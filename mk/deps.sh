#!/bin/sh
# deps.sh MODE SET... — are the needs of the target groups SET (build, check,
# fuzz, format, screenshots; see mk/packages.txt) met, and if not, which
# packages bring them. The Makefile asks before building, so a missing
# library is named instead of surfacing as a compiler error.
#
#   --missing  print the CHECK of every unmet need, one a line (exit 0)
#   --report   say what is missing with the Debian and Fedora packages and
#              the command that installs them; exit 1 if anything is
#   --install  as root on Debian/Ubuntu, apt-get install what is missing;
#              anywhere else, --report
#
# Nothing is asked of dpkg or rpm: each need is checked where it is used
# (pkg-config for a library, PATH for a program), so a library built from
# source counts, and the build works on any distribution.
set -eu
here=$(dirname "$0")
mode=${1:?usage: deps.sh --missing|--report|--install SET...}
shift
sets=" $* "

# met CHECK: exit 0 when the need is there.
met() {
	case "$1" in
	pc:*) pkg-config --exists "${1#pc:}" 2>/dev/null ;;
	pcv:*)
		rest=${1#pcv:}
		pkg-config --atleast-version="${rest#*:}" "${rest%%:*}" 2>/dev/null ;;
	cmd:*) command -v "${1#cmd:}" >/dev/null 2>&1 ;;
	cc) command -v "${CC:-cc}" >/dev/null 2>&1 ;;
	dovecot:*)
		# Debian keeps the services in /usr/lib/dovecot, Fedora in /usr/libexec/dovecot.
		[ -x "/usr/lib/dovecot/${1#dovecot:}" ] || [ -x "/usr/libexec/dovecot/${1#dovecot:}" ] ;;
	locale:*)
		# glibc spells it C.UTF-8 or C.utf8.
		want=$(echo "${1#locale:}" | tr 'A-Z' 'a-z' | sed 's/utf-8/utf8/')
		locale -a 2>/dev/null | tr 'A-Z' 'a-z' | sed 's/utf-8/utf8/' | grep -qx "$want" ;;
	file:*)
		rest=${1#file:}
		while [ -n "$rest" ]; do
			f=${rest%%|*}
			[ -e "$f" ] && return 0
			case "$rest" in *"|"*) rest=${rest#*|} ;; *) rest= ;; esac
		done
		return 1 ;;
	pymod:*)
		# A module of the system's Python (not one first on PATH, which may
		# be another installation).
		/usr/bin/python3 -c "import ${1#pymod:}" >/dev/null 2>&1 ;;
	libfuzzer)
		# The runtime's file name and directory vary with the clang version;
		# linking a fuzzer is the one test that does not.
		command -v clang >/dev/null 2>&1 || return 1
		tmp=$(mktemp -d)
		printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
			'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
			'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
			>"$tmp/f.c"
		clang -fsanitize=fuzzer -o "$tmp/f" "$tmp/f.c" >/dev/null 2>&1
		rc=$?
		rm -rf "$tmp"
		return $rc ;;
	*) echo "deps.sh: unknown check '$1' in mk/packages.txt" >&2; return 1 ;;
	esac
}

# The unmet needs of the sets asked for: "CHECK DEBIAN FEDORA" lines.
unmet=$(grep -v '^[[:space:]]*#' "$here/packages.txt" | grep -v '^[[:space:]]*$' |
	while read -r set check debian fedora; do
		case "$sets" in *" $set "*) ;; *) continue ;; esac
		met "$check" || echo "$check $debian $fedora"
	done)

if [ "$mode" = --missing ]; then
	[ -z "$unmet" ] || echo "$unmet" | cut -d' ' -f1
	exit 0
fi
[ -n "$unmet" ] || exit 0

# One package may bring several needs (dovecot on Fedora): list each once.
debian=$(echo "$unmet" | cut -d' ' -f2 | sort -u | tr '\n' ' ')
fedora=$(echo "$unmet" | cut -d' ' -f3 | sort -u | tr '\n' ' ')
apt_cmd="apt-get install -y --no-install-recommends ${debian% }"

if [ "$mode" = --install ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "deps: installing ${debian% }"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends ${debian% }
	# Debian's locales package brings the sources of every locale but
	# builds only those of /etc/locale.gen: build the ones asked for.
	echo "$unmet" | while read -r check deb fed; do
		case "$check" in
		locale:C.* | locale:POSIX) ;;
		locale:*.*)
			name=${check#locale:}
			echo "deps: generating the locale $name"
			localedef -i "${name%%.*}" -f "${name#*.}" "$name" ;;
		esac
	done
	exit 0
fi

{
	echo "deps: missing for '$(echo $*)':"
	echo "$unmet" | while read -r check deb fed; do
		need=${check#*:}
		case "$check" in pcv:*) need="${need%%:*} >= ${need#*:} (have $(pkg-config --modversion "${need%%:*}" 2>/dev/null || echo none))" ;; esac
		printf '  %-22s Debian/Ubuntu: %-22s Fedora: %s\n' "$need" "$deb" "$fed"
	done
	echo "deps: install them with one of"
	echo "  apt-get update && $apt_cmd"
	echo "  dnf install -y ${fedora% }"
} >&2
exit 1
