/* test_xapian_c.c: unit tests of the C API over libxapian (xapian_c.h).
 *
 * Every test builds real databases in its own mkdtemp directory under /tmp
 * and removes it at the end, so tests are independent and leave nothing.
 * Under ASan these also prove the ownership rules (free in any order).
 * Terms go into documents directly (xc_doc_add_posting) and queries are
 * built from terms, as the product does: xapian-c has no term generator or
 * query parser.
 */
#include "check.h"
#include "relay.h"
#include "support.h"
#include "xapian_c.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- Helpers ------------------------------------------------------------ */

/* Each test's own folder (the runner in main makes it and removes it), and
 * the database path in it that most tests use. */
struct tmpdir {
    char path[64];
    char db[128];
};

static int tmp_make(struct tmpdir *t)
{
    strcpy(t->path, "/tmp/test_xapian_c.XXXXXX");
    if (!mkdtemp(t->path)) {
        perror("mkdtemp");
        t->path[0] = '\0';
        return -1;
    }
    snprintf(t->db, sizeof t->db, "%s/db", t->path);
    return 0;
}

static void tmp_join(const struct tmpdir *t, const char *name, char *out,
                     size_t n)
{
    snprintf(out, n, "%s/%s", t->path, name);
}

static int rm_entry(const char *p, const struct stat *sb, int flag,
                    struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(p);
}

static void tmp_remove(const struct tmpdir *t)
{
    if (t->path[0]) nftw(t->path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static xc_wdb *open_writer(struct check *c, const char *path)
{
    xc_wdb *w = NULL;
    xc_error e = {0};
    int rc = xc_wdb_open(&w, path, XC_WDB_CREATE_OR_OPEN, &e);
    CHECK(c, rc == XC_OK);
    if (rc) fprintf(stderr, "  open_writer: %s\n", e.message);
    return w;
}

static xc_db *open_reader(struct check *c, const char *path)
{
    xc_db *db = NULL;
    xc_error e = {0};
    int rc = xc_db_open(&db, path, &e);
    CHECK(c, rc == XC_OK);
    if (rc) fprintf(stderr, "  open_reader: %s\n", e.message);
    return db;
}

/* Calls fn for each space-separated word of text, lower-cased (ASCII only:
 * enough for these tests), into a buffer of 64 bytes. */
static void each_word(const char *text, void (*fn)(void *, const char *),
                      void *ctx)
{
    char word[64];
    size_t n = 0;
    for (const char *p = text;; p++) {
        if (*p == ' ' || *p == '\0') {
            if (n) {
                word[n] = '\0';
                fn(ctx, word);
                n = 0;
            }
            if (!*p) break;
        } else if (n + 1 < sizeof word) {
            word[n++] = (char)tolower((unsigned char)*p);
        }
    }
}

struct posting_ctx {
    struct check *c;
    xc_doc *d;
    const char *prefix;
    unsigned pos;
};

static void add_one_posting(void *ctx, const char *word)
{
    struct posting_ctx *p = ctx;
    char term[80];
    snprintf(term, sizeof term, "%s%s", p->prefix, word);
    CHECK(p->c, xc_doc_add_posting(p->d, term, p->pos++, 1, NULL) == XC_OK);
}

/* Adds the words of text to d as terms (prefix + word) at positions pos,
 * pos + 1, …; returns the position after the last word. */
static unsigned index_words(struct check *c, xc_doc *d, const char *text,
                            const char *prefix, unsigned pos)
{
    struct posting_ctx p = {c, d, prefix ? prefix : "", pos};
    each_word(text, add_one_posting, &p);
    return p.pos;
}

/* Indexes `text` (also stored as the data) under the unique term `id`, with
 * optional values in slots 0 and 1. */
static void add_doc(struct check *c, xc_wdb *w, const char *id,
                    const char *text, const char *value0, const char *value1)
{
    xc_doc *d = NULL;
    xc_error e = {0};
    CHECK(c, xc_doc_new(&d, &e) == XC_OK);
    index_words(c, d, text, NULL, 1);
    CHECK(c, xc_doc_set_data(d, text, strlen(text), &e) == XC_OK);
    if (value0)
        CHECK(c, xc_doc_set_value(d, 0, value0, strlen(value0), &e) == XC_OK);
    if (value1)
        CHECK(c, xc_doc_set_value(d, 1, value1, strlen(value1), &e) == XC_OK);
    CHECK(c, xc_wdb_replace_by_term(w, id, d, &e) == XC_OK);
    xc_doc_free(d);
}

/* Commits documents (id, text, value0, value1) in groups of four strings
 * into a fresh database at path. */
static void build_db(struct check *c, const char *path,
                     const char *const *rows, size_t n)
{
    xc_wdb *w = open_writer(c, path);
    for (size_t i = 0; i + 3 < n; i += 4)
        add_doc(c, w, rows[i], rows[i + 1], rows[i + 2], rows[i + 3]);
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);
    xc_wdb_free(w);
}

/* An empty folder of n shards, t's folder/name, into dir. */
static void shard_dirs(struct check *c, const struct tmpdir *t, const char *name, int n,
                       char *dir, size_t len)
{
    char p[256];
    tmp_join(t, name, dir, len);
    CHECK(c, mkdir(dir, 0755) == 0);
    for (int i = 0; i < n; i++) {
        snprintf(p, sizeof p, "%s/shard-%d", dir, i);
        CHECK(c, mkdir(p, 0755) == 0);
    }
}

static xc_mset *run_query(struct check *c, xc_db *db, const xc_query *q,
                          unsigned max)
{
    xc_enquire *enq = NULL;
    xc_mset *m = NULL;
    xc_error e = {0};
    CHECK(c, xc_enquire_new(&enq, db, &e) == XC_OK);
    CHECK(c, xc_enquire_set_query(enq, q, &e) == XC_OK);
    CHECK(c, xc_enquire_get_mset(enq, 0, max, 0, &m, &e) == XC_OK);
    xc_enquire_free(enq);
    return m;
}

struct words_query {
    struct check *c;
    xc_query *subs[8];
    size_t n;
};

static void add_term_query(void *ctx, const char *word)
{
    struct words_query *w = ctx;
    if (w->n < sizeof w->subs / sizeof w->subs[0])
        CHECK(w->c, xc_query_new_term(&w->subs[w->n++], word, 1, NULL) ==
                        XC_OK);
}

/* The space-separated words of text as term queries, combined with op
 * (XC_OP_*), or as a phrase within window when op is -1. */
static xc_query *words_query(struct check *c, const char *text, int op,
                             unsigned window)
{
    struct words_query w = {c, {0}, 0};
    xc_query *q = NULL;
    each_word(text, add_term_query, &w);
    if (op < 0)
        CHECK(c, xc_query_new_phrase(&q, w.subs, w.n, window, NULL) == XC_OK);
    else
        CHECK(c, xc_query_new_combine(&q, op, w.subs, w.n, NULL) == XC_OK);
    for (size_t i = 0; i < w.n; i++) xc_query_free(w.subs[i]);
    return q;
}

/* Runs words_query(text, op, window) and returns the mset. */
static xc_mset *run_words(struct check *c, xc_db *db, const char *text,
                          int op, unsigned window)
{
    xc_query *q = words_query(c, text, op, window);
    xc_mset *m = run_query(c, db, q, 10);
    xc_query_free(q);
    return m;
}

/* The stored data of the i-th match, malloc'd. */
static char *data_of(struct check *c, const xc_mset *m, unsigned i)
{
    xc_doc *d = NULL;
    char *s = NULL;
    CHECK(c, xc_mset_document(m, i, &d, NULL) == XC_OK);
    CHECK(c, xc_doc_get_data(d, &s, NULL, NULL) == XC_OK);
    xc_doc_free(d);
    return s;
}

static void check_data(struct check *c, const xc_mset *m, unsigned i,
                       const char *want)
{
    char *s = data_of(c, m, i);
    CHECK_STR(c, s, want);
    free(s);
}

/* The running test's database path (not made yet). */
static const char *db_path(struct check *c)
{
    return ((const struct tmpdir *)c->ctx)->db;
}

/* Checks that m holds `matches` matches, the first with the data `first`
 * (NULL: not checked), and frees it. */
static void check_mset(struct check *c, xc_mset *m, unsigned matches, const char *first)
{
    CHECK(c, xc_mset_size(m) == matches);
    if (first && matches > 0 && xc_mset_size(m) == matches)
        check_data(c, m, 0, first);
    xc_mset_free(m);
}

/* A search for words (combined with op, or a phrase within window when op
 * is -1, as words_query) and what it finds. */
struct search_case {
    const char *words;
    int op;
    unsigned window;
    unsigned matches;
    const char *first;   /* the first match's data, NULL: not checked */
};

static void check_searches(struct check *c, xc_db *db, const struct search_case *cases,
                           size_t n)
{
    for (size_t i = 0; i < n; i++)
        check_mset(c, run_words(c, db, cases[i].words, cases[i].op, cases[i].window),
                   cases[i].matches, cases[i].first);
}

static unsigned term_freq(struct check *c, xc_db *db, const char *term)
{
    unsigned n = 99;
    CHECK(c, xc_db_term_freq(db, term, &n, NULL) == XC_OK);
    return n;
}

/* ---- Documents and the writable database ------------------------------- */

static void test_replace_by_term_twice_keeps_one_document(struct check *c)
{
    const char *path = db_path(c);
    xc_wdb *w = open_writer(c, path);
    add_doc(c, w, "Qdoc", "första versionen", NULL, NULL);
    add_doc(c, w, "Qdoc", "andra versionen", NULL, NULL);
    CHECK(c, xc_wdb_doc_count(w) == 1);

    xc_doc *d = NULL;
    char *s = NULL;
    CHECK(c, xc_wdb_get_by_term(w, "Qdoc", &d, NULL) == XC_OK);
    CHECK(c, xc_doc_get_data(d, &s, NULL, NULL) == XC_OK);
    CHECK_STR(c, s, "andra versionen");
    CHECK(c, xc_doc_id(d) > 0);
    free(s);
    xc_doc_free(d);
    xc_wdb_free(w);
}

static void test_replace_by_term_adds_the_unique_term(struct check *c)
{
    const char *path = db_path(c);
    xc_wdb *w = open_writer(c, path);
    for (int i = 0; i < 2; i++) {
        xc_doc *d = NULL;
        CHECK(c, xc_doc_new(&d, NULL) == XC_OK);
        CHECK(c, xc_doc_add_term(d, "ord", 1, NULL) == XC_OK);
        CHECK(c, xc_wdb_replace_by_term(w, "Qbare", d, NULL) == XC_OK);
        xc_doc_free(d);
    }
    CHECK(c, xc_wdb_doc_count(w) == 1);
    xc_wdb_free(w);
}

static void test_delete_by_term_reports_whether_a_document_existed(
    struct check *c)
{
    const char *path = db_path(c);
    xc_wdb *w = open_writer(c, path);
    add_doc(c, w, "Qa", "ett", NULL, NULL);
    add_doc(c, w, "Qb", "två", NULL, NULL);
    int deleted = -1;
    CHECK(c, xc_wdb_delete_by_term(w, "Qa", &deleted, NULL) == XC_OK);
    CHECK(c, deleted == 1);
    CHECK(c, xc_wdb_doc_count(w) == 1);
    CHECK(c, xc_wdb_delete_by_term(w, "Qa", &deleted, NULL) == XC_OK);
    CHECK(c, deleted == 0);
    CHECK(c, xc_wdb_delete_by_term(w, "Qb", NULL, NULL) == XC_OK);
    CHECK(c, xc_wdb_doc_count(w) == 0);
    xc_wdb_free(w);
}

static void test_get_by_missing_term_is_notfound(struct check *c)
{
    const char *path = db_path(c);
    static const char *const rows[] = {"Qa", "ett", NULL, NULL};
    build_db(c, path, rows, 4);

    xc_db *db = open_reader(c, path);
    xc_doc *d = (xc_doc *)&c;
    xc_error e = {0};
    CHECK(c, xc_db_get_by_term(db, "Qnone", &d, &e) == XC_E_NOTFOUND);
    CHECK(c, d == NULL);
    CHECK_CONTAINS(c, e.message, "Qnone");
    xc_wdb *w = open_writer(c, path);
    CHECK(c, xc_wdb_get_by_term(w, "Qnone", &d, &e) == XC_E_NOTFOUND);
    CHECK(c, d == NULL);
    xc_wdb_free(w);
    xc_db_free(db);
}

static void test_document_data_and_values_round_trip_with_nul_bytes(
    struct check *c)
{
    const char *path = db_path(c);
    static const char data[] = {'a', '\0', 'b', '\xff'};
    static const char value[] = {'\0', 'v', '\0'};

    xc_doc *d = NULL;
    CHECK(c, xc_doc_new(&d, NULL) == XC_OK);
    CHECK(c, xc_doc_id(d) == 0);
    CHECK(c, xc_doc_set_data(d, data, sizeof data, NULL) == XC_OK);
    CHECK(c, xc_doc_set_value(d, 3, value, sizeof value, NULL) == XC_OK);
    CHECK(c, xc_doc_add_boolean_term(d, "XTYPEpage", NULL) == XC_OK);
    xc_wdb *w = open_writer(c, path);
    CHECK(c, xc_wdb_replace_by_term(w, "Qnul", d, NULL) == XC_OK);
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);
    xc_wdb_free(w);
    xc_doc_free(d);

    xc_db *db = open_reader(c, path);
    CHECK(c, xc_db_get_by_term(db, "Qnul", &d, NULL) == XC_OK);
    char *s = NULL;
    size_t len = 0;
    CHECK(c, xc_doc_get_data(d, &s, &len, NULL) == XC_OK);
    CHECK(c, len == sizeof data && s && memcmp(s, data, len) == 0);
    CHECK(c, s && s[len] == '\0');
    free(s);
    CHECK(c, xc_doc_get_value(d, 3, &s, &len, NULL) == XC_OK);
    CHECK(c, len == sizeof value && s && memcmp(s, value, len) == 0);
    free(s);
    CHECK(c, xc_doc_get_value(d, 4, &s, &len, NULL) == XC_OK);
    CHECK(c, len == 0);
    CHECK_STR(c, s, "");
    free(s);
    CHECK(c, xc_doc_id(d) == 1);
    CHECK(c, term_freq(c, db, "XTYPEpage") == 1);
    xc_doc_free(d);
    xc_db_free(db);
}

static void test_doc_add_posting_records_positions_and_wdf(struct check *c)
{
    const char *path = db_path(c);
    xc_wdb *w = open_writer(c, path);
    xc_doc *d = NULL;
    /* "ord" twice (wdf 2), at positions 2 and 6; "tyst" adds no wdf. */
    CHECK(c, xc_doc_new(&d, NULL) == XC_OK);
    CHECK(c, xc_doc_add_posting(d, "a", 1, 1, NULL) == XC_OK);
    CHECK(c, xc_doc_add_posting(d, "ord", 2, 1, NULL) == XC_OK);
    CHECK(c, xc_doc_add_posting(d, "b", 5, 1, NULL) == XC_OK);
    CHECK(c, xc_doc_add_posting(d, "ord", 6, 1, NULL) == XC_OK);
    CHECK(c, xc_doc_add_posting(d, "tyst", 7, 0, NULL) == XC_OK);
    CHECK(c, xc_doc_set_data(d, "p", 1, NULL) == XC_OK);
    CHECK(c, xc_wdb_replace_by_term(w, "Qp", d, NULL) == XC_OK);
    xc_doc_free(d);
    static const struct {
        const char *id;
        unsigned wdf_inc;
    } one[] = {{"Qw1", 1}, {"Qw3", 3}};
    for (size_t i = 0; i < 2; i++) {
        CHECK(c, xc_doc_new(&d, NULL) == XC_OK);
        CHECK(c, xc_doc_add_posting(d, "ord", 1, one[i].wdf_inc, NULL) ==
                     XC_OK);
        CHECK(c, xc_doc_set_data(d, one[i].id + 1, 2, NULL) == XC_OK);
        CHECK(c, xc_wdb_replace_by_term(w, one[i].id, d, NULL) == XC_OK);
        xc_doc_free(d);
    }
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);
    xc_wdb_free(w);

    xc_db *db = open_reader(c, path);
    CHECK(c, term_freq(c, db, "ord") == 3);
    CHECK(c, term_freq(c, db, "tyst") == 1);

    /* Both positions of "ord" were recorded, each in its place. */
    static const struct search_case searches[] = {
        {"a ord", -1, 0, 1, "p"},
        {"b ord", -1, 0, 1, NULL},
        {"ord b", -1, 0, 0, NULL},
    };
    check_searches(c, db, searches, sizeof searches / sizeof searches[0]);

    /* wdf grew by wdf_inc: the ranking for "ord" follows wdf 3, 2, 1. */
    xc_query *q = NULL;
    xc_enquire *enq = NULL;
    CHECK(c, xc_query_new_term(&q, "ord", 1, NULL) == XC_OK);
    CHECK(c, xc_enquire_new(&enq, db, NULL) == XC_OK);
    CHECK(c, xc_enquire_set_query(enq, q, NULL) == XC_OK);
    xc_mset *m = NULL;
    CHECK(c, xc_enquire_get_mset(enq, 0, 10, 0, &m, NULL) == XC_OK);
    CHECK(c, xc_mset_size(m) == 3);
    if (xc_mset_size(m) == 3) {
        check_data(c, m, 0, "w3");
        check_data(c, m, 1, "p");
        check_data(c, m, 2, "w1");
        CHECK(c, xc_mset_weight(m, 0) > xc_mset_weight(m, 1));
        CHECK(c, xc_mset_weight(m, 1) > xc_mset_weight(m, 2));
    }
    xc_mset_free(m);
    xc_enquire_free(enq);
    xc_query_free(q);
    xc_db_free(db);
}

/* ---- Commit, reopen, free ----------------------------------------------- */

static void test_commit_then_reader_sees_it_after_reopen(struct check *c)
{
    const char *path = db_path(c);
    xc_wdb *w = open_writer(c, path);
    add_doc(c, w, "Qa", "ett", NULL, NULL);
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);

    xc_db *db = open_reader(c, path);
    CHECK(c, xc_db_doc_count(db) == 1);
    unsigned long long rev = xc_db_revision(db);
    CHECK(c, rev > 0);

    add_doc(c, w, "Qb", "två", NULL, NULL);
    int changed = -1;
    CHECK(c, xc_db_reopen(db, &changed, NULL) == XC_OK);
    CHECK(c, changed == 0); /* nothing committed yet */
    CHECK(c, xc_db_doc_count(db) == 1);

    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);
    CHECK(c, xc_db_doc_count(db) == 1); /* still the old snapshot */
    CHECK(c, xc_db_reopen(db, &changed, NULL) == XC_OK);
    CHECK(c, changed == 1);
    CHECK(c, xc_db_doc_count(db) == 2);
    CHECK(c, xc_db_revision(db) > rev);
    CHECK(c, xc_db_reopen(db, NULL, NULL) == XC_OK);

    xc_db_free(db);
    xc_wdb_free(w);
}

static void test_free_without_commit_loses_the_changes(struct check *c)
{
    const char *path = db_path(c);
    xc_wdb *w = open_writer(c, path);
    add_doc(c, w, "Qkept", "sparad", NULL, NULL);
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);
    add_doc(c, w, "Qlost", "förlorad", NULL, NULL);
    CHECK(c, xc_wdb_delete_by_term(w, "Qkept", NULL, NULL) == XC_OK);
    CHECK(c, xc_wdb_doc_count(w) == 1);
    xc_wdb_free(w);

    w = open_writer(c, path);
    xc_doc *d = NULL;
    CHECK(c, xc_wdb_doc_count(w) == 1);
    CHECK(c, xc_wdb_get_by_term(w, "Qkept", &d, NULL) == XC_OK);
    xc_doc_free(d);
    CHECK(c, xc_wdb_get_by_term(w, "Qlost", &d, NULL) == XC_E_NOTFOUND);
    xc_wdb_free(w);
}

/* Outside a transaction Xapian commits by itself every
 * XAPIAN_FLUSH_THRESHOLD documents; a free must still lose them all. */
static void test_free_without_commit_loses_changes_past_flush_threshold(
    struct check *c)
{
    const char *path = db_path(c);
    setenv("XAPIAN_FLUSH_THRESHOLD", "2", 1);
    xc_wdb *w = open_writer(c, path);
    for (int i = 0; i < 10; i++) {
        char id[16];
        snprintf(id, sizeof id, "Q%d", i);
        add_doc(c, w, id, "text", NULL, NULL);
    }
    CHECK(c, xc_wdb_doc_count(w) == 10);
    xc_wdb_free(w);
    unsetenv("XAPIAN_FLUSH_THRESHOLD");

    xc_db *db = open_reader(c, path);
    CHECK(c, xc_db_doc_count(db) == 0);
    xc_db_free(db);
}

/* A document read from the writer co-owns the writer's database; freeing
 * the writer must still release the lock, and the document then fails
 * cleanly. */
static void test_wdb_free_releases_lock_while_a_document_holds_it(
    struct check *c)
{
    const char *path = db_path(c);
    static const char *const rows[] = {"Qa", "ett", NULL, NULL};
    build_db(c, path, rows, 4);
    xc_wdb *w = open_writer(c, path);
    xc_doc *d = NULL;
    xc_error e = {0};
    CHECK(c, xc_wdb_get_by_term(w, "Qa", &d, NULL) == XC_OK);
    xc_wdb_free(w);

    w = open_writer(c, path); /* would be XC_E_LOCK if still held */
    CHECK(c, w != NULL);
    xc_wdb_free(w);
    char *s = (char *)&c;
    CHECK(c, xc_doc_get_data(d, &s, NULL, &e) == XC_E_DATABASE);
    CHECK(c, s == NULL);
    CHECK(c, e.message[0] != '\0');
    xc_doc_free(d);
}

static void test_wdb_open_modes(struct check *c)
{
    const char *path = db_path(c);
    xc_wdb *w = (xc_wdb *)&c;
    xc_error e = {0};
    CHECK(c, xc_wdb_open(&w, path, XC_WDB_OPEN, &e) == XC_E_NOTFOUND);
    CHECK(c, w == NULL);
    CHECK(c, xc_wdb_open(&w, path, 0, &e) == XC_E_INVALID);

    static const char *const rows[] = {"Qa", "ett", NULL, NULL};
    build_db(c, path, rows, 4);
    CHECK(c, xc_wdb_open(&w, path, XC_WDB_OPEN, &e) == XC_OK);
    CHECK(c, xc_wdb_doc_count(w) == 1);
    xc_wdb_free(w);
    CHECK(c, xc_wdb_open(&w, path, XC_WDB_CREATE_OR_OVERWRITE, &e) == XC_OK);
    CHECK(c, xc_wdb_doc_count(w) == 0);
    xc_wdb_free(w);
}

/* ---- Metadata and spelling ---------------------------------------------- */

static void check_metadata(struct check *c, xc_db *db, const char *key,
                           const char *want, size_t want_len)
{
    char *s = NULL;
    size_t len = 99;
    CHECK(c, xc_db_get_metadata(db, key, &s, &len, NULL) == XC_OK);
    CHECK(c, len == want_len && s && memcmp(s, want, len) == 0);
    CHECK(c, s && s[len] == '\0');
    free(s);
}

static void test_metadata_set_get_and_commit(struct check *c)
{
    const char *path = db_path(c);
    static const char value[] = {'v', '\0', 'x'};
    xc_wdb *w = open_writer(c, path);
    char *s = NULL;
    size_t len = 99;
    CHECK(c, xc_wdb_get_metadata(w, "k", &s, &len, NULL) == XC_OK);
    CHECK_STR(c, s, ""); /* unset */
    CHECK(c, len == 0);
    free(s);
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);
    xc_db *db = open_reader(c, path);

    CHECK(c, xc_wdb_set_metadata(w, "k", value, sizeof value, NULL) == XC_OK);
    CHECK(c, xc_wdb_set_metadata(w, "gone", "x", 1, NULL) == XC_OK);
    CHECK(c, xc_wdb_get_metadata(w, "k", &s, &len, NULL) == XC_OK);
    CHECK(c, len == sizeof value && s && memcmp(s, value, len) == 0);
    free(s);
    CHECK(c, xc_wdb_get_metadata(w, "k", &s, NULL, NULL) == XC_OK);
    CHECK_STR(c, s, "v"); /* len is optional; the NUL is in the value */
    free(s);
    check_metadata(c, db, "k", "", 0); /* not committed yet */

    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);
    CHECK(c, xc_db_reopen(db, NULL, NULL) == XC_OK);
    check_metadata(c, db, "k", value, sizeof value);
    check_metadata(c, db, "gone", "x", 1);

    /* An empty value removes the key; uncommitted changes die with free. */
    CHECK(c, xc_wdb_set_metadata(w, "gone", NULL, 0, NULL) == XC_OK);
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);
    CHECK(c, xc_wdb_set_metadata(w, "k", "lost", 4, NULL) == XC_OK);
    xc_wdb_free(w);
    CHECK(c, xc_db_reopen(db, NULL, NULL) == XC_OK);
    check_metadata(c, db, "gone", "", 0);
    check_metadata(c, db, "k", value, sizeof value);

    xc_error e = {0};
    w = open_writer(c, path);
    CHECK(c, xc_wdb_set_metadata(w, "", "x", 1, &e) == XC_E_INVALID);
    CHECK(c, xc_wdb_get_metadata(w, "", &s, &len, &e) == XC_E_INVALID);
    s = (char *)&c;
    CHECK(c, xc_db_get_metadata(db, "", &s, &len, &e) == XC_E_INVALID);
    CHECK(c, s == NULL);
    CHECK(c, len == 0);
    xc_wdb_free(w);
    xc_db_free(db);
}

static void check_suggestion(struct check *c, xc_db *db, const char *word,
                             unsigned max_edit, const char *want)
{
    char *s = (char *)&c;
    CHECK(c, xc_db_spelling_suggestion(db, word, max_edit, &s, NULL) ==
                 XC_OK);
    if (want)
        CHECK_STR(c, s, want);
    else
        CHECK(c, s == NULL);
    if (s != (char *)&c) free(s);
}

static void test_spelling_suggestion_from_added_spellings(struct check *c)
{
    const char *path = db_path(c);
    xc_wdb *w = open_writer(c, path);
    CHECK(c, xc_wdb_add_spelling(w, "segregation", 1, NULL) == XC_OK);
    CHECK(c, xc_wdb_add_spelling(w, "skolan", 1, NULL) == XC_OK);
    CHECK(c, xc_wdb_add_spelling(w, "katten", 5, NULL) == XC_OK);
    CHECK(c, xc_wdb_add_spelling(w, "katter", 1, NULL) == XC_OK);
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);

    xc_db *db = open_reader(c, path);
    check_suggestion(c, db, "segregaton", 2, "segregation");
    check_suggestion(c, db, "segregaton", 0, NULL); /* beyond max_edit */
    check_suggestion(c, db, "qwxyzzy", 2, NULL);
    /* Equally near: the more frequent spelling wins. */
    check_suggestion(c, db, "katteb", 2, "katten");

    /* freqinc adds up, and uncommitted spellings are not seen. */
    CHECK(c, xc_wdb_add_spelling(w, "katter", 5, NULL) == XC_OK);
    CHECK(c, xc_wdb_add_spelling(w, "katter", 5, NULL) == XC_OK);
    CHECK(c, xc_db_reopen(db, NULL, NULL) == XC_OK);
    check_suggestion(c, db, "katteb", 2, "katten");
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);
    CHECK(c, xc_db_reopen(db, NULL, NULL) == XC_OK);
    check_suggestion(c, db, "katteb", 2, "katter");

    xc_wdb_free(w);
    xc_db_free(db);
}

/* ---- Errors ------------------------------------------------------------- */

/* Xapian raises DatabaseNotFoundError for a path that does not exist. */
static void test_missing_database_is_notfound_error(struct check *c)
{
    xc_db *db = (xc_db *)&c;
    xc_error e = {0};
    CHECK(c, xc_db_open(&db, "/tmp/test_xapian_c-no-such-db", &e) ==
                 XC_E_NOTFOUND);
    CHECK(c, db == NULL);
    CHECK(c, e.code == XC_E_NOTFOUND);
    CHECK_CONTAINS(c, e.message, "no-such-db");
    /* err is optional */
    CHECK(c, xc_db_open(&db, "/tmp/test_xapian_c-no-such-db", NULL) ==
                 XC_E_NOTFOUND);
}

static void test_corrupt_database_is_database_error(struct check *c)
{
    const char *path = db_path(c);
    static const char *const rows[] = {"Qa", "ett två tre", NULL, NULL};
    build_db(c, path, rows, 4);

    char garbage[8192];
    for (size_t i = 0; i < sizeof garbage; i++)
        garbage[i] = (char)(i * 7919 + 13);
    DIR *dir = opendir(path);
    CHECK(c, dir != NULL);
    int files = 0;
    for (struct dirent *de; dir && (de = readdir(dir));) {
        if (de->d_name[0] == '.') continue;
        char f[512];
        snprintf(f, sizeof f, "%s/%s", path, de->d_name);
        int fd = open(f, O_WRONLY | O_TRUNC);
        if (fd < 0) continue;
        CHECK(c, write(fd, garbage, sizeof garbage) == (ssize_t)sizeof garbage);
        close(fd);
        files++;
    }
    if (dir) closedir(dir);
    CHECK(c, files > 0);

    xc_db *db = (xc_db *)&c;
    xc_error e = {0};
    int rc = xc_db_open(&db, path, &e);
    CHECK(c, rc == XC_E_DATABASE);
    CHECK(c, db == NULL);
    CHECK(c, e.message[0] != '\0');
    xc_wdb *w = (xc_wdb *)&c;
    memset(&e, 0, sizeof e);
    rc = xc_wdb_open(&w, path, XC_WDB_OPEN, &e);
    CHECK(c, rc == XC_E_DATABASE);
    CHECK(c, w == NULL);
    CHECK(c, e.message[0] != '\0');
}

static void test_second_writer_is_lock_error(struct check *c)
{
    const char *path = db_path(c);
    xc_wdb *w1 = open_writer(c, path);
    xc_wdb *w2 = (xc_wdb *)&c;
    xc_error e = {0};
    CHECK(c, xc_wdb_open(&w2, path, XC_WDB_CREATE_OR_OPEN, &e) == XC_E_LOCK);
    CHECK(c, w2 == NULL);
    CHECK(c, e.code == XC_E_LOCK);
    CHECK(c, e.message[0] != '\0');
    xc_wdb_free(w1);
    CHECK(c, xc_wdb_open(&w2, path, XC_WDB_CREATE_OR_OPEN, &e) == XC_OK);
    xc_wdb_free(w2);
}

static int utf8_complete(const char *s)
{
    size_t n = strlen(s), i = 0;
    while (i < n) {
        unsigned char b = (unsigned char)s[i];
        size_t k = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : 4;
        if (i + k > n) return 0;
        i += k;
    }
    return 1;
}

static void test_long_error_message_is_truncated_on_a_utf8_boundary(
    struct check *c)
{
    /* Path components stay under NAME_MAX, so this is "not found", and
     * the 2-byte characters straddle byte 255 of the message. */
    char path[512] = "/tmp/xx";
    for (int i = 0; i < 90; i++) strcat(path, "ö");
    strcat(path, "/");
    for (int i = 0; i < 110; i++) strcat(path, "ö");
    xc_db *db = NULL;
    xc_error e;
    memset(&e, 'x', sizeof e);
    CHECK(c, xc_db_open(&db, path, &e) == XC_E_NOTFOUND);
    size_t len = strnlen(e.message, sizeof e.message);
    CHECK(c, len < sizeof e.message);
    CHECK(c, len >= sizeof e.message - 4); /* 254 with 1.4.22's wording */
    CHECK(c, utf8_complete(e.message));
}

static void test_success_leaves_err_untouched(struct check *c)
{
    xc_error e = {12345, "sentinel"};
    xc_doc *d = NULL;
    CHECK(c, xc_doc_new(&d, &e) == XC_OK);
    CHECK(c, e.code == 12345);
    CHECK_STR(c, e.message, "sentinel");
    xc_doc_free(d);
}

static int count_visit(void *ctx, const char *t, size_t len, unsigned f)
{
    (void)t, (void)len, (void)f;
    ++*(int *)ctx;
    return 0;
}

static void test_null_arguments_are_invalid(struct check *c)
{
    xc_error e = {0};
    char *s = (char *)&c;
    xc_doc *d = NULL;
    xc_query *q = NULL;
    unsigned n = 0;
    size_t len = 0;

    CHECK(c, xc_db_open(NULL, "/tmp", &e) == XC_E_INVALID);
    xc_db *db = NULL;
    CHECK(c, xc_db_open(&db, NULL, &e) == XC_E_INVALID);
    CHECK(c, xc_db_reopen(NULL, NULL, &e) == XC_E_INVALID);
    CHECK(c, xc_db_doc_count(NULL) == 0);
    CHECK(c, xc_db_revision(NULL) == 0);
    CHECK(c, xc_db_get_by_term(NULL, "Q", &d, &e) == XC_E_INVALID);
    CHECK(c, xc_db_term_freq(NULL, "t", &n, &e) == XC_E_INVALID);
    CHECK(c, xc_db_spelling_suggestion(NULL, "w", 2, &s, &e) ==
                 XC_E_INVALID);
    CHECK(c, s == NULL);
    CHECK(c, xc_db_each_term(NULL, "", count_visit, NULL, &e) ==
                 XC_E_INVALID);
    CHECK(c, xc_db_get_metadata(NULL, "k", &s, &len, &e) == XC_E_INVALID);

    CHECK(c, xc_wdb_open(NULL, "/tmp/x", XC_WDB_OPEN, &e) == XC_E_INVALID);
    xc_wdb *w = NULL;
    CHECK(c, xc_wdb_open(&w, NULL, XC_WDB_OPEN, &e) == XC_E_INVALID);
    CHECK(c, xc_wdb_replace_by_term(NULL, "Q", NULL, &e) == XC_E_INVALID);
    CHECK(c, xc_wdb_delete_by_term(NULL, "Q", NULL, &e) == XC_E_INVALID);
    CHECK(c, xc_wdb_get_by_term(NULL, "Q", &d, &e) == XC_E_INVALID);
    CHECK(c, xc_wdb_commit(NULL, &e) == XC_E_INVALID);
    CHECK(c, xc_wdb_add_spelling(NULL, "ord", 1, &e) == XC_E_INVALID);
    CHECK(c, xc_wdb_set_metadata(NULL, "k", "v", 1, &e) == XC_E_INVALID);
    CHECK(c, xc_wdb_get_metadata(NULL, "k", &s, &len, &e) == XC_E_INVALID);
    CHECK(c, xc_wdb_doc_count(NULL) == 0);
    CHECK(c, xc_wdb_each_term(NULL, NULL, count_visit, NULL, &e) ==
                 XC_E_INVALID);

    CHECK(c, xc_doc_new(NULL, &e) == XC_E_INVALID);
    CHECK(c, xc_doc_new(&d, &e) == XC_OK);
    CHECK(c, xc_doc_set_data(NULL, "x", 1, &e) == XC_E_INVALID);
    CHECK(c, xc_doc_set_data(d, NULL, 1, &e) == XC_E_INVALID);
    CHECK(c, xc_doc_set_data(d, NULL, 0, &e) == XC_OK);
    CHECK(c, xc_doc_get_data(d, NULL, NULL, &e) == XC_E_INVALID);
    CHECK(c, xc_doc_add_term(d, NULL, 1, &e) == XC_E_INVALID);
    CHECK(c, xc_doc_add_posting(NULL, "x", 1, 1, &e) == XC_E_INVALID);
    CHECK(c, xc_doc_add_posting(d, NULL, 1, 1, &e) == XC_E_INVALID);
    CHECK(c, xc_doc_add_boolean_term(NULL, "x", &e) == XC_E_INVALID);
    CHECK(c, xc_doc_set_value(d, 0, NULL, 3, &e) == XC_E_INVALID);
    CHECK(c, xc_doc_get_value(NULL, 0, &s, NULL, &e) == XC_E_INVALID);
    CHECK(c, xc_doc_id(NULL) == 0);

    CHECK(c, xc_query_new_term(&q, NULL, 1, &e) == XC_E_INVALID);
    CHECK(c, xc_query_new_all(NULL, &e) == XC_E_INVALID);
    CHECK(c, xc_query_new_combine(&q, XC_OP_AND, NULL, 2, &e) ==
                 XC_E_INVALID);
    xc_query *subs[] = {NULL};
    CHECK(c, xc_query_new_combine(&q, XC_OP_AND, subs, 1, &e) ==
                 XC_E_INVALID);
    CHECK(c, xc_query_new_value_range(&q, 0, NULL, "b", &e) == XC_E_INVALID);
    CHECK(c, xc_query_new_phrase(NULL, subs, 0, 0, &e) == XC_E_INVALID);
    CHECK(c, xc_query_new_phrase(&q, NULL, 2, 0, &e) == XC_E_INVALID);
    CHECK(c, xc_query_new_phrase(&q, subs, 1, 0, &e) == XC_E_INVALID);
    CHECK(c, xc_query_describe(NULL, &s, &e) == XC_E_INVALID);
    CHECK(c, q == NULL);

    xc_enquire *enq = NULL;
    xc_mset *m = NULL;
    CHECK(c, xc_enquire_new(&enq, NULL, &e) == XC_E_INVALID);
    CHECK(c, enq == NULL);
    CHECK(c, xc_enquire_set_query(NULL, NULL, &e) == XC_E_INVALID);
    CHECK(c, xc_enquire_set_sort_by_value(NULL, 0, 0, &e) == XC_E_INVALID);
    CHECK(c, xc_enquire_get_mset(NULL, 0, 10, 0, &m, &e) == XC_E_INVALID);
    CHECK(c, m == NULL);
    CHECK(c, xc_mset_size(NULL) == 0);
    CHECK(c, xc_mset_weight(NULL, 0) == 0);
    CHECK(c, xc_mset_docid(NULL, 0) == 0);
    xc_doc *dout = (xc_doc *)&c;
    CHECK(c, xc_mset_document(NULL, 0, &dout, &e) == XC_E_INVALID);
    CHECK(c, dout == NULL);

    CHECK(c, e.code == XC_E_INVALID);
    CHECK_CONTAINS(c, e.message, "xc_mset_document");
    CHECK_CONTAINS(c, e.message, "m is NULL");
    xc_doc_free(d);
}

static void test_free_functions_accept_null(struct check *c)
{
    xc_db_free(NULL);
    xc_wdb_free(NULL);
    xc_doc_free(NULL);
    xc_query_free(NULL);
    xc_enquire_free(NULL);
    xc_mset_free(NULL);
    CHECK(c, 1);
}

/* ---- Searching ---------------------------------------------------------- */

static void test_prefixed_field_and_boolean_filter(struct check *c)
{
    const char *path = db_path(c);
    xc_wdb *w = open_writer(c, path);
    static const struct {
        const char *id, *title, *body, *cat;
    } docs[] = {
        {"Qa", "Röda bilar", "om fordon", "XCATnews"},
        {"Qb", "Gamla hus", "röda bilar finns", "XCATblog"},
    };
    for (size_t i = 0; i < 2; i++) {
        xc_doc *d = NULL;
        CHECK(c, xc_doc_new(&d, NULL) == XC_OK);
        /* The title both as a field (prefix S) and as plain text, then the
         * body after a gap of 100 positions. */
        index_words(c, d, docs[i].title, "S", 1);
        unsigned pos = index_words(c, d, docs[i].title, NULL, 1);
        index_words(c, d, docs[i].body, NULL, pos + 100);
        CHECK(c, xc_doc_add_boolean_term(d, docs[i].cat, NULL) == XC_OK);
        CHECK(c, xc_doc_set_data(d, docs[i].id, 2, NULL) == XC_OK);
        CHECK(c, xc_wdb_replace_by_term(w, docs[i].id, d, NULL) == XC_OK);
        xc_doc_free(d);
    }
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);
    xc_wdb_free(w);

    xc_db *db = open_reader(c, path);
    xc_query *title = NULL;
    CHECK(c, xc_query_new_term(&title, "Sbilar", 1, NULL) == XC_OK);
    check_mset(c, run_query(c, db, title, 10), 1, "Qa");
    xc_query_free(title);

    check_mset(c, run_words(c, db, "bilar", XC_OP_OR, 0), 2, NULL);

    /* FILTER: the category restricts without adding weight. */
    xc_query *bilar = NULL, *cat = NULL, *q = NULL;
    CHECK(c, xc_query_new_term(&bilar, "bilar", 1, NULL) == XC_OK);
    CHECK(c, xc_query_new_term(&cat, "XCATblog", 1, NULL) == XC_OK);
    xc_query *subs[] = {bilar, cat};
    CHECK(c, xc_query_new_combine(&q, XC_OP_FILTER, subs, 2, NULL) == XC_OK);
    xc_mset *m = run_query(c, db, q, 10);
    CHECK(c, xc_mset_size(m) == 1);
    if (xc_mset_size(m) == 1) check_data(c, m, 0, "Qb");
    double filtered = xc_mset_weight(m, 0);
    xc_mset_free(m);
    xc_query_free(q);
    m = run_query(c, db, bilar, 10);
    CHECK(c, xc_mset_size(m) == 2);
    for (unsigned i = 0; i < xc_mset_size(m); i++)
        if (xc_mset_docid(m, i) == 2)
            CHECK(c, xc_mset_weight(m, i) == filtered);
    xc_mset_free(m);
    /* AND_NOT drops the category. */
    CHECK(c, xc_query_new_combine(&q, XC_OP_AND_NOT, subs, 2, NULL) == XC_OK);
    check_mset(c, run_query(c, db, q, 10), 1, "Qa");
    xc_query_free(q);
    xc_query_free(bilar);
    xc_query_free(cat);

    /* The gap of 100 positions keeps "bilar om" from being a phrase. */
    static const struct search_case searches[] = {
        {"bilar om", -1, 0, 0, NULL},
        {"bilar finns", -1, 0, 1, "Qb"},
    };
    check_searches(c, db, searches, sizeof searches / sizeof searches[0]);

    xc_db_free(db);
}

static void test_terms_without_positions_defeat_phrase_search(
    struct check *c)
{
    const char *path = db_path(c);
    xc_doc *d = NULL;
    xc_wdb *w = open_writer(c, path);
    CHECK(c, xc_doc_new(&d, NULL) == XC_OK);
    CHECK(c, xc_doc_add_term(d, "snabb", 1, NULL) == XC_OK);
    CHECK(c, xc_doc_add_term(d, "räv", 1, NULL) == XC_OK);
    CHECK(c, xc_doc_set_data(d, "nopos", 5, NULL) == XC_OK);
    CHECK(c, xc_wdb_replace_by_term(w, "Qnopos", d, NULL) == XC_OK);
    xc_doc_free(d);
    add_doc(c, w, "Qpos", "snabb räv", NULL, NULL);
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);
    xc_wdb_free(w);

    xc_db *db = open_reader(c, path);
    static const struct search_case searches[] = {
        {"snabb räv", -1, 0, 1, "snabb räv"},
        {"snabb räv", XC_OP_AND, 0, 2, NULL},
    };
    check_searches(c, db, searches, sizeof searches / sizeof searches[0]);
    xc_db_free(db);
}

static void test_and_requires_every_term_or_does_not(struct check *c)
{
    const char *path = db_path(c);
    static const char *const rows[] = {
        "Qa", "röda bilar", NULL, NULL, "Qb", "röda hus", NULL, NULL,
    };
    build_db(c, path, rows, 8);
    xc_db *db = open_reader(c, path);
    static const struct search_case searches[] = {
        {"röda bilar", XC_OP_OR, 0, 2, "röda bilar"},
        {"röda bilar", XC_OP_AND, 0, 1, "röda bilar"},
        /* AND_MAYBE: every match of the first, ranked up by the second. */
        {"röda bilar", XC_OP_AND_MAYBE, 0, 2, "röda bilar"},
        {"bilar röda", XC_OP_AND_MAYBE, 0, 1, NULL},
    };
    check_searches(c, db, searches, sizeof searches / sizeof searches[0]);
    xc_db_free(db);
}

static void test_phrase_matches_only_the_adjacent_order(struct check *c)
{
    const char *path = db_path(c);
    static const char *const rows[] = {
        "Qa", "röda bilar",       NULL, NULL,
        "Qb", "bilar röda",       NULL, NULL,
        "Qc", "röda gamla bilar", NULL, NULL,
    };
    build_db(c, path, rows, 12);
    xc_db *db = open_reader(c, path);
    static const struct search_case searches[] = {
        {"röda bilar", XC_OP_AND, 0, 3, NULL},
        {"röda bilar", -1, 0, 1, "röda bilar"},
        {"bilar röda", -1, 0, 1, "bilar röda"},
        {"röda gamla bilar", -1, 0, 1, "röda gamla bilar"},
    };
    check_searches(c, db, searches, sizeof searches / sizeof searches[0]);

    /* A window of 3 positions lets one word in between, still in order. */
    xc_mset *m = run_words(c, db, "röda bilar", -1, 3);
    CHECK(c, xc_mset_size(m) == 2);
    for (unsigned i = 0; i < xc_mset_size(m); i++) {
        char *s = data_of(c, m, i);
        CHECK(c, s && strcmp(s, "bilar röda") != 0);
        free(s);
    }
    xc_mset_free(m);

    xc_query *q = words_query(c, "röda bilar", -1, 0);
    char *s = NULL;
    CHECK(c, xc_query_describe(q, &s, NULL) == XC_OK);
    CHECK_CONTAINS(c, s, "PHRASE");
    free(s);
    xc_query_free(q);
    CHECK(c, xc_query_new_phrase(&q, NULL, 0, 0, NULL) == XC_OK);
    CHECK(c, xc_query_describe(q, &s, NULL) == XC_OK);
    CHECK_STR(c, s, "Query()");   /* empty: matches nothing */
    free(s);
    xc_query_free(q);
    xc_db_free(db);
}

/* SYNONYM matches like OR but weighs its subqueries as one term, with their
 * combined frequency: rarer than either alone, so each match weighs less. */
static void test_synonym_combines_terms_as_one(struct check *c)
{
    const char *path = db_path(c);
    static const char *const rows[] = {
        "Qa", "bil",   NULL, NULL, "Qb", "automobil", NULL, NULL,
        "Qc", "cykel", NULL, NULL, "Qd", "båt",       NULL, NULL,
        "Qe", "tåg",   NULL, NULL,
    };
    build_db(c, path, rows, 20);
    xc_db *db = open_reader(c, path);
    xc_query *syn = words_query(c, "bil automobil", XC_OP_SYNONYM, 0);
    xc_query *or = words_query(c, "bil automobil", XC_OP_OR, 0);
    char *s = NULL;
    CHECK(c, xc_query_describe(syn, &s, NULL) == XC_OK);
    CHECK_CONTAINS(c, s, "SYNONYM");
    free(s);

    xc_mset *ms = run_query(c, db, syn, 10);
    xc_mset *mo = run_query(c, db, or, 10);
    CHECK(c, xc_mset_size(ms) == 2);
    CHECK(c, xc_mset_size(mo) == 2);
    if (xc_mset_size(ms) == 2 && xc_mset_size(mo) == 2) {
        CHECK(c, xc_mset_weight(ms, 0) > 0);
        CHECK(c, xc_mset_weight(ms, 0) < xc_mset_weight(mo, 0));
        /* One term: its matches weigh the same whichever word they hold. */
        CHECK(c, xc_mset_weight(ms, 0) == xc_mset_weight(ms, 1));
    }
    xc_mset_free(ms);
    xc_mset_free(mo);
    xc_query_free(syn);
    xc_query_free(or);
    xc_db_free(db);
}

static void test_sortable_serialise_keeps_numeric_order(struct check *c)
{
    static const double v[] = {-1e9, -2.5, -1, 0, 0.5, 1, 10, 1e9};
    char prev[16], cur[16];
    size_t prev_len = 0;
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        size_t len = xc_sortable_serialise(v[i], cur);
        CHECK(c, len >= 1 && len <= 9);
        if (i > 0) {
            size_t n = len < prev_len ? len : prev_len;
            int cmp = memcmp(prev, cur, n);
            CHECK(c, cmp < 0 || (cmp == 0 && prev_len < len));
        }
        memcpy(prev, cur, len);
        prev_len = len;
    }
}

static void test_value_range_query_selects_slot_range(struct check *c)
{
    const char *path = db_path(c);
    static const char *const rows[] = {
        "Qa", "a", NULL, "2020", "Qb", "b", NULL, "2021",
        "Qc", "c", NULL, "2023",
    };
    build_db(c, path, rows, 12);
    xc_db *db = open_reader(c, path);
    xc_query *q = NULL;
    CHECK(c, xc_query_new_value_range(&q, 1, "2021", "2022", NULL) == XC_OK);
    check_mset(c, run_query(c, db, q, 10), 1, "b");
    xc_query_free(q);
    CHECK(c, xc_query_new_value_range(&q, 1, "2021", "2099", NULL) == XC_OK);
    check_mset(c, run_query(c, db, q, 10), 2, NULL);
    xc_query_free(q);
    xc_db_free(db);
}

static void test_sort_by_value_orders_results(struct check *c)
{
    const char *path = db_path(c);
    static const char *const rows[] = {
        "Qa", "ord b", "b", NULL, "Qb", "ord a", "a", NULL,
        "Qc", "ord c", "c", NULL,
    };
    build_db(c, path, rows, 12);
    xc_db *db = open_reader(c, path);
    xc_query *q = NULL;
    xc_enquire *enq = NULL;
    xc_mset *m = NULL;
    CHECK(c, xc_query_new_term(&q, "ord", 1, NULL) == XC_OK);
    CHECK(c, xc_enquire_new(&enq, db, NULL) == XC_OK);
    CHECK(c, xc_enquire_set_query(enq, q, NULL) == XC_OK);

    CHECK(c, xc_enquire_set_sort_by_value(enq, 0, 0, NULL) == XC_OK);
    CHECK(c, xc_enquire_get_mset(enq, 0, 10, 0, &m, NULL) == XC_OK);
    CHECK(c, xc_mset_size(m) == 3);
    if (xc_mset_size(m) == 3) {
        check_data(c, m, 0, "ord a");
        check_data(c, m, 1, "ord b");
        check_data(c, m, 2, "ord c");
    }
    xc_mset_free(m);

    CHECK(c, xc_enquire_set_sort_by_value(enq, 0, 1, NULL) == XC_OK);
    CHECK(c, xc_enquire_get_mset(enq, 0, 10, 0, &m, NULL) == XC_OK);
    if (xc_mset_size(m) == 3) {
        check_data(c, m, 0, "ord c");
        check_data(c, m, 2, "ord a");
    }
    xc_mset_free(m);

    CHECK(c, xc_enquire_get_mset(enq, 1, 10, 0, &m, NULL) == XC_OK);
    CHECK(c, xc_mset_size(m) == 2); /* from offset 1 */
    xc_mset_free(m);
    xc_enquire_free(enq);
    xc_query_free(q);
    xc_db_free(db);
}

static const char *const facet_rows[] = {
    "Qa", "ord", "news", NULL, "Qb", "ord", "news", NULL,
    "Qc", "ord", "blog", NULL, "Qd", "annat", "wiki", NULL,
};

static void count_calls(void *ctx, unsigned docid)
{
    (void)docid;
    ++*(unsigned *)ctx;
}

static void count_docid(void *ctx, unsigned docid)
{
    unsigned *sum = ctx;
    *sum += docid;
}

struct value_list {
    unsigned docids;   /* sum of docids seen */
    int n;
};

static int value_visit(void *ctx, unsigned docid, const char *value, size_t len)
{
    struct value_list *l = ctx;
    l->docids += docid;
    l->n += len > 0 && value != NULL;
    return 0;
}

static void test_counting_and_value_streams(struct check *c)
{
    const char *path = db_path(c);
    build_db(c, path, facet_rows, 16);
    xc_db *db = open_reader(c, path);
    CHECK(c, xc_db_last_docid(db) == 4);
    struct value_list vl = {0, 0};
    CHECK(c, xc_db_each_value(db, 0, value_visit, &vl, NULL) == XC_OK);
    CHECK(c, vl.n == 4 && vl.docids == 1 + 2 + 3 + 4);
    xc_query *q = NULL;
    unsigned sum = 0;
    xc_count n;
    CHECK(c, xc_query_new_all(&q, NULL) == XC_OK);
    CHECK(c, xc_db_count(&n, db, q, 0, count_docid, &sum, NULL) == XC_OK);
    CHECK(c, sum == 1 + 2 + 3 + 4 && n.counted == 4 && n.estimated == 4 && n.exact == 1);
    /* A bound above the matches changes nothing; at the matches, neither. */
    sum = 0;
    CHECK(c, xc_db_count(&n, db, q, 4, count_docid, &sum, NULL) == XC_OK);
    CHECK(c, sum == 1 + 2 + 3 + 4 && n.counted == 4 && n.exact == 1);
    /* Below them the count stops there, in id order, and says so. */
    sum = 0;
    CHECK(c, xc_db_count(&n, db, q, 2, count_docid, &sum, NULL) == XC_OK);
    CHECK(c, sum == 1 + 2 && n.counted == 2 && n.estimated >= 2 && n.exact == 0);
    CHECK(c, n.through == 2);
    CHECK(c, xc_db_count(&n, db, q, 0, NULL, NULL, NULL) == XC_E_INVALID);
    CHECK(c, xc_db_count(NULL, db, q, 0, count_docid, &sum, NULL) == XC_E_INVALID);
    xc_query_free(q);
    xc_db_free(db);
}

/* A folder of shards (shard-0, shard-1) written through one handle and read
 * through a stub naming them: one index, counted with the index's own
 * document ids, with a revision that moves on every commit. */
static void test_sharded_index_reads_as_one(struct check *c)
{
    const struct tmpdir *t = c->ctx;
    char dir[128], p[192];
    shard_dirs(c, t, "sharded", 2, dir, sizeof dir);
    CHECK(c, xc_shard_count(dir) == 2);
    xc_wdb *w = open_writer(c, dir);
    const char *ids[] = {"Qa", "Qb", "Qc", "Qd", "Qe", "Qf", "Qg", "Qh"};
    unsigned in_first = 0;
    for (size_t i = 0; i < 8; i++) {
        add_doc(c, w, ids[i], "ord", "news", NULL);
        in_first += xc_shard_of(ids[i], 2) == 0;
    }
    CHECK(c, in_first > 0 && in_first < 8);   /* both shards hold some */
    CHECK(c, xc_wdb_doc_count(w) == 8);
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);
    xc_wdb_free(w);
    snprintf(p, sizeof p, "%s/XAPIANDB", dir);
    FILE *stub = fopen(p, "w");
    CHECK(c, stub && fputs("glass shard-0\nglass shard-1\n", stub) >= 0 && fclose(stub) == 0);
    xc_db *db = open_reader(c, dir);
    CHECK(c, xc_db_doc_count(db) == 8);
    unsigned long long rev = xc_db_revision(db);
    CHECK(c, rev > 0);
    /* The ids a match gives, and the ids counting gives, are the same. */
    xc_query *q = NULL;
    CHECK(c, xc_query_new_all(&q, NULL) == XC_OK);
    xc_mset *m = run_query(c, db, q, 100);
    unsigned from_mset = 0, counted = 0;
    for (unsigned i = 0; i < xc_mset_size(m); i++)
        from_mset += xc_mset_docid(m, i);
    xc_count n;
    CHECK(c, xc_db_count(&n, db, q, 0, count_docid, &counted, NULL) == XC_OK);
    CHECK(c, xc_mset_size(m) == 8 && n.counted == 8 && n.exact && counted == from_mset);
    /* Bounded, shard after shard: the first shard's matches, then the
     * second's up to the bound, and the rest estimated. */
    unsigned in_shard0 = 0;
    for (size_t i = 0; i < 8; i++)
        in_shard0 += xc_shard_of(ids[i], 2) == 0;
    counted = 0;
    CHECK(c, xc_db_count(&n, db, q, in_shard0 + 1, count_docid, &counted, NULL) == XC_OK);
    CHECK(c, n.counted == in_shard0 + 1 && n.exact == (in_shard0 + 1 == 8) && n.estimated == 8);
    CHECK(c, n.through == 0);   /* shard after shard is not in the index's id order */
    xc_mset_free(m);
    /* A document with an id is found in its shard, also for replacing. */
    w = open_writer(c, dir);
    add_doc(c, w, "Qc", "annat ord", "blog", NULL);
    CHECK(c, xc_wdb_doc_count(w) == 8);
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);
    xc_wdb_free(w);
    int changed = 0;
    CHECK(c, xc_db_reopen(db, &changed, NULL) == XC_OK && changed);
    CHECK(c, xc_db_revision(db) > rev && xc_db_doc_count(db) == 8);
    xc_query_free(q);
    xc_db_free(db);
}

/* One thread per shard, as the indexer writes: documents of that shard
 * and spelling words. Failures are counted, not CHECKed (not thread-safe). */
struct shard_job {
    xc_wdb *w;
    unsigned shard, n, written, failed;
    unsigned k;   /* the next id to try */
};

static void *write_shard(void *p)
{
    struct shard_job *j = p;
    char id[32], word[32];
    for (; j->written < j->n && j->k < 100000; j->k++) {
        snprintf(id, sizeof id, "Qdoc%u", j->k);
        if (xc_wdb_shard_of(j->w, id) != j->shard)
            continue;
        xc_doc *d = NULL;
        snprintf(word, sizeof word, "ord%u", j->shard);
        if (xc_doc_new(&d, NULL) != XC_OK || xc_doc_add_term(d, word, 1, NULL) != XC_OK ||
            xc_wdb_replace_by_term(j->w, id, d, NULL) != XC_OK ||
            xc_wdb_add_spelling(j->w, word, 1, NULL) != XC_OK)
            j->failed++;
        xc_doc_free(d);
        j->written++;
    }
    return NULL;
}

static unsigned spelling_words(struct check *c, xc_db *db, const char *dst)
{
    unsigned words = 0;
    CHECK(c, xc_db_export_spelling(db, dst, &words, NULL) == XC_OK);
    return words;
}

/* Threads writing different shards at once, each committing its own; a
 * reader moves to new revisions only when the writer records them together,
 * so it never sees one shard's batch without the others'. */
static void test_shards_written_in_threads_are_seen_together(struct check *c)
{
    const struct tmpdir *t = c->ctx;
    char dir[128], rec[192], spell[192];
    shard_dirs(c, t, "threads", 3, dir, sizeof dir);
    tmp_join(t, "threads-spelling", spell, sizeof spell);
    xc_wdb *w = open_writer(c, dir);
    CHECK(c, xc_wdb_shard_count(w) == 3);
    struct shard_job jobs[3];
    pthread_t th[3];
    for (unsigned i = 0; i < 3; i++) {
        jobs[i] = (struct shard_job){.w = w, .shard = i, .n = 200};
        CHECK(c, pthread_create(&th[i], NULL, write_shard, &jobs[i]) == 0);
    }
    for (unsigned i = 0; i < 3; i++) {
        pthread_join(th[i], NULL);
        CHECK(c, jobs[i].failed == 0 && jobs[i].written == 200);
    }
    CHECK(c, xc_wdb_doc_count(w) == 600);
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);
    /* A folder of shards opens as one index, with no stub. */
    xc_db *db = open_reader(c, dir);
    CHECK(c, xc_db_doc_count(db) == 600 && xc_db_shard_count(db) == 3);
    CHECK(c, spelling_words(c, db, spell) == 3);
    snprintf(rec, sizeof rec, "%s/revisions", dir);
    FILE *f = fopen(rec, "r");
    char text[128] = "";
    CHECK(c, f && fgets(text, sizeof text, f) && fclose(f) == 0);
    CHECK(c, strcmp(text, "xc-revisions 1 1 1\n") == 0);
    /* The next batch, committed shard by shard: unseen until recorded. */
    for (unsigned i = 0; i < 3; i++) {
        jobs[i].n += 10;
        write_shard(&jobs[i]);
    }
    int changed = -1;
    CHECK(c, xc_wdb_commit_shard(w, 0, NULL) == XC_OK);
    CHECK(c, xc_db_reopen(db, &changed, NULL) == XC_OK && !changed);
    CHECK(c, xc_wdb_commit_shard(w, 1, NULL) == XC_OK);
    CHECK(c, xc_db_reopen(db, &changed, NULL) == XC_OK && !changed);
    CHECK(c, xc_db_doc_count(db) == 600);
    CHECK(c, xc_wdb_commit_shard(w, 2, NULL) == XC_OK);
    CHECK(c, xc_wdb_commit_shard(w, 3, NULL) == XC_E_INVALID);
    CHECK(c, xc_db_reopen(db, &changed, NULL) == XC_OK && !changed);
    CHECK(c, xc_wdb_commit_record(w, NULL) == XC_OK);
    CHECK(c, xc_db_reopen(db, &changed, NULL) == XC_OK && changed);
    CHECK(c, xc_db_doc_count(db) == 630);
    /* A writer stopped between two shards: a reader opened afresh sees the
     * shards as they are, and follows them until the record catches up. */
    for (unsigned i = 0; i < 3; i++) {
        jobs[i].n += 10;
        write_shard(&jobs[i]);
    }
    CHECK(c, xc_wdb_commit_shard(w, 0, NULL) == XC_OK);
    xc_db *late = open_reader(c, dir);
    CHECK(c, xc_db_doc_count(late) == 640);
    CHECK(c, xc_wdb_commit_shard(w, 1, NULL) == XC_OK);
    CHECK(c, xc_db_reopen(late, &changed, NULL) == XC_OK && changed);
    CHECK(c, xc_db_doc_count(late) == 650 && xc_db_doc_count(db) == 630);
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);
    CHECK(c, xc_db_reopen(db, &changed, NULL) == XC_OK && changed);
    CHECK(c, xc_db_doc_count(db) == 660);
    xc_db_free(late);
    xc_db_free(db);
    xc_wdb_free(w);
}

/* Equal weights in the order of a value, which each match carries. */
static void test_relevance_then_value_orders_ties_and_gives_keys(struct check *c)
{
    const char *path = db_path(c);
    xc_wdb *w = open_writer(c, path);
    const char *ids[] = {"Qa", "Qb", "Qc"};
    double ranks[] = {1.0, 3.0, 2.0};
    for (int i = 0; i < 3; i++) {
        char v[16];
        size_t len = xc_sortable_serialise(ranks[i], v);
        xc_doc *d = NULL;
        CHECK(c, xc_doc_new(&d, NULL) == XC_OK);
        CHECK(c, xc_doc_add_posting(d, "ord", 1, 1, NULL) == XC_OK);
        CHECK(c, xc_doc_set_value(d, 5, v, len, NULL) == XC_OK);
        CHECK(c, xc_wdb_replace_by_term(w, ids[i], d, NULL) == XC_OK);
        xc_doc_free(d);
    }
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);
    xc_wdb_free(w);
    xc_db *db = open_reader(c, path);
    xc_query *q = NULL;
    xc_enquire *e = NULL;
    xc_mset *m = NULL;
    CHECK(c, xc_query_new_term(&q, "ord", 1, NULL) == XC_OK);
    CHECK(c, xc_enquire_new(&e, db, NULL) == XC_OK && xc_enquire_set_query(e, q, NULL) == XC_OK);
    CHECK(c, xc_enquire_set_sort_by_relevance_then_value(e, 5, 1, NULL) == XC_OK);
    CHECK(c, xc_enquire_get_mset(e, 0, 10, 0, &m, NULL) == XC_OK && xc_mset_size(m) == 3);
    unsigned want_ids[] = {2, 3, 1};
    for (unsigned i = 0; m && i < 3; i++) {
        char *key = NULL;
        size_t len = 0;
        CHECK(c, xc_mset_docid(m, i) == want_ids[i]);
        CHECK(c, xc_mset_sort_key(m, i, &key, &len, NULL) == XC_OK);
        CHECK(c, key && xc_sortable_unserialise(key, len) == ranks[want_ids[i] - 1]);
        free(key);
    }
    char *key = NULL;
    CHECK(c, xc_mset_sort_key(m, 3, &key, NULL, NULL) == XC_E_INVALID && !key);
    xc_mset_free(m);
    xc_enquire_free(e);
    xc_query_free(q);
    xc_db_free(db);
}

/* Writes text into the file at path; 1 on success. */
static int write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    int ok = f && fputs(text, f) >= 0;
    return f && fclose(f) == 0 && ok;
}

struct value_counts {
    char text[256];
};

static void note_value(void *ctx, size_t k, const char *value, size_t len, unsigned n)
{
    struct value_counts *v = ctx;
    char one[64];
    snprintf(one, sizeof one, "%zu:%.*s=%u ", k, (int)len, value, n);
    strncat(v->text, one, sizeof v->text - strlen(v->text) - 1);
}

/* A stub naming a local database and a remote one that does not answer:
 * the index opens with the remote shard down, searches the rest, and says
 * which shard is missing and why. */
static void test_stub_with_a_remote_shard_down_opens_the_rest(struct check *c)
{
    const struct tmpdir *t = c->ctx;
    char path[128], stub[128], text[256];
    tmp_join(t, "local", path, sizeof path);
    build_db(c, path, facet_rows, 16);
    tmp_join(t, "front.stub", stub, sizeof stub);
    unsigned port = free_port();   /* nothing listens there */
    snprintf(text, sizeof text, "# one here, one there\nglass local\nremote 127.0.0.1:%u\n", port);
    CHECK(c, port && write_text(stub, text));
    xc_db *db = NULL;
    xc_error e = {0};
    CHECK(c, xc_db_open_timeout(&db, stub, 300, 1, &e) == XC_OK);
    CHECK(c, xc_db_shard_count(db) == 2 && xc_db_has_remote(db));
    xc_shard_info si;
    char name[64];
    snprintf(name, sizeof name, "127.0.0.1:%u", port);
    CHECK(c, xc_db_shard_info(db, 1, &si) == XC_OK && si.remote && !si.up && *si.error);
    CHECK_STR(c, si.name, name);
    CHECK(c, xc_db_shard_info(db, 0, &si) == XC_OK && !si.remote && si.up);
    CHECK(c, xc_db_shard_info(db, 2, &si) == XC_E_INVALID);
    CHECK(c, xc_db_doc_count(db) == 4);
    /* Bringing it back fails while nothing listens; a local shard stays. */
    CHECK(c, xc_db_set_shard(db, 1, 1, &e) == XC_E_NETWORK);
    CHECK_CONTAINS(c, e.message, name);
    CHECK(c, xc_db_set_shard(db, 0, 0, &e) == XC_E_INVALID);
    int changed = 1;
    CHECK(c, xc_db_check_shards(db, &changed, NULL) == XC_OK && !changed);
    /* Counting by id cannot run on a remote shard; by value it can. */
    xc_query *q = NULL;
    unsigned total = 0;
    xc_count n;
    CHECK(c, xc_query_new_term(&q, "ord", 1, NULL) == XC_OK);
    CHECK(c, xc_db_count(&n, db, q, 0, count_docid, &total, &e) == XC_E_INVALID);
    struct value_counts vc = {""};
    unsigned slots[] = {0};
    CHECK(c, xc_db_count_values(&n, db, q, 0, slots, 1, note_value, &vc, &e) == XC_OK);
    CHECK(c, n.counted == 3 && n.estimated == 3 && n.exact);
    CHECK_STR(c, vc.text, "0:blog=1 0:news=2 ");
    xc_query_free(q);
    xc_db_free(db);
}

/* A stub line that cannot be read is named with its line number. */
static void test_bad_stub_lines_are_named(struct check *c)
{
    const struct tmpdir *t = c->ctx;
    char path[128], stub[128];
    tmp_join(t, "local", path, sizeof path);
    build_db(c, path, facet_rows, 16);
    tmp_join(t, "bad.stub", stub, sizeof stub);
    const char *cases[][2] = {
        {"glass local\nbogus x\n", "bad.stub:2: unknown database type 'bogus'"},
        {"remote :xapian-progsrv local\n", "remote programs are not supported"},
        {"glass local\nremote 127.0.0.1:0\n", "bad.stub:2: expected remote HOST:PORT"},
        {"remote nohost\n", "bad.stub:1: expected remote HOST:PORT"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        xc_db *db = NULL;
        xc_error e = {0};
        CHECK(c, write_text(stub, cases[i][0]));
        CHECK(c, xc_db_open_timeout(&db, stub, 300, 1, &e) == XC_E_DATABASE && !db);
        CHECK_CONTAINS(c, e.message, cases[i][1]);
    }
}

/* Each commit with changes stores the revision it makes in the metadata
 * (what a remote shard's reader reads instead); a commit without changes
 * makes none. The version changes with a commit and with a new database at
 * the same path. */
static void test_commit_records_its_revision(struct check *c)
{
    const struct tmpdir *t = c->ctx;
    const char *path = db_path(c);
    build_db(c, path, facet_rows, 16);
    xc_db *db = open_reader(c, path);
    char *v = NULL;
    CHECK(c, xc_db_get_metadata(db, "xc_revision", &v, NULL, NULL) == XC_OK);
    CHECK(c, v && xc_db_revision(db) > 0 && strtoull(v, NULL, 10) == xc_db_revision(db));
    free(v);
    unsigned long long rev = xc_db_revision(db), version = xc_db_version(db);
    xc_wdb *w = open_writer(c, path);
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);   /* nothing to commit */
    xc_wdb_free(w);
    int changed = 1;
    CHECK(c, xc_db_reopen(db, &changed, NULL) == XC_OK && !changed);
    CHECK(c, xc_db_revision(db) == rev && xc_db_version(db) == version);
    w = open_writer(c, path);
    add_doc(c, w, "Qe", "ny", "blog", NULL);
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);
    xc_wdb_free(w);
    CHECK(c, xc_db_reopen(db, &changed, NULL) == XC_OK && changed);
    CHECK(c, xc_db_revision(db) == rev + 1 && xc_db_version(db) != version);
    CHECK(c, xc_db_get_metadata(db, "xc_revision", &v, NULL, NULL) == XC_OK);
    CHECK(c, v && strtoull(v, NULL, 10) == rev + 1);
    free(v);
    xc_db_free(db);
    /* A new database where the old one was, at the same revision. */
    unsigned long long before = xc_db_version(db = open_reader(c, path));
    xc_db_free(db);
    tmp_remove(t);
    CHECK(c, mkdir(t->path, 0700) == 0);
    build_db(c, path, facet_rows, 16);
    w = open_writer(c, path);
    add_doc(c, w, "Qe", "ny", "blog", NULL);
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);
    xc_wdb_free(w);
    db = open_reader(c, path);
    CHECK(c, xc_db_revision(db) == rev + 1 && xc_db_version(db) != before);
    xc_db_free(db);
}

/* The first and last ids a count saw, and how many. */
struct id_sum {
    unsigned first, last, n;
};

static void count_ids(void *ctx, unsigned docid)
{
    struct id_sum *s = ctx;
    if (!s->n++)
        s->first = docid;
    s->last = docid;
}

/* A count cut short by its bound says so, also when Xapian knows the
 * total exactly (one term): the ids and values seen are then not all, and
 * over one database the count says up to which id it saw them, the rest
 * counted apart by the ids after it. */
static void test_a_count_stops_at_its_bound(struct check *c)
{
    const char *path = db_path(c);
    xc_wdb *w = open_writer(c, path);
    for (int i = 0; i < 20000; i++) {
        char id[32];
        snprintf(id, sizeof id, "Q%d", i);
        xc_doc *d = NULL;
        CHECK(c, xc_doc_new(&d, NULL) == XC_OK);
        CHECK(c, xc_doc_add_term(d, "ord", 1, NULL) == XC_OK);
        CHECK(c, i % 4 != 0 || xc_doc_add_term(d, "fjärde", 1, NULL) == XC_OK);
        CHECK(c, i % 2 != 0 || xc_doc_add_term(d, "andra", 1, NULL) == XC_OK);
        CHECK(c, xc_doc_set_value(d, 1, i % 2 ? "a" : "b", 1, NULL) == XC_OK);
        CHECK(c, xc_wdb_replace_by_term(w, id, d, NULL) == XC_OK);
        xc_doc_free(d);
    }
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);
    xc_wdb_free(w);
    xc_db *db = open_reader(c, path);
    xc_query *q = NULL;
    CHECK(c, xc_query_new_term(&q, "ord", 1, NULL) == XC_OK);
    /* A bound stops both counts at it, in id order, and says so, also
     * when Xapian knows the total exactly (one term's frequency). */
    unsigned seen = 0;
    xc_count n;
    CHECK(c, xc_db_count(&n, db, q, 1000, count_calls, &seen, NULL) == XC_OK);
    CHECK(c, seen == 1000 && n.counted == 1000 && !n.exact && n.estimated == 20000);
    CHECK(c, n.through == 1000);
    struct value_counts vc = {""};
    unsigned slots[] = {1};
    CHECK(c, xc_db_count_values(&n, db, q, 1000, slots, 1, note_value, &vc, NULL) == XC_OK);
    CHECK_STR(c, vc.text, "0:a=500 0:b=500 ");
    CHECK(c, n.counted == 1000 && !n.exact && n.estimated == 20000);
    /* No bound: every match. */
    seen = 0;
    CHECK(c, xc_db_count(&n, db, q, 0, count_calls, &seen, NULL) == XC_OK);
    CHECK(c, seen == 20000 && n.counted == 20000 && n.exact && n.estimated == 20000);
    CHECK(c, n.through == 0);
    /* Every fourth document (ids 1, 5, 9, ...): a bound of 100 stops at
     * the 100th, id 397; the ids after it hold the other 4,900, the first
     * of them 401. */
    xc_query *fourth = NULL, *rest = NULL, *after = NULL;
    struct id_sum ids = {0, 0, 0};
    CHECK(c, xc_query_new_term(&fourth, "fjärde", 1, NULL) == XC_OK);
    CHECK(c, xc_db_count(&n, db, fourth, 100, count_ids, &ids, NULL) == XC_OK);
    CHECK(c, n.counted == 100 && !n.exact && n.through == 397 && ids.last == 397);
    CHECK(c, xc_query_new_ids_after(&after, n.through, NULL) == XC_OK);
    xc_query *filtered[2] = {fourth, after};
    CHECK(c, xc_query_new_combine(&rest, XC_OP_FILTER, filtered, 2, NULL) == XC_OK);
    ids = (struct id_sum){0, 0, 0};
    CHECK(c, xc_db_count(&n, db, rest, 0, count_ids, &ids, NULL) == XC_OK);
    CHECK(c, n.counted == 4900 && n.exact && ids.first == 401 && ids.last == 19997);
    /* Past the last id: nothing. */
    xc_query_free(after);
    xc_query_free(rest);
    CHECK(c, xc_query_new_ids_after(&after, 20000, NULL) == XC_OK);
    CHECK(c, xc_query_new_combine(&rest, XC_OP_FILTER, (xc_query *[]){q, after}, 2, NULL) == XC_OK);
    CHECK(c, xc_db_count(&n, db, rest, 0, count_ids, &ids, NULL) == XC_OK);
    CHECK(c, n.counted == 0 && n.exact);
    CHECK(c, xc_query_new_ids_after(NULL, 1, NULL) == XC_E_INVALID);
    xc_query_free(after);
    xc_query_free(rest);
    /* A count matches an AND_MAYBE by its required side only, also nested
     * under AND, OR and FILTER (the count drops the optional side, which
     * changes weights only): every other document (andra) AND_MAYBE every
     * fourth, under an AND with the word on every one: 10,000, not the
     * 5,000 of the fourth; ORed with AND_NOT, the same; the match bounds
     * as the required side's. */
    xc_query *second = NULL, *maybe = NULL, *and_all = NULL, *not_fourth = NULL, *or_q = NULL;
    CHECK(c, xc_query_new_term(&second, "andra", 1, NULL) == XC_OK);
    CHECK(c, xc_query_new_combine(&maybe, XC_OP_AND_MAYBE, (xc_query *[]){second, fourth}, 2,
                                  NULL) == XC_OK);
    CHECK(c, xc_query_new_combine(&and_all, XC_OP_AND, (xc_query *[]){maybe, q}, 2, NULL) ==
                 XC_OK);
    ids = (struct id_sum){0, 0, 0};
    CHECK(c, xc_db_count(&n, db, and_all, 0, count_ids, &ids, NULL) == XC_OK);
    CHECK(c, n.counted == 10000 && n.exact && ids.first == 1 && ids.last == 19999);
    unsigned least = 0, about = 0;
    CHECK(c, xc_db_match_bounds(&least, &about, db, and_all, NULL) == XC_OK);
    CHECK(c, least == 10000);
    CHECK(c, xc_query_new_combine(&not_fourth, XC_OP_AND_NOT, (xc_query *[]){q, second}, 2,
                                  NULL) == XC_OK);
    CHECK(c, xc_query_new_combine(&or_q, XC_OP_OR, (xc_query *[]){not_fourth, and_all}, 2,
                                  NULL) == XC_OK);
    xc_query *filter = NULL;
    CHECK(c, xc_query_new_combine(&filter, XC_OP_FILTER, (xc_query *[]){or_q, maybe}, 2, NULL) ==
                 XC_OK);
    CHECK(c, xc_db_count(&n, db, or_q, 0, count_ids, &ids, NULL) == XC_OK);
    CHECK(c, n.counted == 20000 && n.exact);
    CHECK(c, xc_db_count(&n, db, filter, 0, count_ids, &ids, NULL) == XC_OK);
    CHECK(c, n.counted == 10000 && n.exact);
    struct value_counts by_value = {""};
    CHECK(c, xc_db_count_values(&n, db, filter, 0, slots, 1, note_value, &by_value, NULL) ==
                 XC_OK);
    CHECK_STR(c, by_value.text, "0:b=10000 ");
    xc_query_free(filter);
    xc_query_free(or_q);
    xc_query_free(not_fourth);
    xc_query_free(and_all);
    xc_query_free(maybe);
    xc_query_free(second);
    xc_query_free(fourth);
    /* A bonus (xc_query_new_bonus) in an OR is left out of a count: its
     * maker promises the OR's other subqueries match wherever it does.
     * Against that promise here, every other document ("andra") as a bonus
     * beside every fourth ("fjärde"): 5,000 counted, not 10,000. */
    xc_query *other = NULL, *every_fourth = NULL, *bonus = NULL, *with_bonus = NULL;
    CHECK(c, xc_query_new_term(&other, "andra", 1, NULL) == XC_OK);
    CHECK(c, xc_query_new_term(&every_fourth, "fjärde", 1, NULL) == XC_OK);
    CHECK(c, xc_query_new_bonus(&bonus, other, NULL) == XC_OK);
    CHECK(c, xc_query_new_combine(&with_bonus, XC_OP_OR, (xc_query *[]){every_fourth, bonus}, 2,
                                  NULL) == XC_OK);
    CHECK(c, xc_db_count(&n, db, with_bonus, 0, count_ids, &ids, NULL) == XC_OK);
    CHECK(c, n.counted == 5000 && n.exact);
    CHECK(c, xc_query_new_bonus(NULL, other, NULL) == XC_E_INVALID);
    xc_query_free(with_bonus);
    xc_query_free(bonus);
    xc_query_free(every_fourth);
    xc_query_free(other);
    /* Bounds from the frequencies alone: a term's own; for terms ANDed,
     * what their frequencies must overlap by (here none: 5,000 + 10,000 of
     * 20,000), however many match (every fourth); ORed, the larger. */
    unsigned lower = 1, estimated = 0;
    CHECK(c, xc_db_match_bounds(&lower, &estimated, db, q, NULL) == XC_OK);
    CHECK(c, lower == 20000 && estimated == 20000);
    xc_query *parts[3] = {q, NULL, NULL}, *both = NULL, *either = NULL;
    CHECK(c, xc_query_new_term(&parts[1], "fjärde", 1, NULL) == XC_OK);
    CHECK(c, xc_query_new_term(&parts[2], "andra", 1, NULL) == XC_OK);
    CHECK(c, xc_query_new_combine(&both, XC_OP_AND, parts + 1, 2, NULL) == XC_OK);
    CHECK(c, xc_query_new_combine(&either, XC_OP_OR, parts + 1, 2, NULL) == XC_OK);
    CHECK(c, xc_db_match_bounds(&lower, &estimated, db, both, NULL) == XC_OK);
    CHECK(c, lower == 0 && estimated > 0 && estimated <= 5000);
    CHECK(c, xc_db_match_bounds(&lower, &estimated, db, either, NULL) == XC_OK);
    CHECK(c, lower == 10000 && estimated >= 10000);
    /* ANDed with the word on every document: the other's frequency. */
    xc_query *pair[2] = {q, parts[2]}, *with_all = NULL;
    CHECK(c, xc_query_new_combine(&with_all, XC_OP_AND, pair, 2, NULL) == XC_OK);
    CHECK(c, xc_db_match_bounds(&lower, &estimated, db, with_all, NULL) == XC_OK);
    CHECK(c, lower == 10000);
    CHECK(c, xc_db_match_bounds(NULL, &estimated, db, q, NULL) == XC_E_INVALID);
    xc_query_free(with_all);
    xc_query_free(both);
    xc_query_free(either);
    xc_query_free(parts[1]);
    xc_query_free(parts[2]);
    xc_query_free(q);
    xc_db_free(db);
}

struct term_list {
    char buf[256];
    int n, stop_at;
};

static int list_visit(void *ctx, const char *term, size_t len, unsigned f)
{
    struct term_list *l = ctx;
    char one[64];
    snprintf(one, sizeof one, "%.*s:%u ", (int)len, term, f);
    strncat(l->buf, one, sizeof l->buf - strlen(l->buf) - 1);
    return ++l->n == l->stop_at;
}

/* A word on every page, counted after a page was deleted (an id left with
 * no document): every match, by id and by value, alone and ORed. (Xapian
 * 1.4.22 reads the posting list of a term in every document to its end
 * wrongly when it weighs nothing, and fails with "Unexpected end of
 * posting list": a site's name in every page's footer, counted after an
 * editor deleted a page.) */
static void test_a_term_in_every_document_counts_after_a_deletion(struct check *c)
{
    const char *path = db_path(c);
    xc_wdb *w = open_writer(c, path);
    for (int i = 0; i < 3000; i++) {
        char id[32];
        snprintf(id, sizeof id, "Q%d", i);
        xc_doc *d = NULL;
        CHECK(c, xc_doc_new(&d, NULL) == XC_OK);
        CHECK(c, xc_doc_add_term(d, "ord", 1, NULL) == XC_OK);
        CHECK(c, i % 3 != 0 || xc_doc_add_term(d, "tredje", 1, NULL) == XC_OK);
        CHECK(c, xc_doc_set_value(d, 1, i % 2 ? "a" : "b", 1, NULL) == XC_OK);
        CHECK(c, xc_wdb_replace_by_term(w, id, d, NULL) == XC_OK);
        xc_doc_free(d);
    }
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);
    int deleted = 0;
    CHECK(c, xc_wdb_delete_by_term(w, "Q7", &deleted, NULL) == XC_OK && deleted);
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);
    xc_wdb_free(w);
    xc_db *db = open_reader(c, path);
    xc_query *q = NULL, *third = NULL, *or_q = NULL;
    CHECK(c, xc_query_new_term(&q, "ord", 1, NULL) == XC_OK);
    CHECK(c, xc_query_new_term(&third, "tredje", 1, NULL) == XC_OK);
    CHECK(c, xc_query_new_combine(&or_q, XC_OP_OR, (xc_query *[]){third, q}, 2, NULL) == XC_OK);
    unsigned slots[] = {1};
    for (int k = 0; k < 2; k++) {
        const xc_query *which = k ? or_q : q;
        unsigned seen = 0;
        xc_count n;
        xc_error e = {0};
        CHECK(c, xc_db_count(&n, db, which, 0, count_calls, &seen, &e) == XC_OK);
        if (e.code)
            fprintf(stderr, "  count: %s\n", e.message);
        CHECK(c, seen == 2999 && n.counted == 2999 && n.exact);
        struct value_counts vc = {""};
        CHECK(c, xc_db_count_values(&n, db, which, 0, slots, 1, note_value, &vc, NULL) == XC_OK);
        CHECK_STR(c, vc.text, "0:a=1499 0:b=1500 ");
    }
    /* Frequencies asked together, as over remote shards in one round trip:
     * each as asked alone, an absent term 0. */
    const char *terms[] = {"ord", "tredje", "saknas"};
    unsigned freqs[3] = {9, 9, 9};
    CHECK(c, xc_db_term_freqs(db, terms, 3, freqs, NULL) == XC_OK);
    CHECK(c, freqs[0] == 2999 && freqs[1] == 1000 && freqs[2] == 0);
    CHECK(c, xc_db_term_freqs(db, (const char *[]){"ord", NULL}, 2, freqs, NULL) == XC_E_INVALID);
    CHECK(c, xc_db_term_freqs(db, NULL, 0, NULL, NULL) == XC_OK);
    xc_query_free(or_q);
    xc_query_free(third);
    xc_query_free(q);
    xc_db_free(db);
}

/* Adds n documents holding "ord" to the database at path and commits. */
static void add_ord(struct check *c, const char *path, int from, int n)
{
    xc_wdb *w = open_writer(c, path);
    for (int i = from; i < from + n; i++) {
        char id[32];
        snprintf(id, sizeof id, "Q%d", i);
        xc_doc *d = NULL;
        CHECK(c, xc_doc_new(&d, NULL) == XC_OK);
        CHECK(c, xc_doc_add_term(d, "ord", 1, NULL) == XC_OK);
        CHECK(c, xc_wdb_replace_by_term(w, id, d, NULL) == XC_OK);
        xc_doc_free(d);
    }
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);
    xc_wdb_free(w);
}

/* path served by xapian-tcpsrv (*srv) and opened as a remote shard. */
static xc_db *served_reader(struct check *c, const char *path, pid_t *srv)
{
    char stub[600];
    unsigned port = free_port();
    *srv = tcpsrv_start(path, port, 0, NULL);
    snprintf(stub, sizeof stub, "%s.stub", path);
    FILE *f = fopen(stub, "w");
    CHECK(c, f && fprintf(f, "remote 127.0.0.1:%u\n", port) > 0 && fclose(f) == 0);
    return *srv > 0 ? open_reader(c, stub) : NULL;
}

/* Over a remote shard the frequencies asked are kept (each costs a round
 * trip): asked again, alone or together, they are the same; once the
 * shard's index changed and the reader was reopened, they are its new
 * ones, not those kept. */
static void test_remote_frequencies_follow_the_index(struct check *c)
{
    const char *path = db_path(c);
    add_ord(c, path, 0, 2);
    pid_t srv = -1;
    xc_db *db = served_reader(c, path, &srv);
    unsigned n = 0, three[3] = {9, 9, 9};
    const char *terms[] = {"ord", "ord", "saknas"};
    CHECK(c, db && xc_db_term_freq(db, "ord", &n, NULL) == XC_OK && n == 2);
    CHECK(c, db && xc_db_term_freqs(db, terms, 3, three, NULL) == XC_OK);
    CHECK(c, three[0] == 2 && three[1] == 2 && three[2] == 0);
    add_ord(c, path, 2, 3);
    int changed = 0;
    CHECK(c, db && xc_db_reopen(db, &changed, NULL) == XC_OK);
    CHECK(c, db && xc_db_term_freq(db, "ord", &n, NULL) == XC_OK && n == 5);
    CHECK(c, db && xc_db_term_freqs(db, terms, 3, three, NULL) == XC_OK);
    CHECK(c, three[0] == 5 && three[1] == 5 && three[2] == 0);
    xc_db_free(db);
    tcpsrv_kill(srv);
}

/* A count over a remote shard whose index has a deleted id asks each of
 * its terms' frequencies (xc_count_query.cc): they are asked at once and
 * kept with those asked before, so a search's count costs no round trip a
 * term. Once the shard is gone, the kept ones still answer and only a
 * term never asked fails; "ord", in every document, still counts right. */
static void test_a_remote_count_keeps_its_terms_frequencies(struct check *c)
{
    const char *path = db_path(c);
    add_ord(c, path, 0, 4);
    xc_wdb *w = open_writer(c, path);
    int deleted = 0;
    CHECK(c, xc_wdb_delete_by_term(w, "Q2", &deleted, NULL) == XC_OK && deleted);
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);
    xc_wdb_free(w);
    pid_t srv = -1;
    xc_db *db = served_reader(c, path, &srv);
    xc_query *ord = NULL, *q1 = NULL, *missing = NULL, *q = NULL;
    CHECK(c, xc_query_new_term(&ord, "ord", 1, NULL) == XC_OK);
    CHECK(c, xc_query_new_term(&q1, "Q1", 1, NULL) == XC_OK);
    CHECK(c, xc_query_new_term(&missing, "saknas", 1, NULL) == XC_OK);
    CHECK(c, xc_query_new_combine(&q, XC_OP_OR, (xc_query *[]){ord, q1, missing}, 3, NULL) ==
                 XC_OK);
    unsigned lower = 0, estimated = 0, n = 9;
    xc_count count;
    CHECK(c, db && xc_db_count_values(&count, db, q, 0, NULL, 0, NULL, NULL, NULL) == XC_OK);
    CHECK(c, count.counted == 3 && count.exact);
    CHECK(c, db && xc_db_match_bounds(&lower, &estimated, db, q, NULL) == XC_OK);
    CHECK(c, estimated == 3);
    tcpsrv_kill(srv);
    CHECK(c, db && xc_db_term_freq(db, "ord", &n, NULL) == XC_OK && n == 3);
    CHECK(c, db && xc_db_term_freq(db, "Q1", &n, NULL) == XC_OK && n == 1);
    CHECK(c, db && xc_db_term_freq(db, "saknas", &n, NULL) == XC_OK && n == 0);
    CHECK(c, db && xc_db_term_freq(db, "aldrig", &n, NULL) != XC_OK);
    xc_query_free(ord);
    xc_query_free(q1);
    xc_query_free(missing);
    xc_query_free(q);
    xc_db_free(db);
}

/* 30 documents with "extra", their value 1 "x" or "y", into path. */
static void add_extra(struct check *c, const char *path)
{
    xc_wdb *w = open_writer(c, path);
    for (int i = 0; i < 30; i++) {
        char id[32];
        snprintf(id, sizeof id, "E%d", i);
        xc_doc *d = NULL;
        CHECK(c, xc_doc_new(&d, NULL) == XC_OK && xc_doc_add_term(d, "extra", 1, NULL) == XC_OK);
        CHECK(c, xc_doc_set_value(d, 1, i % 2 ? "x" : "y", 1, NULL) == XC_OK);
        CHECK(c, xc_wdb_replace_by_term(w, id, d, NULL) == XC_OK);
        xc_doc_free(d);
    }
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);
    xc_wdb_free(w);
}

/* Over two remote shards a count to at_most asks each for its half first
 * (xc_db_count_values): counted past the bound when both reach it, whole
 * when neither does, and again to at_most only when one does and the two
 * stay under it, exact then. The matches each count sends shard a are
 * counted by a relay in front of it. */
#define MSG_QUERY 8
static void test_remote_shards_count_their_share_of_the_bound(struct check *c)
{
    char a[600], b[600], stub[600], log[600];
    snprintf(a, sizeof a, "%s-a", db_path(c));
    snprintf(b, sizeof b, "%s-b", db_path(c));
    snprintf(stub, sizeof stub, "%s.stub", db_path(c));
    snprintf(log, sizeof log, "%s.relay", db_path(c));
    add_ord(c, a, 0, 12);     /* "ord" in 12 documents of shard a */
    add_ord(c, b, 100, 3);    /* and in 3 of shard b */
    add_extra(c, a);          /* "extra" in 30 of a */
    add_extra(c, b);          /* and in 30 of b */
    unsigned pa = free_port(), pb = free_port(), front = free_port();
    pid_t sa = tcpsrv_start(a, pa, 0, NULL), sb = tcpsrv_start(b, pb, 0, NULL);
    pid_t relay = sa > 0 ? relay_start(front, pa, log) : -1;
    FILE *f = fopen(stub, "w");
    CHECK(c, f && fprintf(f, "remote 127.0.0.1:%u\nremote 127.0.0.1:%u\n", front, pb) > 0 &&
                 fclose(f) == 0);
    xc_db *db = relay > 0 && sb > 0 ? open_reader(c, stub) : NULL;
    xc_query *ord = NULL, *extra = NULL, *few = NULL;
    CHECK(c, xc_query_new_term(&ord, "ord", 1, NULL) == XC_OK);
    CHECK(c, xc_query_new_term(&extra, "extra", 1, NULL) == XC_OK);
    CHECK(c, xc_query_new_term(&few, "Q101", 1, NULL) == XC_OK);
    struct {
        const xc_query *q;
        unsigned at_most, counted;   /* counted: exactly, or at least when !exact,
                                        and then under 1.5 at_most (each shard
                                        counted its half, not at_most) */
        int exact;
        long matches;                /* the matches sent to shard a */
    } cases[] = {
        {ord, 20, 15, 1, 2},      /* a past its half (10), b under: again, exact */
        {extra, 20, 20, 0, 1},    /* both past: past the bound at once */
        {few, 20, 1, 1, 1},       /* neither: whole at once */
        {ord, 0, 15, 1, 1},       /* no bound: every match */
    };
    /* The terms' frequencies, which a count over ids with holes asks, asked
     * first: only the counts' own matches are counted below. */
    const char *terms[] = {"ord", "extra", "Q101"};
    unsigned slots[] = {1}, freqs[3];
    CHECK(c, db && xc_db_term_freqs(db, terms, 3, freqs, NULL) == XC_OK);
    for (size_t i = 0; db && i < sizeof cases / sizeof cases[0]; i++) {
        xc_count n;
        struct value_counts vc = {""};
        f = fopen(log, "w");
        CHECK(c, f && fclose(f) == 0);
        CHECK(c, xc_db_count_values(&n, db, cases[i].q, cases[i].at_most, slots, 1, note_value,
                                    &vc, NULL) == XC_OK);
        int ok = n.exact == cases[i].exact &&
                 (n.exact ? n.counted == cases[i].counted
                          : n.counted >= cases[i].counted &&
                                n.counted < cases[i].at_most * 3 / 2) &&
                 relay_messages(log, MSG_QUERY) == cases[i].matches;
        if (!ok)
            fprintf(stderr, "  case %zu: counted %u exact %d, %ld matches sent to shard a\n", i,
                    n.counted, n.exact, relay_messages(log, MSG_QUERY));
        CHECK(c, ok);
    }
    xc_query_free(ord);
    xc_query_free(extra);
    xc_query_free(few);
    xc_db_free(db);
    relay_stop(relay);
    tcpsrv_kill(sa);
    tcpsrv_kill(sb);
}

static void test_each_term_visits_prefix_in_order_and_stops(struct check *c)
{
    const char *path = db_path(c);
    static const char *const rows[] = {
        "Qa", "x", NULL, NULL, "Qb", "x", NULL, NULL, "Qc", "y", NULL, NULL,
    };
    build_db(c, path, rows, 12);
    xc_db *db = open_reader(c, path);
    struct term_list l = {"", 0, 0};
    CHECK(c, xc_db_each_term(db, "Q", list_visit, &l, NULL) == XC_OK);
    CHECK_STR(c, l.buf, "Qa:1 Qb:1 Qc:1 ");
    struct term_list l2 = {"", 0, 1};
    CHECK(c, xc_db_each_term(db, NULL, list_visit, &l2, NULL) == XC_OK);
    CHECK_STR(c, l2.buf, "Qa:1 ");
    CHECK(c, term_freq(c, db, "x") == 2);
    CHECK(c, term_freq(c, db, "nothing") == 0);
    xc_db_free(db);

    xc_wdb *w = open_writer(c, path);
    struct term_list l3 = {"", 0, 0};
    CHECK(c, xc_wdb_each_term(w, "x", list_visit, &l3, NULL) == XC_OK);
    CHECK_STR(c, l3.buf, "x:2 ");
    xc_wdb_free(w);
}

static void test_query_construction(struct check *c)
{
    xc_query *a = NULL, *b = NULL, *q = NULL;
    char *s = NULL;
    xc_error e = {0};
    CHECK(c, xc_query_new_term(&a, "röd", 1, NULL) == XC_OK);
    CHECK(c, xc_query_new_term(&b, "bil", 2, NULL) == XC_OK);
    xc_query *subs[] = {a, b};
    CHECK(c, xc_query_new_combine(&q, XC_OP_AND, subs, 2, NULL) == XC_OK);
    CHECK(c, xc_query_describe(q, &s, NULL) == XC_OK);
    CHECK_STR(c, s, "Query((röd AND bil#2))");
    free(s);
    xc_query_free(q);
    static const int ops[] = {XC_OP_OR, XC_OP_AND_NOT, XC_OP_FILTER,
                              XC_OP_AND_MAYBE, XC_OP_SYNONYM};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        CHECK(c, xc_query_new_combine(&q, ops[i], subs, 2, NULL) == XC_OK);
        CHECK(c, q != NULL);
        xc_query_free(q);
    }
    CHECK(c, xc_query_new_combine(&q, XC_OP_SCALE_WEIGHT, subs, 2, &e) ==
                 XC_E_INVALID);
    CHECK(c, xc_query_new_combine(&q, 42, subs, 2, &e) == XC_E_INVALID);
    CHECK(c, xc_query_new_combine(&q, XC_OP_OR, NULL, 0, NULL) == XC_OK);
    CHECK(c, xc_query_describe(q, &s, NULL) == XC_OK);
    CHECK_STR(c, s, "Query()");
    free(s);
    xc_query_free(q);

    CHECK(c, xc_query_new_phrase(&q, subs, 2, 0, NULL) == XC_OK);
    CHECK(c, xc_query_describe(q, &s, NULL) == XC_OK);
    CHECK_STR(c, s, "Query((röd PHRASE 2 bil#2))");
    free(s);
    xc_query_free(q);
    xc_query_free(a);
    xc_query_free(b);
}

static void test_weights_and_mset_bounds(struct check *c)
{
    const char *path = db_path(c);
    static const char *const rows[] = {
        "Qa", "ord ord ord", NULL, NULL, "Qb", "ord annat", NULL, NULL,
    };
    build_db(c, path, rows, 8);
    xc_db *db = open_reader(c, path);
    xc_query *q = NULL;
    xc_enquire *enq = NULL;
    xc_mset *m = NULL;
    xc_doc *d = (xc_doc *)&c;
    xc_error e = {0};
    CHECK(c, xc_query_new_term(&q, "ord", 1, NULL) == XC_OK);
    CHECK(c, xc_enquire_new(&enq, db, NULL) == XC_OK);
    CHECK(c, xc_enquire_set_query(enq, q, NULL) == XC_OK);
    /* BM25: the document with "ord" three times weighs more. */
    CHECK(c, xc_enquire_get_mset(enq, 0, 10, 0, &m, &e) == XC_OK);
    CHECK(c, xc_mset_size(m) == 2);
    CHECK(c, xc_mset_weight(m, 0) > xc_mset_weight(m, 1));
    CHECK(c, xc_mset_docid(m, 0) == 1);
    CHECK(c, xc_mset_weight(m, 2) == 0);
    CHECK(c, xc_mset_docid(m, 2) == 0);
    CHECK(c, xc_mset_document(m, 2, &d, &e) == XC_E_INVALID);
    CHECK(c, d == NULL);
    xc_mset_free(m);
    xc_enquire_free(enq);
    xc_query_free(q);
    xc_db_free(db);
}

#define TEST(fn) {#fn, fn}

/* A term's whole posting list reads in id order with its wdf, over one
 * database and over shards (interleaved ids, merged in order); every
 * document's length by id, as each document has it; a query of ids keeps
 * only those; and a query's tree names its operators and terms. */
static void test_postings_lengths_ids_and_trees(struct check *c)
{
    const struct tmpdir *t = c->ctx;
    static const char *const rows[] = {"Q1", "a b", NULL, NULL, "Q2", "a a c", NULL, NULL,
                                       "Q3", "b", NULL, NULL, "Q4", "a", NULL, NULL};
    build_db(c, t->db, rows, sizeof rows / sizeof rows[0]);
    xc_db *db = open_reader(c, t->db);
    unsigned *ids = NULL, *wdf = NULL, *lens = NULL;
    size_t n = 0;
    xc_error e = {0};
    CHECK(c, xc_db_postings(db, "a", &ids, &wdf, &n, &e) == XC_OK);
    CHECK(c, n == 3 && ids[0] == 1 && ids[1] == 2 && ids[2] == 4);
    CHECK(c, n == 3 && wdf[0] == 1 && wdf[1] == 2 && wdf[2] == 1);
    free(ids);
    free(wdf);
    CHECK(c, xc_db_postings(db, "zz", &ids, &wdf, &n, &e) == XC_OK && n == 0);
    free(ids);
    free(wdf);
    CHECK(c, xc_db_postings(db, "", &ids, &wdf, &n, &e) == XC_E_INVALID && !ids && !wdf);
    /* The lengths, by id, are the documents' own; their sum the total. */
    unsigned long long total = 0, sum = 0;
    CHECK(c, xc_db_doc_lengths(db, &lens, &n, &e) == XC_OK && n == 5 && lens[0] == 0);
    CHECK(c, xc_db_total_length(db, &total, &e) == XC_OK);
    for (unsigned id = 1; lens && id < n; id++) {
        char term[16];
        xc_doc *d = NULL;
        unsigned long len = 0;
        snprintf(term, sizeof term, "Q%u", id);
        CHECK(c, xc_db_get_by_term(db, term, &d, &e) == XC_OK && xc_doc_id(d) == id);
        CHECK(c, xc_doc_length(d, &len, &e) == XC_OK && len == lens[id]);
        sum += lens[id];
        xc_doc_free(d);
    }
    CHECK(c, total == sum && total == 7);
    free(lens);
    /* "a" among the ids 2 and 4 only; ids out of order are refused. */
    xc_query *a = NULL, *only = NULL, *both = NULL;
    unsigned keep[] = {2, 4}, bad[] = {4, 2};
    CHECK(c, xc_query_new_term(&a, "a", 1, &e) == XC_OK);
    CHECK(c, xc_query_new_ids(&only, keep, 2, &e) == XC_OK);
    xc_query *pair[2] = {a, only};
    CHECK(c, xc_query_new_combine(&both, XC_OP_FILTER, pair, 2, &e) == XC_OK);
    xc_mset *m = run_query(c, db, both, 10);
    CHECK(c, xc_mset_size(m) == 2);
    unsigned seen = 0;
    for (unsigned i = 0; i < xc_mset_size(m); i++)
        seen |= 1u << xc_mset_docid(m, i);
    CHECK(c, seen == ((1u << 2) | (1u << 4)));
    xc_mset_free(m);
    xc_query_free(only);
    CHECK(c, xc_query_new_ids(&only, bad, 2, &e) == XC_E_INVALID && !only);
    /* AND(a, OR(b, c)) and a phrase. */
    xc_query *b = NULL, *cq = NULL, *or = NULL, *and = NULL, *phrase = NULL;
    CHECK(c, xc_query_new_term(&b, "b", 1, &e) == XC_OK && xc_query_new_term(&cq, "c", 1, &e) == XC_OK);
    xc_query *bc[2] = {b, cq};
    CHECK(c, xc_query_new_combine(&or, XC_OP_OR, bc, 2, &e) == XC_OK);
    xc_query *aor[2] = {a, or};
    CHECK(c, xc_query_new_combine(&and, XC_OP_AND, aor, 2, &e) == XC_OK);
    xc_query_node *tree = NULL;
    CHECK(c, xc_query_tree(&tree, and, &e) == XC_OK);
    CHECK(c, tree && tree->op == XC_OP_AND && tree->nsubs == 2);
    if (tree && tree->nsubs == 2) {
        CHECK(c, tree->subs[0].op == XC_OP_LEAF && strcmp(tree->subs[0].term, "a") == 0);
        CHECK(c, tree->subs[1].op == XC_OP_OR && tree->subs[1].nsubs == 2);
        if (tree->subs[1].nsubs == 2)
            CHECK(c, strcmp(tree->subs[1].subs[1].term, "c") == 0);
    }
    xc_query_tree_free(tree);
    CHECK(c, xc_query_new_phrase(&phrase, aor, 2, 0, &e) == XC_OK);
    CHECK(c, xc_query_tree(&tree, phrase, &e) == XC_OK && tree->op == XC_OP_OTHER && !tree->nsubs);
    xc_query_tree_free(tree);
    xc_query_free(a);
    xc_query_free(b);
    xc_query_free(cq);
    xc_query_free(or);
    xc_query_free(and);
    xc_query_free(phrase);
    xc_query_free(both);
    xc_db_free(db);
    /* Over two shards: the list is in the index's id order. */
    char dir[128], sp[192];
    shard_dirs(c, t, "sharded", 2, dir, sizeof dir);
    xc_wdb *w = open_writer(c, dir);
    const char *sids[] = {"Qa", "Qb", "Qc", "Qd", "Qe", "Qf", "Qg", "Qh"};
    for (size_t i = 0; i < 8; i++)
        add_doc(c, w, sids[i], i % 3 ? "ord" : "ord ord", NULL, NULL);
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);
    xc_wdb_free(w);
    snprintf(sp, sizeof sp, "%s/XAPIANDB", dir);
    FILE *stub = fopen(sp, "w");
    CHECK(c, stub && fputs("glass shard-0\nglass shard-1\n", stub) >= 0 && fclose(stub) == 0);
    db = open_reader(c, dir);
    CHECK(c, xc_db_postings(db, "ord", &ids, &wdf, &n, &e) == XC_OK && n == 8);
    for (size_t i = 1; i < n; i++)
        CHECK(c, ids[i] > ids[i - 1]);
    free(ids);
    free(wdf);
    xc_db_free(db);
}

static const struct {
    const char *name;
    void (*fn)(struct check *c);
} tests[] = {
    TEST(test_replace_by_term_twice_keeps_one_document),
    TEST(test_replace_by_term_adds_the_unique_term),
    TEST(test_delete_by_term_reports_whether_a_document_existed),
    TEST(test_get_by_missing_term_is_notfound),
    TEST(test_document_data_and_values_round_trip_with_nul_bytes),
    TEST(test_doc_add_posting_records_positions_and_wdf),
    TEST(test_commit_then_reader_sees_it_after_reopen),
    TEST(test_free_without_commit_loses_the_changes),
    TEST(test_free_without_commit_loses_changes_past_flush_threshold),
    TEST(test_wdb_free_releases_lock_while_a_document_holds_it),
    TEST(test_wdb_open_modes),
    TEST(test_metadata_set_get_and_commit),
    TEST(test_spelling_suggestion_from_added_spellings),
    TEST(test_missing_database_is_notfound_error),
    TEST(test_corrupt_database_is_database_error),
    TEST(test_second_writer_is_lock_error),
    TEST(test_long_error_message_is_truncated_on_a_utf8_boundary),
    TEST(test_success_leaves_err_untouched),
    TEST(test_null_arguments_are_invalid),
    TEST(test_free_functions_accept_null),
    TEST(test_prefixed_field_and_boolean_filter),
    TEST(test_terms_without_positions_defeat_phrase_search),
    TEST(test_and_requires_every_term_or_does_not),
    TEST(test_phrase_matches_only_the_adjacent_order),
    TEST(test_synonym_combines_terms_as_one),
    TEST(test_sortable_serialise_keeps_numeric_order),
    TEST(test_value_range_query_selects_slot_range),
    TEST(test_sort_by_value_orders_results),
    TEST(test_counting_and_value_streams),
    TEST(test_sharded_index_reads_as_one),
    TEST(test_shards_written_in_threads_are_seen_together),
    TEST(test_stub_with_a_remote_shard_down_opens_the_rest),
    TEST(test_bad_stub_lines_are_named),
    TEST(test_commit_records_its_revision),
    TEST(test_relevance_then_value_orders_ties_and_gives_keys),
    TEST(test_a_count_stops_at_its_bound),
    TEST(test_a_term_in_every_document_counts_after_a_deletion),
    TEST(test_remote_frequencies_follow_the_index),
    TEST(test_a_remote_count_keeps_its_terms_frequencies),
    TEST(test_remote_shards_count_their_share_of_the_bound),
    TEST(test_each_term_visits_prefix_in_order_and_stops),
    TEST(test_query_construction),
    TEST(test_weights_and_mset_bounds),
    TEST(test_postings_lengths_ids_and_trees),
};

/* Each test in a folder of its own, made before it and removed after. */
int main(void)
{
    struct check c = {0};
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        struct tmpdir t;
        if (tmp_make(&t) < 0) {
            fprintf(stderr, "FAIL %s: no folder for it\n", tests[i].name);
            c.failed++;
            continue;
        }
        c.ctx = &t;
        check_run(&c, tests[i].name, tests[i].fn);
        tmp_remove(&t);
    }
    return check_report(&c, "test_xapian_c");
}
