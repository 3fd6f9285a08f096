/* route_search.c: GET /api/search. Parameters are checked first (400 naming
 * the bad one), then query → Xapian → hits with snippets cut from the stored
 * body of the returned page only; total and facets count every match, by
 * document id from tables in memory (facets.c), or by value on an index
 * with remote shards. A reader whose revision was overwritten mid-query, or
 * that lost a remote shard, is reopened and the query rerun; an answer
 * without a shard says "partial" and names the shards it lacks. */
#include "server.h"

#include "doc_data.h"
#include "query.h"
#include "schema.h"
#include "snippet.h"
#include "swedish_date.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define Q_MAX 1024            /* bytes of query text */
#define SNIPPET_BYTES 240
#define PAGE_MAX 10000

struct search_params {
    const char *q;
    unsigned page, size;
    const char *type, *place, *year, *from, *to;
    int sort_date;
    int upcoming;          /* seminars from today on */
    char today[11];
};

/* Parses an unsigned in [lo, hi]; 0 on success. */
static int parse_uint(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
    if (!s || !*s || strlen(s) > 9)
        return -1;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9')
            return -1;
    unsigned long v = strtoul(s, NULL, 10);
    if (v < lo || v > hi)
        return -1;
    *out = (unsigned)v;
    return 0;
}

/* Fills p from the query string; on a bad parameter answers 400 and
 * returns -1 with *ret set. */
static int read_params(struct request *r, struct search_params *p, enum MHD_Result *ret)
{
    const char *v;
    memset(p, 0, sizeof *p);
    p->page = 1;
    p->size = 10;
    p->q = http_arg(r, "q");
    if (!p->q)
        p->q = "";
    if (strlen(p->q) > Q_MAX) {
        *ret = http_send_error(r, 400, "parameter q is longer than %d bytes", Q_MAX);
        return -1;
    }
    if (!text_is_utf8(p->q, strlen(p->q))) {
        *ret = http_send_error(r, 400, "parameter q is not valid UTF-8");
        return -1;
    }
    if ((v = http_arg(r, "page")) && parse_uint(v, 1, PAGE_MAX, &p->page) < 0) {
        *ret = http_send_error(r, 400, "parameter page must be a whole number from 1 to %d",
                               PAGE_MAX);
        return -1;
    }
    if ((v = http_arg(r, "size")) && parse_uint(v, 1, 100, &p->size) < 0) {
        *ret = http_send_error(r, 400, "parameter size must be a whole number from 1 to 100");
        return -1;
    }
    const char *names[] = {"type", "place"};
    const char **dst[] = {&p->type, &p->place};
    for (int i = 0; i < 2; i++) {
        v = http_arg(r, names[i]);
        if (v && (!*v || strlen(v) > 200 || !text_is_utf8(v, strlen(v)))) {
            *ret = http_send_error(r, 400, "parameter %s must be 1 to 200 bytes of UTF-8 text",
                                   names[i]);
            return -1;
        }
        *dst[i] = v;
    }
    unsigned year;
    if ((p->year = http_arg(r, "year")) &&
        (strlen(p->year) != 4 || parse_uint(p->year, 1000, 9999, &year) < 0)) {
        *ret = http_send_error(r, 400, "parameter year must be a year like 2019");
        return -1;
    }
    if (((p->from = http_arg(r, "from")) && !doc_date_valid(p->from)) ||
        ((p->to = http_arg(r, "to")) && !doc_date_valid(p->to))) {
        *ret = http_send_error(r, 400, "parameter %s must be a date YYYY-MM-DD",
                               p->from && !doc_date_valid(p->from) ? "from" : "to");
        return -1;
    }
    if ((v = http_arg(r, "upcoming"))) {
        if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0) {
            p->upcoming = 1;
        } else if (strcmp(v, "0") != 0 && strcmp(v, "false") != 0) {
            *ret = http_send_error(r, 400, "parameter upcoming must be true or false");
            return -1;
        }
    }
    if ((v = http_arg(r, "sort"))) {
        if (strcmp(v, "date") == 0) {
            p->sort_date = 1;
        } else if (strcmp(v, "relevance") != 0) {
            *ret = http_send_error(r, 400, "parameter sort must be relevance or date");
            return -1;
        }
    }
    return 0;
}

/* A boolean filter term prefix + folded value. */
static int filter_term(xc_query **out, const char *prefix, const char *value, xc_error *xe)
{
    char term[SCHEMA_TERM_MAX + 1];
    if (schema_bool_term(term, prefix, value, strlen(value)) < 0)
        return XC_E_NOMEM;
    return xc_query_new_term(out, term, 1, xe);
}

#define MAX_PARTS 8

/* The text's query (or every document) filtered by the parameters; takes
 * ownership of text_q. */
static int filtered(xc_query *text_q, const struct search_params *p, xc_query **out,
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

static const char *str_field(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* One hit: the stored fields a result list shows, a snippet and the score. */
static int hit_json(struct snippet_matcher *sm, struct doc_text *text, xc_mset *m, unsigned i,
                    double score, json_t *hits, xc_error *xe)
{
    xc_doc *d = NULL;
    char *data = NULL, *snippet = NULL;
    size_t len = 0;
    int rc = xc_mset_document(m, i, &d, xe);
    if (rc == 0)
        rc = xc_doc_get_data(d, &data, &len, xe);
    json_t *stored = NULL;
    const char *body = NULL;
    size_t body_len = 0;
    if (rc == 0 && doc_data_decode(&stored, &body, &body_len, text, data, len) == LIB_E_NOMEM)
        rc = XC_E_NOMEM;
    if (rc == 0 && stored) {
        if (!body && (body = str_field(stored, "summary")))
            body_len = strlen(body);
        if (body)
            rc = snippet_make(&snippet, sm, body, body_len, SNIPPET_BYTES);
    }
    if (rc == 0 && stored) {
        json_t *h = json_object();
        const char *fields[] = {"id", "url", "title", "type", "date", "place"};
        for (size_t k = 0; h && k < sizeof fields / sizeof fields[0]; k++) {
            const char *v = str_field(stored, fields[k]);
            json_object_set_new(h, fields[k], v ? json_string(v) : json_null());
        }
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

#define RERANK_WINDOW 50      /* best matches the static rank may reorder */
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

/* The static rank of match i: the value equal weights were sorted by. */
static double match_rank(xc_mset *m, unsigned i)
{
    char *key = NULL;
    size_t len = 0;
    double rank = xc_mset_sort_key(m, i, &key, &len, NULL) == 0 && len
                      ? xc_sortable_unserialise(key, len)
                      : 0.0;
    free(key);
    return rank;
}

/* The mset's hits in the order to show them: by relevance plus the static
 * rank (freshness, not a listing) when rerank, which can only reorder
 * near-ties among the best matches. *order is malloc'd; returns its length. */
static unsigned ranked_order(xc_mset *m, int rerank, struct ranked **order)
{
    unsigned n = xc_mset_size(m);
    *order = n ? malloc(n * sizeof **order) : NULL;
    for (unsigned i = 0; *order && i < n; i++) {
        double w = xc_mset_weight(m, i);
        if (rerank)
            w += RANK_WEIGHT * match_rank(m, i);
        (*order)[i] = (struct ranked){i, w};
    }
    if (*order && rerank)
        qsort(*order, n < RERANK_WINDOW ? n : RERANK_WINDOW, sizeof **order, by_score);
    return n;
}

/* How long counting every match may take: past it the total is Xapian's
 * estimate and the facets count the matches seen, so that no query holds a
 * thread for long. */
#define COUNT_SECONDS 0.25

/* Total and facets of q: every match, but as a boolean query (no weights to
 * compute), each counted by document id (facets.h). *exact is 0 when the
 * count was cut short. */
static int count_matches(struct reader *rd, xc_query *q, struct facet_counts *counts,
                         unsigned *total, int *exact, xc_error *xe)
{
    if (rd->remote)
        return facets_count_by_value(rd->db, q, COUNT_SECONDS, counts, total, exact, xe);
    return xc_db_count(rd->db, q, COUNT_SECONDS, facets_count, counts, total, exact, xe);
}

/* The query to run, filtered, counted into counts and *total: every word,
 * or any of them when every word matches nothing (*relaxed set). */
static int choose_query(struct reader *rd, const struct search_params *p,
                        struct query_result *qr, xc_query **q, struct facet_counts *counts,
                        unsigned *total, int *exact, int *relaxed, xc_error *xe)
{
    int rc = filtered(qr->query, p, q, xe);
    qr->query = NULL;
    *relaxed = 0;
    if (rc == 0)
        rc = count_matches(rd, *q, counts, total, exact, xe);
    if (rc == 0 && *total == 0 && qr->any_word) {
        xc_query_free(*q);
        rc = filtered(qr->any_word, p, q, xe);
        qr->any_word = NULL;
        *relaxed = 1;
        if (rc == 0)
            rc = count_matches(rd, *q, counts, total, exact, xe);
    }
    return rc;
}

/* Runs the search on rd; fills answer. An XC_E… code on failure. */
static int run_search(struct reader *rd, const struct search_params *p, json_t *answer,
                      xc_error *xe)
{
    struct query_ctx qc = {rd->an, rd->db, rd->synonyms};
    struct query_result qr;
    xc_query *q = NULL;
    xc_enquire *e = NULL;
    xc_mset *m = NULL;
    struct facet_counts counts;
    unsigned total = 0;
    int relaxed = 0, exact = 1;
    int rc = facets_counts_init(&counts, &rd->facets) < 0 ? XC_E_NOMEM : 0;
    if (rc != 0)
        return rc;
    rc = query_build(&qr, &qc, p->q, xe);
    if (rc != 0) {
        facets_counts_dispose(&counts);
        return rc;
    }
    rc = choose_query(rd, p, &qr, &q, &counts, &total, &exact, &relaxed, xe);
    /* The page of hits: ranked, no more matches checked than it needs. */
    if (rc == 0)
        rc = xc_enquire_new(&e, rd->db, xe);
    if (rc == 0)
        rc = xc_enquire_set_query(e, q, xe);
    /* Equal weights go by the static rank, which each match then carries
     * (also from a remote shard) for the reranking below. */
    int ranked = !p->sort_date && an_get_mode(rd->an) == AN_FULL;
    if (rc == 0 && p->sort_date)
        rc = xc_enquire_set_sort_by_value(e, SLOT_DATE, 1, xe);
    if (rc == 0 && ranked)
        rc = xc_enquire_set_sort_by_relevance_then_value(e, SLOT_RANK, 1, xe);
    unsigned first = (p->page - 1) * p->size;
    /* The static rank reorders the best RERANK_WINDOW matches only, always
     * the same ones, so pages never repeat or skip a hit. */
    int rerank = ranked && first < RERANK_WINDOW;
    unsigned window = first + p->size > RERANK_WINDOW ? first + p->size : RERANK_WINDOW;
    if (rc == 0 && total > 0)
        rc = xc_enquire_get_mset(e, rerank ? 0 : first, rerank ? window : p->size, 0, &m, xe);
    struct ranked *order = NULL;
    unsigned n = rc == 0 && m ? ranked_order(m, rerank, &order) : 0;
    if (rc == 0 && n && !order)
        rc = XC_E_NOMEM;
    json_t *hits = json_array();
    struct snippet_matcher *sm = NULL;
    struct doc_text text = DOC_TEXT_INIT;   /* the hits' texts, one after the other */
    if (rc == 0 && n && snippet_matcher_new(&sm, rd->an, &qr.keys) < 0)
        rc = XC_E_NOMEM;
    for (unsigned k = rerank ? first : 0; rc == 0 && k < n && k < (rerank ? first : 0) + p->size;
         k++)
        rc = hit_json(sm, &text, m, order[k].i, order[k].score, hits, xe);
    doc_text_dispose(&text);
    snippet_matcher_free(sm);
    free(order);
    if (rc == 0) {
        json_t *fo = facets_json(&counts);
        json_object_set_new(answer, "total", json_integer(total));
        json_object_set_new(answer, "total_exact", json_boolean(exact));
        json_object_set_new(answer, "any_word", json_boolean(relaxed));
        json_object_set_new(answer, "hits", hits);
        json_object_set_new(answer, "facets", fo);
        json_object_set_new(answer, "suggestion",
                            qr.suggestion ? json_string(qr.suggestion) : json_null());
        hits = NULL;
    }
    json_decref(hits);
    query_result_dispose(&qr);
    xc_mset_free(m);
    xc_enquire_free(e);
    facets_counts_dispose(&counts);
    xc_query_free(q);
    return rc;
}

static void today(char out[11])
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

enum MHD_Result route_search(struct request *r)
{
    struct search_params p;
    enum MHD_Result ret;
    if (read_params(r, &p, &ret) < 0)
        return ret;
    today(p.today);
    char err[512];
    struct reader *rd = reader_get(r->srv, err, sizeof err);
    if (!rd)
        return http_send_error(r, 503, "%s", err);
    /* Same index revision and arguments: the client's copy is current
     * (upcoming depends on the day, so it is never revalidated). */
    char etag[40];
    if (!p.upcoming && http_etag_check(r, xc_db_version(rd->db), etag, &ret) == 0)
        return ret;
    json_t *answer = json_pack("{s:s,s:i,s:i}", "query", p.q, "page", (int)p.page, "size",
                               (int)p.size);
    if (!answer)
        return http_send_error(r, 500, "out of memory");
    xc_error xe = {0};
    int rc = run_search(rd, &p, answer, &xe);
    /* Once for a revision overwritten under the reader; as many times as
     * there are shards for shards lost one after the other. */
    for (unsigned tries = 0;
         (rc == XC_E_MODIFIED && tries == 0) ||
         (rc == XC_E_NETWORK && tries < xc_db_shard_count(rd->db));
         tries++) {
        if (!(rd = reader_get(r->srv, err, sizeof err)))
            break;
        rc = run_search(rd, &p, answer, &xe);
    }
    if (rc != 0) {
        json_decref(answer);
        if (rc == XC_E_MODIFIED || rc == XC_E_DATABASE || rc == XC_E_NETWORK || !rd)
            return http_send_error(r, 503, "the index is busy, try again");
        return http_send_error(r, 500, "search failed: %s", xe.message);
    }
    json_t *missing = reader_missing(rd);
    json_object_set_new(answer, "partial", json_boolean(missing != NULL));
    if (missing)
        json_object_set_new(answer, "missing_shards", missing);
    json_object_set_new(answer, "took_ms", json_real(http_now_ms() - r->started_ms));
    /* A partial answer is not to be revalidated: the shard may be back. */
    return p.upcoming || missing ? http_send_json(r, 200, answer)
                                 : http_send_json_etag(r, answer, etag);
}
