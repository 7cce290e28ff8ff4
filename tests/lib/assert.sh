# assert.sh — shared helpers for the shell tests (sourced, never run).
# Every test script: `. tests/lib/assert.sh`, then use T (a fresh temp dir,
# removed on exit), EMAILCFG, JSON_GET, and the assert_* functions, which
# print what failed and exit 1.

set -u
T=$(mktemp -d "${TMPDIR:-/tmp}/emailcfg-test.XXXXXX")
# A demo session (`emailcfg --demo COMMAND`) of its own, stopped on exit.
mkdir -m 700 "$T/xdg-runtime"
export XDG_RUNTIME_DIR="$T/xdg-runtime"
demo__cleanup() { [ ! -d "$T/xdg-runtime/emailcfg-demo" ] || $EMAILCFG --demo stop || true; }
# Also stops the emulators of tests/lib/sim.sh when that was sourced first.
trap 'command -v sim__cleanup >/dev/null && sim__cleanup; demo__cleanup; rm -rf "$T"' EXIT
EMAILCFG=${EMAILCFG:-./emailcfg}
JSON_GET=build/tests/tools/json-get
CACHE_LOAD=build/tests/tools/cache-load
# Tests never read the user's config, cache or sign-ins.
export XDG_CONFIG_HOME="$T/config" XDG_CACHE_HOME="$T/xdg-cache" XDG_STATE_HOME="$T/state"
unset EMAILCFG_ORG EMAILCFG_CONFIG EMAILCFG_CACHE EMAILCFG_TOKEN EMAILCFG_CLIENT_SECRET \
	EMAILCFG_CLIENT_SECRET_FILE EMAILCFG_TENANT EMAILCFG_CLIENT_ID EMAILCFG_AUTH \
	EMAILCFG_API_VERSION EMAILCFG_AUTHORITY EMAILCFG_HISTORY_DETAIL_DAYS EMAILCFG_HISTORY_DAYS \
	2>/dev/null || true

command -v fail >/dev/null || fail() {
	echo "FAIL: $*" >&2
	exit 1
}

assert_eq() { # expected actual what
	[ "$1" = "$2" ] || fail "$3: expected [$1], got [$2]"
}

assert_contains() { # haystack needle what
	case "$1" in *"$2"*) ;; *) fail "$3: [$2] not in [$1]" ;; esac
}

assert_not_contains() { # haystack needle what
	case "$1" in *"$2"*) fail "$3: [$2] found in [$1]" ;; esac
}

# run_rc EXPECTED_STATUS command... — runs it, keeps stdout in $OUT and
# stderr in $ERR, and checks the exit status.
run_rc() {
	want=$1
	shift
	set +e
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	set -e
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
	[ "$got" = "$want" ] || fail "$* exited $got, expected $want; stderr: $ERR"
}
