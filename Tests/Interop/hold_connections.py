"""hold_connections.py PATH COUNT PARTIAL_BYTES ANNOUNCED_LENGTH: opens COUNT connections to the
daemon at PATH, each sending the 4-byte header of a frame of ANNOUNCED_LENGTH bytes and then
PARTIAL_BYTES of its body (a frame that never completes), and holds them. Run under setpriv as
another uid. Prints one JSON line, {"admitted": n, "refused": {status: count}, "failed": n}: a
connection the daemon answered (call id 0) and closed at once was refused. Then, for each
line read on stdin, prints how many of the admitted connections the daemon has closed since,
by status; exits when stdin closes."""
import json
import select
import socket
import struct
import sys
import time

from wire_client import read_varint

path, count, partial, announced = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])


def status_of(sock):
    """The status of the connection-level answer waiting on `sock`; -1 for a bare close."""
    data = b""
    sock.setblocking(True)
    sock.settimeout(2)
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except OSError:
        pass
    if len(data) < 4:
        return -1
    body, status, i = data[4:4 + struct.unpack(">I", data[:4])[0]], 0, 0
    while i < len(body):
        key, i = read_varint(body, i)
        if key & 7 == 0:
            value, i = read_varint(body, i)
            if key >> 3 == 6:
                status = value
        else:
            size, i = read_varint(body, i)
            i += size
    return status


def closed(socks):
    """The connections in `socks` with something to read (an answer or the close), by status."""
    statuses = {}
    poller = select.poll()
    by_fd = {sock.fileno(): sock for sock in socks}
    for fd in by_fd:
        poller.register(fd, select.POLLIN)
    ready = {by_fd[fd] for fd, _ in poller.poll(0)}
    for sock in ready:
        status = status_of(sock)
        statuses[status] = statuses.get(status, 0) + 1
    return ready, statuses


socks, failed = [], 0
for _ in range(count):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    for attempt in range(200):
        try:
            sock.connect(path)
            break
        except BlockingIOError:  # the listen backlog is full for a moment
            time.sleep(0.005)
    else:
        failed += 1
        continue
    try:
        sock.sendall(struct.pack(">I", announced) + b"\0" * partial)
    except OSError:
        pass
    socks.append(sock)
time.sleep(1.0)
gone, refused = closed(socks)
admitted = [sock for sock in socks if sock not in gone]
print(json.dumps({"admitted": len(admitted), "refused": refused, "failed": failed}), flush=True)
for _ in sys.stdin:
    gone, statuses = closed(admitted)
    admitted = [sock for sock in admitted if sock not in gone]
    print(json.dumps({"closed": statuses, "open": len(admitted)}), flush=True)
