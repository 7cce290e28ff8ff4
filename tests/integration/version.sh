#!/bin/sh
# version.sh — `emailcfg --version` prints the release and the revision the
# binary was built from: in a git checkout the commit (HEAD, or HEAD-dirty),
# in a tarball its REVISION file (dist.sh checks that one).
. tests/lib/assert.sh
set -e
version=$(sed -n 's/^VERSION *:= *//p' Makefile)
run_rc 0 $EMAILCFG --version
assert_eq "emailcfg $version (revision $(sh mk/revision.sh))" "$OUT" "--version"
if [ ! -f REVISION ] && git rev-parse --git-dir >/dev/null 2>&1; then
	assert_contains "$OUT" "(revision $(git rev-parse --short=12 HEAD)" "--version names HEAD"
fi
echo "version: ok"
