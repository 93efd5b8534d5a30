#!/usr/bin/env python3
"""A worker that breaks the protocol (design §5), for t_bad_worker.sh.

erpsyncd starts it as it starts erpsync-worker (worker_path), with the
socketpair on fd 3. What it does is the first word of the file named by
FAKE_WORKER_MODE beside this run's erpsync.conf (argv is erpsyncd's):

  garbage        hello, then a frame whose payload is no msgpack map
  oversize       hello, then a frame header announcing 2 MiB
  badhello       a hello that names another pid
  unknownclass   hello, then done: failed, with an error class no one knows
  silent         reads the hello and the job, then exits 0 without a word

It writes msgpack itself (maps of strings and integers), so it needs no
module beyond the standard library.
"""
import os
import struct
import sys

FD = 3


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
    if isinstance(obj, int) and 0 <= obj < 128:
        return bytes([obj])
    if isinstance(obj, int):
        return b"\xd3" + struct.pack(">q", obj)
    raise TypeError(obj)


def frame(payload):
    os.write(FD, struct.pack(">I", len(payload)) + payload)


def read_frame():
    head = b""
    while len(head) < 4:
        chunk = os.read(FD, 4 - len(head))
        if not chunk:
            sys.exit(0)
        head += chunk
    n = struct.unpack(">I", head)[0]
    body = b""
    while len(body) < n:
        chunk = os.read(FD, n - len(body))
        if not chunk:
            sys.exit(0)
        body += chunk
    return body


def hello(pid):
    frame(pack({"t": "hello", "v": 1, "role": "worker", "pid": pid}))


def main():
    conf = os.environ.get("FAKE_WORKER_MODE", "")
    mode = open(conf).read().split()[0]
    read_frame()            # the supervisor's hello
    read_frame()            # the job
    if mode == "badhello":
        hello(os.getpid() + 1)
    elif mode == "silent":
        return
    else:
        hello(os.getpid())
    if mode == "garbage":
        frame(b"\x93\x01\x02\x03")          # an array, not a map
    elif mode == "oversize":
        os.write(FD, struct.pack(">I", 2 << 20))
    elif mode == "unknownclass":
        frame(pack({"t": "done", "status": "failed",
                    "error_class": "nonsense", "message": "made up",
                    "pages": 0, "seen": 0, "inserted": 0, "updated": 0,
                    "unchanged": 0, "skipped": 0, "deleted": 0,
                    "total": 0}))
    # Wait until erpsyncd closes the channel or kills us.
    try:
        while os.read(FD, 65536):
            pass
    except OSError:
        pass


main()
