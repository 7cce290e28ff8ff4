#!/bin/sh
# script_profile_form.sh — the Server profiles screen and the Email Server
# Profile form in script mode, at 80x24 and 120x40: the list with each
# profile's type as the organization names it, its servers (an EWS URL as
# it is, host:port for a host name) and its mailbox count; the detail; the
# form with its sections; the credentials picker with the option the
# profile's type does not allow shown disabled with the reason; a server
# location refused as you type, with the reason; then (120x40) an edit
# saved through the outbox that reaches the organization, the "Discard
# changes?" guard, and F: the profile's failing mailboxes, tagged, on the
# Mailboxes screen; and a profile's queued edit on the Outbox screen, named by
# its profile. Exchange Online's refused credentials and Basic shown disabled
# with their reasons; a URL without a host, port 0 and an emptied host name
# refused as you type; Use SSL=no under an https:// URL shown as a problem
# and refused by w.
. tests/lib/sim.sh
. tests/lib/assert.sh
. tests/lib/client.sh
. tests/lib/tui.sh
set -e
sim_start
client_env
run_rc 0 ec sync
EXO=f4f820de-1f43-5ed4-9af1-be1fbeb5d25a
IMAP=e7414d04-dd37-55db-8653-90f9502ab86c

# Rows by name: IMAP/SMTP …, Microsoft Exchange Online, POP3/SMTP …. The
# form's first field is the incoming server; credentials is the fifth.
for size in 80x24 120x40; do
	cat >"$T/form.$size" <<EOS
:wait-idle
3
:dump profiles-list-$size
<Down>
<Enter>
:dump profiles-detail-$size
e
:dump profile-form-$size
<Down><Down><Down><Down>
<Enter>
:dump profile-credentials-refused-$size
<Esc>
<Up><Up><Up><Up>
<Enter>
<C-u>mail.example.com
:dump profile-server-refused-$size
<Esc>
q
EOS
	tui_run "$size" "$T/form.$size" --org "$SIM_URL" --cache "$C"
	for d in profiles-list profiles-detail profile-form profile-credentials-refused \
		profile-server-refused; do
		tui_expect "$d-$size"
	done
	assert_not_contains "$(tui_dump "profiles-detail-$size")" "Exchange.asmx:" \
		"no port appended to the EWS URL ($size)"
	assert_contains "$(tui_dump "profiles-detail-$size")" "Exchange Online" \
		"the organization's type name ($size)"
	assert_contains "$(tui_dump "profile-credentials-refused-$size")" "(Gmail OAuth) Gmail OAuth signs in" \
		"Gmail OAuth disabled with the reason ($size)"
	assert_contains "$(tui_dump "profile-server-refused-$size")" "server location is its EWS URL" \
		"a host name refused as you type ($size)"
	assert_contains "$(tui_dump "profile-credentials-refused-$size")" \
		"(Without Credentials (Anonymous)) Exchange Online takes no anonymous" \
		"Anonymous disabled on Exchange Online with the reason ($size)"
	assert_contains "$(tui_dump "profile-credentials-refused-$size")" \
		"(Windows Integrated Authentication) Windows integrated authentication" \
		"Windows integrated disabled on Exchange Online with the reason ($size)"
done

# The other rules of the type (core/model/profile_rules.c), at 120x40: on
# the Exchange Online profile, Basic disabled in the authentication picker,
# a URL without a host refused as you type, and Use SSL=no under an https://
# URL shown as a problem and refused by w; on the IMAP profile (the first
# row), port 0 and an emptied host name refused as you type.
cat >"$T/rules" <<'EOS'
:wait-idle
3
<Down>
e
<Down><Down><Down>
<Enter>
:dump profile-auth-refused
<Esc>
<Up><Up><Up>
<Enter>
<C-u>https://
:dump profile-url-refused
<C-u>https://mail.example.com/EWS/Exchange.asmx
<Enter>
<Down><Down>
<Enter>
:dump profile-ssl-problem
w
:wait-idle
:dump profile-ssl-refused
<Esc>
<Right>
<Enter>
<Up>
e
<Down>
<Enter>
<C-u>0
:dump profile-port-refused
<Esc>
<Up>
<Enter>
<C-u>
:dump profile-host-refused
<Esc>
q
EOS
tui_run 120x40 "$T/rules" --org "$SIM_URL" --cache "$C"
assert_contains "$(tui_dump profile-auth-refused)" "(Basic) Microsoft has turned off Basic authentication" \
	"Basic disabled on Exchange Online with the reason"
assert_contains "$(tui_dump profile-url-refused)" "URL has no valid host name" \
	"a URL without a host refused as you type"
assert_contains "$(tui_dump profile-ssl-problem)" "always connects over SSL/TLS" \
	"Use SSL=no under an https:// URL shown as a problem"
assert_contains "$(tui_dump profile-ssl-refused)" \
	"not saved: Microsoft Exchange Online: An https:// server location always connects" \
	"and refused when saved"
assert_contains "$(tui_dump profile-port-refused)" "from 1 to 65535" "port 0 refused as you type"
assert_contains "$(tui_dump profile-host-refused)" "needs the host name of both" \
	"an emptied host name refused as you type"
assert_eq 0 "$(sqlite3 "$C" "select count(*) from outbox")" "nothing queued by the refusals"
sim_ctl GET "emailserverprofiles($EXO)" >/dev/null
assert_eq true "$(jv incomingusessl)" "the organization keeps Use SSL"
assert_contains "$(tui_dump profiles-list-120x40)" "127.0.0.1:PORT" "host:port for a host name"

# An edit saved through the outbox: max-connections (the twelfth field).
cat >"$T/save" <<'EOS'
:wait-idle
3
<Down>
e
<Down><Down><Down><Down><Down><Down><Down><Down><Down><Down><Down>
<Enter>
<C-u>25
<Enter>
:dump profile-edited
<Esc>
:dump profile-discard
<Enter>
w
:wait-idle
:dump profile-saved
<Esc>
<Up>
F
:wait-idle
:dump profile-failing-tagged
q
EOS
tui_run 120x40 "$T/save" --org "$SIM_URL" --cache "$C"
for d in profile-edited profile-discard profile-saved profile-failing-tagged; do
	tui_expect "$d"
done
assert_contains "$(tui_dump profile-discard)" "Discard changes?" "the guard asks"
sim_ctl GET "emailserverprofiles($EXO)" >/dev/null
assert_eq 25 "$(jv maxconcurrentconnections)" "the organization has the saved value"
# The IMAP profile's failing mailboxes, as the organization lists them.
sim_token
st=$(sim_req GET "mailboxes?\$select=mailboxid&\$filter=_emailserverprofile_value%20eq%20$IMAP%20and%20(incomingemailstatus%20eq%202%20or%20outgoingemailstatus%20eq%202%20or%20actstatus%20eq%202)")
assert_eq 200 "$st" "the organization lists them"
want=$($JSON_GET len .value <"$SIM_BODY")
assert_contains "$(tui_dump profile-failing-tagged)" "tagged $want mailboxes ($want in all)" \
	"every failing mailbox of the profile tagged"

# A profile's queued edit is named by its profile on the Outbox screen.
run_rc 0 ec --offline profile set "$IMAP" max-connections=9
cat >"$T/outbox" <<'EOS'
:wait-idle
5
:dump profile-outbox
q
EOS
tui_run 120x40 "$T/outbox" --offline --org "$SIM_URL" --cache "$C"
assert_contains "$(tui_dump profile-outbox)" "queued    server profile IMAP/SMTP" \
	"the outbox names the profile"
echo ok
