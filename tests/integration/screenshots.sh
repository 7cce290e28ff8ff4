#!/bin/sh
# screenshots.sh — the pictures of `make screenshots` are committed and shown:
# every file tools/screenshots/shots.tsv names is in screenshots/, each PNG
# is a PNG at least 1000 px wide (its IHDR read with od), the GIF is a GIF,
# and README.md refers to each of them. Installs and runs nothing: the
# pictures are made by a maintainer (make screenshots), not by make check.
. tests/lib/assert.sh
set -e

list=tools/screenshots/shots.tsv
[ -f "$list" ] || fail "no $list"
grep -v '^#' "$list" | cut -f1 >"$T/files"
[ "$(grep -c . "$T/files")" -ge 11 ] || fail "$list names fewer than 11 pictures"
grep -q '\.gif$' "$T/files" || fail "$list names no GIF"

# be32 FILE OFFSET — the big-endian 32-bit number at OFFSET.
be32() {
	od -An -tu1 -j "$2" -N4 "$1" | awk '{ print (($1 * 256 + $2) * 256 + $3) * 256 + $4 }'
}

while read -r f; do
	p=screenshots/$f
	[ -s "$p" ] || fail "$p is missing (make screenshots)"
	case "$f" in
	*.png)
		# The signature, then the IHDR chunk: length 13, "IHDR", width, height.
		sig=$(od -An -tx1 -N8 "$p" | tr -d ' \n')
		assert_eq 89504e470d0a1a0a "$sig" "$p is a PNG"
		assert_eq IHDR "$(dd if="$p" bs=1 skip=12 count=4 2>/dev/null)" "$p's first chunk"
		w=$(be32 "$p" 16)
		h=$(be32 "$p" 20)
		[ "$w" -ge 1000 ] || fail "$p is $w px wide (at least 1000)"
		[ "$h" -ge 300 ] || fail "$p is $h px high"
		;;
	*.gif)
		assert_eq GIF89a "$(dd if="$p" bs=1 count=6 2>/dev/null)" "$p is a GIF"
		;;
	*) fail "$list names $f, neither a PNG nor a GIF" ;;
	esac
	grep -qF "screenshots/$f" README.md || fail "README.md does not show screenshots/$f"
done <"$T/files"

# The tour lists what the list lists, between its markers.
sed -n '/^<!-- tour -->/,/^<!-- \/tour -->/p' README.md >"$T/tour"
[ -s "$T/tour" ] || fail "README.md has no <!-- tour --> section"
grep -v '\.gif$' "$T/files" | while read -r f; do
	grep -qF "screenshots/$f" "$T/tour" || fail "the README's tour lacks screenshots/$f"
done
echo "screenshots: $(grep -c . "$T/files") pictures, each in README.md"
