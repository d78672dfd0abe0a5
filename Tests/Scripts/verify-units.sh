#!/usr/bin/env bash
# Tests/Scripts/verify-units.sh — the systemd units in deploy/systemd pass `systemd-analyze
# verify` with no output at all (unknown keys are only warnings there, exit 0, so any output
# fails this test), and each service's `systemd-analyze security` exposure stays at or below
# 2.0 ("OK"). ExecStart must exist for verify: it is pointed at the release build.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for unit in deploy/systemd/*; do
    sed "s|/usr/local/bin/|$bin/|" "$unit" > "$work/$(basename "$unit")"
done
for name in password history policy; do
    output=$(systemd-analyze verify "$work/postern-$name.socket" "$work/postern-$name.service" 2>&1 || true)
    if [ -n "$output" ]; then
        echo "verify-units: postern-$name units:" >&2
        echo "$output" >&2
        exit 1
    fi
    exposure=$(systemd-analyze security --offline=true "$work/postern-$name.service" 2>&1 \
        | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
    if [ -z "$exposure" ] || awk -v e="$exposure" 'BEGIN { exit !(e > 2.0) }'; then
        echo "verify-units: postern-$name.service exposure ${exposure:-unknown}; at most 2.0 expected" >&2
        exit 1
    fi
    echo "verify-units: postern-$name units verify cleanly; security exposure $exposure"
done
