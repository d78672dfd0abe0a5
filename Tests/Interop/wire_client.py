"""A minimal Postern wire client, written from docs/wire.md: 4-byte big-endian length, then
one postern.wire.v1.Envelope."""
import os
import socket
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def frame(body: bytes) -> bytes:
    """One frame: a 4-byte big-endian length, then the body."""
    return struct.pack(">I", len(body)) + body


def varint(n):
    """A protobuf base-128 varint."""
    out = b""
    while True:
        byte = n & 0x7F
        n >>= 7
        out += bytes([byte | (0x80 if n else 0)])
        if not n:
            return out


def read_varint(data, i):
    """The protobuf varint at data[i:] and the index after it."""
    value = shift = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, i


class WireClient:
    def __init__(self, path, pb, timeout=10.0):
        self.pb = pb
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(path)

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def send_raw(self, data: bytes):
        self.sock.sendall(data)

    def send(self, call_id, method, payload=b"", timeout_ms=0):
        env = self.pb.wire.Envelope(call_id=call_id, method=method, payload=payload, timeout_ms=timeout_ms)
        self.sock.sendall(frame(env.SerializeToString()))

    def _read_exactly(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                return None
            data += chunk
        return data

    def read(self):
        """The next answer Envelope, or None at end of stream."""
        header = self._read_exactly(4)
        if header is None:
            return None
        (length,) = struct.unpack(">I", header)
        body = self._read_exactly(length)
        if body is None:
            return None
        env = self.pb.wire.Envelope()
        env.ParseFromString(body)
        return env

    def at_eof(self):
        return self.sock.recv(1) == b""


CHECK = "/postern.health.v1.Health/Check"
SLEEP = "/postern.diagnostics.v1.Diagnostics/Sleep"


def call(client, method, message, answer_type=None):
    """One call on call id 1: the answer Envelope, or with `answer_type` its payload parsed after
    asserting status OK."""
    client.send(1, method, message.SerializeToString())
    answer = client.read()
    assert answer is not None and answer.call_id == 1
    if answer_type is None:
        return answer
    assert answer.status_code == 0, answer.status_message
    parsed = answer_type()
    parsed.ParseFromString(answer.payload)
    return parsed


def assert_serving(path, pb):
    """The daemon at `path` answers Health SERVING on a fresh connection."""
    with WireClient(path, pb) as client:
        client.send(1, CHECK)
        answer = client.read()
    assert answer is not None and answer.status_code == 0, answer
    health = pb.health.HealthCheckResponse()
    health.ParseFromString(answer.payload)
    assert health.status == pb.health.HealthCheckResponse.SERVING


def sleep_payload(pb, milliseconds):
    return pb.diagnostics.SleepRequest(milliseconds=milliseconds).SerializeToString()


def call_as(uid, gid, path, method, payload, groups=()):
    """One call from another process running as uid:gid with supplementary `groups` (setpriv);
    the answer's status."""
    script = os.path.join(HERE, "call_as.py")
    group_option = f"--groups={','.join(map(str, groups))}" if groups else "--clear-groups"
    result = subprocess.run(
        ["setpriv", f"--reuid={uid}", f"--regid={gid}", group_option, sys.executable, script, path, method,
         payload.hex()],
        capture_output=True, text=True, timeout=30, env={"PYTHONPATH": HERE, "PATH": os.environ["PATH"]},
    )
    assert result.returncode == 0, result.stderr
    code, _, message = result.stdout.partition(" ")
    return int(code), message
