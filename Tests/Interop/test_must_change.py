"""A password the user must change (docs/passwords.md "Must change"): an admin's reset with
must_change, or Passwords/RequireChange (what an expired password gets), makes the next login
by password say must_change while the password still works; the user's own change clears it."""
import json

from test_cli_conventions import postern
from wire_client import WireClient
from wire_client import call as wire_call

P = "/postern.password.v1."
NOT_FOUND, FAILED_PRECONDITION = 5, 9


def call(client, method, message, answer_type=None):
    return wire_call(client, P + method, message, answer_type)


def login(pb, client, secret, session):
    return call(client, "Authentication/Authenticate", pb.auth.AuthenticateRequest(
        stage="login", flow_session=session, username="alice", secret=secret, client_address="192.0.2.7"),
        pb.auth.AuthenticateResponse)


def test_an_admin_reset_then_the_users_change(pb, start_daemon):
    daemon = start_daemon("password")
    s, u, p = pb.stages, pb.users, pb.passwords
    R = pb.auth.AuthenticateResponse
    with WireClient(daemon.socket, pb) as client:
        call(client, "Stages/Create", s.CreateStageRequest(stage=s.PasswordStage(name="login", backends=[s.BACKEND_INTERNAL])),
             s.PasswordStage)
        call(client, "Users/Create", u.CreateUserRequest(id="u1", username="alice"), u.User)
        call(client, "Passwords/Set", p.SetPasswordRequest(user_id="u1", password="Reset-temp 1", must_change=True),
             p.SetPasswordResponse)
        assert call(client, "Users/Get", u.GetUserRequest(id="u1"), u.User).password_must_change
        answer = login(pb, client, "Reset-temp 1", "s1")
        assert (answer.outcome, answer.must_change) == (R.AUTHENTICATED, True)
        assert login(pb, client, "wrong", "s2").must_change is False, "a refusal says nothing about the user"

        call(client, "Passwords/Change", p.ChangePasswordRequest(
            user_id="u1", current_password="Reset-temp 1", new_password="Mine-now 2"), p.ChangePasswordResponse)
        assert not call(client, "Users/Get", u.GetUserRequest(id="u1"), u.User).password_must_change
        answer = login(pb, client, "Mine-now 2", "s3")
        assert (answer.outcome, answer.must_change) == (R.AUTHENTICATED, False)

        # RequireChange marks it, keeping the password usable; once is enough.
        marked = call(client, "Passwords/RequireChange", p.RequireChangeRequest(username="alice"), p.RequireChangeResponse)
        assert marked.marked
        assert not call(client, "Passwords/RequireChange", p.RequireChangeRequest(user_id="u1"), p.RequireChangeResponse).marked
        answer = login(pb, client, "Mine-now 2", "s4")
        assert (answer.outcome, answer.must_change) == (R.AUTHENTICATED, True)
        # An admin's set without must_change clears it.
        call(client, "Passwords/Set", p.SetPasswordRequest(user_id="u1", password="Admin-set 3"), p.SetPasswordResponse)
        assert login(pb, client, "Admin-set 3", "s5").must_change is False

        assert call(client, "Passwords/RequireChange", p.RequireChangeRequest(user_id="nobody")).status_code == NOT_FOUND
        call(client, "Users/Create", u.CreateUserRequest(id="svc", username="robot", type=u.USER_TYPE_SERVICE_ACCOUNT), u.User)
        assert call(client, "Passwords/RequireChange", p.RequireChangeRequest(user_id="svc")).status_code == FAILED_PRECONDITION
    log = daemon.log
    assert "password_must_change" in log and "Reset-temp" not in log and "Mine-now" not in log


def test_from_the_command_line(start_daemon):
    daemon = start_daemon("password")
    env = {"POSTERN_PASSWORD_SOCKET": daemon.socket}
    assert postern("stage", "set", "login", "--backends", "internal", env=env).returncode == 0
    assert postern("user", "add", "alice", env=env).returncode == 0
    result = postern("password", "set", "alice", "--must-change", env=env, input="Reset-temp 1\n")
    assert result.returncode == 0 and "must be changed at the next login" in result.stdout
    assert "must be changed" in postern("user", "show", "alice", env=env).stdout
    shown = json.loads(postern("user", "show", "alice", "--json", env=env).stdout)
    assert shown["password_must_change"] is True
    auth = postern("auth", "--stage", "login", "--user", "alice", env=env, input="Reset-temp 1\n")
    assert auth.returncode == 0 and "the password must be changed now" in auth.stdout
    auth = json.loads(postern("auth", "--stage", "login", "--user", "alice", "--json", env=env, input="Reset-temp 1\n").stdout)
    assert auth["must_change"] is True
