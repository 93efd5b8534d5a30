"""The channel's frames (design §5) for the end-to-end scripts: a 4-byte
big-endian length and one msgpack map. Just the msgpack they need (maps,
strings, integers), written here so the scripts need no Python module
beyond the standard library."""
import os
import struct


def pack(obj):
    if isinstance(obj, dict):
        out = bytes([0x80 | len(obj)]) if len(obj) < 16 else \
            b"\xde" + struct.pack(">H", len(obj))
        for k, v in obj.items():
            out += pack(k) + pack(v)
        return out
    if isinstance(obj, str):
        b = obj.encode()
        return (bytes([0xa0 | len(b)]) if len(b) < 32 else
                b"\xd9" + bytes([len(b)])) + b
    if isinstance(obj, bool):
        return b"\xc3" if obj else b"\xc2"
    if isinstance(obj, int) and 0 <= obj < 128:
        return bytes([obj])
    if isinstance(obj, int):
        return b"\xd3" + struct.pack(">q", obj)
    raise TypeError(obj)


def send(fd, payload):
    """Write one frame holding payload (bytes)."""
    os.write(fd, struct.pack(">I", len(payload)) + payload)


def read_exactly(fd, n):
    """n bytes from fd, or None at end of file."""
    data = b""
    while len(data) < n:
        chunk = os.read(fd, n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def receive(fd):
    """One frame's payload, or None at end of file."""
    head = read_exactly(fd, 4)
    if head is None:
        return None
    return read_exactly(fd, struct.unpack(">I", head)[0])
