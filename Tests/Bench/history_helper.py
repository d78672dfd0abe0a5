"""Helpers for Tests/Bench/history.sh, with the protobuf wire format encoded by hand (no
generated classes): framed requests, recording a user's history through the daemon, filling
the store with synthetic users, and authentik's way of checking history (Django)."""
import os
import socket
import sqlite3
import statistics
import struct
import sys
import time

# The hand-written wire format the interop tests use (no generated classes there either).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Interop"))
from wire_client import read_varint, varint  # noqa: E402


def field(number, data):
    return varint(number << 3 | 2) + varint(len(data)) + data


def framed(method, payload):
    body = b"\x08\x01" + field(2, method.encode()) + field(5, payload)
    return struct.pack(">I", len(body)) + body


def check_request(user, password, count):
    return framed("/postern.history.v1.History/Check",
                  field(1, user.encode()) + field(2, password.encode()) + b"\x18" + varint(count))


def call(path, request):
    """One call; the answer's status and payload."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(60)
        s.connect(path)
        s.sendall(request)
        data = b""
        while len(data) < 4 or len(data) < 4 + struct.unpack(">I", data[:4])[0]:
            chunk = s.recv(65536)
            if not chunk:
                raise SystemExit("history bench: the daemon closed the connection")
            data += chunk
    envelope, i, status, payload = data[4:], 0, 0, b""
    while i < len(envelope):
        key, i = read_varint(envelope, i)
        value, i = read_varint(envelope, i)
        if key & 7 == 0:
            if key >> 3 == 6:
                status = value
        else:
            if key >> 3 == 5:
                payload = envelope[i:i + value]
            i += value
    return status, payload


def main():
    command = sys.argv[1]
    if command == "request":  # request USER PASSWORD COUNT -> hex
        print(check_request(sys.argv[2], sys.argv[3], int(sys.argv[4])).hex())
    elif command == "record":  # record SOCKET USER COUNT: passwords "bench password 0".. recorded
        path, user, count = sys.argv[2], sys.argv[3], int(sys.argv[4])
        for index in range(count):
            status, payload = call(path, framed("/postern.history.v1.History/Record",
                                                field(1, user.encode()) + field(2, f"bench password {index}".encode())))
            if status != 0 or not payload.startswith(b"\x08\x01"):
                raise SystemExit(f"history bench: Record failed (status {status})")
    elif command == "expect":  # expect SOCKET USER PASSWORD COUNT reused|fresh
        path, user, password, count, want = sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6]
        status, payload = call(path, check_request(user, password, count))
        reused = payload.startswith(b"\x08\x01")
        if status != 0 or reused != (want == "reused"):
            raise SystemExit(f"history bench: Check({password!r}, N={count}) answered status {status}, reused={reused}")
    elif command == "fill":  # fill DB FIRST LAST ENTRIES: synthetic users filler-FIRST..LAST
        db_path, first, last, entries = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
        db = sqlite3.connect(db_path, isolation_level=None)
        db.execute("PRAGMA journal_mode = DELETE")  # the daemon is stopped; no WAL for a bulk load
        db.execute("BEGIN")
        kind = db.execute("SELECT kind FROM entry LIMIT 1").fetchone()[0]
        before = db.execute("SELECT coalesce(max(id), 0) FROM history_user").fetchone()[0]
        db.execute("""INSERT INTO history_user (user_id, salt)
                      WITH RECURSIVE n(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM n WHERE i < ?)
                      SELECT 'filler-' || i, randomblob(16) FROM n""", (first, last))
        db.execute("""INSERT INTO entry (user, kind, digest, created_at)
                      WITH RECURSIVE m(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM m WHERE j < ?)
                      SELECT u.id, ?, randomblob(32), 1700000000000 + j FROM history_user u CROSS JOIN m
                      WHERE u.id > ?""", (entries, kind, before))
        db.execute("COMMIT")
        db.execute("PRAGMA journal_mode = WAL")
        db.close()
    elif command == "size":  # size DB -> "bytes entries users"
        db = sqlite3.connect(sys.argv[2])
        pages = db.execute("SELECT page_count - freelist_count FROM pragma_page_count, pragma_freelist_count").fetchone()[0]
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        entries = db.execute("SELECT count(*) FROM entry").fetchone()[0]
        users = db.execute("SELECT count(*) FROM history_user").fetchone()[0]
        print(pages * page_size, entries, users)
    elif command == "django":  # django N CHECKS -> median us of checking a fresh password against N
        n, checks = int(sys.argv[2]), int(sys.argv[3])
        from django.conf import settings
        settings.configure()
        from django.contrib.auth.hashers import check_password, make_password
        # authentik's UserPasswordHistory: one Django-default hash per entry, each its own salt.
        history = [make_password(f"bench password {index}") for index in range(n)]
        samples = []
        for _ in range(checks):
            start = time.perf_counter()
            assert not any(check_password("bench candidate", encoded) for encoded in history)
            samples.append((time.perf_counter() - start) * 1e6)
        print(f"{statistics.median(samples):.1f}")
    else:
        raise SystemExit(f"history bench: unknown command {command}")


if __name__ == "__main__":
    main()
