/* route_analytics.c: the search statistics' routes. POST /api/click is what
 * the search page's beacon sends when a visitor follows a hit: a JSON
 * object {"q","id","rank"} (as text/plain, which is what sendBeacon sends;
 * the Content-Type is not looked at), checked whole, then 204 whether or not
 * statistics are kept, so the page need not know. GET /api/analytics is the
 * report, for the admin token only. */
#include "server.h"

#include "count.h"
#include "doc.h"
#include "error.h"

#include <string.h>
#include <time.h>

#define Q_MAX 1024              /* as a search's q */
#define REPORT_DAYS 30          /* the report's days unless from is given */
#define REPORT_SPAN_MAX 3660    /* days one report may cover */
#define LIMIT_DEFAULT 20
#define LIMIT_MAX 1000

/* The string member name of obj, of 1 to max bytes (jansson has checked its
 * UTF-8 and refused NUL), or NULL. */
static const char *member_text(json_t *obj, const char *name, size_t max)
{
    json_t *v = json_object_get(obj, name);
    size_t len = json_string_length(v);
    return json_is_string(v) && len >= 1 && len <= max ? json_string_value(v) : NULL;
}

enum MHD_Result route_click(struct request *r, const char *body, size_t len)
{
    json_error_t je;
    json_t *obj = body && len ? json_loadb(body, len, JSON_REJECT_DUPLICATES, &je) : NULL;
    const char *q = member_text(obj, "q", Q_MAX), *id = member_text(obj, "id", DOC_ID_MAX);
    json_t *rank = json_object_get(obj, "rank");
    json_int_t n = json_integer_value(rank);
    enum MHD_Result ret;
    if (!json_is_object(obj))
        ret = reply_error(r, 400, "the body must be a JSON object {\"q\",\"id\",\"rank\"}");
    else if (!q)
        ret = reply_error(r, 400, "\"q\" must be 1 to %d bytes of UTF-8 text", Q_MAX);
    else if (!id)
        ret = reply_error(r, 400, "\"id\" must be a document id of 1 to %d bytes", DOC_ID_MAX);
    else if (!json_is_integer(rank) || n < 1 || n > ANALYTICS_RANK_MAX)
        ret = reply_error(r, 400, "\"rank\" must be a whole number from 1 to %d",
                          ANALYTICS_RANK_MAX);
    else {
        /* The id was checked and is not kept: the statistics count clicks
         * by query and rank. */
        if (r->srv->analytics)
            analytics_click(r->srv->analytics, q, (unsigned)n);
        ret = reply_text(r, 204, strdup(""), "text/plain; charset=utf-8");
    }
    json_decref(obj);
    return ret;
}

/* A day parameter, or dflt when absent; 0, or -1 with a 400 queued. */
static int day_param(struct request *r, const char *name, long dflt, long *out,
                     enum MHD_Result *ret)
{
    const char *v = request_arg(r, name);
    *out = dflt;
    if (v && analytics_day_parse(out, v) < 0) {
        *ret = reply_error(r, 400, "parameter %s must be a date YYYY-MM-DD", name);
        return -1;
    }
    return 0;
}

enum MHD_Result route_analytics(struct request *r)
{
    enum MHD_Result ret;
    if (request_authorised(r, &ret) < 0)
        return ret;
    if (!r->srv->analytics)
        return reply_error(r, 404, "search statistics are off: start searchd with "
                                   "--analytics FILE");
    long from, to, today = analytics_day(time(NULL));
    if (day_param(r, "to", today, &to, &ret) < 0 ||
        day_param(r, "from", to - (REPORT_DAYS - 1), &from, &ret) < 0)
        return ret;
    if (from > to)
        return reply_error(r, 400, "parameter from must not be after to");
    if (to - from >= REPORT_SPAN_MAX)
        return reply_error(r, 400, "a report covers %d days at most", REPORT_SPAN_MAX);
    unsigned limit = LIMIT_DEFAULT;
    const char *v = request_arg(r, "limit");
    if (v && count_parse(&limit, v, 1, LIMIT_MAX) < 0)
        return reply_error(r, 400, "parameter limit must be a whole number from 1 to %d",
                           LIMIT_MAX);
    json_t *answer = NULL;
    char err[512];
    int rc = analytics_report(&answer, r->srv->analytics, from, to, limit, err, sizeof err);
    if (rc < 0)
        return reply_error(r, rc == LIB_E_NOMEM ? 500 : 503, "%s", err);
    return reply_json(r, 200, answer);
}
