# emailcfg — one build for the console, the CLI, the emulator and the tests.
#
#   make            build ./emailcfg and ./emailcfg-sim (objects in build/)
#   make check      build and run every test (SANITIZE=1: under ASan + UBSan)
#   make ci         what CI runs: check with WERROR=1, check with SANITIZE=1, fuzz
#   make demo       open the console on the bundled demo organization
#   make bench      benchmarks (speed and memory); make fuzz: libFuzzer runs
#   make screenshots  the PNGs and the GIF of screenshots/ from the demo in
#                   tmux (tools/screenshots/); a maintainer's target, not CI's
#   make deps       install what building needs (deps-check, deps-fuzz,
#                   deps-format, deps-screenshots: what those targets need);
#                   mk/packages.txt
#   make install    PREFIX=/usr/local DESTDIR=  (copies what make built)
#   make uninstall  PREFIX=/usr/local DESTDIR=
#   make dist       emailcfg-VERSION.tar.gz of the committed tree
#   make format     clang-format every source file
#   make pot        po/emailcfg.pot from the sources; merge it into po/*.po
#   make clean
#
# Before building, each target checks what it needs (mk/deps.sh) and names
# what is missing. make check, demo, bench, fuzz and screenshots install it
# themselves when run as root on Debian/Ubuntu; plain make never installs
# anything.

VERSION   := 0.1.0
PREFIX    ?= /usr/local
DESTDIR   ?=
BUILD     := build
# WERROR=1 turns warnings into errors (make ci does); off by default, so a
# newer compiler's new warning does not fail a user's build.
WERROR    ?=

CC        ?= cc
CSTD      := -std=c11 -D_GNU_SOURCE
WARN      := -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
             -Wmissing-prototypes -Wno-missing-field-initializers \
             $(if $(filter 1 yes,$(WERROR)),-Werror)
OPT       ?= -O2 -g
ifeq ($(SANITIZE),1)
OPT       := -O1 -g -fno-omit-frame-pointer
SANFLAGS  := -fsanitize=address,undefined -fno-sanitize-recover=all
endif
# No install directory is compiled in: the programs find their data and
# catalogs relative to where they run from (core/base/paths.c), so PREFIX and
# DESTDIR matter to make install only.
DEFS      := -DEMAILCFG_VERSION='"$(VERSION)"'

# The git revision the build comes from (emailcfg --version): mk/revision.sh.
REVISION := $(shell sh mk/revision.sh)

# What the goals need (the sets of mk/packages.txt). Goals that only copy,
# remove or package files need nothing; format and the deps-* goals check
# their own.
GOALS        := $(or $(MAKECMDGOALS),all)
NODEPS_GOALS := clean help install uninstall dist ci format pot deps deps-check deps-fuzz deps-format \
                deps-screenshots
DEPS_SETS    := $(if $(filter-out $(NODEPS_GOALS),$(GOALS)),build) \
                $(if $(filter check check-unit bench,$(GOALS)),check) \
                $(if $(filter fuzz,$(GOALS)),fuzz) \
                $(if $(filter screenshots,$(GOALS)),screenshots)
# The one-command goals install what is missing (as root on Debian/Ubuntu);
# the others only say what it is.
DEPS_MODE    := $(if $(filter check check-unit bench demo fuzz screenshots,$(GOALS)),--install,--report)
DEPS_MISSING := $(if $(strip $(DEPS_SETS)),$(shell CC='$(CC)' sh mk/deps.sh --missing $(DEPS_SETS)))

# Translations: po/LANG.po -> build/locale/LANG/LC_MESSAGES/emailcfg.mo
PO_FILES := $(wildcard po/*.po)
MO_FILES := $(PO_FILES:po/%.po=$(BUILD)/locale/%/LC_MESSAGES/emailcfg.mo)

.DEFAULT_GOAL := all
.PHONY: all check check-unit ci demo bench fuzz install uninstall dist clean deps \
        deps-check deps-fuzz deps-format deps-screenshots format pot help screenshots

ifneq ($(DEPS_MISSING),)
# Something is missing: every building goal first reports it (or installs
# it), then starts over once in a fresh make that sees what was installed.
# DEPS_RETRY marks that second make: if something is still missing there
# (an install that did not bring it, or a dry run, make -n, where the
# install line is only printed) it reports and stops instead of recursing.
# (Phony here, so an existing ./emailcfg does not count as up to date.)
.NOTPARALLEL:
.PHONY: $(filter-out $(NODEPS_GOALS),$(GOALS))
$(filter-out $(NODEPS_GOALS),$(GOALS)):
	@CC='$(CC)' sh mk/deps.sh $(if $(DEPS_RETRY),--report,$(DEPS_MODE)) $(DEPS_SETS)
	$(if $(DEPS_RETRY),,@$(MAKE) --no-print-directory $@ DEPS_RETRY=1)
else

PKG_CFLAGS := $(shell pkg-config --cflags ncursesw libcurl sqlite3 json-c libmicrohttpd krb5-gssapi krb5)
CORE_LIBS  := $(shell pkg-config --libs libcurl sqlite3 json-c krb5-gssapi krb5) -lpthread -lm
TUI_LIBS   := $(shell pkg-config --libs ncursesw)
# cmocka is a test need only: plain make works without it, silently.
TEST_LIBS  := $(shell pkg-config --libs cmocka 2>/dev/null)
CFLAGS_ALL := $(CSTD) $(WARN) $(OPT) $(SANFLAGS) $(DEFS) $(PKG_CFLAGS) -I. -I$(BUILD)/gen $(CFLAGS)
LDFLAGS_ALL := $(SANFLAGS) $(LDFLAGS)
# Quiet compile lines unless V=1.
Q := $(if $(V),,@)

CORE_SRC := $(wildcard core/*/*.c)
TUI_SRC  := $(wildcard tui/*.c)
CLI_SRC  := $(wildcard cli/*.c)
GEN_SRC  := $(BUILD)/gen/embedded.c
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/embedded.o $(BUILD)/gen/version.o
TUI_OBJ  := $(TUI_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
LIB      := $(BUILD)/libemailcfg.a

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_SRC := $(wildcard bench/*.c)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
TOOL_SRC := $(wildcard tests/tools/*.c)
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tests/tools/%)

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
$(BUILD)/gen/%.o: $(BUILD)/gen/%.c $(BUILD)/flags
	$(Q)$(CC) $(CFLAGS_ALL) -c $< -o $@

# The revision (core/base/version.h), rewritten only when it changes: a commit
# relinks the programs and recompiles nothing else.
$(BUILD)/gen/version.c: FORCE
	@mkdir -p $(dir $@)
	@echo 'const char emailcfg_revision[] = "$(REVISION)";' | cmp -s - $@ || \
	  echo 'const char emailcfg_revision[] = "$(REVISION)";' > $@

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

# The PNGs and the GIF of screenshots/: the demo organization driven in tmux
# at 132x40, each capture rendered by tools/screenshots/render.py. Run by a
# maintainer after the screens or the translations change; the results are
# committed (tests/integration/screenshots.sh checks that they are there).
screenshots: all
	@sh tools/screenshots/shoot.sh

check-unit: $(UNIT_BIN)
	@sh tests/run.sh --unit-only $(UNIT_BIN)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

endif # DEPS_MISSING

# What CI runs (.ci/run): the tests with warnings as errors, the tests under
# the sanitizers, and every fuzzing harness for 30 s.
ci:
	$(MAKE) --no-print-directory check WERROR=1
	$(MAKE) --no-print-directory check SANITIZE=1
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=30

# Install and uninstall copy and remove what make built, and build nothing:
# run make first (as yourself), then make install (as root if need be).
BINDIR    := $(DESTDIR)$(PREFIX)/bin
DATADIR   := $(DESTDIR)$(PREFIX)/share/emailcfg
MANDIR    := $(DESTDIR)$(PREFIX)/share/man/man1
LOCALEDIR := $(DESTDIR)$(PREFIX)/share/locale
BASHCOMPDIR := $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  := $(DESTDIR)$(PREFIX)/share/zsh/site-functions
PROGRAMS  := emailcfg emailcfg-sim
DATA      := data/demo-org.json data/schema.sql
MANPAGES  := $(wildcard man/*.1)
install:
	@for f in $(PROGRAMS) $(MO_FILES); do [ -f $$f ] || \
	  { echo "install: $$f is not built; run make first" >&2; exit 1; }; done
	install -d $(BINDIR) $(DATADIR) $(MANDIR)
	install -m 755 $(PROGRAMS) $(BINDIR)/
	install -m 644 $(DATA) $(DATADIR)/
	install -m 644 $(MANPAGES) $(MANDIR)/
	install -d $(BASHCOMPDIR) $(ZSHCOMPDIR)
	install -m 644 completion/emailcfg.bash $(BASHCOMPDIR)/emailcfg
	install -m 644 completion/_emailcfg $(ZSHCOMPDIR)/_emailcfg
	@for mo in $(MO_FILES); do lang=$${mo#$(BUILD)/locale/}; lang=$${lang%%/*}; \
	  echo "install -m 644 $$mo $(LOCALEDIR)/$$lang/LC_MESSAGES/"; \
	  install -d $(LOCALEDIR)/$$lang/LC_MESSAGES && \
	  install -m 644 $$mo $(LOCALEDIR)/$$lang/LC_MESSAGES/ || exit 1; done

uninstall:
	rm -f $(PROGRAMS:%=$(BINDIR)/%) $(DATA:data/%=$(DATADIR)/%) $(MANPAGES:man/%=$(MANDIR)/%) \
	      $(PO_FILES:po/%.po=$(LOCALEDIR)/%/LC_MESSAGES/emailcfg.mo) \
	      $(BASHCOMPDIR)/emailcfg $(ZSHCOMPDIR)/_emailcfg
	-rmdir $(DATADIR) 2>/dev/null

# A tarball of the committed tree (HEAD) with its REVISION, which builds
# and tests outside git: make && make check.
DIST := emailcfg-$(VERSION)
dist:
	@[ "$(REVISION)" != unknown ] || { echo "dist: needs the git checkout" >&2; exit 1; }
	@case "$(REVISION)" in *-dirty) echo "dist: note: uncommitted changes are not in the tarball";; esac
	rm -rf $(BUILD)/dist && mkdir -p $(BUILD)/dist/$(DIST)
	git rev-parse --short=12 HEAD > $(BUILD)/dist/$(DIST)/REVISION
	git archive --format=tar --prefix=$(DIST)/ -o $(BUILD)/dist/$(DIST).tar HEAD
	tar -rf $(BUILD)/dist/$(DIST).tar -C $(BUILD)/dist $(DIST)/REVISION
	gzip -9n < $(BUILD)/dist/$(DIST).tar > $(DIST).tar.gz
	@echo "dist: $(DIST).tar.gz"

# make deps installs what plain make needs; deps-check what make check
# needs, deps-fuzz make fuzz, deps-format make format, deps-screenshots make
# screenshots (mk/packages.txt). As root on Debian/Ubuntu they run apt-get;
# otherwise they print the command.
deps:
	@CC='$(CC)' sh mk/deps.sh --install build
deps-check:
	@CC='$(CC)' sh mk/deps.sh --install build check
deps-fuzz:
	@CC='$(CC)' sh mk/deps.sh --install build fuzz
deps-format:
	@sh mk/deps.sh --install format
deps-screenshots:
	@CC='$(CC)' sh mk/deps.sh --install build screenshots

# Every C file of the tree (git's list in a checkout; find in a tarball).
format:
	@sh mk/deps.sh --report format
	clang-format -i $$(git ls-files '*.c' '*.h' 2>/dev/null | grep . || \
	  find core cli tui sim tests bench fuzz -name '*.[ch]')

# The message template from the C sources of core/, tui/ and cli/ (sorted,
# so the POT does not move with the directory order; the creation date is
# pinned so a rerun changes only what the sources changed), then merged into
# every catalog: new strings come in untranslated, never guessed (fuzzy).
# The causes and fixes of data/alerts.tsv join them (mk/tsv-pot.sh).
POT_SRC := $(sort $(wildcard core/*/*.[ch] core/*.[ch] tui/*.[ch] cli/*.[ch]))
POT_OUT ?= po/emailcfg.pot
pot:
	xgettext --from-code=UTF-8 -k_ -kN_ -kC_:1c,2 -kNC_:1c,2 -kngettext:1,2 \
	  -kec_fail:3 -kcache_not_found:3 -kscan_fail:3 --add-comments=TRANSLATORS: \
	  --package-name=emailcfg --package-version=$(VERSION) -o $(POT_OUT) $(POT_SRC)
	sh mk/tsv-pot.sh data/alerts.tsv > $(POT_OUT).tsv
	msgcat --use-first -o $(POT_OUT) $(POT_OUT) $(POT_OUT).tsv && rm -f $(POT_OUT).tsv
	sed -i 's/^"POT-Creation-Date: .*\\n"$$/"POT-Creation-Date: 2026-01-01 00:00+0000\\n"/' $(POT_OUT)
	for po in $(PO_FILES); do \
	  msgmerge --quiet --update --backup=none --no-fuzzy-matching $$po $(POT_OUT) || exit 1; \
	  msgattrib --no-obsolete -o $$po $$po || exit 1; \
	done

clean:
	rm -rf $(BUILD) emailcfg emailcfg-sim $(DIST).tar.gz

help:
	@sed -n '3,20p' Makefile | sed 's/^# \{0,1\}//'
