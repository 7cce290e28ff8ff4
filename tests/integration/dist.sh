#!/bin/sh
# dist.sh — `make dist` packs exactly the committed files plus REVISION, and
# the tarball builds outside git into an emailcfg whose --version names the
# commit. (The tarball's full `make && make check` is the same suite as
# here; this test builds it and runs the version test there.) Skipped
# outside a git checkout, where there is nothing to pack.
. tests/lib/assert.sh
set -e
if [ -f REVISION ] || ! git rev-parse --git-dir >/dev/null 2>&1; then
	echo "dist: not a git checkout; skipped"
	exit 0
fi
version=$(sed -n 's/^VERSION *:= *//p' Makefile)
# A make started by make check must not pass its variables (SANITIZE=1) on.
# make check may run with WERROR=1 or SANITIZE=1 (make ci): none of it here.
unset MAKEFLAGS MFLAGS MAKELEVEL WERROR SANITIZE
run_rc 0 make --no-print-directory dist
mv "emailcfg-$version.tar.gz" "$T/"
tar xzf "$T/emailcfg-$version.tar.gz" -C "$T"
src="$T/emailcfg-$version"
assert_eq "$(git rev-parse --short=12 HEAD)" "$(cat "$src/REVISION")" "REVISION"
(cd "$src" && find . -type f ! -name REVISION | sed 's|^\./||' | sort) >"$T/packed"
git ls-tree -r --name-only HEAD | sort >"$T/committed"
cmp -s "$T/packed" "$T/committed" || fail "the tarball is not the committed tree: $(diff "$T/committed" "$T/packed" | head)"
# Built outside git (GIT_DIR pointing nowhere: no parent checkout is found).
run_rc 0 env GIT_CEILING_DIRECTORIES="$T" make --no-print-directory -C "$src" -j2 all
(cd "$src" && GIT_CEILING_DIRECTORIES="$T" sh tests/integration/version.sh) >"$T/v.log" 2>&1 ||
	fail "version test in the tarball: $(cat "$T/v.log")"
assert_contains "$("$src/emailcfg" --version)" "(revision $(git rev-parse --short=12 HEAD))" \
	"the tarball's emailcfg names the commit"
echo "dist: ok"
