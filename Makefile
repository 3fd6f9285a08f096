# Makefile: the project's only build system.
#   make            bin/indexer, bin/searchd (and bin/generate, the corpus generator)
#   make check      every test, then the same tests under ASan + UBSan
#   make run        install missing packages, build, index corpus/, start searchd
# Objects go to build/VARIANT/; VARIANT=asan builds the sanitized tree whose
# programs land in build/asan/bin/. `make V=1` shows the commands.

VARIANT ?= release
CC      ?= cc
CXX     ?= c++
WWW_DIR ?= $(CURDIR)/searchd/www
PKGS    := libxml-2.0 jansson libmicrohttpd libutf8proc hunspell zlib
# The document readers' libraries: linked into docread and the tests only,
# never into the indexer or searchd (docread/extract.h).
DOC_PKGS := poppler-glib libzip
# The crawler's HTTP client, linked into the indexer alone.
CRAWL_PKGS := libcurl
# The search statistics' database (searchd --analytics), linked into searchd
# and the tests alone.
STATS_PKGS := sqlite3

ifeq ($(V),1)
Q :=
else
Q := @
endif

B := build/$(VARIANT)
ifeq ($(VARIANT),asan)
BIN  := $(B)/bin
OPT  := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
        -fno-sanitize-recover=all
else ifeq ($(VARIANT),tsan)
BIN  := $(B)/bin
OPT  := -O1 -g -fno-omit-frame-pointer -fsanitize=thread
else ifeq ($(VARIANT),fuzz)
CC   := clang
CXX  := clang++
BIN  := $(B)/bin
OPT  := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined \
        -fno-sanitize-recover=all
else
BIN  := bin
OPT  := -O2 -g
# tcmalloc: Xapian's writer and searchd's requests allocate many small
# strings; glibc's malloc made the indexer 1.25-1.4x slower on realistic
# pages (bench/README.md). The sanitizers bring their own allocator.
MALLOC := -ltcmalloc_minimal
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) $(DOC_PKGS) $(CRAWL_PKGS) $(STATS_PKGS) 2>/dev/null)
DOC_LIBS   := $(shell pkg-config --libs $(DOC_PKGS) 2>/dev/null)
CRAWL_LIBS := $(shell pkg-config --libs $(CRAWL_PKGS) 2>/dev/null)
STATS_LIBS := $(shell pkg-config --libs $(STATS_PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
WARN       := -Wall -Wextra -Wshadow -Werror
# The usual hardening: checked string and memory calls (every variant builds
# with -O1 or more, which _FORTIFY_SOURCE needs), stack canaries, a
# position-independent executable and a read-only GOT after start-up.
HARDEN     := -fstack-protector-strong -fPIE
CPPFLAGS   += -I. -Ixapian-c -Ilib -Idocread -Itests -Itests/support -MMD -MP -D_FORTIFY_SOURCE=2
CFLAGS     += -std=c11 -D_GNU_SOURCE $(WARN) $(HARDEN) $(OPT) $(PKG_CFLAGS)
CXXFLAGS   += -std=c++17 $(WARN) $(HARDEN) $(OPT)
LDFLAGS    += $(OPT) -pie -Wl,-z,relro,-z,now
LDLIBS     += $(PKG_LIBS) -lxapian -lstemmer -lzstd -lpthread -lm -lutil $(MALLOC)

XC_OBJ      := $(patsubst %.cc,$(B)/%.o,$(wildcard xapian-c/*.cc))
LIB_OBJ     := $(patsubst %.c,$(B)/%.o,$(wildcard lib/*.c))
INDEXER_OBJ := $(patsubst %.c,$(B)/%.o,$(wildcard indexer/*.c))
SEARCHD_OBJ := $(patsubst %.c,$(B)/%.o,$(wildcard searchd/*.c))
DOCREAD_OBJ := $(patsubst %.c,$(B)/%.o,$(filter-out docread/main.c,$(wildcard docread/*.c)))
SUPPORT_OBJ := $(patsubst %.c,$(B)/%.o,$(wildcard tests/support/*.c))
TEST_SRC    := $(wildcard tests/test_*.c)
BENCHES     := $(patsubst bench/%.c,$(BIN)/bench/%,$(wildcard bench/bench_*.c))
FUZZ_NAMES  := $(patsubst fuzz/%.c,%,$(wildcard fuzz/fuzz_*.c))
FUZZERS     := $(patsubst %,$(BIN)/fuzz/%,$(FUZZ_NAMES))
REPLAYERS   := $(patsubst %,$(BIN)/fuzz/replay_%,$(FUZZ_NAMES))
TESTS       := $(patsubst tests/%.c,$(BIN)/tests/%,$(TEST_SRC))
CORE        := $(LIB_OBJ) $(XC_OBJ)

# The compiled Swedish lexicon: every form of hunspell-sv (unmunch) with its
# analysis, built once by bin/lexicon-build (release) for every variant.
DICT_DIR := /usr/share/hunspell
LEX_DIR  := build/lexicon
LEXICON  := $(LEX_DIR)/sv_SE.lex
LEX_SRC  := tools/lexicon_build.c lib/analysis_rules.c lib/analysis_hunspell.c \
            lib/lexicon_write.c lib/lexicon_format.h lib/tokenize.c

all: $(BIN)/indexer $(BIN)/searchd $(BIN)/docread $(BIN)/generate $(LEXICON)

$(LEX_DIR)/sv_SE.forms: $(DICT_DIR)/sv_SE.dic $(DICT_DIR)/sv_SE.aff
	@mkdir -p $(@D)
	@echo "  FORMS $@"
	$(Q)unmunch $^ > $@.tmp 2>/dev/null && mv $@.tmp $@

$(LEXICON): $(LEX_DIR)/sv_SE.forms $(LEX_SRC)
	$(Q)$(MAKE) --no-print-directory VARIANT=release bin/lexicon-build
	@echo "  LEX  $@"
	$(Q)bin/lexicon-build -o $@ $<

$(BIN)/lexicon-build: $(B)/tools/lexicon_build.o $(CORE)
	@mkdir -p $(@D)
	@echo "  LINK $@"
	$(Q)$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Programs built in the source tree find the lexicon there.
$(B)/lib/analysis.o: CFLAGS += -DLEXICON_PATH=\"$(CURDIR)/$(LEXICON)\"

# The page's folder is compiled into the one file that uses it.
$(B)/searchd/main.o: CPPFLAGS += -DWWW_DIR=\"$(WWW_DIR)\"

$(BIN)/indexer: $(INDEXER_OBJ) $(CORE)
	@mkdir -p $(@D)
	@echo "  LINK $@"
	$(Q)$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(CRAWL_LIBS)

$(BIN)/searchd: $(SEARCHD_OBJ) $(CORE)
	@mkdir -p $(@D)
	@echo "  LINK $@"
	$(Q)$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(STATS_LIBS)

$(BIN)/docread: $(B)/docread/main.o $(DOCREAD_OBJ) $(CORE)
	@mkdir -p $(@D)
	@echo "  LINK $@"
	$(Q)$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(DOC_LIBS)

$(BIN)/generate: $(B)/corpus/generate.o
	@mkdir -p $(@D)
	@echo "  LINK $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^

# The Swedish word forms bin/generate draws its prose from (--words):
# hunspell-sv's entries expanded by hunspell's unmunch, each entry as a line
# "=FLAGS" (its dictionary flags) before its forms. Made, never committed.
SV_DICT ?= $(DICT_DIR)/sv_SE
WORDS   := build/sv-forms.txt
$(WORDS): $(SV_DICT).dic $(SV_DICT).aff
	@mkdir -p $(@D)
	@echo "  GEN  $@"
	$(Q)awk 'NR == 1 { print $$1 * 2; next } { i = index($$0, "/"); \
	        print "=" (i ? substr($$0, i + 1) : ""); print }' $(SV_DICT).dic > $@.dic
	$(Q)unmunch $@.dic $(SV_DICT).aff > $@.tmp 2>/dev/null
	$(Q)rm -f $@.dic && mv $@.tmp $@

$(TESTS): $(BIN)/tests/%: $(B)/tests/%.o $(SUPPORT_OBJ) $(DOCREAD_OBJ) $(CORE)
	@mkdir -p $(@D)
	@echo "  LINK $@"
	$(Q)$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(DOC_LIBS) $(STATS_LIBS)

# A fuzz target under libFuzzer (VARIANT=fuzz), and with a plain main that
# replays files (every variant: make check replays the saved inputs).
# Static pattern rules here and below: the objects they name are not
# intermediate, so make neither deletes them nor skips them when missing.
$(FUZZERS): $(BIN)/fuzz/fuzz_%: $(B)/fuzz/fuzz_%.o $(DOCREAD_OBJ) $(CORE)
	@mkdir -p $(@D)
	@echo "  LINK $@"
	$(Q)$(CXX) $(LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS) $(DOC_LIBS)

$(REPLAYERS): $(BIN)/fuzz/replay_%: $(B)/fuzz/%.o $(B)/fuzz/replay.o $(DOCREAD_OBJ) $(CORE)
	@mkdir -p $(@D)
	@echo "  LINK $@"
	$(Q)$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(DOC_LIBS)

$(B)/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC   $<"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BENCHES): $(BIN)/bench/%: $(B)/bench/%.o $(SUPPORT_OBJ) $(CORE)
	@mkdir -p $(@D)
	@echo "  LINK $@"
	$(Q)$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(DOC_LIBS)

$(B)/%.o: %.cc
	@mkdir -p $(@D)
	@echo "  CXX  $<"
	$(Q)$(CXX) $(CPPFLAGS) $(CXXFLAGS) -c -o $@ $<

# The header dependencies of this variant's objects only.
-include $(shell find $(B) -name '*.d' 2>/dev/null)

.PHONY: all deps check test run relevance bench bench-deps bench-scale soak valgrind tsan fuzz all-fuzzers install uninstall clean

# Install the Debian packages that are missing (apt-get, sudo when not root).
deps:
	$(Q)scripts/install-deps

# Build and run every test of one variant (release, or VARIANT=asan); the
# benchmarks are built too, so that a change breaking them fails here.
test: all $(TESTS) $(REPLAYERS) $(BENCHES)
	$(Q)BIN=$(BIN) tests/run-all $(TESTS)

# Every test, plain and under AddressSanitizer + UndefinedBehaviorSanitizer,
# then the HTTP tests with searchd under valgrind and the threaded ones under
# ThreadSanitizer. Installs nothing: the packages come from `make deps`
# (.ci/run runs scripts/install-deps first).
check:
	$(Q)$(MAKE) --no-print-directory test VARIANT=release
	$(Q)$(MAKE) --no-print-directory test VARIANT=asan
	$(Q)$(MAKE) --no-print-directory valgrind VARIANT=release
	$(Q)$(MAKE) --no-print-directory tsan VARIANT=tsan

# Build, index corpus/ into data/index and serve it on 127.0.0.1:8080.
run: deps
	$(Q)$(MAKE) --no-print-directory all VARIANT=release
	$(Q)bin/indexer --db data/index --synonyms config/synonyms.txt --best-bets config/best-bets.txt corpus/
	$(Q)exec bin/searchd --db data/index --listen 127.0.0.1:8080

# The relevance suite: Success@3, MRR@10, nDCG@10, full analysis beside plain
# Snowball, with the judged queries the full analysis misses at rank 1.
relevance: all $(BIN)/tests/test_relevance
	$(Q)BIN=$(BIN) $(BIN)/tests/test_relevance -v

# Benchmarks beside the peers (omindex, PostgreSQL, wrk) on generated pages
# (their words from $(WORDS)) and on the real pages of gimp-help-sv and
# debian-edu-doc-legacy-sv: not part of check. BENCH_SIZES="20000" RUNS=1
# make bench for a quick look; BENCH_REAL=0 leaves out the real pages.
bench: deps bench-deps all $(BENCHES) $(WORDS)
	$(Q)BIN=$(BIN) WORDS=$(WORDS) bench/run
	$(Q)BIN=$(BIN) WORDS=$(WORDS) bench/run-editors
	$(Q)BIN=$(BIN) $(BIN)/bench/bench_crawl 3000 $(WORDS)
	$(Q)bench/stats-size $(BIN) $(WORDS)
	$(Q)bench/stats-size --stream worst $(BIN) $(WORDS)

bench-deps:
	$(Q)scripts/install-deps scripts/bench-packages.txt

# Indexing and querying at scale (SCALE_SIZES, default "100000 1000000"
# pages) with 1, 2 and 4 shards, local and remote (xapian-tcpsrv): not part
# of check; about three hours at the default sizes.
bench-scale: deps bench-deps all $(BENCHES) $(WORDS)
	$(Q)BIN=$(BIN) WORDS=$(WORDS) bench/scale

# The HTTP tests again with searchd under valgrind's memcheck: any error or
# definite leak makes searchd exit 99, which fails the test. Valgrind is told
# tcmalloc is the allocator; tcmalloc's operator delete is its free, which
# valgrind would report as a mismatch on every delete, so those are not
# reported (the C code uses malloc and free only).
VALGRIND := valgrind --quiet --error-exitcode=99 --leak-check=full \
            --errors-for-leak-kinds=definite --show-leak-kinds=definite \
            --soname-synonyms=somalloc=*tcmalloc* --show-mismatched-frees=no \
            --suppressions=$(CURDIR)/tests/valgrind.supp
VALGRIND_TESTS := $(patsubst %,$(BIN)/tests/%,test_http_search test_http_api test_http_write \
                  test_http_swedish test_analytics test_http_connections)
# The tests of what runs in threads of its own (the indexer's writers and
# workers, xapian-c's shards written and compacted at once, searchd's search
# statistics' writer, its threads sharing a facet table and the posting
# lists held in memory, its accepting thread handing connections to them, a
# search counted on a thread of its own while it is ranked) under
# ThreadSanitizer.
TSAN_TESTS := $(patsubst %,$(BIN)/tests/%,test_xapian_c test_generation test_indexer test_shards \
              test_analytics test_http_api test_http_connections test_search \
              test_posting_cache)
tsan: all $(TSAN_TESTS)
	$(Q)TSAN_OPTIONS=halt_on_error=1 BIN=$(BIN) tests/run-all $(TSAN_TESTS)

valgrind: all $(VALGRIND_TESTS)
	$(Q)SEARCHD_WRAPPER="$(VALGRIND)" BIN=$(BIN) tests/run-all $(VALGRIND_TESTS)

# A bounded soak of searchd under a mixed load with a rebuild in the middle
# (SOAK_SECONDS, default 240): no failed request, flat memory, no fd leak.
soak: deps bench-deps all
	$(Q)BIN=$(BIN) bench/soak

# Each libFuzzer target for FUZZ_SECONDS (default 120) from seeds made of
# corpus/ and the tests; new crashes land in build/fuzz/crashes/.
fuzz: deps all
	$(Q)scripts/install-deps scripts/fuzz-packages.txt
	$(Q)$(MAKE) --no-print-directory VARIANT=fuzz all-fuzzers
	$(Q)FUZZ_BIN=build/fuzz/bin/fuzz fuzz/run $(FUZZ_NAMES)

all-fuzzers: $(FUZZERS)

# Install the programs, the page's files, the manual pages, the systemd units,
# the nginx example and the synonyms under DESTDIR/PREFIX. An installed
# searchd finds the page in PREFIX/share/sitesearch/www by itself.
PREFIX  ?= /usr/local
DESTDIR ?=
SHARE   := $(DESTDIR)$(PREFIX)/share/sitesearch
install: bin/indexer bin/searchd bin/docread $(LEXICON)
	install -d $(DESTDIR)$(PREFIX)/bin $(SHARE)/www $(DESTDIR)$(PREFIX)/share/man/man1 \
	        $(DESTDIR)$(PREFIX)/share/man/man8
	install -m 755 bin/indexer bin/searchd bin/docread $(DESTDIR)$(PREFIX)/bin/
	install -m 644 searchd/www/* $(SHARE)/www/
	install -m 644 $(LEXICON) $(SHARE)/
	install -m 644 man/indexer.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 man/searchd.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	install -m 644 contrib/searchd.service contrib/indexer-watch.service \
	        contrib/indexer-crawl.service contrib/indexer-crawl.timer \
	        contrib/xapian-tcpsrv@.service contrib/nginx.conf \
	        config/synonyms.txt config/best-bets.txt $(SHARE)/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/indexer $(DESTDIR)$(PREFIX)/bin/searchd $(DESTDIR)$(PREFIX)/bin/docread \
	      $(DESTDIR)$(PREFIX)/share/man/man1/indexer.1 $(DESTDIR)$(PREFIX)/share/man/man8/searchd.8
	rm -rf $(SHARE)

# Remove build output (not the index in data/).
clean:
	rm -rf build bin
