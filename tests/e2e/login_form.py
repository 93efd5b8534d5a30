"""login_form.py PAGE USER: the login form of contract §2, filled in.

Prints the urlencoded POST body: every hidden input as it is, USER, the
password read from stdin (never on a command line, never printed
elsewhere), and the logon button. Shared by the scripts that log in with
curl.
"""
import html.parser
import sys
import urllib.parse


class Form(html.parser.HTMLParser):
    def __init__(self, user, password):
        super().__init__()
        self.user, self.password, self.fields = user, password, []

    def handle_starttag(self, tag, attrs):
        if tag != "input":
            return
        a = dict(attrs)
        name, kind = a.get("name") or "", (a.get("type") or "").lower()
        if kind == "hidden":
            self.fields.append((name, a.get("value") or ""))
        elif name.endswith("UserName_Edit"):
            self.fields.append((name, self.user))
        elif name.endswith("Password_Edit"):
            self.fields.append((name, self.password))
        elif name.endswith("LogonButton"):
            self.fields.append((name, a.get("value") or ""))


f = Form(sys.argv[2], sys.stdin.readline().rstrip("\n"))
f.feed(open(sys.argv[1], encoding="utf-8").read())
sys.stdout.write(urllib.parse.urlencode(f.fields))
