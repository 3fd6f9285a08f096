/* test_http_api.c: the HTTP contract of searchd in full, against a real
 * searchd over corpus/ plus a few JSON documents: every search parameter,
 * facets in Swedish order, seminar days, upcoming, suggestions, the
 * OpenAPI description checked against real answers, status codes (400,
 * 404, 405, 413, 414, 503 with Retry-After), CORS, ETag/304, gzip,
 * keep-alive, /metrics, /healthz, and the pages' files and headers (the
 * search page at /, the editors' at /admin). */
#include "answers.h"
#include "check.h"
#include "openapi_check.h"
#include "support.h"
#include "swedish_date.h"
#include "tier.h"
#include "xapian_c.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct fixture {
    char dir[256];
    char db[512];
    struct searchd sd;
    json_t *openapi;
    char future[11];   /* a day some weeks ahead: an upcoming seminar */
};

static json_t *get(const struct fixture *f, const char *target, int *status)
{
    return get_json_status(f->sd.port, target, status);
}

/* Holds an answer to the published description of path and status. */
static void conforms(struct check *c, const struct fixture *f, json_t *answer, const char *path,
                     const char *status)
{
    CHECK(c, openapi_holds(f->openapi, path, status, answer));
}

static long total(json_t *a)
{
    return (long)json_integer_value(json_object_get(a, "total"));
}

static const char *hit(json_t *a, size_t i, const char *key)
{
    return json_string_value(json_object_get(json_array_get(json_object_get(a, "hits"), i), key));
}

static void test_openapi_is_served_and_matches_search_answers(struct check *c)
{
    const struct fixture *f = c->ctx;
    CHECK(c, f->openapi != NULL);
    CHECK_STR(c, json_string_value(json_object_get(f->openapi, "openapi")), "3.0.3");
    const char *targets[] = {"/api/search?q=segregation", "/api/search?q=malmo&type=seminarium",
                             "/api/search?q=", "/api/search?q=segregaton&sort=date&size=3&page=2",
                             "/api/search?q=%22mot%20segregation%22&year=2019"};
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        int status;
        json_t *a = get(f, targets[i], &status);
        CHECK(c, status == 200);
        conforms(c, f, a, "/api/search", "200");
        json_decref(a);
    }
}

static void test_other_answers_match_the_description(struct check *c)
{
    const struct fixture *f = c->ctx;
    int status;
    json_t *a = get(f, "/api/suggest?q=seg", &status);
    conforms(c, f, a, "/api/suggest", "200");
    json_decref(a);
    a = get(f, "/healthz", &status);
    conforms(c, f, a, "/healthz", "200");
    json_decref(a);
    a = get(f, "/api/documents/artikel/segregationen-i-siffror.html", &status);
    CHECK(c, status == 200);
    conforms(c, f, a, "/api/documents/{id}", "200");
    /* the whole text, which the index keeps apart from the other fields */
    const char *body = json_string_value(json_object_get(a, "body"));
    CHECK(c, body && strlen(body) > 200 && strstr(body, "segregation"));
    CHECK_STR(c, json_string_value(json_object_get(a, "id")),
              "artikel/segregationen-i-siffror.html");
    json_decref(a);
    a = get(f, "/api/search?q=a&size=500", &status);
    CHECK(c, status == 400);
    conforms(c, f, a, "/api/search", "400");
    json_decref(a);
    a = get(f, "/api/documents/nope", &status);
    CHECK(c, status == 404);
    conforms(c, f, a, "/api/documents/{id}", "404");
    json_decref(a);
}

static void test_filters_by_type_place_year_and_dates(struct check *c)
{
    const struct fixture *f = c->ctx;
    int status;
    json_t *a = get(f, "/api/search?q=&type=seminarium&place=G%C3%B6teborg&size=100", &status);
    CHECK(c, status == 200 && total(a) == 2);
    for (size_t i = 0; i < (size_t)total(a); i++) {
        CHECK_STR(c, hit(a, i, "type"), "seminarium");
        CHECK_STR(c, hit(a, i, "place"), "Göteborg");
    }
    json_decref(a);
    a = get(f, "/api/search?q=segregation&year=2019&size=100", &status);
    CHECK(c, total(a) > 0);
    for (size_t i = 0; i < json_array_size(json_object_get(a, "hits")); i++)
        CHECK(c, hit(a, i, "date") && strncmp(hit(a, i, "date"), "2019", 4) == 0);
    json_decref(a);
    a = get(f, "/api/search?q=&from=2020-03-01&to=2020-03-31&size=100", &status);
    CHECK(c, total(a) > 0);
    for (size_t i = 0; i < json_array_size(json_object_get(a, "hits")); i++) {
        const char *d = hit(a, i, "date");
        CHECK(c, d && strcmp(d, "2020-03-01") >= 0 && strcmp(d, "2020-03-31") <= 0);
    }
    json_decref(a);
}

static void test_seminars_are_dated_by_their_day(struct check *c)
{
    const struct fixture *f = c->ctx;
    int status;
    /* "Tid: 23 januari 13:00-16:30" on a page published 2018-12-10 */
    json_t *a = get(f, "/api/documents/seminarium/goda-krafter-i-utsatta-omraden.html", &status);
    CHECK_STR(c, json_string_value(json_object_get(a, "date")), "2019-01-23");
    CHECK_STR(c, json_string_value(json_object_get(a, "published")), "2018-12-10");
    json_decref(a);
    a = get(f, "/api/search?q=&type=seminarium&from=2019-01-23&to=2019-01-23", &status);
    CHECK(c, total(a) == 1);
    CHECK_STR(c, hit(a, 0, "id"), "seminarium/goda-krafter-i-utsatta-omraden.html");
    json_decref(a);
}

static void test_sort_by_date_newest_first(struct check *c)
{
    const struct fixture *f = c->ctx;
    int status;
    json_t *a = get(f, "/api/search?q=segregation&sort=date&size=50", &status);
    const char *prev = "9999-99-99";
    for (size_t i = 0; i < json_array_size(json_object_get(a, "hits")); i++) {
        const char *d = hit(a, i, "date");
        CHECK(c, d && strcmp(d, prev) <= 0);
        prev = d ? d : prev;
    }
    json_decref(a);
}

/* Every page of q at size, one after the other: each match once. (Xapian
 * 1.4's AND_MAYBE lost a match there when it turned into an AND, and which
 * one depended on the order the writers gave the pages their ids.) */
static void pages_cover_total(struct check *c, const char *q, int size)
{
    const struct fixture *f = c->ctx;
    int status;
    char target[160];
    snprintf(target, sizeof target, "/api/search?q=%s&size=%d", q, size);
    json_t *first = get(f, target, &status);
    long n = total(first);
    CHECK(c, n > 20);
    json_decref(first);
    char seen[200][256];
    long got = 0;
    for (int page = 1; page <= (n + size - 1) / size && got < 200; page++) {
        snprintf(target, sizeof target, "/api/search?q=%s&size=%d&page=%d", q, size, page);
        json_t *a = get(f, target, &status);
        CHECK(c, json_integer_value(json_object_get(a, "page")) == page);
        for (size_t i = 0; i < json_array_size(json_object_get(a, "hits")) && got < 200; i++) {
            for (long k = 0; k < got; k++)
                CHECK(c, strcmp(seen[k], hit(a, i, "id")) != 0);
            snprintf(seen[got++], 256, "%s", hit(a, i, "id"));
        }
        json_decref(a);
    }
    CHECK(c, got == n);
}

static void test_paging_covers_total_without_repeats(struct check *c)
{
    const struct fixture *f = c->ctx;
    int status;
    static const char *const qs[] = {"kommun", "segregation", "boende", "arbete"};
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        pages_cover_total(c, qs[i], 7);
        pages_cover_total(c, qs[i], 3);
    }
    json_t *past = get(f, "/api/search?q=kommun&size=7&page=1000", &status);
    CHECK(c, status == 200 && json_array_size(json_object_get(past, "hits")) == 0);
    json_decref(past);
}

static void test_facets_count_and_sort_in_swedish(struct check *c)
{
    const struct fixture *f = c->ctx;
    int status;
    json_t *a = get(f, "/api/search?q=&size=1", &status);
    json_t *facets = json_object_get(a, "facets");
    json_t *place = json_object_get(facets, "place");
    const char *prev = NULL, *key;
    json_t *v;
    long sum = 0;
    json_object_foreach(place, key, v) {
        if (prev)
            CHECK(c, swedish_collate(prev, key) < 0);
        prev = key;
    }
    CHECK(c, prev && strcmp(prev, "Örebro") == 0);   /* Ö last, after Ä and Å */
    json_t *years = json_object_get(facets, "year");
    prev = NULL;
    json_object_foreach(years, key, v) {
        if (prev)
            CHECK(c, strcmp(prev, key) > 0);   /* newest first */
        prev = key;
    }
    json_object_foreach(json_object_get(facets, "type"), key, v) sum += (long)json_integer_value(v);
    CHECK(c, sum == total(a));
    json_decref(a);
}

/* Both sides of the bound over HTTP: the default counts corpus/ exactly; a
 * searchd counting at most 5 matches answers with an estimate that says
 * so, the matches counted, its bound and estimated facets. */
static void test_counting_is_exact_up_to_the_bound_only(struct check *c)
{
    const struct fixture *f = c->ctx;
    int status;
    json_t *a = get(f, "/api/search?q=kommun&size=1", &status);
    long all = total(a);
    CHECK(c, status == 200 && all > 6);
    CHECK(c, json_is_true(json_object_get(a, "total_exact")) &&
                 json_is_true(json_object_get(a, "facets_exact")));
    CHECK(c, json_integer_value(json_object_get(a, "total_counted")) == all);
    CHECK(c, json_integer_value(json_object_get(a, "count_limit")) == 10000);
    json_decref(a);
    struct searchd bounded = {0};
    const char *extra[] = {"--count-limit", "5", NULL};
    if (searchd_start(&bounded, f->db, extra) < 0) {
        CHECK(c, !"searchd --count-limit 5 started");
        return;
    }
    a = get_json_status(bounded.port, "/api/search?q=kommun&size=1", &status);
    CHECK(c, status == 200 && total(a) >= 6);
    CHECK(c, json_is_false(json_object_get(a, "total_exact")) &&
                 json_is_false(json_object_get(a, "facets_exact")));
    /* The matches counted, or as many as the word's frequency proves. */
    json_int_t counted = json_integer_value(json_object_get(a, "total_counted"));
    CHECK(c, counted >= 6 && counted <= total(a));
    CHECK(c, json_integer_value(json_object_get(a, "count_limit")) == 5);
    CHECK(c, json_array_size(json_object_get(a, "hits")) == 1);
    conforms(c, f, a, "/api/search", "200");
    json_decref(a);
    /* Fewer matches than the bound: exact there too. */
    a = get_json_status(bounded.port, "/api/search?q=malmo&type=seminarium", &status);
    long few = total(a);
    CHECK(c, status == 200 && few > 0 && few <= 5 && json_is_true(json_object_get(a, "total_exact")));
    json_decref(a);
    CHECK(c, searchd_stop(&bounded) == 0);
    /* A bound that is not a number is refused at start. */
    char searchd[512];
    prog_path("searchd", searchd, sizeof searchd);
    char *argv[] = {searchd, "--db", (char *)f->db, "--count-limit", "many", NULL};
    char *err = NULL;
    CHECK(c, run_prog(argv, NULL, NULL, &err) != 0);
    CHECK_CONTAINS(c, err, "--count-limit");
    free(err);
    /* So is a posting cache that is not a number of megabytes. */
    char *cache_argv[] = {searchd, "--db", (char *)f->db, "--posting-cache", "lots", NULL};
    err = NULL;
    CHECK(c, run_prog(cache_argv, NULL, NULL, &err) != 0);
    CHECK_CONTAINS(c, err, "--posting-cache takes megabytes");
    free(err);
}

/* searchd's start-up output over db (until it listens, 10 s at most),
 * malloc'd; NULL when it did not start. */
static char *startup_output(const struct fixture *f, const char *db, const char *name)
{
    char searchd[512], log[600];
    prog_path("searchd", searchd, sizeof searchd);
    snprintf(log, sizeof log, "%s/%s.log", f->dir, name);
    char *argv[] = {searchd, "--db", (char *)db, "--listen", "127.0.0.1:0", NULL};
    pid_t pid = spawn_prog(argv, log);
    char *text = NULL;
    for (int i = 0; pid > 0 && i < 100; i++) {
        FILE *fp = fopen(log, "r");
        char buf[4096] = "";
        size_t n = fp ? fread(buf, 1, sizeof buf - 1, fp) : 0;
        if (fp)
            fclose(fp);
        buf[n] = '\0';
        if (strstr(buf, "listening")) {
            text = strdup(buf);
            break;
        }
        pause_ms(100);
    }
    stop_prog(pid);
    return text;
}

/* An index written before sampled counting (a document without its
 * samples) is counted whole, and one written before the words' own impact
 * levels (a document with the stems' tier marker and not the own one) is
 * ranked by the stems' levels, and searchd says both at start; one with
 * the own levels and without the stems' D terms reads two lists a stem,
 * and searchd says that; corpus/'s, written by this indexer, says none. */
static void test_an_index_without_samples_is_noted_at_start(struct check *c)
{
    const struct fixture *f = c->ctx;
    char old[600];
    snprintf(old, sizeof old, "%s/old-index", f->dir);
    xc_wdb *w = NULL;
    xc_doc *d = NULL;
    CHECK(c, xc_wdb_open(&w, old, XC_WDB_CREATE_OR_OVERWRITE, NULL) == 0);
    CHECK(c, xc_doc_new(&d, NULL) == 0);
    CHECK(c, xc_doc_add_term(d, "Zbidrag", 1, NULL) == 0);
    CHECK(c, xc_doc_add_boolean_term(d, TIER_PREFIX, NULL) == 0);
    CHECK(c, xc_wdb_replace_by_term(w, "Qgammal", d, NULL) == 0);
    CHECK(c, xc_wdb_commit(w, NULL) == 0);
    xc_doc_free(d);
    xc_wdb_free(w);
    char *said = startup_output(f, old, "old-index");
    CHECK(c, said != NULL);
    CHECK_CONTAINS(c, said, "written before sampled counting");
    CHECK_CONTAINS(c, said, "written before the words' own impact levels");
    free(said);
    CHECK(c, xc_wdb_open(&w, old, XC_WDB_OPEN, NULL) == 0);
    CHECK(c, xc_doc_new(&d, NULL) == 0);
    CHECK(c, xc_doc_add_term(d, "Zbidrag", 1, NULL) == 0);
    CHECK(c, xc_doc_add_boolean_term(d, TIER_PREFIX, NULL) == 0);
    CHECK(c, xc_doc_add_boolean_term(d, TIER_OWN_PREFIX, NULL) == 0);
    CHECK(c, xc_wdb_replace_by_term(w, "Qgammal", d, NULL) == 0);
    CHECK(c, xc_wdb_commit(w, NULL) == 0);
    xc_doc_free(d);
    xc_wdb_free(w);
    said = startup_output(f, old, "old-index-2");
    CHECK(c, said != NULL);
    CHECK_CONTAINS(c, said, "compound-part occurrences were kept as one term");
    CHECK(c, said && !strstr(said, "own impact levels"));
    free(said);
    said = startup_output(f, f->db, "corpus-index");
    CHECK(c, said && !strstr(said, "sampled counting") && !strstr(said, "own impact levels") &&
                 !strstr(said, "as one term"));
    free(said);
}

static void test_upcoming_keeps_seminars_from_today(struct check *c)
{
    const struct fixture *f = c->ctx;
    int status;
    json_t *a = get(f, "/api/search?q=&upcoming=true", &status);
    CHECK(c, status == 200 && total(a) == 1);
    CHECK_STR(c, hit(a, 0, "id"), "kommande");
    CHECK_STR(c, hit(a, 0, "date"), f->future);
    json_decref(a);
    a = get(f, "/api/search?q=&upcoming=maybe", &status);
    CHECK(c, status == 400);
    json_decref(a);
}

static void test_suggest_completes_every_word(struct check *c)
{
    const struct fixture *f = c->ctx;
    int status;
    json_t *a = get(f, "/api/suggest?q=seg", &status);
    json_t *s = json_object_get(a, "suggestions");
    CHECK(c, status == 200 && json_array_size(s) > 0);
    CHECK_STR(c, json_string_value(json_array_get(s, 0)), "segregation");
    json_decref(a);
    a = get(f, "/api/suggest?q=s", &status);   /* one letter: the stored table */
    CHECK(c, json_array_size(json_object_get(a, "suggestions")) == 8);
    json_decref(a);
    a = get(f, "/api/suggest?q=seg%20lul", &status);
    CHECK_STR(c, json_string_value(json_array_get(json_object_get(a, "suggestions"), 0)),
              "segregation luleå");
    CHECK(c, json_array_size(json_object_get(a, "titles")) > 0);
    json_decref(a);
    char target[400] = "/api/suggest?q=";
    memset(target + strlen(target), 'a', 300);
    a = get(f, target, &status);
    CHECK(c, status == 400);
    json_decref(a);
}

static void test_body_too_large_is_413(struct check *c)
{
    const struct fixture *f = c->ctx;
    size_t n = 9 * 1024 * 1024;
    char *body = malloc(n);
    memset(body, 'x', n);
    struct http_reply r;
    CHECK(c, http_request(f->sd.port, "GET", "/api/search?q=a", NULL, body, n, &r) == 0);
    CHECK(c, r.status == 413);
    CHECK_CONTAINS(c, r.body, "\"status\":413");
    http_reply_dispose(&r);
    free(body);
}

static void test_url_too_long_is_414(struct check *c)
{
    const struct fixture *f = c->ctx;
    char *target = malloc(10000);
    strcpy(target, "/api/search?q=a&x=");
    memset(target + strlen(target), 'b', 9500);
    target[9518] = '\0';
    struct http_reply r;
    CHECK(c, http_request(f->sd.port, "GET", target, NULL, NULL, 0, &r) == 0);
    CHECK(c, r.status == 414);
    http_reply_dispose(&r);
    free(target);
}

static void test_etag_revalidates_and_gzip_compresses(struct check *c)
{
    const struct fixture *f = c->ctx;
    struct http_reply r;
    CHECK(c, http_request(f->sd.port, "GET", "/api/search?q=segregation", NULL, NULL, 0, &r) == 0);
    char *etag = http_header(&r, "ETag"), *cache = http_header(&r, "Cache-Control");
    CHECK(c, etag != NULL);
    CHECK_STR(c, cache, "no-cache");
    http_reply_dispose(&r);
    char hdr[256];
    snprintf(hdr, sizeof hdr, "If-None-Match: %s\r\n", etag ? etag : "x");
    CHECK(c, http_request(f->sd.port, "GET", "/api/search?q=segregation", hdr, NULL, 0, &r) == 0);
    CHECK(c, r.status == 304 && r.body_len == 0);
    http_reply_dispose(&r);
    CHECK(c, http_request(f->sd.port, "GET", "/api/search?q=malm%C3%B6", hdr, NULL, 0, &r) == 0);
    CHECK(c, r.status == 200);   /* another query: another ETag */
    http_reply_dispose(&r);
    CHECK(c, http_request(f->sd.port, "GET", "/api/search?q=segregation",
                          "Accept-Encoding: gzip, deflate\r\n", NULL, 0, &r) == 0);
    char *enc = http_header(&r, "Content-Encoding");
    CHECK_STR(c, enc, "gzip");
    CHECK(c, (unsigned char)r.body[0] == 0x1f && (unsigned char)r.body[1] == 0x8b);
    free(enc);
    http_reply_dispose(&r);
    free(etag);
    free(cache);
}

static void test_keep_alive_serves_two_requests_on_one_connection(struct check *c)
{
    const struct fixture *f = c->ctx;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)f->sd.port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timeval tv = {10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    CHECK(c, connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0);
    const char req[] = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                       "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    CHECK(c, write(fd, req, sizeof req - 1) == (ssize_t)(sizeof req - 1));
    char buf[8192];
    size_t len = 0;
    ssize_t n;
    while (len < sizeof buf - 1 && (n = read(fd, buf + len, sizeof buf - 1 - len)) > 0)
        len += (size_t)n;
    buf[len] = '\0';
    close(fd);
    int answers = 0;
    for (char *p = strstr(buf, "HTTP/1.1 200"); p; p = strstr(p + 1, "HTTP/1.1 200"))
        answers++;
    CHECK(c, answers == 2);
}

static void test_metrics_count_requests_by_route_and_status(struct check *c)
{
    const struct fixture *f = c->ctx;
    struct http_reply r;
    int status;
    json_decref(get(f, "/api/search?q=x&size=0", &status));
    CHECK(c, http_request(f->sd.port, "GET", "/metrics", NULL, NULL, 0, &r) == 0);
    CHECK(c, r.status == 200);
    char *type = http_header(&r, "Content-Type");
    CHECK_CONTAINS(c, type, "text/plain");
    CHECK_CONTAINS(c, r.body, "searchd_requests_total{route=\"search\",status=\"200\"}");
    CHECK_CONTAINS(c, r.body, "searchd_requests_total{route=\"search\",status=\"400\"}");
    CHECK_CONTAINS(c, r.body, "# TYPE searchd_request_duration_seconds histogram");
    CHECK_CONTAINS(c, r.body, "searchd_request_duration_seconds_bucket{route=\"search\",le=\"+Inf\"}");
    CHECK_CONTAINS(c, r.body, "searchd_documents 89");
    CHECK_CONTAINS(c, r.body, "searchd_index_revision ");
    free(type);
    http_reply_dispose(&r);
}

/* The threads share one facet table per index version: searches over eight
 * connections at once, spread over four threads, read it once. */
static void test_threads_share_one_facet_table(struct check *c)
{
    const struct fixture *f = c->ctx;
    struct searchd sd;
    const char *extra[] = {"--threads", "4", NULL};
    CHECK(c, searchd_start(&sd, f->db, extra) == 0);
    int fds[8];
    const char *search = "GET /api/search?q=seminarium HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    for (int i = 0; i < 8; i++)
        fds[i] = raw_connect(sd.port, NULL, 10);
    for (int i = 0; i < 8; i++)
        CHECK(c, fds[i] >= 0 && raw_exchange(fds[i], search, strlen(search)) == 200);
    for (int i = 0; i < 8; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    struct http_reply r;
    CHECK(c, http_request(sd.port, "GET", "/metrics", NULL, NULL, 0, &r) == 0);
    CHECK_CONTAINS(c, r.body, "\nsearchd_facet_table_loads_total 1\n");
    http_reply_dispose(&r);
    CHECK(c, searchd_stop(&sd) == 0);
}

static void test_page_files_and_headers(struct check *c)
{
    const struct fixture *f = c->ctx;
    struct http_reply r;
    CHECK(c, http_request(f->sd.port, "GET", "/?q=segregation", NULL, NULL, 0, &r) == 0);
    CHECK(c, r.status == 200);
    char *csp = http_header(&r, "Content-Security-Policy"), *type = http_header(&r, "Content-Type");
    CHECK_CONTAINS(c, csp, "default-src 'self'");
    CHECK_CONTAINS(c, type, "text/html");
    CHECK_CONTAINS(c, r.body, "<html");
    free(csp);
    free(type);
    http_reply_dispose(&r);
    const char *bad[] = {"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/www/index.html",
                         "/openapi.json", "/.hidden", "/index.html/x", "/admin/", "/admin/x",
                         "/Admin"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(c, http_request(f->sd.port, "GET", bad[i], NULL, NULL, 0, &r) == 0);
        CHECK(c, r.status == 404);
        http_reply_dispose(&r);
    }
}

/* The editors' page at /admin is admin.html, with the page's headers and
 * its strong ETag, revalidated for free. */
static void test_admin_is_the_editors_page(struct check *c)
{
    const struct fixture *f = c->ctx;
    struct http_reply r;
    CHECK(c, http_request(f->sd.port, "GET", "/admin.html", NULL, NULL, 0, &r) == 0);
    char *file_etag = http_header(&r, "ETag");
    http_reply_dispose(&r);
    CHECK(c, http_request(f->sd.port, "GET", "/admin", NULL, NULL, 0, &r) == 0);
    CHECK(c, r.status == 200);
    char *csp = http_header(&r, "Content-Security-Policy"), *type = http_header(&r, "Content-Type");
    char *etag = http_header(&r, "ETag");
    CHECK_CONTAINS(c, csp, "default-src 'self'");
    CHECK_CONTAINS(c, type, "text/html");
    CHECK_CONTAINS(c, r.body, "<script src=\"admin.js\"");
    CHECK(c, etag && etag[0] == '"');   /* strong */
    CHECK_STR(c, etag, file_etag);
    http_reply_dispose(&r);
    char inm[128];
    snprintf(inm, sizeof inm, "If-None-Match: %s\r\n", etag ? etag : "\"none\"");
    CHECK(c, http_request(f->sd.port, "GET", "/admin", inm, NULL, 0, &r) == 0);
    CHECK(c, r.status == 304);
    http_reply_dispose(&r);
    CHECK(c, http_request(f->sd.port, "POST", "/admin", NULL, "x", 1, &r) == 0);
    CHECK(c, r.status == 405);
    http_reply_dispose(&r);
    CHECK(c, http_request(f->sd.port, "GET", "/admin.js", NULL, NULL, 0, &r) == 0);
    CHECK(c, r.status == 200);
    http_reply_dispose(&r);
    free(csp);
    free(type);
    free(etag);
    free(file_etag);
}

static void test_cors_origin_is_announced(struct check *c)
{
    const struct fixture *f = c->ctx;
    struct searchd sd;
    const char *extra[] = {"--cors-origin", "https://www.example.se", NULL};
    CHECK(c, searchd_start(&sd, f->db, extra) == 0);
    struct http_reply r;
    CHECK(c, http_request(sd.port, "GET", "/api/search?q=a", NULL, NULL, 0, &r) == 0);
    char *acao = http_header(&r, "Access-Control-Allow-Origin");
    CHECK_STR(c, acao, "https://www.example.se");
    free(acao);
    http_reply_dispose(&r);
    CHECK(c, http_request(f->sd.port, "GET", "/api/search?q=a", NULL, NULL, 0, &r) == 0);
    CHECK(c, http_header(&r, "Access-Control-Allow-Origin") == NULL);
    http_reply_dispose(&r);
    CHECK(c, searchd_stop(&sd) == 0);
}

static void test_missing_index_is_503_with_retry_after(struct check *c)
{
    const struct fixture *f = c->ctx;
    char db[600], cmd[1400];
    snprintf(db, sizeof db, "%s/gone", f->dir);
    snprintf(cmd, sizeof cmd, "cp -r %s %s", f->db, db);
    CHECK(c, system(cmd) == 0);
    struct searchd sd;
    CHECK(c, searchd_start(&sd, db, NULL) == 0);
    tmpdir_remove(db);
    struct http_reply r;
    CHECK(c, http_request(sd.port, "GET", "/healthz", NULL, NULL, 0, &r) == 0);
    CHECK(c, r.status == 503);
    char *ra = http_header(&r, "Retry-After");
    CHECK(c, ra != NULL);
    free(ra);
    http_reply_dispose(&r);
    CHECK(c, http_request(sd.port, "GET", "/api/search?q=a", NULL, NULL, 0, &r) == 0);
    CHECK(c, r.status == 503);
    http_reply_dispose(&r);
    CHECK(c, searchd_stop(&sd) == 0);
}

int main(void)
{
    struct check c = {0};
    struct fixture f = {0};
    if (tmpdir_make(f.dir, sizeof f.dir) < 0)
        return 1;
    snprintf(f.db, sizeof f.db, "%s/index", f.dir);
    time_t later = time(NULL) + 40 * 86400;
    struct tm tm;
    localtime_r(&later, &tm);
    strftime(f.future, sizeof f.future, "%Y-%m-%d", &tm);
    char jsonl[600], line[512];
    snprintf(jsonl, sizeof jsonl, "%s/extra.jsonl", f.dir);
    snprintf(line, sizeof line,
             "{\"id\":\"kommande\",\"title\":\"Kommande seminarium om boende\",\"type\":\"seminarium\","
             "\"date\":\"%s\",\"place\":\"Kiruna\",\"body\":\"Ett seminarium om boende i Kiruna.\"}\n",
             f.future);
    FILE *fp = fopen(jsonl, "w");
    if (!fp)
        return 1;
    fputs(line, fp);
    fclose(fp);
    char indexer[512];
    prog_path("indexer", indexer, sizeof indexer);
    char *argv[] = {indexer, "--quiet", "--db", f.db, "corpus", jsonl, NULL};
    if (run_prog(argv, NULL, NULL, NULL) != 0 || searchd_start(&f.sd, f.db, NULL) < 0) {
        tmpdir_remove(f.dir);
        return 1;
    }
    int status;
    f.openapi = get(&f, "/api/openapi.json", &status);
    c.ctx = &f;
    RUN(&c, test_openapi_is_served_and_matches_search_answers);
    RUN(&c, test_other_answers_match_the_description);
    RUN(&c, test_filters_by_type_place_year_and_dates);
    RUN(&c, test_seminars_are_dated_by_their_day);
    RUN(&c, test_sort_by_date_newest_first);
    RUN(&c, test_paging_covers_total_without_repeats);
    RUN(&c, test_facets_count_and_sort_in_swedish);
    RUN(&c, test_counting_is_exact_up_to_the_bound_only);
    RUN(&c, test_an_index_without_samples_is_noted_at_start);
    RUN(&c, test_upcoming_keeps_seminars_from_today);
    RUN(&c, test_suggest_completes_every_word);
    RUN(&c, test_body_too_large_is_413);
    RUN(&c, test_url_too_long_is_414);
    RUN(&c, test_etag_revalidates_and_gzip_compresses);
    RUN(&c, test_keep_alive_serves_two_requests_on_one_connection);
    RUN(&c, test_metrics_count_requests_by_route_and_status);
    RUN(&c, test_threads_share_one_facet_table);
    RUN(&c, test_page_files_and_headers);
    RUN(&c, test_admin_is_the_editors_page);
    RUN(&c, test_cors_origin_is_announced);
    RUN(&c, test_missing_index_is_503_with_retry_after);
    json_decref(f.openapi);
    c.failed += searchd_stop(&f.sd) != 0;
    tmpdir_remove(f.dir);
    return check_report(&c, "test_http_api");
}
