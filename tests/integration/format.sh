#!/bin/sh
# format.sh — every C source follows the house style of .clang-format
# (make format applies it).
. tests/lib/assert.sh
command -v clang-format >/dev/null || fail "clang-format is not installed (make deps)"
files=$(git ls-files '*.c' '*.h' 2>/dev/null || find core cli tui sim tests bench fuzz -name '*.[ch]')
out=$(clang-format --dry-run $files 2>&1 | grep 'warning:' | cut -d: -f1 | sort -u)
[ -z "$out" ] || fail "not formatted (run make format): $out"
echo "format: ok"
