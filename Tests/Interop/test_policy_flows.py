"""Flows through the real daemon: Plan and EvaluateStage as an IdP drives them (authentik's
flows/tests/test_planner.py and test_executor.py ported), the seed's engine-mode guidance, and
the configuration surviving a restart."""
import pytest

from policy_api import PolicyAPI, Refused, user

ANY, ALL = 1, 2
ALICE = user("u-alice", groups=["staff"])
BOB = user("u-bob", groups=["contractors"])


@pytest.fixture
def api(pb, start_daemon):
    daemon = start_daemon("policy")
    with PolicyAPI(daemon.socket, pb) as api:
        api.daemon = daemon
        api.start_daemon = start_daemon
        yield api


def run_flow(api, flow, context):
    """What an IdP does: plan, then before each stage the "when run" check; the stages shown."""
    plan = api.plan(flow, context)
    assert plan.applicable, plan.denial
    shown = []
    for stage in plan.stages:
        if stage.evaluate_when_run:
            answer = api.evaluate_stage(flow, stage.stage_binding_id, context)
            assert answer.evaluated
            if not answer.run:
                continue
        shown.append(stage.stage)
    return shown


def test_re_evaluate_policies_marks_the_stage(api):
    api.flow("login")
    api.stage_binding("login", "identify", 0, re_evaluate=False)
    api.stage_binding("login", "password", 10)
    plan = api.plan("login", {"user": ALICE})
    assert [(s.stage, s.evaluate_when_run) for s in plan.stages] == [("identify", False), ("password", True)]
    unchecked = api.evaluate_stage("login", plan.stages[0].stage_binding_id, {"user": ALICE})
    assert unchecked.run and not unchecked.evaluated


def test_a_flow_that_does_not_apply_is_denied_with_authentiks_text(api):
    api.flow("login")
    api.stage_binding("login", "password", 0)
    api.bind(api.target("flow", "login"), 0, group="staff")
    plan = api.plan("login", {"user": BOB})
    assert not plan.applicable and plan.denial == "Flow does not apply to current user." and list(plan.stages) == []
    api.dummy("no", False)
    api.call("Flows", "Update", api.pb.flows.UpdateFlowRequest(flow=api.pb.flows.Flow(
        slug="login", name="Login", designation=api.pb.flows.DESIGNATION_AUTHENTICATION, engine_mode=ALL)), api.pb.flows.Flow)
    api.bind(api.target("flow", "login"), 1, policy="no")
    plan = api.plan("login", {"user": ALICE})
    assert not plan.applicable and plan.denial == "dummy"
    assert api.plan("login", {"user": BOB}).denial == "dummy"


def test_evaluate_on_plan_drops_stages_and_uses_the_pending_user(api):
    api.flow("login")
    kept = api.stage_binding("login", "identify", 0)
    planned = api.stage_binding("login", "password", 10, evaluate_on_plan=True, re_evaluate=False)
    api.bind(api.target("stage_binding", planned.id), 0, user="u-bob")
    plan = api.plan("login", {"user": ALICE})
    assert [s.stage for s in plan.stages] == ["identify"] and [s.stage for s in plan.skipped] == ["password"]
    assert plan.stages[0].stage_binding_id == kept.id and not plan.stages[0].HasField("plan_verdict")
    assert not plan.skipped[0].plan_verdict.passing
    plan = api.plan("login", {"user": ALICE, "pending_user": BOB})
    assert [s.stage for s in plan.stages] == ["identify", "password"]


@pytest.mark.parametrize("failing, shown", [
    ({"c"}, ["a", "b"]),
    ({"b"}, ["a", "c"]),
    ({"b", "c"}, ["a"]),
    ({"a", "b"}, ["c"]),
])
def test_stages_whose_policies_now_fail_are_skipped_when_run(api, failing, shown):
    api.flow("flow")
    api.dummy("pass", True)
    api.dummy("fail", False)
    for order, name in enumerate("abc"):
        binding = api.stage_binding("flow", name, order * 10)
        api.bind(api.target("stage_binding", binding.id), 0, policy="fail" if name in failing else "pass")
    assert run_flow(api, "flow", {"user": ALICE}) == shown


@pytest.mark.parametrize("context, shown", [
    ({"pending_user": user("u-member", groups=["group-a"])}, ["dummy", "deny"]),
    ({"pending_user": user("u-direct")}, ["dummy", "deny"]),
    ({"pending_user": user("u-other", groups=["group-b"])}, ["deny"]),
    ({"user": user("u-direct"), "pending_user": user("u-other")}, ["deny"]),
])
def test_a_group_or_user_binding_is_judged_on_the_pending_user_when_the_stage_runs(api, context, shown):
    api.flow("flow")
    dummy = api.stage_binding("flow", "dummy", 0)
    api.bind(api.target("stage_binding", dummy.id), 0, group="group-a")
    api.bind(api.target("stage_binding", dummy.id), 1, user="u-direct")
    api.stage_binding("flow", "deny", 10)
    assert run_flow(api, "flow", context) == shown


@pytest.mark.parametrize("mode, runs", [(ALL, False), (ANY, True)])
def test_the_seeds_engine_mode_guidance(api, mode, runs):
    """Two policies on the Password stage binding, one passing: `all` needs both, `any` one."""
    api.flow("default-authentication-flow")
    binding = api.stage_binding("default-authentication-flow", "default-authentication-password", 20, mode=mode)
    api.dummy("default-authentication-flow-password-stage", True)
    api.dummy("skip-password-for-passkey-users", False)
    target = api.target("stage_binding", binding.id)
    api.bind(target, 0, policy="default-authentication-flow-password-stage")
    api.bind(target, 1, policy="skip-password-for-passkey-users")
    answer = api.evaluate_stage("default-authentication-flow", binding.id, {"pending_user": ALICE})
    assert answer.evaluated and answer.run == runs and list(answer.verdict.messages) == ["dummy", "dummy"]


def test_a_stage_binding_of_another_flow_is_not_found(api):
    api.flow("one")
    api.flow("two")
    binding = api.stage_binding("one", "password", 0)
    with pytest.raises(Refused) as refused:
        api.evaluate_stage("two", binding.id, {})
    assert refused.value.code == 5 and "flow two has no stage binding" in refused.value.message
    with pytest.raises(Refused) as refused:
        api.plan("three", {})
    assert refused.value.code == 5


def test_the_configuration_survives_a_restart(api, pb):
    api.flow("login")
    binding = api.stage_binding("login", "password", 0)
    api.dummy("no", False)
    api.bind(api.target("stage_binding", binding.id), 0, policy="no")
    before = api.plan("login", {"user": ALICE})
    api.client.close()
    api.daemon.kill()
    daemon = api.start_daemon("policy")
    with PolicyAPI(daemon.socket, pb) as again:
        after = again.plan("login", {"user": ALICE})
        assert after == before
        assert not again.evaluate_stage("login", binding.id, {"user": ALICE}).run
