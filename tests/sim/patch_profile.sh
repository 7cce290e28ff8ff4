# patch_profile.sh — PATCH of emailserverprofiles as Dataverse answers it:
# If-Match with the row's etag (204) and a stale one (412, nothing written);
# ports 0–65536 and maxconcurrentconnections 1–300 (400 outside, nothing
# written); emailservertypename and the password-set flags read-only; a
# password write-only (its flag set, the password never returned); state
# with its status.
. tests/lib/sim.sh
sim_start
sim_token
J='Content-Type: application/json'
P=e7414d04-dd37-55db-8653-90f9502ab86c # IMAP/SMTP in the demo data
sel='$select=incomingportnumber,maxconcurrentconnections,versionnumber,isincomingpasswordset,statecode,statuscode,emailservertypename'
sim_req GET "emailserverprofiles($P)?$sel" >/dev/null
etag=$(jv '@odata.etag')
expect_eq "demo type name" "IMAP/SMTP" "$(jv emailservertypename)"
ppatch() { # JSON [CURL_ARGS]
	pjson=$1
	shift
	sim_req PATCH "emailserverprofiles($P)" -H "$J" --data-binary "$pjson" "$@"
}
expect_eq "PATCH with the current etag" 204 "$(ppatch '{"maxconcurrentconnections":20}' -H "If-Match: $etag")"
expect_eq "stale etag" 412 "$(ppatch '{"maxconcurrentconnections":30}' -H "If-Match: $etag")"
sim_req GET "emailserverprofiles($P)?$sel" >/dev/null
expect_eq "written once, the stale one not" 20 "$(jv maxconcurrentconnections)"
expect_eq "port 65537" 400 "$(ppatch '{"incomingportnumber":65537}')"
expect_eq "port -1" 400 "$(ppatch '{"outgoingportnumber":-1}')"
expect_eq "port 65536" 204 "$(ppatch '{"incomingportnumber":65536}')"
expect_eq "port 0" 204 "$(ppatch '{"incomingportnumber":0}')"
expect_eq "connections 0" 400 "$(ppatch '{"maxconcurrentconnections":0}')"
expect_eq "connections 301" 400 "$(ppatch '{"maxconcurrentconnections":301}')"
expect_eq "connections 300" 204 "$(ppatch '{"maxconcurrentconnections":300}')"
expect_eq "credentials 8" 400 "$(ppatch '{"incomingcredentialretrieval":8}')"
expect_eq "auth protocol 5" 400 "$(ppatch '{"incomingauthenticationprotocol":5}')"
expect_eq "type name read-only" 400 "$(ppatch '{"emailservertypename":"x"}')"
expect_eq "password flag read-only" 400 "$(ppatch '{"isincomingpasswordset":true}')"
expect_eq "password write-only" 204 "$(ppatch '{"incomingpassword":"n0v0-geslo"}')"
expect_eq "inactive" 204 "$(ppatch '{"statecode":1}')"
sim_req GET "emailserverprofiles($P)" >/dev/null
expect_eq "flag set" true "$(jv isincomingpasswordset)"
expect_eq "status follows the state" 2 "$(jv statuscode)"
expect_eq "port kept" 0 "$(jv incomingportnumber)"
expect_eq "connections kept" 300 "$(jv maxconcurrentconnections)"
if grep -q n0v0-geslo "$SIM_BODY"; then fail "the password came back"; fi
echo ok
