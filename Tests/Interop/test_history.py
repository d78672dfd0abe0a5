"""postern-history's RPCs through the independent Python client: record and check within N,
the current password counting as history, retention trim and purge, ForgetUser, Stats, bad
input refused before any hashing, and who may call what."""
import os
import sqlite3
import time

import pytest

from wire_client import WireClient, call_as
from wire_client import call as wire_call
from secret_files import write_secret

OK, INVALID_ARGUMENT, PERMISSION_DENIED = 0, 3, 7
H = "/postern.history.v1.History/"


def call(client, method, message, answer_type=None):
    return wire_call(client, H + method, message, answer_type)


def check(pb, client, user, password, count):
    answer = call(client, "Check", pb.history.CheckRequest(user_id=user, password=password, count=count),
                  pb.history.CheckResponse)
    return answer.reused, answer.compared


def record(pb, client, user, password):
    return call(client, "Record", pb.history.RecordRequest(user_id=user, password=password), pb.history.RecordResponse)


def set_retention(pb, client, count):
    return call(client, "SetRetention", pb.history.SetRetentionRequest(count=count), pb.history.SetRetentionResponse)


def test_a_password_is_reused_within_n_and_free_again_after_n_newer_ones(pb, start_daemon):
    daemon = start_daemon("history")
    h = pb.history
    with WireClient(daemon.socket, pb) as client:
        assert not record(pb, client, "u1", "History-test one").recorded, "history is off until a retention is set"
        assert set_retention(pb, client, 3).previous == 0
        for password in ["History-test one", "History-test two", "History-test three"]:
            answer = record(pb, client, "u1", password)
            assert answer.recorded and answer.retention == 3
        assert check(pb, client, "u1", "History-test one", 3) == (True, 3)
        assert check(pb, client, "u1", "History-test one", 2) == (False, 2), "older than the last 2"
        # The current password is history too: with N=1 it cannot be set again.
        assert check(pb, client, "u1", "History-test three", 1) == (True, 1)
        assert check(pb, client, "u1", "History-test never", 3) == (False, 3)
        assert check(pb, client, "nobody", "History-test one", 3) == (False, 0)
        record(pb, client, "u1", "History-test four")
        assert check(pb, client, "u1", "History-test one", 24) == (False, 3), "trimmed to the retention"
        assert check(pb, client, "u1", "History-test two", 24) == (True, 3)

        record(pb, client, "u2", "History-test four")
        stats = call(client, "Stats", h.StatsRequest(), h.StatsResponse)
        assert (stats.retention, stats.users, stats.entries, stats.entries_other_pepper) == (3, 2, 4, 0)
        assert [(s.parameters, s.entries) for s in stats.parameter_sets] == [("argon2id$m=19456,t=2,p=1", 4)]
        assert stats.database_bytes > 0

        db = sqlite3.connect(daemon.state_directory / "history.sqlite3")
        digests = [row[0] for row in db.execute("SELECT digest FROM entry")]
        assert len(digests) == 4 and len(set(digests)) == 4, "one password gives unrelated digests for two users"
        dump = "\n".join(db.iterdump())
        assert "History-test" not in dump and "History-test".encode().hex() not in dump.lower()

        # Shrinking trims at once; ForgetUser removes a user's entries and salt.
        assert set_retention(pb, client, 2) == h.SetRetentionResponse(previous=3, removed=1)
        # The retention it already is: nothing changes, nothing is logged (postern-policy sets
        # it again every history.retry_interval).
        logged = daemon.log.count("history_retention_set")
        assert set_retention(pb, client, 2) == h.SetRetentionResponse(previous=2, removed=0)
        assert daemon.log.count("history_retention_set") == logged
        assert check(pb, client, "u1", "History-test two", 24) == (False, 2)
        assert call(client, "ForgetUser", h.ForgetUserRequest(user_id="u1"), h.ForgetUserResponse).removed == 2
        assert check(pb, client, "u1", "History-test four", 24) == (False, 0)
        assert db.execute("SELECT count(*) FROM history_user WHERE user_id = 'u1'").fetchone()[0] == 0
        assert check(pb, client, "u2", "History-test four", 1) == (True, 1)

        # Back to 0: history off, everything purged.
        assert set_retention(pb, client, 0) == h.SetRetentionResponse(previous=2, removed=1)
        assert db.execute("SELECT count(*) FROM entry").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM history_user").fetchone()[0] == 0
        assert not record(pb, client, "u2", "History-test five").recorded
    for event in ["history_recorded", "history_checked", "history_retention_set", "history_user_forgotten"]:
        assert event in daemon.log


def test_bad_input_is_refused_before_any_hashing(pb, start_daemon):
    daemon = start_daemon("history")
    h = pb.history
    cases = [
        ("Check", h.CheckRequest(user_id="u1", password="History-test one", count=0), "count must be 1…1000"),
        ("Check", h.CheckRequest(user_id="u1", password="History-test one", count=1001), "count must be 1…1000"),
        ("Check", h.CheckRequest(user_id="u1", password="", count=1), "password is empty"),
        ("Check", h.CheckRequest(user_id="u1", password="x" * 1025, count=1), "longer than 1024 bytes"),
        ("Check", h.CheckRequest(user_id="", password="History-test one", count=1), "user_id is missing"),
        ("Record", h.RecordRequest(user_id="u" * 256, password="History-test one"), "user_id is longer"),
        ("Record", h.RecordRequest(user_id="u1", password="x" * 4096), "longer than 1024 bytes"),
        ("SetRetention", h.SetRetentionRequest(count=1001), "count must be 0…1000"),
        ("ForgetUser", h.ForgetUserRequest(user_id=""), "user_id is missing"),
    ]
    with WireClient(daemon.socket, pb) as client:
        for method, message, text in cases:
            answer = call(client, method, message)
            assert answer.status_code == INVALID_ARGUMENT and text in answer.status_message, (method, answer)
        # Invalid UTF-8 in a string field never decodes.
        client.send(1, H + "Check", b"\x0a\x02u1\x12\x02\xff\xfe\x18\x01")
        answer = client.read()
        assert answer.status_code == INVALID_ARGUMENT and "UTF-8" in answer.status_message
        assert set_retention(pb, client, 1).previous == 0, "the daemon still answers"
    assert "x" * 64 not in daemon.log


@pytest.mark.skipif(os.getuid() != 0, reason="needs root to call as other uids")
def test_record_only_from_peer_check_from_peer_and_admin(pb, start_daemon):
    daemon = start_daemon("history", env={
        "POSTERN_HISTORY_SOCKET_MODE": "0666",
        "POSTERN_HISTORY_ACCESS_PEER_USERS": "4242",
        "POSTERN_HISTORY_ACCESS_ADMIN_USERS": "4243",
        "POSTERN_HISTORY_ACCESS_READ_USERS": "4244",
    })
    h = pb.history
    payloads = {
        "Check": h.CheckRequest(user_id="u1", password="History-test one", count=1).SerializeToString(),
        "Record": h.RecordRequest(user_id="u1", password="History-test one").SerializeToString(),
        "SetRetention": h.SetRetentionRequest(count=5).SerializeToString(),
        "ForgetUser": h.ForgetUserRequest(user_id="u9").SerializeToString(),
        "Stats": h.StatsRequest().SerializeToString(),
    }
    allowed = {
        4242: {"Check", "Record", "SetRetention", "ForgetUser"},  # postern-password, postern-policy
        4243: {"Check", "SetRetention", "ForgetUser", "Stats"},  # an operator
        4244: {"Stats"},  # monitoring
        4245: set(),
    }
    for uid, methods in allowed.items():
        for method, payload in payloads.items():
            code, message = call_as(uid, 4300, daemon.socket, H + method, payload)
            if method in methods:
                assert code == OK, (uid, method, message)
            else:
                assert code == PERMISSION_DENIED, (uid, method, message)
                assert f"uid {uid}" in message
    # Retention is 5 now (uids 4242 and 4243 set it): the peer's record is stored.
    assert call_as(4242, 4300, daemon.socket, H + "Record", payloads["Record"])[0] == OK
    with WireClient(daemon.socket, pb) as client:
        assert check(pb, client, "u1", "History-test one", 1) == (True, 1), "uid 4242 recorded it"


def test_kill_9_during_records_loses_no_acknowledged_entry_and_a_wrong_pepper_refuses_to_start(pb, start_daemon, tmp_path):
    import pathlib
    import threading

    daemon = start_daemon("history", socket_name="durable.sock")
    with WireClient(daemon.socket, pb) as client:
        set_retention(pb, client, 1000)
    acknowledged, stop = [], threading.Event()

    def keep_recording():
        try:
            with WireClient(daemon.socket, pb) as client:
                for index in range(10_000):
                    if stop.is_set():
                        return
                    secret = f"Durable-test {index}"
                    if record(pb, client, "u1", secret).recorded:
                        acknowledged.append(secret)
        except (AssertionError, OSError):
            return  # the daemon died under it

    writer = threading.Thread(target=keep_recording)
    writer.start()
    deadline = time.monotonic() + 20
    while len(acknowledged) < 5 and time.monotonic() < deadline:
        time.sleep(0.02)
    daemon.kill()
    stop.set()
    writer.join(timeout=20)
    assert len(acknowledged) >= 5

    again = start_daemon("history", socket_name="durable.sock")
    with WireClient(again.socket, pb) as client:
        stats = call(client, "Stats", pb.history.StatsRequest(), pb.history.StatsResponse)
        assert stats.entries >= len(acknowledged)
        for secret in acknowledged:
            assert check(pb, client, "u1", secret, 1000)[0], f"{secret} was acknowledged and is gone"
    again.kill()

    other = tmp_path / "other-pepper"
    write_secret(other)
    with pytest.raises(RuntimeError, match=r"is not the one \d+ stored history entries were written with"):
        start_daemon("history", socket_name="durable.sock", env={"POSTERN_HISTORY_PEPPER_FILE": str(other)})
    assert pathlib.Path(again.state_directory / "history.sqlite3").exists()
