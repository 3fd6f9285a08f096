/* test_index_write.c: lib/index_write.c — one document into or out of a
 * real writable index: added, unchanged (same content, same source file),
 * updated, refused with a reason, deleted; the source signature compared
 * whole whatever its length; the words of a written document in the
 * spelling data. */
#include "analysis.h"
#include "check.h"
#include "full_analyzer.h"
#include "index_write.h"
#include "schema.h"
#include "support.h"

#include <stdlib.h>
#include <string.h>

struct fixture {
    char dir[256];
    struct analyzer *an;
    unsigned n;   /* indexes made so far, for their names */
};

/* A new empty index in the fixture's folder; NULL (test failed) on error. */
static xc_wdb *fresh_index(struct check *c, char *path, size_t pathlen)
{
    struct fixture *fx = c->ctx;
    xc_wdb *w = NULL;
    xc_error xe = {0};
    snprintf(path, pathlen, "%s/index-%u", fx->dir, fx->n++);
    CHECK(c, xc_wdb_open(&w, path, XC_WDB_CREATE_OR_OVERWRITE, &xe) == 0);
    return w;
}

/* iw_put of d; the result, or -1 (test failed) when it did not succeed. */
static int put(struct check *c, xc_wdb *w, const struct doc *d)
{
    struct fixture *fx = c->ctx;
    enum iw_result r;
    lib_error err = {0};
    int rc = iw_put(&r, w, fx->an, d, &err);
    CHECK(c, rc == 0);
    if (rc)
        fprintf(stderr, "  iw_put: %s\n", err.message);
    return rc ? -1 : (int)r;
}

/* iw_source_unchanged on the index at path as committed (w's changes
 * committed first). */
static int unchanged(struct check *c, xc_wdb *w, const char *path, const char *id,
                     const char *source)
{
    xc_db *db = NULL;
    CHECK(c, xc_wdb_commit(w, NULL) == 0 && xc_db_open(&db, path, NULL) == 0);
    int same = db ? iw_source_unchanged(db, id, source) : -1;
    xc_db_free(db);
    return same;
}

/* A source signature as the indexer makes it, with a folder path of
 * path_len bytes. */
static char *long_source(size_t path_len, const char *tail)
{
    char *s = malloc(path_len + strlen(tail) + 2);
    if (!s)
        return NULL;
    memset(s, 'm', path_len);
    s[0] = '/';
    sprintf(s + path_len, "|%s", tail);
    return s;
}

static void test_a_document_is_added_then_unchanged_then_updated(struct check *c)
{
    char path[512];
    xc_wdb *w = fresh_index(c, path, sizeof path);
    struct doc d = {.id = "a", .title = "Boende i Kiruna", .body = "Trångboddhet."};
    CHECK(c, put(c, w, &d) == IW_ADDED);
    CHECK(c, put(c, w, &d) == IW_UNCHANGED);
    d.body = "Trångboddheten ökar.";
    CHECK(c, put(c, w, &d) == IW_UPDATED);
    CHECK(c, xc_wdb_doc_count(w) == 1);
    xc_wdb_free(w);
}

static void test_a_document_without_id_or_text_is_refused_and_nothing_written(struct check *c)
{
    struct fixture *fx = c->ctx;
    char path[512];
    lib_error err = {0};
    enum iw_result r;
    xc_wdb *w = fresh_index(c, path, sizeof path);
    struct doc no_id = {.title = "Utan id"}, empty = {.id = "tom", .url = "https://x.se/"};
    CHECK(c, iw_put(&r, w, fx->an, &no_id, &err) == LIB_E_INVALID);
    CHECK_STR(c, err.message, "the document has no id");
    CHECK(c, iw_put(&r, w, fx->an, &empty, &err) == LIB_E_INVALID);
    CHECK_STR(c, err.message, "the document has no title and no text");
    CHECK(c, xc_wdb_doc_count(w) == 0);
    xc_wdb_free(w);
}

/* A file touched but not changed is written once more with its new time,
 * so that the next run can skip it unread. */
static void test_a_touched_file_is_written_again_with_its_new_source(struct check *c)
{
    char path[512];
    xc_wdb *w = fresh_index(c, path, sizeof path);
    struct doc d = {.id = "a", .title = "Skolan", .source = "/www|10:1.000000000"};
    CHECK(c, put(c, w, &d) == IW_ADDED);
    CHECK(c, unchanged(c, w, path, "a", "/www|10:1.000000000") == 1);
    d.source = "/www|10:2.000000000";
    CHECK(c, unchanged(c, w, path, "a", d.source) == 0);
    CHECK(c, put(c, w, &d) == IW_UPDATED);
    CHECK(c, unchanged(c, w, path, "a", d.source) == 1);
    CHECK(c, put(c, w, &d) == IW_UNCHANGED);
    xc_wdb_free(w);
}

static void test_a_source_signature_of_any_length_is_compared_whole(struct check *c)
{
    char path[512];
    xc_wdb *w = fresh_index(c, path, sizeof path);
    char *src = long_source(4096, "2048:1700000000.000000001");
    char *other = long_source(4096, "2048:1700000000.000000002");
    struct doc d = {.id = "djup/sida.html", .title = "Djupt ner", .source = src};
    CHECK(c, src && other && put(c, w, &d) == IW_ADDED);
    CHECK(c, unchanged(c, w, path, d.id, src) == 1);
    CHECK(c, unchanged(c, w, path, d.id, other) == 0);
    CHECK(c, put(c, w, &d) == IW_UNCHANGED);
    free(src);
    free(other);
    xc_wdb_free(w);
}

static void test_an_unknown_id_or_a_document_without_source_is_never_unchanged(
    struct check *c)
{
    char path[512];
    xc_wdb *w = fresh_index(c, path, sizeof path);
    CHECK(c, unchanged(c, w, path, "saknas", "/www|1:1.0") == 0);
    struct doc d = {.id = "json", .title = "Från JSON"};
    CHECK(c, put(c, w, &d) == IW_ADDED);
    CHECK(c, unchanged(c, w, path, "json", "") == 0);
    xc_wdb_free(w);
}

/* A document built in another thread (schema_build with no old hash). */
static xc_doc *built(struct check *c, const struct doc *d, char hash[17])
{
    struct fixture *fx = c->ctx;
    xc_doc *xd = NULL;
    xc_error xe = {0};
    CHECK(c, schema_build(&xd, hash, fx->an, NULL, NULL, d, NULL, &xe) == 0 && xd);
    return xd;
}

static int put_built(struct check *c, xc_wdb *w, const struct doc *d, const char *words,
                     size_t words_len)
{
    char hash[17];
    lib_error err = {0};
    enum iw_result r;
    xc_doc *xd = built(c, d, hash);
    int rc = xd ? iw_put_built(&r, w, d->id, xd, hash, d->source, words, words_len, &err)
                : -1;
    CHECK(c, rc == 0);
    if (rc)
        fprintf(stderr, "  iw_put_built: %s\n", err.message);
    xc_doc_free(xd);
    return rc ? -1 : (int)r;
}

static void test_a_built_document_is_skipped_only_when_hash_and_source_match(struct check *c)
{
    char path[512];
    xc_wdb *w = fresh_index(c, path, sizeof path);
    static const char words[] = "kartläggning\0segregation";
    struct doc d = {.id = "b", .title = "Kartläggning", .source = "/www|5:1.0"};
    CHECK(c, put_built(c, w, &d, words, sizeof words) == IW_ADDED);
    CHECK(c, put_built(c, w, &d, words, sizeof words) == IW_UNCHANGED);
    d.source = "/www|5:2.0";
    CHECK(c, put_built(c, w, &d, words, sizeof words) == IW_UPDATED);
    d.body = "Ny text.";
    CHECK(c, put_built(c, w, &d, words, sizeof words) == IW_UPDATED);
    CHECK(c, xc_wdb_commit(w, NULL) == 0);
    xc_wdb_free(w);
    /* Its words are in the spelling data: a misspelling finds them. */
    xc_db *db = NULL;
    char *fix = NULL;
    CHECK(c, xc_db_open(&db, path, NULL) == 0 && xc_db_doc_count(db) == 1);
    CHECK(c, xc_db_spelling_suggestion(db, "kartlägning", 2, &fix, NULL) == 0);
    CHECK_STR(c, fix, "kartläggning");
    free(fix);
    xc_db_free(db);
}

static void test_a_failed_write_is_an_index_error_with_its_reason(struct check *c)
{
    char path[512], hash[17];
    lib_error err = {0};
    enum iw_result r;
    xc_wdb *w = fresh_index(c, path, sizeof path);
    struct doc d = {.id = "c", .title = "Skolan"};
    xc_doc *xd = built(c, &d, hash);
    CHECK(c, iw_put_built(&r, w, "c", NULL, hash, NULL, NULL, 0, &err) < 0);
    CHECK(c, err.code < 0);
    CHECK_CONTAINS(c, err.message, "cannot write to the index: ");
    CHECK(c, xc_wdb_doc_count(w) == 0);
    xc_doc_free(xd);
    xc_wdb_free(w);
}

static void test_delete_says_whether_there_was_a_document(struct check *c)
{
    char path[512];
    xc_wdb *w = fresh_index(c, path, sizeof path);
    struct doc d = {.id = "artikel/a.html", .title = "Skolan"};
    CHECK(c, put(c, w, &d) == IW_ADDED);
    CHECK(c, iw_delete(w, "artikel/a.html", NULL) == 1);
    CHECK(c, iw_delete(w, "artikel/a.html", NULL) == 0);
    CHECK(c, xc_wdb_doc_count(w) == 0);
    xc_wdb_free(w);
}

int main(void)
{
    struct check c = {0};
    struct fixture f = {0};
    struct lexicon *lex = NULL;
    if (tmpdir_make(f.dir, sizeof f.dir) < 0)
        return 1;
    if (full_analyzer_new(&f.an, &lex) < 0) {
        tmpdir_remove(f.dir);
        return 1;
    }
    c.ctx = &f;
    RUN(&c, test_a_document_is_added_then_unchanged_then_updated);
    RUN(&c, test_a_document_without_id_or_text_is_refused_and_nothing_written);
    RUN(&c, test_a_touched_file_is_written_again_with_its_new_source);
    RUN(&c, test_a_source_signature_of_any_length_is_compared_whole);
    RUN(&c, test_an_unknown_id_or_a_document_without_source_is_never_unchanged);
    RUN(&c, test_a_built_document_is_skipped_only_when_hash_and_source_match);
    RUN(&c, test_a_failed_write_is_an_index_error_with_its_reason);
    RUN(&c, test_delete_says_whether_there_was_a_document);
    full_analyzer_free(f.an, lex);
    tmpdir_remove(f.dir);
    return check_report(&c, "test_index_write");
}
