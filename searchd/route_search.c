/* route_search.c: GET /api/search. Parameters are checked first (400 naming
 * the bad one), then the search runs (lib/search.c) and its result becomes
 * the JSON answer. A reader whose revision was overwritten mid-query, or
 * that lost a remote shard, is reopened and the search run again; an answer
 * without a shard says "partial" and names the shards it lacks. A first
 * page answered is queued for the search statistics (analytics.h) when
 * they are on: the query as typed and whether it found anything. */
#include "server.h"

#include "doc_data.h"
#include "search.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define Q_MAX 1024            /* bytes of query text */
#define PAGE_MAX 10000

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
static int read_params(struct request *r, struct search_request *p, enum MHD_Result *ret)
{
    const char *v;
    memset(p, 0, sizeof *p);
    p->page = 1;
    p->size = 10;
    p->q = request_arg(r, "q");
    if (!p->q)
        p->q = "";
    if (strlen(p->q) > Q_MAX) {
        *ret = reply_error(r, 400, "parameter q is longer than %d bytes", Q_MAX);
        return -1;
    }
    if (!text_is_utf8(p->q, strlen(p->q))) {
        *ret = reply_error(r, 400, "parameter q is not valid UTF-8");
        return -1;
    }
    if ((v = request_arg(r, "page")) && parse_uint(v, 1, PAGE_MAX, &p->page) < 0) {
        *ret = reply_error(r, 400, "parameter page must be a whole number from 1 to %d",
                           PAGE_MAX);
        return -1;
    }
    if ((v = request_arg(r, "size")) && parse_uint(v, 1, SEARCH_SIZE_MAX, &p->size) < 0) {
        *ret = reply_error(r, 400, "parameter size must be a whole number from 1 to %d",
                           SEARCH_SIZE_MAX);
        return -1;
    }
    const char *names[] = {"type", "place", "format"};
    const char **dst[] = {&p->type, &p->place, &p->format};
    for (int i = 0; i < 3; i++) {
        v = request_arg(r, names[i]);
        if (v && (!*v || strlen(v) > 200 || !text_is_utf8(v, strlen(v)))) {
            *ret = reply_error(r, 400, "parameter %s must be 1 to 200 bytes of UTF-8 text",
                               names[i]);
            return -1;
        }
        *dst[i] = v;
    }
    if (p->format && !doc_format_known(p->format)) {
        *ret = reply_error(r, 400, "parameter format must be one of %s", DOC_FORMATS);
        return -1;
    }
    char lang[DOC_LANG_MAX];
    if ((p->lang = request_arg(r, "lang")) &&
        (doc_lang_parse(lang, p->lang, strlen(p->lang)) < 0 || strcmp(lang, p->lang) != 0)) {
        *ret = reply_error(r, 400, "parameter lang must be a language subtag such as sv or en");
        return -1;
    }
    unsigned year;
    if ((p->year = request_arg(r, "year")) &&
        (strlen(p->year) != 4 || parse_uint(p->year, 1000, 9999, &year) < 0)) {
        *ret = reply_error(r, 400, "parameter year must be a year like 2019");
        return -1;
    }
    if (((p->from = request_arg(r, "from")) && !doc_date_valid(p->from)) ||
        ((p->to = request_arg(r, "to")) && !doc_date_valid(p->to))) {
        *ret = reply_error(r, 400, "parameter %s must be a date YYYY-MM-DD",
                           p->from && !doc_date_valid(p->from) ? "from" : "to");
        return -1;
    }
    if ((v = request_arg(r, "upcoming"))) {
        if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0) {
            p->upcoming = 1;
        } else if (strcmp(v, "0") != 0 && strcmp(v, "false") != 0) {
            *ret = reply_error(r, 400, "parameter upcoming must be true or false");
            return -1;
        }
    }
    if ((v = request_arg(r, "sort"))) {
        if (strcmp(v, "date") == 0) {
            p->sort_date = 1;
        } else if (strcmp(v, "relevance") != 0) {
            *ret = reply_error(r, 400, "parameter sort must be relevance or date");
            return -1;
        }
    }
    return 0;
}

/* Runs the search on rd into answer. An XC_E… code on failure. */
static int run_search(struct server *srv, struct reader *rd, const struct search_request *p,
                      json_t *answer, xc_error *xe)
{
    /* A second thread for the count while at most half the cores search:
     * past that, the count would take a core another search needs. */
    unsigned searching = atomic_fetch_add(&srv->searching, 1) + 1;
    struct search_ctx ctx = {rd->an, rd->db, rd->synonyms, facet_share_table(rd->facets),
                             rd->sampled, srv->count_limit, &rd->text, &rd->langs,
                             rd->best_bets, rd->tiered, 0, 0, 0,
                             searching * 2 <= srv->cores ? rd->count_db : NULL,
                             srv->count_thread_from, rd->facets_together,
                             rd->remote ? NULL : srv->postings};
    struct search_result res;
    int rc = search_run(&res, &ctx, p, xe);
    atomic_fetch_sub(&srv->searching, 1);
    if (rc != 0)
        return rc;
    if (res.counted_apart)
        atomic_fetch_add_explicit(&srv->metrics.counted_apart, 1, memory_order_relaxed);
    json_object_set_new(answer, "total", json_integer(res.total));
    json_object_set_new(answer, "total_exact", json_boolean(res.total_exact));
    json_object_set_new(answer, "total_counted", json_integer(res.total_counted));
    json_object_set_new(answer, "count_limit", json_integer(srv->count_limit));
    json_object_set_new(answer, "any_word", json_boolean(res.any_word));
    json_object_set_new(answer, "hits", json_incref(res.hits));
    json_object_set_new(answer, "facets", json_incref(res.facets));
    json_object_set_new(answer, "facets_exact", json_boolean(res.facets_exact));
    json_object_set_new(answer, "suggestion",
                        res.suggestion ? json_string(res.suggestion) : json_null());
    search_result_dispose(&res);
    return 0;
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
    struct search_request p;
    enum MHD_Result ret;
    if (read_params(r, &p, &ret) < 0)
        return ret;
    today(p.today);
    char err[512];
    struct reader *rd = reader_get(r->srv, err, sizeof err);
    if (!rd)
        return reply_error(r, 503, "%s", err);
    /* Same index revision and arguments: the client's copy is current
     * (upcoming depends on the day, and so do best bets with campaign
     * days: neither is revalidated). */
    char etag[40];
    int by_day = p.upcoming || rd->best_bets_dated;
    if (!by_day && reply_etag_check(r, xc_db_version(rd->db), etag, &ret) == 0)
        return ret;
    json_t *answer = json_pack("{s:s,s:i,s:i}", "query", p.q, "page", (int)p.page, "size",
                               (int)p.size);
    if (!answer)
        return reply_error(r, 500, "out of memory");
    xc_error xe = {0};
    int rc = run_search(r->srv, rd, &p, answer, &xe);
    /* Once for a revision overwritten under the reader; as many times as
     * there are shards for shards lost one after the other. */
    for (unsigned tries = 0;
         (rc == XC_E_MODIFIED && tries == 0) ||
         (rc == XC_E_NETWORK && tries < xc_db_shard_count(rd->db));
         tries++) {
        if (!(rd = reader_get(r->srv, err, sizeof err)))
            break;
        rc = run_search(r->srv, rd, &p, answer, &xe);
    }
    if (rc != 0) {
        json_decref(answer);
        return reply_index_error(r, rd ? rc : XC_E_DATABASE, "search failed", xe.message);
    }
    json_t *missing = reader_missing(rd);
    json_object_set_new(answer, "partial", json_boolean(missing != NULL));
    if (missing)
        json_object_set_new(answer, "missing_shards", missing);
    json_object_set_new(answer, "took_ms", json_real(clock_ms() - r->started_ms));
    /* The next pages of a search are the same search; a HEAD, nobody's. */
    int counted = r->srv->analytics && p.page == 1 && strcmp(r->method, "GET") == 0;
    json_int_t total = json_integer_value(json_object_get(answer, "total"));
    /* A partial answer is not to be revalidated: the shard may be back. */
    ret = by_day || missing ? reply_json(r, 200, answer) : reply_json_etag(r, answer, etag);
    if (counted)
        analytics_search(r->srv->analytics, p.q, total > 0 ? (unsigned long long)total : 0);
    return ret;
}
