# rows.sh — the emulator's row serialiser (sim/json_out.c) against what
# the rows hold: pages of 6,000 generated mailboxes with all, some and no
# annotations are parsed (jget -t) and every member of every row is checked
# here, independently of the emulator: the order of the keys, each value's
# JSON type, the etag, choice and yes/no labels, grouped numbers, US dates,
# the lookups' navigation property, logical name and display name (read
# from the referenced rows); then @odata.count, the nextLinks of a whole
# walk, a single row, strings that need escaping, dates at the edges of the
# calendar, a choice value without a label and a number sent quoted.
. tests/lib/sim.sh
sim_start --data none --generate 6000 --seed 7
sim_token
SEL=mailboxid,name,emailaddress,_regardingobjectid_value,_emailserverprofile_value,incomingemaildeliverymethod,outgoingemaildeliverymethod,actdeliverymethod,incomingemailstatus,outgoingemailstatus,actstatus,mailboxstatus,emailrouteraccessapproval,enabledforincomingemail,enabledforoutgoingemail,enabledforact,testemailconfigurationscheduled,testmailboxaccesscompletedon,testemailconfigurationretrycount,allowemailconnectortousecredentials,username,ispasswordset,isforwardmailbox,statecode,modifiedon,versionnumber
ALL='Prefer: odata.maxpagesize=1000,odata.include-annotations="*"'

# 1. rows with the edges: escapes, dates, a choice value without a label
sim_req GET "mailboxes?\$select=name,_regardingobjectid_value&\$top=3" >/dev/null
m0=$(jv 'value/0/mailboxid')
m1=$(jv 'value/1/mailboxid')
owner2=$(jv 'value/2/_regardingobjectid_value')
st=$(sim_ctl PATCH "mailboxes($m0)" '{"name":"q\"uo\\te\n\t\r\u0001\u001f é ž <&>","incomingemailstatus":7,"testmailboxaccesscompletedon":"1950-06-30T23:59:59Z","modifiedon":"2024-02-29T00:00:00Z","testemailconfigurationretrycount":1234567}')
expect_eq "edge row 0 set" 200 "$st"
st=$(sim_ctl PATCH "mailboxes($m1)" '{"testmailboxaccesscompletedon":"9999-12-31T12:00:00Z","modifiedon":"1970-01-01T00:00:00Z","username":"a\\b"}')
expect_eq "edge row 1 set" 200 "$st"
st=$(sim_ctl PATCH "systemusers($owner2)" '{"fullname":"Ana \"Ančka\" Novak\\\\"}')
[ "$st" = 200 ] || st=$(sim_ctl PATCH "queues($owner2)" '{"name":"Ana \"Ančka\" Novak\\\\"}')
expect_eq "edge owner set" 200 "$st"

# names: "entity<TAB>id<TAB>name as JSON" of every row a lookup may point to
names() { # set logical name-column
	u="$1?\$select=$3"
	while [ -n "$u" ]; do
		sim_req GET "$u" -H 'Prefer: odata.maxpagesize=5000' >/dev/null
		"$JGET" -t "$SIM_BODY" 'value/*' | awk -F '\t' -v ent="$2" -v col="$3" '
			$1 == col { name = $2 } $1 == ent "id" { id = $2 }
			$0 == "" { gsub(/"/, "", id); print ent "\t" id "\t" name }'
		u=$(jv '@odata.nextLink') || u=""
	done
}
{
	names systemusers systemuser fullname
	names queues queue name
	names emailserverprofiles emailserverprofile name
} >"$SIM_TMP/names"
[ "$(wc -l <"$SIM_TMP/names")" -gt 5000 ] || fail "too few lookup targets read"

# check ANNOTATIONS PAGE: every row of PAGE against the rules; ANNOTATIONS
# says which were asked for: "fv nav logical" in any combination.
check() {
	"$JGET" -t "$2" 'value/*' >"$SIM_TMP/rows" || fail "no rows in $2"
	awk -F '\t' -v sel="$SEL" -v ann="$1" -f /dev/stdin "$SIM_TMP/names" "$SIM_TMP/rows" <<'EOF'
BEGIN {
	n = split(sel, cols, ",")
	for (i = 1; i <= n; i++) type[cols[i]] = "choice"
	type["mailboxid"] = "guid"
	type["name"] = type["emailaddress"] = type["username"] = "string"
	type["_regardingobjectid_value"] = type["_emailserverprofile_value"] = "lookup"
	split("enabledforincomingemail enabledforoutgoingemail enabledforact testemailconfigurationscheduled allowemailconnectortousecredentials ispasswordset isforwardmailbox", b, " ")
	for (i in b) type[b[i]] = "bool"
	type["testmailboxaccesscompletedon"] = type["modifiedon"] = "date"
	type["testemailconfigurationretrycount"] = type["versionnumber"] = "int"
	labels("incomingemaildeliverymethod", "None|Microsoft Dynamics 365 for Outlook|Server-Side Synchronization|Forward Mailbox")
	labels("outgoingemaildeliverymethod", "None|Microsoft Dynamics 365 for Outlook|Server-Side Synchronization")
	labels("actdeliverymethod", "Microsoft Dynamics 365 for Outlook|Server-Side Synchronization|None")
	split("incomingemailstatus outgoingemailstatus actstatus mailboxstatus", b, " ")
	for (i in b) labels(b[i], "Not Run|Success|Failure")
	labels("emailrouteraccessapproval", "Empty|Approved|Pending Approval|Rejected")
	labels("statecode", "Active|Inactive")
	nav["_regardingobjectid_value", "systemuser"] = "regardingobjectid"
	nav["_regardingobjectid_value", "queue"] = "regardingobjectid_queue"
	nav["_emailserverprofile_value", "emailserverprofile"] = "emailserverprofile"
	fv = ann ~ /fv/; an_nav = ann ~ /nav/; an_log = ann ~ /logical/
	FV = "@OData.Community.Display.V1.FormattedValue"
	NAV = "@Microsoft.Dynamics.CRM.associatednavigationproperty"
	LOG = "@Microsoft.Dynamics.CRM.lookuplogicalname"
}
function labels(col, text,    l, k) {
	k = split(text, l, "|")
	for (i = 1; i <= k; i++) label[col, i - 1] = "\"" l[i] "\""
}
function bad(msg) {
	if (++errors <= 10) print "row " rows ": " msg
}
function want(key) { expect[++ne] = key }
function group(v,    neg, out) {
	neg = v ~ /^-/; sub(/^-/, "", v)
	out = ""
	while (length(v) > 3) { out = "," substr(v, length(v) - 2) out; v = substr(v, 1, length(v) - 3) }
	return (neg ? "-" : "") v out
}
function usdate(v,    h, H) {
	H = substr(v, 13, 2) + 0; h = H % 12
	return "\"" (substr(v, 7, 2) + 0) "/" (substr(v, 10, 2) + 0) "/" (substr(v, 2, 4) + 0) " " \
	    (h ? h : 12) ":" substr(v, 16, 2) " " (H < 12 ? "AM" : "PM") "\""
}
function column(c, v,    t, ent, id) {
	t = type[c]
	if (v == "null") { want(c); return }
	if (t == "guid" || t == "string") {
		want(c)
		if (t == "guid" && !(v ~ /^"[0-9a-f]+-[0-9a-f]+-[0-9a-f]+-[0-9a-f]+-[0-9a-f]+"$/ && length(v) == 38))
			bad(c " is not a GUID: " v)
		if (t == "string" && v !~ /^".*"$/) bad(c " is not a string: " v)
	} else if (t == "lookup") {
		id = v; gsub(/"/, "", id)
		ent = kind[id]
		if (ent == "") bad(c " points nowhere: " v)
		if (fv) { want(c FV); if (val[c FV] != name[id]) bad(c FV " is " val[c FV] ", the row's name is " name[id]) }
		if (an_nav) { want(c NAV); if (val[c NAV] != "\"" nav[c, ent] "\"") bad(c NAV " is " val[c NAV] " for a " ent) }
		if (an_log) { want(c LOG); if (val[c LOG] != "\"" ent "\"") bad(c LOG " is " val[c LOG] ", the row is a " ent) }
		want(c)
	} else {
		if (t == "bool" && v != "true" && v != "false") bad(c " is not a boolean: " v)
		if ((t == "choice" || t == "int") && v !~ /^-?[0-9]+$/) bad(c " is not a number: " v)
		if (t == "date" && v !~ /^"[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z"$/)
			bad(c " is not a date: " v)
		if (t == "choice" && !((c, v) in label)) { want(c); return } # a value without a label
		if (fv) {
			want(c FV)
			if (t == "bool") text = v == "true" ? "\"Yes\"" : "\"No\""
			else if (t == "choice") text = label[c, v]
			else if (t == "int") text = "\"" group(v) "\""
			else text = usdate(v)
			if (val[c FV] != text) bad(c FV " is " val[c FV] ", expected " text " for " v)
		}
		want(c)
	}
}
function row(    i) {
	rows++; ne = 0
	want("@odata.etag")
	if (val["@odata.etag"] != "\"W/\\\"" val["versionnumber"] "\\\"\"")
		bad("etag " val["@odata.etag"] " for version " val["versionnumber"])
	for (i = 1; i <= n; i++) column(cols[i], (cols[i] in val) ? val[cols[i]] : "(absent)")
	if (ne != nk) bad(nk " members, expected " ne)
	for (i = 1; i <= ne && i <= nk; i++)
		if (key[i] != expect[i]) { bad("member " i " is " key[i] ", expected " expect[i]); break }
	delete val; nk = 0
}
FILENAME == ARGV[1] { kind[$2] = $1; name[$2] = $3; next }
$0 == "" { row(); next }
{ key[++nk] = $1; val[$1] = $2 }
END {
	print "checked " rows " rows"
	if (errors || rows == 0) exit 1
}
EOF
}

# 2. every member of every row of the first page, three ways of annotating
st=$(sim_req GET "mailboxes?\$select=$SEL&\$count=true" -H "$ALL")
expect_eq "page status" 200 "$st"
cp "$SIM_BODY" "$SIM_TMP/page1"
expect_eq "rows on the page" 1000 "$(jv 'value/#')"
expect_eq "@odata.count of 6,000 rows (Dataverse stops at 5,000)" 5000 "$(jv '@odata.count')"
expect_eq "@odata.context" "$SIM_API/\$metadata#mailboxes($SEL)" "$(jv '@odata.context')"
check "fv nav logical" "$SIM_TMP/page1" || fail "rows with every annotation"
sim_req GET "mailboxes?\$select=$SEL" -H 'Prefer: odata.maxpagesize=1000' >/dev/null
check "" "$SIM_BODY" || fail "rows without annotations"
sim_req GET "mailboxes?\$select=$SEL" -H 'Prefer: odata.maxpagesize=1000,odata.include-annotations="Microsoft.Dynamics.CRM.lookuplogicalname,OData.Community.Display.V1.FormattedValue"' >/dev/null
check "fv logical" "$SIM_BODY" || fail "rows with two annotations"

# 3. the edge rows, byte for byte where escaping matters
grep -qF '"name":"q\"uo\\te\n\t\r\u0001\u001f é ž <&>"' "$SIM_TMP/page1" ||
	fail "the escaped name is not in the page as JSON text"
printf 'q"uo\\te\n\t\r\001\037 é ž <&>\n' >"$SIM_TMP/name.want"
jv 'value/0/name' "$SIM_TMP/page1" >"$SIM_TMP/name.got"
cmp -s "$SIM_TMP/name.want" "$SIM_TMP/name.got" || fail "the name did not survive: $(od -c "$SIM_TMP/name.got" | head -3)"
expect_eq "choice without a label" 7 "$(jv 'value/0/incomingemailstatus' "$SIM_TMP/page1")"
jv 'value/0/incomingemailstatus@OData.Community.Display.V1.FormattedValue' "$SIM_TMP/page1" >/dev/null &&
	fail "a choice value without a label has a FormattedValue"
expect_eq "date before 1970" "6/30/1950 11:59 PM" \
	"$(jv 'value/0/testmailboxaccesscompletedon@OData.Community.Display.V1.FormattedValue' "$SIM_TMP/page1")"
expect_eq "leap day at midnight" "2/29/2024 12:00 AM" \
	"$(jv 'value/0/modifiedon@OData.Community.Display.V1.FormattedValue' "$SIM_TMP/page1")"
expect_eq "grouped number" "1,234,567" \
	"$(jv 'value/0/testemailconfigurationretrycount@OData.Community.Display.V1.FormattedValue' "$SIM_TMP/page1")"
expect_eq "leap day, as stored" "2024-02-29T00:00:00Z" "$(jv 'value/0/modifiedon' "$SIM_TMP/page1")"
expect_eq "1950, as stored" "1950-06-30T23:59:59Z" "$(jv 'value/0/testmailboxaccesscompletedon' "$SIM_TMP/page1")"
expect_eq "the last day" "9999-12-31T12:00:00Z" "$(jv 'value/1/testmailboxaccesscompletedon' "$SIM_TMP/page1")"
expect_eq "the epoch" "1/1/1970 12:00 AM" \
	"$(jv 'value/1/modifiedon@OData.Community.Display.V1.FormattedValue' "$SIM_TMP/page1")"
expect_eq "backslash in a string" 'a\b' "$(jv 'value/1/username' "$SIM_TMP/page1")"
expect_eq "escaped display name" 'Ana "Ančka" Novak\\' \
	"$(jv 'value/2/_regardingobjectid_value@OData.Community.Display.V1.FormattedValue' "$SIM_TMP/page1")"

# 4. a single row is the page's row with its own @odata.context
sim_req GET "mailboxes($m1)?\$select=$SEL" -H "$ALL" >/dev/null
expect_eq "single row context" "$SIM_API/\$metadata#mailboxes($SEL)/\$entity" "$(jv '@odata.context')"
"$JGET" -t "$SIM_BODY" '' | grep -v '^@odata.context	' >"$SIM_TMP/single"
"$JGET" -t "$SIM_TMP/page1" 'value/1' >"$SIM_TMP/paged"
cmp -s "$SIM_TMP/single" "$SIM_TMP/paged" || fail "the single row differs from the page's: $(diff "$SIM_TMP/single" "$SIM_TMP/paged" | head -5)"

# a long string of escapes takes six times its length
long=$(awk 'BEGIN { for (i = 0; i < 2000; i++) printf "\\u0001" }')
st=$(sim_ctl PATCH "mailboxes($m1)" "{\"lastsyncerror\":\"$long\"}")
expect_eq "long string set" 200 "$st"
sim_req GET "mailboxes($m1)?\$select=lastsyncerror,name" -H "$ALL" >/dev/null
expect_eq "long escaped string" 2000 "$(jv lastsyncerror | tr -d '\n' | wc -c | tr -d ' ')"

# 5. a number sent as a string (quote_column)
sim_ctl POST config '{"quote_column":"testemailconfigurationretrycount"}' >/dev/null
sim_req GET "mailboxes?\$select=testemailconfigurationretrycount,versionnumber&\$top=2" >/dev/null
"$JGET" -t "$SIM_BODY" 'value/0' | grep -q '^testemailconfigurationretrycount	"1234567"$' ||
	fail "quote_column: $("$JGET" -t "$SIM_BODY" 'value/0')"
"$JGET" -t "$SIM_BODY" 'value/0' | grep -q '^versionnumber	[0-9]*$' || fail "quote_column quoted another column"
sim_ctl POST config '{"quote_column":""}' >/dev/null

# 6. @odata.count and the nextLinks: a whole walk, every row once, in order
walk() { # url: appends the ids to $SIM_TMP/ids, sets PAGES and COUNT
	u=$1
	PAGES=0
	COUNT=
	: >"$SIM_TMP/ids"
	while [ -n "$u" ]; do
		st=$(sim_req GET "$u" -H "$ALL")
		[ "$st" = 200 ] || fail "page $PAGES answered $st"
		PAGES=$((PAGES + 1))
		[ -n "$COUNT" ] || COUNT=$(jv '@odata.count')
		jv 'value/*/mailboxid' >>"$SIM_TMP/ids"
		u=$(jv '@odata.nextLink') || u=""
	done
}
walk "mailboxes?\$select=$SEL&\$count=true"
expect_eq "pages" 6 "$PAGES"
expect_eq "rows walked" 6000 "$(wc -l <"$SIM_TMP/ids" | tr -d ' ')"
LC_ALL=C sort -cu "$SIM_TMP/ids" || fail "the walk is not in id order, once each"
walk "mailboxes?\$select=name&\$filter=statecode%20eq%201&\$count=true"
n=$(wc -l <"$SIM_TMP/ids" | tr -d ' ')
[ "$n" -gt 0 ] && [ "$n" -lt 5000 ] || fail "inactive mailboxes: $n"
expect_eq "@odata.count of a filter" "$n" "$COUNT"
walk "mailboxes?\$select=name&\$filter=statecode%20eq%200&\$count=true"
expect_eq "@odata.count of 5,000 or more" 5000 "$COUNT"
expect_eq "rows of the filter" $((6000 - n)) "$(wc -l <"$SIM_TMP/ids" | tr -d ' ')"

sim_stop || fail "emailcfg-sim did not exit cleanly"
echo "rows: ok"
