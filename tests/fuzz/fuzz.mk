# tests/fuzz/fuzz.mk — libFuzzer targets, included by the Makefile.
#   make fuzz         build every target into build/fuzz/ (clang, libFuzzer,
#                     ASan + UBSan) and its seed corpus into build/fuzz/seeds/
#   make fuzz-smoke   run each target for 20 s; fails if any crashes
# Not part of `make check`; needs clang and its libFuzzer runtime
# (`sh deploy/deps.sh fuzz`). See tests/fuzz/README.md.

FUZZ_CC      ?= clang
FUZZ_SECS    ?= 20
FZ            = build/fuzz
FUZZ_TARGETS  = frame gridsax value form config ctl cut

# The real code is compiled again, instrumented for coverage and sanitized.
# No -Werror: clang's warnings are not gcc's, and the real build has those.
FZ_CFLAGS = -std=gnu11 -g -O1 -fno-omit-frame-pointer -I. $(PKG_CFLAGS) \
	    -D_GNU_SOURCE -Wall -Wextra -fsanitize=address,undefined \
	    -fno-sanitize-recover=undefined
# libfix.a: the unit tests' proto/ fixtures (protofix.c), which fuzz_frame
# uses for its seed frames and its per-type helpers.
FZ_FIX_SRC = tests/unit/protofix.c
FZ_LIBS   = $(FZ)/libfix.a $(FZ)/libworker.a $(FZ)/libsupervisor.a $(FZ)/libctl.a \
	    $(FZ)/libproto.a $(FZ)/libcommon.a
FZ_BINS   = $(patsubst %,$(FZ)/fuzz_%,$(FUZZ_TARGETS))
FZ_SEEDS  = $(patsubst %,$(FZ)/seeds/%/.done,$(FUZZ_TARGETS))

fzobjs = $(patsubst %.c,$(FZ)/obj/%.o,$(1))

fuzz: $(FZ_BINS) $(FZ_SEEDS)

fuzz-smoke: fuzz
	@pass=0; fail=0; failed=""; \
	for t in $(FUZZ_TARGETS); do \
		if sh tests/fuzz/run.sh $$t $(FUZZ_SECS); then \
			pass=$$((pass + 1)); \
		else \
			fail=$$((fail + 1)); failed="$$failed $$t"; \
		fi; \
	done; \
	echo "fuzz-smoke: $$pass passed, $$fail failed"; \
	[ $$fail -eq 0 ] || { echo "crashed:$$failed"; exit 1; }

# Says what to install when clang or its libFuzzer runtime is missing.
fuzz-toolchain:
	@mkdir -p $(FZ)
	@printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
	    'int LLVMFuzzerTestOneInput(const uint8_t *, size_t);' \
	    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
	    >$(FZ)/probe.c
	@$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $(FZ)/probe \
	    $(FZ)/probe.c >/dev/null 2>&1 || { \
		echo "make fuzz: needs clang with its libFuzzer runtime" \
		    "($(FUZZ_CC) -fsanitize=fuzzer failed)." >&2; \
		echo "make fuzz: install them with: sh deploy/deps.sh fuzz" \
		    "(Debian: clang libclang-rt-14-dev)" >&2; \
		exit 1; }

# As the real build's objects do (build/flags), these depend on the
# compiler and flags they were built with: FUZZ_CC=clang-16 compiles them
# all again.
FZ_FLAGS_SEEN = $(FUZZ_CC) | $(FZ_CFLAGS)
$(FZ)/flags: FORCE
	@mkdir -p $(FZ)
	@echo '$(FZ_FLAGS_SEEN)' | cmp -s - $@ || echo '$(FZ_FLAGS_SEEN)' >$@

$(FZ)/obj/%.o: %.c $(FZ)/flags | fuzz-toolchain
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FZ)/libcommon.a: $(call fzobjs,$(COMMON_SRC))
$(FZ)/libproto.a: $(call fzobjs,$(PROTO_SRC))
$(FZ)/libworker.a: $(call fzobjs,$(WORKER_SRC))
$(FZ)/libsupervisor.a: $(call fzobjs,$(SUPERVISOR_SRC))
$(FZ)/libctl.a: $(call fzobjs,$(CTL_SRC))
$(FZ)/libfix.a: $(call fzobjs,$(FZ_FIX_SRC))
$(FZ_LIBS):
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

# fuzz_gridsax and fuzz_form compare the worker's readers with the tests'
# references, walks of libxml2's tree, and say how they differ (refdiff.c).
$(FZ)/fuzz_gridsax: $(FZ)/obj/tests/unit/gridref.o \
    $(FZ)/obj/tests/unit/formref.o $(FZ)/obj/tests/unit/dom.o \
    $(FZ)/obj/tests/unit/refdiff.o
$(FZ)/fuzz_form: $(FZ)/obj/tests/unit/formref.o $(FZ)/obj/tests/unit/dom.o \
    $(FZ)/obj/tests/unit/refdiff.o
$(FZ_BINS): $(FZ)/fuzz_%: $(FZ)/obj/tests/fuzz/fuzz_%.o $(FZ_LIBS)
	$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $@ \
	    $(filter %.o,$^) $(FZ_LIBS) $(ROLES_LIBS) -lm

# fuzz_frame's own main() writes its seed frames (and runs without
# libFuzzer: see tests/fuzz/run.sh).
$(FZ)/fuzz_frame_standalone: tests/fuzz/fuzz_frame.c $(FZ_FIX_SRC) \
    $(PROTO_SRC) $(COMMON_SRC) $(FZ)/flags | fuzz-toolchain
	$(FUZZ_CC) $(FZ_CFLAGS) -DFUZZ_STANDALONE -o $@ $(filter %.c,$^) \
	    $(ROLES_LIBS) -lm

# Seed corpora: small committed seeds, golden pages under 64 KB, the
# example config, and the frames fuzz_frame writes.
FZ_PAGES = $(filter-out %_200.html %_200_cb.html,\
	   $(wildcard tests/unit/golden/hand/*.html tests/unit/golden/erpsim/*.html))

$(FZ)/seeds/frame/.done: $(FZ)/fuzz_frame_standalone
	@mkdir -p $(dir $@)
	$(FZ)/fuzz_frame_standalone -w $(dir $@)
	@touch $@

$(FZ)/seeds/gridsax/.done $(FZ)/seeds/form/.done $(FZ)/seeds/cut/.done: $(FZ_PAGES)
	@mkdir -p $(dir $@)
	for f in $(FZ_PAGES); do \
		d=$${f%/*}; cp $$f $(dir $@)$${d##*/}_$${f##*/} || exit 1; \
	done
	@touch $@

$(FZ)/seeds/value/.done: $(wildcard tests/fuzz/seeds/value/*)
$(FZ)/seeds/ctl/.done: $(wildcard tests/fuzz/seeds/ctl/*)
$(FZ)/seeds/value/.done $(FZ)/seeds/ctl/.done:
	@mkdir -p $(dir $@)
	cp $^ $(dir $@)
	@touch $@

# The example config, its credentials path made the one the target writes,
# then a NUL and a credentials file.
$(FZ)/seeds/config/.done: deploy/erpsync.conf.example \
    $(wildcard tests/fuzz/seeds/config/*)
	@mkdir -p $(dir $@)
	cp tests/fuzz/seeds/config/* $(dir $@)
	{ sed 's|^credentials = .*|credentials = credentials|' \
	    deploy/erpsync.conf.example; printf '\000agent1:agent1pw\n'; } \
	    >$(dir $@)example.conf
	@touch $@

.PHONY: fuzz fuzz-smoke fuzz-toolchain
