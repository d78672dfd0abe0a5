"""The one store read made on an event loop (an app-password login, docs/server.md) does not
stall the loop's other connections while another process holds the database's write lock, and
a write that must wait for that lock waits in a task, off the loop. The daemon runs one event
loop (`threads = 1`), so every connection shares it."""
import select
import sqlite3
import time

from test_app_passwords import authenticate, call, create, key_env, provision, write_key
from wire_client import CHECK, WireClient

OK, UNAVAILABLE = 0, 14


def test_a_held_write_lock_stalls_neither_logins_nor_other_connections(pb, start_daemon, tmp_path):
    write_key(tmp_path / "key")
    daemon = start_daemon("password", env={**key_env(tmp_path / "key"), "POSTERN_PASSWORD_THREADS": "1"})
    with WireClient(daemon.socket, pb) as admin, WireClient(daemon.socket, pb) as login, \
            WireClient(daemon.socket, pb) as health:
        provision(pb, admin)
        secret = create(pb, admin, username="bob").secret

        holder = sqlite3.connect(daemon.state_directory / "password.sqlite3", isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # the write lock, held until ROLLBACK
        try:
            # A write now waits for the lock: in a task, so the loop keeps answering.
            started = time.monotonic()
            admin.send(7, "/postern.password.v1.Users/Create", pb.users.CreateUserRequest(username="carol").SerializeToString())
            slowest = 0.0
            for session in range(20):
                before = time.monotonic()
                answer = authenticate(pb, login, "programs", "bob", secret, session=f"s{session}")
                health.send(session + 1, CHECK)
                assert health.read().status_code == OK
                slowest = max(slowest, time.monotonic() - before)
                assert answer.outcome == pb.auth.AuthenticateResponse.AUTHENTICATED
            assert slowest < 0.1, f"a login and a Health call took {slowest * 1000:.0f} ms under a held write lock"
            # The lock was really held: the write is still waiting for it (its busy timeout is 5 s).
            assert select.select([admin.sock], [], [], 0)[0] == [], "the write did not wait for the lock"
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        created = admin.read()
        assert created.call_id == 7 and created.status_code in (OK, UNAVAILABLE), created.status_message
        assert time.monotonic() - started < 10
