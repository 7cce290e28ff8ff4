# paging.sh — keyset paging over 12,345 generated mailboxes with page size
# 500: every row exactly once, also when rows change, are inserted and are
# deleted between pages; the nextLink's $skiptoken has Dataverse's structure
# (docs/dataverse.md); ordered paging and $top/$count.
. tests/lib/sim.sh
sim_start --data none --generate 12345 --seed 7
sim_token
SIZE=500
P="Prefer: odata.maxpagesize=$SIZE"

# walk URL OUT_FILE [HOOK] — follows nextLinks verbatim, appends ids to OUT_FILE,
# calls HOOK PAGE after each page; sets PAGES.
walk() {
	url=$1
	: >"$2"
	PAGES=0
	while [ -n "$url" ]; do
		st=$(sim_req GET "$url" -H "$P")
		[ "$st" = 200 ] || fail "page $PAGES answered $st: $(cat "$SIM_BODY")"
		PAGES=$((PAGES + 1))
		n=$(jv 'value/#')
		url=$(jv '@odata.nextLink') || url=""
		[ -z "$url" ] || [ "$n" = "$SIZE" ] || fail "page $PAGES has $n rows but a nextLink"
		jv 'value/*/mailboxid' >>"$2"
		[ -z "${3:-}" ] || [ -z "$url" ] || $3 $PAGES
	done
}

# 1. plain walk
walk 'mailboxes?$select=name,emailaddress' "$SIM_TMP/ids1"
expect_eq "rows" 12345 "$(wc -l <"$SIM_TMP/ids1" | tr -d ' ')"
expect_eq "distinct rows" 12345 "$(sort -u "$SIM_TMP/ids1" | wc -l | tr -d ' ')"
expect_eq "pages" 25 "$PAGES"
expect_match "Preference-Applied" '^odata.maxpagesize=500$' "$(sim_header Preference-Applied)"

# 2. the nextLink's structure, compared with the documented example
st=$(sim_req GET 'mailboxes?$select=name&$filter=statecode%20eq%200' -H "$P")
link=$(jv '@odata.nextLink')
expect_match "nextLink prefix" "^$SIM_API/mailboxes\\?\\\$select=name&\\\$filter=statecode%20eq%200&\\\$skiptoken=%3Ccookie%20pagenumber=%222%22%20pagingcookie=%22%253ccookie%2520page%253d%25221%2522%253e%253cmailboxid%2520last%253d%2522%257b" "$link"
token=${link#*\$skiptoken=}
outer=$(pct_decode "$token")
expect_match "outer cookie" '^<cookie pagenumber="2" pagingcookie="[^"]*" istracking="False" />$' "$outer"
paging=$(printf '%s\n' "$outer" | sed 's/.*pagingcookie="\([^"]*\)".*/\1/')
expect_match "inner escapes are lower case" '^%3ccookie%20page%3d%221%22%3e%3cmailboxid%20last%3d%22%7b' "$paging"
inner=$(pct_decode "$paging")
G='[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}'
expect_match "inner cookie" "^<cookie page=\"1\"><mailboxid last=\"\\{$G\\}\" first=\"\\{$G\\}\" /></cookie>\$" "$inner"
last=$(jv 'value/499/mailboxid' | tr 'a-f' 'A-F')
first=$(jv 'value/0/mailboxid' | tr 'a-f' 'A-F')
expect_match "cookie carries the last and first ids" "last=\"\\{$last\\}\" first=\"\\{$first\\}\"" "$inner"
# page 2's cookie says page 2 / pagenumber 3
sim_req GET "$link" -H "$P" >/dev/null
inner2=$(pct_decode "$(pct_decode "$(jv '@odata.nextLink' | sed 's/.*\$skiptoken=//')" | sed 's/.*pagingcookie="\([^"]*\)".*/\1/')")
expect_match "second cookie" '^<cookie page="2">' "$inner2"

# 3. walk again while rows change, appear and disappear behind the client's back
hook() {
	k=$1
	seen=$(sed -n "$((k * 500 - 3))p" "$SIM_TMP/ids1")
	ahead=$(sed -n "$((k * 500 + 17))p" "$SIM_TMP/ids1")
	gone=$(sed -n "$((k * 500 + 250))p" "$SIM_TMP/ids1")
	[ "$(sim_ctl PATCH "mailboxes($seen)" '{"name":"changed behind your back"}')" = 200 ] || fail "change $seen"
	if [ -n "$ahead" ]; then
		[ "$(sim_ctl PATCH "mailboxes($ahead)" '{"name":"changed ahead","statecode":1}')" = 200 ] || fail "change $ahead"
	fi
	if [ -n "$gone" ] && [ $k -lt 24 ]; then
		[ "$(sim_ctl DELETE "mailboxes($gone)")" = 204 ] || fail "delete $gone"
		echo "$gone" >>"$SIM_TMP/deleted"
	fi
	hi=$(printf 'ffffffff-ffff-4fff-bfff-%012d' "$k")
	lo=$(printf '00000000-0000-4000-8000-%012d' "$k")
	sim_ctl POST mailboxes "{\"mailboxid\":\"$hi\",\"name\":\"Nova $k\"}" >/dev/null
	sim_ctl POST mailboxes "{\"mailboxid\":\"$lo\",\"name\":\"Stara $k\"}" >/dev/null
	echo "$hi" >>"$SIM_TMP/inserted"
}
: >"$SIM_TMP/deleted"
: >"$SIM_TMP/inserted"
walk 'mailboxes?$select=name,statecode' "$SIM_TMP/ids2" hook
expect_eq "no row twice" 0 "$(sort "$SIM_TMP/ids2" | uniq -d | wc -l | tr -d ' ')"
sort -u "$SIM_TMP/ids1" >"$SIM_TMP/s1"
sort -u "$SIM_TMP/deleted" >"$SIM_TMP/sd"
comm -23 "$SIM_TMP/s1" "$SIM_TMP/sd" >"$SIM_TMP/expected"
sort -u "$SIM_TMP/inserted" >>"$SIM_TMP/expected"
sort -u "$SIM_TMP/expected" -o "$SIM_TMP/expected"
sort -u "$SIM_TMP/ids2" >"$SIM_TMP/s2"
if ! cmp -s "$SIM_TMP/expected" "$SIM_TMP/s2"; then
	comm -3 "$SIM_TMP/expected" "$SIM_TMP/s2" | head >&2
	fail "the walk with changes returned a different set of rows"
fi
grep -q '^00000000-0000-4000-8000' "$SIM_TMP/ids2" && fail "a row inserted behind the cursor showed up"

# 4. ordered paging: name desc with ties (many equal names) still returns each row once
SIZE=1000
P="Prefer: odata.maxpagesize=$SIZE"
walk 'mailboxes?$select=name&$orderby=name%20desc,emailaddress' "$SIM_TMP/ids3"
total=$(sim_ctl GET '' >/dev/null; jv 'sets/2/rows')
expect_eq "ordered walk rows" "$total" "$(wc -l <"$SIM_TMP/ids3" | tr -d ' ')"
expect_eq "ordered walk distinct" "$total" "$(sort -u "$SIM_TMP/ids3" | wc -l | tr -d ' ')"
sim_req GET 'mailboxes?$select=name&$orderby=name%20desc,emailaddress' -H "$P" >/dev/null
inner=$(pct_decode "$(pct_decode "$(jv '@odata.nextLink' | sed 's/.*\$skiptoken=//')" | sed 's/.*pagingcookie="\([^"]*\)".*/\1/')")
expect_match "ordered cookie carries the order columns" '^<cookie page="1"><name last="[^"]*" first="[^"]*" /><emailaddress last="[^"]*" first="[^"]*" /><mailboxid last="\{' "$inner"

# 5. $top across pages and $count (capped at 5000 as documented)
SIZE=400
P="Prefer: odata.maxpagesize=$SIZE"
walk 'mailboxes?$select=name&$top=1000&$count=true' "$SIM_TMP/ids4"
expect_eq "top rows" 1000 "$(wc -l <"$SIM_TMP/ids4" | tr -d ' ')"
sim_req GET 'mailboxes?$select=name&$count=true&$filter=startswith(name,%27Nova%27)' >/dev/null
expect_eq "count" 24 "$(jv '@odata.count')"
sim_req GET 'mailboxes?$select=name&$count=true' >/dev/null
expect_eq "count cap" 5000 "$(jv '@odata.count')"
sim_stop || fail "emailcfg-sim did not exit cleanly"
echo "paging: ok"
