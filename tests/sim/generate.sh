# generate.sh — --generate: deterministic for a seed, varied, and 100,000
# mailboxes are all served, page by page. How fast is `make bench`'s
# business (bench/sim_bench.sh).
. tests/lib/sim.sh

# determinism and variety
sim_start --data none --generate 2000 --seed 42
sim_token
sim_req GET 'mailboxes?$select=name,emailaddress,isforwardmailbox,_regardingobjectid_value,versionnumber&$top=300' \
	-H 'Prefer: odata.include-annotations="Microsoft.Dynamics.CRM.lookuplogicalname"' >/dev/null
cp "$SIM_BODY" "$SIM_TMP/a.json"
sim_req GET 'mailboxes?$select=name&$filter=isforwardmailbox%20eq%20true&$count=true' >/dev/null
[ "$(jv '@odata.count')" -ge 1 ] || fail "no generated forward mailbox"
sim_req GET 'mailboxes?$select=name&$filter=_regardingobjectid_value%20ne%20null&$count=true' >/dev/null
sim_req GET 'queues?$select=name&$count=true' >/dev/null
[ "$(jv '@odata.count')" -ge 50 ] || fail "too few generated queues"
sim_req GET 'mailboxes?$select=name&$filter=emailrouteraccessapproval%20eq%203&$count=true' >/dev/null
[ "$(jv '@odata.count')" -ge 1 ] || fail "no rejected mailbox"
sim_req GET 'tracelogs?$select=text&$count=true' >/dev/null
[ "$(jv '@odata.count')" -ge 50 ] || fail "too few generated alerts"
sim_stop || fail "emailcfg-sim did not exit cleanly"
sim_start --data none --generate 2000 --seed 42
sim_token
sim_req GET 'mailboxes?$select=name,emailaddress,isforwardmailbox,_regardingobjectid_value,versionnumber&$top=300' \
	-H 'Prefer: odata.include-annotations="Microsoft.Dynamics.CRM.lookuplogicalname"' >/dev/null
sed 's/"@odata.context":"[^"]*"//' "$SIM_TMP/a.json" >"$SIM_TMP/a1"
sed 's/"@odata.context":"[^"]*"//' "$SIM_BODY" >"$SIM_TMP/a2"
cmp -s "$SIM_TMP/a1" "$SIM_TMP/a2" || fail "the same seed generated different rows"
sim_stop || fail "emailcfg-sim did not exit cleanly"
sim_start --data none --generate 2000 --seed 43
sim_token
sim_req GET 'mailboxes?$select=name&$top=5' >/dev/null
[ "$(jv 'value/0/mailboxid')" != "$(jv 'value/0/mailboxid' "$SIM_TMP/a.json")" ] || fail "seed has no effect"
sim_stop || fail "emailcfg-sim did not exit cleanly"

# 100,000 rows, every one served (how fast is make bench's business)
sim_start --data none --generate 100000 --seed 1
sim_token
url='mailboxes?$select=name,emailaddress,_regardingobjectid_value,_emailserverprofile_value,incomingemaildeliverymethod,outgoingemaildeliverymethod,actdeliverymethod,incomingemailstatus,outgoingemailstatus,actstatus,emailrouteraccessapproval,statecode,mailboxstatus,modifiedon'
expect_eq "rows served" 100000 "$(sim_page_all "$url")"
sim_stop || fail "emailcfg-sim did not exit cleanly"
echo "generate: ok"
