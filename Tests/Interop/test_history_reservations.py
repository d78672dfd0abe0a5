"""Reservations (docs/history.md "Reservations"): a password change is checked, then set, and
postern-history hashes it once. Over the real sockets: Check's reservation, Record with it (no
second hash: `reservation_used`), single use, never valid for another password or user, expiry,
and postern-password passing one on from Passwords/Set and Change."""
import re
import time

from wire_client import WireClient, call

OK, INVALID_ARGUMENT = 0, 3
P = "/postern.password.v1."
H = "/postern.history.v1.History/"


def history_daemon(pb, start_daemon, retention=5, env=None):
    history = start_daemon("history", env=env)
    if retention:
        with WireClient(history.socket, pb) as client:
            call(client, H + "SetRetention", pb.history.SetRetentionRequest(count=retention), pb.history.SetRetentionResponse)
    return history


def check(pb, history, user, secret, reserve=True, count=5):
    with WireClient(history.socket, pb) as client:
        return call(client, H + "Check", pb.history.CheckRequest(user_id=user, password=secret, count=count, reserve=reserve),
                    pb.history.CheckResponse)


def record(pb, history, user, secret, reservation, pending=False):
    with WireClient(history.socket, pb) as client:
        return call(client, H + "Record", pb.history.RecordRequest(
            user_id=user, password=secret, reservation=reservation, pending=pending), pb.history.RecordResponse)


def test_a_reservation_records_its_password_without_a_second_hash_once(pb, start_daemon):
    history = history_daemon(pb, start_daemon)
    answer = check(pb, history, "u1", "Reserved password 1")
    assert not answer.reused and re.fullmatch(r"[0-9a-f]{32}", answer.reservation)
    recorded = record(pb, history, "u1", "Reserved password 1", answer.reservation)
    assert recorded.recorded and recorded.reservation_used
    assert check(pb, history, "u1", "Reserved password 1", reserve=False).reused, "the stored digest is the password's"
    assert "reservation_used=true" in history.log

    again = record(pb, history, "u1", "Reserved password 1", answer.reservation)
    assert again.recorded and not again.reservation_used, "single use: the second record hashes"
    assert "reason=unknown_or_used" in history.log

    # A reused password is not about to be set: no reservation; nor without `reserve`.
    assert check(pb, history, "u1", "Reserved password 1").reservation == ""
    assert check(pb, history, "u1", "Not asked for", reserve=False).reservation == ""


def test_a_reservation_never_records_another_password_or_user(pb, start_daemon):
    history = history_daemon(pb, start_daemon)
    token = check(pb, history, "u1", "Checked password A").reservation
    other = record(pb, history, "u1", "Another password B", token)
    assert other.recorded and not other.reservation_used
    assert check(pb, history, "u1", "Another password B", reserve=False).reused, "B was hashed and recorded"
    assert not check(pb, history, "u1", "Checked password A", reserve=False).reused, "A was never recorded"
    assert not record(pb, history, "u1", "Checked password A", token).reservation_used, "the miss used it up"

    token = check(pb, history, "u1", "Checked password C").reservation
    assert not record(pb, history, "u2", "Checked password C", token).reservation_used
    assert check(pb, history, "u2", "Checked password C", reserve=False).reused, "u2's entry made under u2's salt"
    assert not check(pb, history, "u1", "Checked password C", reserve=False).reused
    log = history.log
    assert "reason=other_password" in log and "reason=other_user" in log
    for secret in ("Checked password A", "Another password B", "Checked password C"):
        assert secret not in log


def test_reservations_expire_and_history_off_gives_none(pb, start_daemon):
    history = history_daemon(pb, start_daemon, env={"POSTERN_HISTORY_HISTORY_RESERVATION_EXPIRY": "1s"})
    token = check(pb, history, "u1", "Soon expired 1").reservation
    time.sleep(1.2)
    late = record(pb, history, "u1", "Soon expired 1", token)
    assert late.recorded and not late.reservation_used and "reason=expired" in history.log

    with WireClient(history.socket, pb) as client:
        call(client, H + "SetRetention", pb.history.SetRetentionRequest(count=0), pb.history.SetRetentionResponse)
    assert check(pb, history, "u1", "History is off").reservation == ""


def test_a_malformed_reservation_is_refused_before_anything_is_stored(pb, start_daemon):
    history = history_daemon(pb, start_daemon)
    with WireClient(history.socket, pb) as client:
        for bad in ("xyz", "A" * 32, "0" * 31, "0" * 32 + "\n"):
            answer = call(client, H + "Record", pb.history.RecordRequest(
                user_id="u1", password="Refused record", reservation=bad))
            assert answer.status_code == INVALID_ARGUMENT and "reservation" in answer.status_message, (bad, answer)
        stats = call(client, H + "Stats", pb.history.StatsRequest(), pb.history.StatsResponse)
        assert stats.entries == 0 and stats.pending == 0

    password = start_daemon("password", env={"POSTERN_PASSWORD_HISTORY_SOCKET": history.socket})
    with WireClient(password.socket, pb) as client:
        call(client, P + "Users/Create", pb.users.CreateUserRequest(id="u1", username="alice"), pb.users.User)
        answer = call(client, P + "Passwords/Set", pb.passwords.SetPasswordRequest(
            user_id="u1", password="Refused set 1", history_reservation="not-a-token"))
        assert answer.status_code == INVALID_ARGUMENT and "history_reservation" in answer.status_message


def test_postern_password_passes_the_reservation_on(pb, start_daemon):
    history = history_daemon(pb, start_daemon)
    password = start_daemon("password", env={"POSTERN_PASSWORD_HISTORY_SOCKET": history.socket})
    with WireClient(password.socket, pb) as client:
        call(client, P + "Users/Create", pb.users.CreateUserRequest(id="u1", username="alice"), pb.users.User)
        token = check(pb, history, "u1", "Set with reservation 1").reservation
        call(client, P + "Passwords/Set", pb.passwords.SetPasswordRequest(
            user_id="u1", password="Set with reservation 1", history_reservation=token), pb.passwords.SetPasswordResponse)
        token = check(pb, history, "u1", "Changed with reservation 2").reservation
        call(client, P + "Passwords/Change", pb.passwords.ChangePasswordRequest(
            user_id="u1", current_password="Set with reservation 1", new_password="Changed with reservation 2",
            history_reservation=token), pb.passwords.ChangePasswordResponse)
        # A reservation for another password: the set still records the password it sets.
        token = check(pb, history, "u1", "Checked but not set 3").reservation
        call(client, P + "Passwords/Set", pb.passwords.SetPasswordRequest(
            user_id="u1", password="Actually set 4", history_reservation=token), pb.passwords.SetPasswordResponse)
    deadline = time.monotonic() + 10
    while history.log.count("history_recorded") < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    log = history.log
    pending = [line for line in log.splitlines() if "history_pending" in line]
    assert [("reservation_used=true" in line) for line in pending] == [True, True, False], pending
    for secret in ("Set with reservation 1", "Changed with reservation 2", "Actually set 4"):
        assert check(pb, history, "u1", secret, reserve=False).reused
    assert not check(pb, history, "u1", "Checked but not set 3", reserve=False).reused
