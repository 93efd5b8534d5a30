#!/bin/sh
# Build a fuzz target and run it for a bounded time.
#   sh tests/fuzz/run.sh [TARGET] [SECONDS]    (default: frame, 30)
#   sh tests/fuzz/run.sh SECONDS               (frame, as before)
# TARGET is one of: frame gridsax value form config ctl.
# With clang and its libFuzzer runtime: `make fuzz` builds every target
# (ASan+UBSan) into build/fuzz/, and the target runs on its corpus
# (build/fuzz/corpus/TARGET/, kept between runs) and seeds
# (build/fuzz/seeds/TARGET/). Without libFuzzer only `frame` runs, as a
# standalone build (gcc or clang) mutating built-in frames. Exits non-zero
# when the target crashes; crash inputs are kept in
# build/fuzz/crashes/TARGET/. Not part of `make check`.
# Environment: FUZZ_OUT (default build/fuzz), FUZZ_ENGINE=standalone to skip
# libFuzzer (frame only), FUZZ_SEED (standalone seed, default 1), CC
# (standalone compiler), FUZZ_JOBS (make -j for the build, default 1).
set -eu

target=frame
case ${1:-} in
'') ;;
*[!0-9]*) target=$1; shift ;;
esac
secs=${1:-30}
case $secs in
''|*[!0-9]*) echo "usage: $0 [TARGET] [SECONDS]" >&2; exit 2 ;;
esac
case $target in
frame|gridsax|value|form|config|ctl|cut) ;;
*) echo "$0: unknown target \"$target\" (frame gridsax value form config ctl cut)" >&2
   exit 2 ;;
esac

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
out=${FUZZ_OUT:-build/fuzz}
corpus=$out/corpus/$target
crashes=$out/crashes/$target
log=$out/$target.log
mkdir -p "$corpus" "$crashes"

# Sanitizer settings for both builds: stop at the first error, and treat a
# single allocation above 2 GB as a crash (libFuzzer's default malloc limit).
export ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}max_allocation_size_mb=2048:allocator_may_return_null=0"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-}${UBSAN_OPTIONS:+:}print_stacktrace=1:halt_on_error=1"

have_libfuzzer() {
	[ "${FUZZ_ENGINE:-}" != standalone ] || return 1
	command -v clang >/dev/null 2>&1 || return 1
	mkdir -p "$out"
	printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' \
	    >"$out/probe.c"
	clang -fsanitize=fuzzer,address,undefined "$out/probe.c" -o "$out/probe" \
	    >/dev/null 2>&1
}

# Largest input worth trying, per target.
case $target in
value|ctl) max_len=4096 ;;
*) max_len=65536 ;;
esac

if have_libfuzzer; then
	echo "fuzz: building with make fuzz"
	${MAKE:-make} -s -j"${FUZZ_JOBS:-1}" FZ="$out" \
	    "$out/fuzz_$target" "$out/seeds/$target/.done"
	echo "fuzz: $target for ${secs}s (log: $log)"
	set +e
	"$out/fuzz_$target" -max_total_time="$secs" -max_len="$max_len" \
	    -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix="$crashes/" "$corpus" "$out/seeds/$target" \
	    >"$log" 2>&1
	rc=$?
	set -e
	grep -a -E '^(stat::|Done|INFO: Running with|==[0-9]+==|SUMMARY|artifact_prefix|Test unit written|.*ERROR)' \
	    "$log" || true
	grep -a -E '^#[0-9]+' "$log" | tail -n 1
	echo "fuzz: corpus $(ls "$corpus" | wc -l) files in $corpus"
	if [ $rc -ne 0 ]; then
		echo "fuzz: $target CRASH (exit $rc); report:" >&2
		grep -a -A40 -m1 -E 'ERROR|==[0-9]+==|runtime error|invariant broken|deadly signal' \
		    "$log" >&2 || tail -n 60 "$log" >&2
		echo "fuzz: replay with: $out/fuzz_$target $crashes/<file>" >&2
		exit 1
	fi
	echo "fuzz: $target: no crash"
	exit 0
fi

if [ "$target" != frame ]; then
	echo "fuzz: $target needs clang with libFuzzer: sh deploy/deps.sh fuzz" >&2
	exit 2
fi

# The frame target without libFuzzer: its standalone build, with $CC.
mp_cflags=$(pkg-config --cflags msgpack)
mp_libs=$(pkg-config --libs msgpack)
cflags="-std=gnu11 -g -O1 -fno-omit-frame-pointer -I. -D_GNU_SOURCE $mp_cflags"
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
srcs="tests/fuzz/fuzz_frame.c tests/unit/protofix.c"
for f in proto/*.c common/*.c; do
	case $f in */main.c) ;; *) srcs="$srcs $f" ;; esac
done
scc=${CC:-}
if [ -z "$scc" ]; then
	if command -v clang >/dev/null 2>&1; then scc=clang; else scc=gcc; fi
fi
mkdir -p "$out/seeds/frame"
echo "fuzz: building standalone target with $scc"
# shellcheck disable=SC2086
$scc $cflags $san -DFUZZ_STANDALONE -o "$out/fuzz_frame_standalone" $srcs \
    $mp_libs -lm
"$out/fuzz_frame_standalone" -w "$out/seeds/frame"
echo "fuzz: libFuzzer not available; standalone for ${secs}s"
set +e
"$out/fuzz_frame_standalone" -c "$crashes" -s "${FUZZ_SEED:-1}" \
    -t "$secs" >"$log" 2>&1
rc=$?
set -e
if [ $rc -ne 0 ]; then
	echo "fuzz: CRASH (exit $rc); report:" >&2
	head -n 60 "$log" >&2
	exit 1
fi
cat "$log"
# Replaying the corpus (libFuzzer's, when there is one) costs little.
"$out/fuzz_frame_standalone" -c "$crashes" "$out/seeds/frame" "$corpus"
echo "fuzz: no crash"
