#!/bin/sh
# make bench: figures, never pass/fail. Runs each bench/b_*.sh with BIN=$1
# (and B, the build directory of the bench programs, from the Makefile).
bin=${1:-bin}
cd "$(dirname "$0")/.." || exit 1
for b in bench/b_*.sh; do
	BIN="$bin" sh "$b"
done
