/* test_lexicon.c: lib/lexicon.c and lib/lexicon_write.c — a lexicon written
 * and read back, shared strings, and the clear error for a missing,
 * foreign, truncated or damaged file (a look-up must never trust a bad
 * offset); then the built lexicon of hunspell-sv itself. */
#include "analysis.h"
#include "check.h"
#include "lexicon_format.h"
#include "lexicon_write.h"
#include "support.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct {
    const char *word;
    struct lex_entry e;
} entries[] = {
    {"trösklarna", {LEX_KNOWN | LEX_LEMMA | LEX_ACCENTED, "tröskel", "troskel", {"", ""}, 0,
                    "tröskel", "tröskel"}},
    {"tröskel", {LEX_KNOWN | LEX_BASE_FORM | LEX_LEMMA | LEX_ACCENTED, "tröskel", "troskel",
                 {"", ""}, 0, "tröskel", "tröskel"}},
    {"bostadsområdet", {LEX_KNOWN | LEX_LEMMA | LEX_ACCENTED, "bostadsområd", "bostadsomrad",
                        {"bostad", "områd"}, 2, "bostadsområde", "bostadsområd"}},
    {"och", {LEX_KNOWN | LEX_STOP, "och", "och", {"", ""}, 0, "och", "och"}},
    {"malmö", {LEX_PROPER_NOUN | LEX_ACCENTED, "malmö", "malmo", {"", ""}, 0, "malmö", "malmö"}},
};
#define N_ENTRIES (sizeof entries / sizeof entries[0])

/* Writes the test lexicon into dir; its path into path. */
static int write_lexicon(const char *dir, char *path, size_t len, size_t extra)
{
    struct lex_writer *w = NULL;
    int rc = -1;
    snprintf(path, len, "%s/test.lex", dir);
    if (lex_writer_new(&w) < 0)
        return -1;
    for (size_t i = 0; i < N_ENTRIES; i++)
        if (lex_writer_add(w, entries[i].word, strlen(entries[i].word), &entries[i].e) < 0)
            goto cleanup;
    /* Many words, so the table grows and probes cross each other. */
    for (size_t i = 0; i < extra; i++) {
        char word[32];
        struct lex_entry e = {LEX_KNOWN, word, word, {"", ""}, 0, word, word};
        snprintf(word, sizeof word, "ord%zu", i);
        if (lex_writer_add(w, word, strlen(word), &e) < 0)
            goto cleanup;
    }
    rc = lex_writer_finish(w, path, 42, NULL);
cleanup:
    lex_writer_free(w);
    return rc;
}

static void test_written_entries_are_read_back(struct check *c)
{
    char dir[256], path[300];
    lib_error err;
    struct lexicon *lex = NULL;
    CHECK(c, tmpdir_make(dir, sizeof dir) == 0);
    CHECK(c, write_lexicon(dir, path, sizeof path, 5000) == 0);
    CHECK(c, lex_open(&lex, path, &err) == 0);
    if (!lex)
        return;
    CHECK(c, lex_size(lex) == N_ENTRIES + 5000);
    CHECK(c, lex_source_hash(lex) == 42);
    for (size_t i = 0; i < N_ENTRIES; i++) {
        struct lex_entry e;
        const struct lex_entry *want = &entries[i].e;
        CHECK(c, lex_lookup(lex, entries[i].word, strlen(entries[i].word), &e) == 1);
        CHECK(c, e.flags == want->flags && e.nparts == want->nparts);
        CHECK_STR(c, e.stem, want->stem);
        CHECK_STR(c, e.unaccented, want->unaccented);
        CHECK_STR(c, e.lemma, want->lemma);
        for (size_t k = 0; k < want->nparts; k++)
            CHECK_STR(c, e.parts[k], want->parts[k]);
    }
    struct lex_entry e;
    CHECK(c, lex_lookup(lex, "ord4999", 7, &e) == 1 && strcmp(e.stem, "ord4999") == 0);
    CHECK(c, lex_lookup(lex, "ord5000", 7, &e) == 0);
    CHECK(c, lex_lookup(lex, "tröske", strlen("tröske"), &e) == 0);   /* a prefix */
    CHECK(c, lex_lookup(lex, "trösklarnas", strlen("trösklarnas"), &e) == 0);
    /* two forms of one lemma share the strings */
    struct lex_entry a, b;
    CHECK(c, lex_lookup(lex, "tröskel", strlen("tröskel"), &a) == 1);
    CHECK(c, lex_lookup(lex, "trösklarna", strlen("trösklarna"), &b) == 1);
    CHECK(c, a.stem == b.stem);
    lex_free(lex);
    tmpdir_remove(dir);
}

struct seen {
    const char *words[8];
    size_t n;
};

static int collect(void *ctx, const char *word, size_t wlen, const struct lex_entry *e)
{
    struct seen *s = ctx;
    (void)e;
    if (s->n < 8 && strlen(word) == wlen)
        s->words[s->n++] = word;
    return 0;
}

static int has(const struct seen *s, const char *w)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->words[i], w) == 0)
            return 1;
    return 0;
}

static void test_a_key_expands_to_the_words_listed_under_it(struct check *c)
{
    char dir[256], path[300];
    lib_error err;
    struct lexicon *lex = NULL;
    CHECK(c, tmpdir_make(dir, sizeof dir) == 0);
    CHECK(c, write_lexicon(dir, path, sizeof path, 100) == 0);
    CHECK(c, lex_open(&lex, path, &err) == 0);
    if (!lex)
        return;
    struct seen s = {{0}, 0};
    const char *key = NULL;
    CHECK(c, lex_words_with(lex, "tröskel", strlen("tröskel"), &key, collect, &s) == 0);
    CHECK(c, s.n == 2 && has(&s, "tröskel") && has(&s, "trösklarna"));
    struct lex_entry e;
    CHECK(c, lex_lookup(lex, "tröskel", strlen("tröskel"), &e) == 1 && key == e.stem);
    s.n = 0;   /* a compound part, and an unaccented key */
    CHECK(c, lex_words_with(lex, "områd", strlen("områd"), &key, collect, &s) == 0);
    CHECK(c, s.n == 1 && has(&s, "bostadsområdet"));
    s.n = 0;
    CHECK(c, lex_words_with(lex, "troskel", strlen("troskel"), &key, collect, &s) == 0);
    CHECK(c, s.n == 2);
    s.n = 0;
    CHECK(c, lex_words_with(lex, "saknas", 6, &key, collect, &s) == 0 && s.n == 0 && !key);
    lex_free(lex);
    tmpdir_remove(dir);
}

static void test_a_word_added_twice_keeps_its_first_entry(struct check *c)
{
    struct lex_writer *w = NULL;
    struct lex_entry first = {LEX_KNOWN, "a", "a", {"", ""}, 0, "a", "a"};
    struct lex_entry second = {0, "b", "b", {"", ""}, 0, "b", "b"};
    CHECK(c, lex_writer_new(&w) == 0);
    CHECK(c, lex_writer_add(w, "ord", 3, &first) == 0);
    CHECK(c, lex_writer_add(w, "ord", 3, &second) == 0);
    CHECK(c, lex_writer_add(w, "", 0, &first) < 0);   /* no empty word */
    char dir[256], path[300];
    lib_error err;
    struct lexicon *lex = NULL;
    struct lex_entry e;
    CHECK(c, tmpdir_make(dir, sizeof dir) == 0);
    snprintf(path, sizeof path, "%s/x.lex", dir);
    CHECK(c, lex_writer_finish(w, path, 0, &err) == 0);
    CHECK(c, lex_open(&lex, path, &err) == 0);
    CHECK(c, lex && lex_size(lex) == 1 && lex_lookup(lex, "ord", 3, &e) == 1 &&
                 strcmp(e.stem, "a") == 0);
    lex_free(lex);
    lex_writer_free(w);
    tmpdir_remove(dir);
}

/* A copy of path in dir with n bytes at `at` replaced (bytes NULL: none),
 * cut to truncate_to bytes when that is not negative; its path in copy. */
static void damage(struct check *c, const char *path, const char *dir, char copy[300],
                   size_t at, const void *bytes, size_t n, long truncate_to)
{
    snprintf(copy, 300, "%s/damaged.lex", dir);
    FILE *in = fopen(path, "rb"), *out = fopen(copy, "wb");
    char buf[65536];
    size_t k, total = 0;
    while (in && out && (k = fread(buf, 1, sizeof buf, in)) > 0) {
        if (bytes && at >= total && at + n <= total + k)
            memcpy(buf + (at - total), bytes, n);
        fwrite(buf, 1, k, out);
        total += k;
    }
    if (in)
        fclose(in);
    if (out)
        fclose(out);
    if (truncate_to >= 0)
        CHECK(c, truncate(copy, truncate_to) == 0);
}

/* A damaged copy is refused with a reason naming it. */
static void refused(struct check *c, const char *path, const char *dir, size_t at,
                    const void *bytes, size_t n, long truncate_to, const char *want)
{
    char copy[300];
    lib_error err = {0, ""};
    struct lexicon *lex = NULL;
    damage(c, path, dir, copy, at, bytes, n, truncate_to);
    CHECK(c, lex_open(&lex, copy, &err) == LIB_E_INVALID && lex == NULL);
    CHECK_CONTAINS(c, err.message, want);
    CHECK_CONTAINS(c, err.message, copy);
}

static void test_bad_files_are_refused_with_a_reason(struct check *c)
{
    char dir[256], path[300];
    lib_error err = {0, ""};
    struct lexicon *lex = NULL;
    CHECK(c, tmpdir_make(dir, sizeof dir) == 0);
    CHECK(c, write_lexicon(dir, path, sizeof path, 10) == 0);
    CHECK(c, lex_open(&lex, "/finns/inte.lex", &err) == LIB_E_NOTFOUND && lex == NULL);
    CHECK_CONTAINS(c, err.message, "cannot open the lexicon /finns/inte.lex");
    refused(c, path, dir, 0, "NOTALEX", 8, -1, "not a lexicon");
    uint32_t v = 0x04030201u;
    refused(c, path, dir, offsetof(struct lex_header, version), &v, sizeof v, -1,
            "another version");
    refused(c, path, dir, 0, NULL, 0, 30, "too short");
    refused(c, path, dir, 0, NULL, 0, 2000, "truncated");
    tmpdir_remove(dir);
}

/* Opening reads the layout only (a daemon touches the pages it uses); an
 * entry with an offset out of the file is one a look-up does not find, and
 * the others are still found. */
static void test_a_damaged_entry_is_not_found_and_the_rest_is(struct check *c)
{
    char dir[256], path[300], copy[300];
    struct lexicon *lex = NULL;
    struct lex_entry e;
    CHECK(c, tmpdir_make(dir, sizeof dir) == 0);
    CHECK(c, write_lexicon(dir, path, sizeof path, 10) == 0);
    FILE *f = fopen(path, "rb");
    struct lex_header h;
    CHECK(c, f && fread(&h, sizeof h, 1, f) == 1);
    if (f)
        fclose(f);
    /* the first record (trösklarna): its stem points past the strings */
    uint32_t far = 0x7fffffff;
    damage(c, path, dir, copy, h.records_off + offsetof(struct lex_record, stem), &far,
           sizeof far, -1);
    CHECK(c, lex_open(&lex, copy, NULL) == 0);
    if (lex) {
        CHECK(c, lex_lookup(lex, "trösklarna", strlen("trösklarna"), &e) == 0);
        CHECK(c, lex_lookup(lex, "tröskel", strlen("tröskel"), &e) == 1);
        const char *key;
        CHECK(c, lex_words_with(lex, "tröskel", strlen("tröskel"), &key, collect,
                                &(struct seen){{0}, 0}) == 0);
    }
    lex_free(lex);
    /* every slot naming a record that does not exist: nothing is found,
     * and no probe runs on for ever */
    size_t nslots = h.nslots;
    uint64_t *slots = malloc(nslots * sizeof *slots);
    for (size_t i = 0; slots && i < nslots; i++)
        slots[i] = UINT64_MAX;
    damage(c, path, dir, copy, h.slots_off, slots, nslots * sizeof *slots, -1);
    free(slots);
    lex = NULL;
    CHECK(c, lex_open(&lex, copy, NULL) == 0);
    if (lex) {
        CHECK(c, lex_lookup(lex, "tröskel", strlen("tröskel"), &e) == 0);
        CHECK(c, lex_lookup(lex, "saknas", 6, &e) == 0);
    }
    lex_free(lex);
    tmpdir_remove(dir);
}

static void test_built_lexicon_holds_the_dictionary(struct check *c)
{
    char path[4096];
    lib_error err;
    struct lexicon *lex = NULL;
    CHECK(c, lex_open(&lex, an_default_lexicon(path, sizeof path), &err) == 0);
    if (!lex) {
        fprintf(stderr, "  %s\n", err.message);
        return;
    }
    CHECK(c, lex_size(lex) > 500000);   /* hunspell-sv has about 820,000 forms */
    struct lex_entry e;
    CHECK(c, lex_lookup(lex, "seminarier", strlen("seminarier"), &e) == 1);
    CHECK(c, (e.flags & LEX_KNOWN) && (e.flags & LEX_LEMMA));
    CHECK_STR(c, e.lemma, "seminarium");
    CHECK(c, lex_lookup(lex, "göteborg", strlen("göteborg"), &e) == 1);
    CHECK(c, (e.flags & LEX_PROPER_NOUN) && !(e.flags & LEX_KNOWN));
    CHECK(c, lex_lookup(lex, "och", 3, &e) == 1 && (e.flags & LEX_STOP));
    CHECK(c, lex_lookup(lex, "xqzw", 4, &e) == 0);
    lex_free(lex);
}

int main(void)
{
    struct check c = {0};
    RUN(&c, test_written_entries_are_read_back);
    RUN(&c, test_a_key_expands_to_the_words_listed_under_it);
    RUN(&c, test_a_word_added_twice_keeps_its_first_entry);
    RUN(&c, test_bad_files_are_refused_with_a_reason);
    RUN(&c, test_a_damaged_entry_is_not_found_and_the_rest_is);
    RUN(&c, test_built_lexicon_holds_the_dictionary);
    return check_report(&c, "test_lexicon");
}
