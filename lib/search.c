/* search.c: one search (search.h). The text's query is filtered, counted as
 * a boolean query (no weights: counting needs none) up to the bound, then
 * ranked for the page asked, no more matches checked than the page needs;
 * the snippets are cut from the stored text of the hits shown only. Given
 * a second reader, a large search is counted on a thread of its own while
 * this one ranks it: the two share no Xapian object. */
#include "search.h"

#include "doc_data.h"
#include "query.h"
#include "schema.h"
#include "snippet.h"
#include "tier_plan.h"
#include "tier_score.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define SNIPPET_BYTES 240
#define TEXT_KEEP (256 << 10)   /* bytes of a kept text buffer past a search */
/* Past the bound the facets come from a sample of about a quarter of the
 * bound's matches (2,500 by default: a count of a tenth of the matches is
 * then off by a few per cent), which may hold this many times that before
 * it is drawn again, smaller: Xapian's estimate it was sized by can be low. */
#define SAMPLE_SHARE 4
#define SAMPLE_SLACK 4

int search_index_sampled(xc_db *db, lib_error *err)
{
    char marker[SCHEMA_SAMPLE_TERM_MAX];
    unsigned freq = 0;
    schema_sample_term(marker, -1);
    int rc = xc_db_term_freq(db, marker, &freq, err);
    return rc < 0 ? rc : freq == xc_db_doc_count(db);
}

/* A boolean filter term prefix + folded value. */
static int filter_term(xc_query **out, const char *prefix, const char *value, xc_error *xe)
{
    char term[SCHEMA_TERM_MAX + 1];
    if (schema_bool_term(term, prefix, value, strlen(value)) < 0)
        return XC_E_NOMEM;
    return xc_query_new_term(out, term, 1, xe);
}

#define MAX_PARTS 10

/* The text's query (or every document) filtered by the request; takes
 * ownership of text_q. */
static int filtered(xc_query *text_q, const struct search_request *p, xc_query **out,
                    xc_error *xe)
{
    xc_query *parts[MAX_PARTS] = {text_q};
    size_t n = 1;
    int rc = text_q ? 0 : xc_query_new_all(&parts[0], xe);
    *out = NULL;
    if (rc == 0 && p->type)
        rc = filter_term(&parts[n++], SCHEMA_TYPE, p->type, xe);
    if (rc == 0 && p->place)
        rc = filter_term(&parts[n++], SCHEMA_PLACE, p->place, xe);
    if (rc == 0 && p->year)
        rc = filter_term(&parts[n++], SCHEMA_YEAR, p->year, xe);
    if (rc == 0 && p->format)
        rc = filter_term(&parts[n++], SCHEMA_FORMAT, p->format, xe);
    if (rc == 0 && p->lang)
        rc = filter_term(&parts[n++], SCHEMA_LANG, p->lang, xe);
    if (rc == 0 && (p->from || p->to)) {
        char lo[9] = "00000000", hi[9] = "99999999";
        if (p->from)
            schema_date_value(p->from, lo);
        if (p->to)
            schema_date_value(p->to, hi);
        rc = xc_query_new_value_range(&parts[n++], SLOT_DATE, lo, hi, xe);
    }
    if (rc == 0 && p->upcoming) {
        char lo[9];
        schema_date_value(p->today, lo);
        rc = xc_query_new_value_range(&parts[n++], SLOT_DATE, lo, "99999999", xe);
        if (rc == 0)
            rc = filter_term(&parts[n++], SCHEMA_TYPE, "seminarium", xe);
    }
    if (rc == 0 && n == 1) {
        *out = parts[0];
        return 0;
    }
    if (rc == 0)
        rc = xc_query_new_combine(out, XC_OP_FILTER, parts, n, xe);
    for (size_t i = 0; i < n; i++)
        xc_query_free(parts[i]);
    return rc;
}

/* q restricted to the documents of sample j with an id past after (0:
 * all of them). */
static int in_sample(xc_query **out, const xc_query *q, int j, unsigned after, xc_error *xe)
{
    char term[SCHEMA_SAMPLE_TERM_MAX];
    xc_query *parts[3] = {(xc_query *)q, NULL, NULL};
    size_t n = 2;
    schema_sample_term(term, j);
    int rc = xc_query_new_term(&parts[1], term, 1, xe);
    if (rc == 0 && after)
        rc = xc_query_new_ids_after(&parts[n++], after, xe);
    if (rc == 0)
        rc = xc_query_new_combine(out, XC_OP_FILTER, parts, n, xe);
    xc_query_free(parts[1]);
    xc_query_free(parts[2]);
    return rc;
}

/* Counts q's matches (at most at_most, 0: all) into counts and *n: by
 * document id from the tables in memory, or by value where the shards are.
 * With mem, q is its words ANDed (within sample j when j >= 0, past the id
 * after), whose lists it holds in memory: counted there. */
static int count(xc_count *n, const struct search_ctx *ctx, struct tier_scorer *mem,
                 const xc_query *q, int j, unsigned after, unsigned at_most,
                 struct facet_counts *counts, xc_error *xe)
{
    if (mem && ctx->facets) {
        char term[SCHEMA_SAMPLE_TERM_MAX];
        if (j >= 0)
            schema_sample_term(term, j);
        int rc = tier_scorer_count(n, mem, ctx->db, j >= 0 ? term : NULL, after, at_most,
                                   facets_count, counts, xe);
        if (rc != 1)
            return rc;
    }
    if (!ctx->facets)
        return facets_count_by_value(n, ctx->db, q, at_most, ctx->facets_together, counts, xe);
    return xc_db_count(n, ctx->db, q, at_most, facets_count, counts, xe);
}

/* Past the bound: the facets, and the total, from the matches in the
 * largest sample (schema.h) expected to hold at most SAMPLE_SHARE of the
 * bound by the estimate, scaled up by the sample's share of the documents.
 * A sample far larger than expected (the estimate was low) is drawn again,
 * smaller: never cut short in id order; one that holds no match, larger.
 * When the count before stopped in id order (its `through`), the matches
 * up to there are counted exactly,
 * their facets already in counts, and the sample is drawn from the
 * documents after them only: its posting lists are read from there on,
 * not from the start again, and what was counted is not estimated. (At
 * 200,000 generated pages a sample of the whole took as long as the count
 * to the bound before it.) */
static int count_sample(struct search_result *res, const struct search_ctx *ctx,
                        struct tier_scorer *mem, const xc_query *q, unsigned limit,
                        unsigned estimated,
                        const xc_count *before, struct facet_counts *counts, xc_error *xe)
{
    unsigned after = before && !before->exact ? before->through : 0;
    unsigned counted = after ? before->counted : 0;
    struct facet_counts rest, *sc = counts;
    if (after) {
        if (facets_counts_init(&rest, counts->t) < 0) {
            facets_counts_dispose(&rest);
            return XC_E_NOMEM;
        }
        sc = &rest;
    }
    double left = estimated > counted ? estimated - counted : 0;
    double want = (double)limit / SAMPLE_SHARE;
    int j = SCHEMA_SAMPLE_LEVELS - 1;
    while (j > 0 && left * ldexp(1, j - SCHEMA_SAMPLE_LEVELS) > want)
        j--;
    xc_count s = {0, 0, 0, 0};
    int rc = 0, shrunk = 0, grown = 0;
    for (;;) {
        xc_query *sq = NULL;
        facets_counts_clear(sc);
        rc = in_sample(&sq, q, j, after, xe);
        if (rc == 0)
            rc = count(&s, ctx, mem, sq, j, after, SAMPLE_SLACK * (unsigned)want + 1, sc, xe);
        xc_query_free(sq);
        /* A sample aimed at a few matches (a small bound) may hold none:
         * the next larger is drawn, so that the facets show something. */
        if (rc == 0 && s.exact && !s.counted && !shrunk && j + 1 < SCHEMA_SAMPLE_LEVELS) {
            j++;
            grown = 1;
            continue;
        }
        if (rc != 0 || s.exact || j == 0 || grown)
            break;
        j = j > 2 ? j - 2 : 0;
        shrunk = 1;
    }
    if (rc == 0) {
        double scale = ldexp(1, SCHEMA_SAMPLE_LEVELS - j);
        if (!s.exact && s.counted)   /* the smallest sample still too large: scale what was seen */
            scale = fmax(left, s.counted) / s.counted;
        facets_counts_scale(sc, scale);
        if (after)
            facets_counts_add(counts, &rest);
        double total = s.exact ? counted + s.counted * scale : estimated;
        unsigned docs = xc_db_doc_count(ctx->db);
        if (total > docs)
            total = docs;   /* a small sample's estimate can pass them */
        res->total = total > res->total_counted ? (unsigned)(total + 0.5) : res->total_counted;
    }
    if (after)
        facets_counts_dispose(&rest);
    return rc;
}

/* A query's bounds (xc_db_match_bounds), when known already. */
struct bounds {
    int known;                    /* 0: to be asked */
    unsigned lower, estimated;    /* xc_db_match_bounds' */
};
static const struct bounds unknown_bounds;

/* Whether the query run is the text's words ANDed and nothing else: not
 * any of them (res->any_word), no filter of the request's, nothing cut out
 * by the editors' rules (best_bets clears words_only then). */
static int words_alone(const struct search_result *res, const struct search_request *p,
                       const struct query_result *qr)
{
    return qr->words_only && !res->any_word && !p->type && !p->place && !p->year &&
           !p->format && !p->lang && !p->from && !p->to && !p->upcoming;
}

/* From how many matches a search of plain words is weighed and counted
 * from the lists in memory: SEARCH_MEMORY_MIN_MATCHES, or as the tiers
 * are tried when a caller sets that (the tests: from one; a comparison
 * with every match ranked by Xapian: never). */
static unsigned memory_min(const struct search_ctx *ctx)
{
    return ctx->tier_min_matches ? ctx->tier_min_matches : SEARCH_MEMORY_MIN_MATCHES;
}

/* Counts q into res and counts: exactly up to the bound, past it from a
 * sample; every match in an index written before the samples. A query its
 * terms' frequencies alone prove to be past the bound ("kommuner arbetar":
 * at least 177,935 of 200,000 pages) goes straight to the sample, its
 * total counted that proven least: counting the bound's first matches
 * would be thrown away with their facets. (No time limit: Xapian 1.4's
 * runs a timer thread that may still set its flag after the match
 * returned, in whatever the next match put at that place on the stack.) */
static int count_matches(struct search_result *res, const struct search_ctx *ctx,
                         struct tier_scorer *mem, const xc_query *q,
                         const struct bounds *known, struct facet_counts *counts, xc_error *xe)
{
    unsigned limit = ctx->count_limit ? ctx->count_limit : SEARCH_COUNT_LIMIT;
    xc_count n;
    facets_counts_clear(counts);
    if (ctx->sampled) {
        unsigned lower = known->lower, estimated = known->estimated;
        int rc = known->known ? 0 : xc_db_match_bounds(&lower, &estimated, ctx->db, q, xe);
        if (rc != 0)
            return rc;
        if (lower > limit + 1) {   /* limit + 1 is counted exactly */
            res->total = res->total_counted = lower;
            res->total_exact = res->facets_exact = 0;
            return count_sample(res, ctx, mem, q, limit,
                                estimated > lower ? estimated : lower, NULL, counts, xe);
        }
    }
    int rc = count(&n, ctx, mem, q, -1, 0, ctx->sampled ? limit + 1 : 0, counts, xe);
    if (rc != 0)
        return rc;
    res->total = n.estimated;
    res->total_counted = n.counted;
    res->total_exact = res->facets_exact = n.exact;
    if (n.exact || !ctx->sampled)
        return 0;
    return count_sample(res, ctx, mem, q, limit, n.estimated, &n, counts, xe);
}

/* *q, counted into res, replaced by any of its words (res->any_word),
 * counted, when every word matched nothing. Pinned hits answer the query:
 * no looser one below them. */
static int any_word_instead(xc_query **q, struct search_result *res,
                            const struct search_ctx *ctx, const struct search_request *p,
                            struct query_result *qr, int pinned, struct facet_counts *counts,
                            xc_error *xe)
{
    if (res->total != 0 || !qr->any_word || pinned)
        return 0;
    xc_query_free(*q);
    int rc = filtered(qr->any_word, p, q, xe);
    qr->any_word = NULL;
    res->any_word = 1;
    return rc ? rc : count_matches(res, ctx, NULL, *q, &unknown_bounds, counts, xe);
}

/* The query to run, filtered and counted: every word, or any of them when
 * every word matches nothing (res->any_word). */
static int choose_query(xc_query **q, struct search_result *res, const struct search_ctx *ctx,
                        const struct search_request *p, struct query_result *qr, int pinned,
                        struct facet_counts *counts, xc_error *xe)
{
    int rc = filtered(qr->query, p, q, xe);
    struct bounds b = unknown_bounds;
    struct tier_scorer *mem = NULL;
    qr->query = NULL;
    if (rc == 0 && ctx->postings && words_alone(res, p, qr)) {
        rc = xc_db_match_bounds(&b.lower, &b.estimated, ctx->db, *q, xe);
        b.known = rc == 0;
        if (rc == 0 && b.estimated >= memory_min(ctx))
            rc = tier_scorer_new(&mem, ctx->postings, ctx->db, qr->tier, 0, xe);
    }
    if (rc == 0)
        rc = count_matches(res, ctx, mem, *q, &b, counts, xe);
    res->counted_in_memory = mem && ctx->facets;
    tier_scorer_free(mem);
    return rc ? rc : any_word_instead(q, res, ctx, p, qr, pinned, counts, xe);
}

static const char *str_field(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* A paged document's hit: the page its snippet was found on ("page", from
 * 1) and a url that opens that page (#page=N, which PDF viewers follow). */
static void add_page(json_t *hit, json_t *pages, size_t where)
{
    size_t n = json_is_array(pages) ? json_array_size(pages) : 0, page = 0;
    for (size_t k = 0; k < n; k++) {
        json_t *v = json_array_get(pages, k);
        if (json_is_integer(v) && (size_t)json_integer_value(v) <= where)
            page = k + 1;
    }
    if (page == 0)
        return;
    json_object_set_new(hit, "page", json_integer((json_int_t)page));
    const char *url = json_string_value(json_object_get(hit, "url"));
    if (url && !strchr(url, '#')) {
        char *with;
        if (asprintf(&with, "%s#page=%zu", url, page) >= 0) {
            json_object_set_new(hit, "url", json_string(with));
            free(with);
        }
    }
}

/* One hit: the stored fields a result list shows, a snippet and the score. */
static int hit_json(struct snippet_matcher *sm, struct doc_text *text, xc_mset *m, unsigned i,
                    double score, json_t *hits, xc_error *xe)
{
    xc_doc *d = NULL;
    char *data = NULL, *snippet = NULL;
    size_t len = 0, where = 0;
    int rc = xc_mset_document(m, i, &d, xe);
    if (rc == 0)
        rc = xc_doc_get_data(d, &data, &len, xe);
    json_t *stored = NULL;
    const char *body = NULL;
    size_t body_len = 0;
    if (rc == 0 && doc_data_decode(&stored, &body, &body_len, text, data, len) == LIB_E_NOMEM)
        rc = XC_E_NOMEM;
    const char *lang = stored ? str_field(stored, "lang") : NULL;
    if (!lang)
        lang = DOC_LANG_DEFAULT;   /* stored before documents had languages */
    if (rc == 0 && stored) {
        if (!body && (body = str_field(stored, "summary")))
            body_len = strlen(body);
        snippet_matcher_set_lang(sm, lang);
        if (body)
            rc = snippet_make_at(&snippet, &where, sm, body, body_len, SNIPPET_BYTES);
    }
    if (rc == 0 && stored) {
        json_t *h = json_object();
        const char *fields[] = {"id", "url", "title", "type", "date", "place"};
        for (size_t k = 0; h && k < sizeof fields / sizeof fields[0]; k++) {
            const char *v = str_field(stored, fields[k]);
            json_object_set_new(h, fields[k], v ? json_string(v) : json_null());
        }
        const char *format = str_field(stored, "format");
        if (h) {
            json_object_set_new(h, "format", json_string(format ? format : "html"));
            json_object_set_new(h, "lang", json_string(lang));
        }
        if (h && snippet)
            add_page(h, json_object_get(stored, "pages"), where);
        if (h) {
            json_object_set_new(h, "snippet", json_string(snippet ? snippet : ""));
            json_object_set_new(h, "score", json_real(score));
            json_array_append_new(hits, h);
        }
    }
    json_decref(stored);
    free(snippet);
    free(data);
    xc_doc_free(d);
    return rc;
}

/* The best matches the static rank may reorder: the tiers must prove
 * them all, and a common word's best pages weigh within a few per cent
 * of each other, so 50 made them try a second, much larger attempt more
 * often (bench/README.md: one-word p99 at a million pages 11.5-11.7 ->
 * 10.0 ms in-process). */
#define RERANK_WINDOW 20
/* The static rank's weight: enough to order near-ties by freshness and to
 * put a page before the listing that quotes it, small against a real
 * difference in relevance. */
#define RANK_WEIGHT 0.3

struct ranked {
    unsigned i;      /* index in the mset */
    double score;
};

static int by_score(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return x->i < y->i ? -1 : (x->i > y->i);
}

/* The static rank of match i: the key equal weights were sorted by (an
 * index with remote shards), else the document's value, read from the
 * local value stream. */
static double match_rank(xc_mset *m, unsigned i, int from_key)
{
    char *key = NULL;
    size_t len = 0;
    xc_doc *d = NULL;
    int rc;
    if (from_key)
        rc = xc_mset_sort_key(m, i, &key, &len, NULL);
    else if ((rc = xc_mset_document(m, i, &d, NULL)) == 0)
        rc = xc_doc_get_value(d, SLOT_RANK, &key, &len, NULL);
    double rank = rc == 0 && len ? xc_sortable_unserialise(key, len) : 0.0;
    free(key);
    xc_doc_free(d);
    return rank;
}

/* The mset's hits in the order to show them: by relevance plus the static
 * rank (freshness, not a listing) when rerank, which can only reorder
 * near-ties among the best matches. *order is malloc'd; returns its length. */
static unsigned ranked_order(xc_mset *m, int rerank, int from_key, struct ranked **order)
{
    unsigned n = xc_mset_size(m);
    *order = n ? malloc(n * sizeof **order) : NULL;
    for (unsigned i = 0; *order && i < n; i++) {
        double w = xc_mset_weight(m, i);
        if (rerank)
            w += RANK_WEIGHT * match_rank(m, i, from_key);
        (*order)[i] = (struct ranked){i, w};
    }
    if (*order && rerank)
        qsort(*order, n < RERANK_WINDOW ? n : RERANK_WINDOW, sizeof **order, by_score);
    return n;
}

/* The editors' best bets that pass the request's filters: each a
 * one-match set, in the editors' order. */
struct pins {
    xc_mset *m[BEST_BETS_IDS_MAX];
    unsigned n;
};

static void pins_dispose(struct pins *p)
{
    for (unsigned i = 0; i < p->n; i++)
        xc_mset_free(p->m[i]);
    p->n = 0;
}

/* The query of the id terms of ids. */
static int ids_query(xc_query **out, const char *const *ids, size_t n, xc_error *xe)
{
    xc_query *q[2 * BEST_BETS_IDS_MAX];
    int rc = 0;
    size_t k = 0;
    *out = NULL;
    for (; rc == 0 && k < n; k++) {
        char term[SCHEMA_TERM_MAX + 1];
        schema_id_term(ids[k], term);
        if ((rc = xc_query_new_term(&q[k], term, 1, xe)) < 0)
            break;
    }
    if (rc == 0)
        rc = xc_query_new_combine(out, XC_OP_OR, q, n, xe);
    for (size_t i = 0; i < k; i++)
        xc_query_free(q[i]);
    return rc;
}

/* *q without the documents of cut (q may be NULL: left so). */
static int cut_out(xc_query **q, const xc_query *cut, xc_error *xe)
{
    if (!*q)
        return 0;
    xc_query *both[2] = {*q, (xc_query *)cut}, *kept = NULL;
    int rc = xc_query_new_combine(&kept, XC_OP_AND_NOT, both, 2, xe);
    if (rc == 0) {
        xc_query_free(*q);
        *q = kept;
    }
    return rc;
}

/* The rules for req's query: what they pin (that the filters let through)
 * into pins, and what they pin or hide cut out of the text's queries. */
static int best_bets(struct pins *pins, struct query_result *qr, const struct search_ctx *ctx,
                     const struct search_request *req, xc_error *xe)
{
    struct best_bets_match bet;
    char *key = NULL;
    pins->n = 0;
    if (!ctx->best_bets || !req->q || !*req->q)
        return 0;
    if (best_bets_key(&key, ctx->an, req->q, strlen(req->q)) < 0)
        return XC_E_NOMEM;
    int any = best_bets_match(&bet, ctx->best_bets, key, req->today);
    free(key);
    if (!any)
        return 0;
    const char *ids[2 * BEST_BETS_IDS_MAX];
    memcpy(ids, bet.pin, bet.npin * sizeof *ids);
    memcpy(ids + bet.npin, bet.hide, bet.nhide * sizeof *ids);
    xc_query *cut = NULL;
    int rc = ids_query(&cut, ids, bet.npin + bet.nhide, xe);
    qr->words_only = 0;   /* the query is cut */
    if (rc == 0)
        rc = cut_out(&qr->query, cut, xe);
    if (rc == 0)
        rc = cut_out(&qr->any_word, cut, xe);
    xc_query_free(cut);
    for (size_t i = 0; rc == 0 && i < bet.npin; i++) {
        xc_query *one = NULL, *q = NULL;
        xc_enquire *e = NULL;
        xc_mset *m = NULL;
        if ((rc = ids_query(&one, &bet.pin[i], 1, xe)) == 0 &&
            (rc = filtered(one, req, &q, xe)) == 0 && (rc = xc_enquire_new(&e, ctx->db, xe)) == 0 &&
            (rc = xc_enquire_set_query(e, q, xe)) == 0 &&
            (rc = xc_enquire_get_mset(e, 0, 1, 0, &m, xe)) == 0 && xc_mset_size(m) == 1) {
            pins->m[pins->n++] = m;   /* a pinned id the index lacks is passed over */
            m = NULL;
        }
        xc_mset_free(m);
        xc_enquire_free(e);
        xc_query_free(q);
    }
    return rc;
}

/* Whether the page is worth ranking in the tiers first: relevance order
 * and enough matches that ranking them all costs. (Equal weights ordered by
 * the static rank, as over remote shards, keep the tiers exact: every
 * match outside weighs less than the page's last hit, none the same.) */
static int tiers_worth_trying(const struct search_ctx *ctx, const struct search_request *p,
                              const struct query_result *qr, double matches)
{
    unsigned min = ctx->tier_min_matches ? ctx->tier_min_matches : SEARCH_TIER_MIN_MATCHES;
    return ctx->tiered && qr->tier && !p->sort_date && matches >= min;
}

/* The matches [first, first + n) of q among the documents ids (ascending)
 * ranked by Xapian on e into *out. */
static int rank_among(xc_mset **out, xc_enquire *e, const xc_query *q, const unsigned *ids,
                      size_t nids, unsigned first, unsigned n, xc_error *xe)
{
    xc_query *only = NULL, *fq = NULL;
    *out = NULL;
    int rc = xc_query_new_ids(&only, ids, nids, xe);
    xc_query *both[2] = {(xc_query *)q, only};
    if (rc == 0)
        rc = xc_query_new_combine(&fq, XC_OP_FILTER, both, 2, xe);
    if (rc == 0)
        rc = xc_enquire_set_query(e, fq, xe);
    if (rc == 0)
        rc = xc_enquire_get_mset(e, first, n, 0, out, xe);
    xc_query_free(fq);
    xc_query_free(only);
    return rc;
}

/* Every match of q weighed from the posting lists in memory, and those
 * that may be among [first, first + n) ranked by Xapian on e into *out. */
static int whole_in_memory(xc_mset **out, xc_enquire *e, const xc_query *q,
                           struct tier_scorer *sc, unsigned first, unsigned n, xc_error *xe)
{
    unsigned *ids = NULL;
    size_t nids = 0;
    double least = 0;
    int rc = tier_scorer_whole(&least, &ids, &nids, sc, first + n, xe);
    if (rc == 0)
        rc = rank_among(out, e, q, ids, nids, first, n, xe);
    free(ids);
    return rc;
}

/* An attempt weighed from the posting lists in memory (tier_score.h): when
 * the least the tier's n-th best match weighs passes the bound, Xapian
 * ranks the matches that may weigh as much, into *out when its n-th passes
 * the bound too (it does, unless the brackets were wrong: *scored is then
 * 0, and the attempt is ranked by Xapian as before). *last: the n-th's
 * weight, or a weight it reaches when the attempt failed. */
static int scored_attempt(xc_mset **out, double *last, int *scored, struct tier_scorer *sc,
                          xc_enquire *e, const xc_query *q, const xc_query *tier, double bound,
                          const struct search_ctx *ctx, unsigned first, unsigned n,
                          xc_error *xe)
{
    unsigned *ids = NULL;
    size_t nids = 0;
    double least = 0;
    *out = NULL;
    *last = 0;
    *scored = 0;
    int rc = tier_scorer_attempt(&least, &ids, &nids, sc, ctx->db, tier, first + n, xe);
    if (rc != 0 || !(least > bound * (1 + TIER_SLACK))) {
        free(ids);
        *last = least;
        *scored = rc == 0;
        return rc;
    }
    rc = rank_among(out, e, q, ids, nids, first, n, xe);
    if (rc == 0 && xc_mset_size(*out) == n && xc_mset_weight(*out, n - 1) > bound * (1 + TIER_SLACK)) {
        *last = xc_mset_weight(*out, n - 1);
        *scored = 1;
    } else {
        xc_mset_free(*out);
        *out = NULL;
    }
    free(ids);
    return rc;
}

/* The matches [first, first + n) of q ranked on e among its tiers' matches
 * alone (tier.h), into *out when that is provably what ranking every match
 * gives: the last of them weighs more than any match outside the tiers
 * can. Later attempts (tier_plan.h) are made while they are expected to
 * hold few enough of the matches. With sc, an attempt is weighed from the
 * lists in memory first (scored_attempt), and when none settles the page
 * every match is (its *attempt then -1). *out stays NULL when none
 * settles the page, and e is left on q. Returns the attempt that did in
 * *attempt, and whether it was weighed in memory in *in_memory. */
static int tier_page(xc_mset **out, int *attempt, int *in_memory, xc_enquire *e,
                     const xc_query *q, const struct query_result *qr, struct tier_scorer *sc,
                     const struct search_ctx *ctx, double matches, unsigned first, unsigned n,
                     xc_error *xe)
{
    double max_share = ctx->tier_max_share > 0 ? ctx->tier_max_share : SEARCH_TIER_SHARE;
    int rc = 0, tried = 0;
    /* The n-th best match weighs at least the last hit of any attempt
     * (below), and no more than the bound of an attempt that failed
     * (ceiling): every match weighing more was among its fewer than n. */
    double below = 0, ceiling = HUGE_VAL;
    *out = NULL;
    *in_memory = 0;
    for (int a = 0; rc == 0 && !*out && a < TIER_ATTEMPTS; a++) {
        xc_query *tier = NULL, *fq = NULL;
        xc_mset *m = NULL;
        double bound = 0, share = 1, last = 0;
        int scored = 0;
        rc = tier_plan_query(&tier, &bound, &share, qr->tier, matches, ctx->tier_target,
                             a, below, xe);
        if (rc == 0 && tier && bound >= ceiling) {
            xc_query_free(tier);   /* fewer than n matches weigh more */
            continue;
        }
        if (rc != 0 || !tier || share > max_share) {
            xc_query_free(tier);
            continue;
        }
        tried = 1;
        if (sc)
            rc = scored_attempt(&m, &last, &scored, sc, e, q, tier, bound, ctx, first, n, xe);
        if (rc == 0 && !scored) {
            xc_query *both[2] = {(xc_query *)q, tier};
            rc = xc_query_new_combine(&fq, XC_OP_FILTER, both, 2, xe);
            if (rc == 0)
                rc = xc_enquire_set_query(e, fq, xe);
            if (rc == 0)
                rc = xc_enquire_get_mset(e, first, n, 0, &m, xe);
            last = rc == 0 && xc_mset_size(m) == n ? xc_mset_weight(m, n - 1) : 0;
        }
        below = fmax(below, last);
        if (!(last > bound * (1 + TIER_SLACK)) && bound < ceiling)
            ceiling = bound;
        if (rc == 0 && m && last > bound * (1 + TIER_SLACK)) {
            *out = m;
            *attempt = a;
            *in_memory = scored;
            m = NULL;
        }
        xc_mset_free(m);
        xc_query_free(fq);
        xc_query_free(tier);
    }
    /* No attempt settled the page: every match weighed in memory. */
    if (rc == 0 && !*out && sc) {
        rc = whole_in_memory(out, e, q, sc, first, n, xe);
        tried = 1;
        *attempt = -1;
        *in_memory = *out != NULL;
    }
    if (rc == 0 && tried && !*out)
        rc = xc_enquire_set_query(e, q, xe);
    return rc;
}

/* The page of hits of q into res->hits, after the pinned ones; q has about
 * `matches` matches (its count, or Xapian's estimate while it is counted). */
static int page_of_hits(struct search_result *res, const struct search_ctx *ctx,
                        const struct search_request *p, const xc_query *q,
                        const struct query_result *qr, const struct pins *pins, double matches,
                        xc_error *xe)
{
    const struct query_keys *keys = &qr->keys;
    xc_enquire *e = NULL;
    xc_mset *m = NULL;
    int rc = xc_enquire_new(&e, ctx->db, xe);
    if (rc == 0)
        rc = xc_enquire_set_query(e, q, xe);
    /* Over remote shards equal weights go by the static rank, which each
     * match then carries for the reranking below without its document
     * being fetched over the network. A local index reads the rank of the
     * window's matches from its value stream instead: sorting by it costs
     * Xapian a value look-up for every match it weighs. Without words
     * every match weighs 0, and the window must be the best by the rank
     * alone, not the first ids. */
    int ranked = !p->sort_date && an_get_mode(ctx->an) == AN_FULL;
    int by_key = ranked && (!ctx->facets || qr->weightless);
    if (rc == 0 && p->sort_date)
        rc = xc_enquire_set_sort_by_value(e, SLOT_DATE, 1, xe);
    if (rc == 0 && by_key)
        rc = xc_enquire_set_sort_by_relevance_then_value(e, SLOT_RANK, 1, xe);
    /* The pinned hits stand before the matches: this page shows those of
     * [from, from + size) in that order. */
    unsigned from = (p->page - 1) * p->size, end = from + p->size;
    unsigned first = from > pins->n ? from - pins->n : 0;
    unsigned size = end > pins->n ? end - pins->n - first : 0;
    /* The static rank reorders the best RERANK_WINDOW matches only, always
     * the same ones, so pages never repeat or skip a hit. */
    int rerank = ranked && first < RERANK_WINDOW;
    unsigned window = first + size > RERANK_WINDOW ? first + size : RERANK_WINDOW;
    unsigned mfirst = rerank ? 0 : first, mcount = rerank ? window : size;
    if (rc == 0 && q && size && tiers_worth_trying(ctx, p, qr, matches)) {
        int attempt = 0, in_memory = 0;
        struct tier_scorer *sc = NULL;
        if (ctx->postings && words_alone(res, p, qr))
            rc = tier_scorer_new(&sc, ctx->postings, ctx->db, qr->tier, 1, xe);
        if (rc == 0)
            rc = tier_page(&m, &attempt, &in_memory, e, q, qr, sc, ctx, matches, mfirst, mcount,
                           xe);
        tier_scorer_free(sc);
        res->ranked_in_tiers = m ? attempt + 1 : 0;
        res->ranked_in_memory = m && in_memory;
    } else if (rc == 0 && q && size && !p->sort_date && ctx->postings &&
               words_alone(res, p, qr) && matches >= memory_min(ctx)) {
        /* Too few matches for the tiers, but a common word among its
         * words would still be read from disk up to each of them. */
        struct tier_scorer *sc = NULL;
        rc = tier_scorer_new(&sc, ctx->postings, ctx->db, qr->tier, 1, xe);
        if (rc == 0 && sc)
            rc = whole_in_memory(&m, e, q, sc, mfirst, mcount, xe);
        tier_scorer_free(sc);
        res->ranked_in_memory = m != NULL;
    }
    if (rc == 0 && q && size && !m)
        rc = xc_enquire_get_mset(e, mfirst, mcount, 0, &m, xe);
    struct ranked *order = NULL;
    unsigned n = rc == 0 && m ? ranked_order(m, rerank, by_key, &order) : 0;
    if (rc == 0 && n && !order)
        rc = XC_E_NOMEM;
    struct snippet_matcher *sm = NULL;
    struct doc_text own = DOC_TEXT_INIT;   /* the hits' texts, one after the other */
    struct doc_text *text = ctx->text ? ctx->text : &own;
    if (rc == 0 && (n || from < pins->n) && snippet_matcher_new(&sm, ctx->an, keys) < 0)
        rc = XC_E_NOMEM;
    for (unsigned k = from; rc == 0 && k < pins->n && k < end; k++) {
        rc = hit_json(sm, text, pins->m[k], 0, xc_mset_weight(pins->m[k], 0), res->hits, xe);
        json_t *h = json_array_get(res->hits, json_array_size(res->hits) - 1);
        if (rc == 0 && h)
            json_object_set_new(h, "pinned", json_true());
    }
    unsigned start = rerank ? first : 0;
    for (unsigned k = start; rc == 0 && k < n && k < start + size; k++)
        rc = hit_json(sm, text, m, order[k].i, order[k].score, res->hits, xe);
    doc_text_dispose(&own);
    doc_text_shrink(ctx->text, TEXT_KEEP);
    snippet_matcher_free(sm);
    free(order);
    xc_mset_free(m);
    xc_enquire_free(e);
    return rc;
}

/* A count on a thread of its own (search_ctx.count_db). */
struct apart {
    struct search_result res;      /* the count's total and exactness */
    struct search_ctx ctx;         /* the caller's, on count_db */
    struct tier_scorer *mem;       /* q's lists in memory, or NULL */
    xc_query *q;                   /* the search's query, sharing nothing with it */
    struct bounds bounds;          /* q's, asked of the caller's reader */
    struct facet_counts *counts;
    lib_error err;
    int rc;
};

static void *count_apart(void *arg)
{
    struct apart *a = arg;
    a->rc = count_matches(&a->res, &a->ctx, a->mem, a->q, &a->bounds, a->counts, &a->err);
    return NULL;
}

/* The search counted on a thread of its own, over ctx->count_db, while
 * this one ranks its page: when count_db is at db's version and Xapian
 * expects enough matches for that to pay. The ranking then goes by that
 * estimate instead of the count, which only decides what the tiers try
 * first: the page is the same. *q is the query run once counted (*counted)
 * and ranked (*ranked); a search that matched nothing is counted again
 * with any of its words, as choose_query does, and left to be ranked. A
 * search not run apart is left as it was, qr too. */
static int count_while_ranking(int *counted, int *ranked, xc_query **q,
                               struct search_result *res, const struct search_ctx *ctx,
                               const struct search_request *p, struct query_result *qr,
                               const struct pins *pins, struct facet_counts *counts,
                               xc_error *xe)
{
    unsigned lower = 0, estimated = 0;
    xc_query *text = NULL, *fq = NULL;
    unsigned long long version = ctx->count_db ? xc_db_version(ctx->db) : 0;
    unsigned min = ctx->apart_min_matches ? ctx->apart_min_matches : SEARCH_APART_MIN;
    *counted = *ranked = 0;
    if (!version || xc_db_version(ctx->count_db) != version)
        return 0;
    int rc = qr->query ? xc_query_copy(&text, qr->query, xe) : 0;
    if (rc == 0)
        rc = filtered(text, p, &fq, xe);
    if (rc == 0)
        rc = xc_db_match_bounds(&lower, &estimated, ctx->db, fq, xe);
    /* The same revision (checked above): the count needs not ask for its
     * bounds again (Xapian opens every posting list of the query). */
    struct apart a = {.ctx = *ctx, .counts = counts, .bounds = {1, lower, estimated}};
    a.ctx.db = ctx->count_db;
    a.ctx.count_db = NULL;
    pthread_t t;
    /* Its lists got here: the plan is the ranking's too. */
    if (rc == 0 && estimated >= min && ctx->postings && words_alone(res, p, qr))
        rc = tier_scorer_new(&a.mem, ctx->postings, ctx->count_db, qr->tier, 0, xe);
    if (rc != 0 || estimated < min || xc_query_clone(&a.q, fq, NULL) != 0 ||
        pthread_create(&t, NULL, count_apart, &a) != 0) {
        tier_scorer_free(a.mem);
        xc_query_free(a.q);
        xc_query_free(fq);
        return rc;   /* counted and ranked one after the other */
    }
    xc_query_free(qr->query);
    qr->query = NULL;
    *q = fq;
    rc = page_of_hits(res, ctx, p, fq, qr, pins, (double)estimated + pins->n, xe);
    pthread_join(t, NULL);
    tier_scorer_free(a.mem);
    xc_query_free(a.q);
    if (rc == 0 && a.rc != 0) {
        rc = a.rc;
        if (xe)
            *xe = a.err;
    }
    if (rc != 0)
        return rc;
    res->total = a.res.total;
    res->total_counted = a.res.total_counted;
    res->total_exact = a.res.total_exact;
    res->facets_exact = a.res.facets_exact;
    res->counted_apart = 1;
    res->counted_in_memory = a.mem && ctx->facets;
    *counted = *ranked = 1;
    if (res->total == 0 && qr->any_word && !pins->n) {
        json_array_clear(res->hits);   /* ranked again, over any word */
        *ranked = 0;
    }
    return any_word_instead(q, res, ctx, p, qr, pins->n > 0, counts, xe);
}

/* No table: counted by value (remote shards), into counts' own lists. */
static const struct facet_table no_table;

int search_run(struct search_result *out, const struct search_ctx *ctx,
               const struct search_request *req, lib_error *err)
{
    memset(out, 0, sizeof *out);
    out->total_exact = out->facets_exact = 1;
    struct query_ctx qc = {ctx->an, ctx->db, ctx->synonyms, ctx->langs, ctx->tiered};
    struct query_result qr;
    struct facet_counts counts;
    xc_query *q = NULL;
    int rc = facets_counts_init(&counts, ctx->facets ? ctx->facets : &no_table) < 0
                 ? lib_error_nomem(err)
                 : 0;
    if (rc != 0)
        return rc;
    if ((rc = query_build(&qr, &qc, req->q, err)) != 0) {
        facets_counts_dispose(&counts);
        return rc;
    }
    if (!(out->hits = json_array()))
        rc = lib_error_nomem(err);
    struct pins pins = {{NULL}, 0};
    if (rc == 0)
        rc = best_bets(&pins, &qr, ctx, req, err);
    int counted = 0, ranked = 0;
    if (rc == 0)
        rc = count_while_ranking(&counted, &ranked, &q, out, ctx, req, &qr, &pins, &counts, err);
    if (rc == 0 && !counted)
        rc = choose_query(&q, out, ctx, req, &qr, pins.n > 0, &counts, err);
    /* The pinned ones count in the total and, counted by id, the facets. */
    out->total += pins.n;
    out->total_counted += pins.n;
    for (unsigned i = 0; ctx->facets && i < pins.n; i++)
        facets_count(&counts, xc_mset_docid(pins.m[i], 0));
    if (rc == 0 && out->total > 0 && !ranked)
        rc = page_of_hits(out, ctx, req, q, &qr, &pins, out->total, err);
    pins_dispose(&pins);
    if (rc == 0 && !(out->facets = facets_json(&counts)))
        rc = lib_error_nomem(err);
    if (rc == 0 && qr.suggestion && !(out->suggestion = strdup(qr.suggestion)))
        rc = lib_error_nomem(err);
    query_result_dispose(&qr);
    facets_counts_dispose(&counts);
    xc_query_free(q);
    if (rc != 0)
        search_result_dispose(out);
    return rc;
}

void search_result_dispose(struct search_result *r)
{
    if (!r)
        return;
    json_decref(r->hits);
    json_decref(r->facets);
    free(r->suggestion);
    memset(r, 0, sizeof *r);
}
