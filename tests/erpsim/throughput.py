#!/usr/bin/env python3
"""Throughput check for erpsim: pages per second it serves (a figure, not a test).

usage: throughput.py [--seconds S] [--clients N] [--view VIEW] [--size N]
                     [--gzip] [--full] [--user U --password P] BASE_URL

BASE_URL is the ERP base, e.g. http://127.0.0.1:8181/Archibald. Each client
process logs in, sets the page size, then asks for pages with GB|PN{n}
callbacks (or full GETs with --full) over one keep-alive connection for S
seconds. Prints pages/s and MB/s over all clients.
"""
import argparse
import http.client
import multiprocessing
import re
import time
import urllib.parse


def cookie_header(jar):
    return "; ".join("%s=%s" % kv for kv in jar.items())


def request(conn, jar, method, path, form=None, gz=False):
    headers = {"Cookie": cookie_header(jar)} if jar else {}
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if gz:
        headers["Accept-Encoding"] = "gzip"
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    data = r.read()
    for k, v in r.getheaders():
        if k.lower() == "set-cookie":
            name, _, val = v.split(";")[0].partition("=")
            jar[name] = val
    return r.status, data


def inputs(html):
    out = []
    for tag in re.findall(r"<input[^>]*>", html):
        attrs = dict((k, v1 or v2 or v3) for k, v1, v2, v3 in re.findall(
            r"""([\w$:.-]+)=(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", tag))
        out.append(attrs)
    return out


def client(args, seconds, result):
    u = urllib.parse.urlsplit(args.base)
    base = u.path.rstrip("/")
    conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=30)
    jar = {}
    st, page = request(conn, jar, "GET", base + "/Login.aspx")
    form = []
    for a in inputs(page.decode()):
        n, v = a.get("name", ""), a.get("value", "")
        if a.get("type") == "hidden":
            form.append((n, v.replace("&quot;", '"')))
        elif n.endswith("UserName_Edit"):
            form.append((n, args.user))
        elif n.endswith("Password_Edit"):
            form.append((n, args.password))
        elif n.endswith("LogonButton"):
            form.append((n, v))
    st, _ = request(conn, jar, "POST", base + "/Login.aspx", form)
    if st != 302:
        raise SystemExit("login failed: %d" % st)
    path = "%s/%s/" % (base, args.view)
    st, page = request(conn, jar, "GET", path)
    grid = re.search(r"""class=["']?dxgvControl_XafTheme[^>]*""", page.decode())
    gid = re.search(r"""id=["']?([\w]+)""", grid.group(0)).group(1)
    hidden = [(a["name"], a.get("value", "")) for a in inputs(page.decode())
              if a.get("type") == "hidden" and "name" in a]
    cb = lambda cmd: hidden + [("__CALLBACKID", gid), ("__CALLBACKPARAM", cmd)]
    st, data = request(conn, jar, "POST", path, cb("GB|PSP%d" % args.size))
    pages = int(re.search(r"Pagina \d+ di (\d+)", data.decode()).group(1))
    n = nbytes = 0
    end = time.time() + seconds
    while time.time() < end:
        if args.full:
            st, data = request(conn, jar, "GET", path, gz=args.gzip)
        else:
            st, data = request(conn, jar, "POST", path,
                               cb("GB|PN%d" % (n % pages)), gz=args.gzip)
        if st != 200:
            raise SystemExit("status %d" % st)
        n += 1
        nbytes += len(data)
    result.put((n, nbytes))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("base")
    p.add_argument("--seconds", type=float, default=5)
    p.add_argument("--clients", type=int, default=2)
    p.add_argument("--view", default="CUSTTABLE_ListView_Agent")
    p.add_argument("--size", type=int, default=20)
    p.add_argument("--gzip", action="store_true")
    p.add_argument("--full", action="store_true")
    p.add_argument("--user", default="agent1")
    p.add_argument("--password", default="agent1pw")
    args = p.parse_args()
    q = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=client, args=(args, args.seconds, q))
             for _ in range(args.clients)]
    for pr in procs:
        pr.start()
    n = nbytes = 0
    for _ in procs:
        a, b = q.get()
        n += a
        nbytes += b
    for pr in procs:
        pr.join()
    print("%s %s size %d%s: %d pages in %.1fs = %.0f pages/s, %.1f MB/s" % (
        args.view, "GET" if args.full else "callback", args.size,
        " gzip" if args.gzip else "", n, args.seconds, n / args.seconds,
        nbytes / args.seconds / 1e6))


if __name__ == "__main__":
    main()
