"""Fuzzing the wire against a real daemon: at least 10,000 random and mutated frames, then
Health must answer SERVING and the daemon's resident memory must stay within a stated bound.
Also a client that sends without ever reading: back-pressure must bound the daemon's memory.

Seeded (POSTERN_FUZZ_SEED, default a fixed number) so that a failure can be replayed."""
import os
import random
import select
import socket
import struct
import time

from wire_client import CHECK, WireClient, assert_serving, frame

FRAMES = int(os.environ.get("POSTERN_FUZZ_FRAMES", "12000"))
SEED = int(os.environ.get("POSTERN_FUZZ_SEED", "20261123"))
BATCH = 40
# The stated bound: resident memory may grow by at most this much over the whole run,
# measured after a warm-up (first allocations, thread stacks, NIO pools).
RSS_GROWTH_LIMIT_KIB = 32 * 1024


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def seeds(pb):
    """Well-formed Envelopes to mutate."""
    health = pb.health.HealthCheckRequest
    envelopes = [
        pb.wire.Envelope(call_id=1, method=CHECK, payload=health(service="").SerializeToString()),
        pb.wire.Envelope(call_id=2, method=CHECK, payload=health(service="postern.health.v1.Health").SerializeToString(),
                         timeout_ms=1000),
        pb.wire.Envelope(call_id=3, method="/postern.nothing.v1.Nothing/Do", payload=b"\x08\x01"),
        pb.wire.Envelope(call_id=4, method=CHECK, metadata=[pb.wire.MetadataEntry(key="trace", value="abc")]),
    ]
    return [e.SerializeToString() for e in envelopes]


def mutate(rng, data):
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        choice = rng.randrange(5)
        if choice == 0 and data:  # flip a bit
            i = rng.randrange(len(data))
            data[i] ^= 1 << rng.randrange(8)
        elif choice == 1 and data:  # overwrite a byte
            data[rng.randrange(len(data))] = rng.randrange(256)
        elif choice == 2:  # insert random bytes
            i = rng.randint(0, len(data))
            data[i:i] = os.urandom(rng.randint(1, 8))
        elif choice == 3 and data:  # truncate
            del data[rng.randrange(len(data)):]
        else:  # duplicate a slice
            if data:
                i = rng.randrange(len(data))
                data[i:i] = data[i:i + rng.randint(1, 16)]
    return bytes(data)


def fuzz_body(rng, corpus):
    kind = rng.randrange(10)
    if kind < 6:
        return mutate(rng, rng.choice(corpus))
    if kind < 9:
        return os.urandom(rng.randint(0, 64))
    return rng.choice(corpus)  # some calls are well-formed


def drain(sock, wanted, deadline):
    """Reads answers until `wanted` frames arrived or the daemon closed; False on a hang."""
    buffer = b""
    got = 0
    while got < wanted:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        ready, _, _ = select.select([sock], [], [], remaining)
        if not ready:
            return False
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            return True
        if not chunk:
            return True  # closed after a connection-level answer
        buffer += chunk
        while len(buffer) >= 4:
            (length,) = struct.unpack(">I", buffer[:4])
            if len(buffer) < 4 + length:
                break
            buffer = buffer[4 + length:]
            got += 1
    return True


def send_batch(path, frames):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(path)
        try:
            sock.sendall(b"".join(frames))
        except (BrokenPipeError, ConnectionResetError):
            return True  # the daemon closed first (a connection-level answer): fine
        return drain(sock, len(frames), time.monotonic() + 10)


def test_ten_thousand_fuzzed_frames_leave_the_daemon_serving_in_bounded_memory(pb, start_daemon):
    rng = random.Random(SEED)
    corpus = seeds(pb)
    daemon = start_daemon("password")
    pid = daemon.process.pid

    warm_up = [frame(fuzz_body(rng, corpus)) for _ in range(BATCH)]
    for _ in range(5):
        send_batch(daemon.socket, warm_up)
    baseline = rss_kib(pid)

    sent = 0
    hangs = 0
    while sent < FRAMES:
        frames = [frame(fuzz_body(rng, corpus)) for _ in range(BATCH)]
        if rng.random() < 0.05:
            # A header that lies: a length past the limit, or a body that never comes.
            lie = rng.choice([struct.pack(">I", rng.randint(1 << 20 | 1, 2**32 - 1)),
                              struct.pack(">I", 1000) + b"\x08\x01"])
            frames.append(lie)
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.connect(daemon.socket)
                try:
                    sock.sendall(b"".join(frames))
                except (BrokenPipeError, ConnectionResetError):
                    pass
            sent += len(frames)
            continue
        if not send_batch(daemon.socket, frames):
            hangs += 1
        sent += len(frames)

    assert daemon.process.poll() is None, f"the daemon died:\n{daemon.log}"
    assert hangs == 0, f"{hangs} batches of well-framed input went unanswered (seed {SEED})"
    time.sleep(0.5)  # closed connections are let go
    assert_serving(daemon.socket, pb)
    grown = rss_kib(pid) - baseline
    print(f"fuzz: {sent} frames, seed {SEED}, RSS {baseline} KiB -> {baseline + grown} KiB")
    assert grown <= RSS_GROWTH_LIMIT_KIB, f"RSS grew {grown} KiB over {sent} frames"


def test_a_client_that_never_reads_is_no_longer_read_from(pb, start_daemon):
    """Back-pressure: the daemon stops reading a connection whose answers pile up, so what a
    client can push into it is bounded by socket buffers, not by the daemon's memory."""
    daemon = start_daemon("history")
    pid = daemon.process.pid
    assert_serving(daemon.socket, pb)
    baseline = rss_kib(pid)
    # Distinct call ids, so that every call is valid and gets its own answer; sent over and
    # over, since answers come at once and ids are free again.
    calls = b"".join(frame(pb.wire.Envelope(call_id=i, method=CHECK).SerializeToString())
                     for i in range(1, 4097))
    offered = 0
    stalled = False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(daemon.socket)
        sock.setblocking(False)
        # A daemon that kept reading would drain the socket as fast as it answers (tens of
        # thousands of calls a second), so sending would never stall for a whole second.
        deadline = time.monotonic() + 10
        stalled_since = None
        pending = memoryview(calls)
        while time.monotonic() < deadline:
            try:
                sent = sock.send(pending)
                # A partial send goes on where it stopped, so every frame stays whole.
                offered += sent
                pending = pending[sent:] or memoryview(calls)
                stalled_since = None
            except (BrokenPipeError, ConnectionResetError):
                raise AssertionError(f"the daemon closed the connection:\n{daemon.log}")
            except BlockingIOError:
                stalled_since = stalled_since or time.monotonic()
                if time.monotonic() - stalled_since > 1:
                    stalled = True  # the daemon has stopped reading us
                    break
                time.sleep(0.01)
        grown = rss_kib(pid) - baseline
        print(f"back-pressure: {offered} bytes taken before the daemon stopped reading; RSS grew {grown} KiB")
        assert stalled, f"the daemon kept reading a client that never reads ({offered} bytes in 10 s)"
        assert offered < 16 * 1024 * 1024, "the daemon read far past its write-buffer high-water mark"
        assert grown <= RSS_GROWTH_LIMIT_KIB
        # Another client is served meanwhile.
        assert_serving(daemon.socket, pb)
