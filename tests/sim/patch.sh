# patch.sh — PATCH semantics: If-Match and 412, 404, upsert, out-of-range
# choices (0x8004431a text), wrong JSON types, unknown and read-only columns,
# @odata.bind, return=representation with $select, version and modifiedon
# bumps, state/status pairing, write-only password, organization settings,
# and the approval refusal under --approver-role none.
. tests/lib/sim.sh
sim_start
sim_token
J='Content-Type: application/json'
mb=$(sim_req GET 'mailboxes?$select=name,versionnumber,modifiedon&$filter=emailaddress%20eq%20%27joze.vidmar@kovinoplast.si%27' >/dev/null; jv 'value/0/mailboxid')
etag=$(jv 'value/0/@odata.etag')
ver=$(jv 'value/0/versionnumber')
mod=$(jv 'value/0/modifiedon')
expect_eq "etag is the version" "W/\"$ver\"" "$etag"
patch() { # patch ID JSON [CURL_ARGS]
	pid=$1
	pjson=$2
	shift 2
	sim_req PATCH "mailboxes($pid)" -H "$J" --data-binary "$pjson" "$@"
}

expect_eq "PATCH with the current etag" 204 "$(patch "$mb" '{"outgoingemaildeliverymethod":0}' -H "If-Match: $etag")"
expect_match "OData-EntityId" "^$SIM_API/mailboxes\\($mb\\)\$" "$(sim_header OData-EntityId)"
sim_req GET "mailboxes($mb)?\$select=outgoingemaildeliverymethod,versionnumber,modifiedon" >/dev/null
expect_eq "value written" 0 "$(jv outgoingemaildeliverymethod)"
ver2=$(jv versionnumber)
[ "$ver2" -gt "$ver" ] || fail "version did not grow: $ver -> $ver2"
expect_match "modifiedon format" '^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' "$(jv modifiedon)"
[ "$(jv modifiedon)" != "$mod" ] || fail "modifiedon did not change"
expect_eq "stale etag" 412 "$(patch "$mb" '{"outgoingemaildeliverymethod":2}' -H "If-Match: $etag")"
expect_eq "412 body" '{"error":{"code":"0x80060882","message":"The version of the existing record doesn'"'"'t match the RowVersion property provided."}}' "$(cat "$SIM_BODY")"
expect_eq "If-Match *" 204 "$(patch "$mb" '{"outgoingemaildeliverymethod":2}' -H 'If-Match: *')"
missing=11111111-2222-4333-8444-555555555555
expect_eq "If-Match * on a missing row" 404 "$(patch $missing '{"name":"x"}' -H 'If-Match: *')"
expect_eq "404 body" "{\"error\":{\"code\":\"0x80040217\",\"message\":\"mailbox With Id = $missing Does Not Exist\"}}" "$(cat "$SIM_BODY")"
expect_eq "etag on a missing row" 404 "$(patch $missing '{"name":"x"}' -H 'If-Match: W/"1"')"
expect_eq "upsert creates" 204 "$(patch $missing '{"name":"Nov posredovalni","emailaddress":"nov@kovinoplast.si"}')"
expect_eq "upserted row" 200 "$(sim_req GET "mailboxes($missing)?\$select=name,isforwardmailbox")"
expect_eq "upserted is a forward mailbox" true "$(jv isforwardmailbox)"

# validation
expect_eq "out of range" 400 "$(patch "$mb" '{"incomingemaildeliverymethod":5}')"
expect_eq "out of range body" '{"error":{"code":"0x8004431a","message":"A validation error occurred. The value 5 of '"'"'incomingemaildeliverymethod'"'"' on record of type '"'"'mailbox'"'"' is outside the valid range. Accepted Values: 0,1,2,3"}}' "$(cat "$SIM_BODY")"
expect_eq "act range" 400 "$(patch "$mb" '{"actdeliverymethod":3}')"
expect_match "act accepted values" 'Accepted Values: 0,1,2$' "$(jv error/message)"
expect_eq "wrong type (string for int)" 400 "$(patch "$mb" '{"incomingemaildeliverymethod":"2"}')"
expect_eq "wrong type message" "Cannot convert the literal '2' to the expected type 'Edm.Int32'." "$(jv error/message)"
expect_eq "wrong type (int for bool)" 400 "$(patch "$mb" '{"enabledforact":1}')"
expect_eq "wrong type (bool for string)" 400 "$(patch "$mb" '{"name":true}')"
expect_eq "unknown column" 400 "$(patch "$mb" '{"nosuch":1}')"
expect_match "unknown column message" "^The property 'nosuch' does not exist on type 'Microsoft.Dynamics.CRM.mailbox'" "$(jv error/message)"
expect_eq "read-only column" 400 "$(patch "$mb" '{"mailboxstatus":1}')"
expect_eq "lookup value column" 400 "$(patch "$mb" '{"_emailserverprofile_value":null}')"
expect_eq "required null" 400 "$(patch "$mb" '{"name":null}')"
expect_eq "not JSON" 400 "$(patch "$mb" '{"name":')"
expect_eq "bad status for state" 400 "$(patch "$mb" '{"statecode":1,"statuscode":1}')"
sim_req GET "mailboxes($mb)?\$select=versionnumber,outgoingemaildeliverymethod" >/dev/null
ver3=$(jv versionnumber)
expect_eq "refused PATCHes change nothing" 2 "$(jv outgoingemaildeliverymethod)"

# state pairing, binds, write-only password, return=representation
expect_eq "deactivate" 204 "$(patch "$mb" '{"statecode":1}')"
sim_req GET "mailboxes($mb)?\$select=statecode,statuscode" >/dev/null
expect_eq "statuscode follows" 2 "$(jv statuscode)"
imap=$(sim_req GET 'emailserverprofiles?$select=name&$filter=servertype%20eq%204' >/dev/null; jv 'value/0/emailserverprofileid')
expect_eq "bind profile" 200 "$(sim_req PATCH "mailboxes($mb)?\$select=_emailserverprofile_value,statecode" -H "$J" \
	-H 'Prefer: return=representation' --data-binary "{\"emailserverprofile@odata.bind\":\"/emailserverprofiles($imap)\",\"statecode\":0}")"
expect_eq "representation keys" "@odata.context @odata.etag _emailserverprofile_value statecode mailboxid" "$("$JGET" -k "$SIM_BODY" '' | tr '\n' ' ' | sed 's/ $//')"
expect_eq "bound" "$imap" "$(jv _emailserverprofile_value)"
expect_match "representation context" '#mailboxes\(_emailserverprofile_value,statecode\)/\$entity$' "$(jv '@odata.context')"
expect_eq "Preference-Applied" "return=representation" "$(sim_header Preference-Applied)"
expect_eq "bind to a missing profile" 404 "$(patch "$mb" "{\"emailserverprofile@odata.bind\":\"/emailserverprofiles($missing)\"}")"
expect_eq "bind to the wrong set" 400 "$(patch "$mb" "{\"emailserverprofile@odata.bind\":\"/queues($imap)\"}")"
expect_eq "clear profile" 204 "$(patch "$mb" '{"emailserverprofile@odata.bind":null}')"
sim_req GET "mailboxes($mb)?\$select=_emailserverprofile_value" >/dev/null
expect_eq "cleared" null "$(jv _emailserverprofile_value)"
expect_eq "password" 204 "$(patch "$mb" '{"password":"geslo","username":"joze","allowemailconnectortousecredentials":true}')"
sim_req GET "mailboxes($mb)?\$select=ispasswordset,username" >/dev/null
expect_eq "ispasswordset" true "$(jv ispasswordset)"

# organization settings
org=$(sim_req GET 'organizations?$select=name' >/dev/null; jv 'value/0/organizationid')
oetag=$(jv 'value/0/@odata.etag')
exo=$(sim_req GET 'emailserverprofiles?$select=name&$filter=servertype%20eq%200' >/dev/null; jv 'value/0/emailserverprofileid')
expect_eq "org PATCH" 204 "$(sim_req PATCH "organizations($org)" -H "$J" -H "If-Match: $oetag" --data-binary \
	"{\"defaultemailserverprofileid@odata.bind\":\"/emailserverprofiles($imap)\",\"trackingprefix\":\"CRM:\",\"maxuploadfilesize\":10485760,\"requireapprovalforqueueemail\":false}")"
sim_req GET "organizations($org)?\$select=_defaultemailserverprofileid_value,trackingprefix,maxuploadfilesize,requireapprovalforqueueemail" >/dev/null
expect_eq "org default profile" "$imap" "$(jv _defaultemailserverprofileid_value)"
expect_eq "org prefix" "CRM:" "$(jv trackingprefix)"
expect_eq "org stale etag" 412 "$(sim_req PATCH "organizations($org)" -H "$J" -H "If-Match: $oetag" --data-binary '{"trackingprefix":"X:"}')"
expect_eq "org range" 400 "$(sim_req PATCH "organizations($org)" -H "$J" --data-binary '{"emailconnectionchannel":2}')"
expect_eq "profile PATCH" 204 "$(sim_req PATCH "emailserverprofiles($exo)" -H "$J" --data-binary '{"incomingportnumber":443}')"
expect_eq "profile port range" 400 "$(sim_req PATCH "emailserverprofiles($exo)" -H "$J" --data-binary '{"incomingportnumber":70000}')"
expect_eq "tracelogs are read-only" 405 "$(sim_req PATCH "tracelogs($exo)" -H "$J" --data-binary '{}')"

# approval with an approver
pending=$(sim_req GET 'mailboxes?$select=name&$filter=emailrouteraccessapproval%20eq%202&$top=1' >/dev/null; jv 'value/0/mailboxid')
expect_eq "approve as admin" 204 "$(patch "$pending" '{"emailrouteraccessapproval":1}')"
sim_req GET "mailboxes($pending)?\$select=emailrouteraccessapproval,isemailaddressapprovedbyo365admin" >/dev/null
expect_eq "approved" 1 "$(jv emailrouteraccessapproval)"
sim_stop || fail "emailcfg-sim did not exit cleanly"

# approval refused without the role
sim_start --approver-role none
sim_token
pending=$(sim_req GET 'mailboxes?$select=name&$filter=emailrouteraccessapproval%20eq%202&$top=1' >/dev/null; jv 'value/0/mailboxid')
petag=$(jv 'value/0/@odata.etag')
expect_eq "approve refused" 403 "$(patch "$pending" '{"emailrouteraccessapproval":1,"name":"x"}' -H "If-Match: $petag")"
expect_eq "refusal body" '{"error":{"code":"0x80040216","message":"This email address can only be approved by a user with the Global Administrator or Exchange Administrator role in Office 365 or the Delegated Mailbox Approver role in Dynamics 365."}}' "$(cat "$SIM_BODY")"
sim_req GET "mailboxes($pending)?\$select=emailrouteraccessapproval" >/dev/null
expect_eq "still pending" 2 "$(jv emailrouteraccessapproval)"
expect_eq "etag unchanged" "$petag" "$(jv '@odata.etag')"
expect_eq "reject allowed" 204 "$(patch "$pending" '{"emailrouteraccessapproval":3}')"
sim_stop || fail "emailcfg-sim did not exit cleanly"
echo "patch: ok"
