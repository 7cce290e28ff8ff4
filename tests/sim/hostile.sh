# hostile.sh — the emulator's hostile-server knobs (/_sim/config): a page
# that names itself as its next page, nextLinks on another origin, pages
# flooded with copies of a row (exact bytes, streamed without a length, any
# status), Retry-After as an HTTP date; and --public-url.
. tests/lib/sim.sh
sim_start --data none --generate 30 --seed 5 --max-page 10 --public-url https://localhost:4443
sim_token() { # the scope names the public URL
	st=$(curl -sS -o "$SIM_BODY" -w '%{http_code}' -X POST "$SIM_URL/$SIM_TENANT/oauth2/v2.0/token" \
		--data-urlencode grant_type=client_credentials --data-urlencode "client_id=$SIM_CLIENT_ID" \
		--data-urlencode "client_secret=$SIM_CLIENT_SECRET" \
		--data-urlencode "scope=https://localhost:4443/.default")
	expect_eq "token with the public URL's scope" 200 "$st"
	SIM_TOKEN=$(jv access_token)
}
sim_token
expect_eq "page 1" 200 "$(sim_req GET 'mailboxes?$select=name')"
next=$(jv '@odata.nextLink')
expect_match "nextLink on the public URL" '^https://localhost:4443/api/data/v9.2/mailboxes\?' "$next"
expect_match "context on the public URL" '^https://localhost:4443/' "$(jv '@odata.context')"

# A loop: page 2 names itself.
expect_eq "repeat on" 200 "$(sim_ctl POST config '{"next_link_repeat":true}')"
page2=$SIM_API/${next#https://localhost:4443/api/data/v9.2/}
expect_eq "page 2" 200 "$(sim_req GET "$page2")"
expect_eq "page 2 names itself" "$next" "$(jv '@odata.nextLink')"
sim_ctl POST config '{"next_link_repeat":false,"next_link_base":"http://evil.example:81"}' >/dev/null
expect_eq "page 1 again" 200 "$(sim_req GET 'mailboxes?$select=name')"
expect_match "nextLink on another origin" '^http://evil\.example:81/api/data/v9\.2/mailboxes\?' \
	"$(jv '@odata.nextLink')"

# Floods: exact bytes, chunked, with the status asked for.
sim_ctl POST config '{"next_link_base":"","flood_rows":3}' >/dev/null
expect_eq "flood" 200 "$(sim_req GET 'mailboxes?$select=name')"
expect_eq "three {}" '{"value":[{},{},{}]}' "$(cat "$SIM_BODY")"
expect_eq "streamed" chunked "$(sim_header Transfer-Encoding | tr -d '\r')"
sim_ctl POST config '{"flood_rows":2,"flood_row":"{\"a\":1}","flood_status":400}' >/dev/null
expect_eq "flood status" 400 "$(sim_req GET 'systemusers')"
expect_eq "two rows" '{"value":[{"a":1},{"a":1}]}' "$(cat "$SIM_BODY")"
sim_ctl POST config '{"flood_rows":100000,"flood_row":"{}","flood_status":0}' >/dev/null
expect_eq "a big flood" 200 "$(sim_req GET 'mailboxes')"
expect_eq "its length" 300011 "$(wc -c <"$SIM_BODY" | tr -d ' ')"
sim_ctl POST config '{"flood_rows":0}' >/dev/null
expect_eq "flood off" 10 "$(sim_req GET 'mailboxes?$select=name' >/dev/null; jv 'value/#')"

# Retry-After as an HTTP date, about retry_after seconds ahead.
sim_ctl POST config '{"throttle_every":1,"retry_after":60,"retry_after_date":true}' >/dev/null
expect_eq "throttled" 429 "$(sim_req GET WhoAmI)"
date=$(sim_header Retry-After | tr -d '\r')
expect_match "an IMF-fixdate" '^[A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT$' "$date"
ahead=$(($(date -u -d "$date" +%s) - $(date -u +%s)))
[ "$ahead" -ge 58 ] && [ "$ahead" -le 61 ] || fail "Retry-After $ahead s ahead, not 60"
sim_stop || fail "emailcfg-sim did not exit cleanly"
echo "hostile: ok"
