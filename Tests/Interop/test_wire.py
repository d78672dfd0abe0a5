"""The wire protocol, exercised by an independent client written from docs/wire.md."""
import random
import struct

import pytest

from wire_client import WireClient, frame

CHECK = "/postern.health.v1.Health/Check"
OK, INVALID_ARGUMENT, NOT_FOUND, RESOURCE_EXHAUSTED, UNIMPLEMENTED = 0, 3, 5, 8, 12
LIMIT = 1048576


@pytest.mark.parametrize("name", ["password", "history", "policy"])
def test_health_on_each_daemon(pb, daemons, name):
    with WireClient(daemons[name], pb) as client:
        client.send(7, CHECK, pb.health.HealthCheckRequest(service="").SerializeToString())
        answer = client.read()
    assert answer.call_id == 7
    assert answer.status_code == OK, answer.status_message
    health = pb.health.HealthCheckResponse()
    health.ParseFromString(answer.payload)
    assert health.status == pb.health.HealthCheckResponse.SERVING
    assert health.daemon == f"postern-{name}"


def test_fifty_concurrent_calls_on_one_connection_matched_by_call_id(pb, daemons):
    """50 requests go out before any answer is read. Even ids ask about the daemon (SERVING);
    odd ids about a service of their own name (NOT_FOUND naming it), so each answer proves
    which request it belongs to."""
    ids = random.sample(range(1, 2**63), 50)
    expected = {}
    with WireClient(daemons["password"], pb) as client:
        for call_id in ids:
            service = "" if call_id % 2 == 0 else f"svc-{call_id}"
            expected[call_id] = service
            client.send(call_id, CHECK, pb.health.HealthCheckRequest(service=service).SerializeToString())
        answers = {}
        for _ in ids:
            answer = client.read()
            assert answer is not None, "connection closed early"
            assert answer.call_id not in answers, "two answers for one call id"
            answers[answer.call_id] = answer
    assert set(answers) == set(ids)
    for call_id, service in expected.items():
        answer = answers[call_id]
        if service == "":
            assert answer.status_code == OK
            health = pb.health.HealthCheckResponse()
            health.ParseFromString(answer.payload)
            assert health.status == pb.health.HealthCheckResponse.SERVING
        else:
            assert answer.status_code == NOT_FOUND
            assert service in answer.status_message
            assert answer.payload == b""


def test_calls_pipelined_in_one_write_are_all_answered(pb, daemons):
    """Answers to calls that arrive in one read are flushed together at the end of the read;
    none may be left behind unflushed."""
    count = 300
    batch = b"".join(frame(pb.wire.Envelope(call_id=i, method=CHECK).SerializeToString())
                     for i in range(1, count + 1))
    with WireClient(daemons["history"], pb) as client:
        client.send_raw(batch)
        seen = set()
        for _ in range(count):
            answer = client.read()
            assert answer is not None, f"connection closed after {len(seen)} answers"
            assert answer.status_code == OK
            seen.add(answer.call_id)
        assert seen == set(range(1, count + 1))
        # The connection still works one call at a time afterwards.
        client.send(count + 1, CHECK)
        assert client.read().call_id == count + 1


def test_unknown_method_is_unimplemented_and_connection_stays_open(pb, daemons):
    with WireClient(daemons["history"], pb) as client:
        client.send(1, "/postern.nothing.v1.Nothing/Do", b"\x01\x02")
        answer = client.read()
        assert (answer.call_id, answer.status_code) == (1, UNIMPLEMENTED)
        assert "/postern.nothing.v1.Nothing/Do" in answer.status_message
        client.send(2, CHECK)
        assert client.read().status_code == OK


def test_undecodable_payload_is_invalid_argument(pb, daemons):
    with WireClient(daemons["policy"], pb) as client:
        client.send(3, CHECK, b"\x0a\x09a")  # a string field announcing 9 bytes, holding 1
        answer = client.read()
        assert (answer.call_id, answer.status_code) == (3, INVALID_ARGUMENT)


def test_oversized_frame_gets_resource_exhausted_naming_the_limit_then_close(pb, daemons):
    with WireClient(daemons["policy"], pb) as client:
        client.send_raw(struct.pack(">I", LIMIT + 1))  # the header alone; no body follows
        answer = client.read()
        assert answer.call_id == 0
        assert answer.status_code == RESOURCE_EXHAUSTED
        assert str(LIMIT) in answer.status_message
        assert client.at_eof()


def test_undecodable_envelope_gets_a_status_then_close(pb, daemons):
    """Nothing after the bad frame runs, even a good call that arrived in the same write."""
    with WireClient(daemons["password"], pb) as client:
        good = frame(pb.wire.Envelope(call_id=5, method=CHECK).SerializeToString())
        client.send_raw(struct.pack(">I", 3) + b"\xff\xff\xff" + good)
        answer = client.read()
        assert answer.call_id == 0
        assert answer.status_code == INVALID_ARGUMENT
        assert client.at_eof()
    # The daemon is still up for others.
    with WireClient(daemons["password"], pb) as client:
        client.send(1, CHECK)
        assert client.read().status_code == OK
