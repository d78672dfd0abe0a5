"""200 concurrent LDAP logins against a real slapd: every one answered, the source's
connections to the directory never more than its pool, the daemon's memory bounded; past the
queue, RESOURCE_EXHAUSTED at once instead of a longer wait."""
import socket
import threading
import time

import pytest

from ldap_api import AUTH, get_source, source, stage, user
from test_fuzz import rss_kib
from wire_client import WireClient, call

AUTHENTICATED = 1
RESOURCE_EXHAUSTED = 8


def connections_to(port):
    """ESTABLISHED TCP connections whose remote end is 127.0.0.1:port (postern-password's side)."""
    count = 0
    with open("/proc/net/tcp") as table:
        for line in table.readlines()[1:]:
            fields = line.split()
            remote, state = fields[2], fields[3]
            if state == "01" and int(remote.split(":")[1], 16) == port:
                count += 1
    return count


def logins(pb, path, requests):
    """Sends every request on its own connection at once; the answers' (status, outcome)."""
    answers = [None] * len(requests)
    start = threading.Barrier(len(requests))

    def one(index):
        with WireClient(path, pb) as client:
            start.wait()
            answer = call(client, AUTH, requests[index])
            outcome = None
            if answer.status_code == 0:
                response = pb.auth.AuthenticateResponse()
                response.ParseFromString(answer.payload)
                outcome = response.outcome
            answers[index] = (answer.status_code, outcome)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def test_200_concurrent_logins_stay_within_the_pool_and_memory(pb, start_daemon, new_slapd):
    server = new_slapd()
    port = int(server.ldap_uri.rsplit(":", 1)[1])
    names = [f"load{i}" for i in range(200)]
    dns = [server.add_person(name, f"pw {name}") for name in names[:20]]
    daemon = start_daemon("password")
    pool = 4
    with WireClient(daemon.socket, pb) as client:
        source(pb, client, uris=[server.ldap_uri], pool_size=pool, queue_limit=200)
        stage(pb, client, [pb.stages.BACKEND_LDAP])
        for i, name in enumerate(names[:20]):
            user(pb, client, name, ldap_dn=dns[i])
    requests = [pb.auth.AuthenticateRequest(stage="login", flow_session=f"f{i}", username=names[i % 20],
                                            secret=f"pw {names[i % 20]}") for i in range(200)]
    logins(pb, daemon.socket, requests[:8])  # warm-up: the pool's connections exist
    before = rss_kib(daemon.process.pid)
    peak = [0]
    done = threading.Event()

    def watch():
        while not done.is_set():
            peak[0] = max(peak[0], connections_to(port))
            time.sleep(0.002)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        answers = logins(pb, daemon.socket, requests)
    finally:
        done.set()
        watcher.join()
    assert answers.count((0, AUTHENTICATED)) == 200, answers
    assert 1 <= peak[0] <= pool, f"{peak[0]} connections to slapd at most, with a pool of {pool}"
    grown = rss_kib(daemon.process.pid) - before
    assert grown < 64 * 1024, f"the daemon grew {grown} KiB for 200 logins"
    with WireClient(daemon.socket, pb) as client:
        counters = get_source(pb, client).counters
        assert counters.accepted == 208 and counters.queue_full == 0 and counters.idle_connections <= pool


def test_past_the_queue_logins_are_refused_at_once(pb, start_daemon, new_slapd):
    server = new_slapd()
    dn = server.add_person("queued", "pw queued")
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as client:
        source(pb, client, uris=[server.ldap_uri], pool_size=1, queue_limit=2, timeout_ms=3000)
        stage(pb, client, [pb.stages.BACKEND_LDAP])
        user(pb, client, "queued", ldap_dn=dn)
    server.pause()  # the one connection waits for an answer; two may queue behind it
    try:
        requests = [pb.auth.AuthenticateRequest(stage="login", flow_session=f"q{i}", username="queued",
                                                secret="pw queued") for i in range(12)]
        started = time.monotonic()
        answers = logins(pb, daemon.socket, requests)
        elapsed = time.monotonic() - started
    finally:
        server.resume()
    refused = [a for a in answers if a[0] == RESOURCE_EXHAUSTED]
    assert len(refused) >= 12 - 3, answers
    assert elapsed < 3 * 3 + 2, f"{elapsed:.1f} s"
    with WireClient(daemon.socket, pb) as client:
        assert get_source(pb, client).counters.queue_full == len(refused)
