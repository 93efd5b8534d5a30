#!/usr/bin/env python3
"""idle_clients.py SOCKET N READY OUT [SECONDS]

Open N connections to erpsyncd's admin socket and send nothing on them.
Writes READY (the number connected) once all are open, then watches them:
a connection the daemon closes is recorded with the text of the error
frame it sent first, if any. Ends when every connection was closed by the
daemon, when the file OUT.stop appears, or after SECONDS (default 60);
then writes a JSON summary to OUT:
  {"opened": N, "closed": [...messages...], "open": K}
"""
import json
import os
import selectors
import socket
import sys
import time


def frame_text(data):
    """The printable text of the frames received (msgpack strings)."""
    return "".join(chr(b) if 32 <= b < 127 else " " for b in data)


def main():
    path, n, ready, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    limit = float(sys.argv[5]) if len(sys.argv) > 5 else 60.0
    sel = selectors.DefaultSelector()
    socks = []
    give_up = time.monotonic() + 20
    for _ in range(n):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.setblocking(False)
        # Completes in the listen backlog even if not accepted; EAGAIN
        # while the backlog is full, until the daemon takes some.
        while True:
            try:
                s.connect(path)
                break
            except BlockingIOError:
                if time.monotonic() > give_up:
                    raise
                time.sleep(0.02)
        socks.append(s)
        sel.register(s, selectors.EVENT_READ, bytearray())
    with open(ready + ".tmp", "w") as f:
        f.write("%d\n" % len(socks))
    os.rename(ready + ".tmp", ready)

    closed = []
    deadline = time.monotonic() + limit
    while sel.get_map() and time.monotonic() < deadline:
        if os.path.exists(out + ".stop"):
            break
        for key, _ in sel.select(timeout=0.2):
            try:
                chunk = key.fileobj.recv(65536)
            except (ConnectionResetError, BrokenPipeError):
                chunk = b""
            if chunk:
                key.data.extend(chunk)
                continue
            closed.append(frame_text(key.data))
            sel.unregister(key.fileobj)
            key.fileobj.close()
    summary = {"opened": len(socks), "closed": closed, "open": len(sel.get_map())}
    with open(out + ".tmp", "w") as f:
        json.dump(summary, f)
    os.rename(out + ".tmp", out)


if __name__ == "__main__":
    main()
