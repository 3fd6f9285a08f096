/* test_schema.c: lib/schema.c — how a document lies in the index: its id
 * term, the keys of its words (positional, stem, compound part, unaccented),
 * the boolean filter terms, the values, the stored JSON, the content hash
 * that lets an unchanged document be skipped, and the words given to the
 * spelling data. Documents are built with the real analysis and written
 * into a real index in a temporary folder. */
#include "analysis.h"
#include "buf.h"
#include "doc_data.h"
#include "check.h"
#include "full_analyzer.h"
#include "schema.h"
#include "support.h"
#include "text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct fixture {
    char dir[256];
    struct analyzer *full, *plain;
    unsigned n;   /* indexes made so far, for their names */
};

static const struct doc seminar = {
    .id = "seminarium/umea-2019.html",
    .url = "https://www.example.se/seminarium/umea-2019.html",
    .title = "Skolsegregationen i Umeå",
    .type = "seminarium",
    .date = "2019-03-27",
    .place = "Umeå",
    .organizer = "Umeå kommun",
    .body = "Trösklarna till skolan är höga, säger Sjöbogårdsskolans rektor.",
    .source = "/var/www|1234:1700000000.000000000",
};

/* Builds d with an and writes it, committed, into a new index; a reader on
 * that index (NULL on failure, with the test failed). */
static xc_db *index_one(struct check *c, struct analyzer *an, const struct doc *d,
                        char hash[17])
{
    struct fixture *fx = c->ctx;
    char path[512];
    snprintf(path, sizeof path, "%s/index-%u", fx->dir, fx->n++);
    xc_wdb *w = NULL;
    xc_doc *xd = NULL;
    xc_db *db = NULL;
    xc_error xe = {0};
    char idterm[SCHEMA_TERM_MAX + 1];
    schema_id_term(d->id, idterm);
    int rc = schema_build(&xd, hash, an, NULL, NULL, d, NULL, &xe);
    if (rc == 0)
        rc = xc_wdb_open(&w, path, XC_WDB_CREATE_OR_OVERWRITE, &xe);
    if (rc == 0 && (rc = xc_wdb_replace_by_term(w, idterm, xd, &xe)) == 0)
        rc = xc_wdb_commit(w, &xe);
    if (rc == 0)
        rc = xc_db_open(&db, path, &xe);
    CHECK(c, rc == 0);
    if (rc)
        fprintf(stderr, "  %s\n", xe.message);
    xc_doc_free(xd);
    xc_wdb_free(w);
    return db;
}

static unsigned freq(xc_db *db, const char *prefix, const char *body)
{
    char term[SCHEMA_TERM_MAX + 1];
    unsigned n = 0;
    snprintf(term, sizeof term, "%s%s", prefix, body);
    xc_db_term_freq(db, term, &n, NULL);
    return n;
}

/* A value of the document with id, malloc'd ("" when unset). */
static char *value(xc_db *db, const char *id, unsigned slot)
{
    char term[SCHEMA_TERM_MAX + 1], *v = NULL;
    size_t len = 0;
    xc_doc *d = NULL;
    schema_id_term(id, term);
    if (xc_db_get_by_term(db, term, &d, NULL) == 0)
        xc_doc_get_value(d, slot, &v, &len, NULL);
    xc_doc_free(d);
    return v ? v : strdup("");
}

static void check_value(struct check *c, xc_db *db, const char *id, unsigned slot,
                        const char *want)
{
    char *v = value(db, id, slot);
    CHECK_STR(c, v, want);
    free(v);
}

static struct an_word analysed(struct check *c, const char *word)
{
    struct fixture *fx = c->ctx;
    struct an_word a = {"", "", 0, {NULL, NULL}, 0, 0, 0};
    CHECK(c, an_analyze(&a, fx->full, word, strlen(word)) == 0);
    return a;
}

static const char *stem(struct check *c, const char *word)
{
    return analysed(c, word).stem;
}

static void test_id_term_is_prefixed_and_long_ids_stay_unique(struct check *c)
{
    char a[SCHEMA_TERM_MAX + 1], b[SCHEMA_TERM_MAX + 1], id[600];
    schema_id_term("artikel/a.html", a);
    CHECK_STR(c, a, "Qartikel/a.html");
    /* Two long ids alike but for their last letter, in two-byte letters. */
    size_t n = 0;
    while (n < 500)
        n += (size_t)snprintf(id + n, sizeof id - n, "å");
    snprintf(id + n, sizeof id - n, "x");
    schema_id_term(id, a);
    id[n] = 'y';
    schema_id_term(id, b);
    CHECK(c, strcmp(a, b) != 0);
    CHECK(c, strlen(a) <= SCHEMA_TERM_MAX && strlen(b) <= SCHEMA_TERM_MAX);
    CHECK(c, a[0] == 'Q' && text_is_utf8(a, strlen(a)));
}

static void test_bool_term_is_case_folded_and_cut_at_a_letter(struct check *c)
{
    char t[SCHEMA_TERM_MAX + 1], v[700];
    CHECK(c, schema_bool_term(t, SCHEMA_PLACE, "ÖREBRO län", strlen("ÖREBRO län")) == 0);
    CHECK_STR(c, t, "XPörebro län");
    CHECK(c, schema_bool_term(t, SCHEMA_TYPE, "artikel-och-mer", 7) == 0);
    CHECK_STR(c, t, "XTartikel");
    size_t n = 0;
    while (n < 600)
        n += (size_t)snprintf(v + n, sizeof v - n, "Ä");
    CHECK(c, schema_bool_term(t, SCHEMA_PLACE, v, n) == 0);
    CHECK(c, strlen(t) <= SCHEMA_TERM_MAX && strlen(t) > SCHEMA_TERM_MAX - 2);
    CHECK(c, text_is_utf8(t, strlen(t)) && strncmp(t, "XPää", 6) == 0);
}

static void test_date_value_and_hash_have_their_fixed_forms(struct check *c)
{
    char date[9], hash[17];
    schema_date_value("2019-03-27", date);
    CHECK_STR(c, date, "20190327");
    /* The values every index's stored hashes were made with (hash.h's
     * offset basis): a change would rewrite every document once. */
    schema_hash_hex("", 0, hash);
    CHECK_STR(c, hash, "14650fb0739d0383");
    schema_hash_hex("a", 1, hash);
    CHECK_STR(c, hash, "44bd8ad473cd9906");
}

static void test_static_rank_favours_newer_pages_over_listings(struct check *c)
{
    struct doc d = {.type = "artikel", .date = "2020-01-01"};
    CHECK(c, fabs(schema_static_rank(&d) - 0.75) < 1e-9);
    d.date = "2021-06-01";
    double newer = schema_static_rank(&d);
    CHECK(c, newer > 0.75 && newer < 1.0);
    d.date = "2050-01-01";   /* past the range: as new as can be */
    CHECK(c, fabs(schema_static_rank(&d) - 1.0) < 1e-9);
    d.date = "1990-01-01";
    CHECK(c, fabs(schema_static_rank(&d) - 0.5) < 1e-9);
    d.date = NULL;           /* no date: the middle */
    CHECK(c, fabs(schema_static_rank(&d) - 0.75) < 1e-9);
    d.type = "lista";
    CHECK(c, fabs(schema_static_rank(&d) - 0.25) < 1e-9);
}

static void test_every_key_filter_and_value_of_a_document(struct check *c)
{
    char hash[17];
    xc_db *db = index_one(c, ((struct fixture *)c->ctx)->full, &seminar, hash);
    if (!db)
        return;
    const char *id = seminar.id;
    CHECK(c, freq(db, "Q", id) == 1);
    CHECK(c, freq(db, "", "skolsegregationen") == 1);    /* positional, for phrases */
    CHECK(c, freq(db, "S", "skolsegregationen") == 1);   /* title words */
    CHECK(c, freq(db, "Z", stem(c, "trösklarna")) == 1);
    CHECK(c, freq(db, "ZS", stem(c, "skolsegregationen")) == 1);
    CHECK(c, freq(db, "C", stem(c, "segregation")) == 1);
    /* An unaccented key only for a word the lexicon lacks: a listed word
     * is found from its key through the lexicon (query.c). */
    CHECK(c, analysed(c, "umeå").listed && !analysed(c, "sjöbogårdsskolans").listed);
    CHECK(c, freq(db, "F", analysed(c, "umeå").unaccented) == 0);
    CHECK(c, freq(db, "F", analysed(c, "sjöbogårdsskolans").unaccented) == 1);
    CHECK(c, freq(db, "XO", "kommun") == 1);
    CHECK(c, freq(db, "XT", "seminarium") == 1 && freq(db, "XP", "umeå") == 1);
    CHECK(c, freq(db, "XY", "2019") == 1);
    CHECK(c, freq(db, "", "i") == 1 && freq(db, "Z", "i") == 0);   /* a stopword: no key */
    check_value(c, db, id, SLOT_DATE, "20190327");
    check_value(c, db, id, SLOT_TYPE, "seminarium");
    check_value(c, db, id, SLOT_PLACE, "Umeå");
    check_value(c, db, id, SLOT_YEAR, "2019");
    check_value(c, db, id, SLOT_HASH, hash);
    check_value(c, db, id, SLOT_SOURCE, seminar.source);
    char *rank = value(db, id, SLOT_RANK);
    CHECK(c, fabs(xc_sortable_unserialise(rank, strlen(rank)) -
                  schema_static_rank(&seminar)) < 1e-9);
    free(rank);
    /* The facets together, each but the last ended by a NUL. */
    static const char together[] = "seminarium\0" "2019\0" "Umeå\0" "html\0" "sv";
    char term[SCHEMA_TERM_MAX + 1], *v = NULL;
    size_t len = 0;
    xc_doc *d = NULL;
    schema_id_term(id, term);
    CHECK(c, xc_db_get_by_term(db, term, &d, NULL) == 0 &&
                 xc_doc_get_value(d, SLOT_FACETS, &v, &len, NULL) == 0);
    CHECK(c, v && len == sizeof together - 1 && memcmp(v, together, len) == 0);
    CHECK(c, freq(db, SCHEMA_FACETS, "") == 1);
    free(v);
    xc_doc_free(d);
    xc_db_free(db);
}

static void test_stored_data_is_the_fields_without_the_source(struct check *c)
{
    char hash[17], term[SCHEMA_TERM_MAX + 1], *data = NULL;
    size_t len = 0;
    xc_doc *d = NULL;
    xc_db *db = index_one(c, ((struct fixture *)c->ctx)->full, &seminar, hash);
    schema_id_term(seminar.id, term);
    CHECK(c, db && xc_db_get_by_term(db, term, &d, NULL) == 0 &&
                 xc_doc_get_data(d, &data, &len, NULL) == 0);
    json_t *j = NULL;
    const char *body = NULL;
    size_t body_len = 0;
    CHECK(c, data && doc_data_decode(&j, &body, &body_len, NULL, data, len) == 0);
    CHECK_STR(c, json_string_value(json_object_get(j, "title")), seminar.title);
    CHECK_STR(c, json_string_value(json_object_get(j, "organizer")), seminar.organizer);
    CHECK(c, json_object_get(j, "source") == NULL);
    /* the text after the fields, as it is (too short to compress), and not
     * among them */
    CHECK(c, json_object_get(j, "body") == NULL);
    CHECK(c, body && body_len == strlen(seminar.body) && memcmp(body, seminar.body, body_len) == 0);
    /* the hash is of every field as JSON, as before the text stood apart */
    json_t *all = NULL;
    char want[17], *dump = NULL;
    CHECK(c, doc_to_json(&all, &seminar) == 0 && (dump = json_dumps(all, JSON_COMPACT)));
    schema_hash_hex(dump ? dump : "", dump ? strlen(dump) : 0, want);
    CHECK_STR(c, hash, want);
    free(dump);
    json_decref(all);
    json_decref(j);
    free(data);
    xc_doc_free(d);
    xc_db_free(db);
}

static void test_plain_analysis_has_no_compound_or_unaccented_keys(struct check *c)
{
    char hash[17];
    xc_db *db = index_one(c, ((struct fixture *)c->ctx)->plain, &seminar, hash);
    if (!db)
        return;
    CHECK(c, freq(db, "", "skolsegregationen") == 1);
    CHECK(c, freq(db, "C", stem(c, "segregation")) == 0);
    CHECK(c, freq(db, "F", "ume") == 0 && freq(db, "F", "umea") == 0);
    xc_db_free(db);
}

static void test_same_content_as_the_old_hash_builds_nothing(struct check *c)
{
    struct fixture *fx = c->ctx;
    char first[17], again[17];
    xc_doc *xd = NULL;
    xc_error xe = {0};
    CHECK(c, schema_build(&xd, first, fx->full, NULL, NULL, &seminar, NULL, &xe) == 0 && xd);
    xc_doc_free(xd);
    xd = NULL;
    CHECK(c, schema_build(&xd, again, fx->full, NULL, NULL, &seminar, first, &xe) == 0);
    CHECK(c, xd == NULL);
    CHECK_STR(c, again, first);
    struct doc changed = seminar;
    changed.body = "Trösklarna till skolan är lägre.";
    CHECK(c, schema_build(&xd, again, fx->full, NULL, NULL, &changed, first, &xe) == 0 && xd);
    CHECK(c, strcmp(again, first) != 0);
    xc_doc_free(xd);
    /* The source is not content: a touched file hashes the same. */
    changed = seminar;
    changed.source = "/var/www|1234:1800000000.000000000";
    xd = NULL;
    CHECK(c, schema_build(&xd, again, fx->full, NULL, NULL, &changed, first, &xe) == 0);
    CHECK(c, xd == NULL);
}

static int collect(void *ctx, const char *word, size_t len)
{
    struct buf *b = ctx;
    return buf_append(b, word, len) < 0 || buf_putc(b, ' ') < 0 ? -1 : 0;
}

static int refuse(void *ctx, const char *word, size_t len)
{
    (void)ctx;
    (void)word;
    (void)len;
    return -1;
}

static void test_each_word_goes_to_the_spelling_data_once(struct check *c)
{
    struct fixture *fx = c->ctx;
    struct doc d = {.id = "a", .title = "Skolan", .body = "Skolan och skolan i 2019, ab kartläggning."};
    struct buf words = BUF_INIT;
    char hash[17];
    xc_doc *xd = NULL;
    xc_error xe = {0};
    CHECK(c, schema_build(&xd, hash, fx->full, collect, &words, &d, NULL, &xe) == 0);
    CHECK(c, buf_putc(&words, '\0') == 0);
    /* No stopwords, numbers or words under three letters. */
    CHECK_STR(c, words.data, "skolan kartläggning ");
    xc_doc_free(xd);
    buf_dispose(&words);
}

static void test_a_failing_word_sink_is_out_of_memory_and_builds_nothing(struct check *c)
{
    struct fixture *fx = c->ctx;
    char hash[17];
    xc_doc *xd = NULL;
    xc_error xe = {0};
    CHECK(c, schema_build(&xd, hash, fx->full, refuse, NULL, &seminar, NULL, &xe) == XC_E_NOMEM);
    CHECK(c, xd == NULL && xe.code == XC_E_NOMEM);
    CHECK_CONTAINS(c, xe.message, "out of memory");
}

int main(void)
{
    struct check c = {0};
    struct fixture f = {0};
    struct lexicon *lex = NULL;
    if (tmpdir_make(f.dir, sizeof f.dir) < 0)
        return 1;
    if (full_analyzer_new(&f.full, &lex) < 0 || an_new(&f.plain, AN_PLAIN, NULL, NULL) < 0) {
        full_analyzer_free(f.full, lex);
        tmpdir_remove(f.dir);
        return 1;
    }
    c.ctx = &f;
    RUN(&c, test_id_term_is_prefixed_and_long_ids_stay_unique);
    RUN(&c, test_bool_term_is_case_folded_and_cut_at_a_letter);
    RUN(&c, test_date_value_and_hash_have_their_fixed_forms);
    RUN(&c, test_static_rank_favours_newer_pages_over_listings);
    RUN(&c, test_every_key_filter_and_value_of_a_document);
    RUN(&c, test_stored_data_is_the_fields_without_the_source);
    RUN(&c, test_plain_analysis_has_no_compound_or_unaccented_keys);
    RUN(&c, test_same_content_as_the_old_hash_builds_nothing);
    RUN(&c, test_each_word_goes_to_the_spelling_data_once);
    RUN(&c, test_a_failing_word_sink_is_out_of_memory_and_builds_nothing);
    full_analyzer_free(f.full, lex);
    an_free(f.plain);
    tmpdir_remove(f.dir);
    return check_report(&c, "test_schema");
}
