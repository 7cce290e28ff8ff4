#!/bin/sh
# tsv-pot.sh FILE — the words of data/alerts.tsv that the admin reads (each
# row's title and fix, columns 4 and 5) as a message template on stdout, so
# make pot puts them beside the C sources' strings. The programs translate
# them where they show them (_(cause->title), _(cause->fix)).
set -eu
awk -F '\t' -v file="$1" '
function po(s,    out, i, ch) {
	out = ""
	for (i = 1; i <= length(s); i++) {
		ch = substr(s, i, 1)
		out = out (ch == "\\" || ch == "\"" ? "\\" : "") ch
	}
	return "\"" out "\""
}
BEGIN {
	print "msgid \"\""
	print "msgstr \"\""
	print "\"Content-Type: text/plain; charset=UTF-8\\n\""
	print ""
}
/^#/ || NF < 5 { next }
{
	for (c = 4; c <= 5; c++) {
		if ($c == "" || seen[$c]++) continue
		print "#: " file ":" NR
		print "msgid " po($c)
		print "msgstr \"\""
		print ""
	}
}' "$1"
