#!/bin/sh
# build.sh — what the build promises about its needs and flags: a missing
# library is named with its Debian and Fedora packages and plain `make`
# stops without installing anything (mk/deps.sh, mk/packages.txt); nothing
# is pinned to a version; -Werror only with WERROR=1.
. tests/lib/assert.sh
set -e
# make check may run with WERROR=1 or SANITIZE=1 (make ci): none of it here.
unset MAKEFLAGS MFLAGS MAKELEVEL WERROR SANITIZE
# Everything the build and the tests need is here (make check got this far).
run_rc 0 sh mk/deps.sh --missing build check
assert_eq "" "$OUT" "nothing missing"
# pkg-config that finds nothing: every library is reported, with packages.
PKG_CONFIG_LIBDIR="$T/none" run_rc 1 sh mk/deps.sh --report build
for want in "libcurl4-openssl-dev" "libcurl-devel" "libncurses-dev" "ncurses-devel" \
	"libsqlite3-dev" "sqlite-devel" "libjson-c-dev" "json-c-devel" "libmicrohttpd-dev" \
	"libmicrohttpd-devel" "apt-get install" "dnf install"; do
	assert_contains "$ERR" "$want" "--report names $want"
done
assert_not_contains "$ERR" "cmocka" "the build set does not ask for test packages"
# Plain make stops there, as root too, and installs nothing.
PKG_CONFIG_LIBDIR="$T/none" run_rc 2 make --no-print-directory emailcfg
assert_contains "$ERR" "libcurl4-openssl-dev" "make names the missing package"
assert_not_contains "$OUT$ERR" "installing" "plain make installs nothing"
# Installing starts make over once; a dry run (or an install that did not
# help) stops there instead of starting over forever.
PKG_CONFIG_LIBDIR="$T/none" run_rc 0 timeout 60 make --no-print-directory -n emailcfg
# (On failure say what make printed: this once failed in CI under load.)
[ "$(echo "$OUT" | grep -c 'DEPS_RETRY=1')" = 1 ] ||
	fail "make -n emailcfg did not start over exactly once; it printed: $(echo "$OUT" | head -n 8)"
# The test set is checked only for the test targets.
assert_contains "$(grep '^check ' mk/packages.txt)" "pc:cmocka" "cmocka is a test need"
assert_not_contains "$(grep '^build ' mk/packages.txt)" "dovecot" "dovecot is not a build need"
# No pinned versions (a package name with a version number in it).
pinned=$(grep -v '^#' mk/packages.txt | awk '{print $3, $4}' | grep -E -- '-[0-9]+(\.[0-9]+)*(-|$)' || true)
[ -z "$pinned" ] || fail "pinned packages in mk/packages.txt: $pinned"
# -Werror only when asked for.
run_rc 0 make --no-print-directory -n -B build/core/base/utf8.o
assert_not_contains "$OUT" "-Werror" "no -Werror by default"
run_rc 0 make --no-print-directory -n -B build/core/base/utf8.o WERROR=1
assert_contains "$OUT" "-Werror" "-Werror with WERROR=1"
echo "build: ok"
