/* test_xapian_c.c: unit tests of the C API over libxapian (xapian_c.h).
 *
 * Every test builds real databases in its own mkdtemp directory under /tmp
 * and removes it at the end, so tests are independent and leave nothing.
 * Under ASan these also prove the ownership rules (free in any order).
 */
#include "check.h"
#include "xapian_c.h"

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- Helpers ------------------------------------------------------------ */

struct tmpdir {
    char path[64];
};

static int tmp_make(struct check *c, struct tmpdir *t)
{
    strcpy(t->path, "/tmp/test_xapian_c.XXXXXX");
    if (!mkdtemp(t->path)) {
        CHECK(c, !"mkdtemp failed");
        t->path[0] = '\0';
        return 0;
    }
    return 1;
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

static void tmp_remove(struct tmpdir *t)
{
    if (t->path[0]) nftw(t->path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A toy stemmer: strips a trailing "ar" or "en" from words longer than 3
 * bytes and counts its calls. */
struct toy_stemmer {
    int calls;
};

static const char *toy_stem(void *ctx, const char *word, size_t len,
                            size_t *out_len)
{
    struct toy_stemmer *t = ctx;
    t->calls++;
    if (len > 3 && (memcmp(word + len - 2, "ar", 2) == 0 ||
                    memcmp(word + len - 2, "en", 2) == 0)) {
        *out_len = len - 2;
        return word;
    }
    return NULL;
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

/* Indexes `text` (also stored as the data) under the unique term `id`, with
 * optional values in slots 0 and 1. */
static void add_doc(struct check *c, xc_wdb *w, xc_termgen *tg,
                    const char *id, const char *text, const char *value0,
                    const char *value1)
{
    xc_doc *d = NULL;
    xc_error e = {0};
    CHECK(c, xc_doc_new(&d, &e) == XC_OK);
    CHECK(c, xc_termgen_set_document(tg, d, &e) == XC_OK);
    CHECK(c, xc_termgen_index_text(tg, text, strlen(text), 1, NULL, &e) ==
                 XC_OK);
    CHECK(c, xc_doc_set_data(d, text, strlen(text), &e) == XC_OK);
    if (value0)
        CHECK(c, xc_doc_set_value(d, 0, value0, strlen(value0), &e) == XC_OK);
    if (value1)
        CHECK(c, xc_doc_set_value(d, 1, value1, strlen(value1), &e) == XC_OK);
    CHECK(c, xc_wdb_replace_by_term(w, id, d, &e) == XC_OK);
    xc_doc_free(d);
}

/* Commits documents (id, text, value0, value1) in groups of four strings
 * into a fresh database at path, without stemming. */
static void build_db(struct check *c, const char *path,
                     const char *const *rows, size_t n)
{
    xc_termgen *tg = NULL;
    xc_wdb *w = open_writer(c, path);
    CHECK(c, xc_termgen_new(&tg, NULL) == XC_OK);
    for (size_t i = 0; i + 3 < n; i += 4)
        add_doc(c, w, tg, rows[i], rows[i + 1], rows[i + 2], rows[i + 3]);
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);
    xc_termgen_free(tg);
    xc_wdb_free(w);
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

/* Parses text with qp and returns the mset (NULL on a parse error). */
static xc_mset *parse_and_run(struct check *c, xc_db *db, xc_qp *qp,
                              const char *text, unsigned flags)
{
    xc_query *q = NULL;
    xc_error e = {0};
    int rc = xc_qp_parse(qp, text, flags, &q, &e);
    CHECK(c, rc == XC_OK);
    if (rc) {
        fprintf(stderr, "  parse \"%s\": %s\n", text, e.message);
        return NULL;
    }
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

static unsigned term_freq(struct check *c, xc_db *db, const char *term)
{
    unsigned n = 99;
    CHECK(c, xc_db_term_freq(db, term, &n, NULL) == XC_OK);
    return n;
}

/* ---- Stemmers ----------------------------------------------------------- */

static void test_callback_stemmer_is_used_for_indexing_and_parsing(
    struct check *c)
{
    struct tmpdir t;
    if (!tmp_make(c, &t)) return;
    char path[128];
    tmp_join(&t, "db", path, sizeof path);

    struct toy_stemmer toy = {0};
    xc_stem *stem = NULL;
    xc_termgen *tg = NULL;
    xc_error e = {0};
    CHECK(c, xc_stem_new_callback(&stem, toy_stem, &toy, "toy", &e) == XC_OK);
    CHECK(c, xc_termgen_new(&tg, &e) == XC_OK);
    CHECK(c, xc_termgen_set_stemmer(tg, stem, &e) == XC_OK);
    xc_wdb *w = open_writer(c, path);
    add_doc(c, w, tg, "Q1", "stora husen", NULL, NULL);
    add_doc(c, w, tg, "Q2", "röda bilar", NULL, NULL);
    CHECK(c, xc_wdb_commit(w, &e) == XC_OK);
    xc_wdb_free(w);
    xc_termgen_free(tg);
    int index_calls = toy.calls;
    CHECK(c, index_calls > 0);

    xc_db *db = open_reader(c, path);
    CHECK(c, term_freq(c, db, "Zhus") == 1);
    CHECK(c, term_freq(c, db, "Zbil") == 1);

    xc_qp *qp = NULL;
    CHECK(c, xc_qp_new(&qp, &e) == XC_OK);
    CHECK(c, xc_qp_set_stemmer(qp, stem, &e) == XC_OK);
    /* Freeing our handle must not free the stemmer the parser holds. */
    xc_stem_free(stem);
    /* "husar" is not in the text: only its stem "hus" connects them. */
    xc_mset *m = parse_and_run(c, db, qp, "husar", XC_QP_DEFAULT);
    CHECK(c, toy.calls > index_calls);
    CHECK(c, xc_mset_size(m) == 1);
    if (xc_mset_size(m) == 1) check_data(c, m, 0, "stora husen");
    xc_mset_free(m);
    xc_qp_free(qp);
    xc_db_free(db);
    tmp_remove(&t);
}

static void test_callback_stemmer_null_keeps_the_word(struct check *c)
{
    struct toy_stemmer toy = {0};
    xc_stem *stem = NULL;
    char *s = NULL;
    CHECK(c, xc_stem_new_callback(&stem, toy_stem, &toy, NULL, NULL) == 0);
    CHECK(c, xc_stem_apply(stem, "bilar", &s, NULL) == XC_OK);
    CHECK_STR(c, s, "bil");
    free(s);
    CHECK(c, xc_stem_apply(stem, "katt", &s, NULL) == XC_OK);
    CHECK_STR(c, s, "katt");
    free(s);
    CHECK(c, toy.calls == 2);
    xc_stem_free(stem);
}

static void test_builtin_swedish_stemmer_stems_words(struct check *c)
{
    xc_stem *stem = NULL;
    char *s = NULL;
    xc_error e = {0};
    CHECK(c, xc_stem_new_builtin(&stem, "swedish", &e) == XC_OK);
    CHECK(c, xc_stem_apply(stem, "segregationen", &s, &e) == XC_OK);
    CHECK_STR(c, s, "segregation");
    free(s);
    xc_stem_free(stem);

    CHECK(c, xc_stem_new_builtin(&stem, "none", &e) == XC_OK);
    CHECK(c, xc_stem_apply(stem, "segregationen", &s, &e) == XC_OK);
    CHECK_STR(c, s, "segregationen");
    free(s);
    xc_stem_free(stem);
}

static void test_unknown_stemmer_language_is_invalid_error(struct check *c)
{
    xc_stem *stem = (xc_stem *)&c; /* must be reset to NULL */
    xc_error e = {0};
    CHECK(c, xc_stem_new_builtin(&stem, "klingon", &e) == XC_E_INVALID);
    CHECK(c, stem == NULL);
    CHECK(c, e.code == XC_E_INVALID);
    CHECK_CONTAINS(c, e.message, "klingon");
}

/* ---- Documents and the writable database ------------------------------- */

static void test_replace_by_term_twice_keeps_one_document(struct check *c)
{
    struct tmpdir t;
    if (!tmp_make(c, &t)) return;
    char path[128];
    tmp_join(&t, "db", path, sizeof path);
    xc_termgen *tg = NULL;
    CHECK(c, xc_termgen_new(&tg, NULL) == XC_OK);
    xc_wdb *w = open_writer(c, path);
    add_doc(c, w, tg, "Qdoc", "första versionen", NULL, NULL);
    add_doc(c, w, tg, "Qdoc", "andra versionen", NULL, NULL);
    CHECK(c, xc_wdb_doc_count(w) == 1);

    xc_doc *d = NULL;
    char *s = NULL;
    CHECK(c, xc_wdb_get_by_term(w, "Qdoc", &d, NULL) == XC_OK);
    CHECK(c, xc_doc_get_data(d, &s, NULL, NULL) == XC_OK);
    CHECK_STR(c, s, "andra versionen");
    CHECK(c, xc_doc_id(d) > 0);
    free(s);
    xc_doc_free(d);
    xc_termgen_free(tg);
    xc_wdb_free(w);
    tmp_remove(&t);
}

static void test_replace_by_term_adds_the_unique_term(struct check *c)
{
    struct tmpdir t;
    if (!tmp_make(c, &t)) return;
    char path[128];
    tmp_join(&t, "db", path, sizeof path);
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
    tmp_remove(&t);
}

static void test_delete_by_term_reports_whether_a_document_existed(
    struct check *c)
{
    struct tmpdir t;
    if (!tmp_make(c, &t)) return;
    char path[128];
    tmp_join(&t, "db", path, sizeof path);
    xc_termgen *tg = NULL;
    CHECK(c, xc_termgen_new(&tg, NULL) == XC_OK);
    xc_wdb *w = open_writer(c, path);
    add_doc(c, w, tg, "Qa", "ett", NULL, NULL);
    add_doc(c, w, tg, "Qb", "två", NULL, NULL);
    int deleted = -1;
    CHECK(c, xc_wdb_delete_by_term(w, "Qa", &deleted, NULL) == XC_OK);
    CHECK(c, deleted == 1);
    CHECK(c, xc_wdb_doc_count(w) == 1);
    CHECK(c, xc_wdb_delete_by_term(w, "Qa", &deleted, NULL) == XC_OK);
    CHECK(c, deleted == 0);
    CHECK(c, xc_wdb_delete_by_term(w, "Qb", NULL, NULL) == XC_OK);
    CHECK(c, xc_wdb_doc_count(w) == 0);
    xc_termgen_free(tg);
    xc_wdb_free(w);
    tmp_remove(&t);
}

static void test_get_by_missing_term_is_notfound(struct check *c)
{
    struct tmpdir t;
    if (!tmp_make(c, &t)) return;
    char path[128];
    tmp_join(&t, "db", path, sizeof path);
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
    tmp_remove(&t);
}

static void test_document_data_and_values_round_trip_with_nul_bytes(
    struct check *c)
{
    struct tmpdir t;
    if (!tmp_make(c, &t)) return;
    char path[128];
    tmp_join(&t, "db", path, sizeof path);
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
    tmp_remove(&t);
}

/* ---- Commit, reopen, free ----------------------------------------------- */

static void test_commit_then_reader_sees_it_after_reopen(struct check *c)
{
    struct tmpdir t;
    if (!tmp_make(c, &t)) return;
    char path[128];
    tmp_join(&t, "db", path, sizeof path);
    xc_termgen *tg = NULL;
    CHECK(c, xc_termgen_new(&tg, NULL) == XC_OK);
    xc_wdb *w = open_writer(c, path);
    add_doc(c, w, tg, "Qa", "ett", NULL, NULL);
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);

    xc_db *db = open_reader(c, path);
    CHECK(c, xc_db_doc_count(db) == 1);
    unsigned long long rev = xc_db_revision(db);
    CHECK(c, rev > 0);

    add_doc(c, w, tg, "Qb", "två", NULL, NULL);
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
    xc_termgen_free(tg);
    xc_wdb_free(w);
    tmp_remove(&t);
}

static void test_free_without_commit_loses_the_changes(struct check *c)
{
    struct tmpdir t;
    if (!tmp_make(c, &t)) return;
    char path[128];
    tmp_join(&t, "db", path, sizeof path);
    xc_termgen *tg = NULL;
    CHECK(c, xc_termgen_new(&tg, NULL) == XC_OK);
    xc_wdb *w = open_writer(c, path);
    add_doc(c, w, tg, "Qkept", "sparad", NULL, NULL);
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);
    add_doc(c, w, tg, "Qlost", "förlorad", NULL, NULL);
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
    xc_termgen_free(tg);
    tmp_remove(&t);
}

/* Outside a transaction Xapian commits by itself every
 * XAPIAN_FLUSH_THRESHOLD documents; a free must still lose them all. */
static void test_free_without_commit_loses_changes_past_flush_threshold(
    struct check *c)
{
    struct tmpdir t;
    if (!tmp_make(c, &t)) return;
    char path[128];
    tmp_join(&t, "db", path, sizeof path);
    setenv("XAPIAN_FLUSH_THRESHOLD", "2", 1);
    xc_termgen *tg = NULL;
    CHECK(c, xc_termgen_new(&tg, NULL) == XC_OK);
    xc_wdb *w = open_writer(c, path);
    for (int i = 0; i < 10; i++) {
        char id[16];
        snprintf(id, sizeof id, "Q%d", i);
        add_doc(c, w, tg, id, "text", NULL, NULL);
    }
    CHECK(c, xc_wdb_doc_count(w) == 10);
    xc_wdb_free(w);
    unsetenv("XAPIAN_FLUSH_THRESHOLD");

    xc_db *db = open_reader(c, path);
    CHECK(c, xc_db_doc_count(db) == 0);
    xc_db_free(db);
    xc_termgen_free(tg);
    tmp_remove(&t);
}

/* A termgen recording spelling co-owns the writer's database; freeing the
 * writer must still release the lock, and the termgen then fails cleanly. */
static void test_wdb_free_releases_lock_while_termgen_holds_it(
    struct check *c)
{
    struct tmpdir t;
    if (!tmp_make(c, &t)) return;
    char path[128];
    tmp_join(&t, "db", path, sizeof path);
    xc_termgen *tg = NULL;
    xc_doc *d = NULL;
    xc_error e = {0};
    CHECK(c, xc_termgen_new(&tg, NULL) == XC_OK);
    CHECK(c, xc_doc_new(&d, NULL) == XC_OK);
    CHECK(c, xc_termgen_set_document(tg, d, NULL) == XC_OK);
    xc_wdb *w = open_writer(c, path);
    CHECK(c, xc_termgen_set_spelling_db(tg, w, NULL) == XC_OK);
    xc_wdb_free(w);

    w = open_writer(c, path); /* would be XC_E_LOCK if still held */
    CHECK(c, w != NULL);
    xc_wdb_free(w);
    CHECK(c, xc_termgen_index_text(tg, "ord", 3, 1, NULL, &e) ==
                 XC_E_DATABASE);
    CHECK(c, e.message[0] != '\0');
    CHECK(c, xc_termgen_set_spelling_db(tg, NULL, NULL) == XC_OK);
    CHECK(c, xc_termgen_index_text(tg, "ord", 3, 1, NULL, NULL) == XC_OK);
    xc_doc_free(d);
    xc_termgen_free(tg);
    tmp_remove(&t);
}

static void test_wdb_open_modes(struct check *c)
{
    struct tmpdir t;
    if (!tmp_make(c, &t)) return;
    char path[128];
    tmp_join(&t, "db", path, sizeof path);
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
    tmp_remove(&t);
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
    struct tmpdir t;
    if (!tmp_make(c, &t)) return;
    char path[128];
    tmp_join(&t, "db", path, sizeof path);
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
    tmp_remove(&t);
}

static void test_second_writer_is_lock_error(struct check *c)
{
    struct tmpdir t;
    if (!tmp_make(c, &t)) return;
    char path[128];
    tmp_join(&t, "db", path, sizeof path);
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
    tmp_remove(&t);
}

static void test_query_syntax_error_is_query_error(struct check *c)
{
    xc_qp *qp = NULL;
    xc_query *q = (xc_query *)&c;
    xc_error e = {0};
    CHECK(c, xc_qp_new(&qp, NULL) == XC_OK);
    CHECK(c, xc_qp_parse(qp, "foo AND", XC_QP_BOOLEAN, &q, &e) == XC_E_QUERY);
    CHECK(c, q == NULL);
    CHECK(c, e.code == XC_E_QUERY);
    CHECK_CONTAINS(c, e.message, "Syntax");
    CHECK(c, xc_qp_parse(qp, "foo AND", 0, &q, &e) == XC_OK);
    xc_query_free(q);
    CHECK(c, xc_qp_parse(qp, "foo", 1u << 20, &q, &e) == XC_E_INVALID);
    CHECK(c, q == NULL);
    xc_qp_free(qp);
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

static int count_spy_visit(void *ctx, const char *v, size_t len, unsigned n)
{
    (void)v, (void)len, (void)n;
    ++*(int *)ctx;
    return 0;
}

static void test_null_arguments_are_invalid(struct check *c)
{
    xc_error e = {0};
    char *s = (char *)&c;
    xc_doc *d = NULL;
    xc_query *q = NULL;
    xc_stem *stem = NULL;
    unsigned n = 0;

    CHECK(c, xc_stem_new_callback(NULL, toy_stem, NULL, NULL, &e) ==
                 XC_E_INVALID);
    CHECK(c, xc_stem_new_callback(&stem, NULL, NULL, NULL, &e) ==
                 XC_E_INVALID);
    CHECK(c, stem == NULL);
    CHECK(c, xc_stem_new_builtin(&stem, NULL, &e) == XC_E_INVALID);
    CHECK(c, xc_stem_apply(NULL, "ord", &s, &e) == XC_E_INVALID);
    CHECK(c, s == NULL);
    CHECK(c, xc_stopper_new(NULL, NULL, 0, &e) == XC_E_INVALID);
    xc_stopper *st = NULL;
    CHECK(c, xc_stopper_new(&st, NULL, 2, &e) == XC_E_INVALID);
    const char *words[] = {"och", NULL};
    CHECK(c, xc_stopper_new(&st, words, 2, &e) == XC_E_INVALID);
    CHECK(c, st == NULL);

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
    CHECK(c, xc_db_each_term(NULL, "", count_visit, NULL, &e) ==
                 XC_E_INVALID);

    CHECK(c, xc_wdb_open(NULL, "/tmp/x", XC_WDB_OPEN, &e) == XC_E_INVALID);
    xc_wdb *w = NULL;
    CHECK(c, xc_wdb_open(&w, NULL, XC_WDB_OPEN, &e) == XC_E_INVALID);
    CHECK(c, xc_wdb_replace_by_term(NULL, "Q", NULL, &e) == XC_E_INVALID);
    CHECK(c, xc_wdb_delete_by_term(NULL, "Q", NULL, &e) == XC_E_INVALID);
    CHECK(c, xc_wdb_get_by_term(NULL, "Q", &d, &e) == XC_E_INVALID);
    CHECK(c, xc_wdb_commit(NULL, &e) == XC_E_INVALID);
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
    CHECK(c, xc_doc_add_boolean_term(NULL, "x", &e) == XC_E_INVALID);
    CHECK(c, xc_doc_set_value(d, 0, NULL, 3, &e) == XC_E_INVALID);
    CHECK(c, xc_doc_get_value(NULL, 0, &s, NULL, &e) == XC_E_INVALID);
    CHECK(c, xc_doc_id(NULL) == 0);

    xc_termgen *tg = NULL;
    CHECK(c, xc_termgen_new(NULL, &e) == XC_E_INVALID);
    CHECK(c, xc_termgen_new(&tg, &e) == XC_OK);
    CHECK(c, xc_termgen_set_stemmer(NULL, NULL, &e) == XC_E_INVALID);
    CHECK(c, xc_termgen_set_stopper(NULL, NULL, &e) == XC_E_INVALID);
    CHECK(c, xc_termgen_set_strategy(NULL, XC_TG_STEM_SOME, &e) ==
                 XC_E_INVALID);
    CHECK(c, xc_termgen_set_spelling_db(NULL, NULL, &e) == XC_E_INVALID);
    CHECK(c, xc_termgen_set_document(tg, NULL, &e) == XC_E_INVALID);
    CHECK(c, xc_termgen_index_text(tg, NULL, 4, 1, NULL, &e) ==
                 XC_E_INVALID);
    CHECK(c, xc_termgen_index_text_nopos(NULL, "x", 1, 1, NULL, &e) ==
                 XC_E_INVALID);
    CHECK(c, xc_termgen_increase_termpos(NULL, 1, &e) == XC_E_INVALID);

    xc_qp *qp = NULL;
    CHECK(c, xc_qp_new(NULL, &e) == XC_E_INVALID);
    CHECK(c, xc_qp_new(&qp, &e) == XC_OK);
    CHECK(c, xc_qp_set_stemmer(NULL, NULL, &e) == XC_E_INVALID);
    CHECK(c, xc_qp_set_stopper(NULL, NULL, &e) == XC_E_INVALID);
    CHECK(c, xc_qp_set_strategy(NULL, 0, &e) == XC_E_INVALID);
    CHECK(c, xc_qp_set_database(NULL, NULL, &e) == XC_E_INVALID);
    CHECK(c, xc_qp_set_default_and(NULL, 1, &e) == XC_E_INVALID);
    CHECK(c, xc_qp_add_prefix(qp, NULL, "S", &e) == XC_E_INVALID);
    CHECK(c, xc_qp_add_boolean_prefix(qp, "f", NULL, &e) == XC_E_INVALID);
    CHECK(c, xc_qp_parse(qp, NULL, 0, &q, &e) == XC_E_INVALID);
    CHECK(c, xc_qp_parse(qp, "x", 0, NULL, &e) == XC_E_INVALID);
    CHECK(c, xc_qp_corrected(NULL, &s, &e) == XC_E_INVALID);

    CHECK(c, xc_query_new_term(&q, NULL, 1, &e) == XC_E_INVALID);
    CHECK(c, xc_query_new_all(NULL, &e) == XC_E_INVALID);
    CHECK(c, xc_query_new_combine(&q, XC_OP_AND, NULL, 2, &e) ==
                 XC_E_INVALID);
    xc_query *subs[] = {NULL};
    CHECK(c, xc_query_new_combine(&q, XC_OP_AND, subs, 1, &e) ==
                 XC_E_INVALID);
    CHECK(c, xc_query_new_scaled(&q, NULL, 2.0, &e) == XC_E_INVALID);
    CHECK(c, xc_query_new_value_range(&q, 0, NULL, "b", &e) == XC_E_INVALID);
    CHECK(c, xc_query_is_empty(NULL) == 1);
    CHECK(c, xc_query_describe(NULL, &s, &e) == XC_E_INVALID);
    CHECK(c, q == NULL);

    xc_enquire *enq = NULL;
    xc_mset *m = NULL;
    xc_spy *spy = NULL;
    CHECK(c, xc_enquire_new(&enq, NULL, &e) == XC_E_INVALID);
    CHECK(c, enq == NULL);
    CHECK(c, xc_enquire_set_query(NULL, NULL, &e) == XC_E_INVALID);
    CHECK(c, xc_enquire_set_sort_by_value(NULL, 0, 0, &e) == XC_E_INVALID);
    CHECK(c, xc_enquire_set_sort_by_relevance(NULL, &e) == XC_E_INVALID);
    CHECK(c, xc_enquire_set_bm25(NULL, 1, 0, 1, 0.5, 0.5, &e) ==
                 XC_E_INVALID);
    CHECK(c, xc_enquire_get_mset(NULL, 0, 10, 0, &m, &e) == XC_E_INVALID);
    CHECK(c, m == NULL);
    CHECK(c, xc_spy_new_valuecount(NULL, 0, &e) == XC_E_INVALID);
    CHECK(c, xc_enquire_add_spy(NULL, NULL, &e) == XC_E_INVALID);
    CHECK(c, xc_spy_each(NULL, count_spy_visit, NULL, &e) == XC_E_INVALID);
    CHECK(c, xc_spy_new_valuecount(&spy, 0, &e) == XC_OK);
    CHECK(c, xc_spy_each(spy, NULL, NULL, &e) == XC_E_INVALID);
    CHECK(c, xc_mset_size(NULL) == 0);
    CHECK(c, xc_mset_matches_estimated(NULL) == 0);
    CHECK(c, xc_mset_matches_lower_bound(NULL) == 0);
    CHECK(c, xc_mset_matches_upper_bound(NULL) == 0);
    CHECK(c, xc_mset_weight(NULL, 0) == 0);
    CHECK(c, xc_mset_docid(NULL, 0) == 0);
    xc_doc *dout = (xc_doc *)&c;
    CHECK(c, xc_mset_document(NULL, 0, &dout, &e) == XC_E_INVALID);
    CHECK(c, dout == NULL);
    CHECK(c, xc_mset_snippet(NULL, "x", 1, 10, NULL, "", "", "", &s, &e) ==
                 XC_E_INVALID);

    CHECK(c, e.code == XC_E_INVALID);
    CHECK_CONTAINS(c, e.message, "xc_mset_snippet");
    xc_spy_free(spy);
    xc_qp_free(qp);
    xc_termgen_free(tg);
    xc_doc_free(d);
}

static void test_free_functions_accept_null(struct check *c)
{
    xc_stem_free(NULL);
    xc_stopper_free(NULL);
    xc_db_free(NULL);
    xc_wdb_free(NULL);
    xc_doc_free(NULL);
    xc_termgen_free(NULL);
    xc_qp_free(NULL);
    xc_query_free(NULL);
    xc_enquire_free(NULL);
    xc_spy_free(NULL);
    xc_mset_free(NULL);
    CHECK(c, 1);
}

/* ---- Searching ---------------------------------------------------------- */

static void test_prefixed_field_and_boolean_filter(struct check *c)
{
    struct tmpdir t;
    if (!tmp_make(c, &t)) return;
    char path[128];
    tmp_join(&t, "db", path, sizeof path);
    xc_termgen *tg = NULL;
    CHECK(c, xc_termgen_new(&tg, NULL) == XC_OK);
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
        CHECK(c, xc_termgen_set_document(tg, d, NULL) == XC_OK);
        CHECK(c, xc_termgen_index_text(tg, docs[i].title,
                                       strlen(docs[i].title), 1, "S",
                                       NULL) == XC_OK);
        CHECK(c, xc_termgen_index_text(tg, docs[i].title,
                                       strlen(docs[i].title), 1, NULL,
                                       NULL) == XC_OK);
        CHECK(c, xc_termgen_increase_termpos(tg, 100, NULL) == XC_OK);
        CHECK(c, xc_termgen_index_text(tg, docs[i].body, strlen(docs[i].body),
                                       1, NULL, NULL) == XC_OK);
        CHECK(c, xc_doc_add_boolean_term(d, docs[i].cat, NULL) == XC_OK);
        CHECK(c, xc_doc_set_data(d, docs[i].id, 2, NULL) == XC_OK);
        CHECK(c, xc_wdb_replace_by_term(w, docs[i].id, d, NULL) == XC_OK);
        xc_doc_free(d);
    }
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);
    xc_wdb_free(w);
    xc_termgen_free(tg);

    xc_db *db = open_reader(c, path);
    xc_qp *qp = NULL;
    CHECK(c, xc_qp_new(&qp, NULL) == XC_OK);
    CHECK(c, xc_qp_add_prefix(qp, "title", "S", NULL) == XC_OK);
    CHECK(c, xc_qp_add_boolean_prefix(qp, "cat", "XCAT", NULL) == XC_OK);

    xc_mset *m = parse_and_run(c, db, qp, "title:bilar", XC_QP_DEFAULT);
    CHECK(c, xc_mset_size(m) == 1);
    if (xc_mset_size(m) == 1) check_data(c, m, 0, "Qa");
    xc_mset_free(m);

    m = parse_and_run(c, db, qp, "bilar", XC_QP_DEFAULT);
    CHECK(c, xc_mset_size(m) == 2);
    xc_mset_free(m);

    m = parse_and_run(c, db, qp, "bilar cat:blog", XC_QP_DEFAULT);
    CHECK(c, xc_mset_size(m) == 1);
    if (xc_mset_size(m) == 1) check_data(c, m, 0, "Qb");
    xc_mset_free(m);

    /* The gap from increase_termpos keeps "bilar om" from being a phrase. */
    m = parse_and_run(c, db, qp, "\"bilar om\"", XC_QP_DEFAULT);
    CHECK(c, xc_mset_size(m) == 0);
    xc_mset_free(m);
    m = parse_and_run(c, db, qp, "\"bilar finns\"", XC_QP_DEFAULT);
    CHECK(c, xc_mset_size(m) == 1);
    xc_mset_free(m);

    xc_qp_free(qp);
    xc_db_free(db);
    tmp_remove(&t);
}

static void test_index_text_nopos_defeats_phrase_search(struct check *c)
{
    struct tmpdir t;
    if (!tmp_make(c, &t)) return;
    char path[128];
    tmp_join(&t, "db", path, sizeof path);
    xc_termgen *tg = NULL;
    xc_doc *d = NULL;
    CHECK(c, xc_termgen_new(&tg, NULL) == XC_OK);
    xc_wdb *w = open_writer(c, path);
    CHECK(c, xc_doc_new(&d, NULL) == XC_OK);
    CHECK(c, xc_termgen_set_document(tg, d, NULL) == XC_OK);
    CHECK(c, xc_termgen_index_text_nopos(tg, "snabb räv", 10, 1, NULL,
                                         NULL) == XC_OK);
    CHECK(c, xc_doc_set_data(d, "nopos", 5, NULL) == XC_OK);
    CHECK(c, xc_wdb_replace_by_term(w, "Qnopos", d, NULL) == XC_OK);
    xc_doc_free(d);
    add_doc(c, w, tg, "Qpos", "snabb räv", NULL, NULL);
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);
    xc_wdb_free(w);
    xc_termgen_free(tg);

    xc_db *db = open_reader(c, path);
    xc_qp *qp = NULL;
    CHECK(c, xc_qp_new(&qp, NULL) == XC_OK);
    xc_mset *m = parse_and_run(c, db, qp, "\"snabb räv\"", XC_QP_PHRASE);
    CHECK(c, xc_mset_size(m) == 1);
    if (xc_mset_size(m) == 1) check_data(c, m, 0, "snabb räv");
    xc_mset_free(m);
    m = parse_and_run(c, db, qp, "snabb räv", XC_QP_DEFAULT);
    CHECK(c, xc_mset_size(m) == 2);
    xc_mset_free(m);
    xc_qp_free(qp);
    xc_db_free(db);
    tmp_remove(&t);
}

static void test_default_and_requires_every_term(struct check *c)
{
    struct tmpdir t;
    if (!tmp_make(c, &t)) return;
    char path[128];
    tmp_join(&t, "db", path, sizeof path);
    static const char *const rows[] = {
        "Qa", "röda bilar", NULL, NULL, "Qb", "röda hus", NULL, NULL,
    };
    build_db(c, path, rows, 8);
    xc_db *db = open_reader(c, path);
    xc_qp *qp = NULL;
    CHECK(c, xc_qp_new(&qp, NULL) == XC_OK);
    xc_mset *m = parse_and_run(c, db, qp, "röda bilar", XC_QP_DEFAULT);
    CHECK(c, xc_mset_size(m) == 2);
    xc_mset_free(m);
    CHECK(c, xc_qp_set_default_and(qp, 1, NULL) == XC_OK);
    m = parse_and_run(c, db, qp, "röda bilar", XC_QP_DEFAULT);
    CHECK(c, xc_mset_size(m) == 1);
    xc_mset_free(m);
    CHECK(c, xc_qp_set_default_and(qp, 0, NULL) == XC_OK);
    m = parse_and_run(c, db, qp, "röda bilar", XC_QP_DEFAULT);
    CHECK(c, xc_mset_size(m) == 2);
    xc_mset_free(m);
    xc_qp_free(qp);
    xc_db_free(db);
    tmp_remove(&t);
}

static void test_value_range_query_selects_slot_range(struct check *c)
{
    struct tmpdir t;
    if (!tmp_make(c, &t)) return;
    char path[128];
    tmp_join(&t, "db", path, sizeof path);
    static const char *const rows[] = {
        "Qa", "a", NULL, "2020", "Qb", "b", NULL, "2021",
        "Qc", "c", NULL, "2023",
    };
    build_db(c, path, rows, 12);
    xc_db *db = open_reader(c, path);
    xc_query *q = NULL;
    CHECK(c, xc_query_new_value_range(&q, 1, "2021", "2022", NULL) == XC_OK);
    xc_mset *m = run_query(c, db, q, 10);
    CHECK(c, xc_mset_size(m) == 1);
    if (xc_mset_size(m) == 1) check_data(c, m, 0, "b");
    xc_mset_free(m);
    xc_query_free(q);
    CHECK(c, xc_query_new_value_range(&q, 1, "2021", "2099", NULL) == XC_OK);
    m = run_query(c, db, q, 10);
    CHECK(c, xc_mset_size(m) == 2);
    xc_mset_free(m);
    xc_query_free(q);
    xc_db_free(db);
    tmp_remove(&t);
}

static void test_sort_by_value_orders_results(struct check *c)
{
    struct tmpdir t;
    if (!tmp_make(c, &t)) return;
    char path[128];
    tmp_join(&t, "db", path, sizeof path);
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

    CHECK(c, xc_enquire_set_sort_by_relevance(enq, NULL) == XC_OK);
    CHECK(c, xc_enquire_get_mset(enq, 1, 10, 0, &m, NULL) == XC_OK);
    CHECK(c, xc_mset_size(m) == 2); /* from offset 1 */
    CHECK(c, xc_mset_matches_estimated(m) == 3);
    CHECK(c, xc_mset_matches_lower_bound(m) == 3);
    CHECK(c, xc_mset_matches_upper_bound(m) == 3);
    xc_mset_free(m);
    xc_enquire_free(enq);
    xc_query_free(q);
    xc_db_free(db);
    tmp_remove(&t);
}

struct facet {
    char value[16][16];
    unsigned count[16];
    int n;
};

static int facet_visit(void *ctx, const char *v, size_t len, unsigned count)
{
    struct facet *f = ctx;
    if (f->n < 16 && len < 16) {
        memcpy(f->value[f->n], v, len);
        f->value[f->n][len] = '\0';
        f->count[f->n++] = count;
    }
    return 0;
}

static const char *const facet_rows[] = {
    "Qa", "ord", "news", NULL, "Qb", "ord", "news", NULL,
    "Qc", "ord", "blog", NULL, "Qd", "annat", "wiki", NULL,
};

static void test_matchspy_counts_values_for_facets(struct check *c)
{
    struct tmpdir t;
    if (!tmp_make(c, &t)) return;
    char path[128];
    tmp_join(&t, "db", path, sizeof path);
    build_db(c, path, facet_rows, 16);
    xc_db *db = open_reader(c, path);
    xc_query *q = NULL;
    xc_enquire *enq = NULL;
    xc_spy *spy = NULL;
    xc_mset *m = NULL;
    CHECK(c, xc_query_new_term(&q, "ord", 1, NULL) == XC_OK);
    CHECK(c, xc_enquire_new(&enq, db, NULL) == XC_OK);
    CHECK(c, xc_enquire_set_query(enq, q, NULL) == XC_OK);
    CHECK(c, xc_spy_new_valuecount(&spy, 0, NULL) == XC_OK);
    CHECK(c, xc_enquire_add_spy(enq, spy, NULL) == XC_OK);
    CHECK(c, xc_enquire_get_mset(enq, 0, 1, 100, &m, NULL) == XC_OK);
    /* The spy must outlive the enquire and the mset. */
    xc_mset_free(m);
    xc_enquire_free(enq);

    struct facet f = {0};
    CHECK(c, xc_spy_each(spy, facet_visit, &f, NULL) == XC_OK);
    CHECK(c, f.n == 2);
    if (f.n == 2) { /* in value order */
        CHECK_STR(c, f.value[0], "blog");
        CHECK(c, f.count[0] == 1);
        CHECK_STR(c, f.value[1], "news");
        CHECK(c, f.count[1] == 2);
    }
    xc_spy_free(spy);
    xc_query_free(q);
    xc_db_free(db);
    tmp_remove(&t);
}

static int stop_after_one(void *ctx, const char *v, size_t len, unsigned n)
{
    (void)v, (void)len, (void)n;
    ++*(int *)ctx;
    return 1;
}

static void test_spy_freed_before_get_mset_is_safe(struct check *c)
{
    struct tmpdir t;
    if (!tmp_make(c, &t)) return;
    char path[128];
    tmp_join(&t, "db", path, sizeof path);
    build_db(c, path, facet_rows, 16);
    xc_db *db = open_reader(c, path);
    xc_query *q = NULL;
    xc_enquire *enq = NULL;
    xc_spy *spy = NULL, *spy2 = NULL;
    xc_mset *m = NULL;
    CHECK(c, xc_query_new_all(&q, NULL) == XC_OK);
    CHECK(c, xc_enquire_new(&enq, db, NULL) == XC_OK);
    xc_db_free(db); /* the enquire keeps its own copy */
    CHECK(c, xc_enquire_set_query(enq, q, NULL) == XC_OK);
    CHECK(c, xc_spy_new_valuecount(&spy, 0, NULL) == XC_OK);
    CHECK(c, xc_spy_new_valuecount(&spy2, 0, NULL) == XC_OK);
    CHECK(c, xc_enquire_add_spy(enq, spy, NULL) == XC_OK);
    CHECK(c, xc_enquire_add_spy(enq, spy2, NULL) == XC_OK);
    xc_spy_free(spy); /* the enquire co-owns it */
    CHECK(c, xc_enquire_get_mset(enq, 0, 10, 100, &m, NULL) == XC_OK);
    CHECK(c, xc_mset_size(m) == 4);
    int visits = 0;
    CHECK(c, xc_spy_each(spy2, stop_after_one, &visits, NULL) == XC_OK);
    CHECK(c, visits == 1);
    xc_spy_free(spy2);
    xc_enquire_free(enq);
    /* The mset outlives enquire and database. */
    if (xc_mset_size(m) == 4) check_data(c, m, 3, "annat");
    xc_mset_free(m);
    xc_query_free(q);
    tmp_remove(&t);
}

static void test_snippet_marks_match_and_escapes_html(struct check *c)
{
    struct tmpdir t;
    if (!tmp_make(c, &t)) return;
    char path[128];
    tmp_join(&t, "db", path, sizeof path);
    const char *text = "Priset <100 kr gäller för röda bilar i dag & i morgon";
    const char *rows[] = {"Qa", text, NULL, NULL};
    build_db(c, path, rows, 4);
    xc_db *db = open_reader(c, path);
    xc_qp *qp = NULL;
    CHECK(c, xc_qp_new(&qp, NULL) == XC_OK);
    xc_mset *m = parse_and_run(c, db, qp, "bilar", XC_QP_DEFAULT);
    CHECK(c, xc_mset_size(m) == 1);
    char *s = NULL;
    xc_error e = {0};
    CHECK(c, xc_mset_snippet(m, text, strlen(text), 200, NULL, "<mark>",
                             "</mark>", "…", &s, &e) == XC_OK);
    CHECK_CONTAINS(c, s, "<mark>bilar</mark>");
    CHECK_CONTAINS(c, s, "&lt;100");
    CHECK_CONTAINS(c, s, "&amp;");
    CHECK(c, s && !strstr(s, "<100"));
    free(s);
    CHECK(c, xc_mset_snippet(m, text, strlen(text), 200, NULL, NULL, NULL,
                             NULL, &s, &e) == XC_OK);
    CHECK(c, s && !strstr(s, "<mark>"));
    free(s);
    xc_mset_free(m);
    xc_qp_free(qp);
    xc_db_free(db);
    tmp_remove(&t);
}

static void test_snippet_matches_stemmed_forms_with_the_stemmer(
    struct check *c)
{
    struct tmpdir t;
    if (!tmp_make(c, &t)) return;
    char path[128];
    tmp_join(&t, "db", path, sizeof path);
    xc_stem *stem = NULL;
    xc_termgen *tg = NULL;
    CHECK(c, xc_stem_new_builtin(&stem, "swedish", NULL) == XC_OK);
    CHECK(c, xc_termgen_new(&tg, NULL) == XC_OK);
    CHECK(c, xc_termgen_set_stemmer(tg, stem, NULL) == XC_OK);
    const char *text = "Om segregationen i staden";
    xc_wdb *w = open_writer(c, path);
    add_doc(c, w, tg, "Qa", text, NULL, NULL);
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);
    xc_wdb_free(w);
    xc_termgen_free(tg);

    xc_db *db = open_reader(c, path);
    xc_qp *qp = NULL;
    CHECK(c, xc_qp_new(&qp, NULL) == XC_OK);
    CHECK(c, xc_qp_set_stemmer(qp, stem, NULL) == XC_OK);
    xc_mset *m = parse_and_run(c, db, qp, "segregation", XC_QP_DEFAULT);
    CHECK(c, xc_mset_size(m) == 1);
    char *s = NULL;
    CHECK(c, xc_mset_snippet(m, text, strlen(text), 200, stem, "[", "]", "",
                             &s, NULL) == XC_OK);
    CHECK_CONTAINS(c, s, "[segregationen]");
    free(s);
    xc_mset_free(m);
    xc_qp_free(qp);
    xc_stem_free(stem);
    xc_db_free(db);
    tmp_remove(&t);
}

static void test_spelling_suggestion_and_corrected_query(struct check *c)
{
    struct tmpdir t;
    if (!tmp_make(c, &t)) return;
    char path[128];
    tmp_join(&t, "db", path, sizeof path);
    xc_termgen *tg = NULL;
    CHECK(c, xc_termgen_new(&tg, NULL) == XC_OK);
    xc_wdb *w = open_writer(c, path);
    CHECK(c, xc_termgen_set_spelling_db(tg, w, NULL) == XC_OK);
    add_doc(c, w, tg, "Qa", "segregation i skolan", NULL, NULL);
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);
    xc_wdb_free(w);
    xc_termgen_free(tg);

    xc_db *db = open_reader(c, path);
    char *s = NULL;
    CHECK(c, xc_db_spelling_suggestion(db, "segregaton", 2, &s, NULL) ==
                 XC_OK);
    CHECK_STR(c, s, "segregation");
    free(s);
    s = (char *)&c;
    CHECK(c, xc_db_spelling_suggestion(db, "qwxyzzy", 2, &s, NULL) == XC_OK);
    CHECK(c, s == NULL);

    xc_qp *qp = NULL;
    xc_query *q = NULL;
    CHECK(c, xc_qp_new(&qp, NULL) == XC_OK);
    CHECK(c, xc_qp_set_database(qp, db, NULL) == XC_OK);
    CHECK(c, xc_qp_parse(qp, "segregaton skolan",
                         XC_QP_DEFAULT | XC_QP_SPELLING_CORRECTION, &q,
                         NULL) == XC_OK);
    CHECK(c, xc_qp_corrected(qp, &s, NULL) == XC_OK);
    CHECK_STR(c, s, "segregation skolan");
    free(s);
    xc_query_free(q);
    CHECK(c, xc_qp_parse(qp, "skolan", XC_QP_DEFAULT |
                         XC_QP_SPELLING_CORRECTION, &q, NULL) == XC_OK);
    s = (char *)&c;
    CHECK(c, xc_qp_corrected(qp, &s, NULL) == XC_OK);
    CHECK(c, s == NULL);
    xc_query_free(q);
    CHECK(c, xc_qp_set_database(qp, NULL, NULL) == XC_OK);
    xc_qp_free(qp);
    xc_db_free(db);
    tmp_remove(&t);
}

static void test_stopper_freed_before_users_still_stops(struct check *c)
{
    struct tmpdir t;
    if (!tmp_make(c, &t)) return;
    char path[128];
    tmp_join(&t, "db", path, sizeof path);
    const char *words[] = {"och", "i"};
    xc_stopper *st = NULL;
    xc_stem *stem = NULL;
    xc_termgen *tg = NULL;
    xc_qp *qp = NULL;
    CHECK(c, xc_stopper_new(&st, words, 2, NULL) == XC_OK);
    CHECK(c, xc_stem_new_builtin(&stem, "swedish", NULL) == XC_OK);
    CHECK(c, xc_termgen_new(&tg, NULL) == XC_OK);
    CHECK(c, xc_qp_new(&qp, NULL) == XC_OK);
    CHECK(c, xc_termgen_set_stemmer(tg, stem, NULL) == XC_OK);
    CHECK(c, xc_qp_set_stemmer(qp, stem, NULL) == XC_OK);
    CHECK(c, xc_termgen_set_stopper(tg, st, NULL) == XC_OK);
    CHECK(c, xc_qp_set_stopper(qp, st, NULL) == XC_OK);
    xc_stopper_free(st); /* both users co-own it */
    xc_stem_free(stem);

    xc_wdb *w = open_writer(c, path);
    add_doc(c, w, tg, "Qa", "katter och hundar", NULL, NULL);
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);
    xc_wdb_free(w);
    xc_termgen_free(tg);
    xc_db *db = open_reader(c, path);
    CHECK(c, term_freq(c, db, "Zoch") == 0); /* stemmed stopword dropped */
    CHECK(c, term_freq(c, db, "och") == 1);  /* unstemmed kept for phrases */
    CHECK(c, term_freq(c, db, "Zkatt") == 1);

    xc_query *q = NULL;
    char *s = NULL;
    CHECK(c, xc_qp_parse(qp, "katter och hundar", XC_QP_DEFAULT, &q, NULL) ==
                 XC_OK);
    CHECK(c, xc_query_describe(q, &s, NULL) == XC_OK);
    CHECK_CONTAINS(c, s, "Zkatt");
    CHECK(c, s && !strstr(s, "och"));
    free(s);
    xc_query_free(q);
    CHECK(c, xc_qp_set_stopper(qp, NULL, NULL) == XC_OK);
    xc_qp_free(qp);
    xc_db_free(db);
    tmp_remove(&t);
}

static void test_stemming_strategies(struct check *c)
{
    struct tmpdir t;
    if (!tmp_make(c, &t)) return;
    char path[128];
    tmp_join(&t, "db", path, sizeof path);
    struct toy_stemmer toy = {0};
    xc_stem *stem = NULL;
    xc_termgen *tg = NULL;
    xc_qp *qp = NULL;
    xc_error e = {0};
    CHECK(c, xc_stem_new_callback(&stem, toy_stem, &toy, "toy", NULL) == 0);
    CHECK(c, xc_termgen_new(&tg, NULL) == XC_OK);
    CHECK(c, xc_qp_new(&qp, NULL) == XC_OK);
    for (int s = XC_TG_STEM_NONE; s <= XC_TG_STEM_SOME_FULL_POS; s++) {
        CHECK(c, xc_termgen_set_strategy(tg, s, NULL) == XC_OK);
        CHECK(c, xc_qp_set_strategy(qp, s, NULL) == XC_OK);
    }
    CHECK(c, xc_termgen_set_strategy(tg, 99, &e) == XC_E_INVALID);
    CHECK(c, xc_qp_set_strategy(qp, -1, &e) == XC_E_INVALID);

    CHECK(c, xc_termgen_set_stemmer(tg, stem, NULL) == XC_OK);
    CHECK(c, xc_termgen_set_strategy(tg, XC_TG_STEM_ALL_Z, NULL) == XC_OK);
    xc_wdb *w = open_writer(c, path);
    add_doc(c, w, tg, "Qa", "bilar", NULL, NULL);
    CHECK(c, xc_termgen_set_strategy(tg, XC_TG_STEM_NONE, NULL) == XC_OK);
    add_doc(c, w, tg, "Qb", "husen", NULL, NULL);
    CHECK(c, xc_termgen_set_stemmer(tg, NULL, NULL) == XC_OK);
    CHECK(c, xc_wdb_commit(w, NULL) == XC_OK);
    xc_wdb_free(w);
    xc_db *db = open_reader(c, path);
    CHECK(c, term_freq(c, db, "Zbil") == 1);
    CHECK(c, term_freq(c, db, "bilar") == 0);
    CHECK(c, term_freq(c, db, "husen") == 1);
    CHECK(c, term_freq(c, db, "Zhus") == 0);
    xc_db_free(db);
    xc_qp_free(qp);
    xc_termgen_free(tg);
    xc_stem_free(stem);
    tmp_remove(&t);
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

static void test_each_term_visits_prefix_in_order_and_stops(struct check *c)
{
    struct tmpdir t;
    if (!tmp_make(c, &t)) return;
    char path[128];
    tmp_join(&t, "db", path, sizeof path);
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
    tmp_remove(&t);
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
                              XC_OP_AND_MAYBE};
    for (size_t i = 0; i < 4; i++) {
        CHECK(c, xc_query_new_combine(&q, ops[i], subs, 2, NULL) == XC_OK);
        CHECK(c, !xc_query_is_empty(q));
        xc_query_free(q);
    }
    CHECK(c, xc_query_new_combine(&q, XC_OP_SCALE_WEIGHT, subs, 2, &e) ==
                 XC_E_INVALID);
    CHECK(c, xc_query_new_combine(&q, 42, subs, 2, &e) == XC_E_INVALID);
    CHECK(c, xc_query_new_combine(&q, XC_OP_OR, NULL, 0, NULL) == XC_OK);
    CHECK(c, xc_query_is_empty(q));
    xc_query_free(q);

    CHECK(c, xc_query_new_scaled(&q, a, 2.5, NULL) == XC_OK);
    CHECK(c, xc_query_describe(q, &s, NULL) == XC_OK);
    CHECK_CONTAINS(c, s, "2.5 * röd");
    free(s);
    xc_query_free(q);
    CHECK(c, xc_query_new_scaled(&q, a, -1.0, &e) == XC_E_INVALID);
    CHECK(c, q == NULL);

    CHECK(c, xc_query_new_all(&q, NULL) == XC_OK);
    CHECK(c, !xc_query_is_empty(q));
    xc_query_free(q);
    xc_query_free(a);
    xc_query_free(b);

    xc_qp *qp = NULL;
    CHECK(c, xc_qp_new(&qp, NULL) == XC_OK);
    CHECK(c, xc_qp_parse(qp, "", XC_QP_DEFAULT, &q, NULL) == XC_OK);
    CHECK(c, xc_query_is_empty(q));
    xc_query_free(q);
    xc_qp_free(qp);
}

static void test_bm25_and_mset_bounds(struct check *c)
{
    struct tmpdir t;
    if (!tmp_make(c, &t)) return;
    char path[128];
    tmp_join(&t, "db", path, sizeof path);
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
    /* k1 = 0 ignores wdf: both documents weigh the same. (Xapian 1.4
     * clamps out-of-range BM25 parameters rather than rejecting them.) */
    CHECK(c, xc_enquire_set_bm25(enq, 0, 0, 1, 0, 0.5, &e) == XC_OK);
    CHECK(c, xc_enquire_get_mset(enq, 0, 10, 0, &m, &e) == XC_OK);
    CHECK(c, xc_mset_size(m) == 2);
    CHECK(c, xc_mset_weight(m, 0) > 0);
    CHECK(c, xc_mset_weight(m, 0) == xc_mset_weight(m, 1));
    xc_mset_free(m);
    CHECK(c, xc_enquire_set_bm25(enq, 1.2, 0, 1, 0.5, 0.5, &e) == XC_OK);
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
    tmp_remove(&t);
}

int main(void)
{
    struct check c = {0};
    RUN(&c, test_callback_stemmer_is_used_for_indexing_and_parsing);
    RUN(&c, test_callback_stemmer_null_keeps_the_word);
    RUN(&c, test_builtin_swedish_stemmer_stems_words);
    RUN(&c, test_unknown_stemmer_language_is_invalid_error);
    RUN(&c, test_replace_by_term_twice_keeps_one_document);
    RUN(&c, test_replace_by_term_adds_the_unique_term);
    RUN(&c, test_delete_by_term_reports_whether_a_document_existed);
    RUN(&c, test_get_by_missing_term_is_notfound);
    RUN(&c, test_document_data_and_values_round_trip_with_nul_bytes);
    RUN(&c, test_commit_then_reader_sees_it_after_reopen);
    RUN(&c, test_free_without_commit_loses_the_changes);
    RUN(&c, test_free_without_commit_loses_changes_past_flush_threshold);
    RUN(&c, test_wdb_free_releases_lock_while_termgen_holds_it);
    RUN(&c, test_wdb_open_modes);
    RUN(&c, test_missing_database_is_notfound_error);
    RUN(&c, test_corrupt_database_is_database_error);
    RUN(&c, test_second_writer_is_lock_error);
    RUN(&c, test_query_syntax_error_is_query_error);
    RUN(&c, test_long_error_message_is_truncated_on_a_utf8_boundary);
    RUN(&c, test_success_leaves_err_untouched);
    RUN(&c, test_null_arguments_are_invalid);
    RUN(&c, test_free_functions_accept_null);
    RUN(&c, test_prefixed_field_and_boolean_filter);
    RUN(&c, test_index_text_nopos_defeats_phrase_search);
    RUN(&c, test_default_and_requires_every_term);
    RUN(&c, test_value_range_query_selects_slot_range);
    RUN(&c, test_sort_by_value_orders_results);
    RUN(&c, test_matchspy_counts_values_for_facets);
    RUN(&c, test_spy_freed_before_get_mset_is_safe);
    RUN(&c, test_snippet_marks_match_and_escapes_html);
    RUN(&c, test_snippet_matches_stemmed_forms_with_the_stemmer);
    RUN(&c, test_spelling_suggestion_and_corrected_query);
    RUN(&c, test_stopper_freed_before_users_still_stops);
    RUN(&c, test_stemming_strategies);
    RUN(&c, test_each_term_visits_prefix_in_order_and_stops);
    RUN(&c, test_query_construction);
    RUN(&c, test_bm25_and_mset_bounds);
    return check_report(&c, "test_xapian_c");
}
