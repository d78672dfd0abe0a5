"""postern-policy's engine through the real daemon (docs/policies.md): authentik's engine tests
(policies/tests/test_engine.py, test_process.py) ported, the binding timeout Postern enforces,
and a change seen by the very next evaluation."""
import time

import pytest

from policy_api import PolicyAPI, Refused, user

ANY, ALL = 1, 2
ALICE = user("u-alice", groups=["staff", "engineering", "all-employees"])


@pytest.fixture
def api(pb, start_daemon):
    daemon = start_daemon("policy")
    with PolicyAPI(daemon.socket, pb) as api:
        api.daemon = daemon
        yield api


def flow_target(api, mode=ANY, slug="f"):
    api.flow(slug, mode=mode)
    return api.target("flow", slug)


def outcome(verdict):
    return verdict.passing, tuple(verdict.messages)


def test_no_bindings_pass(api):
    assert outcome(api.evaluate(flow_target(api), {"user": ALICE})) == (True, ())


def test_one_true_policy(api):
    target = flow_target(api)
    api.dummy("true", True)
    api.bind(target, 0, policy="true")
    assert outcome(api.evaluate(target, {"user": ALICE})) == (True, ("dummy",))


@pytest.mark.parametrize("mode, passing", [(ALL, False), (ANY, True)])
def test_false_and_true_policies(api, mode, passing):
    target = flow_target(api, mode)
    api.dummy("false", False)
    api.dummy("true", True)
    api.bind(target, 0, policy="false")
    api.bind(target, 1, policy="true")
    verdict = api.evaluate(target, {"user": ALICE})
    assert outcome(verdict) == (passing, ("dummy", "dummy"))
    assert [(r.policy, r.passing) for r in verdict.results] == [("false", False), ("true", True)]


@pytest.mark.parametrize("mode, passing", [(ALL, False), (ANY, True)])
def test_static_bindings_combine_without_messages(api, mode, passing):
    target = flow_target(api, mode)
    api.bind(target, 0, group="staff")
    api.bind(target, 1, group="contractors")
    assert outcome(api.evaluate(target, {"user": ALICE})) == (passing, ())


def test_negate_flips_the_result_not_the_messages(api):
    target = flow_target(api)
    api.dummy("true", True)
    api.bind(target, 0, policy="true", negate=True)
    assert outcome(api.evaluate(target, {"user": ALICE})) == (False, ("dummy",))


def test_messages_follow_binding_order_not_creation_order(api):
    target = flow_target(api, ALL)
    for name in ("a", "b", "c"):
        api.dummy(name, True)
    api.bind(target, 30, policy="a")
    api.bind(target, 10, policy="b")
    api.bind(target, 20, policy="c")
    verdict = api.evaluate(target, {"user": ALICE})
    assert [r.policy for r in verdict.results] == ["b", "c", "a"]
    assert [r.order for r in verdict.results] == [10, 20, 30]


def test_a_policy_without_a_type_or_needing_a_daemon_it_has_no_socket_for_is_refused(api, pb):
    p = pb.policies
    with pytest.raises(Refused) as refused:
        api.call("Policies", "Create", p.CreatePolicyRequest(policy=p.Policy(name="base")), p.Policy)
    assert refused.value.code == 3 and "policy.type is missing" in refused.value.message
    with pytest.raises(Refused) as refused:
        api.call("Policies", "Create", p.CreatePolicyRequest(policy=p.Policy(
            name="old", type=p.POLICY_TYPE_PASSWORD_EXPIRY, password_expiry=p.PasswordExpirySettings(days=9))), p.Policy)
    assert refused.value.code == 9, refused.value
    assert "needs postern-password: set password.socket" in refused.value.message
    assert list(api.call("Policies", "List", p.ListPoliciesRequest(), p.ListPoliciesResponse).policies) == []


@pytest.mark.parametrize("binding, context, passing", [
    ({"group": "contractors"}, {"user": ALICE}, False),
    ({"group": "staff"}, {"user": ALICE}, True),
    ({"user": "u-bob"}, {"user": ALICE}, False),
    ({"user": "u-alice"}, {"user": ALICE}, True),
    # The group a user is in through a child group: the IdP sends ancestors with the groups.
    ({"group": "all-employees"}, {"user": ALICE}, True),
    # The anonymous visitor passes no user or group binding, negated or not.
    ({"user": "u-alice"}, {}, False),
    ({"group": "staff", "negate": True}, {}, False),
    ({"user": "u-bob", "negate": True}, {"user": ALICE}, True),
    ({"group": "staff", "negate": True}, {"user": ALICE}, False),
])
def test_static_bindings(api, binding, context, passing):
    target = flow_target(api)
    api.bind(target, 0, **binding)
    verdict = api.evaluate(target, context)
    assert verdict.passing == passing and list(verdict.messages) == []


def test_a_thousand_static_bindings(api):
    """authentik's bulk check (fewer queries than bindings): here no evaluation queries the
    store at all, so the point is the answer for each case with 1,000 bindings."""
    target = flow_target(api, ALL)
    for order in range(1000):
        api.bind(target, order, group="staff")
    assert api.evaluate(target, {"user": ALICE}).passing
    assert not api.evaluate(target, {"user": user("u-bob", groups=["contractors"])}).passing
    verdict = api.evaluate(target, {"user": ALICE})
    assert len(verdict.results) == 1000 and all(r.passing for r in verdict.results) and list(verdict.messages) == []


def test_pending_user_is_judged_before_user(api):
    target = flow_target(api)
    api.bind(target, 0, user="u-bob")
    assert not api.evaluate(target, {"user": ALICE}).passing
    assert api.evaluate(target, {"user": ALICE, "pending_user": user("u-bob")}).passing


def test_a_timeout_yields_failure_result_unnegated_within_the_timeout(api):
    target = flow_target(api)
    api.dummy("slow", False, wait_min=5, wait_max=5)
    api.bind(target, 0, policy="slow", timeout=1, failure_result=True, negate=True)
    started = time.monotonic()
    verdict = api.evaluate(target, {"user": ALICE})
    elapsed = time.monotonic() - started
    assert 1.0 <= elapsed < 1.1, elapsed
    assert verdict.passing, "failure_result (true) applies and negate does not flip it"
    (result,) = verdict.results
    assert result.timed_out and not result.errored and 1_000_000 <= result.duration_micros < 1_100_000
    assert "policy_timeout" in api.daemon.log


def test_policies_that_wait_run_concurrently_and_report_in_binding_order(api):
    target = flow_target(api, ALL)
    for index in range(4):
        api.dummy(f"wait{index}", True, wait_min=1, wait_max=1)
        api.bind(target, 10 - index, policy=f"wait{index}")
    api.dummy("now", True)
    api.bind(target, 0, policy="now")
    started = time.monotonic()
    verdict = api.evaluate(target, {"user": ALICE})
    assert time.monotonic() - started < 1.5, "four 1 s waits ran one after another"
    assert [r.policy for r in verdict.results] == ["now", "wait3", "wait2", "wait1", "wait0"]
    assert verdict.passing and list(verdict.messages) == ["dummy"] * 5


def test_a_change_is_seen_by_the_very_next_evaluation(api, pb):
    b = pb.bindings
    target = flow_target(api)
    api.dummy("true", True)
    binding = api.bind(target, 0, policy="true")
    assert api.evaluate(target, {"user": ALICE}).passing
    binding.negate = True
    api.call("Bindings", "Update", b.UpdateBindingRequest(binding=binding), b.Binding)
    assert not api.evaluate(target, {"user": ALICE}).passing
    binding.enabled.on = False
    api.call("Bindings", "Update", b.UpdateBindingRequest(binding=binding), b.Binding)
    assert outcome(api.evaluate(target, {"user": ALICE})) == (True, ())
    binding.enabled.on = True
    binding.negate = False
    api.call("Bindings", "Update", b.UpdateBindingRequest(binding=binding), b.Binding)
    p = pb.policies
    api.call("Policies", "Update", p.UpdatePolicyRequest(policy=p.Policy(
        name="true", type=p.POLICY_TYPE_DUMMY, dummy=p.DummySettings(result=False))), p.Policy)
    assert not api.evaluate(target, {"user": ALICE}).passing
    api.call("Policies", "Delete", p.DeletePolicyRequest(name="true"), p.DeletePolicyResponse)
    assert outcome(api.evaluate(target, {"user": ALICE})) == (True, ())


def test_execution_logging_logs_each_run_without_the_context(api):
    target = flow_target(api)
    api.dummy("logged", True, execution_logging=True)
    api.dummy("quiet", True)
    api.bind(target, 0, policy="logged")
    api.bind(target, 1, policy="quiet")
    api.evaluate(target, {"user": ALICE, "prompt_data": {"password": "Hunter2-secret"}})
    lines = [line for line in api.daemon.log.splitlines() if "policy_execution" in line]
    assert len(lines) == 1 and "logged" in lines[0] and "u-alice" in lines[0], lines
    assert "Hunter2-secret" not in api.daemon.log


def test_policy_test_runs_one_policy_without_a_binding(api, pb):
    p = pb.policies
    api.dummy("slowish", True, wait_min=0, wait_max=1)
    answer = api.call("Policies", "Test", p.TestPolicyRequest(name="slowish", context_json='{"user": {"id": "x"}}'),
                      p.TestPolicyResponse)
    assert answer.passing and list(answer.messages) == ["dummy"] and not answer.errored
    with pytest.raises(Refused) as refused:
        api.call("Policies", "Test", p.TestPolicyRequest(name="missing"), p.TestPolicyResponse)
    assert refused.value.code == 5
