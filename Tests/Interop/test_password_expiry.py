"""The password expiry policy (spec §12; docs/password-expiry.md) through real daemons: the
change time comes from postern-password; an expired password is marked to be changed (and the
next login says must_change), or with deny_only refused; the change time is moved back in the
test's copy of postern-password's database."""
import datetime
import json
import sqlite3

import pytest

from policy_api import PolicyAPI, Refused
from wire_client import WireClient
from wire_client import call as wire_call

P = "/postern.password.v1."
INVALID_ARGUMENT, FAILED_PRECONDITION = 3, 9


def start(pb, start_daemon):
    password = start_daemon("password")
    policy = start_daemon("policy", env={"POSTERN_POLICY_PASSWORD_SOCKET": password.socket,
                                         "POSTERN_POLICY_PASSWORD_TIMEOUT": "1s"})
    s, u, p = pb.stages, pb.users, pb.passwords
    with WireClient(password.socket, pb) as client:
        wire_call(client, P + "Stages/Create", s.CreateStageRequest(stage=s.PasswordStage(
            name="login", backends=[s.BACKEND_INTERNAL])), s.PasswordStage)
        for user_id, username in (("u1", "alice"), ("u2", "bob")):
            wire_call(client, P + "Users/Create", u.CreateUserRequest(id=user_id, username=username), u.User)
            wire_call(client, P + "Passwords/Set", p.SetPasswordRequest(user_id=user_id, password="Expiry-test 1"),
                      p.SetPasswordResponse)
    return password, policy


def age(password, user_id, days):
    """Moves the user's password change time `days` days back."""
    when = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=days, hours=1)
    db = sqlite3.connect(password.state_directory / "password.sqlite3")
    try:
        db.execute("UPDATE user SET password_changed_at = ? WHERE id = ?", (when.strftime("%Y-%m-%d %H:%M:%S.000"), user_id))
        db.commit()
    finally:
        db.close()


def expiry(api, name, days, deny_only=False):
    p = api.pb.policies
    return api.call("Policies", "Create", p.CreatePolicyRequest(policy=p.Policy(
        name=name, type=p.POLICY_TYPE_PASSWORD_EXPIRY, password_expiry=p.PasswordExpirySettings(
            days=days, deny_only=deny_only))), p.Policy)


def run(api, name, user_id):
    p = api.pb.policies
    result = api.call("Policies", "Test", p.TestPolicyRequest(name=name, context_json=json.dumps(
        {"pending_user": {"id": user_id}})), p.TestPolicyResponse)
    return result.passing, list(result.messages), result.errored


def login(pb, password):
    with WireClient(password.socket, pb) as client:
        return wire_call(client, P + "Authentication/Authenticate", pb.auth.AuthenticateRequest(
            stage="login", flow_session="s1", username="alice", secret="Expiry-test 1", client_address="192.0.2.7"),
            pb.auth.AuthenticateResponse)


def test_an_expired_password_is_marked_to_change_and_the_login_says_so(pb, start_daemon):
    password, policy = start(pb, start_daemon)
    with PolicyAPI(policy.socket, pb) as api:
        expiry(api, "expiry", 30)
        assert run(api, "expiry", "u1") == (True, [], False), "changed just now"
        assert not login(pb, password).must_change
        age(password, "u1", 100)
        assert run(api, "expiry", "u1") == (True, ["Password expired 70 days ago. Please update your password."], False)
        answer = login(pb, password)
        assert (answer.outcome, answer.must_change) == (pb.auth.AuthenticateResponse.AUTHENTICATED, True), \
            "the old password still works, and must be changed"
        assert run(api, "expiry", "u2") == (True, [], False), "bob's is not expired"
        assert run(api, "expiry", "nobody") == (True, [], False), "postern-password does not know them"

        expiry(api, "strict", 30, deny_only=True)
        assert run(api, "strict", "u1") == (False, ["Password has expired."], False)
        age(password, "u2", 30)
        assert run(api, "strict", "u2") == (False, ["Password has expired."], False), "30 whole days: expired"
        age(password, "u2", 29)
        assert run(api, "strict", "u2") == (True, [], False)

        # postern-password stopped: a policy error, so the binding's failure_result applies.
        password.kill()
        passing, messages, errored = run(api, "strict", "u1")
        assert errored and not passing and messages[0].startswith("postern-password did not answer: UNAVAILABLE")


def test_settings_are_checked_and_a_socket_is_needed(pb, start_daemon):
    password, policy = start(pb, start_daemon)
    with PolicyAPI(policy.socket, pb) as api:
        with pytest.raises(Refused) as refused:
            expiry(api, "never", 0)
        assert refused.value.code == INVALID_ARGUMENT and "password_expiry.days is 0" in refused.value.message
    lone = start_daemon("policy", socket_name="lone.sock")
    with PolicyAPI(lone.socket, pb) as api:
        with pytest.raises(Refused) as refused:
            expiry(api, "expiry", 30)
        assert refused.value.code == FAILED_PRECONDITION and "password.socket" in refused.value.message
