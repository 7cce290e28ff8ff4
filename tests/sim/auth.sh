# auth.sh — the token endpoint's success body and each AADSTS error, the
# 401 with WWW-Authenticate without or with a bad or expired token, and
# --expired-secret / --token-lifetime / tokens/expire.
. tests/lib/sim.sh
sim_start --token-lifetime 2
tok() { # tok TENANT [CURL_ARGS...] -> status
	t=$1
	shift
	curl -sS -o "$SIM_BODY" -D "$SIM_HEADERS" -w '%{http_code}' -X POST "$SIM_URL/$t/oauth2/v2.0/token" "$@"
}
ok_args() {
	echo "--data-urlencode grant_type=client_credentials --data-urlencode client_id=$SIM_CLIENT_ID --data-urlencode client_secret=$SIM_CLIENT_SECRET --data-urlencode scope=$SIM_URL/.default"
}
aad() { # aad WHAT STATUS ERROR CODE -- checks the last token response
	expect_eq "$1 error" "$3" "$(jv error)"
	expect_match "$1 description" "^AADSTS$4: " "$(jv error_description)"
	expect_match "$1 description trailer" 'Trace ID: [0-9a-f-]{36}' "$(jv error_description | tr -d '\r' | tr '\n' ' ')"
	expect_eq "$1 error_codes" "[$4]" "$(jv error_codes)"
	expect_match "$1 timestamp" '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}Z$' "$(jv timestamp)"
	expect_match "$1 trace_id" '^[0-9a-f-]{36}$' "$(jv trace_id)"
	expect_match "$1 correlation_id" '^[0-9a-f-]{36}$' "$(jv correlation_id)"
	expect_eq "$1 error_uri" "https://login.microsoftonline.com/error?code=$4" "$(jv error_uri)"
}
# success
expect_eq "token" 200 "$(tok $SIM_TENANT $(ok_args))"
expect_eq "token_type" Bearer "$(jv token_type)"
expect_eq "expires_in" 2 "$(jv expires_in)"
expect_eq "ext_expires_in" 2 "$(jv ext_expires_in)"
expect_match "access_token" '^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$' "$(jv access_token)"
t1=$(jv access_token)
tok $SIM_TENANT $(ok_args) >/dev/null
[ "$(jv access_token)" != "$t1" ] || fail "tokens are not random"
expect_eq "scope with trailing slash" 200 "$(tok $SIM_TENANT --data-urlencode grant_type=client_credentials \
	--data-urlencode client_id=$SIM_CLIENT_ID --data-urlencode "client_secret=$SIM_CLIENT_SECRET" --data-urlencode "scope=$SIM_URL//.default")"
# errors
expect_eq "wrong secret" 401 "$(tok $SIM_TENANT --data-urlencode grant_type=client_credentials \
	--data-urlencode client_id=$SIM_CLIENT_ID --data-urlencode client_secret=nope --data-urlencode "scope=$SIM_URL/.default")"
aad "wrong secret" 401 invalid_client 7000215
expect_eq "unknown client" 400 "$(tok $SIM_TENANT --data-urlencode grant_type=client_credentials \
	--data-urlencode client_id=00000000-1111-4222-8333-444444444444 --data-urlencode client_secret=x --data-urlencode "scope=$SIM_URL/.default")"
aad "unknown client" 400 unauthorized_client 700016
expect_match "unknown client names the app and tenant" "Application with identifier '00000000-1111-4222-8333-444444444444' was not found in the directory '$SIM_TENANT'" "$(jv error_description)"
expect_eq "wrong tenant" 400 "$(tok contoso.onmicrosoft.com $(ok_args))"
aad "wrong tenant" 400 invalid_request 90002
expect_match "wrong tenant text" "^AADSTS90002: Tenant 'contoso.onmicrosoft.com' not found" "$(jv error_description)"
expect_eq "missing grant_type" 400 "$(tok $SIM_TENANT --data-urlencode client_id=$SIM_CLIENT_ID --data-urlencode "client_secret=$SIM_CLIENT_SECRET")"
aad "missing grant_type" 400 invalid_request 900144
expect_match "missing grant_type text" "must contain the following parameter: 'grant_type'" "$(jv error_description)"
expect_eq "bad scope" 400 "$(tok $SIM_TENANT --data-urlencode grant_type=client_credentials \
	--data-urlencode client_id=$SIM_CLIENT_ID --data-urlencode "client_secret=$SIM_CLIENT_SECRET" --data-urlencode "scope=$SIM_URL/user_impersonation")"
aad "bad scope" 400 invalid_scope 1002012
expect_eq "other resource" 400 "$(tok $SIM_TENANT --data-urlencode grant_type=client_credentials \
	--data-urlencode client_id=$SIM_CLIENT_ID --data-urlencode "client_secret=$SIM_CLIENT_SECRET" --data-urlencode "scope=https://contoso.crm4.dynamics.com/.default")"
aad "other resource" 400 invalid_resource 500011
expect_eq "token endpoint content type" "application/json; charset=utf-8" "$(sim_header Content-Type)"

# the Web API wants a token
expect_eq "no token" 401 "$(curl -sS -o "$SIM_BODY" -D "$SIM_HEADERS" -w '%{http_code}' "$SIM_API/WhoAmI")"
expect_eq "WWW-Authenticate" "Bearer authorization_uri=$SIM_URL/$SIM_TENANT/oauth2/authorize, resource_id=$SIM_URL/" "$(sim_header WWW-Authenticate)"
SIM_TOKEN=not-a-token
expect_eq "unknown token" 401 "$(sim_req GET WhoAmI)"
sim_token
expect_eq "good token" 200 "$(sim_req GET WhoAmI)"
sleep 2.2
expect_eq "expired token" 401 "$(sim_req GET WhoAmI)"
sim_token
expect_eq "renewed token" 200 "$(sim_req GET WhoAmI)"
expect_eq "expire all" 204 "$(sim_ctl POST tokens/expire)"
expect_eq "expired by control" 401 "$(sim_req GET WhoAmI)"
sim_stop || fail "emailcfg-sim did not exit cleanly"

# expired secret, custom credentials
sim_start --expired-secret --tenant contoso.onmicrosoft.com --client-id 11111111-aaaa-4bbb-8ccc-222222222222 --client-secret s3cret
expect_eq "expired secret" 401 "$(tok contoso.onmicrosoft.com --data-urlencode grant_type=client_credentials \
	--data-urlencode client_id=11111111-aaaa-4bbb-8ccc-222222222222 --data-urlencode client_secret=s3cret --data-urlencode "scope=$SIM_URL/.default")"
aad "expired secret" 401 invalid_client 7000222
expect_eq "tenant is case-insensitive" 401 "$(tok CONTOSO.onmicrosoft.com --data-urlencode grant_type=client_credentials \
	--data-urlencode client_id=11111111-aaaa-4bbb-8ccc-222222222222 --data-urlencode client_secret=s3cret --data-urlencode "scope=$SIM_URL/.default")"
expect_eq "renew the secret" 200 "$(sim_ctl POST config '{"expired_secret":false}')"
expect_eq "after renewing" 200 "$(tok contoso.onmicrosoft.com --data-urlencode grant_type=client_credentials \
	--data-urlencode client_id=11111111-aaaa-4bbb-8ccc-222222222222 --data-urlencode client_secret=s3cret --data-urlencode "scope=$SIM_URL/.default")"
sim_stop || fail "emailcfg-sim did not exit cleanly"
echo "auth: ok"
