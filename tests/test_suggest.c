/* test_suggest.c: lib/suggest.c — completions for the search box from a
 * real index's words: the stored table for one- and two-letter prefixes,
 * the capped scan for longer ones, most used word first, and what is never
 * a completion (stopwords, numbers, short words, the prefixed key terms). */
#include "check.h"
#include "suggest.h"
#include "support.h"
#include "xapian_c.h"

#include <stdlib.h>
#include <string.h>

struct fixture {
    char dir[256];
    char db[512];
    json_t *table;
    xc_db *reader;
};

/* Each word below in as many documents as its count says. */
static const struct {
    const char *word;
    unsigned docs;
} words[] = {
    {"skola", 4}, {"segregation", 3}, {"seminarium", 2}, {"sektor", 1},
    {"och", 5},                   /* a stopword */
    {"2019", 5}, {"se", 5},       /* a number; a word under three letters */
    {"Zsegregation", 5},          /* a key term: prefixed, upper case */
    {"åtgärd", 1}, {"ökning", 2},
    {"kaka", 1}, {"kall", 1}, {"kamp", 1}, {"kanal", 3}, {"kant", 1}, {"kapp", 1},
    {"karl", 1}, {"karta", 2}, {"kasta", 1}, {"katt", 1},
};

#define NDOCS 5
#define SCAN_WORDS 2100   /* more "pre…" words than a long prefix scans */

static void scan_word(unsigned i, char out[8])
{
    snprintf(out, 8, "pre%c%c%c", 'a' + i / 676, 'a' + i / 26 % 26, 'a' + i % 26);
}

/* Document k holds the words with more than k documents, and the "pre…"
 * words: the last of them in every document, the others in the first. */
static int add_document(xc_wdb *w, unsigned k)
{
    xc_doc *d = NULL;
    char id[16], term[8];
    snprintf(id, sizeof id, "Qd%u", k);
    int rc = xc_doc_new(&d, NULL);
    for (size_t i = 0; rc == 0 && i < sizeof words / sizeof words[0]; i++)
        if (words[i].docs > k)
            rc = xc_doc_add_term(d, words[i].word, 1, NULL);
    for (unsigned i = k ? SCAN_WORDS - 1 : 0; rc == 0 && i < SCAN_WORDS; i++) {
        scan_word(i, term);
        rc = xc_doc_add_term(d, term, 1, NULL);
    }
    if (rc == 0)
        rc = xc_wdb_replace_by_term(w, id, d, NULL);
    xc_doc_free(d);
    return rc;
}

static int build_index(struct fixture *f)
{
    xc_wdb *w = NULL;
    int rc = xc_wdb_open(&w, f->db, XC_WDB_CREATE_OR_OVERWRITE, NULL);
    for (unsigned k = 0; rc == 0 && k < NDOCS; k++)
        rc = add_document(w, k);
    if (rc == 0)
        rc = xc_wdb_commit(w, NULL);
    if (rc == 0)
        rc = suggest_build_table(&f->table, w, NULL);
    xc_wdb_free(w);
    return rc == 0 ? xc_db_open(&f->reader, f->db, NULL) : rc;
}

/* The completions of prefix joined by "|". */
static char *complete(struct check *c, const char *prefix)
{
    struct fixture *f = c->ctx;
    char *got[SUGGEST_MAX], out[512] = "";
    int n = suggest_complete(got, f->reader, f->table, prefix, NULL);
    size_t at = 0;
    CHECK(c, n >= 0);
    for (int i = 0; i < n; i++) {
        at += (size_t)snprintf(out + at, sizeof out - at, "%s%s", i ? "|" : "", got[i]);
        free(got[i]);
    }
    return strdup(out);
}

static void check_completions(struct check *c, const char *prefix, const char *want)
{
    char *got = complete(c, prefix);
    CHECK_STR(c, got, want);
    free(got);
}

static void test_table_holds_most_used_words_of_each_short_prefix(struct check *c)
{
    struct fixture *f = c->ctx;
    json_t *s = json_object_get(f->table, "s");
    CHECK(c, json_array_size(s) == 4);
    CHECK_STR(c, json_string_value(json_array_get(s, 0)), "skola");
    CHECK_STR(c, json_string_value(json_array_get(s, 3)), "sektor");
    CHECK(c, json_array_size(json_object_get(f->table, "se")) == 3);
    CHECK(c, json_array_size(json_object_get(f->table, "sk")) == 1);
    CHECK(c, json_array_size(json_object_get(f->table, "å")) == 1);
    CHECK(c, json_array_size(json_object_get(f->table, "åt")) == 1);
    CHECK(c, json_array_size(json_object_get(f->table, "ök")) == 1);
}

static void test_table_leaves_out_stopwords_numbers_short_words_and_keys(struct check *c)
{
    struct fixture *f = c->ctx;
    CHECK(c, json_object_get(f->table, "o") == NULL);    /* och */
    CHECK(c, json_object_get(f->table, "2") == NULL);
    CHECK(c, json_object_get(f->table, "Z") == NULL);
    check_completions(c, "se", "segregation|seminarium|sektor");
}

static void test_short_prefixes_are_answered_from_the_table(struct check *c)
{
    check_completions(c, "s", "skola|segregation|seminarium|sektor");
    check_completions(c, "ö", "ökning");
    /* At most SUGGEST_MAX, the most used first, ties in word order. */
    check_completions(c, "ka", "kanal|karta|kaka|kall|kamp|kant|kapp|karl");
}

static void test_longer_prefixes_scan_the_words(struct check *c)
{
    check_completions(c, "seg", "segregation");
    check_completions(c, "kan", "kanal|kant");
    check_completions(c, "åtg", "åtgärd");
    check_completions(c, "och", "");
    check_completions(c, "xyz", "");
}

static void test_an_empty_prefix_completes_nothing(struct check *c)
{
    check_completions(c, "", "");
}

/* A keystroke costs a bounded scan: past its first 2,000 words a long prefix
 * is not read, however used a later word is. */
static void test_a_long_prefix_reads_a_bounded_number_of_words(struct check *c)
{
    char last[8];
    scan_word(SCAN_WORDS - 1, last);
    char *got = complete(c, "pre");
    CHECK(c, got && strncmp(got, "preaaa|", 7) == 0);
    CHECK(c, got && !strstr(got, last));
    free(got);
    check_completions(c, "precd", "precda|precdb|precdc|precdd|precde|precdf|precdg|precdh");
    check_completions(c, last, last);
}

int main(void)
{
    struct check c = {0};
    struct fixture f = {0};
    if (tmpdir_make(f.dir, sizeof f.dir) < 0)
        return 1;
    snprintf(f.db, sizeof f.db, "%s/index", f.dir);
    if (build_index(&f) < 0) {
        fprintf(stderr, "test_suggest: cannot build the index\n");
        json_decref(f.table);
        tmpdir_remove(f.dir);
        return 1;
    }
    c.ctx = &f;
    RUN(&c, test_table_holds_most_used_words_of_each_short_prefix);
    RUN(&c, test_table_leaves_out_stopwords_numbers_short_words_and_keys);
    RUN(&c, test_short_prefixes_are_answered_from_the_table);
    RUN(&c, test_longer_prefixes_scan_the_words);
    RUN(&c, test_an_empty_prefix_completes_nothing);
    RUN(&c, test_a_long_prefix_reads_a_bounded_number_of_words);
    json_decref(f.table);
    xc_db_free(f.reader);
    tmpdir_remove(f.dir);
    return check_report(&c, "test_suggest");
}
