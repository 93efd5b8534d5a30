#!/bin/sh
# The man pages render without a warning (groff -ww, and man -l as a
# reader sees them), and erpsyncctl(8) documents every command and every
# option of erpsyncctl's command table, and --version on the programs.
. "$(dirname "$0")/lib.sh"

command -v groff >/dev/null || fail "groff is missing: run sh deploy/deps.sh (groff-base)"
command -v man >/dev/null || fail "man is missing: run sh deploy/deps.sh (man-db)"
n=0
for m in "$REPO"/man/*.[1-9]; do
	n=$((n + 1))
	groff -ww -z -mandoc "$m" >"$T/groff.err" 2>&1 || fail "groff failed on $m: $(cat "$T/groff.err")"
	[ -s "$T/groff.err" ] && fail "groff warns on $(basename "$m"): $(head -5 "$T/groff.err")"
	MANWIDTH=80 MAN_KEEP_FORMATTING= man -l "$m" >"$T/page.out" 2>"$T/man.err" || fail "man -l $m exited $?"
	[ -s "$T/man.err" ] && fail "man -l $(basename "$m") warns: $(head -5 "$T/man.err")"
	grep -q "^NAME" "$T/page.out" && grep -q "^DESCRIPTION" "$T/page.out" ||
		fail "$(basename "$m") has no NAME or DESCRIPTION: $(head -5 "$T/page.out")"
done
[ "$n" -ge 3 ] || fail "only $n man pages"

# Every command of the table and each of its options is in erpsyncctl(8).
page=$REPO/man/erpsyncctl.8
"$BIN/erpsyncctl" --help >"$T/usage.out" || fail "erpsyncctl --help"
sed -n '/^commands:/,$ s/^  \([a-z][a-z]*\)\( \(.*\)\)\{0,1\}$/\1 \3/p' "$T/usage.out" >"$T/cmds"
[ "$(wc -l <"$T/cmds")" -ge 15 ] || fail "erpsyncctl --help: $(cat "$T/usage.out")"
while read -r c rest; do
	grep -Eq "^\.(It )?Ic $c( |\$)" "$page" ||
		fail "erpsyncctl(8) does not document $c"
	for o in $(echo "$rest" | grep -o -- '\(^\| \|\[\|[|]\)--*[a-z][-a-z]*' | tr -d ' [|' | sort -u); do
		[ "$o" = "--" ] && continue
		f=$(echo "$o" | sed 's/^-//')
		grep -q "Fl $f\b" "$page" || fail "erpsyncctl(8) does not document $c $o"
	done
done <"$T/cmds"
for p in erpsyncctl erpsyncd; do
	grep -q "Fl -version" "$REPO/man/$p.8" || fail "$p(8) does not document --version"
done
note "ok: $n pages"
