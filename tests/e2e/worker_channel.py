#!/usr/bin/env python3
"""Start erpsync-worker with a socketpair on fd 3, as erpsyncd does, and
play a supervisor that breaks the protocol (design §5) in one way, for
t_worker_channel.sh. Usage: worker_channel.py WORKER CASE. Prints the
worker's exit code and what it logged (stderr), and the first frame it
sent (its hello) when it sent one."""
import fcntl
import os
import socket
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from frames import pack, receive, send  # noqa: E402

worker, case = sys.argv[1], sys.argv[2]
a, b = socket.socketpair()
# Our end and theirs above 3 first: fd 3 may be one of them.
fd = fcntl.fcntl(a.fileno(), fcntl.F_DUPFD_CLOEXEC, 10)
theirs = fcntl.fcntl(b.fileno(), fcntl.F_DUPFD_CLOEXEC, 10)
a.close()
b.close()
os.dup2(theirs, 3)
os.close(theirs)
p = subprocess.Popen([worker], pass_fds=(3,), stderr=subprocess.PIPE)
os.close(3)
hello = receive(fd)
if case == "close":
    pass                                    # hang up at once
elif case == "garbage":
    send(fd, b"\x93\x01\x02\x03")           # an array, not a map
elif case == "version":
    send(fd, pack({"t": "hello", "v": 2, "role": "supervisor",
                   "pid": os.getpid()}))
elif case == "nojob":
    send(fd, pack({"t": "hello", "v": 1, "role": "supervisor",
                   "pid": os.getpid()}))
    send(fd, pack({"t": "job", "id": 7, "kind": "customers"}))
os.close(fd)
_, err = p.communicate(timeout=60)
print("exit", p.returncode)
print("hello", "yes" if hello else "no")
sys.stdout.write(err.decode(errors="replace"))
