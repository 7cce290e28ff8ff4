# demo.sh — the demo organization (data/demo-org.json) has what the demo and
# the client tests rely on: at least 60 mailboxes, Slovenian/CJK/emoji names,
# queues, exactly one forward mailbox, every delivery method, pending and one
# rejected approval, inactive and failing mailboxes with alerts, regarding
# ids that resolve; and the control endpoint inserts and deletes rows.
. tests/lib/sim.sh
sim_start
sim_token
all='mailboxes?$select=name,emailaddress,_regardingobjectid_value,isforwardmailbox,incomingemaildeliverymethod,outgoingemaildeliverymethod,actdeliverymethod,emailrouteraccessapproval,statecode,mailboxstatus'
expect_eq "mailboxes" 200 "$(sim_req GET "$all" -H 'Prefer: odata.include-annotations="Microsoft.Dynamics.CRM.lookuplogicalname"')"
cp "$SIM_BODY" "$SIM_TMP/all.json"
n=$(jv 'value/#')
[ "$n" -ge 60 ] || fail "only $n mailboxes"
names=$(jv 'value/*/name')
for ch in č š ž ć đ Ž Ć Đ; do
	printf '%s\n' "$names" | grep -q "$ch" || fail "no name with $ch"
done
printf '%s\n' "$names" | grep -q '王' || fail "no CJK name"
printf '%s\n' "$names" | grep -q '🚀' || fail "no emoji name"
for qn in Podpora Prodaja Računovodstvo; do
	printf '%s\n' "$names" | grep -qx "$qn" || fail "no queue $qn"
done
expect_eq "one forward mailbox" 1 "$(jv 'value/*/isforwardmailbox' | grep -c true)"
for v in 0 1 2 3; do
	jv 'value/*/incomingemaildeliverymethod' | grep -qx $v || fail "no incoming method $v"
done
for v in 0 1 2; do
	jv 'value/*/outgoingemaildeliverymethod' | grep -qx $v || fail "no outgoing method $v"
	jv 'value/*/actdeliverymethod' | grep -qx $v || fail "no ACT method $v"
done
[ "$(jv 'value/*/emailrouteraccessapproval' | grep -cx 2)" -ge 3 ] || fail "too few pending approvals"
expect_eq "one rejected" 1 "$(jv 'value/*/emailrouteraccessapproval' | grep -cx 3)"
jv 'value/*/statecode' | grep -qx 1 || fail "no inactive mailbox"
failing=$(jv 'value/*/mailboxstatus' | grep -cx 2)
[ "$failing" -ge 8 ] || fail "only $failing failing mailboxes"
# every regarding id resolves to its systemuser or queue
i=0
while [ $i -lt "$n" ]; do
	reg=$(jv "value/$i/_regardingobjectid_value" "$SIM_TMP/all.json")
	if [ "$reg" != null ]; then
		kind=$(jv "value/$i/_regardingobjectid_value@Microsoft.Dynamics.CRM.lookuplogicalname" "$SIM_TMP/all.json")
		set=systemusers
		[ "$kind" = queue ] && set=queues
		expect_eq "regarding $reg" 200 "$(sim_req GET "$set($reg)")"
	fi
	i=$((i + 1))
done
# failing mailboxes carry alerts
sim_req GET 'tracelogs?$select=_regardingobjectid_value,level&$filter=level%20eq%203' >/dev/null
[ "$(jv 'value/#')" -ge 10 ] || fail "too few error alerts"
sim_req GET 'organizations?$select=requireapprovalforuseremail,requireapprovalforqueueemail,name' >/dev/null
expect_eq "approval required" "true true" "$(jv 'value/0/requireapprovalforuseremail') $(jv 'value/0/requireapprovalforqueueemail')"
expect_eq "company" "Kovinoplast d.o.o." "$(jv 'value/0/name')"
# control: insert, change, delete
expect_eq "insert" 201 "$(sim_ctl POST mailboxes '{"name":"Začasni","emailaddress":"tmp@kovinoplast.si"}')"
new=$(jv id)
v1=$(jv versionnumber)
expect_eq "visible" 200 "$(sim_req GET "mailboxes($new)?\$select=name,isforwardmailbox")"
expect_eq "inserted name" "Začasni" "$(jv name)"
expect_eq "bump only" 200 "$(sim_ctl PATCH "mailboxes($new)" '{}')"
[ "$(jv versionnumber)" -gt "$v1" ] || fail "an empty control PATCH did not bump the version"
expect_eq "set read-only column" 200 "$(sim_ctl PATCH "mailboxes($new)" '{"mailboxstatus":2,"incomingemailstatus":2}')"
sim_req GET "mailboxes($new)?\$select=mailboxstatus" >/dev/null
expect_eq "read-only set by control" 2 "$(jv mailboxstatus)"
expect_eq "bad control value" 400 "$(sim_ctl PATCH "mailboxes($new)" '{"mailboxstatus":"x"}')"
expect_eq "add an alert" 201 "$(sim_ctl POST tracelogs "{\"_regardingobjectid_value\":\"$new\",\"level\":2,\"text\":\"Opozorilo\",\"tracecode\":5}")"
sim_req GET "tracelogs?\$select=text&\$filter=_regardingobjectid_value%20eq%20$new" >/dev/null
expect_eq "alert visible" Opozorilo "$(jv 'value/0/text')"
expect_eq "delete" 204 "$(sim_ctl DELETE "mailboxes($new)")"
expect_eq "deleted" 404 "$(sim_req GET "mailboxes($new)")"
expect_eq "delete again" 404 "$(sim_ctl DELETE "mailboxes($new)")"
sim_stop || fail "emailcfg-sim did not exit cleanly"
echo "demo: ok"
