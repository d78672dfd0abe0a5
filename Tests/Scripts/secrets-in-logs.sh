#!/usr/bin/env bash
# Tests/Scripts/secrets-in-logs.sh — the whole test run's daemon logs hold none of the test
# passwords. scripts/test points POSTERN_TEST_LOG_DIR at one directory, where the Swift
# integration tests (DaemonProcess) and the Python interop tests (conftest.py) write the log of
# every daemon they start; this greps them all for each line of Tests/Secrets/test-passwords.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${POSTERN_TEST_LOG_DIR:?set by scripts/test}
list=Tests/Secrets/test-passwords.txt
fail() { echo "secrets-in-logs: $*" >&2; exit 1; }

logs=$(find "$dir" -name '*.log' | wc -l)
swift_logs=$(find "$dir" -name 'postern-password-*.log' | wc -l)
python_logs=$(find "$dir" -name 'py-*.log' | wc -l)
[ "$swift_logs" -ge 5 ] && [ "$python_logs" -ge 20 ] \
    || fail "expected the logs of both harnesses, found $swift_logs Swift and $python_logs Python daemon logs"
# The grep can see what the tests did: a username they log is there.
grep -rqF "username=alice" "$dir" || fail "no daemon log mentions username=alice; are the logs collected?"

checked=0
while IFS= read -r secret; do
    [[ -z "$secret" || "$secret" == \#* ]] && continue
    grep -rqF -- "$secret" Tests/Interop Tests/IntegrationTests Tests/Vectors \
        || fail "\"$secret\" is listed in $list but no test uses it"
    if hits=$(grep -rlF -- "$secret" "$dir"); then
        fail "a test password reached a daemon log: \"$secret\" in $hits"
    fi
    checked=$((checked + 1))
done <"$list"
[ "$checked" -ge 10 ] || fail "only $checked passwords listed"
echo "secrets-in-logs: none of $checked test passwords in $logs daemon logs"
