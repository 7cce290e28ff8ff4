# query.sh — $select, $filter, $orderby, $top semantics and their 400 errors,
# annotations only on request, single rows, 404, WhoAmI, the OData headers.
. tests/lib/sim.sh
sim_start
sim_token
q() { # q QUERY [CURL_ARGS] -> status; body in $SIM_BODY
	qq=$1
	shift
	sim_req GET "mailboxes?$qq" "$@"
}
ids() { jv 'value/*/mailboxid'; }
names() { jv 'value/*/name'; }

# WhoAmI and headers
expect_eq "WhoAmI" 200 "$(sim_req GET WhoAmI)"
org=$(jv OrganizationId)
expect_match "WhoAmI context" 'WhoAmIResponse$' "$(jv '@odata.context')"
expect_eq "WhoAmI()" 200 "$(sim_req GET 'WhoAmI()')"
expect_eq "OData-Version" "4.0" "$(sim_header OData-Version)"
expect_eq "Content-Type" "application/json; odata.metadata=minimal" "$(sim_header Content-Type)"

# $select: only the columns asked for, plus etag and key; context lists them
expect_eq "select" 200 "$(q '$select=name,emailaddress&$top=1')"
expect_eq "select keys" "@odata.etag name emailaddress mailboxid" "$("$JGET" -k "$SIM_BODY" value/0 | tr '\n' ' ' | sed 's/ $//')"
expect_match "context" "^$SIM_API/\\\$metadata#mailboxes\\(name,emailaddress\\)\$" "$(jv '@odata.context')"
expect_match "etag" '^W/"[0-9]+"$' "$(jv 'value/0/@odata.etag')"
expect_eq "unknown column" 400 "$(q '$select=name,nosuchcolumn')"
expect_eq "unknown column code" 0x80060888 "$(jv error/code)"
expect_eq "unknown column message" "Could not find a property named 'nosuchcolumn' on type 'Microsoft.Dynamics.CRM.mailbox'." "$(jv error/message)"
expect_eq "navigation property in select" 400 "$(q '$select=emailserverprofile')"
expect_eq "write-only column in select" 400 "$(q '$select=password')"
expect_eq "no select: every readable column" 200 "$(q '$top=1')"
"$JGET" -k "$SIM_BODY" value/0 | grep -qx password && fail "password was returned"
"$JGET" -k "$SIM_BODY" value/0 | grep -qx ispasswordset || fail "ispasswordset missing"

# annotations only when asked
q '$select=name,_regardingobjectid_value,incomingemailstatus,enabledforact,modifiedon,versionnumber&$filter=emailaddress%20eq%20%27ana.novak@kovinoplast.si%27' >/dev/null
[ "$("$JGET" -k "$SIM_BODY" value/0 | grep -c '@OData\|@Microsoft')" = 0 ] || fail "annotations without Prefer"
q '$select=name,_regardingobjectid_value,incomingemailstatus,enabledforact,modifiedon,versionnumber&$filter=emailaddress%20eq%20%27ana.novak@kovinoplast.si%27' \
	-H 'Prefer: odata.include-annotations="*"' >/dev/null
expect_eq "lookup FormattedValue" "Ana Novak" "$(jv 'value/0/_regardingobjectid_value@OData.Community.Display.V1.FormattedValue')"
expect_eq "lookuplogicalname" systemuser "$(jv 'value/0/_regardingobjectid_value@Microsoft.Dynamics.CRM.lookuplogicalname')"
expect_eq "associatednavigationproperty" regardingobjectid "$(jv 'value/0/_regardingobjectid_value@Microsoft.Dynamics.CRM.associatednavigationproperty')"
expect_eq "choice FormattedValue" Success "$(jv 'value/0/incomingemailstatus@OData.Community.Display.V1.FormattedValue')"
expect_eq "boolean FormattedValue" Yes "$(jv 'value/0/enabledforact@OData.Community.Display.V1.FormattedValue')"
expect_match "date FormattedValue" '^[0-9]+/[0-9]+/20[0-9]{2} [0-9]+:[0-9]{2} (AM|PM)$' "$(jv 'value/0/modifiedon@OData.Community.Display.V1.FormattedValue')"
expect_match "number FormattedValue" '^[0-9]{1,3}(,[0-9]{3})+$' "$(jv 'value/0/versionnumber@OData.Community.Display.V1.FormattedValue')"
expect_eq "annotation precedes its property" "_regardingobjectid_value@OData.Community.Display.V1.FormattedValue" \
	"$("$JGET" -k "$SIM_BODY" value/0 | grep -A1 -x name | tail -n 1)"
expect_eq "Preference-Applied" 'odata.include-annotations="*"' "$(sim_header Preference-Applied)"
q '$select=name,_regardingobjectid_value&$filter=emailaddress%20eq%20%27podpora@kovinoplast.si%27' \
	-H 'Prefer: odata.include-annotations="Microsoft.Dynamics.CRM.lookuplogicalname"' >/dev/null
expect_eq "queue lookup" queue "$(jv 'value/0/_regardingobjectid_value@Microsoft.Dynamics.CRM.lookuplogicalname')"
jv 'value/0/_regardingobjectid_value@OData.Community.Display.V1.FormattedValue' >/dev/null && fail "FormattedValue not asked for"

# $filter semantics
n() { jv 'value/#'; }
expect_eq "eq string is case-insensitive" 200 "$(q '$select=name&$filter=name%20eq%20%27ANA%20NOVAK%27')"
expect_eq "eq string rows" 1 "$(n)"
q '$select=name&$filter=contains(name,%27%C5%BE%C5%BEU%27)' >/dev/null   # 'žžu' never matches
expect_eq "contains none" 0 "$(n)"
q '$select=name&$filter=contains(name,%27%C5%BDU%C5%BE%27)' >/dev/null   # 'ŽUŽ' matches Matej Žužek
expect_eq "contains folds č š ž" "Matej Žužek" "$(names)"
q '$select=name&$filter=startswith(name,%27%C4%90ur%27)%20and%20endswith(name,%27%C4%86iri%C4%87%27)' >/dev/null
expect_eq "startswith/endswith" "Đurđica Ćirić" "$(names)"
q '$select=name&$filter=name%20eq%20%27O%27%27Brien%27' >/dev/null
expect_eq "'' escape parses" 0 "$(n)"
q '$select=name&$filter=_regardingobjectid_value%20eq%20null' >/dev/null
expect_eq "forward mailbox (null lookup)" "Posredovalni nabiralnik" "$(names)"
q '$select=name&$filter=isforwardmailbox' >/dev/null
expect_eq "bare boolean" 1 "$(n)"
q '$select=name&$filter=isforwardmailbox%20eq%20true' >/dev/null
expect_eq "boolean eq true" 1 "$(n)"
q '$select=name&$filter=statecode%20eq%201' >/dev/null
inactive=$(n)
q '$select=name&$filter=not%20(statecode%20eq%201)' >/dev/null
active=$(n)
q '$select=name&$count=true' >/dev/null
expect_eq "not" "$(jv '@odata.count')" "$((inactive + active))"
q '$select=name&$filter=(incomingemailstatus%20eq%202%20or%20outgoingemailstatus%20eq%202)%20and%20statecode%20eq%200' >/dev/null
failing=$(n)
[ "$failing" -gt 5 ] || fail "expected failing mailboxes, got $failing"
q '$select=name,incomingemailstatus,outgoingemailstatus&$filter=incomingemailstatus%20ne%202%20and%20outgoingemailstatus%20le%201' >/dev/null
jv 'value/*/incomingemailstatus' | grep -qx 2 && fail "ne 2 returned 2"
q '$select=name&$filter=emailrouteraccessapproval%20gt%201' >/dev/null
pending_or_rejected=$(n)
[ "$pending_or_rejected" -ge 8 ] || fail "gt: $pending_or_rejected"
q '$select=name&$filter=emailrouteraccessapproval%20eq%203' >/dev/null
expect_eq "one rejected" 1 "$(n)"
q '$select=name,modifiedon&$filter=modifiedon%20ge%202024-03-01T00:00:00Z%20and%20modifiedon%20lt%202024-04-01' >/dev/null
[ "$(n)" -ge 1 ] || fail "no rows in March 2024"
jv 'value/*/modifiedon' | grep -v '^2024-03-' && fail "date range returned rows outside March 2024"
q '$select=name,modifiedon&$filter=modifiedon%20gt%202100-01-01T00:00:00Z' >/dev/null
expect_eq "date gt future" 0 "$(n)"
prof=$(sim_req GET 'emailserverprofiles?$select=name&$filter=servertype%20eq%204' >/dev/null; jv 'value/0/emailserverprofileid')
q "\$select=name&\$filter=_emailserverprofile_value%20eq%20$prof" >/dev/null
[ "$(n)" -ge 4 ] || fail "guid filter found $(n)"

# $filter errors
expect_eq "syntax error" 400 "$(q '$select=name&$filter=name%20eq')"
expect_match "syntax message" "^Syntax error at position" "$(jv error/message)"
expect_eq "unbalanced" 400 "$(q '$select=name&$filter=(statecode%20eq%200')"
expect_eq "unterminated string" 400 "$(q '$select=name&$filter=name%20eq%20%27abc')"
expect_eq "unknown property" 400 "$(q '$select=name&$filter=foo%20eq%201')"
expect_eq "unknown property message" "Could not find a property named 'foo' on type 'Microsoft.Dynamics.CRM.mailbox'." "$(jv error/message)"
expect_eq "type mismatch" 400 "$(q '$select=name&$filter=statecode%20eq%20%27x%27')"
expect_match "type mismatch message" "incompatible types.*Edm.Int32.*Edm.String" "$(jv error/message)"
expect_eq "quoted guid" 400 "$(q "\$select=name&\$filter=_emailserverprofile_value%20eq%20%27$prof%27")"
expect_eq "unknown function" 400 "$(q '$select=name&$filter=substringof(name,%27a%27)')"
expect_eq "contains on a number" 400 "$(q '$select=name&$filter=contains(statecode,%27a%27)')"
expect_eq "unknown option" 400 "$(q '$select=name&$foo=1')"
expect_eq "repeated option" 400 "$(q '$select=name&$select=name')"

# $orderby
q '$select=name,emailaddress&$orderby=name%20asc&$filter=startswith(emailaddress,%27a%27)' >/dev/null
names >"$SIM_TMP/asc"
q '$select=name,emailaddress&$orderby=name%20desc&$filter=startswith(emailaddress,%27a%27)' >/dev/null
names >"$SIM_TMP/desc"
expect_eq "desc is reversed asc" "$(cat "$SIM_TMP/asc")" "$(sed '1!G;h;$!d' "$SIM_TMP/desc")"
expect_eq "asc order" "Aljaž Oblak" "$(head -n 1 "$SIM_TMP/asc")"
q '$select=name,incomingemailstatus&$orderby=incomingemailstatus%20desc,name' >/dev/null
expect_eq "two keys: first key" 2 "$(jv 'value/0/incomingemailstatus')"
expect_eq "orderby unknown" 400 "$(q '$select=name&$orderby=nope')"
expect_eq "orderby bad direction" 400 "$(q '$select=name&$orderby=name%20up')"
expect_eq "top" 200 "$(q '$select=name&$top=3')"
expect_eq "top rows" 3 "$(n)"
jv '@odata.nextLink' >/dev/null && fail "nextLink with a small \$top"
expect_eq "top negative" 400 "$(q '$select=name&$top=-1')"

# single rows, 404, other sets
id=$(q '$select=name&$top=1' >/dev/null; ids)
expect_eq "single" 200 "$(sim_req GET "mailboxes($id)?\$select=name,statecode")"
expect_match "single context" '#mailboxes\(name,statecode\)/\$entity$' "$(jv '@odata.context')"
expect_eq "single id" "$id" "$(jv mailboxid)"
etag=$(jv '@odata.etag')
expect_eq "conditional GET" 304 "$(sim_req GET "mailboxes($id)?\$select=name" -H "If-None-Match: $etag")"
expect_eq "missing row" 404 "$(sim_req GET 'mailboxes(11111111-2222-4333-8444-555555555555)')"
expect_eq "missing row code" 0x80040217 "$(jv error/code)"
expect_eq "missing row message" "mailbox With Id = 11111111-2222-4333-8444-555555555555 Does Not Exist" "$(jv error/message)"
expect_eq "unknown set" 404 "$(sim_req GET 'accounts')"
expect_eq "organizations" 200 "$(sim_req GET 'organizations?$select=trackingprefix,requireapprovalforuseremail,defaultemailsettings,_defaultemailserverprofileid_value')"
expect_eq "organization id" "$org" "$(jv 'value/0/organizationid')"
expect_eq "tracking prefix" "KOV:" "$(jv 'value/0/trackingprefix')"
expect_match "defaults XML" '^<EmailSettings><IncomingEmailDeliveryMethod>2</IncomingEmailDeliveryMethod>' "$(jv 'value/0/defaultemailsettings')"
expect_eq "profiles" 200 "$(sim_req GET 'emailserverprofiles?$select=name,servertype,incomingserverlocation')"
expect_eq "three profiles" 3 "$(n)"
expect_match "EWS URL is the emulator's" "^$SIM_URL/EWS/Exchange.asmx\$" "$(jv 'value/*/incomingserverlocation' | grep EWS)"
expect_eq "tracelogs" 200 "$(sim_req GET 'tracelogs?$select=text,level,tracecode,_regardingobjectid_value&$orderby=modifiedon%20desc')"
[ "$(n)" -ge 10 ] || fail "few tracelogs"
expect_eq "systemusers" 200 "$(sim_req GET 'systemusers?$select=fullname,internalemailaddress')"
expect_eq "queues" 200 "$(sim_req GET 'queues?$select=name,emailaddress')"
expect_eq "PATCH on a collection" 405 "$(sim_req PATCH mailboxes -H 'Content-Type: application/json' -d '{}')"
sim_stop || fail "emailcfg-sim did not exit cleanly"
echo "query: ok"
