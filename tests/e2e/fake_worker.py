#!/usr/bin/env python3
"""A worker that breaks the protocol (design §5), for t_bad_worker.sh.

erpsyncd starts it as it starts erpsync-worker (worker_path), with the
socketpair on fd 3. What it does is the first word of the file that the
environment variable FAKE_WORKER_MODE names (its argv is erpsyncd's):

  garbage        hello, then a frame whose payload is no msgpack map
  oversize       hello, then a frame header announcing 2 MiB
  badhello       a hello that names another pid
  unknownclass   hello, then done: failed, with an error class no one knows
  silent         reads the hello and the job, then exits 0 without a word

Its frames are tests/e2e/frames.py's, beside it.
"""
import os
import sys

from frames import pack, receive, send

FD = 3


def frame(payload):
    send(FD, payload)


def read_frame():
    body = receive(FD)
    if body is None:
        sys.exit(0)
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
        os.write(FD, (2 << 20).to_bytes(4, "big"))
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
