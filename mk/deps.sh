#!/bin/sh
# deps.sh [--check] — installs the Debian packages listed in mk/packages.txt
# that are missing (make deps). As root it runs apt-get itself; otherwise it
# prints the exact command to run and fails, so a build never half-starts.
# With --check it only answers: exit 0 when nothing is missing (the Makefile
# asks this before every build).
set -eu
here=$(dirname "$0")
pkgs=$(grep -v '^[[:space:]]*#' "$here/packages.txt" | grep -v '^[[:space:]]*$')
missing=""
for p in $pkgs; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in *" installed") ;; *) missing="$missing $p" ;; esac
done
if [ "${1:-}" = "--check" ]; then
	[ -z "$missing" ]
	exit
fi
if [ -z "$missing" ]; then
	echo "deps: every package is installed"
	exit 0
fi
cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing Debian packages:$missing" >&2
	echo "deps: run as root:  apt-get update && $cmd" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
