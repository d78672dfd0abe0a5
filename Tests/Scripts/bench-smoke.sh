#!/usr/bin/env bash
# Tests/Scripts/bench-smoke.sh — scripts/bench wire, cut down to seconds, must still run and
# print every metric in the machine-readable form. Speed is not judged here (a smoke run is
# too short to mean anything); only that the benchmark has not rotted.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(BENCH_ROUNDS=1 BENCH_CALLS=300 BENCH_SECONDS=0.2 scripts/bench wire)
echo "$out" | tail -10
expected="health_rtt_p50_pinned health_rtt_p99_pinned health_rtt_p50_unpinned health_rtt_p99_unpinned
health_throughput_8conn nio_floor_rtt_p50_pinned nio_floor_throughput_8conn health_throughput_8conn_vs_nio_floor"
for name in $expected; do
    # value and baseline positive numbers, a ratio, a target and a verdict.
    echo "$out" | grep -Eq "^bench wire\.$name value=[0-9.]+ unit=[a-z/]+ baseline=[0-9.]+ ratio=[0-9.]+ target=[0-9.a-z]+ (ok|miss)$" \
        || { echo "bench-smoke: no well-formed line for wire.$name" >&2; exit 1; }
    echo "$out" | grep -E "^bench wire\.$name " | grep -Eq "value=0(\.0+)? |baseline=0(\.0+)? " \
        && { echo "bench-smoke: wire.$name measured zero" >&2; exit 1; }
done
[ "$(echo "$out" | grep -c '^bench wire\.')" -eq 8 ] || { echo "bench-smoke: expected 8 metrics" >&2; exit 1; }
echo "bench-smoke: scripts/bench wire ran and reported all 8 metrics"
