#!/bin/sh
# Build the proto fuzz target and run it for a bounded time.
#   sh tests/fuzz/run.sh [SECONDS]      (default 30)
# With clang and its libFuzzer runtime: a libFuzzer build with ASan+UBSan.
# Otherwise: the standalone build (gcc or clang) with ASan+UBSan, mutating
# built-in frames. Exits non-zero when the target crashes; crash inputs are
# kept in build/fuzz/crashes/. Not part of `make check`.
# Environment: FUZZ_OUT (default build/fuzz), FUZZ_ENGINE=standalone to skip
# libFuzzer, FUZZ_SEED (standalone seed, default 1), CC (standalone compiler).
set -eu

secs=${1:-30}
case $secs in
''|*[!0-9]*) echo "usage: $0 [seconds]" >&2; exit 2 ;;
esac

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
out=${FUZZ_OUT:-$root/build/fuzz}
mkdir -p "$out/corpus" "$out/seeds" "$out/crashes"

mp_cflags=$(pkg-config --cflags msgpack)
mp_libs=$(pkg-config --libs msgpack)
# No -Werror here: this is a test build, and some sanitizer/optimizer mixes
# give false positives the real build never sees.
cflags="-std=gnu11 -g -O1 -fno-omit-frame-pointer -I. -D_GNU_SOURCE $mp_cflags"
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
srcs=tests/fuzz/fuzz_frame.c
for f in proto/*.c common/*.c; do
	case $f in */main.c) ;; *) srcs="$srcs $f" ;; esac
done

# Sanitizer settings for both builds: stop at the first error, and treat a
# single allocation above 2 GB as a crash (libFuzzer's default malloc limit).
export ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}max_allocation_size_mb=2048:allocator_may_return_null=0"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-}${UBSAN_OPTIONS:+:}print_stacktrace=1:halt_on_error=1"

have_libfuzzer() {
	[ "${FUZZ_ENGINE:-}" != standalone ] || return 1
	command -v clang >/dev/null 2>&1 || return 1
	printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' \
	    >"$out/probe.c"
	clang -fsanitize=fuzzer,address,undefined "$out/probe.c" -o "$out/probe" \
	    >/dev/null 2>&1
}

# The standalone build always exists: it writes the seed corpus, and is the
# engine when libFuzzer is missing.
scc=${CC:-}
if [ -z "$scc" ]; then
	if command -v clang >/dev/null 2>&1; then scc=clang; else scc=gcc; fi
fi
echo "fuzz: building standalone target with $scc"
# shellcheck disable=SC2086
$scc $cflags $san -DFUZZ_STANDALONE -o "$out/fuzz_frame_standalone" $srcs \
    $mp_libs -lm
"$out/fuzz_frame_standalone" -w "$out/seeds"

if have_libfuzzer; then
	echo "fuzz: building libFuzzer target with clang"
	# shellcheck disable=SC2086
	clang $cflags -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=undefined -o "$out/fuzz_frame" $srcs $mp_libs -lm
	echo "fuzz: libFuzzer for ${secs}s (log: $out/fuzz.log)"
	set +e
	"$out/fuzz_frame" -max_total_time="$secs" -max_len=65536 -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix="$out/crashes/" "$out/corpus" "$out/seeds" \
	    >"$out/fuzz.log" 2>&1
	rc=$?
	set -e
	grep -E '^(stat::|Done|INFO: Running with|==[0-9]+==|SUMMARY|artifact_prefix|Test unit written|.*ERROR)' \
	    "$out/fuzz.log" || true
	if [ $rc -ne 0 ]; then
		echo "fuzz: CRASH (exit $rc); report:" >&2
		grep -A40 -m1 -E 'ERROR|==[0-9]+==|runtime error|invariant broken|deadly signal' \
		    "$out/fuzz.log" >&2 || tail -n 60 "$out/fuzz.log" >&2
		echo "fuzz: replay with: $out/fuzz_frame_standalone $out/crashes/<file>" >&2
		exit 1
	fi
	echo "fuzz: no crash"
	exit 0
fi

echo "fuzz: libFuzzer not available; standalone for ${secs}s"
set +e
"$out/fuzz_frame_standalone" -c "$out/crashes" -s "${FUZZ_SEED:-1}" \
    -t "$secs" >"$out/fuzz.log" 2>&1
rc=$?
set -e
if [ $rc -ne 0 ]; then
	echo "fuzz: CRASH (exit $rc); report:" >&2
	head -n 60 "$out/fuzz.log" >&2
	exit 1
fi
cat "$out/fuzz.log"
# Replaying the corpus (libFuzzer's, when there is one) costs little.
"$out/fuzz_frame_standalone" -c "$out/crashes" "$out/seeds" "$out/corpus"
echo "fuzz: no crash"
