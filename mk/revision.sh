#!/bin/sh
# revision.sh — prints the revision the source tree in the current directory
# is, for emailcfg --version: the REVISION file of a tarball (make dist
# writes it), else the commit when this directory is the top of a git
# checkout (12 hex digits, "-dirty" when tracked files differ from it), else
# "unknown". A tarball unpacked inside some other checkout is not that
# checkout's commit, hence the comparison of the top directory.
if [ -f REVISION ]; then
	head -n 1 REVISION
elif [ "$(git rev-parse --show-toplevel 2>/dev/null)" = "$(pwd -P)" ]; then
	rev=$(git rev-parse --short=12 HEAD)
	git diff --quiet HEAD -- 2>/dev/null || rev="$rev-dirty"
	echo "$rev"
else
	echo unknown
fi
