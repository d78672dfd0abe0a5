#!/usr/bin/env bash
# Tests/Scripts/bench-smoke.sh — scripts/bench wire (then password, history, policy), cut down to seconds, must still run and
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
    grep -Eq "^bench wire\.$name value=[0-9.]+ unit=[a-z/]+ baseline=[0-9.]+ ratio=[0-9.]+ target=[0-9.a-z]+ (ok|miss)$" <<<"$out" \
        || { echo "bench-smoke: no well-formed line for wire.$name" >&2; exit 1; }
    grep -E "^bench wire\.$name " <<<"$out" | grep -Eq "value=0(\.0+)? |baseline=0(\.0+)? " \
        && { echo "bench-smoke: wire.$name measured zero" >&2; exit 1; }
done
[ "$(grep -c '^bench wire\.' <<<"$out")" -eq 8 ] || { echo "bench-smoke: expected 8 metrics" >&2; exit 1; }
echo "bench-smoke: scripts/bench wire ran and reported all 8 metrics"

# scripts/bench password, cut down the same way.
out=$(BENCH_CALLS=5 BENCH_SECONDS=1 BENCH_DJANGO=1 BENCH_KS_ROUNDS=10 scripts/bench password)
echo "$out" | tail -17
for name in authenticate_p50_vs_raw_hash authenticate_vs_raw_hash_paired authenticate_throughput_8conn app_password_authenticate_p50_vs_health \
    app_password_authenticate_p50_vs_health_pinned unknown_user_vs_known_user_p50 unknown_user_vs_known_user_paired \
    weak_import_vs_unknown_p50 weak_import_vs_unknown_ks weak_import_vs_unknown_iqr django_check_password_vs_authenticate \
    ldap_authenticate_p50_vs_fresh_bind ldap_authenticate_vs_fresh_bind_paired ldap_kept_bind_vs_fresh_bind \
    ldap_throughput_8conn_vs_raw_binds kerberos_authenticate_p50_vs_raw_check kerberos_authenticate_vs_raw_check_paired; do
    grep -Eq "^bench password\.$name value=[0-9.]+ unit=[a-z/]+ baseline=[0-9.]+ ratio=[0-9.]+ target=[0-9.a-z-]+ (ok|miss)$" <<<"$out" \
        || { echo "bench-smoke: no well-formed line for password.$name" >&2; exit 1; }
    grep -E "^bench password\.$name " <<<"$out" | grep -Eq "value=0(\.0+)? |baseline=0(\.0+)? " \
        && { echo "bench-smoke: password.$name measured zero" >&2; exit 1; }
done
[ "$(grep -c '^bench password\.' <<<"$out")" -eq 17 ] || { echo "bench-smoke: expected 17 password metrics" >&2; exit 1; }
echo "bench-smoke: scripts/bench password ran and reported all 17 metrics"

# scripts/bench history, cut down: few rounds, 2,000 users instead of 1,000,000.
out=$(BENCH_CALLS=3 BENCH_HISTORY_USERS=2000 BENCH_DJANGO=1 scripts/bench history)
echo "$out" | tail -9
names="check_n1_vs_raw_hash check_n5_vs_raw_hash check_n24_vs_raw_hash check_n100_vs_raw_hash django_n5_vs_check
django_n24_vs_check check_n24_many_users_vs_1000 bytes_per_entry"
for name in $names; do
    grep -Eq "^bench history\.$name value=[0-9.]+ unit=[a-z/]+ baseline=[0-9.]+ ratio=[0-9.]+ target=[0-9.a-z-]+ (ok|miss)$" <<<"$out" \
        || { echo "bench-smoke: no well-formed line for history.$name" >&2; exit 1; }
    grep -E "^bench history\.$name " <<<"$out" | grep -Eq "value=0(\.0+)? |baseline=0(\.0+)? " \
        && { echo "bench-smoke: history.$name measured zero" >&2; exit 1; }
done
[ "$(grep -c '^bench history\.' <<<"$out")" -eq 8 ] || { echo "bench-smoke: expected 8 history metrics" >&2; exit 1; }
echo "bench-smoke: scripts/bench history ran and reported all 8 metrics"

# scripts/bench policy, cut down the same way.
out=$(BENCH_ROUNDS=1 BENCH_CALLS=300 BENCH_SECONDS=0.2 BENCH_LOGINS=3 BENCH_EXPRESSIONS=200 BENCH_CHANGES=2 BENCH_BLUEPRINT_ENTRIES=50 scripts/bench policy)
echo "$out" | tail -5
for name in evaluate_p50_vs_health_pinned evaluate_p50_vs_health_unpinned plan_p50_vs_health_pinned \
    evaluate_throughput_8conn_vs_health engine_ns_per_binding webauthn_expression_ns \
    expression_evaluate_p50_vs_health_pinned pypi_cel_vs_postern_expression authentik_python_vs_postern_expression \
    login_vs_authenticate validate_prompt_p50_vs_health_pinned password_change_vs_argon2id authentik_change_n24_vs_argon2id; do
    grep -Eq "^bench policy\.$name value=[0-9.]+ unit=[a-z/]+ baseline=[0-9.]+ ratio=[0-9.]+ target=[0-9.a-z-]+ (ok|miss)$" <<<"$out" \
        || { echo "bench-smoke: no well-formed line for policy.$name" >&2; exit 1; }
    grep -E "^bench policy\.$name " <<<"$out" | grep -Eq "value=0(\.0+)? |baseline=0(\.0+)? " \
        && { echo "bench-smoke: policy.$name measured zero" >&2; exit 1; }
done
[ "$(grep -c '^bench policy\.' <<<"$out")" -eq 15 ] || { echo "bench-smoke: expected 15 policy metrics" >&2; exit 1; }
echo "bench-smoke: scripts/bench policy ran and reported all 15 metrics"
