# loghunt: GNU make.  `make` builds ./loghunt; `make test` runs every test.
# Library flags come from pkg-config; WERROR= disables -Werror for distro builds.

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
PKGS    := libarchive json-c libzstd zlib libsystemd liblzma
# ISA-L's igzip inflates gzip about 3x faster than zlib (bench/README):
# used when installed (Debian libisal-dev), zlib otherwise.
ISAL    := $(shell pkg-config --exists libisal && echo libisal)
ISAL_DEF:= $(if $(ISAL),-DLH_HAVE_ISAL)
WERROR  ?= -Werror
OPT     ?= -O2 -g
WARN    := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wcast-qual -Wpointer-arith -Wformat=2 \
           -Wvla -Wwrite-strings -Wundef $(WERROR)
CFLAGS  ?= $(OPT)
ALL_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(ISAL_DEF) $(WARN) \
           -I. $(shell pkg-config --cflags $(PKGS)) -pthread -MMD -MP $(CFLAGS) $(SANFLAGS)
LDLIBS  := $(shell pkg-config --libs $(PKGS) $(ISAL)) -lbz2 -pthread -lm
BUILD   ?= build
# The builds of `make check` compile on every core (its tests run in turn).
NPROC   := $(shell nproc 2> /dev/null || echo 2)

CORE_SRC    := $(wildcard core/*.c)
FORMATS_SRC := $(wildcard formats/*.c)
CLI_SRC     := $(wildcard cli/*.c)
RULES_NDJSON:= $(sort $(wildcard rules/*.ndjson))
UNIT_SRC    := $(wildcard tests/unit/*_test.c)
STRESS_SRC  := $(wildcard tests/stress/*.c)

CORE_OBJ    := $(CORE_SRC:%.c=$(BUILD)/%.o)
FORMATS_OBJ := $(FORMATS_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ     := $(CLI_SRC:%.c=$(BUILD)/%.o) $(BUILD)/cli/rules_blob.o
UNIT_OBJ    := $(UNIT_SRC:%.c=$(BUILD)/%.o)

.PHONY: all bins test check unit cli-test check-deps lint asan tsan clean install fuzz \
        fuzz-smoke fuzz-bins fuzz-run

all: loghunt

loghunt: $(BUILD)/loghunt
	cp $< $@

$(BUILD)/loghunt: $(CLI_OBJ) $(BUILD)/libformats.a $(BUILD)/libcore.a
	$(CC) $(ALL_CFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libformats.a $(BUILD)/libcore.a $(LDLIBS)

$(BUILD)/libcore.a: $(CORE_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/libformats.a: $(FORMATS_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The built-in rules: every rules/*.ndjson, embedded as one NUL-terminated string.
$(BUILD)/cli/rules_blob.c: $(RULES_NDJSON) tools/embed.sh
	@mkdir -p $(dir $@)
	sh tools/embed.sh lh_builtin_rules $(RULES_NDJSON) > $@

$(BUILD)/cli/rules_blob.o: $(BUILD)/cli/rules_blob.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# ---- tests -------------------------------------------------------------------
$(BUILD)/unit_tests: $(UNIT_OBJ) $(BUILD)/cli/escape.o $(BUILD)/libformats.a $(BUILD)/libcore.a
	$(CC) $(ALL_CFLAGS) -o $@ $(UNIT_OBJ) $(BUILD)/cli/escape.o $(BUILD)/libformats.a $(BUILD)/libcore.a $(LDLIBS) -lcriterion

unit: $(BUILD)/unit_tests
	$(BUILD)/unit_tests --jobs 2

cli-test: loghunt
	sh tests/cli/run.sh ./loghunt

test: check-deps unit cli-test lint

# Everything CI runs: the tests, again under ASan+UBSan, the stress drivers
# and a full scan under TSan, and a short run of every fuzz target.
check: bins test asan tsan fuzz-smoke

# The binaries `make test` runs, built on every core.
bins:
	$(MAKE) -j$(NPROC) loghunt $(BUILD)/unit_tests

# Nothing in core/ may include cli/ or formats/; formats/ may not include cli/.
check-deps:
	@! grep -rn '#include "\(cli\|formats\)/' core/ || { echo "core/ depends on cli/ or formats/"; exit 1; }
	@! grep -rn '#include "cli/' formats/ || { echo "formats/ depends on cli/"; exit 1; }

lint:
	mandoc -Tlint -Wwarning man/loghunt.1

ASAN_VARS := BUILD=build-asan OPT="-O1 -g" SANFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"

asan:
	$(MAKE) -j$(NPROC) $(ASAN_VARS) build-asan/loghunt build-asan/unit_tests
	$(MAKE) $(ASAN_VARS) unit asan-cli

asan-cli: $(BUILD)/loghunt
	ASAN_OPTIONS=detect_leaks=1 sh tests/cli/run.sh $(BUILD)/loghunt

$(BUILD)/stress/%: tests/stress/%.c $(BUILD)/libformats.a $(BUILD)/libcore.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libformats.a $(BUILD)/libcore.a $(LDLIBS)

TSAN_VARS := BUILD=build-tsan OPT="-O1 -g" SANFLAGS="-fsanitize=thread"

tsan:
	$(MAKE) -j$(NPROC) $(TSAN_VARS) build-tsan/loghunt \
	    $(STRESS_SRC:tests/stress/%.c=build-tsan/stress/%)
	$(MAKE) $(TSAN_VARS) loghunt-tsan-run

loghunt-tsan-run: $(BUILD)/loghunt $(STRESS_SRC:tests/stress/%.c=$(BUILD)/stress/%)
	sh tests/stress/run.sh $(BUILD)

# ---- fuzzing (clang libFuzzer) -----------------------------------------------
# The library objects are built with fuzzer-no-link instrumentation into
# build-fuzz/; each tests/fuzz/fuzz_NAME.c becomes build-fuzz/fuzz/fuzz_NAME.
# `make fuzz` runs each target for FUZZ_SECONDS, one at a time.  The time
# map's chunks are 4 KiB there, so that the context pass's check of the
# format targets (tests/fuzz/fuzz_plan.h) spans several with small inputs.
FUZZ_TARGETS := syslog journal_export json kql rules analyzer auth esql eql \
                prefilter
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_SAN     := -fsanitize=fuzzer-no-link,address,undefined \
                -fno-omit-frame-pointer -fno-sanitize-recover=undefined

FUZZ_VARS = BUILD=build-fuzz CC=$(FUZZ_CC) \
	    OPT="-O1 -g -DLH_TIMEMAP_CHUNK=4096" SANFLAGS="$(FUZZ_SAN)"

fuzz:
	$(MAKE) -j$(NPROC) $(FUZZ_VARS) fuzz-bins
	$(MAKE) $(FUZZ_VARS) FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz-run

fuzz-smoke:
	$(MAKE) fuzz FUZZ_SECONDS=10

fuzz-bins: $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)

fuzz-run: fuzz-bins
	sh tests/fuzz/run.sh $(BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_mem.h tests/fuzz/fuzz_plan.h \
    $(BUILD)/libformats.a $(BUILD)/libcore.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< $(BUILD)/libformats.a \
	    $(BUILD)/libcore.a $(LDLIBS)

install: loghunt
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 loghunt $(DESTDIR)$(PREFIX)/bin/loghunt
	install -m 644 man/loghunt.1 $(DESTDIR)$(PREFIX)/share/man/man1/loghunt.1

clean:
	rm -rf build build-asan build-tsan build-fuzz loghunt

-include $(CORE_OBJ:.o=.d) $(FORMATS_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_OBJ:.o=.d)
