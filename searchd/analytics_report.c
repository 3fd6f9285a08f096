/* analytics_report.c: the figures of GET /api/analytics, read from the
 * statistics file on a connection of its own in one read transaction (the
 * writer goes on meanwhile, WAL), so every figure is of the same moment.
 * The lists are of the queries whose text was kept (analytics.h): a query's
 * counts over the days are summed, from the days it was kept only. */
#include "analytics.h"

#include "error.h"

#include <sqlite3.h>
#include <stdio.h>

#define BUSY_MS 2000

/* Each list: its name and its statement (?1 from, ?2 to, ?3 limit). */
static const struct {
    const char *name, *sql;
} lists[] = {
    {"top_queries",
     "SELECT q, sum(searches) AS s, sum(no_hits) AS n, sum(clicks) AS c, sum(rank_sum)"
     " FROM queries WHERE day BETWEEN ?1 AND ?2 GROUP BY q ORDER BY s DESC, q LIMIT ?3"},
    {"no_hit_queries",
     "SELECT q, sum(searches) AS s, sum(no_hits) AS n, sum(clicks) AS c, sum(rank_sum)"
     " FROM queries WHERE day BETWEEN ?1 AND ?2 GROUP BY q HAVING n > 0"
     " ORDER BY n DESC, s DESC, q LIMIT ?3"},
    {"no_click_queries",
     "SELECT q, sum(searches) AS s, sum(no_hits) AS n, sum(clicks) AS c, sum(rank_sum)"
     " FROM queries WHERE day BETWEEN ?1 AND ?2 GROUP BY q HAVING s > n AND c = 0"
     " ORDER BY s - n DESC, q LIMIT ?3"},
};

/* rank_sum / clicks, or null when nothing was clicked. */
static json_t *mean_rank(sqlite3_int64 rank_sum, sqlite3_int64 clicks)
{
    return clicks > 0 ? json_real((double)rank_sum / (double)clicks) : json_null();
}

static int prepare(sqlite3 *db, const char *sql, long from, long to, sqlite3_stmt **st)
{
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
        return LIB_E_IO;
    sqlite3_bind_int64(*st, 1, from);
    sqlite3_bind_int64(*st, 2, to);
    return 0;
}

/* The totals of the days and each day's counts into answer. */
static int add_days(json_t *answer, sqlite3 *db, long from, long to)
{
    sqlite3_stmt *st = NULL;
    json_t *per_day = json_array();
    sqlite3_int64 sum[4] = {0, 0, 0, 0};   /* searches, no_hits, clicks, rank_sum */
    int rc = per_day ? prepare(db, "SELECT day, searches, no_hits, clicks, rank_sum FROM days"
                                   " WHERE day BETWEEN ?1 AND ?2 ORDER BY day",
                               from, to, &st)
                     : LIB_E_NOMEM;
    int step = rc == 0 ? sqlite3_step(st) : SQLITE_DONE;
    /* Every day of the range, those without a search too. */
    for (long day = from; rc == 0 && day <= to; day++) {
        sqlite3_int64 v[4] = {0, 0, 0, 0};
        if (step == SQLITE_ROW && sqlite3_column_int64(st, 0) == day) {
            for (int i = 0; i < 4; i++)
                sum[i] += v[i] = sqlite3_column_int64(st, i + 1);
            step = sqlite3_step(st);
        }
        char text[11];
        analytics_day_text(text, day);
        json_t *d = json_pack("{s:s,s:I,s:I,s:I}", "day", text, "searches", (json_int_t)v[0],
                              "no_hits", (json_int_t)v[1], "clicks", (json_int_t)v[2]);
        if (!d || json_array_append_new(per_day, d) < 0)
            rc = LIB_E_NOMEM;
    }
    if (rc == 0 && step != SQLITE_ROW && step != SQLITE_DONE)
        rc = LIB_E_IO;
    sqlite3_finalize(st);
    if (rc == 0) {
        json_object_set_new(answer, "searches", json_integer(sum[0]));
        json_object_set_new(answer, "no_hits", json_integer(sum[1]));
        json_object_set_new(answer, "clicks", json_integer(sum[2]));
        json_object_set_new(answer, "click_through_rate",
                            json_real(sum[0] ? (double)sum[2] / (double)sum[0] : 0.0));
        json_object_set_new(answer, "mean_clicked_rank", mean_rank(sum[3], sum[2]));
        rc = json_object_set_new(answer, "per_day", per_day) == 0 ? 0 : LIB_E_NOMEM;
    } else {
        json_decref(per_day);
    }
    return rc;
}

/* One of the lists into answer. */
static int add_list(json_t *answer, sqlite3 *db, size_t which, long from, long to,
                    unsigned limit)
{
    sqlite3_stmt *st = NULL;
    json_t *list = json_array();
    int rc = list ? prepare(db, lists[which].sql, from, to, &st) : LIB_E_NOMEM;
    int step = SQLITE_DONE;
    if (rc == 0)
        sqlite3_bind_int64(st, 3, limit);
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *q = (const char *)sqlite3_column_text(st, 0);
        json_t *item = json_pack("{s:s,s:I,s:I,s:I,s:o}", "q", q ? q : "", "searches",
                                 (json_int_t)sqlite3_column_int64(st, 1), "no_hits",
                                 (json_int_t)sqlite3_column_int64(st, 2), "clicks",
                                 (json_int_t)sqlite3_column_int64(st, 3), "mean_clicked_rank",
                                 mean_rank(sqlite3_column_int64(st, 4),
                                           sqlite3_column_int64(st, 3)));
        if (!item || json_array_append_new(list, item) < 0)
            rc = LIB_E_NOMEM;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = LIB_E_IO;
    sqlite3_finalize(st);
    if (rc == 0)
        return json_object_set_new(answer, lists[which].name, list) == 0 ? 0 : LIB_E_NOMEM;
    json_decref(list);
    return rc;
}

int analytics_report(json_t **out, struct analytics *a, long from, long to, unsigned limit,
                     char *err, size_t errlen)
{
    *out = NULL;
    /* What was queued before the request is in the file before it is read;
     * a writer that is late only makes the report a second older. */
    analytics_sync(a);
    sqlite3 *db = NULL;
    json_t *answer = NULL;
    char from_text[11], to_text[11];
    analytics_day_text(from_text, from);
    analytics_day_text(to_text, to);
    int rc = 0;
    if (sqlite3_open_v2(analytics_file(a), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK ||
        sqlite3_busy_timeout(db, BUSY_MS) != SQLITE_OK ||
        sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
        rc = LIB_E_IO;
        goto cleanup;
    }
    if (!(answer = json_pack("{s:s,s:s}", "from", from_text, "to", to_text))) {
        rc = LIB_E_NOMEM;
        goto cleanup;
    }
    rc = add_days(answer, db, from, to);
    for (size_t i = 0; rc == 0 && i < sizeof lists / sizeof lists[0]; i++)
        rc = add_list(answer, db, i, from, to, limit);
cleanup:
    if (rc == LIB_E_IO)
        snprintf(err, errlen, "cannot read the statistics: %s",
                 db ? sqlite3_errmsg(db) : "out of memory");
    else if (rc < 0)
        snprintf(err, errlen, "out of memory");
    sqlite3_close(db);   /* ends the read transaction */
    if (rc < 0) {
        json_decref(answer);
        return rc;
    }
    *out = answer;
    return 0;
}
