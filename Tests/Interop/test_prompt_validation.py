"""Engine/ValidatePrompt (docs/prompt-validation.md) through the real postern-policy: a prompt
stage's submission checked as authentik's prompt stage checks it (spec §13) — required fields,
the two password fields alike, text trimmed and passwords not — then its validation policies,
with their messages per field and as authentik's non_field_errors."""
import json

import pytest

from policy_api import PolicyAPI, Refused, validate_prompt

INVALID_ARGUMENT, NOT_FOUND = 3, 5


@pytest.fixture
def api(pb, start_daemon):
    daemon = start_daemon("policy")
    with PolicyAPI(daemon.socket, pb) as api:
        api.daemon = daemon
        yield api


def change_stage(api, name="change", extra=()):
    """spec §15.2's prompt: password and password_repeat, required."""
    f = api.pb.flows
    fields = [f.PromptField(field_key="password", label="Password", type=f.PROMPT_FIELD_TYPE_PASSWORD, required=True),
              f.PromptField(field_key="password_repeat", label="Password (repeat)", type=f.PROMPT_FIELD_TYPE_PASSWORD,
                            required=True), *extra]
    api.call("PromptStages", "Create", f.CreatePromptStageRequest(prompt_stage=f.PromptStage(name=name, fields=fields)),
             f.PromptStage)


def password_policy(api, name="rules", **settings):
    p = api.pb.policies
    api.call("Policies", "Create", p.CreatePolicyRequest(policy=p.Policy(
        name=name, type=p.POLICY_TYPE_PASSWORD, password=p.PasswordSettings(**settings))), p.Policy)


def expression(api, name, source):
    p = api.pb.policies
    api.call("Policies", "Create", p.CreatePolicyRequest(policy=p.Policy(
        name=name, type=p.POLICY_TYPE_EXPRESSION, expression=p.ExpressionSettings(expression=source))), p.Policy)


def fields(response):
    return {f.field_key: list(f.messages) for f in response.fields}


def both(password):
    return {"password": password, "password_repeat": password}


def test_a_password_change_prompt(api):
    change_stage(api)
    password_policy(api, length_min=8, amount_digits=1, error_message="8 or more, with a digit")
    api.bind(api.target("prompt_stage", "change"), 0, policy="rules")

    missing = validate_prompt(api, "change", {"password": "abc"})
    assert not missing.valid and fields(missing) == {"password_repeat": ["This field is required."]}
    assert not missing.HasField("verdict"), "field problems stop before the policies"
    blank = validate_prompt(api, "change", {"password": "", "password_repeat": None})
    assert fields(blank) == {"password": ["This field is required."], "password_repeat": ["This field is required."]}

    mismatch = validate_prompt(api, "change", {"password": "abcdefg1", "password_repeat": "abcdefg2"})
    assert (mismatch.valid, list(mismatch.non_field_errors), fields(mismatch)) == (False, ["Passwords don't match."], {})

    weak = validate_prompt(api, "change", both("abc"))
    assert not weak.valid and list(weak.non_field_errors) == ["8 or more, with a digit"]
    assert fields(weak) == {"password": ["8 or more, with a digit"]}
    assert not weak.verdict.passing and weak.verdict.results[0].policy == "rules"

    good = validate_prompt(api, "change", both(" correct horse 1 "))
    assert good.valid and list(good.non_field_errors) == [] and fields(good) == {}
    # Passwords are not trimmed (authentik trims them; docs/prompt-validation.md says why not).
    assert json.loads(good.prompt_data_json) == both(" correct horse 1 ")
    assert "correct horse" not in api.daemon.log


def test_text_is_trimmed_and_optional_fields_may_be_left_out(api, pb):
    f = pb.flows
    change_stage(api, extra=[
        f.PromptField(field_key="nickname", label="Nickname", type=f.PROMPT_FIELD_TYPE_TEXT),
        f.PromptField(field_key="accept", label="Accept", type=f.PROMPT_FIELD_TYPE_CHECKBOX, required=True),
        f.PromptField(field_key="age", label="Age", type=f.PROMPT_FIELD_TYPE_NUMBER)])
    response = validate_prompt(api, "change", dict(both("pw"), nickname="  al  ", accept=True, age=42))
    assert response.valid, response
    assert json.loads(response.prompt_data_json) == dict(both("pw"), nickname="al", accept=True, age=42)
    unticked = validate_prompt(api, "change", dict(both("pw"), nickname="   ", accept=False))
    assert fields(unticked) == {"accept": ["This field is required."]}
    # A blank optional field is left out of the validated values.
    assert json.loads(validate_prompt(api, "change", dict(both("pw"), nickname=" ", accept=True)).prompt_data_json) \
        == dict(both("pw"), accept=True)


@pytest.mark.parametrize("prompt_data, problem", [
    ({"password": "x", "password_repeat": "x", "passwrod": "x"}, 'prompt_data has "passwrod", which is not a field of prompt stage change'),
    ({"password": 123, "password_repeat": "x"}, "prompt_data.password must be a string, not a number"),
])
def test_what_the_stage_has_no_field_for_or_mistyped_is_refused(api, prompt_data, problem):
    change_stage(api)
    with pytest.raises(Refused) as refused:
        validate_prompt(api, "change", prompt_data)
    assert refused.value.code == INVALID_ARGUMENT and problem in refused.value.message, refused.value.message


def test_malformed_input_and_unknown_stages(api, pb):
    change_stage(api)
    e = pb.evaluation
    with pytest.raises(Refused) as refused:
        api.call("Engine", "ValidatePrompt", e.ValidatePromptRequest(prompt_stage="change", prompt_data_json='{"password": "a",}'),
                 e.ValidatePromptResponse)
    assert refused.value.code == INVALID_ARGUMENT and refused.value.message.startswith("prompt_data_json: prompt_data")
    with pytest.raises(Refused) as refused:
        validate_prompt(api, "nope", both("x"))
    assert refused.value.code == NOT_FOUND and "no prompt stage nope" in refused.value.message
    with pytest.raises(Refused) as refused:
        validate_prompt(api, "change", both("x"), context={"user": {"name": "no id"}})
    assert refused.value.code == INVALID_ARGUMENT and "context.user.id" in refused.value.message


def test_the_policies_see_the_users_and_the_validated_values_only(api):
    """spec §13: the validation context is the users and prompt_data — not the flow's."""
    change_stage(api)
    password_policy(api, similar_to_user=True)
    expression(api, "sees", '!has(request.context.flow_plan) && request.context.prompt_data.password == "pw-1234"'
               ' && pending_user.username == "alice"')
    target = api.target("prompt_stage", "change")
    api.bind(target, 0, policy="rules")
    api.bind(target, 1, policy="sees")
    context = {"pending_user": {"id": "u1", "username": "alice"}, "flow_plan": {"x": 1}}
    assert validate_prompt(api, "change", both("pw-1234"), context).valid
    similar = validate_prompt(api, "change", both("Alice-2024"), context)
    assert fields(similar) == {"password": ["Password must not contain your username, name or email address."]}
    # The expression policy judges no one field: its failure is only in non_field_errors.
    assert list(similar.non_field_errors) == ["Password must not contain your username, name or email address."]


def test_authentiks_flow_test(api):
    """spec §11: a prompt stage with the password policy, POST password=akadmin →
    non_field_errors [test message]."""
    f = api.pb.flows
    api.call("PromptStages", "Create", f.CreatePromptStageRequest(prompt_stage=f.PromptStage(name="prompt", fields=[
        f.PromptField(field_key="password", label="Password", type=f.PROMPT_FIELD_TYPE_PASSWORD, required=True)])),
        f.PromptStage)
    password_policy(api, amount_uppercase=1, amount_lowercase=2, amount_symbols=3, length_min=3, error_message="test message")
    api.bind(api.target("prompt_stage", "prompt"), 0, policy="rules")
    response = validate_prompt(api, "prompt", {"password": "akadmin"})
    assert (response.valid, list(response.non_field_errors)) == (False, ["test message"])


def test_a_passing_policys_messages_are_not_errors(api):
    change_stage(api)
    p = api.pb.policies
    api.call("Policies", "Create", p.CreatePolicyRequest(policy=p.Policy(
        name="note", type=p.POLICY_TYPE_DUMMY, dummy=p.DummySettings(result=True))), p.Policy)
    api.bind(api.target("prompt_stage", "change"), 0, policy="note")
    response = validate_prompt(api, "change", both("pw"))
    assert response.valid and list(response.non_field_errors) == [] and list(response.verdict.messages) == ["dummy"]
