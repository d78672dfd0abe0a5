"""postern.password.v1.Passwords over the wire: set and change, refusals before hashing, the
stored hash checked by an independent Argon2 implementation (argon2-cffi), durability through
kill -9, and overload answered rather than queued without bound."""
import random
import sqlite3
import time

import argon2
import pytest

from wire_client import WireClient, varint

OK, INVALID_ARGUMENT, NOT_FOUND, RESOURCE_EXHAUSTED, UNAUTHENTICATED = 0, 3, 5, 8, 16
SET, CHANGE = "/postern.password.v1.Passwords/Set", "/postern.password.v1.Passwords/Change"
CREATE = "/postern.password.v1.Users/Create"


def call(client, method, payload, call_id=1):
    client.send(call_id, method, payload if isinstance(payload, bytes) else payload.SerializeToString())
    answer = client.read()
    assert answer is not None and answer.call_id == call_id
    return answer


def stored_hash(daemon, user_id):
    db = sqlite3.connect(daemon.state_directory / "password.sqlite3")
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        row = db.execute("SELECT password_hash FROM user WHERE id = ?", (user_id,)).fetchone()
        return row[0] if row else None
    finally:
        db.close()


def argon2_accepts(encoded, password):
    try:
        return argon2.PasswordHasher().verify(encoded, password)
    except argon2.exceptions.VerificationError:
        return False


def test_set_then_change_with_the_current_password(pb, start_daemon):
    daemon = start_daemon("password")
    p, u = pb.passwords, pb.users
    with WireClient(daemon.socket, pb) as client:
        assert call(client, CREATE, u.CreateUserRequest(id="u1", username="alice")).status_code == OK
        answer = call(client, SET, p.SetPasswordRequest(username="alice", password="först ✓ password"))
        assert answer.status_code == OK, answer.status_message
        encoded = stored_hash(daemon, "u1")
        assert encoded.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
        assert argon2_accepts(encoded, "först ✓ password"), "argon2-cffi verifies what Postern stored"

        wrong = call(client, CHANGE, p.ChangePasswordRequest(user_id="u1", current_password="nope", new_password="x" * 12))
        assert wrong.status_code == UNAUTHENTICATED
        unknown = call(client, CHANGE, p.ChangePasswordRequest(user_id="ghost", current_password="nope", new_password="x" * 12))
        assert (unknown.status_code, unknown.status_message) == (UNAUTHENTICATED, wrong.status_message), "no enumeration"
        assert stored_hash(daemon, "u1") == encoded

        changed = call(client, CHANGE, p.ChangePasswordRequest(
            user_id="u1", current_password="först ✓ password", new_password="second password"))
        assert changed.status_code == OK, changed.status_message
        assert argon2_accepts(stored_hash(daemon, "u1"), "second password")
        assert not argon2_accepts(stored_hash(daemon, "u1"), "först ✓ password")
    assert "först" not in daemon.log and "second password" not in daemon.log


def test_bad_passwords_are_refused_before_hashing(pb, start_daemon):
    daemon = start_daemon("password")
    p, u = pb.passwords, pb.users
    with WireClient(daemon.socket, pb) as client:
        call(client, CREATE, u.CreateUserRequest(id="u1", username="alice"))
        for request, words in [
            (p.SetPasswordRequest(user_id="u1", password=""), "password is empty"),
            (p.SetPasswordRequest(user_id="u1", password="x" * 1025), "longer than 1024 bytes"),
            (p.SetPasswordRequest(password="x"), "exactly one"),
        ]:
            started = time.monotonic()
            answer = call(client, SET, request)
            assert answer.status_code == INVALID_ARGUMENT and words in answer.status_message, answer.status_message
            assert time.monotonic() - started < 1.0
        # An absurd password: 900 KB in one frame.
        answer = call(client, SET, p.SetPasswordRequest(user_id="u1", password="y" * 900_000))
        assert answer.status_code == INVALID_ARGUMENT
        # A password that is not UTF-8 (field 3).
        raw = b"\x0a\x02u1" + b"\x1a" + varint(3) + b"\xc3\x28\xff"
        answer = call(client, SET, raw)
        assert answer.status_code == INVALID_ARGUMENT and "password is not valid UTF-8" in answer.status_message
        assert call(client, SET, p.SetPasswordRequest(user_id="ghost", password="pw")).status_code == NOT_FOUND
    assert stored_hash(daemon, "u1") == ""


def test_an_acknowledged_password_survives_kill_9_and_no_row_is_ever_torn(pb, start_daemon):
    """Each round sends SetPassword, kills the daemon with SIGKILL at a random moment (before,
    during or after the hash), restarts it, and reads the row: it holds the last acknowledged
    password or the one in flight — never neither, never a broken file."""
    p, u = pb.passwords, pb.users
    daemon = start_daemon("password", socket_name="p.sock")
    with WireClient(daemon.socket, pb) as client:
        call(client, CREATE, u.CreateUserRequest(id="u1", username="alice"))
        assert call(client, SET, p.SetPasswordRequest(user_id="u1", password="pw-0")).status_code == OK
    acknowledged = "pw-0"
    for round_number in range(1, 9):
        candidate = f"pw-{round_number}"
        with WireClient(daemon.socket, pb) as client:
            client.send(1, SET, p.SetPasswordRequest(user_id="u1", password=candidate).SerializeToString())
            time.sleep(random.uniform(0, 0.06))
            daemon.kill()
        encoded = stored_hash(daemon, "u1")
        matches = [pw for pw in (acknowledged, candidate) if argon2_accepts(encoded, pw)]
        assert len(matches) == 1, (round_number, encoded)
        acknowledged = matches[0]
        daemon = start_daemon("password", socket_name="p.sock")
    # And one that was answered before the kill is there for certain.
    with WireClient(daemon.socket, pb) as client:
        assert call(client, SET, p.SetPasswordRequest(user_id="u1", password="final")).status_code == OK
    daemon.kill()
    assert argon2_accepts(stored_hash(daemon, "u1"), "final")


def _rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def test_200_concurrent_set_password_calls_are_all_answered_with_bounded_memory(pb, start_daemon):
    daemon = start_daemon("password", env={"POSTERN_PASSWORD_HASH_THREADS": "2", "POSTERN_PASSWORD_HASH_QUEUE": "16"})
    p, u = pb.passwords, pb.users
    with WireClient(daemon.socket, pb) as client:
        call(client, CREATE, u.CreateUserRequest(id="u1", username="alice"))
    clients = [WireClient(daemon.socket, pb, timeout=60) for _ in range(4)]
    try:
        for index in range(200):
            clients[index % 4].send(index + 1, SET, p.SetPasswordRequest(user_id="u1", password=f"pw-{index}").SerializeToString())
        codes = []
        for index in range(200):
            answer = clients[index % 4].read()
            assert answer is not None, "a call was never answered"
            codes.append(answer.status_code)
    finally:
        for client in clients:
            client.close()
    assert set(codes) <= {OK, RESOURCE_EXHAUSTED}, codes
    assert codes.count(OK) >= 18, "at least the threads' and the queue's worth were done"
    assert codes.count(RESOURCE_EXHAUSTED) > 0, "past the queue, calls are refused, not queued"
    # Two Argon2id hashes of 19 MiB at a time, whatever the load.
    assert _rss_kib(daemon.process.pid) < 200 * 1024
    with WireClient(daemon.socket, pb) as client:
        assert call(client, SET, p.SetPasswordRequest(user_id="u1", password="after")).status_code == OK
