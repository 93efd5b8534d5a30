# erpsync — one non-recursive Makefile.
#   make              build bin/erpsyncd bin/erpsync-worker bin/erpsyncctl bin/erpsim
#   make check        install missing packages, build, run unit and end-to-end tests
#   make demo         install missing packages, build, run a real sync against erpsim
#   make ASAN=1 ...   build with AddressSanitizer + UBSan (into build-asan/, bin-asan/)
#   make install PREFIX=/usr/local DESTDIR=

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc

PKGS     = libevent sqlite3 libcurl msgpack libxml-2.0 inih zlib
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# Only erpsim speaks TLS (--tls-cert); nothing else links OpenSSL.
SIM_TLS_CFLAGS := $(shell pkg-config --cflags libevent_openssl openssl 2>/dev/null)
SIM_TLS_LIBS   := $(shell pkg-config --libs libevent_openssl openssl 2>/dev/null)
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null)

WARN = -Wall -Wextra -Wformat=2 -Wmissing-prototypes -Wshadow -Wpointer-arith \
       -Wwrite-strings -Werror
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 $(WARN) -I. $(PKG_CFLAGS) -D_GNU_SOURCE
LDLIBS  = $(PKG_LIBS) -lm

ifeq ($(ASAN),1)
B   = build-asan
BIN = bin-asan
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
else
B   = build
BIN = bin
endif

# Every .c in a role folder is part of that role's library; main.c holds main().
lib_srcs = $(filter-out $(1)/main.c $(1)/ctl-main.c,$(wildcard $(1)/*.c))
COMMON_SRC     := $(call lib_srcs,common)
PROTO_SRC      := $(call lib_srcs,proto)
WORKER_SRC     := $(call lib_srcs,worker)
SUPERVISOR_SRC := $(filter-out supervisor/ctl%.c,$(call lib_srcs,supervisor))
CTL_SRC        := $(filter-out supervisor/ctl-main.c,$(wildcard supervisor/ctl*.c))
SIM_SRC        := $(wildcard tests/erpsim/*.c)
UNIT_SRC       := $(wildcard tests/unit/check_*.c)

objs = $(patsubst %.c,$(B)/%.o,$(1))

LIBCOMMON     = $(B)/libcommon.a
LIBPROTO      = $(B)/libproto.a
LIBWORKER     = $(B)/libworker.a
LIBSUPERVISOR = $(B)/libsupervisor.a
LIBCTL        = $(B)/libctl.a

PROGS = $(BIN)/erpsyncd $(BIN)/erpsync-worker $(BIN)/erpsyncctl $(BIN)/erpsim
UNITS = $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRC))

all: pkgcheck $(PROGS)

# The flags above are read quietly (make check installs the packages first);
# a build without them stops here and says what is missing.
pkgcheck:
	@pkg-config --version >/dev/null 2>&1 || { echo "pkg-config is missing: run sh deploy/deps.sh" >&2; exit 1; }
	@pkg-config --print-errors --exists $(PKGS) check || { echo "libraries are missing: run sh deploy/deps.sh" >&2; exit 1; }

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(B)/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(CHECK_CFLAGS) -MMD -MP -c -o $@ $<

$(LIBCOMMON): $(call objs,$(COMMON_SRC))
$(LIBPROTO): $(call objs,$(PROTO_SRC))
$(LIBWORKER): $(call objs,$(WORKER_SRC))
$(LIBSUPERVISOR): $(call objs,$(SUPERVISOR_SRC))
$(LIBCTL): $(call objs,$(CTL_SRC))
$(B)/lib%.a:
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BIN)/erpsyncd: $(B)/supervisor/main.o $(LIBSUPERVISOR) $(LIBPROTO) $(LIBCOMMON)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BIN)/erpsync-worker: $(B)/worker/main.o $(LIBWORKER) $(LIBPROTO) $(LIBCOMMON)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BIN)/erpsyncctl: $(B)/supervisor/ctl-main.o $(LIBCTL) $(LIBPROTO) $(LIBCOMMON)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(call objs,$(SIM_SRC)): CFLAGS += $(SIM_TLS_CFLAGS)
$(BIN)/erpsim: $(call objs,$(SIM_SRC)) $(LIBCOMMON)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(SIM_TLS_LIBS) $(LDLIBS)

# Unit tests link the real objects of every role (archives pull only what is used).
$(B)/tests/check_%: $(B)/tests/unit/check_%.o $(B)/tests/unit/testutil.o $(LIBWORKER) $(LIBSUPERVISOR) $(LIBCTL) $(LIBPROTO) $(LIBCOMMON)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(LDLIBS)

units: pkgcheck $(UNITS)

deps:
	@sh deploy/deps.sh

# Unit tests run twice: plain, and under ASan+UBSan. Then the end-to-end
# scripts, and a few of them again with the sanitized programs.
check: deps
	$(MAKE) all units
	$(MAKE) ASAN=1 all units
	sh tests/run-unit.sh build
	sh tests/run-unit.sh build-asan
	sh tests/e2e/run.sh bin
	sh tests/e2e/run.sh bin-asan t_customers_sync t_customers_resume t_sessions t_delta \
	    t_sessions_leak t_cut_answers t_tls t_new_db_race

# The concurrency- and fault-sensitive end-to-end scripts, N times in a row.
STRESS_N ?= 20
STRESS_TESTS = t_new_db_race t_cut_answers t_all_kinds t_sessions \
	t_sessions_leak t_sessions_limits t_customers_faults t_filter_reset \
	t_churn t_erpsim_faults t_recovery_worker t_admin_limits t_hold_cmd
stress: deps
	$(MAKE) all
	sh tests/e2e/stress.sh bin $(STRESS_N) $(STRESS_TESTS)

demo: deps
	$(MAKE) all
	sh deploy/demo.sh bin

bench: all
	sh bench/run.sh bin

install: all
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/libexec/erpsync
	install -m 755 bin/erpsyncd $(DESTDIR)$(PREFIX)/sbin/erpsyncd
	install -m 755 bin/erpsync-worker $(DESTDIR)$(PREFIX)/sbin/erpsync-worker
	install -m 755 bin/erpsyncctl $(DESTDIR)$(PREFIX)/bin/erpsyncctl
	install -d $(DESTDIR)$(PREFIX)/share/man/man8 $(DESTDIR)$(PREFIX)/share/man/man5
	for m in man/*.8; do [ -f "$$m" ] && install -m 644 "$$m" $(DESTDIR)$(PREFIX)/share/man/man8/; done; true
	for m in man/*.5; do [ -f "$$m" ] && install -m 644 "$$m" $(DESTDIR)$(PREFIX)/share/man/man5/; done; true

clean:
	rm -rf build build-asan bin bin-asan

.PHONY: all pkgcheck units deps check stress demo bench install clean
.DELETE_ON_ERROR:

include tests/fuzz/fuzz.mk

-include $(shell find $(B) -name '*.d' 2>/dev/null)
