#!/usr/bin/env bash
# The README's first command works: scripts/run brings all three daemons up (postern health
# passes against .run/), and Ctrl-C (SIGINT) or SIGTERM stops all three with exit status 0.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(mktemp)
trap 'rm -f "$out"' EXIT

scripts/run >"$out" 2>&1 &
pid=$!
cleanup() { kill -KILL "$pid" 2>/dev/null || true; pkill -KILL -f "$PWD/.run/.*\.sock" 2>/dev/null || true; }
trap 'cleanup; rm -f "$out"' EXIT

for _ in $(seq 600); do
    grep -q "daemons are serving" "$out" && break
    kill -0 "$pid" 2>/dev/null || { cat "$out"; echo "run-smoke: scripts/run exited early" >&2; exit 1; }
    sleep 0.2
done
grep -q "daemons are serving" "$out" || { cat "$out"; echo "run-smoke: daemons not serving" >&2; exit 1; }
[ "$(grep -c ' SERVING ' "$out")" = 3 ] || { cat "$out"; echo "run-smoke: expected 3 SERVING lines" >&2; exit 1; }

# The daemons work together: postern-password records the password it sets in postern-history.
bin=$(swift build -c release --show-bin-path)
export POSTERN_PASSWORD_SOCKET=$PWD/.run/password.sock POSTERN_HISTORY_SOCKET=$PWD/.run/history.sock
export POSTERN_POLICY_SOCKET=$PWD/.run/policy.sock
smoke_user=smoke-$$
# scripts/run applied the default blueprints (deploy/blueprints/): their uniqueness policy
# turns history on (postern-policy keeps the retention, docs/password-uniqueness.md).
grep -q "run: applied deploy/blueprints/" "$out" || { cat "$out"; echo "run-smoke: the default blueprints were not applied" >&2; exit 1; }
"$bin/postern" flow show default-password-change >/dev/null \
    || { echo "run-smoke: the default password-change flow is missing" >&2; exit 1; }
for _ in $(seq 100); do
    [ "$("$bin/postern" history retention --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["retention"])')" -ge 1 ] && break
    sleep 0.1
done
"$bin/postern" user add "$smoke_user" >/dev/null
printf 'Run-smoke secret\n' | "$bin/postern" password set "$smoke_user" >/dev/null
check_status=0
printf 'Run-smoke secret\n' | "$bin/postern" history check "$smoke_user" >/dev/null || check_status=$?
[ "$check_status" = 2 ] || { cat "$out"; echo "run-smoke: the password set was not recorded in history ($check_status)" >&2; exit 1; }
"$bin/postern" user delete --yes "$smoke_user" >/dev/null

# The README's try-it lines, run as they are written there (alice may be left from an earlier
# try in this .run/; she is removed first, and again afterwards).
"$bin/postern" user delete --yes alice >/dev/null 2>&1 || true
try_it=$(awk '/# try-it: begin/ {on = 1; next} /# try-it: end/ {on = 0} on' README.md | sed 's/^      //')
[ -n "$try_it" ] || { echo "run-smoke: no try-it block in README.md" >&2; exit 1; }
try_status=0
try_out=$(env -u POSTERN_PASSWORD_SOCKET -u POSTERN_HISTORY_SOCKET -u POSTERN_POLICY_SOCKET bash -eu -c "$try_it" 2>&1) \
    || try_status=$?
[ "$try_status" = 2 ] && grep -q "^reused" <<<"$try_out" \
    || { echo "$try_out"; echo "run-smoke: the README's try-it lines ended with $try_status, not 2 (reused)" >&2; exit 1; }
"$bin/postern" user delete --yes alice >/dev/null

# A second scripts/run on the same .run/ refuses at once and leaves the first one's logs alone.
second_status=0
second=$(timeout 60 scripts/run 2>&1) || second_status=$?
[ "$second_status" = 1 ] && grep -q "another scripts/run is serving" <<<"$second" \
    || { echo "$second"; echo "run-smoke: a second scripts/run did not refuse ($second_status)" >&2; exit 1; }
grep -q "listening" .run/logs/password.log || { echo "run-smoke: the first run's log was truncated" >&2; exit 1; }

# (a background job ignores SIGINT in a non-interactive shell, so the test sends SIGTERM,
# which scripts/run handles the same way as Ctrl-C)
kill -TERM "$pid"
status=0
timeout 30 tail --pid="$pid" -f /dev/null || { echo "run-smoke: scripts/run did not stop on SIGTERM" >&2; exit 1; }
wait "$pid" || status=$?
[ "$status" = 0 ] || { cat "$out"; echo "run-smoke: scripts/run exited $status after SIGTERM" >&2; exit 1; }
if pgrep -f "$PWD/.run/.*\.sock" >/dev/null; then
    echo "run-smoke: daemons still running after SIGTERM" >&2; exit 1
fi
echo "run-smoke: scripts/run started three serving daemons, which recorded a password set in history, and stopped them on SIGTERM"
