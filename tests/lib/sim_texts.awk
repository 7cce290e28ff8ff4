# sim_texts.awk — prints, one per line, every C string literal (adjacent
# literals joined, escapes kept) of the files read that names a mailbox
# with %s: the alert texts the emulator writes (tests/integration/alerts_causes.sh).
{ src = src $0 "\n" }
END {
	n = length(src); i = 1; cur = ""; have = 0
	while (i <= n) {
		c = substr(src, i, 1)
		if (c == "\"") {
			i++
			while (i <= n && substr(src, i, 1) != "\"") {
				if (substr(src, i, 1) == "\\") { cur = cur substr(src, i, 2); i += 2; continue }
				cur = cur substr(src, i, 1); i++
			}
			have = 1; i++; continue
		}
		if (c ~ /[ \t\n]/) { i++; continue }
		if (have) { if (tolower(cur) ~ /mailbox %s/) print cur; cur = ""; have = 0 }
		i++
	}
}
