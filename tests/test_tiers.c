/* test_tiers.c: impact tiers (tier.h) on a real index. A document gets a
 * tier term for a stem it holds often enough for its length (as a word, a
 * compound part or in its title), at a level its impact sets, and the
 * marker; an index of the plain
 * analysis, or one with a document written without tiers, is not tiered;
 * and over pages of words drawn with Zipf's law, at lengths from a line to a
 * long page, every query's page of hits ranked among the tiers first is the
 * page ranking every match gives, hit for hit and score for score, with
 * filters, exclusions, phrases, OR, title: and later pages, both where the
 * tiers settle the page (two words in their staircase too) and where they
 * cannot and every match is ranked, also over the index served as a
 * remote shard by xapian-tcpsrv, and with the attempts of plain words
 * weighed and their matches counted from posting lists held in memory
 * (in a cache that keeps them and in one that keeps almost none), the
 * same totals and facets too, and past a small bound the same matches
 * counted before the sample; no match outside an attempt's
 * tiers weighs more than its bound; and one word ranks first the level
 * holding its share of the target, then the level below it. */
#include "analysis.h"
#include "check.h"
#include "facets.h"
#include "full_analyzer.h"
#include "index_write.h"
#include "query.h"
#include "relay.h"
#include "schema.h"
#include "search.h"
#include "support.h"
#include "tier.h"
#include "tier_plan.h"
#include "posting_cache.h"
#include "buf.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NDOCS 1200

struct fixture {
    char dir[256];
    char path[512];
    struct analyzer *an;
    xc_db *db;
    struct facet_table facets;
    struct posting_cache *postings;   /* NULL: each attempt ranked by Xapian */
    int in_memory;                    /* the last tiered page was weighed there */
    int counted_in_memory;            /* and the last search counted there */
};

/* Words of the pages, commonest first: nouns with their inflections and
 * compounds, so that stems gather wdf from several forms and parts. */
static const char *const words[] = {
    "bostad", "bostäder", "bostaden", "bidrag", "bidraget", "skola", "skolan", "skolor",
    "kommun", "kommunen", "kommuner", "segregation", "rapport", "rapporten", "rapporter",
    "bostadsbidrag", "skolresultat", "stad", "staden", "städer", "arbete", "arbetet",
    "arbetsmarknad", "utbildning", "utbildningen", "förort", "förorten", "område",
    "området", "områden", "boende", "boendet", "hyra", "hyran", "hyresrätt", "ungdom",
    "ungdomar", "ungdomarna", "familj", "familjen", "familjer", "integration", "språk",
    "språket", "förskola", "förskolan", "fritid", "fritidsgård", "trygghet", "tryggheten",
    "polis", "polisen", "föreningsliv", "förening", "föreningen", "bibliotek", "biblioteket",
    "kultur", "kulturen", "idrott", "idrotten", "hälsa", "hälsan", "vård", "vården",
};
#define NWORDS (sizeof words / sizeof words[0])

static unsigned long long rng = 88172645463325252ULL;

static unsigned next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng >> 11);
}

/* A word drawn with Zipf's law over the list. */
static const char *zipf_word(void)
{
    static double cum[NWORDS];
    static double total;
    if (total == 0)
        for (size_t i = 0; i < NWORDS; i++)
            cum[i] = total += 1.0 / (double)(i + 1);
    double x = (double)(next_rand() % 1000000) / 1e6 * total;
    for (size_t i = 0; i < NWORDS; i++)
        if (x < cum[i])
            return words[i];
    return words[NWORDS - 1];
}

/* Page i: a title of two words, a body of 3 to 600 words (most short, some
 * long: the lengths BM25 normalises by), typed "nyhet" or "rapport". */
static int build(struct fixture *fx, enum an_mode mode)
{
    xc_wdb *w = NULL;
    xc_error xe = {0};
    struct analyzer *an = fx->an, *plain = NULL;
    if (mode == AN_PLAIN && an_new(&plain, AN_PLAIN, NULL, NULL) < 0)
        return -1;
    if (plain)
        an = plain;
    snprintf(fx->path, sizeof fx->path, "%s/%s", fx->dir, mode == AN_PLAIN ? "plain" : "index");
    if (xc_wdb_open(&w, fx->path, XC_WDB_CREATE_OR_OVERWRITE, &xe) < 0) {
        an_free(plain);
        return -1;
    }
    size_t cap = 8192;
    char *body = malloc(cap), title[128], id[32];
    int rc = body ? 0 : -1;
    for (int i = 0; rc == 0 && i < NDOCS; i++) {
        unsigned r = next_rand() % 100;
        unsigned len = r < 60 ? 3 + next_rand() % 30 : r < 90 ? 30 + next_rand() % 150
                                                           : 200 + next_rand() % 400;
        size_t at = 0;
        for (unsigned k = 0; k < len && at + 40 < cap; k++)
            at += (size_t)snprintf(body + at, cap - at, "%s%s", k ? " " : "", zipf_word());
        snprintf(title, sizeof title, "%s och %s", zipf_word(), zipf_word());
        snprintf(id, sizeof id, "sida/%04d", i);
        struct doc d = {.id = id, .title = title, .body = body,
                        .type = i % 4 == 0 ? "rapport" : "nyhet"};
        enum iw_result res;
        rc = iw_put(&res, w, an, &d, &xe);
    }
    if (rc == 0)
        rc = xc_wdb_commit(w, &xe);
    if (rc != 0)
        fprintf(stderr, "  build: %s\n", xe.message);
    free(body);
    xc_wdb_free(w);
    an_free(plain);
    return rc;
}

static int open_index(struct fixture *fx)
{
    return xc_db_open(&fx->db, fx->path, NULL) < 0 || facets_load(&fx->facets, fx->db) < 0
               ? -1
               : 0;
}

/* The terms of document d that begin with prefix, as "term:wdf " runs. */
static int gather(void *ctx, const char *term, size_t len, unsigned wdf)
{
    char *out = ctx;
    size_t at = strlen(out);
    if (at + len + 16 < 4096)
        snprintf(out + at, 4096 - at, "%.*s:%u ", (int)len, term, wdf);
    return 0;
}

static void test_a_document_has_a_tier_for_the_stems_it_holds_often(struct check *c)
{
    struct fixture *fx = c->ctx;
    xc_doc *xd = NULL;
    char hash[17], terms[4096] = "";
    /* A short page (BM25's K at its floor, 0.75): "bidrag" four times, a
     * ratio wdf / K of 5.33, level 5 ('F': 2.63 * 1.15^5 = 5.29 <= 5.33 <
     * 6.08); "kultur" twice as a word and twice as a compound's part
     * (kulturhus, kulturskola): the same; "polis" in the title (counted
     * four times): the same; "skola" once, a ratio of 1.33: under level 0
     * (2.63), none. A word no dictionary lists, with an å, four times: its
     * key without diacritics (F) the same, as XU. The own levels (XW): of
     * the mean of the impacts of Z + C and of Z alone, "bidrag" and "polis"
     * as a word only: the same level; "kultur" twice as a word, a ratio
     * of 2.67: the mean of 0.842 and 0.727, 0.785, level 2 ('C': 0.777
     * <= 0.785 < 0.8). */
    struct doc d = {.id = "t", .title = "Polisen",
                    .body = "Bidrag och bidraget, bidragen, bidrag. Skolan. "
                            "Kultur och kulturen i kulturhuset och kulturskolan. "
                            "Grusgårdsfik, grusgårdsfik, grusgårdsfik, grusgårdsfik."};
    CHECK(c, schema_build(&xd, hash, fx->an, NULL, NULL, &d, NULL, NULL) == 0);
    static const char *const prefix[2] = {TIER_PREFIX, TIER_OWN_PREFIX};
    static const char *const expect[2][4] = {
            {"XK:0 ", "XKFbidrag:0 ", "XKFpolis:0 ", "XKFkultur:0 "},
            {"XW:0 ", "XWFbidrag:0 ", "XWFpolis:0 ", "XWCkultur:0 "}};
    for (int k = 0; k < 2; k++) {
        CHECK(c, xd && xc_doc_each_term(xd, prefix[k], gather, terms, NULL) == 0);
        for (int j = 0; j < 4; j++)
            CHECK_CONTAINS(c, terms, expect[k][j]);
        CHECK(c, strstr(terms, "skol") == NULL);
        terms[0] = '\0';
    }
    CHECK(c, xd && xc_doc_each_term(xd, SCHEMA_UNACCENT, gather, terms, NULL) == 0);
    CHECK_CONTAINS(c, terms, "Fgrusgardsfik:4 ");
    terms[0] = '\0';
    CHECK(c, xd && xc_doc_each_term(xd, TIER_UNACCENT_PREFIX, gather, terms, NULL) == 0);
    CHECK(c, strcmp(terms, "XUFgrusgardsfik:0 ") == 0);
    terms[0] = '\0';
    /* Each stem's word and compound-part occurrences as one term: "kultur"
     * twice as a word and twice as a part, 4; the marker alone. */
    CHECK(c, xd && xc_doc_each_term(xd, SCHEMA_STEM_ALL, gather, terms, NULL) == 0);
    static const char *const all[] = {"D:0 ", "Dbidrag:4 ", "Dkultur:4 ", "Dpolis:4 "};
    for (size_t j = 0; j < sizeof all / sizeof all[0]; j++)
        CHECK_CONTAINS(c, terms, all[j]);
    xc_doc_free(xd);
    /* A page three times TIER_AVGLEN_ALL long, its stems' D terms in the
     * length (K = 2): "bidrag" four times is a ratio of 2, under level 0
     * (2.63); nine times, from 4.43 to 4.5 (the page a few terms longer),
     * level 3 ('D': 4.0 <= 4.43 < 4.6). */
    struct buf body = BUF_INIT;
    CHECK(c, buf_puts(&body, "Bidrag, bidrag, bidrag och bidrag. ") == 0);
    xd = NULL;
    unsigned long len = 0;
    for (int i = 0; i < 4000 && len < 3 * TIER_AVGLEN_ALL; i++) {
        CHECK(c, buf_printf(&body, "ord%d ", i) == 0);
        if (i % 5 == 4) {   /* its length as schema_build makes it */
            d.body = body.data;
            xc_doc_free(xd);
            xd = NULL;
            CHECK(c, schema_build(&xd, hash, fx->an, NULL, NULL, &d, NULL, NULL) == 0);
            CHECK(c, xd && xc_doc_length(xd, &len, NULL) == 0);
        }
    }
    terms[0] = '\0';
    CHECK(c, xd && xc_doc_each_term(xd, TIER_PREFIX, gather, terms, NULL) == 0);
    CHECK(c, len >= 3 * TIER_AVGLEN_ALL && len < 3 * TIER_AVGLEN_ALL + 20);
    CHECK(c, strstr(terms, "bidrag") == NULL);
    xc_doc_free(xd);
    xd = NULL;
    CHECK(c, buf_puts(&body, " Bidrag, bidrag, bidrag, bidrag och bidrag.") == 0);
    d.body = body.data;
    terms[0] = '\0';
    CHECK(c, schema_build(&xd, hash, fx->an, NULL, NULL, &d, NULL, NULL) == 0);
    CHECK(c, xd && xc_doc_length(xd, &len, NULL) == 0 && len < 3 * TIER_AVGLEN_ALL + 40);
    CHECK(c, xd && xc_doc_each_term(xd, TIER_PREFIX, gather, terms, NULL) == 0);
    CHECK_CONTAINS(c, terms, "XKDbidrag:0 ");
    xc_doc_free(xd);
    buf_dispose(&body);
}

static void test_only_a_fully_tiered_index_is_ranked_by_tiers(struct check *c)
{
    struct fixture *fx = c->ctx;
    CHECK(c, tier_index_ready(fx->db, NULL) == TIER_READY_ALL);
    /* The plain analysis writes no tiers. */
    struct fixture plain = *fx;
    xc_db *pdb = NULL;
    CHECK(c, build(&plain, AN_PLAIN) == 0);
    CHECK(c, xc_db_open(&pdb, plain.path, NULL) == 0);
    CHECK(c, pdb && tier_index_ready(pdb, NULL) == 0);
    xc_db_free(pdb);
    /* A document added without them (an indexer from before) makes the
     * whole index untiered until it is rebuilt. */
    char copy[600];
    snprintf(copy, sizeof copy, "%s/mixed", fx->dir);
    xc_wdb *w = NULL;
    xc_doc *xd = NULL;
    xc_db *mdb = NULL;
    CHECK(c, xc_wdb_open(&w, copy, XC_WDB_CREATE_OR_OVERWRITE, NULL) == 0);
    char hash[17];
    struct doc d = {.id = "a", .title = "Bidrag", .body = "Bidrag, bidrag och bidrag."};
    CHECK(c, schema_build(&xd, hash, fx->an, NULL, NULL, &d, NULL, NULL) == 0);
    CHECK(c, xc_wdb_replace_by_term(w, "Qa", xd, NULL) == 0);
    xc_doc_free(xd);
    xd = NULL;
    CHECK(c, xc_doc_new(&xd, NULL) == 0 && xc_doc_add_term(xd, "Zbidrag", 3, NULL) == 0);
    CHECK(c, xc_wdb_replace_by_term(w, "Qb", xd, NULL) == 0);
    xc_doc_free(xd);
    CHECK(c, xc_wdb_commit(w, NULL) == 0);
    xc_wdb_free(w);
    CHECK(c, xc_db_open(&mdb, copy, NULL) == 0);
    CHECK(c, mdb && tier_index_ready(mdb, NULL) == 0);
    xc_db_free(mdb);
    mdb = NULL;
    /* One with the stems' levels and without the words' own (an indexer
     * from before those): the index is tiered by the stems' levels. With
     * the own levels too, but no D terms (an indexer from before those): a
     * word's group reads Z and C. */
    static const char *const markers[2][2] = {{TIER_PREFIX, NULL},
                                              {TIER_PREFIX, TIER_OWN_PREFIX}};
    static const int ready[2] = {TIER_READY, TIER_READY_OWN};
    for (int k = 0; k < 2; k++) {
        CHECK(c, xc_wdb_open(&w, copy, XC_WDB_OPEN, NULL) == 0);
        xd = NULL;
        CHECK(c, xc_doc_new(&xd, NULL) == 0 && xc_doc_add_term(xd, "Zbidrag", 3, NULL) == 0);
        for (int j = 0; j < 2 && markers[k][j]; j++)
            CHECK(c, xc_doc_add_boolean_term(xd, markers[k][j], NULL) == 0);
        CHECK(c, xc_wdb_replace_by_term(w, "Qb", xd, NULL) == 0);
        xc_doc_free(xd);
        CHECK(c, xc_wdb_commit(w, NULL) == 0);
        xc_wdb_free(w);
        mdb = NULL;
        CHECK(c, xc_db_open(&mdb, copy, NULL) == 0);
        CHECK(c, mdb && tier_index_ready(mdb, NULL) == ready[k]);
        CHECK(c, mdb && tier_index_tiered(mdb) == ready[k]);
        xc_db_free(mdb);
    }
}

/* The page of req ranked with the tiers over db (the index, or the same
 * served as a remote shard: facets then NULL, counted by value, from the
 * facets' slot together when together) and without them over the index:
 * equal, hit for hit and score for score. Returns the attempt whose tiers
 * ranked it (0: none; -1: failed). */
static int same_page_over(struct check *c, struct search_request *req, double target, xc_db *db,
                          const struct facet_table *facets, int together, int tiered)
{
    struct fixture *fx = c->ctx;
    /* Tried on every query, whatever its tiers hold. */
    struct search_ctx ctx = {fx->an, db, NULL, facets, 1, 0, NULL, NULL, NULL, tiered, 1, 1.0,
                             target, NULL, 0, together, fx->postings};
    struct search_result a, b;
    lib_error err = {0};
    if (search_run(&a, &ctx, req, &err) != 0) {
        fprintf(stderr, "  %s: %s\n", req->q, err.message);
        CHECK(c, !"search with tiers");
        return -1;
    }
    /* Every match ranked, by the same query (its shape goes by tiered). */
    ctx.db = fx->db;
    ctx.facets = &fx->facets;
    ctx.tier_min_matches = UINT_MAX;
    if (search_run(&b, &ctx, req, &err) != 0) {
        search_result_dispose(&a);
        CHECK(c, !"search without tiers");
        return -1;
    }
    /* The counts too: counted from the lists in memory when they are. */
    int same = a.total == b.total && a.total_exact == b.total_exact &&
               json_equal(a.facets, b.facets) && json_array_size(a.hits) == json_array_size(b.hits);
    for (size_t i = 0; same && i < json_array_size(a.hits); i++) {
        json_t *x = json_array_get(a.hits, i), *y = json_array_get(b.hits, i);
        same = strcmp(json_string_value(json_object_get(x, "id")),
                      json_string_value(json_object_get(y, "id"))) == 0 &&
               json_real_value(json_object_get(x, "score")) ==
                   json_real_value(json_object_get(y, "score"));
    }
    if (!same)
        fprintf(stderr, "  %s (page %u): the tiers' page differs\n", req->q, req->page);
    CHECK(c, same);
    CHECK(c, !b.ranked_in_tiers);
    CHECK(c, !a.ranked_in_memory || fx->postings);
    fx->in_memory = a.ranked_in_memory;
    fx->counted_in_memory = a.counted_in_memory;
    CHECK(c, !b.counted_in_memory && (!a.counted_in_memory || fx->postings));
    int tiers = a.ranked_in_tiers;
    search_result_dispose(&a);
    search_result_dispose(&b);
    return tiers;
}

/* With the stems' D terms (TIER_READY_ALL), as an index written before
 * them is searched (TIER_READY_OWN: Z and C, the impacts taken as cut at
 * TIER_AVGLEN), or, before the words' own levels, their stems' alone
 * (TIER_READY). */
static int same_page(struct check *c, struct search_request *req, double target, int tiered)
{
    struct fixture *fx = c->ctx;
    return same_page_over(c, req, target, fx->db, &fx->facets, 0, tiered);
}

/* Two words and nothing else: attempt 0 ranks their staircase. */
static int two_words(const char *q)
{
    const char *space = strchr(q, ' ');
    return space && !strchr(space + 1, ' ') && !strpbrk(q, "\"-:");
}

static const char *const tier_queries[] = {
        "bostad", "bidrag", "skolan", "kommuner", "segregation", "rapporter", "bostadsbidrag",
        "stad", "arbete", "utbildning", "förorter", "områden", "boende", "hyra", "ungdomar",
        "familj", "integration", "språk", "förskola", "trygghet", "polis", "kultur", "vård",
        "bostad bidrag", "skola kommun", "rapport segregation", "stad arbete", "hyra boende",
        "bostad -skola", "bidrag type:rapport", "\"bostad bidrag\"", "bostad OR kultur",
        "title:bostad", "bostader", "skolresultat kommun", "bostäder och skolor",
        "ungdomar fritid", "idrott hälsa", "biblioteket kultur", "vården hälsan",
        "fritidsgård", "hyresrätt", "föreningsliv", "fritidsgard", "hyresratt bostad",
        "kommun skola", "bostad kommun", "stad kommun", "boende kommun", "arbete kommun"};

/* A query of its words alone, ANDed: no filter, exclusion, phrase, OR or
 * field. */
static int plain_words(const char *q)
{
    return !strpbrk(q, "\"-:") && !strstr(q, " OR ");
}

/* The modes: the index's three kinds of tiers, then the D terms with each
 * attempt weighed from the lists in memory, in a cache roomy enough to
 * keep them and in one that keeps almost none (its lists dropped while
 * searches hold others, the larger never kept). */
static void test_the_tiers_give_the_page_every_match_gives(struct check *c)
{
    struct fixture *fx = c->ctx;
    static const size_t budgets[] = {0, 64u << 20, 16u << 10};
    for (int mode = TIER_READY; mode <= TIER_READY_ALL + 2; mode++) {
        int ready = mode > TIER_READY_ALL ? TIER_READY_ALL : mode;
        size_t budget = mode > TIER_READY_ALL ? budgets[mode - TIER_READY_ALL] : 0;
        unsigned tiered = 0, whole = 0, lower = 0, stairs = 0, in_memory = 0, plain = 0;
        unsigned counted = 0;
        if (budget && posting_cache_new(&fx->postings, budget, NULL, NULL) < 0) {
            CHECK(c, !"a posting cache");
            return;
        }
        /* Each query once first: a list is read on its second ask. */
        for (size_t i = 0; budget && i < sizeof tier_queries / sizeof tier_queries[0]; i++) {
            struct search_request req = {.q = tier_queries[i], .page = 1, .size = 10};
            same_page(c, &req, 0, ready);
        }
        for (size_t i = 0; i < sizeof tier_queries / sizeof tier_queries[0]; i++)
            for (unsigned page = 1; page <= 3; page += 2) {
                struct search_request req = {.q = tier_queries[i], .page = page, .size = 10};
                int t = same_page(c, &req, 0, ready);
                tiered += t > 0;
                lower += t > 1;
                whole += t == 0;
                stairs += t == 1 && two_words(tier_queries[i]);
                in_memory += fx->in_memory;
                counted += fx->counted_in_memory;
                plain += plain_words(tier_queries[i]);
                /* Only a query of plain words is weighed or counted in
                 * memory. */
                CHECK(c, !fx->in_memory || plain_words(tier_queries[i]));
                CHECK(c, !fx->counted_in_memory || plain_words(tier_queries[i]));
            }
        /* Both ways were taken: the tiers settled some pages, and for
         * others (short pages outside the tiers weigh more) every match
         * was ranked. */
        fprintf(stderr, "  %s: %u pages ranked in the tiers (%u at the lower levels, %u of two "
                "words in their staircase, %u weighed in memory), %u over every match; "
                "%u counted in memory\n",
                budget                    ? "D terms, lists in memory"
                : ready == TIER_READY_ALL ? "D terms"
                : ready == TIER_READY_OWN ? "own levels"
                                          : "stems' levels",
                tiered, lower, stairs, in_memory, whole, counted);
        CHECK(c, tiered >= 10);
        CHECK(c, stairs >= 2);
        CHECK(c, lower >= 3);
        CHECK(c, whole >= 5);
        /* With the lists in memory every page of plain words was weighed
         * there (in its tiers, or every match when they did not settle it)
         * and its matches counted there; a cache too small to keep the
         * lists refuses those asked for less often than the ones it holds,
         * and those searches are weighed and counted by Xapian. */
        if (budget == budgets[1]) {
            CHECK(c, in_memory == plain && counted == plain && plain >= 10);
        } else {
            CHECK(c, budget ? in_memory > 0 && in_memory < plain : in_memory == 0);
            CHECK(c, budget ? counted > 0 : counted == 0);
        }
        if (budget) {
            struct posting_cache_stats st;
            posting_cache_stats(fx->postings, &st);
            fprintf(stderr, "    the cache holds %zu lists, %zu bytes, after %lu reads and %lu "
                    "refused\n", st.lists, st.bytes, st.reads, st.refused);
            CHECK(c, st.bytes <= budget && st.refused > 0);   /* first asks, or no room */
        }
        posting_cache_free(fx->postings);
        fx->postings = NULL;
    }
}

/* req searched with the lists in memory (fx->postings) into a and without
 * into b, counted up to limit (0: the default), the tiers tried from
 * tier_min matches (0: the default). */
static void with_and_without_lists(struct check *c, const struct search_request *req,
                                   unsigned limit, unsigned tier_min, struct search_result *a,
                                   struct search_result *b)
{
    struct fixture *fx = c->ctx;
    struct search_ctx ctx = {fx->an, fx->db, NULL, &fx->facets, 1, limit, NULL, NULL, NULL,
                             TIER_READY_ALL, tier_min, tier_min ? 1.0 : 0, 0, NULL, 0, 0,
                             fx->postings};
    CHECK(c, search_run(a, &ctx, req, NULL) == 0);
    ctx.postings = NULL;
    CHECK(c, search_run(b, &ctx, req, NULL) == 0);
}

/* Past a small bound, a count in memory counts the same first matches in
 * id order as Xapian's and samples the rest: the same counted, neither
 * exact, its total an estimate close to Xapian's. */
static void test_a_count_in_memory_stops_at_the_bound_as_xapians_does(struct check *c)
{
    struct fixture *fx = c->ctx;
    static const char *const qs[] = {"bostad", "kommun", "skola kommun", "bostad bidrag"};
    unsigned sampled = 0;
    CHECK(c, posting_cache_new(&fx->postings, 64u << 20, NULL, NULL) == 0);
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        struct search_request req = {.q = qs[i], .page = 1, .size = 10};
        struct search_result a, b;
        with_and_without_lists(c, &req, 40, 1, &a, &b);   /* its lists read */
        search_result_dispose(&a);
        search_result_dispose(&b);
        with_and_without_lists(c, &req, 40, 1, &a, &b);
        CHECK(c, a.counted_in_memory && !b.counted_in_memory);
        CHECK(c, a.total_counted == b.total_counted && a.total_exact == b.total_exact);
        CHECK(c, a.facets_exact == b.facets_exact);
        if (!b.total_exact) {
            sampled++;
            CHECK(c, a.total >= a.total_counted && a.total <= 2 * b.total && b.total <= 2 * a.total);
        } else {
            CHECK(c, a.total == b.total && json_equal(a.facets, b.facets));
        }
        search_result_dispose(&a);
        search_result_dispose(&b);
    }
    CHECK(c, sampled >= 2);
    posting_cache_free(fx->postings);
    fx->postings = NULL;
}

/* A search with too few matches for the tiers (fewer than
 * SEARCH_TIER_MIN_MATCHES) but SEARCH_MEMORY_MIN_MATCHES or more is
 * weighed and counted from the lists in memory, every match: the same page
 * and counts as Xapian's. */
static void test_a_search_below_the_tiers_is_weighed_in_memory(struct check *c)
{
    struct fixture *fx = c->ctx;
    static const char *const qs[] = {"bostad", "kommun", "skola kommun", "bostad bidrag",
                                     "segregation", "bostad -skola"};
    unsigned in_memory = 0;
    CHECK(c, posting_cache_new(&fx->postings, 64u << 20, NULL, NULL) == 0);
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++)
        for (unsigned page = 1; page <= 3; page += 2) {
            struct search_request req = {.q = qs[i], .page = page, .size = 10};
            struct search_result a, b;
            if (page == 1) {   /* its lists read: a list is read on its second ask */
                with_and_without_lists(c, &req, 0, 0, &a, &b);
                search_result_dispose(&a);
                search_result_dispose(&b);
            }
            with_and_without_lists(c, &req, 0, 0, &a, &b);
            int same = a.total == b.total && json_equal(a.facets, b.facets) &&
                       json_equal(a.hits, b.hits);
            if (!same)
                fprintf(stderr, "  %s (page %u): the page weighed in memory differs\n", qs[i],
                        page);
            CHECK(c, same);
            CHECK(c, !a.ranked_in_tiers && !b.ranked_in_memory);
            CHECK(c, a.ranked_in_memory == (a.total >= SEARCH_MEMORY_MIN_MATCHES &&
                                            plain_words(qs[i])));
            in_memory += a.ranked_in_memory;
            search_result_dispose(&a);
            search_result_dispose(&b);
        }
    CHECK(c, in_memory >= 2);
    posting_cache_free(fx->postings);
    fx->postings = NULL;
}

/* A stub dir/name.stub naming one remote shard at port into stub: 1, or 0
 * when it could not be written. */
static int remote_stub(char *stub, size_t len, const char *dir, const char *name, unsigned port)
{
    snprintf(stub, len, "%s/%s.stub", dir, name);
    FILE *f = fopen(stub, "w");
    int ok = f && fprintf(f, "remote 127.0.0.1:%u\n", port) > 0;
    return f && fclose(f) == 0 && ok;
}

/* The index served by xapian-tcpsrv and searched as a remote shard: its
 * tiers (their levels' frequencies asked in one round trip) settle pages
 * as the local index's do, the same hits and scores as ranking every
 * match of the local index, equal weights ordered by the static rank. */
static void test_a_remote_shard_ranks_its_tiers_as_a_local_index(struct check *c)
{
    struct fixture *fx = c->ctx;
    char stub[600], log[600];
    unsigned port = free_port();
    snprintf(log, sizeof log, "%s/tcpsrv.log", fx->dir);
    int ok = remote_stub(stub, sizeof stub, fx->dir, "remote", port);
    pid_t srv = ok ? tcpsrv_start(fx->path, port, 0, log) : -1;
    xc_db *remote = NULL;
    CHECK(c, srv > 0 && xc_db_open(&remote, stub, NULL) == 0);
    int together = remote && facets_index_together(remote, NULL) == 1;
    CHECK(c, together);
    unsigned tiered = 0, asked = 0;
    for (size_t i = 0; remote && i < sizeof tier_queries / sizeof tier_queries[0]; i++)
        for (unsigned page = 1; page <= 3; page += 2) {
            struct search_request req = {.q = tier_queries[i], .page = page, .size = 10};
            tiered += same_page_over(c, &req, 0, remote, NULL, together, TIER_READY_ALL) > 0;
            asked++;
        }
    fprintf(stderr, "  over a remote shard: %u of %u pages ranked in the tiers\n", tiered,
            asked);
    CHECK(c, tiered >= 10);
    xc_db_free(remote);
    tcpsrv_kill(srv);
}

/* Over a remote shard each frequency asked alone is a round trip: a
 * search's words have theirs asked all at once as its query is built (and
 * its tiers' levels theirs at once too), so a search of words the index
 * knows sends the shard no message asking one term's frequency (Xapian's
 * type 4), counted by a relay between the reader and xapian-tcpsrv; its
 * pages are the local index's. */
#define MSG_TERMFREQ 4
#define MSG_QUERY 8
static void test_a_remote_search_asks_no_term_alone(struct check *c)
{
    struct fixture *fx = c->ctx;
    char stub[600], log[600];
    unsigned port = free_port(), front = free_port();
    snprintf(log, sizeof log, "%s/relay.log", fx->dir);
    int ok = remote_stub(stub, sizeof stub, fx->dir, "relayed", front);
    pid_t srv = ok ? tcpsrv_start(fx->path, port, 0, NULL) : -1;
    pid_t relay = srv > 0 ? relay_start(front, port, log) : -1;
    xc_db *remote = NULL;
    CHECK(c, relay > 0 && xc_db_open(&remote, stub, NULL) == 0);
    int together = remote && facets_index_together(remote, NULL) == 1;
    static const char *const queries[] = {"bostad bidrag", "skolresultat kommun", "segregation",
                                          "hyra boende", "kommun skola", "bostäder och skolor"};
    FILE *f = fopen(log, "w");   /* what opening the index sent is not counted */
    CHECK(c, f && fclose(f) == 0);
    for (size_t i = 0; remote && i < sizeof queries / sizeof queries[0]; i++) {
        struct search_request req = {.q = queries[i], .page = 1, .size = 10};
        same_page_over(c, &req, 0, remote, NULL, together, TIER_READY_ALL);
    }
    long alone = relay_messages(log, MSG_TERMFREQ), matches = relay_messages(log, MSG_QUERY);
    fprintf(stderr, "  %ld frequencies asked alone, %ld matches, %ld messages in all\n", alone,
            matches, relay_messages(log, -1));
    CHECK(c, matches >= (long)(sizeof queries / sizeof queries[0]));
    CHECK(c, alone == 0);
    xc_db_free(remote);
    relay_stop(relay);
    tcpsrv_kill(srv);
}

/* The weight of q's n-th best match over the whole index (0: fewer). */
static double nth_weight(struct check *c, const xc_query *q, unsigned n)
{
    struct fixture *fx = c->ctx;
    xc_enquire *e = NULL;
    xc_mset *m = NULL;
    double w = 0;
    if (xc_enquire_new(&e, fx->db, NULL) == 0 && xc_enquire_set_query(e, q, NULL) == 0 &&
        xc_enquire_get_mset(e, 0, n, 0, &m, NULL) == 0 && xc_mset_size(m) == n)
        w = xc_mset_weight(m, n - 1);
    xc_mset_free(m);
    xc_enquire_free(e);
    return w;
}

/* Attempt a's tiers of qr (below as search.c passes it) against Xapian's
 * own weights: no match outside weighs more than the bound, up to
 * rounding, as search.c allows for. Keeps the heaviest such match's share
 * of the bound in *closest. */
static void check_bound(struct check *c, struct query_result *qr, const char *text, int a,
                        double target, double below, double *closest, unsigned *checked)
{
    struct fixture *fx = c->ctx;
    xc_query *tier = NULL, *rest = NULL;
    double bound = 0, share = 0;
    CHECK(c, tier_plan_query(&tier, &bound, &share, qr->tier, NDOCS, target, a, below, NULL) ==
                 0);
    /* An attempt that takes below holds every match weighing below or
     * more; the others do not change with it. */
    if (below > 0 && tier) {
        xc_query *blind = NULL;
        double blind_bound = 0, blind_share = 0;
        CHECK(c, tier_plan_query(&blind, &blind_bound, &blind_share, qr->tier, NDOCS, target, a, 0,
                                 NULL) == 0);
        CHECK(c, bound < below || (blind && blind_bound == bound));
        xc_query_free(blind);
    }
    xc_query *pair[2] = {qr->query, tier};
    xc_enquire *e = NULL;
    xc_mset *m = NULL;
    if (tier && xc_query_new_combine(&rest, XC_OP_AND_NOT, pair, 2, NULL) == 0 &&
        xc_enquire_new(&e, fx->db, NULL) == 0 && xc_enquire_set_query(e, rest, NULL) == 0 &&
        xc_enquire_get_mset(e, 0, 1, 0, &m, NULL) == 0 && xc_mset_size(m) == 1) {
        double w = xc_mset_weight(m, 0);
        if (w > bound * (1 + 1e-9))
            fprintf(stderr, "  %s (attempt %d, target %g, below %.6f): a match outside the "
                    "tiers weighs %.6f, the bound %.6f\n", text, a, target, below, w, bound);
        CHECK(c, w <= bound * (1 + 1e-9));
        *closest = w / bound > *closest ? w / bound : *closest;
        (*checked)++;
    }
    xc_mset_free(m);
    xc_enquire_free(e);
    xc_query_free(rest);
    xc_query_free(tier);
}

/* Two words' staircase at thresholds from its top down (the first attempt
 * aiming at 1 to 4,096 matches): every page it settles is the page of
 * every match. (In so small an index few pairs of words are expected at a
 * level of both often enough for a staircase to be tried; the 2,600
 * searches of bench_xapian's compare over 200,000 generated pages are
 * where a staircase that leaves out a step shows.) */
static void test_a_staircase_gives_the_page_every_match_gives(struct check *c)
{
    static const char *const queries[] = {"bostad bidrag", "skola kommun", "stad arbete",
                                          "hyra boende", "kommun skola", "bostad kommun",
                                          "stad kommun", "boende kommun", "arbete kommun",
                                          "rapport segregation", "ungdomar fritid"};
    unsigned stairs = 0, tried = 0;
    for (int ready = TIER_READY; ready <= TIER_READY_ALL; ready++)
        for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++)
            for (double target = 1; target <= 4096; target *= 2) {
                struct search_request req = {.q = queries[i], .page = 1, .size = 10};
                stairs += same_page(c, &req, target, ready) == 1;
                tried++;
            }
    fprintf(stderr, "  %u of %u pages settled by a staircase\n", stairs, tried);
    CHECK(c, stairs >= 5);
}

/* The bound holds against Xapian's own weights at every attempt, aiming
 * at 0.01 to 1,024 matches, and, given the weight of the 1st, 2nd, 4th, …
 * best match as the least the page's last weighs, under it: no match outside
 * the tiers weighs more than it, and the best of them comes near enough
 * that the bound is not loose beyond use. */
static void test_no_match_outside_the_tiers_weighs_more_than_the_bound(struct check *c)
{
    struct fixture *fx = c->ctx;
    static const char *const queries[] = {"bostad", "bidrag", "kommuner", "rapport",
                                          "bostad bidrag", "hyra boende", "skolresultat",
                                          "kultur", "ungdomar fritid", "vård", "fritidsgård",
                                          "hyresratt", "skola kommun", "stad arbete",
                                          "boende kommun", "rapport segregation"};
    double closest = 0;
    unsigned checked = 0;
    for (size_t k = 0; k < 3 * (sizeof queries / sizeof queries[0]); k++) {
        size_t i = k / 3;
        /* the stems' levels alone, the words' own levels, their D terms */
        struct query_ctx qc = {fx->an, fx->db, NULL, NULL, TIER_READY + (int)(k % 3)};
        struct query_result qr;
        if (query_build(&qr, &qc, queries[i], NULL) != 0) {
            CHECK(c, !"query_build");
            continue;
        }
        CHECK(c, qr.tier != NULL);
        for (double target = 0.01; qr.tier && target <= 1024; target *= 2)
            for (int a = 0; a < TIER_ATTEMPTS; a++)
                check_bound(c, &qr, queries[i], a, target, 0, &closest, &checked);
        for (unsigned n = 1; qr.tier && n <= 256; n *= 2) {
            double below = nth_weight(c, qr.query, n);
            for (int a = 1; below > 0 && a < TIER_ATTEMPTS; a++)
                check_bound(c, &qr, queries[i], a, 0, below, &closest, &checked);
        }
        query_result_dispose(&qr);
    }
    fprintf(stderr, "  %u tiers checked; the heaviest match outside them: %.4f of the bound\n",
            checked, closest);
    CHECK(c, checked >= 10);
    CHECK(c, closest > 0.4);
}

/* The levels of the tier terms in q, a bit each. */
static unsigned levels_in(const xc_query *q)
{
    char *d = NULL;
    unsigned mask = 0;
    if (!q || xc_query_describe(q, &d, NULL) != 0)
        return 0;
    for (const char *p = d; (p = strchr(p, 'X')) != NULL; p++)
        if ((strncmp(p, TIER_PREFIX, 2) == 0 || strncmp(p, TIER_UNACCENT_PREFIX, 2) == 0 ||
             strncmp(p, TIER_OWN_PREFIX, 2) == 0) &&
            p[2] >= 'A' && p[2] < 'A' + TIER_LEVELS)
            mask |= 1u << (p[2] - 'A');
    free(d);
    return mask;
}

/* One word: the first attempt ranks the levels from the one holding the
 * word's share of the target (tight), and the attempt at the aim after it
 * the same and the level just below (no more when no document is at that
 * level; no attempt when the tight level is the lowest). */
static void test_one_word_ranks_its_tight_level_first(struct check *c)
{
    struct fixture *fx = c->ctx;
    static const char *const queries[] = {"bostad", "kommuner", "segregation", "rapporter",
                                          "skolan", "stad", "arbete", "integration"};
    struct query_ctx qc = {fx->an, fx->db, NULL, NULL, TIER_READY_ALL};
    unsigned one_below = 0;
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        struct query_result qr;
        if (query_build(&qr, &qc, queries[i], NULL) != 0) {
            CHECK(c, !"query_build");
            continue;
        }
        for (double target = 1; qr.tier && target <= 256; target *= 2) {
            xc_query *tight = NULL, *at_aim = NULL;
            double bound[2], share[2];
            CHECK(c, tier_plan_query(&tight, &bound[0], &share[0], qr.tier, NDOCS, target, 0, 0,
                                     NULL) == 0);
            CHECK(c, tier_plan_query(&at_aim, &bound[1], &share[1], qr.tier, NDOCS, target, 2, 0,
                                     NULL) == 0);
            unsigned t = levels_in(tight), a = levels_in(at_aim), more = a & ~t;
            /* Always tried first, from the lowest level when no other holds
             * the share (a word mostly under level 0 was once ranked whole
             * with no attempt at all). */
            if (!tight)
                fprintf(stderr, "  %s, target %g: no first attempt\n", queries[i], target);
            CHECK(c, tight != NULL);
            if (tight && at_aim) {
                int ok = (a & t) == t && (more & (more - 1)) == 0 && more < (t & -t);
                if (!ok)
                    fprintf(stderr, "  %s, target %g: levels %#x, then %#x\n", queries[i], target,
                            t, a);
                CHECK(c, ok);
                CHECK(c, bound[1] < bound[0] && share[1] >= share[0]);
                one_below += more != 0;
            } else if (tight) {
                CHECK(c, (t & 1) != 0);   /* from the lowest level */
            }
            xc_query_free(tight);
            xc_query_free(at_aim);
        }
        query_result_dispose(&qr);
    }
    fprintf(stderr, "  %u first attempts with the level below them next\n", one_below);
    CHECK(c, one_below >= 10);
}

int main(void)
{
    struct check c = {0};
    struct fixture f = {0};
    struct lexicon *lex = NULL;
    if (tmpdir_make(f.dir, sizeof f.dir) < 0)
        return 1;
    if (full_analyzer_new(&f.an, &lex) < 0 || build(&f, AN_FULL) < 0 || open_index(&f) < 0) {
        fprintf(stderr, "test_tiers: cannot build the test index\n");
        tmpdir_remove(f.dir);
        return 1;
    }
    c.ctx = &f;
    RUN(&c, test_a_document_has_a_tier_for_the_stems_it_holds_often);
    RUN(&c, test_only_a_fully_tiered_index_is_ranked_by_tiers);
    RUN(&c, test_the_tiers_give_the_page_every_match_gives);
    RUN(&c, test_a_count_in_memory_stops_at_the_bound_as_xapians_does);
    RUN(&c, test_a_search_below_the_tiers_is_weighed_in_memory);
    RUN(&c, test_a_remote_shard_ranks_its_tiers_as_a_local_index);
    RUN(&c, test_a_remote_search_asks_no_term_alone);
    RUN(&c, test_a_staircase_gives_the_page_every_match_gives);
    RUN(&c, test_no_match_outside_the_tiers_weighs_more_than_the_bound);
    RUN(&c, test_one_word_ranks_its_tight_level_first);
    facets_dispose(&f.facets);
    xc_db_free(f.db);
    full_analyzer_free(f.an, lex);
    tmpdir_remove(f.dir);
    return check_report(&c, "test_tiers");
}
