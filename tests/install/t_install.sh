#!/bin/sh
# t_install.sh — `make install` lays erpsync out as a Debian package would
# and `make uninstall` takes exactly that away (make check-install):
#   - programs, man pages, the example config, the systemd unit (its paths
#     follow PREFIX), bash completion, /etc/erpsync/erpsync.conf;
#   - the installed erpsyncd finds the installed worker beside itself (no
#     worker_path) and syncs customers equal to erpsim;
#   - the completion offers commands, kinds, options and the daemon's users;
#   - uninstall leaves no file, and no directory of erpsync's own; a second
#     install keeps an edited /etc config, and uninstall leaves it too.
# Usage: tests/install/t_install.sh [BIN]
BIN=${1:-bin}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
. "$REPO/tests/e2e/lib.sh"
TEST_NAME=t_install

D=$T/root			# DESTDIR
P=/usr/local			# PREFIX (the Makefile's default)
mk() { make -s -C "$REPO" "$@" >>"$T/make.log" 2>&1 || fail "make $*: $(tail -n 5 "$T/make.log")"; }

mk install DESTDIR="$D"
for f in sbin/erpsyncd sbin/erpsync-worker bin/erpsyncctl share/man/man8/erpsyncd.8 \
    share/man/man8/erpsyncctl.8 share/man/man5/erpsync.conf.5 \
    share/doc/erpsync/erpsync.conf.example lib/systemd/system/erpsyncd.service \
    share/bash-completion/completions/erpsyncctl; do
	[ -f "$D$P/$f" ] || fail "make install did not install $P/$f"
done
cmp -s "$REPO/deploy/erpsync.conf.example" "$D/etc/erpsync/erpsync.conf" ||
	fail "make install did not install /etc/erpsync/erpsync.conf"
[ -e "$D$P/libexec" ] && fail "make install made $P/libexec"
grep -qx "ExecStart=$P/sbin/erpsyncd -d -f /etc/erpsync/erpsync.conf" \
    "$D$P/lib/systemd/system/erpsyncd.service" || fail "the unit does not run $P/sbin/erpsyncd"
[ "$(stat -c %a "$D$P/sbin/erpsyncd")" = 755 ] || fail "erpsyncd is not mode 755"

# The installed daemon runs the installed worker (found beside it).
start_sim --customers 500 --seed 71
write_conf
sed -i '/^worker_path/d' "$T/erpsync.conf"
no_schedules
"$D$P/sbin/erpsyncd" -f "$T/erpsync.conf" -d >>"$T/erpsyncd.log" 2>&1 &
DAEMON_PID=$!
wait_for 10 ctl status || fail "the installed erpsyncd did not answer"
ctl sync customers --user agent1 --wait >"$T/sync.out" 2>&1 || fail "sync: $(cat "$T/sync.out")"
compare customers "$T/data/customers-agent1.db" agent1 >"$T/compare.out" 2>&1 ||
	fail "customers-agent1.db differs from erpsim: $(tail -n 5 "$T/compare.out")"

# Bash completion, with the installed erpsyncctl first in PATH.
complete_words() {
	PATH="$D$P/bin:$PATH" bash -c '. "$1"; shift
COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _erpsyncctl
printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' sh \
	    "$D$P/share/bash-completion/completions/erpsyncctl" erpsyncctl "$@"
}
command -v bash >/dev/null 2>&1 || fail "bash is missing"
got=$(complete_words sy)
[ "$got" = "sync " ] || fail "completion of 'sy': '$got'"
got=$(complete_words sync "")
[ "$got" = "customers orders prices products " ] || fail "completion of the kinds: '$got'"
got=$(complete_words sync customers --f)
[ "$got" = "--force --full " ] || fail "completion of sync's --f options: '$got'"
got=$(complete_words -s "$T/sock" sync customers --user "")
[ "$got" = "agent1 agent2 erpadmin " ] || fail "completion of the users: '$got'"
got=$(complete_words event access agent1 "")
[ "$got" = "customers orders prices products " ] || fail "completion of event access: '$got'"
stop_daemon

# Uninstall into a staging DESTDIR: nothing left, not even a directory.
mk uninstall DESTDIR="$D"
left=$(find "$D" -mindepth 1)
[ -z "$left" ] || fail "make uninstall left: $left"

# An edited config survives a second install and the uninstall.
mk install DESTDIR="$D"
echo "# edited by the operator" >>"$D/etc/erpsync/erpsync.conf"
cp "$D/etc/erpsync/erpsync.conf" "$T/edited.conf"
mk install DESTDIR="$D"
cmp -s "$T/edited.conf" "$D/etc/erpsync/erpsync.conf" || fail "a second make install overwrote the edited config"
mk uninstall DESTDIR="$D"
cmp -s "$T/edited.conf" "$D/etc/erpsync/erpsync.conf" || fail "make uninstall removed the edited config"
left=$(find "$D" ! -type d ! -path "$D/etc/erpsync/erpsync.conf")
[ -z "$left" ] || fail "make uninstall left: $left"
rm -f "$D/etc/erpsync/erpsync.conf"

# PREFIX=/usr: the unit follows.
mk install DESTDIR="$D" PREFIX=/usr
grep -qx "ExecStart=/usr/sbin/erpsyncd -d -f /etc/erpsync/erpsync.conf" \
    "$D/usr/lib/systemd/system/erpsyncd.service" || fail "with PREFIX=/usr the unit does not run /usr/sbin/erpsyncd"
mk uninstall DESTDIR="$D" PREFIX=/usr
left=$(find "$D" -mindepth 1)
[ -z "$left" ] || fail "make uninstall PREFIX=/usr left: $left"
note "ok"
