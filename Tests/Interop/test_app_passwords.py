"""App passwords and service accounts through the independent Python client: the
app_password backend in a stage's chain, expiry, revocation and other users' app passwords
refused, the store holding no secret in clear (and the `cryptography` package opening what the
daemon sealed), the key checked at start, and a service account end to end."""
import base64
import hashlib
import hmac
import re
import sqlite3
import time

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from wire_client import WireClient
from secret_files import write_secret

OK, INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION = 0, 3, 5, 9
AP = "/postern.password.v1.AppPasswords/"
SA = "/postern.password.v1.ServiceAccounts/Create"
AUTH = "/postern.password.v1.Authentication/Authenticate"
PASSWORD = "Ap-test passw0rd ✓"
SECRET_FORM = re.compile(r"^pstn_ap_[A-Za-z0-9]{43}$")


def call(client, method, message, answer_type=None):
    client.send(1, method, message.SerializeToString())
    answer = client.read()
    assert answer is not None and answer.call_id == 1
    if answer_type is None:
        return answer
    assert answer.status_code == OK, answer.status_message
    parsed = answer_type()
    parsed.ParseFromString(answer.payload)
    return parsed


def write_key(path, raw=None):
    return write_secret(path, raw or bytes(range(32)))


def key_env(path):
    return {"POSTERN_PASSWORD_APP_PASSWORDS_KEY_FILE": str(path)}


def provision(pb, client):
    s, u, p = pb.stages, pb.users, pb.passwords
    for name, backends in [("mixed", [s.BACKEND_INTERNAL, s.BACKEND_APP_PASSWORD]), ("programs", [s.BACKEND_APP_PASSWORD]),
                           ("people", [s.BACKEND_INTERNAL])]:
        assert call(client, "/postern.password.v1.Stages/Create", s.CreateStageRequest(stage=s.PasswordStage(
            name=name, backends=backends, failed_attempts_before_cancel=100))).status_code == OK
    for uid, name in [("u1", "alice"), ("u2", "bob")]:
        assert call(client, "/postern.password.v1.Users/Create", u.CreateUserRequest(id=uid, username=name)).status_code == OK
    assert call(client, "/postern.password.v1.Passwords/Set", p.SetPasswordRequest(user_id="u1", password=PASSWORD)).status_code == OK


def authenticate(pb, client, stage, username, secret, session="f"):
    return call(client, AUTH, pb.auth.AuthenticateRequest(
        stage=stage, flow_session=session, username=username, secret=secret, client_address="192.0.2.9"),
        pb.auth.AuthenticateResponse)


def create(pb, client, **fields):
    return call(client, AP + "Create", pb.app_passwords.CreateAppPasswordRequest(**fields),
                pb.app_passwords.CreateAppPasswordResponse)


def test_either_secret_passes_a_mixed_stage_and_the_answer_names_the_backend(pb, start_daemon, tmp_path):
    R = pb.auth.AuthenticateResponse
    write_key(tmp_path / "key")
    daemon = start_daemon("password", env=key_env(tmp_path / "key"))
    with WireClient(daemon.socket, pb) as c:
        provision(pb, c)
        created = create(pb, c, username="alice", description="mail client")
        assert SECRET_FORM.match(created.secret)
        assert (created.app_password.user_id, created.app_password.description) == ("u1", "mail client")
        by_password = authenticate(pb, c, "mixed", "alice", PASSWORD)
        assert (by_password.outcome, by_password.backend, by_password.method) == (R.AUTHENTICATED, "internal", "password")
        by_app = authenticate(pb, c, "mixed", "alice", created.secret)
        assert (by_app.outcome, by_app.backend, by_app.method) == (R.AUTHENTICATED, "app_password", "app_password")
        # A stage without the backend does not take it; one with only it does not take the password.
        assert authenticate(pb, c, "people", "alice", created.secret).outcome == R.INVALID
        assert authenticate(pb, c, "programs", "alice", PASSWORD).outcome == R.INVALID
        # Another user's app password, a near miss and a revoked one are refused alike.
        assert authenticate(pb, c, "programs", "bob", created.secret).outcome == R.INVALID
        # (The last character changed to one it is not: "x" alone failed 1 run in 62.)
        near_miss = created.secret[:-1] + ("x" if created.secret[-1] != "x" else "y")
        assert authenticate(pb, c, "programs", "alice", near_miss).outcome == R.INVALID
        listed = call(c, AP + "List", pb.app_passwords.ListAppPasswordsRequest(user_id="u1"),
                      pb.app_passwords.ListAppPasswordsResponse)
        assert [a.id for a in listed.app_passwords] == [created.app_password.id]
        assert created.secret not in str(listed)
        viewed = call(c, AP + "View", pb.app_passwords.ViewAppPasswordRequest(id=created.app_password.id),
                      pb.app_passwords.ViewAppPasswordResponse)
        assert viewed.secret == created.secret
        revoked = call(c, AP + "Revoke", pb.app_passwords.RevokeAppPasswordRequest(id=created.app_password.id),
                       pb.app_passwords.AppPassword)
        assert revoked.revoked_unix_ms > 0
        assert authenticate(pb, c, "programs", "alice", created.secret).outcome == R.INVALID
        assert call(c, AP + "List", pb.app_passwords.ListAppPasswordsRequest(user_id="u1"),
                    pb.app_passwords.ListAppPasswordsResponse).app_passwords == []
        assert len(call(c, AP + "List", pb.app_passwords.ListAppPasswordsRequest(include_revoked=True),
                        pb.app_passwords.ListAppPasswordsResponse).app_passwords) == 1
        # An inactive user's app password is refused; a deleted user's app passwords go with them.
        live = create(pb, c, username="alice")
        assert call(c, "/postern.password.v1.Users/Disable", pb.users.DisableUserRequest(id="u1")).status_code == OK
        assert authenticate(pb, c, "programs", "alice", live.secret).outcome == R.INVALID
        assert call(c, "/postern.password.v1.Users/Delete", pb.users.DeleteUserRequest(id="u1")).status_code == OK
        assert call(c, AP + "List", pb.app_passwords.ListAppPasswordsRequest(include_revoked=True),
                    pb.app_passwords.ListAppPasswordsResponse).app_passwords == []
    log = daemon.log
    for event, count in [("app_password_created", 2), ("app_password_viewed", 1), ("app_password_revoked", 1)]:
        assert sum(line.endswith("] " + event) for line in log.splitlines()) == count, event
    assert created.secret not in log
    # Each success logs `authenticated`; the app-password login's line, written after its
    # answer (docs/events.md), still comes before the event of the connection's next call.
    lines = log.splitlines()
    logins = [(i, re.search(r" backend=(\w+) ", line).group(1))
              for i, line in enumerate(lines) if line.endswith("] authenticated")]
    assert [backend for _, backend in logins] == ["internal", "app_password"], lines
    assert logins[1][0] < next(i for i, line in enumerate(lines) if line.endswith("] app_password_viewed"))


def test_an_app_password_login_counts_and_clears_failures_like_a_password_login(pb, start_daemon, tmp_path):
    """An app-password success is answered without a task unless the flow session has failures
    to clear (docs/server.md); either way the counter behaves as for a password."""
    R = pb.auth.AuthenticateResponse
    write_key(tmp_path / "key")
    daemon = start_daemon("password", env=key_env(tmp_path / "key"))
    with WireClient(daemon.socket, pb) as c:
        provision(pb, c)
        secret = create(pb, c, username="alice").secret
        wrong = secret[:-1] + ("x" if secret[-1] != "x" else "y")
        assert authenticate(pb, c, "programs", "alice", wrong, session="s").attempts_left == 99
        assert authenticate(pb, c, "programs", "alice", wrong, session="s").attempts_left == 98
        after_failures = authenticate(pb, c, "programs", "alice", secret, session="s")
        assert (after_failures.outcome, after_failures.backend) == (R.AUTHENTICATED, "app_password")
        assert authenticate(pb, c, "programs", "alice", wrong, session="s").attempts_left == 99, "the success cleared them"
        for _ in range(3):
            clean = authenticate(pb, c, "programs", "alice", secret, session="t")
            assert (clean.outcome, clean.user_id) == (R.AUTHENTICATED, "u1")
        assert authenticate(pb, c, "programs", "alice", wrong, session="t").attempts_left == 99
    assert sum(line.endswith("] authenticated") for line in daemon.log.splitlines()) == 4


def test_an_expired_app_password_is_refused(pb, start_daemon, tmp_path):
    R = pb.auth.AuthenticateResponse
    write_key(tmp_path / "key")
    daemon = start_daemon("password", env=key_env(tmp_path / "key"))
    with WireClient(daemon.socket, pb) as c:
        provision(pb, c)
        past = call(c, AP + "Create", pb.app_passwords.CreateAppPasswordRequest(
            user_id="u1", expires_unix_ms=int(time.time() * 1000) - 1000))
        assert past.status_code == INVALID_ARGUMENT and "future" in past.status_message
        far = call(c, AP + "Create", pb.app_passwords.CreateAppPasswordRequest(user_id="u1", expires_unix_ms=2**63 - 1))
        assert far.status_code == INVALID_ARGUMENT and "100 years" in far.status_message
        soon = create(pb, c, user_id="u1", expires_unix_ms=int(time.time() * 1000) + 1000)
        assert authenticate(pb, c, "programs", "alice", soon.secret).outcome == R.AUTHENTICATED
        time.sleep(1.2)
        assert authenticate(pb, c, "programs", "alice", soon.secret).outcome == R.INVALID


def test_the_store_holds_no_secret_in_clear_and_the_sealed_form_is_aes_gcm(pb, start_daemon, tmp_path):
    raw = write_key(tmp_path / "key", raw=bytes(range(100, 132)))
    daemon = start_daemon("password", env=key_env(tmp_path / "key"))
    with WireClient(daemon.socket, pb) as c:
        provision(pb, c)
        secrets = [create(pb, c, user_id="u1").secret for _ in range(3)]
    dump_db = sqlite3.connect(daemon.state_directory / "password.sqlite3")
    dump = "\n".join(dump_db.iterdump())
    for secret in secrets:
        assert secret not in dump and secret[8:] not in dump and secret.encode().hex() not in dump
    assert base64.b64encode(raw).decode() not in dump and raw.hex() not in dump
    # Independently: the documented derivation opens every sealed secret, and indexes it.
    encryption = hmac.new(raw, b"postern app-password encryption v1", hashlib.sha256).digest()
    index = hmac.new(raw, b"postern app-password index v1", hashlib.sha256).digest()
    rows = dump_db.execute("SELECT id, nonce, sealed, lookup_index FROM app_password").fetchall()
    opened = {AESGCM(encryption).decrypt(nonce, sealed, rid.encode()).decode() for rid, nonce, sealed, _ in rows}
    assert opened == set(secrets)
    assert {row[3] for row in rows} == {hmac.new(index, s.encode(), hashlib.sha256).hexdigest() for s in secrets}


def test_the_daemon_starts_only_with_the_key_its_app_passwords_were_sealed_with(pb, start_daemon, tmp_path):
    write_key(tmp_path / "key")
    state = {"POSTERN_PASSWORD_STATE_DIRECTORY": str(tmp_path / "state")}
    first = start_daemon("password", env={**state, **key_env(tmp_path / "key")}, socket_name="first.sock")
    with WireClient(first.socket, pb) as c:
        provision(pb, c)
        create(pb, c, user_id="u1")
    first.kill()
    write_key(tmp_path / "other", raw=bytes(range(1, 33)))
    with pytest.raises(RuntimeError, match="is not the one the 1 stored app password"):
        start_daemon("password", env={**state, **key_env(tmp_path / "other")}, socket_name="other.sock")
    with pytest.raises(RuntimeError, match="there is no app-password key at"):
        start_daemon("password", env={**state, **key_env(tmp_path / "missing")}, socket_name="missing.sock")
    (tmp_path / "bad").write_text("not base64 of 32 bytes\n")
    (tmp_path / "bad").chmod(0o600)
    with pytest.raises(RuntimeError, match="is not base64 of 32 bytes"):
        start_daemon("password", env={**state, **key_env(tmp_path / "bad")}, socket_name="bad.sock")
    # The right key again: it starts, and the app password still works.
    again = start_daemon("password", env={**state, **key_env(tmp_path / "key")}, socket_name="again.sock")
    with WireClient(again.socket, pb) as c:
        assert len(call(c, AP + "List", pb.app_passwords.ListAppPasswordsRequest(),
                        pb.app_passwords.ListAppPasswordsResponse).app_passwords) == 1


def test_without_a_key_app_passwords_are_off_and_say_how_to_make_one(pb, start_daemon, tmp_path):
    daemon = start_daemon("password", env=key_env(tmp_path / "none"))
    with WireClient(daemon.socket, pb) as c:
        provision(pb, c)
        answer = call(c, AP + "Create", pb.app_passwords.CreateAppPasswordRequest(user_id="u1"))
        assert answer.status_code == FAILED_PRECONDITION and "head -c 32 /dev/urandom | base64" in answer.status_message
        assert authenticate(pb, c, "programs", "alice", "pstn_ap_" + "a" * 43).outcome == pb.auth.AuthenticateResponse.INVALID


def test_a_service_account_signs_in_only_with_its_app_password(pb, start_daemon, tmp_path):
    R = pb.auth.AuthenticateResponse
    write_key(tmp_path / "key")
    daemon = start_daemon("password", env=key_env(tmp_path / "key"))
    with WireClient(daemon.socket, pb) as c:
        provision(pb, c)
        before = time.time()
        made = call(c, SA, pb.app_passwords.CreateServiceAccountRequest(username="backup-bot", name="Backups"),
                    pb.app_passwords.CreateServiceAccountResponse)
        assert made.user.type == pb.users.USER_TYPE_SERVICE_ACCOUNT and not made.user.has_usable_password
        assert SECRET_FORM.match(made.secret)
        days = (made.app_password.expires_unix_ms / 1000 - before) / 86400
        assert 359.9 < days < 360.1, days
        ok = authenticate(pb, c, "programs", "backup-bot", made.secret)
        assert (ok.outcome, ok.user_id, ok.backend) == (R.AUTHENTICATED, made.user.id, "app_password")
        assert authenticate(pb, c, "people", "backup-bot", made.secret).outcome == R.INVALID
        refused = call(c, "/postern.password.v1.Passwords/Set", pb.passwords.SetPasswordRequest(
            user_id=made.user.id, password="some password"))
        assert refused.status_code == FAILED_PRECONDITION
        forever = call(c, SA, pb.app_passwords.CreateServiceAccountRequest(username="cron", non_expiring=True),
                       pb.app_passwords.CreateServiceAccountResponse)
        assert forever.app_password.expires_unix_ms == 0
        taken = call(c, SA, pb.app_passwords.CreateServiceAccountRequest(username="cron"))
        assert taken.status_code == 6  # ALREADY_EXISTS, and no stray app password was stored
        assert len(call(c, AP + "List", pb.app_passwords.ListAppPasswordsRequest(),
                        pb.app_passwords.ListAppPasswordsResponse).app_passwords) == 2
    assert made.secret not in daemon.log and forever.secret not in daemon.log
