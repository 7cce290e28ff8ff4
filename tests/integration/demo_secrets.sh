#!/bin/sh
# demo_secrets.sh — `emailcfg --demo` never hands the admin's real
# credentials (EMAILCFG_CLIENT_SECRET, EMAILCFG_TOKEN, ...) to the emulator it
# starts, and emailcfg runs with core dumps off. A stand-in emailcfg-sim
# beside a copy of emailcfg records its environment and its parent's limits,
# then runs the real emulator.
. tests/lib/assert.sh
set -e
mkdir -p "$T/bin"
cp "$EMAILCFG" "$T/bin/emailcfg"
cat >"$T/bin/emailcfg-sim" <<EOT
#!/bin/sh
tr '\0' '\n' </proc/\$\$/environ >"$T/sim.env"
cat /proc/\$PPID/limits >"$T/parent.limits"
exec "$PWD/emailcfg-sim" "\$@"
EOT
chmod 755 "$T/bin/emailcfg-sim"
secret='admins-real-secret-4b1d'
EMAILCFG_DATADIR=$PWD/data EMAILCFG_CLIENT_SECRET=$secret EMAILCFG_TOKEN=real-token-9c0d \
	EMAILCFG_TENANT=11111111-2222-3333-4444-555555555555 \
	run_rc 0 "$T/bin/emailcfg" --demo status --json
assert_eq 62 "$(echo "$OUT" | $JSON_GET get .mailboxes)" "the demo ran"
[ -s "$T/sim.env" ] || fail "the stand-in emulator did not run"
env_of_sim=$(cat "$T/sim.env")
assert_not_contains "$env_of_sim" "$secret" "the client secret in the emulator's environment"
assert_not_contains "$env_of_sim" "real-token-9c0d" "the token in the emulator's environment"
assert_not_contains "$env_of_sim" "EMAILCFG_" "EMAILCFG_* in the emulator's environment"
assert_contains "$env_of_sim" "PATH=" "the rest of the environment is kept"
core=$(grep 'Max core file size' "$T/parent.limits")
assert_eq "0 0" "$(echo "$core" | awk '{print $5, $6}')" "core dumps of emailcfg"
echo "demo secrets: ok"
