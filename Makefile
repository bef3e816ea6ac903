# descend: build, run, test, install. GNU Make.
#
#   make            build ./descend
#   make run        build and fit the bundled sample (data/homes.csv)
#   make test       build and run every test (cmocka units, bats CLI)
#   make deps       install the Debian packages building and testing need
#                   (apt-get, as root; DEPS=build for building's alone)
#   make install    install to $(DESTDIR)$(PREFIX)
#   make test-mpi   build build/mpi/descend with MPI and run tests/cli/mpi.bats on it
#   make check-numbers SAMPLE=N   number reading and writing against exact answers
#   make MPI=1      the same program built with mpicc against Open MPI, so that
#                   `mpirun -np K descend fit ...` spreads a fit over K ranks
#                   (give it its own BUILD= and BIN= to keep both builds)
#
# `make run` and `make test` check for the Debian packages they need: as root
# they install what is missing (make deps), otherwise they print its apt-get
# line and stop.
#
# One unit test case: DESCEND_TEST=PATTERN (cmocka's filter, * and ? wildcards,
# handled in tests/unit/testutil.h) runs only the cases whose names match, e.g.
#   make build/test_train && DESCEND_TEST='zero_rate*' ./build/test_train

VERSION   = 0.1.0
PREFIX   ?= /usr/local
BINDIR    = $(PREFIX)/bin
MANDIR    = $(PREFIX)/share/man

CC       ?= cc
CFLAGS   ?= -O2 -g
WARNINGS  = -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wmissing-prototypes \
            -Wstrict-prototypes -Wwrite-strings -Wdouble-promotion
ifeq ($(WERROR),1)
WARNINGS += -Werror
endif
# Same results on every compiler: no contraction of a*b+c into one rounding.
NUMERICS  = -ffp-contract=off
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -DDESCEND_VERSION='"$(VERSION)"' -MMD -MP
# Threads: --threads splits the reading and the passes over the rows.
ALL_CFLAGS = $(WARNINGS) $(NUMERICS) -pthread $(CFLAGS)
# BLAS and LAPACK, the same whatever update-alternatives says libblas.so.3 and
# liblapack.so.3 are: single-threaded BLIS, linked from its own directory and
# found there at run time (run path), under the reference LAPACK and LAPACKE,
# linked in statically. BLIS starts no threads and is safe to call from several
# (descend runs its calls on its own threads, on parts fixed by the data), so
# the bits do not depend on --threads or on any BLAS thread variable. (Debian's
# single-threaded OpenBLAS 0.3.21 gave different bits from run to run when
# called from two threads at once.)
MULTIARCH   := $(shell $(CC) -print-multiarch 2>/dev/null)
BLIS_DIR     = /usr/lib/$(MULTIARCH)/blis-serial
LAPACK_A     = /usr/lib/$(MULTIARCH)/lapack/liblapack.a
LDLIBS   += -lcsv -Wl,-Bstatic -llapacke -Wl,-Bdynamic $(LAPACK_A) \
            -L$(BLIS_DIR) -Wl,-rpath,$(BLIS_DIR) -lblis -l:libgfortran.so.5 \
            -l:libdouble-conversion.a -lsupc++ \
            -Wl,-Bstatic -lz -llzma -lzstd -Wl,-Bdynamic -lm
# zlib, liblzma and libzstd (src/input.c: compressed input) are linked from
# their static archives too, for the same reason: no more shared libraries to
# map in a run.
# One C++ file, src/num_ff.cc, puts two C++ libraries behind a C interface:
# fast_float (header only) and double-conversion (src/num.c says what for).
# double-conversion is linked from its static archive, with the one piece of
# the C++ runtime it calls (libsupc++'s guards of static initialization), so
# that descend loads no C++ shared library: the address space of a run stays
# what it was (tests/cli/hostile.bats runs descend under ulimit -v 20000).
CXX      ?= g++
CXXFLAGS ?= -O2 -g
ALL_CXXFLAGS = -std=c++17 -Wall -Wextra -Wpedantic -Wshadow $(NUMERICS) \
               -fno-exceptions -fno-rtti $(CXXFLAGS)
ifeq ($(WERROR),1)
ALL_CXXFLAGS += -Werror
endif
# MPI=1: the compiler wrapper of Open MPI, and the cluster module (src/cluster.c)
# on MPI; without it, cluster.c is one process and nothing needs MPI.
ifeq ($(MPI),1)
CC        = mpicc
CPPFLAGS += -DDESCEND_MPI
COMPILER_NEEDS = cmd:gcc=gcc cmd:mpicc=libopenmpi-dev h:mpi.h=libopenmpi-dev \
                 cmd:mpirun=openmpi-bin
else
COMPILER_NEEDS = cmd:$(CC)=gcc
endif

BUILD     = build

# The flags the objects were built with, in $(BUILD)/flags: rewritten when CC,
# CXX, CPPFLAGS, CFLAGS, CXXFLAGS, LDFLAGS, LDLIBS or MPI change, and every
# object and the binary depend on it, so that `make MPI=1` after `make` (or
# another CFLAGS) rebuilds everything instead of linking old objects.
FLAGS_NOW := $(CC) $(CPPFLAGS) $(ALL_CFLAGS) | $(CXX) $(ALL_CXXFLAGS) | \
             $(LDFLAGS) $(LDLIBS) | MPI=$(MPI)
ifneq ($(FLAGS_NOW),$(file <$(BUILD)/flags))
$(shell mkdir -p $(BUILD))
$(file >$(BUILD)/flags,$(FLAGS_NOW))
endif
# Two layers: the library (src/*.c) computes and returns errors as data; the
# commands (src/cmd/*.c) parse options, call the library, print and exit.
# check-layers (run by make test) holds the library to that.
LIB_SRC   = $(wildcard src/*.c)
CMD_SRC   = $(wildcard src/cmd/*.c)
LIB_CXX   = $(wildcard src/*.cc)
LIB_OBJ   = $(LIB_SRC:src/%.c=$(BUILD)/%.o) $(LIB_CXX:src/%.cc=$(BUILD)/%.o)
CMD_OBJ   = $(CMD_SRC:src/%.c=$(BUILD)/%.o)
UNIT_SRC  = $(wildcard tests/unit/test_*.c)
UNIT_BIN  = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/%)

# What each goal needs, as check=package pairs: h:HEADER or cmd:COMMAND.
BUILD_NEEDS = $(COMPILER_NEEDS) h:stdio.h=libc6-dev h:csv.h=libcsv-dev \
              h:lapacke.h=liblapacke-dev cmd:$(CXX)=g++ \
              h:$(MULTIARCH)/blis-serial/blis.h=libblis-serial-dev \
              hxx:fast_float/fast_float.h=libfast-float-dev \
              hxx:double-conversion/double-to-string.h=libdouble-conversion-dev \
              h:zlib.h=zlib1g-dev h:lzma.h=liblzma-dev h:zstd.h=libzstd-dev
TEST_NEEDS  = $(BUILD_NEEDS) h:cmocka.h=libcmocka-dev cmd:bats=bats cmd:jq=jq \
              cmd:xmllint=libxml2-utils cmd:zsh=zsh cmd:script=bsdutils \
              cmd:python3=python3 cmd:chromium=chromium cmd:sqlite3=sqlite3 \
              cmd:clang-format=clang-format cmd:gzip=gzip cmd:xz=xz-utils \
              cmd:zstd=zstd

.PHONY: all run test check-layers format check-format test-mpi check-numbers bench fuzz sanitize valgrind install uninstall clean \
        deps deps-build deps-test plot-check

BIN ?= descend

all: $(BIN)

$(BIN): $(LIB_OBJ) $(CMD_OBJ) $(BUILD)/flags
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LDLIBS)

$(BUILD)/%.o: src/%.c $(BUILD)/flags | $(BUILD)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/cmd/%.o: src/cmd/%.c $(BUILD)/flags | $(BUILD)
	@mkdir -p $(BUILD)/cmd
	$(CC) $(CPPFLAGS) -iquote src $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/%.o: src/%.cc $(BUILD)/flags | $(BUILD)
	$(CXX) $(CPPFLAGS) $(ALL_CXXFLAGS) -c -o $@ $<

$(BUILD)/test_%: tests/unit/test_%.c $(LIB_OBJ) $(BUILD)/flags | $(BUILD)
	$(CC) $(CPPFLAGS) -iquote src $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< \
	    $(filter $(BUILD)/cmd/%.o,$^) $(LIB_OBJ) -lcmocka $(LDLIBS)

# The commands' messages (cmd/diag.c) are tested as a unit too.
$(BUILD)/test_failure: $(BUILD)/cmd/diag.o

# The library prints nothing and exits nowhere: no library object may call
# exit(3), err(3), warn(3) or the printf family on the standard streams, or
# name stdout or stderr. Exceptions, each for a reason: failure.o (out of
# memory ends the program: errx), outfile.o (the path "-" is stdout).
LAYER_FORBIDDEN = exit _exit abort err errx warn warnx verr verrx vwarn vwarnx \
                  printf vprintf puts putchar perror stdout stderr
LAYER_ALLOWED   = failure.o:errx outfile.o:stdout
# The house layout is .clang-format's (tabs, 80 columns, the return type on
# its own line): make format rewrites the C files to it, check-format (run
# by make test) fails on a file that differs.
FORMAT_SRC = src/*.c src/*.h src/*.cc src/cmd/*.c src/cmd/*.h tests/unit/*.c \
             tests/unit/*.h tests/fuzz/*.c tests/numbers/*.c tests/bench/*.c \
             data/generate.c
format:
	clang-format -i $(wildcard $(FORMAT_SRC))

check-format:
	@clang-format --dry-run -Werror $(wildcard $(FORMAT_SRC))

check-layers: $(LIB_OBJ)
	@bad=; for o in $(filter %.o,$(LIB_OBJ)); do \
	    for s in $$(nm -u $$o | awk '{ print $$2 }'); do \
	        case " $(LAYER_FORBIDDEN) " in *" $$s "*) ;; *) continue ;; esac; \
	        case " $(LAYER_ALLOWED) " in *" $${o##*/}:$$s "*) continue ;; esac; \
	        echo "$$o calls $$s: only the commands (src/cmd/) print or exit"; \
	        bad=1; \
	    done; \
	done; test -z "$$bad"

$(BUILD):
	mkdir -p $@

# (Written again if gone, by make clean in the same run, say.)
$(BUILD)/flags: | $(BUILD)
	$(file >$@,$(FLAGS_NOW))

run: deps-build
	$(MAKE) $(BIN)
	./$(BIN) fit -t price -e 500 --log-every auto data/homes.csv

test: deps-test
	$(MAKE) $(BIN) $(UNIT_BIN) check-layers check-format
	DESCEND=$(CURDIR)/$(BIN) sh tests/run.sh $(UNIT_BIN)

# The MPI build, apart from the default one, and the tests of fits across ranks
# (mpirun on this host only); make test skips those.
test-mpi:
	$(MAKE) MPI=1 BUILD=build/mpi BIN=build/mpi/descend deps-test build/mpi/descend
	DESCEND=$(CURDIR)/build/mpi/descend bats tests/cli/mpi.bats

# src/num.c against strtod (reading) and against exact shortest-decimal bounds
# and python3's repr (writing), SAMPLE strings and SAMPLE doubles, PYSAMPLE of
# them through python3 (tests/numbers/check.c says how); make test runs a
# short sample (tests/unit/test_numbers.c).
SAMPLE   ?= 100000000
PYSAMPLE ?= 10000000
check-numbers: deps-test $(BUILD)/check_numbers
	$(BUILD)/check_numbers -p $(PYSAMPLE) $(SAMPLE)

$(BUILD)/check_numbers: tests/numbers/check.c $(BUILD)/num.o $(BUILD)/num_ff.o
	$(CC) $(CPPFLAGS) -iquote src $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(filter %.c %.o,$^) \
	    -l:libdouble-conversion.a -lsupc++ -lm

# Benchmarks (tests/bench/README.md): about 20 minutes on 2 cores, more the
# first time (the data is generated into build/bench/); BENCH_ROWS=100000 to try
# small (5 minutes).
bench: descend
	sh tests/bench/run.sh
	sh tests/bench/formats.sh
	sh tests/bench/quantile.sh
	sh tests/bench/predict_memory.sh
	sh tests/bench/cache.sh
	sh tests/bench/width.sh
	sh tests/bench/mae_excess.sh ./descend

# Fuzzing: libFuzzer with ASan and UBSan, FUZZ_SECONDS for each harness (the CSV-to-
# training path, and the weights reader with the predictor), seeded with the
# CLI test cases and the bundled data. Needs clang.
FUZZ_SECONDS ?= 60
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_RUN = -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
           -rss_limit_mb=2048 -print_final_stats=1
fuzz: deps-build
	mkdir -p $(BUILD)/fuzz/fit $(BUILD)/fuzz/weights
	clang++ $(CPPFLAGS) -std=c++17 $(NUMERICS) $(FUZZ_FLAGS) -fno-exceptions \
	    -c -o $(BUILD)/fuzz/num_ff.o src/num_ff.cc
	for h in fit weights; do \
	    clang $(CPPFLAGS) -iquote src $(WARNINGS) $(NUMERICS) -pthread $(FUZZ_FLAGS) \
	        -o $(BUILD)/fuzz/fuzz_$$h tests/fuzz/fuzz_$$h.c $(LIB_SRC) \
	        $(BUILD)/fuzz/num_ff.o $(LDLIBS) || exit 1; \
	done
	$(BUILD)/fuzz/fuzz_fit $(FUZZ_RUN) $(BUILD)/fuzz/fit tests/cli/cases data
	$(BUILD)/fuzz/fuzz_weights $(FUZZ_RUN) $(BUILD)/fuzz/weights \
	    tests/cli/cases/predict

# The whole test suite on a build with AddressSanitizer and UndefinedBehaviorSanitizer.
SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=all
sanitize: deps-test
	$(MAKE) BUILD=$(BUILD)/san CFLAGS="$(SAN_FLAGS)" CXXFLAGS="$(SAN_FLAGS)" \
	    LDFLAGS="$(SAN_FLAGS)" \
	    BIN=$(BUILD)/san/descend DESCEND=$(CURDIR)/$(BUILD)/san/descend test

# The CLI tests with every run of descend under valgrind memcheck (slow; not in CI).
valgrind: deps-test descend
	command -v valgrind >/dev/null || { echo "needs valgrind: apt-get install valgrind"; exit 1; }
	DESCEND=$(CURDIR)/tests/valgrind.sh bats tests/cli

DEPS ?= test
deps:
	@sh tests/deps.sh install "$(CC)" \
	    $(if $(filter build,$(DEPS)),$(BUILD_NEEDS),$(TEST_NEEDS))

# As root, make deps for what is missing; otherwise name it and stop.
deps_or_say = if [ "$$(id -u)" -eq 0 ]; then \
	    $(MAKE) --no-print-directory deps DEPS=$(1); \
	else sh tests/deps.sh check "$(CC)" $(2); fi

deps-build:
	@$(call deps_or_say,build,$(BUILD_NEEDS))

deps-test:
	@$(call deps_or_say,test,$(TEST_NEEDS))

# The bash completion, made by the binary just built from its own option tables.
COMPLETIONDIR = $(PREFIX)/share/bash-completion/completions

# The manual: descend(1) and a page per command, the files in section 5, the
# methods in section 7, each installed in the folder of its section.
MANPAGES = $(wildcard man/*.[157])

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(COMPLETIONDIR) \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/descend
	for p in $(MANPAGES); do \
		install -m 644 $$p $(DESTDIR)$(MANDIR)/man$${p##*.}/$${p##*/} || exit; \
	done
	$(abspath $(BIN)) completion bash >$(BUILD)/descend.bash
	install -m 644 $(BUILD)/descend.bash $(DESTDIR)$(COMPLETIONDIR)/descend

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/descend $(DESTDIR)$(COMPLETIONDIR)/descend
	for p in $(MANPAGES); do \
		rm -f $(DESTDIR)$(MANDIR)/man$${p##*.}/$${p##*/}; \
	done

# Two charts, by descend plot and by fit --plot, rendered in headless Chromium as PNGs
# to look at (tests/cli/render.bats checks such renderings in make test).
plot-check: descend
	sh tests/plot_render.sh $(BUILD)/plots

clean:
	rm -rf $(BUILD) descend

-include $(wildcard $(BUILD)/*.d $(BUILD)/cmd/*.d)
