# testjob.sh — server-side Test & Enable: success on the Exchange profile
# (the emulator's own EWS URL), ConnectFailure on the IMAP profile's closed
# ports, approval required, no profile, ACT on IMAP; the statuses, flags,
# retry count and alerts written back; a hostile mailbox name; --test-delay
# and --never-complete; the EWS stand-in's 401 challenge.
. tests/lib/sim.sh
sim_start --test-delay 0
sim_token
J='Content-Type: application/json'
id_of() { # id_of EMAIL
	sim_req GET "mailboxes?\$select=name&\$filter=emailaddress%20eq%20%27$1%27" >/dev/null
	jv 'value/0/mailboxid'
}
run_test() { # run_test ID — schedules and waits for completion
	st=$(sim_req PATCH "mailboxes($1)" -H "$J" --data-binary '{"testemailconfigurationscheduled":true}')
	expect_eq "schedule $1" 204 "$st"
	i=0
	while :; do
		sim_req GET "mailboxes($1)?\$select=testemailconfigurationscheduled" >/dev/null
		[ "$(jv testemailconfigurationscheduled)" = false ] && break
		i=$((i + 1))
		[ $i -lt 100 ] || fail "test of $1 did not complete"
		sleep 0.05
	done
	sim_req GET "mailboxes($1)?\$select=name,incomingemailstatus,outgoingemailstatus,actstatus,mailboxstatus,enabledforincomingemail,enabledforoutgoingemail,enabledforact,testemailconfigurationretrycount,testmailboxaccesscompletedon" >/dev/null
	cp "$SIM_BODY" "$SIM_TMP/mb.json"
}
m() { jv "$1" "$SIM_TMP/mb.json"; }
alerts() { # alerts ID — tracelogs of the mailbox into $SIM_TMP/alerts.json
	sim_req GET "tracelogs?\$select=text,level,tracecode,tracestatus,errortypedisplay&\$filter=_regardingobjectid_value%20eq%20$1&\$orderby=tracecode" >/dev/null
	cp "$SIM_BODY" "$SIM_TMP/alerts.json"
}
a() { jv "$1" "$SIM_TMP/alerts.json"; }

# success: approved user on "Microsoft Exchange Online" ({{SELF}}/EWS/Exchange.asmx)
ana=$(id_of ana.novak@kovinoplast.si)
sim_req GET "mailboxes($ana)?\$select=testemailconfigurationretrycount" >/dev/null
retries=$(jv testemailconfigurationretrycount)
run_test "$ana"
expect_eq "ana statuses" "1 1 1 1" "$(m incomingemailstatus) $(m outgoingemailstatus) $(m actstatus) $(m mailboxstatus)"
expect_eq "ana enabled" "true true true" "$(m enabledforincomingemail) $(m enabledforoutgoingemail) $(m enabledforact)"
expect_eq "ana retry count" $((retries + 1)) "$(m testemailconfigurationretrycount)"
expect_match "ana completed on" '^20[0-9]{2}-' "$(m testmailboxaccesscompletedon)"
alerts "$ana"
expect_eq "ana success alert" "1 70100 true" "$(a 'value/0/level') $(a 'value/0/tracecode') $(a 'value/0/tracestatus')"
expect_match "ana success text" '^Your mailbox is now connected to Dynamics 365\. The mailbox Ana Novak was tested' "$(a 'value/0/text')"
n_before=$(a 'value/#')
run_test "$ana"
alerts "$ana"
expect_eq "a repeated alert updates its row" "$n_before" "$(a 'value/#')"

# IMAP/SMTP on closed loopback ports: ConnectFailure for incoming and outgoing
barbara=$(id_of barbara.pecnik@kovinoplast.si)
sim_ctl PATCH "mailboxes($barbara)" '{"incomingemailstatus":0,"outgoingemailstatus":0}' >/dev/null
run_test "$barbara"
expect_eq "imap statuses" "2 2 0 2" "$(m incomingemailstatus) $(m outgoingemailstatus) $(m actstatus) $(m mailboxstatus)"
expect_eq "imap disabled" "false false" "$(m enabledforincomingemail) $(m enabledforoutgoingemail)"
alerts "$barbara"
expect_eq "imap alert codes" "70031 70032" "$(a 'value/*/tracecode' | tr '\n' ' ' | sed 's/ $//')"
expect_eq "imap incoming text" "An error occurred in receiving email for the mailbox Barbara Pečnik while connecting to the email server. The system will try to receive email again later. Email Server Error Code: Web server returned ConnectFailure exception." "$(a 'value/0/text')"
expect_match "imap outgoing text" '^An error occurred in sending email for the mailbox Barbara Pečnik "Your mailbox is now connected to Dynamics 365" while connecting to the email server\..*ConnectFailure' "$(a 'value/1/text')"
expect_eq "imap level" "3 false" "$(a 'value/0/level') $(a 'value/0/tracestatus')"
expect_eq "imap error type" ConnectFailure "$(a 'value/0/errortypedisplay')"

# approval required but pending
tomaz=$(id_of tomaz.petek@kovinoplast.si)
sim_req GET "mailboxes($tomaz)?\$select=emailrouteraccessapproval" >/dev/null
expect_eq "tomaz pending" 2 "$(jv emailrouteraccessapproval)"
run_test "$tomaz"
expect_eq "approval statuses" "2 2 2" "$(m incomingemailstatus) $(m outgoingemailstatus) $(m actstatus)"
alerts "$tomaz"
expect_eq "approval codes" "70001 70002 70003" "$(a 'value/*/tracecode' | tr '\n' ' ' | sed 's/ $//')"
expect_match "approval text" '^Email cannot be received because the email address of the mailbox Tomaž Petek requires an approval by an Office 365 administrator' "$(a 'value/0/text')"
expect_match "approval act text" "^Appointments, contacts, and tasks can't be synchronized because the email address of the mailbox Tomaž Petek requires an approval" "$(a 'value/2/text')"
# approving makes the next test pass
expect_eq "approve" 204 "$(sim_req PATCH "mailboxes($tomaz)" -H "$J" --data-binary '{"emailrouteraccessapproval":1}')"
run_test "$tomaz"
expect_eq "approved statuses" "1 1 1" "$(m incomingemailstatus) $(m outgoingemailstatus) $(m actstatus)"

# no server profile
anze=$(id_of polona.bizjak@kovinoplast.si)
run_test "$anze"
expect_eq "no profile statuses" "2 2" "$(m incomingemailstatus) $(m mailboxstatus)"
alerts "$anze"
expect_eq "no profile text" "Email cannot be received because the mailbox Polona Bizjak does not have an email server profile associated with it or the email server profile is inactive. Email Server Error Code: InvalidIncomingEmailServerProfile" "$(a 'value/0/text')"

# an inactive profile behaves the same
exo=$(sim_req GET 'emailserverprofiles?$select=name&$filter=servertype%20eq%200' >/dev/null; jv 'value/0/emailserverprofileid')
sim_ctl PATCH "emailserverprofiles($exo)" '{"statecode":1,"statuscode":2}' >/dev/null
run_test "$ana"
expect_eq "inactive profile" "2 2 2" "$(m incomingemailstatus) $(m outgoingemailstatus) $(m actstatus)"
sim_ctl PATCH "emailserverprofiles($exo)" '{"statecode":0,"statuscode":1}' >/dev/null

# ACT on an IMAP profile
dragan=$(id_of dragan.cosic@kovinoplast.si)
run_test "$dragan"
expect_eq "act on imap" 2 "$(m actstatus)"
alerts "$dragan"
expect_match "act on imap alert" "ACTNotSupportedForServerType" "$(a 'value/*/errortypedisplay' | tr '\n' ' ')"

# a hostile name travels intact (JSON-escaped) into the alert
hostile=$(printf 'Evil\033]0;pwned\007\033[2J\033[31mRed\033[0m "q" \\\\ ž')
json_name=$(printf '%s' "$hostile" | sed 's/\\/\\\\/g; s/"/\\"/g' | sed "s/$(printf '\033')/\\\\u001b/g; s/$(printf '\007')/\\\\u0007/g")
expect_eq "insert hostile" 201 "$(sim_ctl POST mailboxes "{\"name\":\"$json_name\",\"emailaddress\":\"evil@kovinoplast.si\",\"_emailserverprofile_value\":\"$exo\",\"incomingemaildeliverymethod\":2,\"outgoingemaildeliverymethod\":2,\"actdeliverymethod\":2}")"
evil=$(jv id)
run_test "$evil"
expect_eq "hostile name round trip" "$hostile" "$(m name)"
grep -q "$(printf '\033')" "$SIM_TMP/mb.json" && fail "raw ESC in a JSON body"
alerts "$evil"
expect_match "hostile success alert" 'Evil' "$(a 'value/0/text')"

# not server-side sync: channels stay not run
sim_req PATCH "mailboxes($ana)" -H "$J" --data-binary '{"incomingemaildeliverymethod":1,"outgoingemaildeliverymethod":0,"actdeliverymethod":2}' >/dev/null
run_test "$ana"
expect_eq "not run" "0 0 0 0" "$(m incomingemailstatus) $(m outgoingemailstatus) $(m actstatus) $(m mailboxstatus)"

# the EWS stand-in
st=$(curl -sS -o /dev/null -D "$SIM_HEADERS" -w '%{http_code}' "$SIM_URL/EWS/Exchange.asmx")
expect_eq "EWS 401" 401 "$st"
grep -qi '^WWW-Authenticate: Basic realm=' "$SIM_HEADERS" || fail "EWS has no Basic challenge"
grep -qi '^WWW-Authenticate: Negotiate' "$SIM_HEADERS" || fail "EWS has no Negotiate challenge"
sim_stop || fail "emailcfg-sim did not exit cleanly"

# --test-delay 1: not done at once, done after the delay
sim_start --test-delay 1
sim_token
ana=$(id_of ana.novak@kovinoplast.si)
sim_req PATCH "mailboxes($ana)" -H "$J" --data-binary '{"testemailconfigurationscheduled":true}' >/dev/null
sim_ctl GET tests >/dev/null
expect_eq "pending" 1 "$(jv pending)"
sim_req GET "mailboxes($ana)?\$select=testemailconfigurationscheduled" >/dev/null
expect_eq "scheduled right after" true "$(jv testemailconfigurationscheduled)"
sleep 1.6
sim_req GET "mailboxes($ana)?\$select=testemailconfigurationscheduled" >/dev/null
expect_eq "done after the delay" false "$(jv testemailconfigurationscheduled)"
sim_stop || fail "emailcfg-sim did not exit cleanly"

# --never-complete
sim_start --test-delay 0 --never-complete
sim_token
ana=$(id_of ana.novak@kovinoplast.si)
sim_req PATCH "mailboxes($ana)" -H "$J" --data-binary '{"testemailconfigurationscheduled":true}' >/dev/null
sleep 0.5
sim_req GET "mailboxes($ana)?\$select=testemailconfigurationscheduled" >/dev/null
expect_eq "never completes" true "$(jv testemailconfigurationscheduled)"
sim_stop || fail "emailcfg-sim did not exit cleanly"
echo "testjob: ok"
