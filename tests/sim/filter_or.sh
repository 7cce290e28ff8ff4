# filter_or.sh — the query Test & Enable polls with: $filter of mailbox ids
# joined by `or` (up to 151 of them, about 8,000 characters) and $select of
# the test columns; exactly the rows named come back, each once.
. tests/lib/sim.sh
sim_start --generate 300
sim_token
sel='$select=mailboxid,testemailconfigurationscheduled,testmailboxaccesscompletedon,incomingemailstatus,outgoingemailstatus,actstatus'
expect_eq "ids" 200 "$(sim_req GET 'mailboxes?$select=mailboxid&$orderby=mailboxid')"
jv 'value/*/mailboxid' >"$SIM_TMP/all"
[ "$(wc -l <"$SIM_TMP/all")" -gt 200 ] || fail "the generated organization is too small"
or_of() { # FILE -> the ids of FILE joined as a URL-escaped filter
	sed 's/^/mailboxid%20eq%20/' "$1" | paste -sd' ' - | sed 's/ /%20or%20/g'
}

# Two of three: the middle one is not returned.
sed -n '1p;3p' "$SIM_TMP/all" >"$SIM_TMP/two"
expect_eq "two ids" 200 "$(sim_req GET "mailboxes?$sel&\$filter=$(or_of "$SIM_TMP/two")")"
expect_eq "exactly those two" "$(sort "$SIM_TMP/two")" "$(jv 'value/*/mailboxid' | sort)"
expect_eq "the columns asked for, etag and key" \
	"@odata.etag mailboxid testemailconfigurationscheduled testmailboxaccesscompletedon incomingemailstatus outgoingemailstatus actstatus" \
	"$("$JGET" -k "$SIM_BODY" value/0 | tr '\n' ' ' | sed 's/ $//')"

# A page of a poll: 151 ids, every one back once, none other.
sed -n '20,170p' "$SIM_TMP/all" >"$SIM_TMP/page"
filter=$(or_of "$SIM_TMP/page")
[ "${#filter}" -gt 8000 ] || fail "the filter is shorter than a poll's (${#filter})"
expect_eq "151 ids" 200 "$(sim_req GET "mailboxes?$sel&\$filter=$filter")"
expect_eq "151 rows, each once" "$(sort "$SIM_TMP/page")" "$(jv 'value/*/mailboxid' | sort)"

# An id that is not there is no error: its row is simply missing.
printf '%s\n' 00000000-0000-0000-0000-000000000001 >>"$SIM_TMP/two"
expect_eq "a missing id" 200 "$(sim_req GET "mailboxes?$sel&\$filter=$(or_of "$SIM_TMP/two")")"
expect_eq "the others still" 2 "$(jv 'value/*/mailboxid' | wc -l)"
echo "filter with or of ids: ok"
