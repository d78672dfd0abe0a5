"""call_as.py PATH METHOD PAYLOAD_HEX: one raw call (call id 1); prints "STATUS MESSAGE".
Run under setpriv as another uid; imports nothing generated, so it needs no protobuf classes."""
import socket
import struct
import sys

from wire_client import read_varint, varint


path, method, payload = sys.argv[1], sys.argv[2].encode(), bytes.fromhex(sys.argv[3])
body = b"\x08\x01\x12" + varint(len(method)) + method
if payload:
    body += b"\x2a" + varint(len(payload)) + payload
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(10)
s.connect(path)
s.sendall(struct.pack(">I", len(body)) + body)
data = b""
while len(data) < 4 or len(data) < 4 + struct.unpack(">I", data[:4])[0]:
    chunk = s.recv(65536)
    if not chunk:
        sys.exit("connection closed")
    data += chunk
envelope = data[4:]
status, message, i = 0, "", 0
while i < len(envelope):
    key, i = read_varint(envelope, i)
    field, wire_type = key >> 3, key & 7
    if wire_type == 0:
        value, i = read_varint(envelope, i)
        if field == 6:
            status = value
    elif wire_type == 2:
        length, i = read_varint(envelope, i)
        if field == 7:
            message = envelope[i:i + length].decode()
        i += length
    else:
        sys.exit(f"unexpected wire type {wire_type}")
print(status, message)
