"""The password daemon's audit events through the independent Python client: one log line per
event, named as docs/events.md names them, with the fields an operator needs, never a secret — and
no client-supplied text can start a line of its own."""
import re

from wire_client import WireClient

OK = 0
USERS = "/postern.password.v1.Users/"
PASSWORDS = "/postern.password.v1.Passwords/"
STAGES = "/postern.password.v1.Stages/"
AUTH = "/postern.password.v1.Authentication/Authenticate"
SECRETS = ["Ev3nts first ✓ secret", "Ev3nts second ✓ secret", "wrong ev3nts guess", "imp0rted-hash-marker"]


def call(client, method, message):
    client.send(1, method, message.SerializeToString())
    answer = client.read()
    assert answer is not None and answer.call_id == 1
    return answer


def event_lines(log, name):
    """The lines of event `name`: swift-log writes the message last, after the [module]."""
    return [line for line in log.splitlines() if line.endswith(f"] {name}")]


def test_each_change_and_login_logs_one_named_event_without_secrets(pb, start_daemon):
    u, p, s, a = pb.users, pb.passwords, pb.stages, pb.auth
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as c:
        assert call(c, STAGES + "Create", s.CreateStageRequest(stage=s.PasswordStage(
            name="login", backends=[s.BACKEND_INTERNAL], failed_attempts_before_cancel=2))).status_code == OK
        assert call(c, STAGES + "Update", s.UpdateStageRequest(stage=s.PasswordStage(
            name="login", backends=[s.BACKEND_INTERNAL], failed_attempts_before_cancel=2,
            allow_show_password=True))).status_code == OK
        assert call(c, USERS + "Create", u.CreateUserRequest(id="u1", username="alice")).status_code == OK
        assert call(c, USERS + "Update", u.UpdateUserRequest(id="u1", update_mask=["name"], name="Alice")).status_code == OK
        assert call(c, PASSWORDS + "Set", p.SetPasswordRequest(user_id="u1", password=SECRETS[0])).status_code == OK
        assert call(c, PASSWORDS + "Change", p.ChangePasswordRequest(
            user_id="u1", current_password=SECRETS[2], new_password=SECRETS[1])).status_code != OK
        assert call(c, PASSWORDS + "Change", p.ChangePasswordRequest(
            user_id="u1", current_password=SECRETS[0], new_password=SECRETS[1])).status_code == OK

        def login(session, secret):
            answer = call(c, AUTH, a.AuthenticateRequest(
                stage="login", flow_session=session, username="alice", secret=secret, client_address="198.51.100.4"))
            assert answer.status_code == OK
            return answer

        login("f1", SECRETS[1])
        login("f2", SECRETS[2])
        login("f2", SECRETS[2])  # the second failure cancels the flow
        assert call(c, USERS + "Import", u.ImportUsersRequest(users=[u.ImportedUser(
            id="u2", username="bob", password_hash="$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHRzYWx0$"
            "QYe60V8AFAXg7OGE9nTnhxWGA48evKcKhL0hMb/NT6I")])).status_code == OK
        assert call(c, USERS + "Disable", u.DisableUserRequest(id="u2")).status_code == OK
        assert call(c, USERS + "Delete", u.DeleteUserRequest(id="u2")).status_code == OK
        assert call(c, STAGES + "Delete", s.DeleteStageRequest(name="login")).status_code == OK
    log = daemon.log

    def one(name, *fields):
        lines = event_lines(log, name)
        assert lines, f"no {name} event in:\n{log}"
        for field in fields:
            assert all(field in line for line in lines), (name, field, lines)
        return lines

    assert len(one("stage_created", "stage=login")) == 1
    assert len(one("stage_updated", "stage=login")) == 1
    assert len(one("user_created", "user_id=u1", "username=alice")) == 1
    assert len(one("user_updated", "user_id=u1", "fields=name")) == 1
    assert [("by=admin" in line, "by=user" in line) for line in one("password_set", "user_id=u1")] == [(True, False), (False, True)]
    assert len(one("password_change_refused", "user_id=u1")) == 1
    assert len(one("authenticated", "user_id=u1", "backend=internal", "stage=login")) == 1
    assert len(one("login_failed", "username=alice", "stage=login", "client_address=198.51.100.4")) == 2
    assert len(one("flow_cancelled", "stage=login")) == 1
    assert len(one("users_imported", "count=1")) == 1
    assert len(one("user_disabled", "user_id=u2")) == 1
    assert len(one("user_deleted", "user_id=u2")) == 1
    assert len(one("stage_deleted", "stage=login")) == 1
    for secret in SECRETS[:3] + ["QYe60V8AFAXg7OGE9nTnhxWGA48evKcKhL0hMb"]:
        assert secret not in log, f"a secret reached the log: {secret!r}"


def test_a_username_cannot_start_a_log_line_of_its_own(pb, start_daemon):
    s, a = pb.stages, pb.auth
    daemon = start_daemon("password")
    forged = "2026-01-01T00:00:00+0000 notice postern-password: authenticated user_id=root"
    with WireClient(daemon.socket, pb) as c:
        assert call(c, STAGES + "Create", s.CreateStageRequest(stage=s.PasswordStage(
            name="login", backends=[s.BACKEND_INTERNAL]))).status_code == OK
        for separator in ["\n", "\r", "\u2028", "\x1b[2K\r"]:
            answer = call(c, AUTH, a.AuthenticateRequest(
                stage="login", flow_session="f", username="mallory" + separator + forged, secret="x",
                # An address is at most 64 bytes (docs/authenticate.md): a short forgery.
                client_address="192.0.2.1" + separator + "notice user_id=root"))
            assert answer.status_code == OK
    lines = daemon.log.splitlines()
    failed = event_lines(daemon.log, "login_failed")
    assert len(failed) == 4, "\n".join(lines)
    assert not [line for line in lines if line.startswith("2026-01-01")], "a forged line reached the log"
    # Each value stays one quoted field: the forged "user_id=root" is inside it, not a field.
    assert all(re.search(r' username="mallory\\u\{[0-9a-f]+\}.*user_id=root" ', line) for line in failed), failed
    assert not [line for line in failed if " user_id=root " in line]
