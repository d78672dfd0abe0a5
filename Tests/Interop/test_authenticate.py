"""Authentication/Authenticate over the wire: authentik's Password stage semantics through the
independent Python client — failed attempts and CANCEL, no user enumeration, the counter shared
by two daemons on one store, and a login on an outdated hash upgrading it."""
import base64
import hashlib
import sqlite3
import statistics
import time

import argon2
import pytest
from django.conf import settings

from timing_stats import interquartile_range, ks_critical, ks_statistic
from wire_client import WireClient

OK = 0
AUTH = "/postern.password.v1.Authentication/Authenticate"
CREATE_STAGE = "/postern.password.v1.Stages/Create"
CREATE_USER, DISABLE = "/postern.password.v1.Users/Create", "/postern.password.v1.Users/Disable"
IMPORT = "/postern.password.v1.Users/Import"
SET = "/postern.password.v1.Passwords/Set"
PASSWORD = "Corr3ct horse ✓"


def call(client, method, message, call_id=1):
    client.send(call_id, method, message.SerializeToString())
    answer = client.read()
    assert answer is not None and answer.call_id == call_id
    return answer


def authenticate(pb, client, session, secret, **user):
    answer = call(client, AUTH, pb.auth.AuthenticateRequest(
        stage="login", flow_session=session, secret=secret, client_address="192.0.2.7", **user))
    assert answer.status_code == OK, answer.status_message
    response = pb.auth.AuthenticateResponse()
    response.ParseFromString(answer.payload)
    return response


def provision(pb, client, attempts=0):
    s, u, p = pb.stages, pb.users, pb.passwords
    assert call(client, CREATE_STAGE, s.CreateStageRequest(stage=s.PasswordStage(
        name="login", backends=[s.BACKEND_INTERNAL], failed_attempts_before_cancel=attempts))).status_code == OK
    assert call(client, CREATE_USER, u.CreateUserRequest(id="u1", username="alice")).status_code == OK
    assert call(client, SET, p.SetPasswordRequest(user_id="u1", password=PASSWORD)).status_code == OK


def test_four_wrong_passwords_then_cancel_on_the_fifth_then_a_new_session_succeeds(pb, start_daemon):
    R = pb.auth.AuthenticateResponse
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as client:
        provision(pb, client)
        for attempt in range(1, 5):
            r = authenticate(pb, client, "flow-1", f"wrong {attempt}", username="alice")
            assert (r.outcome, r.message, r.attempts_left) == (R.INVALID, "Invalid password", 5 - attempt)
        r = authenticate(pb, client, "flow-1", "wrong 5", username="alice")
        assert (r.outcome, r.message) == (R.CANCEL, "Invalid password")
        ok = authenticate(pb, client, "flow-2", PASSWORD, username="alice")
        assert (ok.outcome, ok.user_id, ok.username, ok.backend, ok.method) == (R.AUTHENTICATED, "u1", "alice", "internal", "password")
        # A success resets the session's counter.
        authenticate(pb, client, "flow-3", "wrong", user_id="u1")
        assert authenticate(pb, client, "flow-3", PASSWORD, user_id="u1").outcome == R.AUTHENTICATED
        assert authenticate(pb, client, "flow-3", "wrong", user_id="u1").attempts_left == 4
    log = daemon.log
    # Exactly one login_failed per failed attempt, as authentik logs them: 5 + 2 here.
    failed = [line for line in log.splitlines() if "login_failed" in line]
    assert len(failed) == 7, failed
    assert all("username=alice" in line and "stage=login" in line and "client_address=192.0.2.7" in line for line in failed)
    assert PASSWORD not in log and "wrong 1" not in log


@pytest.mark.parametrize("attempts", [1, 10])
def test_the_configured_failure_cancels_and_none_before_it(pb, start_daemon, attempts):
    """As in authentik: failed_attempts_before_cancel=N cancels on the Nth failure."""
    R = pb.auth.AuthenticateResponse
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as client:
        provision(pb, client, attempts=attempts)
        for attempt in range(1, attempts):
            assert authenticate(pb, client, "f", "wrong", username="alice").attempts_left == attempts - attempt
        assert authenticate(pb, client, "f", "wrong", username="alice").outcome == R.CANCEL
        # The cancelled session starts again from zero.
        again = authenticate(pb, client, "f", "wrong", username="alice")
        assert (again.outcome, again.attempts_left) == ((R.CANCEL, 0) if attempts == 1 else (R.INVALID, attempts - 1))


def test_a_counter_expires_after_the_configured_time(pb, start_daemon):
    R = pb.auth.AuthenticateResponse
    daemon = start_daemon("password", env={"POSTERN_PASSWORD_AUTH_FAILED_ATTEMPTS_EXPIRY": "1s"})
    with WireClient(daemon.socket, pb) as client:
        provision(pb, client, attempts=2)
        assert authenticate(pb, client, "f", "wrong", username="alice").attempts_left == 1
        time.sleep(1.2)
        # Expired: this is the session's first counted failure again, not the cancelling second.
        late = authenticate(pb, client, "f", "wrong", username="alice")
        assert (late.outcome, late.attempts_left) == (R.INVALID, 1)
        assert authenticate(pb, client, "f", "wrong", username="alice").outcome == R.CANCEL


def test_unknown_inactive_and_wrong_look_alike(pb, start_daemon):
    R = pb.auth.AuthenticateResponse
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as client:
        provision(pb, client)
        unknown = authenticate(pb, client, "a", PASSWORD, username="mallory")
        wrong = authenticate(pb, client, "b", "nope", username="alice")
        call(client, DISABLE, pb.users.DisableUserRequest(id="u1"))
        inactive = authenticate(pb, client, "c", PASSWORD, username="alice")
        assert unknown == wrong == inactive
        assert (unknown.outcome, unknown.message, unknown.attempts_left) == (R.INVALID, "Invalid password", 4)


def test_two_daemons_on_one_store_share_the_counter(pb, start_daemon, tmp_path):
    R = pb.auth.AuthenticateResponse
    shared = {"POSTERN_PASSWORD_STATE_DIRECTORY": str(tmp_path / "shared-state")}
    first = start_daemon("password", env=shared, socket_name="one.sock")
    second = start_daemon("password", env=shared, socket_name="two.sock")
    with WireClient(first.socket, pb) as one, WireClient(second.socket, pb) as two:
        provision(pb, one, attempts=3)
        assert authenticate(pb, one, "flow", "x", username="alice").attempts_left == 2
        assert authenticate(pb, two, "flow", "y", username="alice").attempts_left == 1
        assert authenticate(pb, one, "flow", "z", username="alice").outcome == R.CANCEL
        assert authenticate(pb, two, "other", PASSWORD, username="alice").outcome == R.AUTHENTICATED


def test_a_login_on_a_django_hash_upgrades_it_to_argon2id_without_changing_the_change_date(pb, start_daemon):
    R = pb.auth.AuthenticateResponse
    if not settings.configured:
        settings.configure()
    from django.contrib.auth.hashers import make_password

    django_hash = make_password(PASSWORD, hasher="pbkdf2_sha256")
    daemon = start_daemon("password")
    s, u = pb.stages, pb.users
    with WireClient(daemon.socket, pb) as client:
        call(client, CREATE_STAGE, s.CreateStageRequest(stage=s.PasswordStage(name="login", backends=[s.BACKEND_INTERNAL])))
        assert call(client, IMPORT, u.ImportUsersRequest(users=[u.ImportedUser(
            id="u1", username="alice", password_hash=django_hash, password_changed_unix_ms=1_600_000_000_000)])).status_code == OK
        assert authenticate(pb, client, "f", "wrong", username="alice").outcome == R.INVALID
        db = sqlite3.connect(daemon.state_directory / "password.sqlite3")
        assert db.execute("SELECT password_hash FROM user").fetchone()[0] == django_hash, "a failure changes nothing"
        assert authenticate(pb, client, "f", PASSWORD, username="alice").outcome == R.AUTHENTICATED
        upgraded, changed = db.execute("SELECT password_hash, password_changed_at FROM user").fetchone()
        db.close()
        assert upgraded.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
        assert argon2.PasswordHasher().verify(upgraded, PASSWORD)
        assert changed.startswith("2020-09-13"), "an upgrade is not a password change"
        assert authenticate(pb, client, "g", PASSWORD, username="alice").outcome == R.AUTHENTICATED


def test_a_cheap_imported_hash_fails_with_an_unknown_users_time_and_spread(pb, start_daemon):
    """Timing must not tell who exists. A user imported with a hash far cheaper than the
    policy's — Django pbkdf2_sha256 at 1,000 iterations, half a millisecond — once failed in a
    small fraction of an unknown user's time; then in the same median, padded by a sleep, but
    with a third of the spread and 0.4 ms early (KS D 0.6–0.8 over 150 pairs, p < 1e-20);
    now its failure is topped up with a partial Argon2id of the policy, and the two
    distributions cannot be told apart: the two-sample Kolmogorov–Smirnov statistic stays under
    the 0.1% critical value (0.225 here; 0.05–0.12 measured), and the medians are within 3%."""
    R = pb.auth.AuthenticateResponse
    salt = "abcdefghijklmnopqrstuv"
    digest = base64.b64encode(hashlib.pbkdf2_hmac("sha256", PASSWORD.encode(), salt.encode(), 1000)).decode()
    daemon = start_daemon("password")
    s, u = pb.stages, pb.users
    rounds = 150
    with WireClient(daemon.socket, pb, timeout=60) as client:
        call(client, CREATE_STAGE, s.CreateStageRequest(stage=s.PasswordStage(name="login", backends=[s.BACKEND_INTERNAL])))
        assert call(client, IMPORT, u.ImportUsersRequest(users=[u.ImportedUser(
            id="u1", username="legacy", password_hash=f"pbkdf2_sha256$1000${salt}${digest}")])).status_code == OK

        def failing(session, username):
            start = time.perf_counter()
            assert authenticate(pb, client, session, "not the password", username=username).outcome == R.INVALID
            return time.perf_counter() - start

        for warm_up in range(5):
            failing(f"warm-up-{warm_up}", "nobody")
            failing(f"warm-up-legacy-{warm_up}", "legacy")
        # A VM's noise can push one sample of 150 pairs over the 0.1% critical value (seen once:
        # D 0.227 against 0.225, medians 1.5% apart); a second sample then decides. A real leak
        # (D 0.5 and more, as above) fails both.
        reports = []
        for attempt in range(2):
            known, unknown = [], []
            for round_ in range(rounds):  # each round both, in alternating order
                if round_ % 2:
                    known.append(failing(f"known-{attempt}-{round_}", "legacy"))
                    unknown.append(failing(f"unknown-{attempt}-{round_}", "nobody"))
                else:
                    unknown.append(failing(f"unknown-{attempt}-{round_}", "nobody"))
                    known.append(failing(f"known-{attempt}-{round_}", "legacy"))
            d = ks_statistic(known, unknown)
            spread = interquartile_range(known) / interquartile_range(unknown)
            medians = statistics.median(known) / statistics.median(unknown)
            reports.append(f"D={d:.3f} (critical {ks_critical(rounds, rounds, 0.001):.3f}), IQR ratio {spread:.2f}, "
                           f"median ratio {medians:.3f}")
            if d < ks_critical(rounds, rounds, 0.001) and 0.97 <= medians <= 1.03:
                break
        report = "; ".join(reports)
        # The KS statistic judges the whole distribution, spread included (the sleep-padded build:
        # D 0.53-0.78); the IQR ratio alone swings with this VM's noise (1.0-2.5 measured), so
        # it is reported, not judged.
        assert d < ks_critical(rounds, rounds, 0.001), report
        assert 0.97 <= medians <= 1.03, report
        assert authenticate(pb, client, "right", PASSWORD, username="legacy").outcome == R.AUTHENTICATED


def test_bad_requests_are_refused_with_a_status(pb, start_daemon):
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as client:
        provision(pb, client)
        for request, code in [
            (pb.auth.AuthenticateRequest(stage="login", flow_session="", username="alice", secret="x"), 3),
            (pb.auth.AuthenticateRequest(stage="login", flow_session="f", username="alice", secret=""), 3),
            (pb.auth.AuthenticateRequest(stage="login", flow_session="f", username="alice", secret="x" * 1025), 3),
            (pb.auth.AuthenticateRequest(stage="login", flow_session="f", secret="x"), 3),
            (pb.auth.AuthenticateRequest(stage="nope", flow_session="f", username="alice", secret="x"), 5),
        ]:
            assert call(client, AUTH, request).status_code == code, request


def test_absurd_field_lengths_are_refused_before_any_work_and_reach_no_log(pb, start_daemon):
    """A 1 MB username used to be looked up and written to the log in full (issue 28, item 5)."""
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as client:
        provision(pb, client)
        base = dict(stage="login", flow_session="f", secret="x")
        for fields, words in [
            (dict(username="a" * 1_000_000), "username is longer than 150 characters or 1024 bytes"),
            (dict(username="é" * 151), "username is longer than 150 characters or 1024 bytes"),
            (dict(user_id="u" * 256), "user_id is longer than 255 bytes"),
            (dict(username="alice", stage="s" * 129), "stage is longer than 128 characters or 512 bytes"),
            (dict(username="alice", client_address="1" * 65), "client_address is longer than 64 bytes"),
        ]:
            answer = call(client, AUTH, pb.auth.AuthenticateRequest(**{**base, **fields}))
            assert (answer.status_code, answer.status_message) == (3, words)
        # At the limits themselves the login runs (and fails on the password, as it should).
        answer = call(client, AUTH, pb.auth.AuthenticateRequest(
            stage="login", flow_session="f", username="é" * 150, secret="x", client_address="1" * 64))
        assert answer.status_code == OK
    assert max(len(line) for line in daemon.log.splitlines()) < 4000, "a request field reached the log unbounded"


def test_200_concurrent_authenticate_calls_are_all_answered_with_bounded_memory(pb, start_daemon):
    R = pb.auth.AuthenticateResponse
    daemon = start_daemon("password", env={"POSTERN_PASSWORD_HASH_THREADS": "2", "POSTERN_PASSWORD_HASH_QUEUE": "16"})
    with WireClient(daemon.socket, pb) as client:
        provision(pb, client)
    clients = [WireClient(daemon.socket, pb, timeout=60) for _ in range(4)]
    try:
        for index in range(200):
            secret = PASSWORD if index % 2 == 0 else f"wrong {index}"
            request = pb.auth.AuthenticateRequest(stage="login", flow_session=f"s{index}", username="alice", secret=secret)
            clients[index % 4].send(index + 1, AUTH, request.SerializeToString())
        answers = {}
        for index in range(200):
            answer = clients[index % 4].read()
            assert answer is not None, "a call was never answered"
            answers[answer.call_id] = answer
    finally:
        for client in clients:
            client.close()
    assert len(answers) == 200
    done = 0
    for call_id, answer in answers.items():
        assert answer.status_code in (OK, 8), answer.status_message  # 8: RESOURCE_EXHAUSTED
        if answer.status_code == OK:
            done += 1
            response = R()
            response.ParseFromString(answer.payload)
            # Even call ids carried a wrong secret (index = call_id - 1).
            expected = R.INVALID if call_id % 2 == 0 else R.AUTHENTICATED
            assert response.outcome == expected, call_id
    # The pool takes a job while a thread is free or the queue has room: the two threads' and
    # the queue's 16 are always run, whatever the order the burst and the threads' wake-ups take.
    assert done >= 18
    with open(f"/proc/{daemon.process.pid}/status") as status:
        rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    assert rss < 200 * 1024
    assert PASSWORD not in daemon.log
