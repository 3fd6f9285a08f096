/* test_analytics.c: search statistics (searchd --analytics FILE) through a
 * real searchd and its real SQLite file: searches and clicks counted per
 * day, the report's figures (click-through rate, mean clicked rank, the
 * lists and their order) against the published description, queries
 * normalised and long numbers masked, the rare-query rule proved on the
 * file's bytes and its WAL's (a query searched twice is counted, its text is
 * nowhere), nothing about the visitor stored, the admin token required,
 * old days deleted at start, hostile click bodies refused while searchd
 * goes on serving, the queue written at SIGTERM, and searches that do not
 * wait for a locked file. */
#include "answers.h"
#include "check.h"
#include "openapi_check.h"
#include "support.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TOKEN "statistics-token-0123456789abcdef"
#define AUTH "Authorization: Bearer " TOKEN "\r\n"
#define AGENT "analytics-test-agent/4.2"

struct fixture {
    char dir[256];
    char db[512];
    char token[512];
    char stats[512];          /* the main searchd's statistics file */
    struct searchd sd;        /* with the token and --analytics stats */
    json_t *openapi;
    char today[11];
    long today_n;             /* today as the statistics count days */
};

/* A day as searchd counts them: the local date, days since 1970-01-01. */
static long day_number(time_t t)
{
    struct tm local;
    localtime_r(&t, &local);
    struct tm midnight = {.tm_year = local.tm_year, .tm_mon = local.tm_mon,
                          .tm_mday = local.tm_mday};
    return (long)(timegm(&midnight) / 86400);
}

static void day_text(char out[11], long day)
{
    time_t t = (time_t)day * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* GET /api/search?q=Q (and more args), as a browser would send it; the
 * answer's total, or -1 when it was no 200. */
static long search(unsigned port, const char *q, const char *more)
{
    char *enc = url_encode(q), target[2048];
    snprintf(target, sizeof target, "/api/search?q=%s%s", enc, more ? more : "");
    free(enc);
    struct http_reply r;
    long total = -1;
    if (http_request(port, "GET", target,
                     "User-Agent: " AGENT "\r\nX-Forwarded-For: 203.0.113.77\r\n"
                     "Cookie: session=c00kie-value-991\r\n",
                     NULL, 0, &r) == 0 && r.status == 200) {
        json_t *a = json_loads(r.body, 0, NULL);
        total = (long)json_integer_value(json_object_get(a, "total"));
        json_decref(a);
    }
    http_reply_dispose(&r);
    return total;
}

static void search_n(struct check *c, unsigned port, const char *q, int n)
{
    for (int i = 0; i < n; i++)
        CHECK(c, search(port, q, NULL) >= 0);
}

/* POST /api/click with body as sendBeacon sends it; the status. */
static int click_body(unsigned port, const char *body, size_t len)
{
    struct http_reply r;
    int status = -1;
    if (http_request(port, "POST", "/api/click",
                     "Content-Type: text/plain;charset=UTF-8\r\nUser-Agent: " AGENT "\r\n",
                     body, len, &r) == 0)
        status = r.status;
    http_reply_dispose(&r);
    return status;
}

static int click(unsigned port, const char *q, const char *id, int rank)
{
    json_t *o = json_pack("{s:s,s:s,s:i}", "q", q, "id", id, "rank", rank);
    char *body = json_dumps(o, JSON_COMPACT);
    int status = click_body(port, body, strlen(body));
    free(body);
    json_decref(o);
    return status;
}

/* GET /api/analytics?ARGS with headers hdr; the answer as JSON, its status
 * in *status. */
static json_t *report_as(unsigned port, const char *args, const char *hdr, int *status)
{
    char target[512];
    snprintf(target, sizeof target, "/api/analytics%s%s", args ? "?" : "", args ? args : "");
    struct http_reply r;
    *status = 0;
    if (http_request(port, "GET", target, hdr, NULL, 0, &r) < 0)
        return NULL;
    *status = r.status;
    json_t *j = json_loads(r.body, 0, NULL);
    http_reply_dispose(&r);
    return j;
}

/* Today's report (or args') from the main searchd, NULL unless a 200. */
static json_t *report(const struct fixture *f, const char *args)
{
    char own[256];
    snprintf(own, sizeof own, "from=%s&to=%s&limit=100", f->today, f->today);
    int status;
    json_t *a = report_as(f->sd.port, args ? args : own, AUTH, &status);
    if (status != 200) {
        json_decref(a);
        return NULL;
    }
    return a;
}

static long number(json_t *o, const char *key)
{
    return (long)json_integer_value(json_object_get(o, key));
}

/* The item of list (top_queries, …) whose q is q, or NULL. */
static json_t *item(json_t *answer, const char *list, const char *q)
{
    json_t *l = json_object_get(answer, list), *it;
    size_t i;
    json_array_foreach(l, i, it)
        if (strcmp(json_string_value(json_object_get(it, "q")), q) == 0)
            return it;
    return NULL;
}

/* 1 when the file at path holds needle anywhere in its bytes. */
static int file_holds(const char *path, const char *needle)
{
    size_t len = 0;
    char *bytes = file_read_all(path, &len);
    int found = bytes && memmem(bytes, len, needle, strlen(needle)) != NULL;
    free(bytes);
    return found;
}

/* 1 when the statistics file, its WAL or its shared memory hold needle. */
static int stats_hold(const char *stats, const char *needle)
{
    const char *suffix[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        char path[600];
        snprintf(path, sizeof path, "%s%s", stats, suffix[i]);
        if (file_holds(path, needle))
            return 1;
    }
    return 0;
}

/* The first column of the first row of sql over the file at path, or -1. */
static long sql_number(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    long v = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* Runs sql (statements) over the file at path; 0 or -1. */
static int sql_exec(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
                     sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK
                 ? 0
                 : -1;
    if (rc < 0)
        fprintf(stderr, "  sql: %s\n", sqlite3_errmsg(db));
    sqlite3_close(db);
    return rc;
}

/* The first test on a fresh file: every figure of the report exactly. */
static void test_counts_per_day_and_the_report_figures(struct check *c)
{
    const struct fixture *f = c->ctx;
    unsigned port = f->sd.port;
    search_n(c, port, "segregation", 5);
    search_n(c, port, "Malmö", 4);
    for (int i = 0; i < 3; i++)
        CHECK(c, search(port, "xqzvw", NULL) == 0);   /* no hits */
    /* not counted: a next page, a refused search */
    CHECK(c, search(port, "segregation", "&page=2") > 0);
    CHECK(c, search(port, "segregation", "&size=500") < 0);
    CHECK(c, click(port, "segregation", "artikel/segregationen-i-siffror.html", 1) == 204);
    CHECK(c, click(port, "segregation", "artikel/x.html", 3) == 204);
    CHECK(c, click(port, "  Segregation ", "artikel/y.html", 2) == 204);   /* the same query */

    json_t *a = report(f, NULL);
    CHECK(c, a != NULL);
    CHECK(c, openapi_holds(f->openapi, "/api/analytics", "200", a));
    CHECK(c, number(a, "searches") == 12);
    CHECK(c, number(a, "no_hits") == 3);
    CHECK(c, number(a, "clicks") == 3);
    CHECK(c, json_real_value(json_object_get(a, "click_through_rate")) == 0.25);
    CHECK(c, json_real_value(json_object_get(a, "mean_clicked_rank")) == 2.0);
    json_t *days = json_object_get(a, "per_day"), *day = json_array_get(days, 0);
    CHECK(c, json_array_size(days) == 1);
    CHECK_STR(c, json_string_value(json_object_get(day, "day")), f->today);
    CHECK(c, number(day, "searches") == 12 && number(day, "no_hits") == 3 &&
                 number(day, "clicks") == 3);
    /* most searched first */
    json_t *top = json_object_get(a, "top_queries");
    CHECK(c, json_array_size(top) == 3);
    CHECK_STR(c, json_string_value(json_object_get(json_array_get(top, 0), "q")), "segregation");
    CHECK_STR(c, json_string_value(json_object_get(json_array_get(top, 1), "q")), "malmö");
    CHECK_STR(c, json_string_value(json_object_get(json_array_get(top, 2), "q")), "xqzvw");
    json_t *seg = item(a, "top_queries", "segregation");
    CHECK(c, number(seg, "searches") == 5 && number(seg, "clicks") == 3);
    CHECK(c, json_real_value(json_object_get(seg, "mean_clicked_rank")) == 2.0);
    CHECK(c, json_is_null(json_object_get(item(a, "top_queries", "malmö"), "mean_clicked_rank")));
    /* found nothing; found something that nobody clicked */
    json_t *none = json_object_get(a, "no_hit_queries");
    CHECK(c, json_array_size(none) == 1 && item(a, "no_hit_queries", "xqzvw"));
    CHECK(c, number(item(a, "no_hit_queries", "xqzvw"), "no_hits") == 3);
    json_t *unclicked = json_object_get(a, "no_click_queries");
    CHECK(c, json_array_size(unclicked) == 1 && item(a, "no_click_queries", "malmö"));
    json_decref(a);

    /* The default: the last 30 days, today last, every day listed. */
    int status;
    a = report_as(port, NULL, AUTH, &status);
    CHECK(c, status == 200);
    CHECK_STR(c, json_string_value(json_object_get(a, "to")), f->today);
    days = json_object_get(a, "per_day");
    CHECK(c, json_array_size(days) == 30);
    CHECK_STR(c, json_string_value(json_object_get(json_array_get(days, 29), "day")), f->today);
    CHECK(c, number(json_array_get(days, 0), "searches") == 0);
    CHECK(c, number(a, "searches") == 12);
    CHECK(c, openapi_holds(f->openapi, "/api/analytics", "200", a));
    json_decref(a);
    a = report_as(port, "limit=1", AUTH, &status);
    CHECK(c, json_array_size(json_object_get(a, "top_queries")) == 1);
    json_decref(a);

    const char *bad[] = {"from=2026-13-01", "to=igår", "from=2020-01-02&to=2020-01-01",
                         "from=1990-01-01&to=2020-01-01", "limit=0", "limit=1001", "limit=x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        a = report_as(port, bad[i], AUTH, &status);
        CHECK(c, status == 400);
        CHECK(c, openapi_holds(f->openapi, "/api/analytics", "400", a));
        json_decref(a);
    }
}

static void test_queries_are_normalised_and_long_numbers_masked(struct check *c)
{
    const struct fixture *f = c->ctx;
    search_n(c, f->sd.port, "Personnummer 8001011234", 2);
    search_n(c, f->sd.port, "  PERSONNUMMER\t8001011234 ", 1);
    search_n(c, f->sd.port, "intyg 19800101-1234", 3);
    json_t *a = report(f, NULL);
    CHECK(c, number(item(a, "top_queries", "personnummer ##########"), "searches") == 3);
    CHECK(c, number(item(a, "top_queries", "intyg ########-####"), "searches") == 3);
    json_decref(a);
    CHECK(c, !stats_hold(f->stats, "8001011234"));
    CHECK(c, !stats_hold(f->stats, "19800101"));
    CHECK(c, stats_hold(f->stats, "personnummer ##########"));
}

/* The rule that protects a rare query: searched twice today, it counts in
 * the totals, is in no list, and its text is in none of the files' bytes,
 * while a query searched three times is (so the bytes are read right). */
static void test_a_rare_query_is_counted_but_its_text_never_stored(struct check *c)
{
    const struct fixture *f = c->ctx;
    json_t *a = report(f, NULL);
    long before = number(a, "searches"), clicks = number(a, "clicks");
    json_decref(a);
    search_n(c, f->sd.port, "Sällsyntfråga om Bidrag", 2);
    CHECK(c, click(f->sd.port, "sällsyntfråga om bidrag", "artikel/a.html", 4) == 204);
    search_n(c, f->sd.port, "vanligfråga om bidrag", 3);
    a = report(f, NULL);
    CHECK(c, number(a, "searches") == before + 5);
    CHECK(c, number(a, "clicks") == clicks + 1);
    CHECK(c, !item(a, "top_queries", "sällsyntfråga om bidrag"));
    CHECK(c, !item(a, "no_click_queries", "sällsyntfråga om bidrag"));
    CHECK(c, item(a, "top_queries", "vanligfråga om bidrag") != NULL);
    json_decref(a);
    CHECK(c, !stats_hold(f->stats, "sällsyntfråga"));
    CHECK(c, !stats_hold(f->stats, "llsyntfr"));   /* however it were encoded */
    CHECK(c, stats_hold(f->stats, "vanligfråga om bidrag"));
}

static void test_nothing_about_the_visitor_is_stored(struct check *c)
{
    const struct fixture *f = c->ctx;
    search_n(c, f->sd.port, "besöksfråga", 3);
    CHECK(c, click(f->sd.port, "besöksfråga", "artikel/b.html", 1) == 204);
    json_t *a = report(f, NULL);   /* written before it answers */
    CHECK(c, item(a, "top_queries", "besöksfråga") != NULL);
    json_decref(a);
    const char *visitor[] = {"127.0.0.1", AGENT, "analytics-test", "203.0.113.77",
                             "c00kie-value-991", "artikel/b.html"};
    for (size_t i = 0; i < sizeof visitor / sizeof visitor[0]; i++)
        if (stats_hold(f->stats, visitor[i])) {
            fprintf(stderr, "  the statistics hold %s\n", visitor[i]);
            CHECK(c, !"the statistics hold something of the visitor");
        }
    /* and no column could: a day and a query's text and counts, no more */
    CHECK(c, sql_number(f->stats, "SELECT count(*) FROM pragma_table_info('queries')") == 6);
    CHECK(c, sql_number(f->stats, "SELECT count(*) FROM pragma_table_info('days')") == 5);
    CHECK(c, sql_number(f->stats, "SELECT count(*) FROM sqlite_master WHERE type = 'table'") ==
                 2);
}

static void test_the_report_needs_the_admin_token(struct check *c)
{
    const struct fixture *f = c->ctx;
    const char *hdrs[] = {NULL, "Authorization: Bearer wrong\r\n",
                          "Authorization: Bearer " TOKEN "x\r\n",
                          "Authorization: Basic " TOKEN "\r\n"};
    int status;
    for (size_t i = 0; i < sizeof hdrs / sizeof hdrs[0]; i++) {
        json_t *a = report_as(f->sd.port, NULL, hdrs[i], &status);
        CHECK(c, status == 401);
        CHECK(c, openapi_holds(f->openapi, "/api/analytics", "401", a));
        json_decref(a);
    }
    /* statistics without a token file: nobody reads them over HTTP */
    struct searchd sd;
    char other[600];
    snprintf(other, sizeof other, "%s/no-token.db", f->dir);
    const char *no_token[] = {"--analytics", other, NULL};
    CHECK(c, searchd_start(&sd, f->db, no_token) == 0);
    json_t *a = report_as(sd.port, NULL, AUTH, &status);
    CHECK(c, status == 403);
    CHECK(c, openapi_holds(f->openapi, "/api/analytics", "403", a));
    json_decref(a);
    CHECK(c, searchd_stop(&sd) == 0);
    /* a token and no statistics: 404 for the report, 204 for the page's beacon */
    const char *no_stats[] = {"--admin-token-file", f->token, NULL};
    CHECK(c, searchd_start(&sd, f->db, no_stats) == 0);
    a = report_as(sd.port, NULL, AUTH, &status);
    CHECK(c, status == 404);
    CHECK_CONTAINS(c, json_string_value(json_object_get(json_object_get(a, "error"), "message")),
                   "--analytics");
    json_decref(a);
    CHECK(c, click(sd.port, "segregation", "artikel/a.html", 1) == 204);
    CHECK(c, click_body(sd.port, "nej", 3) == 400);
    CHECK(c, searchd_stop(&sd) == 0);
}

static void test_hostile_click_bodies_are_refused(struct check *c)
{
    const struct fixture *f = c->ctx;
    unsigned port = f->sd.port;
    json_t *a = report(f, NULL);
    long clicks = number(a, "clicks");
    json_decref(a);
    const char *bad[] = {
        "", "nej", "q=segregation&id=a&rank=1", "[]", "\"q\"", "{}",
        "{\"q\":\"segregation\",\"id\":\"a\"}",
        "{\"q\":\"segregation\",\"id\":\"a\",\"rank\":\"1\"}",
        "{\"q\":\"segregation\",\"id\":\"a\",\"rank\":0}",
        "{\"q\":\"segregation\",\"id\":\"a\",\"rank\":-3}",
        "{\"q\":\"segregation\",\"id\":\"a\",\"rank\":1.5}",
        "{\"q\":\"segregation\",\"id\":\"a\",\"rank\":1000001}",
        "{\"q\":\"segregation\",\"id\":\"a\",\"rank\":99999999999999999999999}",
        "{\"q\":\"\",\"id\":\"a\",\"rank\":1}",
        "{\"q\":7,\"id\":\"a\",\"rank\":1}",
        "{\"q\":\"segregation\",\"id\":\"\",\"rank\":1}",
        "{\"q\":\"segregation\",\"id\":[\"a\"],\"rank\":1}",
        "{\"q\":\"seg\\u0000regation\",\"id\":\"a\",\"rank\":1}",
        "{\"q\":\"segregation\",\"q\":\"malmö\",\"id\":\"a\",\"rank\":1}",
        "{\"q\":\"seg\xff\xferegation\",\"id\":\"a\",\"rank\":1}",
        "{\"q\":\"\xed\xa0\x80\",\"id\":\"a\",\"rank\":1}",
        "{\"q\":\"segregation\",\"id\":\"a\",\"rank\":1",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int status = click_body(port, bad[i], strlen(bad[i]));
        if (status != 400)
            fprintf(stderr, "  body %zu: %d\n", i, status);
        CHECK(c, status == 400);
    }
    /* too long fields, deep nesting, a body past the bound, a huge one */
    char *body = malloc(10 * 1024 * 1024);
    snprintf(body, 4096, "{\"q\":\"%01100d\",\"id\":\"a\",\"rank\":1}", 0);
    CHECK(c, click_body(port, body, strlen(body)) == 400);
    snprintf(body, 4096, "{\"q\":\"a\",\"id\":\"%0600d\",\"rank\":1}", 0);
    CHECK(c, click_body(port, body, strlen(body)) == 400);
    memset(body, '[', 3000);
    CHECK(c, click_body(port, body, 3000) == 400);
    memset(body, ' ', 5000);
    memcpy(body + 4000, "{\"q\":\"a\",\"id\":\"a\",\"rank\":1}", 27);
    CHECK(c, click_body(port, body, 5000) == 413);
    memset(body, 'x', 10 * 1024 * 1024);
    CHECK(c, click_body(port, body, 10 * 1024 * 1024) == 413);
    free(body);
    struct http_reply r;
    CHECK(c, http_request(port, "GET", "/api/click", NULL, NULL, 0, &r) == 0);
    CHECK(c, r.status == 405);
    char *allow = http_header(&r, "Allow");
    CHECK_STR(c, allow, "POST");
    free(allow);
    http_reply_dispose(&r);
    /* still serving, and none of them counted */
    CHECK(c, search(port, "segregation", NULL) > 0);
    CHECK(c, click(port, "segregation", "artikel/a.html", 1000000) == 204);
    a = report(f, NULL);
    CHECK(c, number(a, "clicks") == clicks + 1);
    json_decref(a);
}

static void test_metrics_count_the_statistics_events(struct check *c)
{
    const struct fixture *f = c->ctx;
    struct http_reply r;
    CHECK(c, http_request(f->sd.port, "GET", "/metrics", NULL, NULL, 0, &r) == 0);
    CHECK_CONTAINS(c, r.body, "searchd_analytics_dropped_total 0\n");
    CHECK_CONTAINS(c, r.body, "searchd_analytics_failed_total 0\n");
    const char *w = r.body ? strstr(r.body, "\nsearchd_analytics_written_total ") : NULL;
    CHECK(c, w && atol(w + strlen("\nsearchd_analytics_written_total ")) > 30);
    CHECK_CONTAINS(c, r.body, "searchd_requests_total{route=\"click\",status=\"204\"}");
    CHECK_CONTAINS(c, r.body, "searchd_requests_total{route=\"analytics\",status=\"200\"}");
    http_reply_dispose(&r);
}

/* Another program holding the file's write lock stops the writer thread,
 * never a search: they answer as fast as ever, and the batch that could not
 * be written is counted as lost. */
static void test_searches_do_not_wait_for_a_locked_file(struct check *c)
{
    const struct fixture *f = c->ctx;
    sqlite3 *db = NULL;
    CHECK(c, sqlite3_open_v2(f->stats, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK);
    CHECK(c, sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK);
    double slowest = 0, start = now_s();
    /* past the writer's flush and its 2 s wait for the lock */
    while (now_s() - start < 3.5) {
        double t = now_s();
        CHECK(c, search(f->sd.port, "låst fil", NULL) >= 0);
        double took = now_s() - t;
        slowest = took > slowest ? took : slowest;
        pause_ms(50);
    }
    CHECK(c, sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    if (slowest >= 1.0)
        fprintf(stderr, "  the slowest search took %.2f s\n", slowest);
    CHECK(c, slowest < 1.0);
    struct http_reply r;
    CHECK(c, http_request(f->sd.port, "GET", "/metrics", NULL, NULL, 0, &r) == 0);
    const char *lost = r.body ? strstr(r.body, "\nsearchd_analytics_failed_total ") : NULL;
    CHECK(c, lost && atol(lost + strlen("\nsearchd_analytics_failed_total ")) > 0);
    http_reply_dispose(&r);
    json_t *a = report(f, NULL);   /* and the writer goes on */
    CHECK(c, a != NULL);
    json_decref(a);
}

/* Inserts a day's totals and one query of it into the file at path. */
static int insert_day(const char *path, long day, const char *q)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO days VALUES (%ld, 10, 1, 2, 3);"
             "INSERT INTO queries VALUES (%ld, '%s', 5, 0, 1, 1);",
             day, day, q);
    return sql_exec(path, sql);
}

/* --analytics-days: the days before are deleted at start, and nothing of
 * them stays in the file's or the WAL's bytes. */
static void test_old_days_are_deleted_at_start(struct check *c)
{
    const struct fixture *f = c->ctx;
    char path[600];
    snprintf(path, sizeof path, "%s/old.db", f->dir);
    const char *args[] = {"--analytics", path, "--admin-token-file", f->token, NULL, NULL,
                          NULL};
    struct searchd sd;
    CHECK(c, searchd_start(&sd, f->db, args) == 0);   /* makes the file */
    CHECK(c, searchd_stop(&sd) == 0);
    long t = f->today_n;
    CHECK(c, insert_day(path, t - 500, "uråldrigfråga") == 0);
    CHECK(c, insert_day(path, t - 400, "fyrahundrafråga") == 0);
    CHECK(c, insert_day(path, t - 399, "kvarvarandefråga") == 0);
    CHECK(c, insert_day(path, t - 10, "tiodagarsfråga") == 0);
    CHECK(c, stats_hold(path, "uråldrigfråga"));

    CHECK(c, searchd_start(&sd, f->db, args) == 0);   /* 400 days, today's included */
    char from[11], range[64];
    day_text(from, t - 600);
    snprintf(range, sizeof range, "from=%s&limit=100", from);
    int status;
    json_t *a = report_as(sd.port, range, AUTH, &status);
    CHECK(c, status == 200 && number(a, "searches") == 20);
    CHECK(c, json_array_size(json_object_get(a, "per_day")) == 601);
    CHECK(c, number(json_array_get(json_object_get(a, "per_day"), 600 - 399), "searches") == 10);
    CHECK(c, item(a, "top_queries", "kvarvarandefråga"));
    CHECK(c, item(a, "top_queries", "tiodagarsfråga"));
    CHECK(c, !item(a, "top_queries", "uråldrigfråga"));
    CHECK(c, !item(a, "top_queries", "fyrahundrafråga"));
    json_decref(a);
    CHECK(c, searchd_stop(&sd) == 0);
    CHECK(c, sql_number(path, "SELECT count(*) FROM days") == 2);
    CHECK(c, !stats_hold(path, "uråldrigfråga"));
    CHECK(c, !stats_hold(path, "fyrahundrafråga"));

    args[4] = "--analytics-days";
    args[5] = "5";
    CHECK(c, searchd_start(&sd, f->db, args) == 0);
    a = report_as(sd.port, range, AUTH, &status);
    CHECK(c, status == 200 && number(a, "searches") == 0);
    json_decref(a);
    CHECK(c, searchd_stop(&sd) == 0);
    CHECK(c, !stats_hold(path, "tiodagarsfråga") && !stats_hold(path, "kvarvarandefråga"));
}

static void test_bad_options_are_refused_at_start(struct check *c)
{
    const struct fixture *f = c->ctx;
    char searchd[512], junk[600];
    prog_path("searchd", searchd, sizeof searchd);
    snprintf(junk, sizeof junk, "%s/junk.db", f->dir);
    FILE *fp = fopen(junk, "w");
    if (fp) {
        fputs("this is no database at all, just text long enough to be read\n", fp);
        fclose(fp);
    }
    const char *cases[][3] = {{"--analytics", "/nonexistent-folder/stats.db", "--analytics"},
                              {"--analytics", junk, "--analytics"},
                              {"--analytics-days", "0", "--analytics-days"},
                              {"--analytics-days", "many", "--analytics-days"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *argv[] = {searchd, "--db", (char *)f->db, "--listen", "127.0.0.1:0",
                        (char *)cases[i][0], (char *)cases[i][1], NULL};
        char *err = NULL;
        CHECK(c, run_prog(argv, NULL, NULL, &err) == 2);
        CHECK_CONTAINS(c, err, cases[i][2]);
        free(err);
    }
    CHECK(c, file_holds(junk, "no database at all"));   /* left as it was */
}

/* Last: SIGTERM writes what is queued before searchd exits, and afterwards
 * (the WAL checkpointed into the file) the rare query is still nowhere. */
static void test_the_queue_is_written_at_sigterm(struct check *c)
{
    struct fixture *f = c->ctx;
    json_t *a = report(f, NULL);
    long before = number(a, "searches");
    json_decref(a);
    search_n(c, f->sd.port, "sista frågan", 4);
    CHECK(c, searchd_stop(&f->sd) == 0);
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT searches FROM days WHERE day = %ld", f->today_n);
    CHECK(c, sql_number(f->stats, sql) == before + 4);
    snprintf(sql, sizeof sql,
             "SELECT searches FROM queries WHERE day = %ld AND q = 'sista frågan'", f->today_n);
    CHECK(c, sql_number(f->stats, sql) == 4);
    CHECK(c, !stats_hold(f->stats, "sällsyntfråga"));
    CHECK(c, !stats_hold(f->stats, "8001011234"));
}

int main(void)
{
    struct check c = {0};
    struct fixture f = {0};
    if (tmpdir_make(f.dir, sizeof f.dir) < 0)
        return 1;
    snprintf(f.db, sizeof f.db, "%s/index", f.dir);
    snprintf(f.token, sizeof f.token, "%s/token", f.dir);
    snprintf(f.stats, sizeof f.stats, "%s/stats.db", f.dir);
    f.today_n = day_number(time(NULL));
    day_text(f.today, f.today_n);
    char indexer[512];
    prog_path("indexer", indexer, sizeof indexer);
    char *argv[] = {indexer, "--quiet", "--db", f.db, "corpus", NULL};
    const char *extra[] = {"--admin-token-file", f.token, "--analytics", f.stats, NULL};
    if (token_file_write(f.token, TOKEN) < 0 || run_prog(argv, NULL, NULL, NULL) != 0 ||
        searchd_start(&f.sd, f.db, extra) < 0) {
        tmpdir_remove(f.dir);
        return 1;
    }
    int status;
    f.openapi = get_json_status(f.sd.port, "/api/openapi.json", &status);
    c.ctx = &f;
    RUN(&c, test_counts_per_day_and_the_report_figures);
    RUN(&c, test_queries_are_normalised_and_long_numbers_masked);
    RUN(&c, test_a_rare_query_is_counted_but_its_text_never_stored);
    RUN(&c, test_nothing_about_the_visitor_is_stored);
    RUN(&c, test_the_report_needs_the_admin_token);
    RUN(&c, test_hostile_click_bodies_are_refused);
    RUN(&c, test_metrics_count_the_statistics_events);
    RUN(&c, test_searches_do_not_wait_for_a_locked_file);
    RUN(&c, test_old_days_are_deleted_at_start);
    RUN(&c, test_bad_options_are_refused_at_start);
    RUN(&c, test_the_queue_is_written_at_sigterm);
    json_decref(f.openapi);
    if (f.sd.pid > 0)
        c.failed += searchd_stop(&f.sd) != 0;
    tmpdir_remove(f.dir);
    return check_report(&c, "test_analytics");
}
