"""Every bad input docs/wire.md names, against the real daemons: the exact status, and the
daemon still SERVING afterwards."""
import os
import socket
import struct
import time

import pytest

from wire_client import CHECK, SLEEP, WireClient, assert_serving, call_as, sleep_payload, varint

OK, CANCELLED, INVALID_ARGUMENT, DEADLINE_EXCEEDED = 0, 1, 3, 4
PERMISSION_DENIED, RESOURCE_EXHAUSTED, UNIMPLEMENTED = 7, 8, 12


def raw_envelope(call_id, method_bytes, payload=b""):
    """An Envelope encoded by hand, so that it can carry what protobuf refuses to encode."""
    body = b"\x08" + varint(call_id) + b"\x12" + varint(len(method_bytes)) + method_bytes
    if payload:
        body += b"\x2a" + varint(len(payload)) + payload
    return struct.pack(">I", len(body)) + body


@pytest.mark.parametrize(
    "method, words",
    [
        ("", "method is missing"),
        ("Health/Check", "is not of the form /package.Service/Method"),
        ("/postern.health.v1.Health/", "is not of the form /package.Service/Method"),
    ],
)
def test_missing_or_malformed_method_is_invalid_argument(pb, daemons, method, words):
    with WireClient(daemons["password"], pb) as client:
        client.send(5, method)
        answer = client.read()
        assert (answer.call_id, answer.status_code) == (5, INVALID_ARGUMENT)
        assert words in answer.status_message
        client.send(6, CHECK)  # the connection stays usable
        assert client.read().status_code == OK
    assert_serving(daemons["password"], pb)


def test_call_id_zero_is_invalid_argument_and_the_connection_stays_open(pb, daemons):
    with WireClient(daemons["history"], pb) as client:
        client.send(0, CHECK)
        answer = client.read()
        assert (answer.call_id, answer.status_code) == (0, INVALID_ARGUMENT)
        client.send(1, CHECK)
        assert client.read().status_code == OK
    assert_serving(daemons["history"], pb)


def test_a_call_id_still_in_flight_is_invalid_argument_and_the_first_call_is_answered(pb, daemons):
    with WireClient(daemons["policy"], pb) as client:
        client.send(9, SLEEP, sleep_payload(pb, 300))
        client.send(9, CHECK)
        first = client.read()
        assert (first.call_id, first.status_code) == (9, INVALID_ARGUMENT)
        second = client.read()
        assert (second.call_id, second.status_code) == (9, OK)
        reply = pb.diagnostics.SleepResponse()
        reply.ParseFromString(second.payload)
        assert reply.milliseconds == 300
    assert_serving(daemons["policy"], pb)


def test_invalid_utf8_in_the_method_makes_the_envelope_undecodable_then_close(pb, daemons):
    with WireClient(daemons["password"], pb) as client:
        client.send_raw(raw_envelope(4, b"/postern.health.v1.Health/Ch\xffck"))
        answer = client.read()
        assert (answer.call_id, answer.status_code) == (0, INVALID_ARGUMENT)
        assert "UTF-8" in answer.status_message
        assert client.at_eof()
    assert_serving(daemons["password"], pb)


def test_undecodable_payload_is_invalid_argument_and_the_daemon_serves(pb, daemons):
    with WireClient(daemons["history"], pb) as client:
        client.send(3, SLEEP, b"\x08")  # a varint field with no value
        answer = client.read()
        assert (answer.call_id, answer.status_code) == (3, INVALID_ARGUMENT)
        assert "SleepRequest" in answer.status_message
    assert_serving(daemons["history"], pb)


def test_an_absurd_request_value_is_invalid_argument(pb, daemons):
    with WireClient(daemons["policy"], pb) as client:
        client.send(2, SLEEP, sleep_payload(pb, 4_000_000_000))
        answer = client.read()
        assert (answer.call_id, answer.status_code) == (2, INVALID_ARGUMENT)
        assert "600000" in answer.status_message


def test_the_clients_timeout_gives_deadline_exceeded_and_no_late_answer(pb, daemons):
    with WireClient(daemons["password"], pb) as client:
        started = time.monotonic()
        client.send(11, SLEEP, sleep_payload(pb, 5000), timeout_ms=100)
        answer = client.read()
        assert (answer.call_id, answer.status_code) == (11, DEADLINE_EXCEEDED)
        assert time.monotonic() - started < 4
        client.send(12, CHECK)
        nxt = client.read()
        assert nxt.call_id == 12, "the timed-out call must never be answered again"
    assert_serving(daemons["password"], pb)


def test_calls_past_the_in_flight_cap_are_refused_at_once(pb, start_daemon):
    daemon = start_daemon("history", env={"POSTERN_HISTORY_LIMITS_CALLS_PER_CONNECTION": "4"})
    with WireClient(daemon.socket, pb) as client:
        for call_id in range(1, 5):
            client.send(call_id, SLEEP, sleep_payload(pb, 1500))
        client.send(5, CHECK)
        refused = client.read()  # before any of the sleeping calls ends
        assert (refused.call_id, refused.status_code) == (5, RESOURCE_EXHAUSTED)
        assert "4" in refused.status_message
        answers = [client.read() for _ in range(4)]
        assert sorted(a.call_id for a in answers) == [1, 2, 3, 4]
        assert all(a.status_code == OK for a in answers)
    assert_serving(daemon.socket, pb)


def test_connections_past_the_cap_are_answered_resource_exhausted_and_closed(pb, start_daemon):
    daemon = start_daemon("policy", env={"POSTERN_POLICY_LIMITS_CONNECTIONS": "3"})
    held = []
    try:
        for _ in range(3):  # three are admitted and served
            held.append(admitted_client(daemon.socket, pb))
        with WireClient(daemon.socket, pb) as extra:
            answer = extra.read()
            assert (answer.call_id, answer.status_code) == (0, RESOURCE_EXHAUSTED)
            assert "limit 3" in answer.status_message
            assert extra.at_eof()
    finally:
        for client in held:
            client.close()
    time.sleep(0.2)  # the daemon notices the closed connections
    assert_serving(daemon.socket, pb)


def admitted_client(path, pb):
    """A connection the daemon has admitted (a Health call answered OK). Retried for a moment:
    the daemon counts a closed connection out only once it has seen the close, and the
    fixture's own readiness probe may not have been seen yet."""
    deadline = time.monotonic() + 5
    while True:
        client = WireClient(path, pb)
        try:
            client.send(1, CHECK)
            answer = client.read()
            if answer is not None and answer.status_code == OK:
                return client
        except OSError:
            pass
        client.close()
        assert time.monotonic() < deadline, "no connection admitted within 5 s"
        time.sleep(0.05)


@pytest.mark.skipif(os.getuid() != 0, reason="needs root to call as other uids")
def test_a_second_uid_is_let_in_only_where_the_configuration_grants_it(pb, start_daemon):
    daemon = start_daemon("password", env={
        "POSTERN_PASSWORD_SOCKET_MODE": "0666",
        "POSTERN_PASSWORD_ACCESS_READ_USERS": "4242",
    })
    sleep = sleep_payload(pb, 1)
    assert call_as(4242, 4243, daemon.socket, SLEEP, sleep)[0] == OK
    code, message = call_as(4244, 4243, daemon.socket, SLEEP, sleep)
    assert code == PERMISSION_DENIED
    assert "uid 4244" in message and "read" in message
    assert call_as(4244, 4243, daemon.socket, CHECK, b"")[0] == OK  # Health is open
    assert_serving(daemon.socket, pb)
