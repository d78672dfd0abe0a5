"""The record path between the real postern-password and postern-history (docs/history.md):
every password set while history is in use is recorded; a change is never half done. Faults
are injected for real: postern-history stopped, and either daemon killed (SIGKILL) between the
steps, where postern-password's test-only pauses hold it."""
import sqlite3
import time

from wire_client import WireClient, call

OK, RESOURCE_EXHAUSTED, UNAVAILABLE = 0, 8, 14
P = "/postern.password.v1."
H = "/postern.history.v1.History/"
FIRST, SECOND, THIRD = "Record-path first", "Record-path second", "Record-path third"
EARLY, LATE, LOST = "Record-path killed early", "Record-path killed late", "Record-path history killed"


def start_pair(pb, start_daemon, password_env=None, history_env=None, retention=5):
    history = start_daemon("history", env=history_env)
    password = start_password(start_daemon, history, password_env)
    with WireClient(history.socket, pb) as client:
        call(client, H + "SetRetention", pb.history.SetRetentionRequest(count=retention), pb.history.SetRetentionResponse)
    with WireClient(password.socket, pb) as client:
        call(client, P + "Stages/Create", pb.stages.CreateStageRequest(stage=pb.stages.PasswordStage(
            name="people", backends=[pb.stages.BACKEND_INTERNAL], failed_attempts_before_cancel=100)),
            pb.stages.PasswordStage)
        call(client, P + "Users/Create", pb.users.CreateUserRequest(id="u1", username="alice"), pb.users.User)
    return history, password


def start_password(start_daemon, history, env=None):
    return start_daemon("password", env={
        "POSTERN_PASSWORD_HISTORY_SOCKET": history.socket,
        "POSTERN_PASSWORD_HISTORY_TIMEOUT": "1s",
        "POSTERN_PASSWORD_HISTORY_RETRY_INTERVAL": "200ms",
        **(env or {}),
    })


def set_password(pb, password, secret):
    with WireClient(password.socket, pb) as client:
        return call(client, P + "Passwords/Set", pb.passwords.SetPasswordRequest(user_id="u1", password=secret))


def signs_in(pb, password, secret):
    with WireClient(password.socket, pb) as client:
        answer = call(client, P + "Authentication/Authenticate", pb.auth.AuthenticateRequest(
            stage="people", flow_session=f"s{time.monotonic_ns()}", username="alice", secret=secret,
            client_address="192.0.2.7"), pb.auth.AuthenticateResponse)
    return answer.outcome == pb.auth.AuthenticateResponse.AUTHENTICATED


def reused(pb, history, secret, count=5):
    with WireClient(history.socket, pb) as client:
        return call(client, H + "Check", pb.history.CheckRequest(user_id="u1", password=secret, count=count),
                    pb.history.CheckResponse).reused


def stats(pb, history):
    with WireClient(history.socket, pb) as client:
        return call(client, H + "Stats", pb.history.StatsRequest(), pb.history.StatsResponse)


def owed(password):
    db = sqlite3.connect(password.state_directory / "password.sqlite3")
    try:
        return db.execute("SELECT count(*) FROM history_confirmation").fetchone()[0]
    finally:
        db.close()


def stored_hash(password):
    db = sqlite3.connect(password.state_directory / "password.sqlite3")
    try:
        return db.execute("SELECT password_hash FROM user WHERE id = 'u1'").fetchone()[0]
    finally:
        db.close()


def wait_for(condition, what, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"not within {timeout}s: {what}")


def restart(start_daemon, daemon, env=None):
    """The same daemon again: same socket, state directory and pepper."""
    import pathlib
    daemon.kill()
    return start_daemon(daemon.name, env=env, socket_name=pathlib.Path(daemon.socket).name)


def test_every_set_and_change_is_recorded_and_a_stopped_history_changes_nothing(pb, start_daemon):
    history, password = start_pair(pb, start_daemon)
    assert set_password(pb, password, FIRST).status_code == OK
    with WireClient(password.socket, pb) as client:
        call(client, P + "Passwords/Change", pb.passwords.ChangePasswordRequest(
            user_id="u1", current_password=FIRST, new_password=SECOND), pb.passwords.ChangePasswordResponse)
    assert reused(pb, history, SECOND, 1) and reused(pb, history, FIRST, 2) and not reused(pb, history, FIRST, 1)
    assert owed(password) == 0 and stats(pb, history).pending == 0

    # postern-history stopped: the set fails UNAVAILABLE and nothing changed.
    before = stored_hash(password)
    history.process.terminate()
    history.process.wait(timeout=20)
    answer = set_password(pb, password, THIRD)
    assert answer.status_code == UNAVAILABLE and "history" in answer.status_message
    assert stored_hash(password) == before and signs_in(pb, password, SECOND) and not signs_in(pb, password, THIRD)
    assert owed(password) == 0

    # Back: the client connects again, and the set goes through.
    history = restart(start_daemon, history)
    assert set_password(pb, password, THIRD).status_code == OK
    assert reused(pb, history, THIRD, 1) and signs_in(pb, password, THIRD)
    assert "history_unavailable" in password.log

    # History off (retention 0): sets work and record nothing.
    with WireClient(history.socket, pb) as client:
        call(client, H + "SetRetention", pb.history.SetRetentionRequest(count=0), pb.history.SetRetentionResponse)
    assert set_password(pb, password, FIRST).status_code == OK
    s = stats(pb, history)
    assert (s.entries, s.pending) == (0, 0) and owed(password) == 0


def test_sets_the_hashing_pool_refuses_leave_nothing_in_history(pb, start_daemon):
    """The new password's hash and its pending history entry are made at once; when the hashing
    pool is full the set fails RESOURCE_EXHAUSTED, and the pending entry already made for it
    is discarded, not left to become history."""
    history, password = start_pair(
        pb, start_daemon, password_env={"POSTERN_PASSWORD_HASH_THREADS": "1", "POSTERN_PASSWORD_HASH_QUEUE": "1"},
        retention=20)
    secrets = [f"Record-path burst {n}" for n in range(8)]
    with WireClient(password.socket, pb, timeout=60) as client:
        for n, secret in enumerate(secrets):
            request = pb.passwords.SetPasswordRequest(user_id="u1", password=secret)
            client.send(n + 1, P + "Passwords/Set", request.SerializeToString())
        codes = {}
        for _ in secrets:
            answer = client.read()
            assert answer is not None, "a set was never answered"
            codes[secrets[answer.call_id - 1]] = answer.status_code
    assert set(codes.values()) <= {OK, RESOURCE_EXHAUSTED}, codes
    stored = [secret for secret, code in codes.items() if code == OK]
    refused = [secret for secret, code in codes.items() if code == RESOURCE_EXHAUSTED]
    assert stored and refused, codes
    wait_for(lambda: stats(pb, history).pending == 0, "no pending entry left")
    assert stats(pb, history).entries == len(stored)
    assert all(reused(pb, history, secret, 20) for secret in stored)
    assert not any(reused(pb, history, secret, 20) for secret in refused)
    assert owed(password) == 0


def test_password_daemon_killed_after_the_record_leaves_no_entry(pb, start_daemon):
    history, password = start_pair(
        pb, start_daemon, password_env={"POSTERN_PASSWORD_DIAGNOSTICS_PAUSE_AFTER_HISTORY_RECORD": "60s"},
        history_env={"POSTERN_HISTORY_HISTORY_PENDING_EXPIRY": "3s"})
    client = WireClient(password.socket, pb)
    client.send(1, P + "Passwords/Set", pb.passwords.SetPasswordRequest(user_id="u1", password=EARLY).SerializeToString())
    wait_for(lambda: "step=history_recorded" in password.log, "the pause after the record")
    password.kill()
    client.close()
    assert stats(pb, history).pending == 1 and not reused(pb, history, EARLY), "pending entries are not history"
    password = restart(start_daemon, password, env={
        "POSTERN_PASSWORD_HISTORY_SOCKET": history.socket, "POSTERN_PASSWORD_HISTORY_TIMEOUT": "1s"})
    assert not signs_in(pb, password, EARLY), "the password was never set"
    wait_for(lambda: stats(pb, history).pending == 0, "the unconfirmed entry to expire")
    assert not reused(pb, history, EARLY) and stats(pb, history).entries == 0


def test_password_daemon_killed_after_the_commit_confirms_when_it_is_back(pb, start_daemon):
    history, password = start_pair(
        pb, start_daemon, password_env={"POSTERN_PASSWORD_DIAGNOSTICS_PAUSE_AFTER_PASSWORD_COMMIT": "60s"})
    client = WireClient(password.socket, pb)
    client.send(1, P + "Passwords/Set", pb.passwords.SetPasswordRequest(user_id="u1", password=LATE).SerializeToString())
    wait_for(lambda: "step=password_committed" in password.log, "the pause after the commit")
    password.kill()
    client.close()
    assert owed(password) == 1 and not reused(pb, history, LATE), "stored, not yet confirmed"
    password = restart(start_daemon, password, env={
        "POSTERN_PASSWORD_HISTORY_SOCKET": history.socket, "POSTERN_PASSWORD_HISTORY_TIMEOUT": "1s",
        "POSTERN_PASSWORD_HISTORY_RETRY_INTERVAL": "200ms"})
    assert signs_in(pb, password, LATE), "the password was set"
    wait_for(lambda: reused(pb, history, LATE), "the retried confirm")
    assert owed(password) == 0 and stats(pb, history).pending == 0


def test_history_killed_after_the_commit_is_confirmed_when_it_is_back(pb, start_daemon):
    history, password = start_pair(
        pb, start_daemon, password_env={"POSTERN_PASSWORD_DIAGNOSTICS_PAUSE_AFTER_PASSWORD_COMMIT": "2s"})
    with WireClient(password.socket, pb) as client:
        client.send(1, P + "Passwords/Set", pb.passwords.SetPasswordRequest(user_id="u1", password=LOST).SerializeToString())
        wait_for(lambda: "step=password_committed" in password.log, "the pause after the commit")
        history.kill()
        answer = client.read()
    assert answer.status_code == OK, "the password is set; its confirm waits"
    assert signs_in(pb, password, LOST) and owed(password) == 1
    history = restart(start_daemon, history)
    wait_for(lambda: reused(pb, history, LOST), "the retried confirm")
    wait_for(lambda: owed(password) == 0, "the confirmation row to go")
    assert "history_confirm_deferred" in password.log


def test_deleting_a_user_forgets_their_history_and_needs_it_reachable(pb, start_daemon):
    history, password = start_pair(pb, start_daemon)
    assert set_password(pb, password, FIRST).status_code == OK and reused(pb, history, FIRST)
    history.process.terminate()
    history.process.wait(timeout=20)
    with WireClient(password.socket, pb) as client:
        answer = call(client, P + "Users/Delete", pb.users.DeleteUserRequest(id="u1"))
        assert answer.status_code == UNAVAILABLE and "not deleted" in answer.status_message
    assert signs_in(pb, password, FIRST), "the user is still there"
    history = restart(start_daemon, history)
    with WireClient(password.socket, pb) as client:
        call(client, P + "Users/Delete", pb.users.DeleteUserRequest(id="u1"), pb.users.DeleteUserResponse)
    with WireClient(history.socket, pb) as client:
        answer = call(client, H + "Check", pb.history.CheckRequest(user_id="u1", password=FIRST, count=5),
                      pb.history.CheckResponse)
    assert (answer.reused, answer.compared) == (False, 0), "the deleted user's history is gone"


def test_authentik_sequence_a_b_c_with_n_1_under_postern_semantics(pb, start_daemon):
    """authentik's A → B → C scenario, adapted: authentik records only the replaced
    hash, so with N=1 it compares C with A (C=A fails, C=B passes). Postern's history holds
    the current password too (docs/history.md): with N=1, C=B fails and C=A passes."""
    history, password = start_pair(pb, start_daemon, retention=1)
    assert set_password(pb, password, FIRST).status_code == OK  # A, set at creation: recorded
    assert reused(pb, history, FIRST, 1), "A is the current password"
    assert not reused(pb, history, SECOND, 1)  # changing to B passes
    with WireClient(password.socket, pb) as client:
        call(client, P + "Passwords/Change", pb.passwords.ChangePasswordRequest(
            user_id="u1", current_password=FIRST, new_password=SECOND), pb.passwords.ChangePasswordResponse)
    assert reused(pb, history, SECOND, 1), "C = B (the current one) is refused"
    assert not reused(pb, history, FIRST, 1), "C = A passes: with N=1 only the current password counts"
    assert stats(pb, history).entries == 1, "retention 1 keeps [B]"


def test_sigterm_stops_the_confirmation_retry_with_the_daemon(pb, start_daemon):
    """The retry loop is part of the daemon's graceful stop (docs/history.md): SIGTERM while it
    waits out an hour-long retry interval ends the daemon with status 0 at once — it does not
    wait for the interval, and it is not cut off mid-step by the process exiting."""
    history, password = start_pair(pb, start_daemon, password_env={"POSTERN_PASSWORD_HISTORY_RETRY_INTERVAL": "1h"})
    assert set_password(pb, password, FIRST).status_code == OK
    password.process.terminate()
    assert password.process.wait(timeout=10) == 0, password.log


def pending_ids(password):
    db = sqlite3.connect(password.state_directory / "password.sqlite3")
    try:
        return [row[0] for row in db.execute("SELECT pending_id FROM history_confirmation")]
    finally:
        db.close()


def test_a_confirm_that_got_through_before_a_kill_is_not_reported_lost(pb, start_daemon):
    """Issue 28, finding 9: postern-password killed after postern-history confirmed an entry but
    before it deleted its own row confirms it again when it is back. That repeated Confirm is
    answered confirmed — the entry is in the history, once — and no `history_confirm_lost` is
    logged; a pending entry that truly expired still is."""
    history, password = start_pair(
        pb, start_daemon, password_env={"POSTERN_PASSWORD_DIAGNOSTICS_PAUSE_AFTER_PASSWORD_COMMIT": "60s"})
    client = WireClient(password.socket, pb)
    client.send(1, P + "Passwords/Set", pb.passwords.SetPasswordRequest(user_id="u1", password=LATE).SerializeToString())
    wait_for(lambda: "step=password_committed" in password.log, "the pause after the commit")
    [pending] = pending_ids(password)
    # The Confirm the paused daemon was about to send, got through; then it is killed before
    # deleting its row.
    with WireClient(history.socket, pb) as peer:
        assert call(peer, H + "Confirm", pb.history.ConfirmRequest(pending_id=pending), pb.history.ConfirmResponse).confirmed
    password.kill()
    client.close()
    entries = stats(pb, history).entries
    password = restart(start_daemon, password, env={
        "POSTERN_PASSWORD_HISTORY_SOCKET": history.socket, "POSTERN_PASSWORD_HISTORY_TIMEOUT": "1s",
        "POSTERN_PASSWORD_HISTORY_RETRY_INTERVAL": "200ms"})
    wait_for(lambda: owed(password) == 0, "the repeated confirm")
    assert "history_confirm_lost" not in password.log
    assert stats(pb, history).entries == entries, "confirmed once, not twice"
    assert "history_confirm_repeated" in history.log
    with WireClient(history.socket, pb) as peer:
        unknown = call(peer, H + "Confirm", pb.history.ConfirmRequest(pending_id="0" * 32), pb.history.ConfirmResponse)
        assert not unknown.confirmed, "an id never recorded (or expired) is still not confirmed"
