#!/usr/bin/env python3
"""Compare a synced SQLite table with erpsim's ground truth (/_sim/dump).

usage: compare.py [--extra KEY,KEY...] URL KIND DB [USER]
URL is erpsim's origin (http://127.0.0.1:PORT). Exit 0 when the table holds
exactly the dump's rows, column for column; 1 with the differences otherwise.
--extra names keys that must be in the table although the ERP no longer has
them (a delta sync deletes nothing).
"""
import json
import sqlite3
import sys
import urllib.request

TABLES = {"customers": ("customers", "account"), "orders": ("orders", "order_id"),
          "products": ("products", "item_id"), "prices": ("prices", "price_id")}


def main():
    extra = None
    if "--extra" in sys.argv[:-1]:
        i = sys.argv.index("--extra")
        extra = set(k for k in sys.argv[i + 1].split(",") if k)
        del sys.argv[i:i + 2]
    if len(sys.argv) not in (4, 5):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    url, kind, db = sys.argv[1:4]
    user = sys.argv[4] if len(sys.argv) == 5 else None
    table, key = TABLES[kind]
    q = "/_sim/dump/%s" % kind + ("?user=%s" % user if user else "")
    with urllib.request.urlopen(url + q, timeout=30) as r:
        want = [json.loads(line) for line in r.read().decode().splitlines() if line.strip()]
    if not want:
        print("compare: the dump of %s is empty" % kind)
        return 1
    cols = list(want[0].keys())
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    sql = "SELECT %s FROM %s" % (", ".join(cols), table)
    args = ()
    if kind == "orders" and user:
        sql += " WHERE user_id = ?"
        args = (user,)
    got = {}
    for row in con.execute(sql, args):
        rec = dict(zip(cols, row))
        got[rec[key]] = rec
    wantd = {w[key]: w for w in want}
    problems = []
    for k in sorted(set(wantd) - set(got)):
        problems.append("missing %s %r" % (key, k))
    for k in sorted(set(got) - set(wantd)):
        if extra is None or k not in extra:
            problems.append("extra %s %r" % (key, k))
    for k in sorted((extra or set()) - set(got)):
        problems.append("%s %r should still be there" % (key, k))
    for k in sorted(set(got) & set(wantd)):
        for c in cols:
            a, b = got[k][c], wantd[k][c]
            if a != b or type(a) is not type(b) and not (
                    isinstance(a, (int, float)) and isinstance(b, (int, float))):
                problems.append("%s %r column %s: db %r, erp %r" % (key, k, c, a, b))
    if problems:
        print("compare %s%s: %d differences (db %d rows, erp %d rows)" % (
            kind, " " + user if user else "", len(problems), len(got), len(wantd)))
        for p in problems[:15]:
            print("  " + p)
        return 1
    print("compare %s%s: %d rows equal" % (kind, " " + user if user else "", len(got)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
