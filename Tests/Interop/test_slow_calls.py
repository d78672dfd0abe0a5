"""Slow calls against the real daemons (the diagnostic Sleep method): answers out of order,
and a SIGTERM that lets a running call finish within the grace period, and no longer."""
import socket
import time

import pytest

from wire_client import CHECK, SLEEP, WireClient, sleep_payload

OK = 0


def test_a_fast_call_is_answered_before_a_slow_one_sent_earlier(pb, daemons):
    with WireClient(daemons["policy"], pb) as client:
        client.send(1, SLEEP, sleep_payload(pb, 400))
        client.send(2, CHECK)
        first, second = client.read(), client.read()
    assert (first.call_id, first.status_code) == (2, OK)
    assert (second.call_id, second.status_code) == (1, OK)


def test_sigterm_lets_a_running_call_finish_then_exits_zero(pb, start_daemon):
    daemon = start_daemon("history")
    with WireClient(daemon.socket, pb) as client:
        client.send(1, SLEEP, sleep_payload(pb, 1000))
        time.sleep(0.2)  # the call is running
        daemon.process.terminate()
        time.sleep(0.2)
        # No longer accepting: the socket file is gone.
        with pytest.raises(OSError):
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
                probe.connect(daemon.socket)
        answer = client.read()
        assert answer is not None, "the running call was dropped"
        assert (answer.call_id, answer.status_code) == (1, OK)
        reply = pb.diagnostics.SleepResponse()
        reply.ParseFromString(answer.payload)
        assert reply.milliseconds == 1000
    assert daemon.process.wait(timeout=10) == 0, daemon.log


def test_a_call_longer_than_the_grace_period_is_cut_off_and_the_daemon_exits_zero(pb, start_daemon):
    daemon = start_daemon("password", env={"POSTERN_PASSWORD_SHUTDOWN_GRACE_PERIOD": "300ms"})
    with WireClient(daemon.socket, pb) as client:
        client.send(1, SLEEP, sleep_payload(pb, 30_000))
        time.sleep(0.2)
        started = time.monotonic()
        daemon.process.terminate()
        assert client.read() is None, "a call past the grace period gets no answer; the connection closes"
        assert daemon.process.wait(timeout=10) == 0, daemon.log
        assert time.monotonic() - started < 5
    assert "grace period over" in daemon.log
