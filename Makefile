# emailcfg — one build for the console, the CLI, the emulator and the tests.
#
#   make            build ./emailcfg and ./emailcfg-sim (objects in build/)
#   make check      build and run every test (SANITIZE=1: under ASan + UBSan)
#   make demo       open the console on the bundled demo organization
#   make bench      benchmarks (speed and memory); make fuzz: libFuzzer runs
#   make deps       install the Debian packages the project needs
#   make install    PREFIX=/usr/local DESTDIR=
#   make format     clang-format every source file
#   make clean
#
# Every target that builds calls `make deps` first when a package is missing.

VERSION   := 0.1.0
PREFIX    ?= /usr/local
DESTDIR   ?=
BUILD     := build
PKGS      := ncursesw libcurl sqlite3 json-c libmicrohttpd cmocka

CC        ?= cc
CSTD      := -std=c11 -D_GNU_SOURCE
WARN      := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes \
             -Wmissing-prototypes -Wno-missing-field-initializers
OPT       ?= -O2 -g
ifeq ($(SANITIZE),1)
OPT       := -O1 -g -fno-omit-frame-pointer
SANFLAGS  := -fsanitize=address,undefined -fno-sanitize-recover=all
endif
DEFS      := -DEMAILCFG_VERSION='"$(VERSION)"' \
             -DEMAILCFG_DATADIR='"$(PREFIX)/share/emailcfg"' \
             -DEMAILCFG_LOCALEDIR='"$(PREFIX)/share/locale"'

# The packages must be present before pkg-config can be asked about them, so
# when one is missing every building goal first runs `make deps`, then starts
# over in a fresh make that sees the installed packages.
DEPS_OK := $(shell sh mk/deps.sh --check 2>/dev/null && echo yes)
NODEPS_GOALS := deps clean format help

ifneq ($(DEPS_OK),yes)
ifeq ($(filter-out $(NODEPS_GOALS),$(or $(MAKECMDGOALS),all)),)
else
.DEFAULT_GOAL := all
$(filter-out $(NODEPS_GOALS),$(or $(MAKECMDGOALS),all)):
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory $@
endif
else

PKG_CFLAGS := $(shell pkg-config --cflags ncursesw libcurl sqlite3 json-c libmicrohttpd)
CORE_LIBS  := $(shell pkg-config --libs libcurl sqlite3 json-c) -lpthread -lm
TUI_LIBS   := $(shell pkg-config --libs ncursesw)
TEST_LIBS  := $(shell pkg-config --libs cmocka)
CFLAGS_ALL := $(CSTD) $(WARN) $(OPT) $(SANFLAGS) $(DEFS) $(PKG_CFLAGS) -I. -I$(BUILD)/gen $(CFLAGS)
LDFLAGS_ALL := $(SANFLAGS) $(LDFLAGS)
# Quiet compile lines unless V=1.
Q := $(if $(V),,@)

CORE_SRC := $(wildcard core/*.c)
TUI_SRC  := $(wildcard tui/*.c)
CLI_SRC  := $(wildcard cli/*.c)
GEN_SRC  := $(BUILD)/gen/embedded.c
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/embedded.o
TUI_OBJ  := $(TUI_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
LIB      := $(BUILD)/libemailcfg.a

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_SRC := $(wildcard bench/*.c)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
TOOL_SRC := $(wildcard tests/tools/*.c)
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tests/tools/%)

.DEFAULT_GOAL := all
.PHONY: all check check-unit check-integration demo bench fuzz install clean deps format help

# Translations: po/LANG.po -> build/locale/LANG/LC_MESSAGES/emailcfg.mo
PO_FILES := $(wildcard po/*.po)
MO_FILES := $(PO_FILES:po/%.po=$(BUILD)/locale/%/LC_MESSAGES/emailcfg.mo)
$(BUILD)/locale/%/LC_MESSAGES/emailcfg.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

all: emailcfg emailcfg-sim $(MO_FILES)


# Rebuild everything when the flags change (SANITIZE=1 and back).
$(BUILD)/flags: FORCE
	@mkdir -p $(BUILD)
	@echo '$(CFLAGS_ALL) $(LDFLAGS_ALL)' | cmp -s - $@ || echo '$(CFLAGS_ALL) $(LDFLAGS_ALL)' > $@
FORCE:

$(BUILD)/%.o: %.c $(BUILD)/flags
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

# data/schema.sql and data/alerts.tsv are compiled into the binary.
EMBED := data/schema.sql $(wildcard data/alerts.tsv)
$(GEN_SRC): $(EMBED) mk/embed.sh
	@mkdir -p $(dir $@)
	sh mk/embed.sh $(EMBED) > $@
$(BUILD)/gen/embedded.o: $(GEN_SRC) $(BUILD)/flags
	$(Q)$(CC) $(CFLAGS_ALL) -c $< -o $@

$(LIB): $(CORE_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

emailcfg: $(CLI_OBJ) $(TUI_OBJ) $(LIB)
	$(CC) $(LDFLAGS_ALL) -o $@ $(CLI_OBJ) $(TUI_OBJ) $(LIB) $(TUI_LIBS) $(CORE_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB) $(BUILD)/flags
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_ALL) -MMD -MP -o $@ $< $(LIB) $(TEST_LIBS) $(CORE_LIBS)

$(BUILD)/bench/%: bench/%.c $(LIB) $(BUILD)/flags
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_ALL) -MMD -MP -o $@ $< $(LIB) $(CORE_LIBS)

$(BUILD)/tests/tools/%: tests/tools/%.c $(LIB) $(BUILD)/flags
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_ALL) -MMD -MP -o $@ $< $(LIB) $(CORE_LIBS)

include sim/sim.mk

check: all $(UNIT_BIN) $(TOOL_BIN) $(SIM_TEST_DEPS)
	@sh tests/run.sh $(UNIT_BIN)

# Speed and memory, measured (not asserted by tests): see bench/.
bench: all $(BENCH_BIN) $(TOOL_BIN) $(SIM_TEST_DEPS)
	@sh bench/run.sh

# libFuzzer harnesses (fuzz/), built with clang, each run FUZZ_SECONDS.
FUZZ_SECONDS ?= 30
FUZZ_SRC := $(wildcard fuzz/*.c)
FUZZ_BIN := $(FUZZ_SRC:fuzz/%.c=$(BUILD)/fuzz/%)
$(BUILD)/fuzz/%: fuzz/%.c $(CORE_SRC) $(GEN_SRC)
	@mkdir -p $(dir $@)
	clang $(CSTD) -g -O1 -fsanitize=fuzzer,address,undefined $(DEFS) $(PKG_CFLAGS) -I. \
	    -o $@ $< $(CORE_SRC) $(GEN_SRC) $(CORE_LIBS)
fuzz: $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do echo "fuzz: $$f for $(FUZZ_SECONDS) s"; \
	  mkdir -p $(BUILD)/fuzz/corpus-$${f##*/}; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -print_final_stats=1 \
	    $(BUILD)/fuzz/corpus-$${f##*/} >$$f.log 2>&1; status=$$?; \
	  grep -E 'stat::number_of_executed_units|ERROR|SUMMARY' $$f.log; \
	  [ $$status -eq 0 ] || { echo "fuzz: $$f found a crash; see $$f.log"; exit 1; }; done

# The console on the bundled demo organization (emailcfg-sim on loopback).
demo: all
	./emailcfg --demo

check-unit: $(UNIT_BIN)
	@sh tests/run.sh --unit-only $(UNIT_BIN)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/emailcfg \
	           $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 emailcfg emailcfg-sim $(DESTDIR)$(PREFIX)/bin/
	install -m 644 data/demo-org.json data/schema.sql $(DESTDIR)$(PREFIX)/share/emailcfg/
	install -m 644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	for mo in $(MO_FILES); do lang=$${mo#$(BUILD)/locale/}; lang=$${lang%%/*}; \
	  install -d $(DESTDIR)$(PREFIX)/share/locale/$$lang/LC_MESSAGES; \
	  install -m 644 $$mo $(DESTDIR)$(PREFIX)/share/locale/$$lang/LC_MESSAGES/; done

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

endif # DEPS_OK

deps:
	@sh mk/deps.sh

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) emailcfg emailcfg-sim

help:
	@sed -n '2,12p' Makefile | sed 's/^# \{0,1\}//'
