"""Issue 28, findings 2 and 3: a daemon under systemd's default open-file limit, and connections
a local user holds to starve the IdP. Every daemon here is a real process on a real socket."""
import json
import os
import resource
import struct
import subprocess
import sys
import time

import pytest

from wire_client import WireClient, assert_serving, call, call_as, sleep_payload

OK, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, UNAVAILABLE = 0, 4, 8, 14
CHECK = "/postern.health.v1.Health/Check"
AUTH = "/postern.password.v1.Authentication/Authenticate"
PASSWORD = "Corr3ct horse ✓"


@pytest.fixture
def many_descriptors():
    """This test process may hold a few thousand sockets; restored afterwards."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 8192
    if hard < wanted and os.geteuid() != 0:
        pytest.skip(f"the hard open-file limit is {hard}; raising it needs root")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(wanted, soft), max(wanted, hard)))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, max(wanted, hard)))


def health_on(client):
    """One Health call on `client`: its status, None if the daemon closed the connection."""
    client.send(1, CHECK)
    answer = client.read()
    return None if answer is None else answer.status_code


def provision_login(pb, client):
    s, u, p = pb.stages, pb.users, pb.passwords
    assert call(client, "/postern.password.v1.Stages/Create", s.CreateStageRequest(stage=s.PasswordStage(
        name="login", backends=[s.BACKEND_INTERNAL]))).status_code == OK
    assert call(client, "/postern.password.v1.Users/Create", u.CreateUserRequest(id="u1", username="alice")).status_code == OK
    assert call(client, "/postern.password.v1.Passwords/Set", p.SetPasswordRequest(user_id="u1", password=PASSWORD)).status_code == OK


def login_works(pb, path):
    with WireClient(path, pb, timeout=20) as client:
        answer = call(client, AUTH, pb.auth.AuthenticateRequest(
            stage="login", flow_session="s1", secret=PASSWORD, username="alice"))
        assert answer.status_code == OK, answer.status_message
        response = pb.auth.AuthenticateResponse()
        response.ParseFromString(answer.payload)
        assert response.outcome == pb.auth.AuthenticateResponse.AUTHENTICATED, response


def test_1100_connections_under_a_1024_soft_limit_and_the_store_still_opens(pb, start_daemon, many_descriptors):
    """systemd's default soft limit is 1024: the daemon raises it to the hard limit at start, so
    1,100 open connections leave room for a new one and for the store's files."""
    daemon = start_daemon("password", open_files=(1024, 4096), env={"POSTERN_PASSWORD_LIMITS_CONNECTIONS": "1200"})
    with WireClient(daemon.socket, pb) as client:
        provision_login(pb, client)
    held = []
    try:
        for _ in range(1100):  # each admitted and served before the next
            held.append(WireClient(daemon.socket, pb))
            assert health_on(held[-1]) == OK, f"connection {len(held)}"
        fresh = WireClient(daemon.socket, pb)
        held.append(fresh)
        assert health_on(fresh) == OK
        login_works(pb, daemon.socket)
    finally:
        for client in held:
            client.close()
    assert "descriptor limit" in daemon.log and "soft=4096" in daemon.log and "was=1024" in daemon.log


def test_a_hard_limit_too_low_for_the_connections_lowers_them_with_a_warning_and_never_hangs(pb, start_daemon, many_descriptors):
    """When even the hard limit cannot hold limits.connections plus the store, the connection limit
    is lowered (and the log says so): one connection more is answered RESOURCE_EXHAUSTED at once,
    it does not hang in the backlog while the daemon spins on EMFILE."""
    daemon = start_daemon("password", open_files=(1024, 1024))
    with WireClient(daemon.socket, pb) as client:
        provision_login(pb, client)
    assert "limits.connections lowered to fit the open-file limit" in daemon.log
    assert "configured=1024" in daemon.log and "serving=896" in daemon.log
    time.sleep(0.2)  # the provisioning connection is counted out
    held = []
    try:
        for _ in range(896):
            held.append(WireClient(daemon.socket, pb))
            assert health_on(held[-1]) == OK, f"connection {len(held)}"
        extra = WireClient(daemon.socket, pb)
        held.append(extra)
        started = time.monotonic()
        refused = extra.read()
        assert (refused.call_id, refused.status_code) == (0, RESOURCE_EXHAUSTED), refused
        assert time.monotonic() - started < 2
        for client in held[:10]:
            client.close()
        del held[:10]
        time.sleep(0.3)
        login_works(pb, daemon.socket)
    finally:
        for client in held:
            client.close()
    assert_serving(daemon.socket, pb)


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def hold(uid, path, count, partial, announced):
    """hold_connections.py running as `uid`: the process and its first report."""
    script = os.path.join(os.path.dirname(__file__), "hold_connections.py")
    holder = subprocess.Popen(
        ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", sys.executable, script, path, str(count),
         str(partial), str(announced)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        env={"PYTHONPATH": os.path.dirname(__file__), "PATH": os.environ["PATH"]})
    line = holder.stdout.readline()
    assert line, "hold_connections.py reported nothing"
    return holder, json.loads(line)


def report(holder):
    holder.stdin.write("check\n")
    holder.stdin.flush()
    return json.loads(holder.stdout.readline())


def stop(holder):
    holder.stdin.close()
    holder.wait(timeout=20)


@pytest.mark.skipif(os.geteuid() != 0, reason="calls as other uids need root (setpriv)")
def test_1024_connections_of_an_ungranted_user_leave_the_idp_in_with_bounded_memory(pb, start_daemon, many_descriptors):
    """Finding 3: uid 4242 may only call Health. It opens 1,024 connections, each holding most of a
    frame: it gets 16 of them (limits.ungranted_connections) with at most 64 KiB each, the rest are
    refused RESOURCE_EXHAUSTED at once and logged a few lines a second, not one each. The IdP's uid
    (4243, granted verify) still connects and logs in, and the daemon's memory grows by less
    than 32 MiB."""
    daemon = start_daemon("password", env={"POSTERN_PASSWORD_ACCESS_VERIFY_USERS": "4243"})
    with WireClient(daemon.socket, pb) as client:
        provision_login(pb, client)
    os.chmod(os.path.dirname(daemon.socket), 0o755)
    os.chmod(daemon.socket, 0o666)
    before = rss_kib(daemon.process.pid)
    holder, first = hold(4242, daemon.socket, 1024, 60 * 1024, 64 * 1024)
    try:
        assert first["admitted"] == 16, first
        assert first["refused"] == {str(RESOURCE_EXHAUSTED): 1024 - 16}, first
        payload = pb.auth.AuthenticateRequest(
            stage="login", flow_session="idp-1", secret=PASSWORD, username="alice").SerializeToString()
        assert call_as(4243, 4243, daemon.socket, AUTH, payload)[0] == OK
        grown = rss_kib(daemon.process.pid) - before
        assert grown < 32 * 1024, f"RSS grew by {grown} KiB"
    finally:
        stop(holder)
    refusals = daemon.log.count("refusing connection")
    assert 1 <= refusals <= 10, f"{refusals} lines for 1,008 refused connections"
    assert "suppressed=" in daemon.log


@pytest.mark.skipif(os.geteuid() != 0, reason="calls as other uids need root (setpriv)")
def test_one_granted_user_cannot_take_every_connection(pb, start_daemon, many_descriptors):
    """limits.connections_per_user: a granted uid holding its share leaves the rest to others."""
    daemon = start_daemon("password", env={
        "POSTERN_PASSWORD_ACCESS_VERIFY_USERS": "4242,4243", "POSTERN_PASSWORD_LIMITS_CONNECTIONS_PER_USER": "20"})
    with WireClient(daemon.socket, pb) as client:
        provision_login(pb, client)
    os.chmod(daemon.socket, 0o666)
    holder, first = hold(4242, daemon.socket, 50, 10, 100)
    try:
        assert first["admitted"] == 20 and first["refused"] == {str(RESOURCE_EXHAUSTED): 30}, first
        payload = pb.auth.AuthenticateRequest(
            stage="login", flow_session="idp-2", secret=PASSWORD, username="alice").SerializeToString()
        assert call_as(4243, 4243, daemon.socket, AUTH, payload)[0] == OK
    finally:
        stop(holder)


def test_an_unfinished_frame_and_an_idle_connection_are_closed_in_time(pb, start_daemon):
    """limits.frame_timeout: a frame whose body stops arriving is answered DEADLINE_EXCEEDED and
    closed; limits.idle_timeout: a connection that sends nothing is answered UNAVAILABLE and
    closed — but not one waiting for a slow call's answer."""
    daemon = start_daemon("password", env={
        "POSTERN_PASSWORD_LIMITS_FRAME_TIMEOUT": "500ms", "POSTERN_PASSWORD_LIMITS_IDLE_TIMEOUT": "2s"})
    stalled, idle, waiting = (WireClient(daemon.socket, pb) for _ in range(3))
    try:
        stalled.send_raw(struct.pack(">I", 1000) + b"\0" * 10)
        started = time.monotonic()
        answer = stalled.read()
        assert (answer.call_id, answer.status_code) == (0, DEADLINE_EXCEEDED), answer
        assert "did not arrive whole within 500 ms" in answer.status_message
        assert 0.4 < time.monotonic() - started < 2.0
        assert stalled.at_eof()
        waiting.send(7, "/postern.diagnostics.v1.Diagnostics/Sleep", sleep_payload(pb, 3000))
        answer = idle.read()
        assert (answer.call_id, answer.status_code) == (0, UNAVAILABLE), answer
        assert 1.5 < time.monotonic() - started < 4.0
        answer = waiting.read()
        assert (answer.call_id, answer.status_code) == (7, OK), "a call in flight is not idleness"
        assert health_on(waiting) == OK
    finally:
        for client in (stalled, idle, waiting):
            client.close()
    assert_serving(daemon.socket, pb)


def test_partial_frames_across_connections_are_held_within_the_budget(pb, start_daemon):
    """limits.buffered_bytes: eight granted connections each holding 900 KiB of a 1 MiB frame get
    no further than the 4 MiB budget; the one past it is answered RESOURCE_EXHAUSTED."""
    daemon = start_daemon("password", env={"POSTERN_PASSWORD_LIMITS_BUFFERED_BYTES": str(4 << 20)})
    held, statuses = [], []
    try:
        for _ in range(8):
            client = WireClient(daemon.socket, pb)
            held.append(client)
            try:
                client.send_raw(struct.pack(">I", 1 << 20) + b"\0" * (900 * 1024))
            except OSError:  # closed by the daemon while sending: its answer is still there to read
                pass
        time.sleep(0.5)
        for client in held:
            client.sock.settimeout(0.3)
            try:
                answer = client.read()
            except TimeoutError:
                answer = None
            statuses.append(None if answer is None else answer.status_code)
        assert statuses.count(RESOURCE_EXHAUSTED) == 4, statuses
        assert statuses.count(None) == 4, statuses
    finally:
        for client in held:
            client.close()
    time.sleep(0.2)
    assert_serving(daemon.socket, pb)


@pytest.mark.skipif(os.geteuid() != 0, reason="calls as other uids need root (setpriv)")
def test_the_reserve_keeps_the_last_connections_for_the_idp(pb, start_daemon, many_descriptors):
    """limits.reserved_connections: a user granted `read` (not `verify`) takes every connection
    it may, up to the reserve; the IdP's uid (granted `verify`) still connects and logs in."""
    daemon = start_daemon("password", env={
        "POSTERN_PASSWORD_ACCESS_READ_USERS": "4242", "POSTERN_PASSWORD_ACCESS_VERIFY_USERS": "4243",
        "POSTERN_PASSWORD_LIMITS_CONNECTIONS": "40", "POSTERN_PASSWORD_LIMITS_RESERVED_CONNECTIONS": "10"})
    with WireClient(daemon.socket, pb) as client:
        provision_login(pb, client)
    os.chmod(daemon.socket, 0o666)
    time.sleep(0.2)  # the provisioning connection is counted out
    holder, first = hold(4242, daemon.socket, 40, 10, 100)
    try:
        assert first["admitted"] == 30 and first["refused"] == {str(RESOURCE_EXHAUSTED): 10}, first
        payload = pb.auth.AuthenticateRequest(
            stage="login", flow_session="idp-3", secret=PASSWORD, username="alice").SerializeToString()
        assert call_as(4243, 4243, daemon.socket, AUTH, payload)[0] == OK
    finally:
        stop(holder)
    assert "kept for callers that log users in" in daemon.log


def test_a_reserve_as_large_as_the_connections_keeps_the_daemon_from_starting(start_daemon):
    with pytest.raises(RuntimeError, match=r"limits.reserved_connections \(8\) must be less than the connections served \(8\)"):
        start_daemon("policy", env={"POSTERN_POLICY_LIMITS_CONNECTIONS": "8", "POSTERN_POLICY_LIMITS_RESERVED_CONNECTIONS": "8"})
