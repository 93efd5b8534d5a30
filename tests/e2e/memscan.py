"""memscan.py PID NEEDLE...: print every needle found in PID's memory.

Reads /proc/PID/maps and /proc/PID/mem (root reads a non-dumpable process
too). Exit 0 when none is found, 1 when one is, 2 when the memory could
not be read at all (so a test cannot pass by reading nothing).
"""
import re
import sys


def main():
    pid = int(sys.argv[1])
    needles = [n.encode() for n in sys.argv[2:]]
    found, read = 0, 0
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
        for line in maps:
            m = re.match(r"([0-9a-f]+)-([0-9a-f]+) (\S+)", line)
            if not m or m.group(3)[0] != "r":
                continue
            start, end = int(m.group(1), 16), int(m.group(2), 16)
            if "[vvar]" in line or "[vsyscall]" in line:
                continue
            try:
                mem.seek(start)
                data = mem.read(end - start)
            except OSError:
                continue
            read += len(data)
            for n in needles:
                i = data.find(n)
                while i != -1:
                    print(f"{n.decode()} at {start + i:#x} in {line.strip()}")
                    found += 1
                    i = data.find(n, i + 1)
    print(f"memscan: {read} bytes of pid {pid} read", file=sys.stderr)
    if read == 0:
        sys.exit(2)
    sys.exit(1 if found else 0)


main()
