"""postern-policy's configuration RPCs: what is stored and read back, and bad configurations
refused with the reason and nothing stored (docs/policies.md, docs/flows.md)."""
import json

import pytest

from policy_api import PolicyAPI, Refused

INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION = 3, 5, 6, 9


@pytest.fixture
def api(pb, start_daemon):
    daemon = start_daemon("policy")
    with PolicyAPI(daemon.socket, pb) as api:
        yield api


def refused(call, *args, **kwargs):
    with pytest.raises(Refused) as caught:
        call(*args, **kwargs)
    return caught.value


def bindings(api, target=None):
    b = api.pb.bindings
    request = b.ListBindingsRequest(target=target) if target else b.ListBindingsRequest()
    return list(api.call("Bindings", "List", request, b.ListBindingsResponse).bindings)


def test_defaults_are_filled_in_and_read_back(api, pb):
    b, f = pb.bindings, pb.flows
    flow = api.flow("login")
    assert flow.engine_mode == 1, "unspecified is any"
    stage = api.stage_binding("login", "password", 5)
    assert len(stage.id) == 32 and stage.re_evaluate_policies.on and not stage.evaluate_on_plan and stage.engine_mode == 1
    api.dummy("p", True)
    binding = api.bind(api.target("stage_binding", stage.id), 0, policy="p")
    assert binding.enabled.on and binding.timeout_seconds == 30 and not binding.failure_result and not binding.negate
    assert api.call("Bindings", "Get", b.GetBindingRequest(id=binding.id), b.Binding) == binding
    assert api.call("StageBindings", "Get", f.GetStageBindingRequest(id=stage.id), f.StageBinding) == stage
    assert bindings(api, api.target("stage_binding", stage.id)) == [binding]
    assert bindings(api, api.target("flow", "login")) == []


def test_prompt_stages_keep_their_fields_in_order(api, pb):
    f = pb.flows
    stage = f.PromptStage(name="default-password-change-prompt", fields=[
        f.PromptField(field_key="password", label="Password", type=f.PROMPT_FIELD_TYPE_PASSWORD, required=True),
        f.PromptField(field_key="password_repeat", label="Password (repeat)", type=f.PROMPT_FIELD_TYPE_PASSWORD, required=True),
    ])
    assert api.call("PromptStages", "Create", f.CreatePromptStageRequest(prompt_stage=stage), f.PromptStage) == stage
    assert api.call("PromptStages", "Get", f.GetPromptStageRequest(name=stage.name), f.PromptStage) == stage
    api.flow("change", designation=f.DESIGNATION_STAGE_CONFIGURATION)
    placed = api.stage_binding("change", stage.name, 0, kind=f.STAGE_KIND_PROMPT)
    api.dummy("rules", True)
    api.bind(api.target("prompt_stage", stage.name), 0, policy="rules")
    api.bind(api.target("stage_binding", placed.id), 0, policy="rules")
    deleted = api.call("PromptStages", "Delete", f.DeletePromptStageRequest(name=stage.name), f.DeletePromptStageResponse)
    assert (deleted.stage_bindings_removed, deleted.bindings_removed) == (1, 2)
    assert bindings(api) == []
    error = refused(api.stage_binding, "change", "missing-prompt", 0, kind=f.STAGE_KIND_PROMPT)
    assert error.code == FAILED_PRECONDITION and "no prompt stage is named missing-prompt" in error.message


def test_deleting_a_flow_takes_its_stage_bindings_and_their_bindings(api, pb):
    f = pb.flows
    api.flow("login")
    stage = api.stage_binding("login", "password", 0)
    api.dummy("p", True)
    api.bind(api.target("flow", "login"), 0, policy="p")
    api.bind(api.target("stage_binding", stage.id), 0, policy="p")
    answer = api.call("Flows", "Delete", f.DeleteFlowRequest(slug="login"), f.DeleteFlowResponse)
    assert (answer.stage_bindings_removed, answer.bindings_removed) == (1, 2)
    assert bindings(api) == [] and list(api.call(
        "StageBindings", "List", f.ListStageBindingsRequest(), f.ListStageBindingsResponse).stage_bindings) == []
    assert api.call("Policies", "Get", pb.policies.GetPolicyRequest(name="p"), pb.policies.Policy).name == "p"


@pytest.mark.parametrize("fields, code, words", [
    ({"policy": "p", "user": "u-1"}, INVALID_ARGUMENT, "binding names policy and user: set only one"),
    ({"user": "u-1", "group": "g"}, INVALID_ARGUMENT, "binding names user and group"),
    ({}, INVALID_ARGUMENT, "binding names none of policy, user and group"),
    ({"policy": "nope"}, FAILED_PRECONDITION, "no policy is named nope"),
    ({"policy": "p", "timeout": 3601}, INVALID_ARGUMENT, "timeout_seconds is 3601"),
])
def test_bad_bindings_are_refused_and_nothing_is_stored(api, fields, code, words):
    api.flow("login")
    api.dummy("p", True)
    error = refused(api.bind, api.target("flow", "login"), 0, **fields)
    assert error.code == code and words in error.message, error
    assert bindings(api) == []


def test_a_binding_to_a_missing_target_is_refused(api):
    api.dummy("p", True)
    for kind, name, words in [
        ("flow", "nowhere", "there is no flow nowhere"),
        ("stage_binding", "0" * 32, "there is no stage_binding " + "0" * 32),
        ("prompt_stage", "nothing", "there is no prompt_stage nothing"),
    ]:
        error = refused(api.bind, api.target(kind, name), 0, policy="p")
        assert error.code == FAILED_PRECONDITION and words in error.message, error
    error = refused(api.bind, api.target("stage_binding", "not-an-id"), 0, policy="p")
    assert error.code == INVALID_ARGUMENT and "binding.target.name is not an id Create gave" in error.message
    assert bindings(api) == []


def test_a_duplicate_order_is_refused(api):
    api.flow("login")
    api.dummy("p", True)
    first = api.bind(api.target("flow", "login"), 10, policy="p")
    error = refused(api.bind, api.target("flow", "login"), 10, policy="p")
    assert error.code == ALREADY_EXISTS and f"policy p is already bound to flow login at order 10 (binding {first.id})" in error.message
    # Another order, or a user binding at the same order, is fine (unique per policy, target, order).
    api.bind(api.target("flow", "login"), 11, policy="p")
    api.bind(api.target("flow", "login"), 10, user="u-1")
    assert len(bindings(api)) == 3
    api.stage_binding("login", "password", 0)
    error = refused(api.stage_binding, "login", "password", 0)
    assert error.code == ALREADY_EXISTS and "password stage password is already bound to flow login at order 0" in error.message


def test_policy_settings_are_checked(api, pb):
    p = pb.policies
    create = lambda policy: api.call("Policies", "Create", p.CreatePolicyRequest(policy=policy), p.Policy)
    error = refused(create, p.Policy(name="d", type=p.POLICY_TYPE_DUMMY, dummy=p.DummySettings(wait_min=5, wait_max=2)))
    assert error.code == INVALID_ARGUMENT and "dummy.wait_min (5) is more than dummy.wait_max (2)" in error.message
    error = refused(create, p.Policy(name="bad\u202ename", type=p.POLICY_TYPE_DUMMY))
    assert error.code == INVALID_ARGUMENT and "U+202E" in error.message
    api.dummy("d", True)
    error = refused(api.dummy, "d", False)
    assert error.code == ALREADY_EXISTS
    error = refused(api.call, "Policies", "Update", p.UpdatePolicyRequest(policy=p.Policy(
        name="d", type=p.POLICY_TYPE_EXPRESSION, expression=p.ExpressionSettings(expression="true"))), p.Policy)
    assert error.code == FAILED_PRECONDITION and "a type cannot change" in error.message
    error = refused(create, p.Policy(name="both", type=p.POLICY_TYPE_DUMMY, dummy=p.DummySettings(),
                                     expression=p.ExpressionSettings(expression="true")))
    assert error.code == INVALID_ARGUMENT and "a dummy policy carries expression settings" in error.message
    error = refused(api.call, "Policies", "Update", p.UpdatePolicyRequest(policy=p.Policy(
        name="missing", type=p.POLICY_TYPE_DUMMY)), p.Policy)
    assert error.code == NOT_FOUND
    assert [x.name for x in api.call("Policies", "List", p.ListPoliciesRequest(), p.ListPoliciesResponse).policies] == ["d"]


@pytest.mark.parametrize("context, words", [
    ("[1]", "context: must be a JSON object"),
    ('{"user": {"id": "u", "groups": ["a", 2]}}', "context.user.groups[1]: must be a string, not a number"),
    ('{"user": {"username": "x"}}', "context.user.id: must be a string of 1…255 bytes"),
    ('{"user": {"id": "u", "password": "x"}}', 'context.user: has "password"; a user has only'),
    ('{"pending_user": 5}', "context.pending_user: must be an object or null"),
    ('{"http_request": {"client_ip": "999.1.1.1"}}', "context.http_request.client_ip: must be an IPv4 or IPv6 address"),
    ('{"prompt_data": []}', "context.prompt_data: must be an object, not an array"),
    ('{"a": 1, "a": 2}', 'context: has the key "a" twice'),
    ('{"a": ' * 40 + "1" + "}" * 40, "nests deeper than 32 levels"),
    (json.dumps({"pad": "x" * 70000}), "context_json is 70011 bytes; at most 65536"),
])
def test_a_malformed_context_is_refused_naming_the_path(api, pb, context, words):
    api.flow("login")
    e = pb.evaluation
    error = refused(api.call, "Engine", "Evaluate", e.EvaluateRequest(
        target=api.target("flow", "login"), context_json=context), e.EvaluateResponse)
    assert error.code == INVALID_ARGUMENT and words in error.message, error


def test_extra_context_members_are_kept_and_null_users_are_anonymous(api, pb):
    api.flow("login")
    api.bind(api.target("flow", "login"), 0, user="u-1", negate=True)
    verdict = api.evaluate(api.target("flow", "login"), {
        "user": None, "pending_user": None, "idp_extra": {"anything": [1, 2.5, None]},
        "http_request": {"client_ip": "2001:db8::1"}, "flow_plan": {"x": 1}})
    assert not verdict.passing, "the anonymous visitor passes no static binding, negated or not"
