"""Expression policies (CEL) through the real daemon (docs/expressions.md): created only when
they parse, evaluated against the context, errors giving failure_result (authentik's engine
tests with an expression), the seed's passwordless expressions, and a runaway expression."""
import threading
import time

import pytest

from policy_api import PolicyAPI, Refused, user

INVALID_ARGUMENT = 3

WEBAUTHN = ('!has(request.context.pending_user) || !has(request.context.pending_user.devices) || '
            '!request.context.pending_user.devices.exists(d, d.type == "webauthn" && d.confirmed)')
DUO = ('!has(request.context.pending_user) || !has(request.context.pending_user.devices) || '
       '!request.context.pending_user.devices.exists(d, d.type == "duo" && d.confirmed)')


@pytest.fixture
def api(pb, start_daemon):
    daemon = start_daemon("policy")
    with PolicyAPI(daemon.socket, pb) as api:
        api.daemon = daemon
        yield api


def expression(api, name, source):
    p = api.pb.policies
    return api.call("Policies", "Create", p.CreatePolicyRequest(policy=p.Policy(
        name=name, type=p.POLICY_TYPE_EXPRESSION, expression=p.ExpressionSettings(expression=source))), p.Policy)


def bound(api, source, **binding):
    api.flow("f")
    expression(api, "e", source)
    api.bind(api.target("flow", "f"), 0, policy="e", **binding)
    return api.target("flow", "f")


def test_an_expression_that_does_not_parse_is_refused_with_its_place_and_nothing_is_stored(api, pb):
    with pytest.raises(Refused) as refused:
        expression(api, "bad", "request.user.id ==\n  'x' +")
    assert refused.value.code == INVALID_ARGUMENT
    assert "expression.expression does not parse: line 2, column" in refused.value.message, refused.value.message
    with pytest.raises(Refused) as refused:
        expression(api, "bad", "'x'.matches('(a)\\\\1')")
    assert refused.value.code == INVALID_ARGUMENT and "backreference" in refused.value.message
    p = pb.policies
    assert list(api.call("Policies", "List", p.ListPoliciesRequest(), p.ListPoliciesResponse).policies) == []


def test_an_expression_reads_the_context(api):
    target = bound(api, "'staff' in request.user.groups && request.http_request.client_ip.startsWith('192.0.2.')")
    assert api.evaluate(target, {"user": user("u-1", groups=["staff"]), "http_request": {"client_ip": "192.0.2.7"}}).passing
    assert not api.evaluate(target, {"user": user("u-1", groups=["staff"]), "http_request": {"client_ip": "198.51.100.1"}}).passing


@pytest.mark.parametrize("failure_result", [False, True])
def test_an_error_gives_failure_result_with_its_text_never_negated(api, failure_result):
    target = bound(api, "1 / 0 == 1", failure_result=failure_result, negate=True)
    verdict = api.evaluate(target, {"user": user("u-1")})
    assert (verdict.passing, list(verdict.messages)) == (failure_result, ["division by zero"])
    assert verdict.results[0].errored
    assert "policy_exception" in api.daemon.log and "division by zero" in api.daemon.log


def test_a_result_with_messages(api):
    target = bound(api, '{"passing": request.user.id == "u-1", "messages": ["checked " + request.user.id]}')
    verdict = api.evaluate(target, {"user": user("u-2")})
    assert (verdict.passing, list(verdict.messages)) == (False, ["checked u-2"])
    verdict = api.evaluate(target, {"user": user("u-1")})
    assert (verdict.passing, list(verdict.messages)) == (True, ["checked u-1"])


@pytest.mark.parametrize("source", [WEBAUTHN, DUO])
def test_the_seeds_passwordless_expressions_decide_whether_the_password_stage_runs(api, source):
    kind = "webauthn" if source is WEBAUTHN else "duo"
    api.flow("login")
    stage = api.stage_binding("login", "default-authentication-password", 20)
    expression(api, "skip-password", source)
    api.bind(api.target("stage_binding", stage.id), 0, policy="skip-password")
    with_device = dict(user("u-1"), devices=[{"type": kind, "confirmed": True}])
    unconfirmed = dict(user("u-2"), devices=[{"type": kind, "confirmed": False}, {"type": "totp", "confirmed": True}])
    assert not api.evaluate_stage("login", stage.id, {"pending_user": with_device}).run, "a confirmed device skips the stage"
    assert api.evaluate_stage("login", stage.id, {"pending_user": unconfirmed}).run
    assert api.evaluate_stage("login", stage.id, {"pending_user": user("u-3")}).run, "no devices: the stage runs"
    assert api.evaluate_stage("login", stage.id, {}).run, "no pending user: the stage runs"


def test_a_runaway_expression_errors_quickly_and_the_daemon_keeps_answering(api):
    runaway = "[1,2,3,4,5,6,7,8,9,10].map(a, " * 6 + "a" + ")" * 6
    target = bound(api, f"size({runaway}) > 0", failure_result=True)
    started = time.monotonic()
    verdict = api.evaluate(target, {"user": user("u-1")})
    assert time.monotonic() - started < 0.5
    assert verdict.passing and verdict.results[0].errored and "budget" in verdict.messages[0]
    assert api.evaluate(target, {"user": user("u-1")}).results[0].errored, "and again, with the same answer"

    # While another connection sends nothing but runaway expressions, this one's calls are
    # answered as before: each runaway stops at the budget and holds nothing.
    api.flow("g")
    expression(api, "quick", "request.user.id == 'u-1'")
    api.bind(api.target("flow", "g"), 0, policy="quick")
    stop = threading.Event()
    runaways = []

    def flood():
        with PolicyAPI(api.daemon.socket, api.pb) as other:
            while not stop.is_set():
                runaways.append(other.evaluate(target, {"user": user("u-1")}).results[0].errored)

    flooder = threading.Thread(target=flood)
    flooder.start()
    try:
        slowest, calls, until = 0.0, 0, time.monotonic() + 5
        while (len(runaways) < 20 or calls < 50) and time.monotonic() < until:
            calls += 1
            started = time.monotonic()
            assert api.evaluate(api.target("flow", "g"), {"user": user("u-1")}).passing
            slowest = max(slowest, time.monotonic() - started)
    finally:
        stop.set()
        flooder.join(timeout=10)
    assert len(runaways) >= 20 and all(runaways), len(runaways)
    assert slowest < 0.25, f"a call waited {slowest:.3f} s behind runaway expressions ({calls} calls)"
