/* bench_xapian.c: the in-process baseline for searchd: the same queries
 * run through the same search (lib/search.c: the query built, filtered,
 * counted up to the bound with its facets, ranked, the top 10 fetched with
 * their snippets) in one thread, no HTTP. Prints queries per second and
 * how many pages were ranked in the queries' impact tiers (tier.h).
 * Usage: bench_xapian INDEX QUERIES_FILE [SECONDS] (one query per line);
 * BENCH_TIERS=0 ranks every match, as an index without tiers is ranked
 * (by the same query);
 * BENCH_OWN_LEVELS=0 leaves the words' own levels unread, as on an index
 * written before them (tier.h); BENCH_ALL_TERMS=0 reads a word's Z and C
 * lists instead of its D terms, as on an index written before those;
 * BENCH_TIER_SHARE tries the tiers up to that share of the matches instead
 * of SEARCH_TIER_SHARE; BENCH_COUNT_THREAD=1 counts a large search on a
 * second thread (its own reader) while it is ranked, as searchd does when
 * cores are idle (the rate is then no longer one core's).
 *        bench_xapian INDEX QUERIES_FILE compare
 * runs each query with and without the tiers and prints where the pages
 * differ (hits and scores): none should.
 *        bench_xapian INDEX QUERIES_FILE times [ROUNDS]
 * runs the list ROUNDS times (default 3) and prints each query's fastest
 * time (ms), its total and the tiers' attempt that ranked it (0: every
 * match), slowest first, after the p50 and p99 of those times: which
 * queries make the tail, without HTTP's noise. */
#include "analysis.h"
#include "facets.h"
#include "schema.h"
#include "search.h"
#include "tier.h"
#include "xapian_c.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The page's hits as "id score" lines. */
static char *page_of(json_t *hits)
{
    size_t len = 0, i;
    char *out = NULL;
    FILE *m = open_memstream(&out, &len);
    json_t *h;
    json_array_foreach(hits, i, h)
        fprintf(m, "%s %.17g\n", json_string_value(json_object_get(h, "id")),
                json_real_value(json_object_get(h, "score")));
    fclose(m);
    return out;
}

struct timed {
    double ms;
    size_t i;
    unsigned total;
    int attempt;
    int in_memory;   /* weighed from the posting cache */
};

static int slowest_first(const void *a, const void *b)
{
    double x = ((const struct timed *)a)->ms, y = ((const struct timed *)b)->ms;
    return (x < y) - (x > y);
}

/* Each query's fastest time of rounds runs, slowest first. */
static int times(struct search_ctx *ctx, char **qs, size_t n, int rounds)
{
    struct timed *t = calloc(n, sizeof *t);
    if (!t)
        return 1;
    for (int r = 0; r < rounds; r++, posting_cache_wait(ctx->postings))   /* lists read between rounds */
        for (size_t i = 0; i < n; i++) {
            struct search_request req = {.q = qs[i], .page = 1, .size = 10};
            struct search_result res;
            xc_error xe = {0};
            double t0 = now_s();
            if (search_run(&res, ctx, &req, &xe) != 0) {
                fprintf(stderr, "%s: %s\n", qs[i], xe.message);
                free(t);
                return 1;
            }
            double ms = (now_s() - t0) * 1000;
            if (r == 0 || ms < t[i].ms)
                t[i] = (struct timed){ms, i, res.total, res.ranked_in_tiers, res.ranked_in_memory};
            search_result_dispose(&res);
        }
    qsort(t, n, sizeof *t, slowest_first);
    printf("p50 %.2f ms, p99 %.2f ms (fastest of %d rounds each, %zu queries)\n",
           t[n / 2].ms, t[n / 100].ms, rounds, n);
    for (size_t k = 0; k < n; k++)
        printf("%8.2f %8u %d%s  %s\n", t[k].ms, t[k].total, t[k].attempt,
               t[k].in_memory ? "m" : "", qs[t[k].i]);
    free(t);
    return 0;
}

/* Each query with its tiers and without (every match ranked, by the same
 * query: its shape goes by tiered): the same pages, or it says where not.
 * Exit status 1 when any differs. */
static int compare(struct search_ctx *ctx, char **qs, size_t n)
{
    size_t differ = 0, in_tiers = 0, lower = 0, in_memory = 0, failed = 0;
    int tiered = ctx->tiered;
    unsigned min = ctx->tier_min_matches;
    for (size_t i = 0; i < n; i++) {
        struct search_request req = {.q = qs[i], .page = 1, .size = 10};
        struct search_result a, b;
        xc_error xe = {0};
        ctx->tier_min_matches = min;
        int ra = search_run(&a, ctx, &req, &xe);
        ctx->tier_min_matches = UINT_MAX;
        int rb = ra == 0 ? search_run(&b, ctx, &req, &xe) : -1;
        if (ra != 0 || rb != 0) {
            failed++;
            if (ra == 0)
                search_result_dispose(&a);
            continue;
        }
        char *pa = page_of(a.hits), *pb = page_of(b.hits);
        in_tiers += a.ranked_in_tiers != 0;
        lower += a.ranked_in_tiers > 1;
        in_memory += a.ranked_in_memory != 0;
        if (strcmp(pa, pb) != 0) {
            differ++;
            printf("differs: %s (ranked in tiers: %d)\n--- tiers\n%s--- every match\n%s", qs[i],
                   a.ranked_in_tiers, pa, pb);
        }
        free(pa);
        free(pb);
        search_result_dispose(&a);
        search_result_dispose(&b);
    }
    ctx->tier_min_matches = min;
    printf("%zu queries: %zu ranked in tiers (%zu at the lower levels, %zu weighed in memory), "
           "%zu pages differ, %zu failed%s\n", n, in_tiers, lower, in_memory,
           differ, failed, tiered ? "" : " (the index has no tiers)");
    return differ || failed ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_xapian INDEX QUERIES [SECONDS]\n");
        return 2;
    }
    double seconds = argc > 3 ? atof(argv[3]) : 10;
    FILE *f = fopen(argv[2], "r");
    char **qs = NULL, line[1024];
    size_t n = 0;
    while (f && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        qs = realloc(qs, (n + 1) * sizeof *qs);
        qs[n++] = strdup(line);
    }
    if (f)
        fclose(f);
    xc_db *db = NULL;
    xc_error xe = {0};
    char *mode_name = NULL, lex_path[4096];
    struct analyzer *an = NULL;
    struct lexicon *lex = NULL;
    enum an_mode mode = AN_FULL;
    if (!n || xc_db_open(&db, argv[1], &xe) < 0) {
        fprintf(stderr, "no queries, or cannot open %s: %s\n", argv[1], xe.message);
        return 1;
    }
    xc_db_get_metadata(db, SCHEMA_META_ANALYSIS, &mode_name, NULL, NULL);
    if (mode_name && *mode_name)
        an_mode_parse(&mode, mode_name);
    free(mode_name);
    lib_error le;
    if ((mode == AN_FULL &&
         lex_open(&lex, an_default_lexicon(lex_path, sizeof lex_path), &le) < 0) ||
        an_new(&an, mode, lex, &le) < 0) {
        fprintf(stderr, "%s\n", le.message);
        return 1;
    }
    struct facet_table facets = {0};
    if (facets_load(&facets, db) < 0) {
        fprintf(stderr, "cannot read the facet values of %s\n", argv[1]);
        return 1;
    }
    struct doc_text text = DOC_TEXT_INIT;   /* kept between searches, as searchd's threads do */
    struct schema_langs langs;
    if (schema_langs_of(&langs, db, NULL) < 0) {
        fprintf(stderr, "cannot read the languages of %s\n", argv[1]);
        return 1;
    }
    const char *tiers_env = getenv("BENCH_TIERS"), *own_env = getenv("BENCH_OWN_LEVELS"),
               *all_env = getenv("BENCH_ALL_TERMS");
    int tiered = tier_index_tiered(db);
    /* Tiers off: every match ranked, by the same query (its shape goes by
     * tiered). The index searched as one written before its own levels or
     * its D terms: for A/B on one index. */
    unsigned tier_min = tiers_env && !atoi(tiers_env) ? UINT_MAX : 0;
    if (own_env && !atoi(own_env) && tiered > TIER_READY)
        tiered = TIER_READY;
    if (all_env && !atoi(all_env) && tiered > TIER_READY_OWN)
        tiered = TIER_READY_OWN;
    struct search_ctx ctx = {an, db, NULL, &facets, search_index_sampled(db, NULL) == 1, 0,
                             &text, &langs, NULL,
                             tiered,
                             tier_min, getenv("BENCH_TIER_SHARE") ? atof(getenv("BENCH_TIER_SHARE")) : 0,
                             getenv("BENCH_TIER_TARGET") ? atof(getenv("BENCH_TIER_TARGET")) : 0,
                             NULL, 0, facets_index_together(db, NULL) == 1, NULL};
    /* BENCH_POSTINGS: the posting cache's megabytes (0: none; unset: as
     * searchd's default for the index). */
    const char *postings_env = getenv("BENCH_POSTINGS");
    size_t budget = postings_env ? (size_t)atoi(postings_env) << 20
                                 : posting_cache_default_budget(xc_db_doc_count(db));
    struct posting_cache *postings = NULL;
    if (budget && posting_cache_new(&postings, budget, argv[1], NULL) < 0) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    ctx.postings = postings;
    xc_db *count_db = NULL;
    const char *apart = getenv("BENCH_COUNT_THREAD");
    if (apart && atoi(apart) && xc_db_open(&count_db, argv[1], &xe) < 0) {
        fprintf(stderr, "cannot open %s again: %s\n", argv[1], xe.message);
        return 1;
    }
    ctx.count_db = count_db;
    if (argc > 3 && strcmp(argv[3], "compare") == 0)
        return compare(&ctx, qs, n);
    if (argc > 3 && strcmp(argv[3], "times") == 0)
        return times(&ctx, qs, n, argc > 4 ? atoi(argv[4]) : 3);
    unsigned long done = 0, hits = 0, in_tiers = 0;
    double start = now_s(), end = start + seconds;
    while (now_s() < end) {
        for (size_t i = 0; i < n && (i % 64 || now_s() < end); i++) {
            struct search_request req = {.q = qs[i], .page = 1, .size = 10};
            struct search_result res;
            if (search_run(&res, &ctx, &req, &xe) == 0) {
                hits += json_array_size(res.hits);
                in_tiers += res.ranked_in_tiers != 0;
                search_result_dispose(&res);
            }
            done++;
        }
    }
    double took = now_s() - start;
    printf("search in-process, %s: %.0f queries/s (%lu queries, %lu hits, %lu ranked in "
           "tiers%s)\n",
           count_db ? "counted on a second thread" : "1 thread", (double)done / took, done, hits,
           in_tiers, ctx.tiered && tier_min != UINT_MAX ? "" : "; tiers off");
    facets_dispose(&facets);
    doc_text_dispose(&text);
    for (size_t i = 0; i < n; i++)
        free(qs[i]);
    free(qs);
    an_free(an);
    lex_free(lex);
    xc_db_free(count_db);
    xc_db_free(db);
    posting_cache_free(postings);
    return 0;
}
