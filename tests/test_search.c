/* test_search.c: lib/search.c on a real index of 3,000 documents, larger
 * than the counting bounds the tests set: exact totals and facets up to
 * the bound; past it an estimated total that says so, and facets from a
 * uniform sample (the documents' types are laid out so that the first
 * matches in id order would show one type only); an index whose documents
 * do not all carry their samples counted whole; filters and the page of
 * hits as before; a search counted on a thread of its own while it is
 * ranked answering as one counted first; and a search without words
 * showing the newest of all its matches first. */
#include "analysis.h"
#include "check.h"
#include "facets.h"
#include "full_analyzer.h"
#include "index_write.h"
#include "schema.h"
#include "search.h"
#include "support.h"
#include "tier.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NDOCS 3000

struct fixture {
    char dir[256];
    char path[512];
    struct analyzer *an;
    xc_db *db;
    struct facet_table facets;
};

/* Documents 0..1499 (added first, the lowest ids) are news, the rest
 * reports; every one says "bidrag", every third "skola", every other
 * "hyra" (so "hyra skola" matches every sixth, 500, which the two words'
 * frequencies alone do not prove past any bound); "tomt" and "park" are
 * each in a seventh, never together. */
static int build(struct fixture *fx)
{
    xc_wdb *w = NULL;
    xc_error xe = {0};
    snprintf(fx->path, sizeof fx->path, "%s/index", fx->dir);
    if (xc_wdb_open(&w, fx->path, XC_WDB_CREATE_OR_OVERWRITE, &xe) < 0)
        return -1;
    int rc = 0;
    for (int i = 0; rc == 0 && i < NDOCS; i++) {
        char id[32], title[64], body[128];
        snprintf(id, sizeof id, "sida/%04d", i);
        snprintf(title, sizeof title, "Sida nummer %d", i);
        snprintf(body, sizeof body, "Om bidrag för boende%s%s%s.", i % 3 == 0 ? " och skola" : "",
                 i % 2 == 0 ? " med hyra" : "",
                 i % 7 == 1 ? " vid tomt" : i % 7 == 2 ? " vid park" : "");
        struct doc d = {.id = id, .title = title, .body = body,
                        .type = i < NDOCS / 2 ? "nyhet" : "rapport"};
        enum iw_result r;
        rc = iw_put(&r, w, fx->an, &d, &xe);
    }
    if (rc == 0)
        rc = xc_wdb_commit(w, &xe);
    xc_wdb_free(w);
    if (rc != 0)
        fprintf(stderr, "  build: %s\n", xe.message);
    return rc;
}

static int open_index(struct fixture *fx)
{
    xc_db_free(fx->db);
    fx->db = NULL;
    return xc_db_open(&fx->db, fx->path, NULL) < 0 || facets_load(&fx->facets, fx->db) < 0
               ? -1
               : 0;
}

static struct search_ctx ctx_of(struct fixture *fx, unsigned limit)
{
    return (struct search_ctx){fx->an, fx->db, NULL, &fx->facets,
                               search_index_sampled(fx->db, NULL) == 1, limit, NULL, NULL, NULL,
                               tier_index_tiered(fx->db), 0, 0, 0, NULL, 0, 0, NULL};
}

static int facet(const struct search_result *r, const char *name, const char *value)
{
    return (int)json_integer_value(json_object_get(json_object_get(r->facets, name), value));
}

/* Runs q with the bound; the test fails when the search does. */
static int run(struct check *c, struct search_result *r, unsigned limit, const char *q,
               const char *type)
{
    struct fixture *fx = c->ctx;
    struct search_ctx ctx = ctx_of(fx, limit);
    struct search_request req = {.q = q, .page = 1, .size = 10, .type = type};
    lib_error err = {0};
    int rc = search_run(r, &ctx, &req, &err);
    CHECK(c, rc == 0);
    if (rc)
        fprintf(stderr, "  search_run: %s\n", err.message);
    return rc;
}

static void test_every_document_carries_its_samples(struct check *c)
{
    struct fixture *fx = c->ctx;
    CHECK(c, search_index_sampled(fx->db, NULL) == 1);
    /* Sample j holds 2^j in 2^LEVELS of the documents: each within a
     * third of that (the smaller ones have few documents to go by), each
     * inside the next. */
    unsigned prev = 0;
    for (int j = 0; j < SCHEMA_SAMPLE_LEVELS; j++) {
        char term[SCHEMA_SAMPLE_TERM_MAX];
        unsigned n = 0;
        schema_sample_term(term, j);
        CHECK(c, xc_db_term_freq(fx->db, term, &n, NULL) == 0);
        double want = NDOCS * ldexp(1, j - SCHEMA_SAMPLE_LEVELS);
        if (want >= 100)
            CHECK(c, n > want * 2 / 3 && n < want * 4 / 3);
        CHECK(c, n >= prev);
        prev = n;
    }
}

static void test_up_to_the_bound_total_and_facets_are_exact(struct check *c)
{
    struct search_result r;
    if (run(c, &r, 5000, "bidrag", NULL) == 0) {
        CHECK(c, r.total == NDOCS && r.total_counted == NDOCS && r.total_exact && r.facets_exact);
        CHECK(c, facet(&r, "type", "nyhet") == NDOCS / 2 && facet(&r, "type", "rapport") == NDOCS / 2);
        CHECK(c, json_array_size(r.hits) == 10);
    }
    search_result_dispose(&r);
    /* A total at the bound is exact, and so is one more (counting looks at
     * one match past the bound to know whether there are more); two more
     * are not, and "bidrag"'s own frequency proves as much: no match is
     * counted, the total is that least. */
    if (run(c, &r, NDOCS, "bidrag", NULL) == 0)
        CHECK(c, r.total == NDOCS && r.total_exact && r.facets_exact);
    search_result_dispose(&r);
    if (run(c, &r, NDOCS - 1, "bidrag", NULL) == 0)
        CHECK(c, r.total == NDOCS && r.total_exact && r.facets_exact);
    search_result_dispose(&r);
    if (run(c, &r, NDOCS - 2, "bidrag", NULL) == 0)
        CHECK(c, !r.total_exact && !r.facets_exact && r.total_counted == NDOCS &&
                     r.total == NDOCS);
    search_result_dispose(&r);
}

/* Past the bound the facets come from a sample spread over every id: the
 * first 1,001 matches are all news, the sample holds both types evenly.
 * (The sample is about a quarter of the bound: 250 matches, so a count is
 * off by about 7 %; the checks allow three times that.) A word in every
 * document is past the bound by its frequency, and counted as that; two
 * words whose frequencies prove nothing are counted up to the bound. */
static void test_past_the_bound_facets_come_from_a_uniform_sample(struct check *c)
{
    struct search_result r;
    if (run(c, &r, 1000, "bidrag", NULL) == 0) {
        CHECK(c, !r.total_exact && !r.facets_exact);
        CHECK(c, r.total_counted == NDOCS && r.total == NDOCS);
        int news = facet(&r, "type", "nyhet"), reports = facet(&r, "type", "rapport");
        CHECK(c, news >= NDOCS / 2 * 7 / 10 && news <= NDOCS / 2 * 13 / 10);
        CHECK(c, reports >= NDOCS / 2 * 7 / 10 && reports <= NDOCS / 2 * 13 / 10);
        CHECK(c, json_array_size(r.hits) == 10);
        printf("  3000 matches, bound 1000: total %u, news %d, reports %d\n", r.total, news,
               reports);
    }
    search_result_dispose(&r);
    /* 500 matches, bound 300: counted to it, estimated near them. */
    if (run(c, &r, 300, "hyra skola", NULL) == 0) {
        CHECK(c, !r.total_exact && !r.facets_exact && r.total_counted == 301);
        CHECK(c, r.total >= 400 && r.total <= 600);
        int news = facet(&r, "type", "nyhet"), reports = facet(&r, "type", "rapport");
        CHECK(c, news >= 250 * 6 / 10 && news <= 250 * 14 / 10);
        CHECK(c, reports >= 250 * 6 / 10 && reports <= 250 * 14 / 10);
        printf("  500 matches, bound 300: total %u, news %d, reports %d\n", r.total, news,
               reports);
    }
    search_result_dispose(&r);
}

/* A bound so small that the sample aimed at holds a match or less
 * ("bidrag" bounded at 1: a 4,096th of the pages, 0.73 expected): a
 * sample that holds none is drawn larger, and the facets show some. */
static void test_a_tiny_bound_still_samples_some_facets(struct check *c)
{
    static const char *const queries[] = {"bidrag", "boende", "hyra", "skola"};
    unsigned empty = 0, tried = 0;
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++)
        for (unsigned limit = 1; limit <= 4; limit++) {
            struct search_result r;
            if (run(c, &r, limit, queries[i], NULL) != 0)
                continue;
            CHECK(c, !r.facets_exact);
            empty += facet(&r, "type", "nyhet") + facet(&r, "type", "rapport") == 0;
            tried++;
            search_result_dispose(&r);
        }
    printf("  %u of %u searches with a bound of 1 to 4: no facet\n", empty, tried);
    CHECK(c, tried == 16 && empty == 0);
}

/* Past the bound, the matches counted in id order are counted exactly and
 * only those after them are sampled: of "hyra skola" (every sixth
 * document, 250 news then 250 reports) a bound of 300 counts the 250 news
 * and the first 51 reports, so the news are exact and only the reports
 * after them estimated. A bound of 240 stops among the news: 240 of them
 * counted, the other 10 and the reports estimated. */
static void test_past_the_bound_the_counted_matches_stay_exact(struct check *c)
{
    struct search_result r;
    if (run(c, &r, 300, "hyra skola", NULL) == 0) {
        int news = facet(&r, "type", "nyhet"), reports = facet(&r, "type", "rapport");
        CHECK(c, !r.total_exact && !r.facets_exact && r.total_counted == 301);
        CHECK(c, news == 250);
        CHECK(c, reports >= 51 + 199 * 6 / 10 && reports <= 51 + 199 * 14 / 10);
        CHECK(c, r.total >= 301 + 199 * 6 / 10 && r.total <= 301 + 199 * 14 / 10);
    }
    search_result_dispose(&r);
    if (run(c, &r, 240, "hyra skola", NULL) == 0) {
        int news = facet(&r, "type", "nyhet"), reports = facet(&r, "type", "rapport");
        CHECK(c, !r.total_exact && r.total_counted == 241);
        CHECK(c, news >= 241 && news <= 241 + 9 * 3);
        CHECK(c, reports >= 250 * 6 / 10 && reports <= 250 * 14 / 10);
    }
    search_result_dispose(&r);
}

static void test_a_filter_applies_to_counting_and_sample(struct check *c)
{
    struct search_result r;
    if (run(c, &r, 5000, "bidrag", "rapport") == 0)
        CHECK(c, r.total == NDOCS / 2 && r.total_exact && facet(&r, "type", "rapport") == NDOCS / 2 &&
                     facet(&r, "type", "nyhet") == 0);
    search_result_dispose(&r);
    if (run(c, &r, 600, "bidrag", "rapport") == 0) {
        CHECK(c, !r.total_exact && r.total >= NDOCS / 2 * 3 / 4 && r.total <= NDOCS / 2 * 5 / 4);
        CHECK(c, facet(&r, "type", "nyhet") == 0 && facet(&r, "type", "rapport") == (int)r.total);
        printf("  1500 matches, bound 600: total %u\n", r.total);
    }
    search_result_dispose(&r);
}

/* A text buffer kept between searches (as each searchd thread keeps one)
 * gives the same hits and snippets as one made per search. */
static void test_a_kept_text_buffer_gives_the_same_hits(struct check *c)
{
    struct fixture *fx = c->ctx;
    struct doc_text kept = DOC_TEXT_INIT;
    const char *qs[] = {"bidrag", "skola", "boende"};
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
            struct search_ctx ctx = ctx_of(fx, 5000);
            struct search_request req = {.q = qs[i], .page = 1, .size = 10};
            struct search_result fresh, reused;
            CHECK(c, search_run(&fresh, &ctx, &req, NULL) == 0);
            ctx.text = &kept;
            CHECK(c, search_run(&reused, &ctx, &req, NULL) == 0);
            CHECK(c, json_array_size(fresh.hits) == 10 && json_equal(fresh.hits, reused.hits));
            search_result_dispose(&fresh);
            search_result_dispose(&reused);
        }
    }
    doc_text_dispose(&kept);
}

/* Whether two results of one search say the same: totals, exactness,
 * facets, hits with their scores and snippets, and the suggestion. */
static int same_result(const struct search_result *a, const struct search_result *b)
{
    return a->total == b->total && a->total_counted == b->total_counted &&
           a->total_exact == b->total_exact && a->facets_exact == b->facets_exact &&
           a->any_word == b->any_word && json_equal(a->hits, b->hits) &&
           json_equal(a->facets, b->facets) &&
           (a->suggestion && b->suggestion ? strcmp(a->suggestion, b->suggestion) == 0
                                           : a->suggestion == b->suggestion);
}

/* A search counted on a thread of its own, over a second reader, while its
 * page is ranked answers as one counted first: at every kind of bound
 * (every match counted; counted up to it, then sampled; past it by the
 * words' frequencies alone), filtered, on a later page, and with nothing
 * matching every word (then any word is counted and ranked as before). A
 * second reader at another revision of the index is not used. */
static void test_a_search_counted_apart_answers_as_one_counted_first(struct check *c)
{
    struct fixture *fx = c->ctx;
    static const struct {
        const char *q, *type;
        unsigned page, limit;
    } cases[] = {
        {"bidrag", NULL, 1, 5000},     {"bidrag", NULL, 1, 1000},
        {"hyra skola", NULL, 1, 300},  {"hyra skola", NULL, 1, 240},
        {"hyra skola", NULL, 2, 5000}, {"bidrag boende", "rapport", 1, 600},
        {"skola", "nyhet", 3, 5000},   {"tomt park", NULL, 1, 5000},
    };
    xc_db *second = NULL;
    CHECK(c, xc_db_open(&second, fx->path, NULL) == 0);
    unsigned apart = 0, any_word = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct search_ctx ctx = ctx_of(fx, cases[i].limit);
        struct search_request req = {.q = cases[i].q, .page = cases[i].page, .size = 10,
                                     .type = cases[i].type};
        struct search_result one, two;
        ctx.apart_min_matches = 1;   /* this index's searches are small */
        CHECK(c, search_run(&one, &ctx, &req, NULL) == 0);
        ctx.count_db = second;
        CHECK(c, search_run(&two, &ctx, &req, NULL) == 0);
        int same = same_result(&one, &two);
        if (!same)
            fprintf(stderr, "  %s (page %u, bound %u): counted apart, the answer differs\n",
                    cases[i].q, cases[i].page, cases[i].limit);
        CHECK(c, same && !one.counted_apart && json_array_size(two.hits) > 0);
        apart += two.counted_apart;
        any_word += two.any_word && two.counted_apart;
        search_result_dispose(&one);
        search_result_dispose(&two);
    }
    CHECK(c, apart == sizeof cases / sizeof cases[0]);
    CHECK(c, any_word == 1);
    /* A page added and committed: the second reader still sees the revision
     * before it, and the search is counted on its own thread. */
    xc_wdb *w = NULL;
    enum iw_result r;
    struct doc d = {.id = "sida/extra", .title = "Extra", .body = "Om bidrag.", .type = "nyhet"};
    CHECK(c, xc_wdb_open(&w, fx->path, XC_WDB_OPEN, NULL) == 0);
    CHECK(c, iw_put(&r, w, fx->an, &d, NULL) == 0 && xc_wdb_commit(w, NULL) == 0);
    CHECK(c, open_index(fx) == 0);
    struct search_ctx ctx = ctx_of(fx, 5000);
    struct search_request req = {.q = "bidrag", .page = 1, .size = 10};
    struct search_result res;
    ctx.apart_min_matches = 1;
    ctx.count_db = second;
    if (search_run(&res, &ctx, &req, NULL) == 0) {
        CHECK(c, !res.counted_apart && res.total == NDOCS + 1 && res.total_exact);
        search_result_dispose(&res);
    } else {
        CHECK(c, !"search beside a reader of another revision");
    }
    CHECK(c, iw_delete(w, "sida/extra", NULL) >= 0 && xc_wdb_commit(w, NULL) == 0);
    xc_wdb_free(w);
    xc_db_free(second);
    CHECK(c, open_index(fx) == 0);
}

/* Counted by value, as over remote shards: from the one slot holding the
 * facets together or from each facet's own, the counts are those of the
 * table (the documents have no place or year: empty parts). */
static void test_facets_counted_together_equal_their_own_slots(struct check *c)
{
    struct fixture *fx = c->ctx;
    static const struct facet_table none;
    CHECK(c, facets_index_together(fx->db, NULL) == 1);
    static const char *const terms[] = {SCHEMA_STEM "bidrag", SCHEMA_STEM "tomt",
                                        SCHEMA_STEM "park"};
    for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++) {
        xc_query *q = NULL;
        struct facet_counts by_id, together, apart;
        xc_count n[3];
        CHECK(c, xc_query_new_term(&q, terms[i], 1, NULL) == 0);
        CHECK(c, facets_counts_init(&by_id, &fx->facets) == 0 &&
                     facets_counts_init(&together, &none) == 0 &&
                     facets_counts_init(&apart, &none) == 0);
        CHECK(c, xc_db_count(&n[0], fx->db, q, 0, facets_count, &by_id, NULL) == 0);
        CHECK(c, facets_count_by_value(&n[1], fx->db, q, 0, 1, &together, NULL) == 0);
        CHECK(c, facets_count_by_value(&n[2], fx->db, q, 0, 0, &apart, NULL) == 0);
        json_t *a = facets_json(&by_id), *b = facets_json(&together), *d = facets_json(&apart);
        CHECK(c, a && json_equal(a, b) && json_equal(a, d));
        CHECK(c, n[0].counted == n[1].counted && n[1].counted == n[2].counted &&
                     n[1].exact && n[1].counted > 0);
        CHECK(c, json_integer_value(json_object_get(json_object_get(b, "type"), "nyhet")) > 0 &&
                     json_integer_value(json_object_get(json_object_get(b, "format"), "html")) ==
                         (json_int_t)n[1].counted);
        json_decref(a);
        json_decref(b);
        json_decref(d);
        facets_counts_dispose(&by_id);
        facets_counts_dispose(&together);
        facets_counts_dispose(&apart);
        xc_query_free(q);
    }
}

/* A document written without its samples (as by an indexer before them):
 * the index is not sampled, and every match is counted. */
static void test_an_index_without_samples_is_counted_whole(struct check *c)
{
    struct fixture *fx = c->ctx;
    xc_wdb *w = NULL;
    xc_doc *d = NULL;
    CHECK(c, xc_wdb_open(&w, fx->path, XC_WDB_OPEN, NULL) == 0);
    CHECK(c, xc_doc_new(&d, NULL) == 0);
    CHECK(c, xc_doc_add_term(d, SCHEMA_STEM "bidrag", 1, NULL) == 0);
    CHECK(c, xc_doc_set_value(d, SLOT_TYPE, "nyhet", 5, NULL) == 0);
    CHECK(c, xc_wdb_replace_by_term(w, SCHEMA_ID "gammal", d, NULL) == 0);
    CHECK(c, xc_wdb_commit(w, NULL) == 0);
    xc_doc_free(d);
    xc_wdb_free(w);
    CHECK(c, open_index(fx) == 0);
    CHECK(c, search_index_sampled(fx->db, NULL) == 0);
    CHECK(c, facets_index_together(fx->db, NULL) == 0);   /* nor its facets together */
    struct search_result r;
    if (run(c, &r, 300, "bidrag", NULL) == 0) {
        CHECK(c, r.total == NDOCS + 1 && r.total_exact && r.facets_exact);
        CHECK(c, facet(&r, "type", "nyhet") == NDOCS / 2 + 1);
    }
    search_result_dispose(&r);
}

/* Without words every match weighs 0: the page is the newest by the static
 * rank among them all, not the first ids' (the window the rank reorders
 * holds fewer than the matches here, and the newest have the last ids). */
static void test_without_words_the_newest_come_first(struct check *c)
{
    struct fixture *fx = c->ctx;
    char path[600];
    snprintf(path, sizeof path, "%s/dated", fx->dir);
    xc_wdb *w = NULL;
    int rc = xc_wdb_open(&w, path, XC_WDB_CREATE_OR_OVERWRITE, NULL);
    CHECK(c, rc == 0);
    for (int i = 0; rc == 0 && i < 60; i++) {
        char id[32], date[32];
        snprintf(id, sizeof id, "dag/%02d", i);
        snprintf(date, sizeof date, "%04d-%02d-01", 2001 + i / 12, i % 12 + 1);
        struct doc d = {.id = id, .title = "Seminarium", .body = "Om bidrag.",
                        .type = "seminarium", .date = date};
        enum iw_result r;
        rc = iw_put(&r, w, fx->an, &d, NULL);
    }
    CHECK(c, rc == 0 && xc_wdb_commit(w, NULL) == 0);
    xc_wdb_free(w);
    xc_db *db = NULL;
    struct facet_table facets = {0};
    CHECK(c, xc_db_open(&db, path, NULL) == 0 && facets_load(&facets, db) == 0);
    struct search_ctx ctx = {.an = fx->an, .db = db, .facets = &facets,
                             .sampled = search_index_sampled(db, NULL) == 1};
    for (unsigned page = 1; db && page <= 3; page++) {
        struct search_request req = {.q = "", .page = page, .size = 10, .type = "seminarium"};
        struct search_result r;
        CHECK(c, search_run(&r, &ctx, &req, NULL) == 0);
        CHECK(c, r.total == 60 && json_array_size(r.hits) == 10);
        for (size_t k = 0; k < json_array_size(r.hits); k++) {
            char want[32];
            snprintf(want, sizeof want, "dag/%02u", 59 - 10 * (page - 1) - (unsigned)k);
            const char *got = json_string_value(json_object_get(json_array_get(r.hits, k), "id"));
            CHECK(c, got && strcmp(got, want) == 0);
            if (!got || strcmp(got, want) != 0)
                fprintf(stderr, "  page %u hit %zu: %s, not %s\n", page, k, got ? got : "-", want);
        }
        search_result_dispose(&r);
    }
    facets_dispose(&facets);
    xc_db_free(db);
}

int main(void)
{
    struct check c = {0};
    struct fixture f = {0};
    struct lexicon *lex = NULL;
    if (tmpdir_make(f.dir, sizeof f.dir) < 0)
        return 1;
    if (full_analyzer_new(&f.an, &lex) < 0 || build(&f) < 0 || open_index(&f) < 0) {
        fprintf(stderr, "test_search: cannot build the test index\n");
        tmpdir_remove(f.dir);
        return 1;
    }
    c.ctx = &f;
    RUN(&c, test_every_document_carries_its_samples);
    RUN(&c, test_up_to_the_bound_total_and_facets_are_exact);
    RUN(&c, test_past_the_bound_facets_come_from_a_uniform_sample);
    RUN(&c, test_past_the_bound_the_counted_matches_stay_exact);
    RUN(&c, test_a_tiny_bound_still_samples_some_facets);
    RUN(&c, test_a_filter_applies_to_counting_and_sample);
    RUN(&c, test_a_kept_text_buffer_gives_the_same_hits);
    RUN(&c, test_a_search_counted_apart_answers_as_one_counted_first);
    RUN(&c, test_facets_counted_together_equal_their_own_slots);
    RUN(&c, test_an_index_without_samples_is_counted_whole);
    RUN(&c, test_without_words_the_newest_come_first);
    facets_dispose(&f.facets);
    xc_db_free(f.db);
    full_analyzer_free(f.an, lex);
    tmpdir_remove(f.dir);
    return check_report(&c, "test_search");
}
