"""Password policies (docs/password-policies.md) through the real postern-policy: authentik's
static-rule tests (spec §11) ported, where the password is found, Postern's decisions on
authentik's quirks, and what Postern adds (length_max, similar_to_user)."""
import json
import secrets
import string

import pytest

from policy_api import PolicyAPI, Refused

INVALID_ARGUMENT, FAILED_PRECONDITION = 3, 9


@pytest.fixture
def api(pb, start_daemon):
    daemon = start_daemon("policy")
    with PolicyAPI(daemon.socket, pb) as api:
        api.daemon = daemon
        yield api


def create(api, name="pw", **settings):
    p = api.pb.policies
    static = settings.pop("check_static_rules", None)
    password = p.PasswordSettings(**settings)
    if static is not None:
        password.check_static_rules.on = static
    return api.call("Policies", "Create", p.CreatePolicyRequest(policy=p.Policy(
        name=name, type=p.POLICY_TYPE_PASSWORD, password=password)), p.Policy)


def run(api, context, name="pw"):
    p = api.pb.policies
    return api.call("Policies", "Test", p.TestPolicyRequest(name=name, context_json=json.dumps(context)),
                    p.TestPolicyResponse)


def judged(api, password, name="pw", **extra):
    result = run(api, dict({"prompt_data": {"password": password}}, **extra), name)
    assert not result.errored, result.messages
    return result.passing, tuple(result.messages)


STATIC = dict(amount_digits=1, amount_uppercase=1, amount_lowercase=2, amount_symbols=3, length_min=24,
              error_message="test message")


def test_authentiks_static_rule_tests(api):
    """spec §11 "Tests": the same policy and inputs, the same results."""
    create(api, **STATIC)
    assert (run(api, {}).passing, list(run(api, {}).messages)) == (False, ["Password not set in context"])
    assert judged(api, "test") == (False, ("test message",))
    assert judged(api, "1TTTTTTTTTTTTTTTTTTTTTTe") == (False, ("test message",))  # lowercase
    assert judged(api, "1tttttttttttttttttttttE") == (False, ("test message",))  # 23 long
    assert judged(api, "1ETETETETETETETETETETETETe!!!") == (False, ("test message",))  # one lowercase
    assert judged(api, "TETETETETETETETETETETE1e!!!") == (False, ("test message",))
    key = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(128))
    assert judged(api, key + "1ee!!!") == (True, ())


@pytest.mark.parametrize("rule, short, enough", [
    ("length_min", "Aa1!aaa", "Aa1!aaaa"),
    ("amount_digits", "abc12", "abc123"),
    ("amount_lowercase", "ABab", "ABabc"),
    ("amount_uppercase", "abAB", "abABC"),
    ("amount_symbols", "a!b?", "a!b?."),
])
def test_each_rule_counts_what_it_names(api, rule, short, enough):
    create(api, **{rule: 8 if rule == "length_min" else 3}, error_message=f"{rule} broken")
    assert judged(api, short) == (False, (f"{rule} broken",))
    assert judged(api, enough) == (True, ())


def test_length_counts_code_points_and_classes_are_ascii(api):
    create(api, length_min=4, amount_lowercase=4, error_message="no")
    assert judged(api, "ab\u00e9\u00e9") == (False, ("no",)), "é is not a-z"
    create(api, "len", length_min=4, error_message="no")
    assert judged(api, "\u00e9\u00e9\u00e9\u00e9", name="len") == (True, ()), "4 code points, 8 bytes"
    assert judged(api, "\U0001F600\U0001F600\U0001F600", name="len") == (False, ("no",))


def test_where_the_password_is_found(api):
    create(api, length_min=4, error_message="short")
    # prompt_data first, then the context's own member of that name.
    assert run(api, {"prompt_data": {"password": "abcd"}, "password": "x"}).passing
    assert list(run(api, {"prompt_data": {"other": "abcd"}, "password": "x"}).messages) == ["short"]
    assert run(api, {"password": "abcd"}).passing
    for empty in ({"prompt_data": {"password": ""}}, {"prompt_data": {"password": None}}, {"password": ""}):
        assert list(run(api, empty).messages) == ["Password not set in context"], empty
    # A named field.
    create(api, "named", password_field="new_password", length_min=4, error_message="short")
    assert run(api, {"prompt_data": {"new_password": "abcd", "password": "x"}}, "named").passing
    # Not a string: a policy error naming the place, not a guess.
    result = run(api, {"prompt_data": {"password": 12345678}})
    assert result.errored and list(result.messages) == ["context.prompt_data.password must be a string, not a number"]


def test_authentiks_quirks_decided(api):
    """docs/password-policies.md: a blank error_message gives "Invalid password." (authentik
    gives an empty message); the default symbol set has the backslash once (authentik's
    counts a backslash as two symbols)."""
    create(api, length_min=10)
    assert judged(api, "short") == (False, ("Invalid password.",))
    create(api, "symbols", amount_symbols=2, error_message="two symbols")
    assert judged(api, "abc\\", name="symbols") == (False, ("two symbols",))
    assert judged(api, "abc\\ ", name="symbols") == (True, ()), "the space is a symbol, as in authentik"
    create(api, "charset", amount_symbols=2, symbol_charset="\u00a7\u00a7", error_message="two")
    assert judged(api, "a\u00a7", name="charset") == (False, ("two",)), "a charset character counts once"
    assert judged(api, "a\u00a7\u00a7", name="charset") == (True, ())


def test_static_rules_can_be_off(api):
    create(api, length_min=50, check_static_rules=False)
    assert judged(api, "x") == (True, ())


def test_length_max(api):
    create(api, length_min=2, length_max=5, error_message="2 to 5")
    assert judged(api, "abcde") == (True, ())
    assert judged(api, "abcdef") == (False, ("2 to 5",))
    with pytest.raises(Refused) as refused:
        create(api, "bad", length_min=8, length_max=4)
    assert refused.value.code == INVALID_ARGUMENT and "length_max" in refused.value.message


def test_similar_to_user(api):
    create(api, similar_to_user=True)
    message = "Password must not contain your username, name or email address."
    alice = {"id": "u1", "username": "alice", "name": "Alice Cooper-Smith", "email": "acoop@example.com"}
    for password, passing in [("xxALICEyy", False), ("my-cooper-9", False), ("SMITH2024", False),
                              ("acoop!!", False), ("Alic3 is fine", True), ("example.com", True)]:
        verdict = judged(api, password, pending_user=alice)
        assert verdict == ((True, ()) if passing else (False, (message,))), password
    # Parts shorter than 4 characters are not looked for; the policy user is pending_user, else user.
    bob = {"id": "u2", "username": "bob", "email": "bo@example.com"}
    assert judged(api, "bob-bo-pass", user=bob) == (True, ())
    assert judged(api, "xalicex", user=alice) == (False, (message,))
    assert judged(api, "xalicex") == (True, ()), "no user, nothing to compare"


@pytest.mark.parametrize("check", ["check_have_i_been_pwned", "check_zxcvbn"])
def test_the_checks_not_built_yet_are_refused_and_nothing_is_stored(api, pb, check):
    with pytest.raises(Refused) as refused:
        create(api, **{check: True})
    assert refused.value.code == FAILED_PRECONDITION and check in refused.value.message
    p = pb.policies
    assert list(api.call("Policies", "List", p.ListPoliciesRequest(), p.ListPoliciesResponse).policies) == []


@pytest.mark.parametrize("settings, problem", [
    (dict(amount_digits=5000), "password.amount_digits is 5000; at most 4096"),
    (dict(password_field="new password"), "password.password_field must be"),
    (dict(error_message="bad\nmessage"), "password.error_message must be"),
    (dict(symbol_charset="\x07"), "password.symbol_charset must be"),
])
def test_bad_settings_are_refused(api, settings, problem):
    with pytest.raises(Refused) as refused:
        create(api, **settings)
    assert refused.value.code == INVALID_ARGUMENT and problem in refused.value.message, refused.value.message


def test_as_a_prompt_stages_validation_policy(api, pb):
    """spec §11's flow test: a prompt stage whose validation policy refuses `akadmin`."""
    f = pb.flows
    api.call("PromptStages", "Create", f.CreatePromptStageRequest(prompt_stage=f.PromptStage(
        name="change", fields=[f.PromptField(field_key="password", label="Password", type=f.PROMPT_FIELD_TYPE_PASSWORD,
                                             required=True)])), f.PromptStage)
    create(api, amount_uppercase=1, amount_lowercase=2, amount_symbols=3, length_min=3, error_message="test message")
    api.bind(api.target("prompt_stage", "change"), 0, policy="pw")
    verdict = api.evaluate(api.target("prompt_stage", "change"), {"prompt_data": {"password": "akadmin"}})
    assert (verdict.passing, list(verdict.messages)) == (False, ["test message"])
    assert "akadmin" not in api.daemon.log


def test_the_stored_settings_read_back(api, pb):
    created = create(api, length_min=8, similar_to_user=True, check_static_rules=False)
    p = pb.policies
    got = api.call("Policies", "Get", p.GetPolicyRequest(name="pw"), p.Policy)
    assert got == created
    assert (got.password.length_min, got.password.similar_to_user, got.password.check_static_rules.on) == (8, True, False)
