# faults.sh — deterministic fault injection: throttling (429 + Retry-After +
# 0x80072322), 503s, dropped connections, truncated bodies, latency and the
# page-size cap; the token endpoint and /_sim/ are exempt; the request log and
# counts of the control endpoint.
. tests/lib/sim.sh
sim_start --throttle-every 4 --retry-after 3 --fail-every 6 --drop-every 7 --truncate-every 9 --max-page 7
sim_token
sim_token   # the token endpoint is never faulted
# outcome of API request n = 1..18 with the options above
expected="ok ok ok throttle ok fail drop throttle truncate ok ok throttle ok drop ok throttle ok fail"
n=0
for want in $expected; do
	n=$((n + 1))
	st=$(curl -sS -o "$SIM_BODY" -D "$SIM_HEADERS" -w '%{http_code}' -H "Authorization: Bearer $SIM_TOKEN" \
		"$SIM_API/mailboxes?\$select=name" 2>"$SIM_TMP/curl.err")
	rc=$?
	case $want in
	ok)
		[ $rc = 0 ] && [ "$st" = 200 ] || fail "request $n: wanted 200, got $st (curl $rc)"
		"$JGET" "$SIM_BODY" || fail "request $n: body is not JSON"
		expect_eq "request $n page size (--max-page)" 7 "$(jv 'value/#')"
		jv '@odata.nextLink' >/dev/null || fail "request $n: no nextLink"
		;;
	throttle)
		expect_eq "request $n" 429 "$st"
		expect_eq "request $n Retry-After" 3 "$(sim_header Retry-After)"
		expect_eq "request $n body" '{"error":{"code":"0x80072322","message":"Number of requests exceeded the limit of 6000 over time window of 300 seconds."}}' "$(cat "$SIM_BODY")"
		;;
	fail)
		expect_eq "request $n" 503 "$st"
		[ -z "$(sim_header Retry-After)" ] || fail "request $n: 503 carries Retry-After"
		;;
	drop)
		[ $rc = 18 ] || fail "request $n: wanted a transfer cut short (curl 18), got curl $rc status $st"
		len=$(sim_header Content-Length)
		got=$(wc -c <"$SIM_BODY" | tr -d ' ')
		[ "$got" -lt "$len" ] || fail "request $n: $got of $len bytes arrived"
		;;
	truncate)
		[ $rc = 0 ] && [ "$st" = 200 ] || fail "request $n: wanted 200, got $st (curl $rc)"
		expect_eq "request $n Content-Length is consistent" "$(sim_header Content-Length)" "$(wc -c <"$SIM_BODY" | tr -d ' ')"
		"$JGET" "$SIM_BODY" 2>/dev/null && fail "request $n: truncated body parses as JSON"
		;;
	esac
done
# a throttled PATCH is not executed
sim_ctl POST reset >/dev/null
sim_ctl POST config '{"throttle_every":1,"fail_every":0,"drop_every":0,"truncate_every":0}' >/dev/null
expect_eq "control is not throttled" 200 "$(sim_ctl GET stats)"
sim_token
st=$(sim_req PATCH "mailboxes(01070fbd-1a3e-5b3e-af19-fb62adfc5f05)" -H 'Content-Type: application/json' -H 'If-Match: W/"1"' --data-binary '{"name":"never"}')
expect_eq "throttled PATCH" 429 "$st"
sim_ctl GET 'mailboxes(01070fbd-1a3e-5b3e-af19-fb62adfc5f05)' >/dev/null
[ "$(jv name)" != never ] || fail "a throttled PATCH was applied"
# the log: method, uri, status, If-Match, arrival time, fault
sim_ctl GET requests >/dev/null
expect_eq "log: token request" POST "$(jv '0/method')"
expect_eq "log: PATCH" PATCH "$(jv '1/method')"
expect_eq "log: PATCH status" 429 "$(jv '1/status')"
expect_eq "log: If-Match" 'W/"1"' "$(jv '1/if_match')"
expect_eq "log: fault" throttle "$(jv '1/fault')"
expect_match "log: uri" '^/api/data/v9.2/mailboxes\(' "$(jv '1/uri')"
t0=$(jv '0/t_ms')
t1=$(jv '1/t_ms')
[ "$t1" -ge "$t0" ] || fail "arrival times go backwards: $t0 $t1"
seq=$(jv '1/seq')
sim_ctl GET "requests?since=$seq" >/dev/null
expect_eq "log since" 0 "$(jv '#')"
sim_ctl GET stats >/dev/null
expect_eq "stats 429" 1 "$(jv 'by_status/429')"
expect_eq "stats 200" 1 "$(jv 'by_status/200')"
expect_eq "stats api" 1 "$(jv api)"
expect_eq "stats faults" 1 "$(jv 'faults/throttle')"
# latency
sim_ctl POST config '{"throttle_every":0,"latency_ms":300}' >/dev/null
t=$(curl -sS -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $SIM_TOKEN" "$SIM_API/WhoAmI")
expect_match "latency >= 0.3 s" '^(0\.[3-9]|[1-9])' "$t"
sim_ctl POST config '{"latency_ms":0,"max_page":0}' >/dev/null
expect_eq "no cap" 200 "$(sim_req GET 'mailboxes?$select=name')"
[ "$(jv 'value/#')" -gt 7 ] || fail "max_page 0 still caps"
sim_ctl POST reset >/dev/null
sim_ctl GET stats >/dev/null
expect_eq "reset" 0 "$(jv total)"
expect_eq "bad config" 400 "$(sim_ctl POST config '{"throttle_every":"x"}')"
sim_stop || fail "emailcfg-sim did not exit cleanly"
echo "faults: ok"
