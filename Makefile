# erpsync — one non-recursive Makefile.
#   make              build bin/erpsyncd bin/erpsync-worker bin/erpsyncctl bin/erpsim
#   make check        install missing packages, build, run unit and end-to-end tests
#   make demo         install missing packages, build, run a real sync against erpsim
#   make ASAN=1 ...   build with AddressSanitizer + UBSan (into build-asan/, bin-asan/)
#   make coverage     the lines the tests run, per file (gcov; build-cov/, bin-cov/)
#   make install PREFIX=/usr/local DESTDIR=
#   make image        container image erpsync:VERSION (podman, mmdebstrap)
#   make check-container  build or reuse the image, run tests/container/

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc

PKG_CONFIG ?= pkg-config
# msgpack-c 6 (Debian 13) ships msgpack-c.pc; older ones msgpack.pc.
MSGPACK_PC := $(shell $(PKG_CONFIG) --exists msgpack-c 2>/dev/null && echo msgpack-c || echo msgpack)

# What each program links: only its own libraries.
SV_PKGS   = libevent sqlite3 $(MSGPACK_PC) inih
WK_PKGS   = sqlite3 libcurl $(MSGPACK_PC) libxml-2.0
CTL_PKGS  = $(MSGPACK_PC) inih
# Only erpsim speaks TLS (--tls-cert); nothing else links OpenSSL.
SIM_PKGS  = libevent zlib libevent_openssl openssl
UNIT_PKGS = $(sort $(SV_PKGS) $(WK_PKGS) $(CTL_PKGS)) check
# Headers every object may include (erpsim's TLS ones only for erpsim).
CC_PKGS   = $(sort $(SV_PKGS) $(WK_PKGS) $(CTL_PKGS) libevent zlib)
PKGS      = $(sort $(SV_PKGS) $(WK_PKGS) $(CTL_PKGS) $(SIM_PKGS))

# pkg-config runs when a recipe first needs its answer, not when the
# Makefile is read: `make check`, `make demo` and `make deps` reach
# deploy/deps.sh before anything asks for a library that may be missing.
# A failure stops the build and says why; it is never silently empty.
pkg_query = $(call pkg_result,$(shell $(PKG_CONFIG) --print-errors $(1) $(2) 2>&1),$(1) $(2))
pkg_result = $(if $(filter 0,$(.SHELLSTATUS)),$(1),$(error $(PKG_CONFIG) $(2) \
    failed: $(or $(1),no output); run sh deploy/deps.sh))
# $(call pkg_once,NAME,OPTION,PACKAGES): the answer, asked for once.
pkg_once = $(or $(PKGQ_$(1)),$(eval PKGQ_$(1) := $$(call pkg_query,$(2),$(3)))$(PKGQ_$(1)))

PKG_CFLAGS     = $(call pkg_once,cflags,--cflags,$(CC_PKGS))
SIM_TLS_CFLAGS = $(call pkg_once,simcflags,--cflags,libevent_openssl openssl)
CHECK_CFLAGS   = $(call pkg_once,checkcflags,--cflags,check)
SV_LIBS        = $(call pkg_once,sv,--libs,$(SV_PKGS))
WK_LIBS        = $(call pkg_once,wk,--libs,$(WK_PKGS))
CTL_LIBS       = $(call pkg_once,ctl,--libs,$(CTL_PKGS))
SIM_LIBS       = $(call pkg_once,sim,--libs,$(SIM_PKGS))
UNIT_LIBS      = $(call pkg_once,unit,--libs,$(UNIT_PKGS))
ROLES_LIBS     = $(call pkg_once,roles,--libs,$(sort $(SV_PKGS) $(WK_PKGS) $(CTL_PKGS)))

# The flags a build cannot do without live in REQUIRED_CFLAGS; CFLAGS is
# only optimisation and debugging, so `make CFLAGS=-O0` keeps -I., the
# warnings and -Werror.
WARN = -Wall -Wextra -Wformat=2 -Wmissing-prototypes -Wshadow -Wpointer-arith \
       -Wwrite-strings -Werror
CFLAGS  ?= -O2 -g
REQUIRED_CFLAGS = -std=gnu11 $(WARN) -I. -D_GNU_SOURCE $(PKG_CFLAGS) -MMD -MP

ifeq ($(ASAN),1)
B   = build-asan
BIN = bin-asan
SAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer \
	    -fno-sanitize-recover=undefined
else ifeq ($(COV),1)
# make coverage: gcov counts (the worker writes them before its _exit).
B   = build-cov
BIN = bin-cov
SAN_FLAGS = --coverage -DCOVERAGE
else
B   = build
BIN = bin
SAN_FLAGS =
endif

ALL_CFLAGS  = $(REQUIRED_CFLAGS) $(SAN_FLAGS) $(CFLAGS)
ALL_LDFLAGS = $(SAN_FLAGS) $(LDFLAGS)

# Every .c in a role folder is part of that role's library; main.c holds main().
lib_srcs = $(filter-out $(1)/main.c $(1)/ctl-main.c,$(wildcard $(1)/*.c))
COMMON_SRC     := $(call lib_srcs,common)
PROTO_SRC      := $(call lib_srcs,proto)
WORKER_SRC     := $(call lib_srcs,worker)
SUPERVISOR_SRC := $(filter-out supervisor/ctl%.c,$(call lib_srcs,supervisor))
CTL_SRC        := $(filter-out supervisor/ctl-main.c,$(wildcard supervisor/ctl*.c))
SIM_SRC        := $(wildcard tests/erpsim/*.c)
UNIT_SRC       := $(wildcard tests/unit/check_*.c)
# Fixtures and helpers the Check suites share (and the fuzzers, some).
TESTLIB_SRC    := $(filter-out $(UNIT_SRC),$(wildcard tests/unit/*.c))
BENCH_SRC      := $(wildcard bench/*.c)

objs = $(patsubst %.c,$(B)/%.o,$(1))

LIBCOMMON     = $(B)/libcommon.a
LIBPROTO      = $(B)/libproto.a
LIBWORKER     = $(B)/libworker.a
LIBSUPERVISOR = $(B)/libsupervisor.a
LIBCTL        = $(B)/libctl.a
LIBTEST       = $(B)/libtest.a

PROGS = $(BIN)/erpsyncd $(BIN)/erpsync-worker $(BIN)/erpsyncctl $(BIN)/erpsim
UNITS = $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRC))
BENCHES = $(patsubst bench/%.c,$(B)/bench/%,$(BENCH_SRC))

all: pkgcheck $(PROGS)

# Says what is missing before anything is compiled (make check installs
# the packages first; the pkg-config calls above only run after that).
pkgcheck:
	@$(PKG_CONFIG) --version >/dev/null 2>&1 || { echo "pkg-config is missing: run sh deploy/deps.sh" >&2; exit 1; }
	@$(PKG_CONFIG) --print-errors --exists $(PKGS) check || { echo "libraries are missing: run sh deploy/deps.sh" >&2; exit 1; }

# Objects depend on the compiler and the flags given on the command line
# too: `make CFLAGS=-O0 all` compiles everything again (with -Werror), and
# the next plain `make` does the same back.
FLAGS_SEEN = $(CC) | $(CFLAGS) | $(SAN_FLAGS)
$(B)/flags: FORCE
	@mkdir -p $(B)
	@echo '$(FLAGS_SEEN)' | cmp -s - $@ || echo '$(FLAGS_SEEN)' >$@

$(B)/%.o: %.c $(B)/flags
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/tests/unit/%.o: tests/unit/%.c $(B)/flags
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -c -o $@ $<

$(call objs,$(SIM_SRC)): $(B)/%.o: %.c $(B)/flags
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SIM_TLS_CFLAGS) -c -o $@ $<

$(LIBCOMMON): $(call objs,$(COMMON_SRC))
$(LIBPROTO): $(call objs,$(PROTO_SRC))
$(LIBWORKER): $(call objs,$(WORKER_SRC))
$(LIBSUPERVISOR): $(call objs,$(SUPERVISOR_SRC))
$(LIBCTL): $(call objs,$(CTL_SRC))
$(LIBTEST): $(call objs,$(TESTLIB_SRC))
$(B)/lib%.a:
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BIN)/erpsyncd: $(B)/supervisor/main.o $(LIBSUPERVISOR) $(LIBPROTO) $(LIBCOMMON)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(SV_LIBS) -lm

$(BIN)/erpsync-worker: $(B)/worker/main.o $(LIBWORKER) $(LIBPROTO) $(LIBCOMMON)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(WK_LIBS) -lm

$(BIN)/erpsyncctl: $(B)/supervisor/ctl-main.o $(LIBCTL) $(LIBPROTO) $(LIBCOMMON)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CTL_LIBS) -lm

$(BIN)/erpsim: $(call objs,$(SIM_SRC)) $(LIBCOMMON)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(SIM_LIBS) -lm

# Unit tests link the real objects of every role (archives pull only what is used).
$(B)/tests/check_%: $(B)/tests/unit/check_%.o $(LIBTEST) $(LIBWORKER) $(LIBSUPERVISOR) $(LIBCTL) $(LIBPROTO) $(LIBCOMMON)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(UNIT_LIBS) -lm

# Programs that print figures for make bench (never pass/fail).
$(BENCHES): $(B)/bench/%: $(B)/bench/%.o $(LIBTEST) $(LIBWORKER) $(LIBPROTO) $(LIBCOMMON)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(WK_LIBS) -lm

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
	    t_sessions_leak t_cut_answers t_tls t_new_db_race t_history t_wait_retry \
	    t_chain t_page_size t_filter_reset t_bad_values t_bad_mirror \
	    t_stale_pages t_shrink t_bad_worker t_error_pages t_expired_password \
	    t_worker_channel
	$(MAKE) check-install

# The concurrency- and fault-sensitive end-to-end scripts, N times in a row.
STRESS_N ?= 20
STRESS_TESTS = t_new_db_race t_cut_answers t_all_kinds t_sessions \
	t_sessions_leak t_sessions_limits t_customers_faults t_filter_reset \
	t_churn t_erpsim_faults t_recovery_worker t_admin_limits t_runs t_history \
	t_wait_retry t_watch t_hold_cmd t_access t_metrics t_chain t_page_size \
	t_wrong_password t_bad_values t_stale_pages t_shrink t_error_pages
stress: deps
	$(MAKE) all
	sh tests/e2e/stress.sh bin $(STRESS_N) $(STRESS_TESTS)

demo: deps
	$(MAKE) all
	sh deploy/demo.sh bin

# Which lines of the programs the unit tests and the end-to-end scripts
# run (gcov, -O0): per file of worker/ and per folder. Figures, never
# pass/fail; the counts start from zero each time.
coverage: deps
	rm -rf build-cov bin-cov
	$(MAKE) COV=1 CFLAGS="-O0 -g" all units
	sh tests/run-unit.sh build-cov
	sh tests/e2e/run.sh bin-cov
	sh tests/coverage.sh build-cov

bench: all $(BENCHES)
	B=$(B) sh bench/run.sh $(BIN)

# Installed as a Debian package would lay it out. The systemd unit goes
# to $(PREFIX)/lib/systemd/system (systemd reads /usr/local/lib/... and
# /usr/lib/...; a Debian package sets SYSTEMDUNITDIR=/lib/systemd/system).
# The worker sits beside erpsyncd, where erpsyncd looks for it when
# worker_path is empty. /etc/erpsync/erpsync.conf is installed only when
# absent, and uninstall removes it only while it is the unedited example.
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
BASHCOMPDIR    ?= $(PREFIX)/share/bash-completion/completions
SYSCONFDIR     ?= /etc
DOCDIR          = $(PREFIX)/share/doc/erpsync
MAN8 = $(wildcard man/*.8)
MAN5 = $(wildcard man/*.5)

install: all
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/bin \
	    $(DESTDIR)$(PREFIX)/share/man/man8 $(DESTDIR)$(PREFIX)/share/man/man5 \
	    $(DESTDIR)$(DOCDIR) $(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(BASHCOMPDIR) \
	    $(DESTDIR)$(SYSCONFDIR)/erpsync
	install -m 755 bin/erpsyncd bin/erpsync-worker $(DESTDIR)$(PREFIX)/sbin/
	install -m 755 bin/erpsyncctl $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(MAN8) $(DESTDIR)$(PREFIX)/share/man/man8/
	install -m 644 $(MAN5) $(DESTDIR)$(PREFIX)/share/man/man5/
	install -m 644 deploy/erpsync.conf.example $(DESTDIR)$(DOCDIR)/erpsync.conf.example
	sed 's|/usr/local/sbin/|$(PREFIX)/sbin/|g; s|/etc/erpsync/|$(SYSCONFDIR)/erpsync/|g' \
	    deploy/erpsyncd.service >$(DESTDIR)$(SYSTEMDUNITDIR)/erpsyncd.service
	chmod 644 $(DESTDIR)$(SYSTEMDUNITDIR)/erpsyncd.service
	install -m 644 deploy/bash-completion/erpsyncctl $(DESTDIR)$(BASHCOMPDIR)/erpsyncctl
	@if [ -e $(DESTDIR)$(SYSCONFDIR)/erpsync/erpsync.conf ]; then \
	    echo "$(DESTDIR)$(SYSCONFDIR)/erpsync/erpsync.conf exists: left as it is"; \
	else \
	    echo "install -m 644 deploy/erpsync.conf.example $(DESTDIR)$(SYSCONFDIR)/erpsync/erpsync.conf"; \
	    install -m 644 deploy/erpsync.conf.example $(DESTDIR)$(SYSCONFDIR)/erpsync/erpsync.conf; \
	fi

# Removes what install put there; an edited /etc/erpsync/erpsync.conf
# stays (and so does its directory). Shared directories (bin, man8, ...)
# are left; the ones that are erpsync's own go when empty.
uninstall:
	rm -f $(DESTDIR)$(PREFIX)/sbin/erpsyncd $(DESTDIR)$(PREFIX)/sbin/erpsync-worker \
	    $(DESTDIR)$(PREFIX)/bin/erpsyncctl \
	    $(addprefix $(DESTDIR)$(PREFIX)/share/man/man8/,$(notdir $(MAN8))) \
	    $(addprefix $(DESTDIR)$(PREFIX)/share/man/man5/,$(notdir $(MAN5))) \
	    $(DESTDIR)$(DOCDIR)/erpsync.conf.example \
	    $(DESTDIR)$(SYSTEMDUNITDIR)/erpsyncd.service \
	    $(DESTDIR)$(BASHCOMPDIR)/erpsyncctl
	@if cmp -s deploy/erpsync.conf.example $(DESTDIR)$(SYSCONFDIR)/erpsync/erpsync.conf; then \
	    echo "rm -f $(DESTDIR)$(SYSCONFDIR)/erpsync/erpsync.conf"; \
	    rm -f $(DESTDIR)$(SYSCONFDIR)/erpsync/erpsync.conf; \
	elif [ -e $(DESTDIR)$(SYSCONFDIR)/erpsync/erpsync.conf ]; then \
	    echo "$(DESTDIR)$(SYSCONFDIR)/erpsync/erpsync.conf was edited: left as it is"; \
	fi
	@rmdir $(DESTDIR)$(DOCDIR) $(DESTDIR)$(SYSCONFDIR)/erpsync 2>/dev/null || true
	@# Into a staging DESTDIR, leave nothing: its directories install made
	@# go too when empty (never on a live system: /usr/local/sbin stays).
	@if [ -n "$(DESTDIR)" ] && [ "$(DESTDIR)" != / ]; then \
	    for d in $(PREFIX)/share/man/man8 $(PREFIX)/share/man/man5 \
	        $(PREFIX)/share/man $(PREFIX)/share/doc $(BASHCOMPDIR) \
	        $(dir $(BASHCOMPDIR)) $(PREFIX)/share $(SYSTEMDUNITDIR) \
	        $(dir $(SYSTEMDUNITDIR)) $(PREFIX)/lib $(PREFIX)/sbin \
	        $(PREFIX)/bin $(PREFIX) $(SYSCONFDIR); do \
	        while [ "$$d" != / ] && [ -n "$$d" ]; do \
	            rmdir "$(DESTDIR)$$d" 2>/dev/null || break; \
	            d=$$(dirname "$$d"); \
	        done; \
	    done; \
	fi

# make install and make uninstall into a temporary DESTDIR; the Kubernetes
# manifests against the image and the example config.
check-install: all
	sh tests/install/t_install.sh
	python3 tests/k8s/t_manifests.py

# The version every program reports (common/common.h).
VERSION := $(shell sed -n 's/^\#define ERPSYNC_VERSION "\(.*\)"/\1/p' common/common.h)

# The container image erpsync:VERSION (deploy/image/build.sh), and its test.
image: all
	@sh deploy/deps.sh image
	sh deploy/image/build.sh bin $(VERSION)

check-container: image
	sh tests/container/t_image.sh bin $(VERSION)

clean:
	rm -rf build build-asan build-cov bin bin-asan bin-cov

.PHONY: all pkgcheck units deps check stress demo coverage bench install uninstall check-install clean image check-container FORCE
FORCE:
.DELETE_ON_ERROR:
# Objects are intermediate files of the test and bench programs: keep them.
.SECONDARY:

include tests/fuzz/fuzz.mk

-include $(shell find $(B) -name '*.d' 2>/dev/null)
