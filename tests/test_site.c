/* test_site.c: the scripted web site the crawler's tests run against
 * (support/site.h), tested with plain clients over loopback: pages and
 * their headers, 404, redirects, conditional requests as RFC 9110 has them,
 * HEAD, the request log, pages changed while it runs, a 20 MB page, a slow
 * page beside a fast one, a prompt stop, bytes sent as given, a dropped
 * connection. */
#include "check.h"
#include "site.h"
#include "support.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define LM "Sun, 06 Nov 1994 08:49:37 GMT"
#define BINARY "ok \xff\xfe \xc3\x28 \xed\xa0\x80 \0 \xe5 bl\xc3\xa5 \x80"

#define HUNDRED                                                        \
    "0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMNOPQRSTUVWXYZ-" \
    "0123456789abcdefghijklmnopqrstuvwxyz" /* 100 bytes */

static const struct site_page pages[] = {
    {.path = "/a.html", .body = "<p>Hej världen</p>", .etag = "\"v1\"", .last_modified = LM,
     .x_robots_tag = "noindex, nofollow"},
    {.path = "/gone.txt", .status = 410, .content_type = "text/plain", .body = "gone",
     .etag = "\"g\""},
    {.path = "/old", .status = 301, .location = "/a.html"},
    {.path = "/away", .status = 302, .location = "http://example.org/x", .body = "moved"},
    {.path = "/weak", .body = "weak", .etag = "W/\"w1\""},
    {.path = "/s?x=1&y=%C3%A5", .body = "query page"},
    {.path = "/huge", .content_type = "text/plain", .body = HUNDRED, .repeat = 200000},
    {.path = "/binary", .content_type = "application/octet-stream", .body = BINARY,
     .body_len = sizeof BINARY - 1},
    {.path = "/slow", .body = "slow", .delay_ms = 1500},
    {.path = "/fast", .body = "fast"},
    {.path = "/drop", .hangup = 1},
};

/* A GET (or other method) with extra header lines: the status, or -1. */
static int get(const struct site *s, const char *method, const char *target,
               const char *headers, struct http_reply *r)
{
    if (http_request(site_port(s), method, target, headers, NULL, 0, r) < 0)
        return -1;
    return r->status;
}

/* Whether header name of r is value. */
static int header_is(const struct http_reply *r, const char *name, const char *value)
{
    char *v = http_header(r, name);
    int ok = v && value && strcmp(v, value) == 0;
    free(v);
    return ok;
}

struct raw {
    int status;
    char head[16384];     /* the header block, NUL-terminated */
    char *body;           /* malloc'd, when kept */
    size_t body_len;      /* body bytes read */
    size_t mismatches;    /* body bytes unlike the pattern, when one was given */
};

/* One request with Connection: close, read to EOF byte for byte. With a
 * pattern the body is not kept but compared with the pattern repeated, so
 * that a huge page costs no memory. 0, or -1 when it could not be read. */
static int fetch_raw(unsigned port, const char *target, const char *pattern, size_t pattern_len,
                     struct raw *out)
{
    memset(out, 0, sizeof *out);
    int fd = raw_connect(port, NULL, 30);
    if (fd < 0)
        return -1;
    char req[1024];
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
                     "Connection: close\r\n\r\n", target, port);
    int rc = send(fd, req, (size_t)n, MSG_NOSIGNAL) == n ? 0 : -1;
    size_t hl = 0, cap = 0, bufsize = 1 << 16;
    char *buf = malloc(bufsize);
    if (!buf)
        rc = -1;
    int in_body = 0;
    ssize_t got;
    while (rc == 0 && (got = read(fd, buf, bufsize)) > 0) {
        size_t i = 0;
        for (; !in_body && i < (size_t)got; i++) {
            if (hl < sizeof out->head - 1)
                out->head[hl++] = buf[i];
            in_body = hl >= 4 && memcmp(out->head + hl - 4, "\r\n\r\n", 4) == 0;
        }
        size_t k = (size_t)got - i;
        if (pattern) {
            for (size_t j = 0; j < k; j++)
                out->mismatches += buf[i + j] != pattern[(out->body_len + j) % pattern_len];
        } else if (k) {
            if (out->body_len + k > cap) {
                cap = (out->body_len + k) * 2;
                char *p = realloc(out->body, cap);
                if (!p) {
                    rc = -1;
                    break;
                }
                out->body = p;
            }
            memcpy(out->body + out->body_len, buf + i, k);
        }
        out->body_len += k;
    }
    close(fd);
    free(buf);
    out->head[hl] = '\0';
    if (strncmp(out->head, "HTTP/1.", 7) == 0 && hl > 12)
        out->status = atoi(out->head + 9);
    return rc == 0 && in_body ? 0 : -1;
}

static void test_a_page_and_its_headers(struct check *c)
{
    const struct site *s = c->ctx;
    char base[64];
    CHECK(c, site_base(s, base, sizeof base) == 0);
    char want[64];
    snprintf(want, sizeof want, "http://127.0.0.1:%u", site_port(s));
    CHECK_STR(c, base, want);
    CHECK(c, site_base(s, base, 10) < 0);
    struct http_reply r;
    CHECK(c, get(s, "GET", "/a.html", NULL, &r) == 200);
    CHECK_STR(c, r.body, "<p>Hej världen</p>");
    CHECK(c, header_is(&r, "Content-Type", "text/html; charset=utf-8"));
    CHECK(c, header_is(&r, "ETag", "\"v1\""));
    CHECK(c, header_is(&r, "Last-Modified", LM));
    CHECK(c, header_is(&r, "X-Robots-Tag", "noindex, nofollow"));
    CHECK(c, header_is(&r, "Content-Length", "19"));
    char *loc = http_header(&r, "Location");
    CHECK(c, loc == NULL);
    free(loc);
    http_reply_dispose(&r);
    CHECK(c, get(s, "GET", "/gone.txt", NULL, &r) == 410);
    CHECK_STR(c, r.body, "gone");
    CHECK(c, header_is(&r, "Content-Type", "text/plain"));
    char *robots = http_header(&r, "X-Robots-Tag");
    CHECK(c, robots == NULL);
    free(robots);
    http_reply_dispose(&r);
    /* the query is part of the page's name, as sent */
    CHECK(c, get(s, "GET", "/s?x=1&y=%C3%A5", NULL, &r) == 200);
    CHECK_STR(c, r.body, "query page");
    http_reply_dispose(&r);
    CHECK(c, get(s, "GET", "/s?y=%C3%A5&x=1", NULL, &r) == 404);
    http_reply_dispose(&r);
    CHECK(c, get(s, "GET", "/s", NULL, &r) == 404);
    http_reply_dispose(&r);
    CHECK(c, get(s, "POST", "/a.html", NULL, &r) == 405);
    CHECK(c, header_is(&r, "Allow", "GET, HEAD"));
    http_reply_dispose(&r);
}

static void test_unknown_path_is_404(struct check *c)
{
    const struct site *s = c->ctx;
    struct http_reply r;
    CHECK(c, get(s, "GET", "/no/such/page.html", NULL, &r) == 404);
    CHECK_CONTAINS(c, r.body, "Not found");
    CHECK(c, header_is(&r, "Content-Type", "text/html; charset=utf-8"));
    http_reply_dispose(&r);
    /* robots.txt is a page like any other: none here */
    CHECK(c, get(s, "GET", "/robots.txt", NULL, &r) == 404);
    http_reply_dispose(&r);
}

static void test_redirect_has_its_location(struct check *c)
{
    const struct site *s = c->ctx;
    struct http_reply r;
    CHECK(c, get(s, "GET", "/old", NULL, &r) == 301);
    CHECK(c, header_is(&r, "Location", "/a.html"));
    CHECK(c, r.body_len == 0);
    http_reply_dispose(&r);
    CHECK(c, get(s, "GET", "/away", NULL, &r) == 302);
    CHECK(c, header_is(&r, "Location", "http://example.org/x"));
    CHECK_STR(c, r.body, "moved");
    http_reply_dispose(&r);
}

static void test_conditional_requests(struct check *c)
{
    const struct site *s = c->ctx;
    struct http_reply r;
    /* a matching entity-tag: 304 with the validators and no body */
    CHECK(c, get(s, "GET", "/a.html", "If-None-Match: \"v1\"\r\n", &r) == 304);
    CHECK(c, r.body_len == 0);
    CHECK(c, header_is(&r, "ETag", "\"v1\""));
    CHECK(c, header_is(&r, "Last-Modified", LM));
    /* no length, or the 200's and only that (RFC 9110 8.6) */
    const char *cl = strcasestr(r.headers, "\r\nContent-Length:");
    CHECK(c, cl == NULL || (header_is(&r, "Content-Length", "19") &&
                            !strcasestr(cl + 2, "\r\nContent-Length:")));
    http_reply_dispose(&r);
    /* weak comparison, lists, several lines, and "*" */
    const char *hits[] = {"If-None-Match: W/\"v1\"\r\n",
                          "If-None-Match: \"x\", W/\"y\" ,\"v1\"\r\n",
                          "If-None-Match: \"x\"\r\nIf-None-Match: \"v1\"\r\n",
                          "If-None-Match: *\r\n"};
    for (size_t i = 0; i < sizeof hits / sizeof hits[0]; i++) {
        CHECK(c, get(s, "GET", "/a.html", hits[i], &r) == 304);
        CHECK(c, r.body_len == 0);
        http_reply_dispose(&r);
    }
    CHECK(c, get(s, "GET", "/weak", "If-None-Match: \"w1\"\r\n", &r) == 304);
    CHECK(c, header_is(&r, "ETag", "W/\"w1\""));
    http_reply_dispose(&r);
    /* a tag that differs: the page */
    const char *misses[] = {"If-None-Match: \"v2\"\r\n", "If-None-Match: \"v1-old\", \"V1\"\r\n",
                            "If-None-Match: v1\r\n"};
    for (size_t i = 0; i < sizeof misses / sizeof misses[0]; i++) {
        CHECK(c, get(s, "GET", "/a.html", misses[i], &r) == 200);
        CHECK_STR(c, r.body, "<p>Hej världen</p>");
        http_reply_dispose(&r);
    }
    /* If-Modified-Since: equal or later is 304, earlier is the page, in
     * each of the three date forms */
    const char *not_later[] = {LM, "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
                               "Sun, 06 Nov 1994 08:49:38 GMT", "Tue, 01 Jan 2030 00:00:00 GMT"};
    for (size_t i = 0; i < sizeof not_later / sizeof not_later[0]; i++) {
        char h[128];
        snprintf(h, sizeof h, "If-Modified-Since: %s\r\n", not_later[i]);
        CHECK(c, get(s, "GET", "/a.html", h, &r) == 304);
        CHECK(c, r.body_len == 0);
        CHECK(c, header_is(&r, "Last-Modified", LM));
        http_reply_dispose(&r);
    }
    const char *earlier[] = {"Sun, 06 Nov 1994 08:49:36 GMT", "Sat, 05 Nov 1994 08:49:37 GMT",
                             "not a date", "Sun, 06 Nov 1994 08:49:37 GMT junk"};
    for (size_t i = 0; i < sizeof earlier / sizeof earlier[0]; i++) {
        char h[128];
        snprintf(h, sizeof h, "If-Modified-Since: %s\r\n", earlier[i]);
        CHECK(c, get(s, "GET", "/a.html", h, &r) == 200);
        CHECK(c, r.body_len == 19);
        http_reply_dispose(&r);
    }
    /* If-None-Match wins over If-Modified-Since, both ways */
    CHECK(c, get(s, "GET", "/a.html", "If-None-Match: \"v2\"\r\nIf-Modified-Since: " LM "\r\n",
                 &r) == 200);
    http_reply_dispose(&r);
    CHECK(c, get(s, "GET", "/a.html",
                  "If-None-Match: \"v1\"\r\nIf-Modified-Since: Sat, 01 Jan 1994 00:00:00 GMT\r\n",
                  &r) == 304);
    http_reply_dispose(&r);
    /* no Last-Modified, nothing to compare */
    CHECK(c, get(s, "GET", "/weak", "If-Modified-Since: " LM "\r\n", &r) == 200);
    http_reply_dispose(&r);
    /* conditions hold for a 2xx page only */
    CHECK(c, get(s, "GET", "/gone.txt", "If-None-Match: \"g\"\r\n", &r) == 410);
    CHECK_STR(c, r.body, "gone");
    http_reply_dispose(&r);
    CHECK(c, get(s, "GET", "/nope", "If-None-Match: *\r\n", &r) == 404);
    http_reply_dispose(&r);
    /* and for HEAD as for GET */
    CHECK(c, get(s, "HEAD", "/a.html", "If-None-Match: \"v1\"\r\n", &r) == 304);
    http_reply_dispose(&r);
}

/* Reads from fd up to the end of a header block into buf (NUL-terminated);
 * its length, or 0 when the connection ended first. */
static size_t read_head(int fd, char *buf, size_t n)
{
    size_t len = 0;
    while (len < n - 1) {
        ssize_t got = read(fd, buf + len, 1);   /* a byte at a time: not one past the header */
        if (got <= 0)
            return 0;
        buf[++len] = '\0';
        if (len >= 4 && memcmp(buf + len - 4, "\r\n\r\n", 4) == 0)
            return len;
    }
    return 0;
}

static void test_no_body_after_304_or_head_on_a_kept_connection(struct check *c)
{
    const struct site *s = c->ctx;
    int fd = raw_connect(site_port(s), NULL, 10);
    CHECK(c, fd >= 0);
    if (fd < 0)
        return;
    const char *first[] = {"GET /a.html HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"v1\"\r\n\r\n",
                           "HEAD /a.html HTTP/1.1\r\nHost: x\r\n\r\n"};
    const char *want[] = {"HTTP/1.1 304 ", "HTTP/1.1 200 "};
    char buf[4096];
    for (size_t i = 0; i < 2; i++) {
        CHECK(c, send(fd, first[i], strlen(first[i]), MSG_NOSIGNAL) == (ssize_t)strlen(first[i]));
        CHECK(c, read_head(fd, buf, sizeof buf) > 0);
        CHECK(c, strncmp(buf, want[i], strlen(want[i])) == 0);
        CHECK_CONTAINS(c, buf, "Content-Length: 19\r\n");
        pause_ms(50);
        /* nothing follows the header block */
        CHECK(c, recv(fd, buf, sizeof buf, MSG_DONTWAIT) < 0);
    }
    /* and the connection serves the next request */
    const char next[] = "GET /fast HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    CHECK(c, send(fd, next, sizeof next - 1, MSG_NOSIGNAL) == (ssize_t)sizeof next - 1);
    size_t len = 0;
    ssize_t got;
    while (len < sizeof buf - 1 && (got = read(fd, buf + len, sizeof buf - 1 - len)) > 0)
        len += (size_t)got;
    buf[len] = '\0';
    close(fd);
    CHECK(c, strncmp(buf, "HTTP/1.1 200 ", 13) == 0);
    CHECK(c, len > 4 && strcmp(buf + len - 4, "fast") == 0);
}

static void test_head_is_get_without_a_body(struct check *c)
{
    const struct site *s = c->ctx;
    struct http_reply r;
    CHECK(c, get(s, "HEAD", "/a.html", NULL, &r) == 200);
    CHECK(c, r.body_len == 0);
    CHECK(c, header_is(&r, "Content-Length", "19"));
    CHECK(c, header_is(&r, "ETag", "\"v1\""));
    CHECK(c, header_is(&r, "Content-Type", "text/html; charset=utf-8"));
    http_reply_dispose(&r);
    double t = now_s();
    CHECK(c, get(s, "HEAD", "/huge", NULL, &r) == 200);
    CHECK(c, r.body_len == 0);
    CHECK(c, header_is(&r, "Content-Length", "20000000"));
    CHECK(c, now_s() - t < 5);
    http_reply_dispose(&r);
    CHECK(c, get(s, "HEAD", "/nope", NULL, &r) == 404);
    CHECK(c, r.body_len == 0);
    http_reply_dispose(&r);
}

static void test_the_log_records_each_request(struct check *c)
{
    struct site *s = c->ctx;
    site_clear_log(s);
    struct site_hit *h = NULL;
    CHECK(c, site_hits(s, &h) == 0 && h == NULL);
    struct http_reply r;
    get(s, "GET", "/a.html", "User-Agent: testbot/1.0 (+http://x/)\r\n", &r);
    http_reply_dispose(&r);
    pause_ms(20);
    get(s, "HEAD", "/a.html", "User-Agent: testbot/1.0\r\n", &r);
    http_reply_dispose(&r);
    pause_ms(20);
    get(s, "GET", "/a.html",
        "If-None-Match: \"v1\"\r\nIf-Modified-Since: " LM "\r\nUser-Agent: testbot/1.0\r\n", &r);
    http_reply_dispose(&r);
    pause_ms(20);
    get(s, "GET", "/s?x=1&y=%C3%A5", NULL, &r);
    http_reply_dispose(&r);
    get(s, "GET", "/nope", NULL, &r);
    http_reply_dispose(&r);
    size_t n = site_hits(s, &h);
    CHECK(c, n == 5);
    if (n == 5) {
        CHECK_STR(c, h[0].method, "GET");
        CHECK_STR(c, h[0].path, "/a.html");
        CHECK_STR(c, h[0].user_agent, "testbot/1.0 (+http://x/)");
        CHECK_STR(c, h[0].if_none_match, "");
        CHECK(c, h[0].status == 200 && h[0].body_bytes == 19);
        CHECK_STR(c, h[1].method, "HEAD");
        CHECK(c, h[1].status == 200 && h[1].body_bytes == 0);
        CHECK_STR(c, h[2].if_none_match, "\"v1\"");
        CHECK_STR(c, h[2].if_modified_since, LM);
        CHECK(c, h[2].status == 304 && h[2].body_bytes == 0);
        CHECK_STR(c, h[3].path, "/s?x=1&y=%C3%A5");
        CHECK_STR(c, h[3].user_agent, "");
        CHECK(c, h[3].status == 200 && h[3].body_bytes == 10);
        CHECK(c, h[4].status == 404 && h[4].body_bytes > 0);
        CHECK(c, h[0].at >= 0 && h[0].at < 600);
        for (size_t i = 1; i < n; i++)
            CHECK(c, h[i].at >= h[i - 1].at);
        CHECK(c, h[1].at - h[0].at >= 0.015 && h[2].at - h[1].at >= 0.015);
    }
    free(h);
    CHECK(c, site_count(s, "/a.html") == 3);
    CHECK(c, site_count(s, "/s?x=1&y=%C3%A5") == 1);
    CHECK(c, site_count(s, "/s") == 0);
    CHECK(c, site_log_dropped(s) == 0);
    site_clear_log(s);
    CHECK(c, site_count(s, "/a.html") == 0);
}

static void test_pages_change_while_running(struct check *c)
{
    struct site *s = c->ctx;
    struct http_reply r;
    CHECK(c, site_set(s, &(struct site_page){.path = "/v", .body = "one"}) == 0);
    CHECK(c, get(s, "GET", "/v", NULL, &r) == 200);
    CHECK_STR(c, r.body, "one");
    http_reply_dispose(&r);
    CHECK(c, site_set(s, &(struct site_page){.path = "/v", .body = "two", .etag = "\"2\""}) == 0);
    CHECK(c, get(s, "GET", "/v", NULL, &r) == 200);
    CHECK_STR(c, r.body, "two");
    CHECK(c, header_is(&r, "ETag", "\"2\""));
    http_reply_dispose(&r);
    CHECK(c, site_set(s, &(struct site_page){.path = "/v", .status = 500, .body = "oops"}) == 0);
    CHECK(c, get(s, "GET", "/v", NULL, &r) == 500);
    http_reply_dispose(&r);
    CHECK(c, site_remove(s, "/v") == 0);
    CHECK(c, get(s, "GET", "/v", NULL, &r) == 404);
    http_reply_dispose(&r);
    CHECK(c, site_remove(s, "/v") < 0);
    /* robots.txt added as a page */
    CHECK(c, site_set(s, &(struct site_page){.path = "/robots.txt", .content_type = "text/plain",
                                             .body = "User-agent: *\nDisallow: /privat/\n"}) == 0);
    CHECK(c, get(s, "GET", "/robots.txt", NULL, &r) == 200);
    CHECK_STR(c, r.body, "User-agent: *\nDisallow: /privat/\n");
    http_reply_dispose(&r);
    CHECK(c, site_remove(s, "/robots.txt") == 0);
    /* what is not a page is refused */
    CHECK(c, site_set(s, &(struct site_page){.body = "no path"}) < 0);
    CHECK(c, site_set(s, &(struct site_page){.path = "/x", .body_len = 3}) < 0);
}

static void test_a_huge_page_is_sent_in_full(struct check *c)
{
    struct site *s = c->ctx;
    site_clear_log(s);
    struct raw r;
    CHECK(c, fetch_raw(site_port(s), "/huge", HUNDRED, 100, &r) == 0);
    CHECK(c, r.status == 200);
    CHECK(c, r.body_len == 20000000);
    CHECK(c, r.mismatches == 0);
    CHECK_CONTAINS(c, r.head, "Content-Length: 20000000\r\n");
    struct site_hit *h = NULL;
    CHECK(c, site_hits(s, &h) == 1 && h[0].body_bytes == 20000000);
    free(h);
}

static void test_bytes_are_sent_as_given(struct check *c)
{
    struct site *s = c->ctx;
    struct raw r;
    CHECK(c, fetch_raw(site_port(s), "/binary", NULL, 0, &r) == 0);
    CHECK(c, r.status == 200);
    CHECK(c, r.body_len == sizeof BINARY - 1);
    CHECK(c, r.body && memcmp(r.body, BINARY, sizeof BINARY - 1) == 0);
    CHECK_CONTAINS(c, r.head, "Content-Type: application/octet-stream\r\n");
    free(r.body);
    /* the same bytes declared as HTML: no charset conversion either */
    CHECK(c, site_set(s, &(struct site_page){.path = "/latin1",
                                             .body = "<p>bl\xe5" "b\xe4r</p>"}) == 0);
    CHECK(c, fetch_raw(site_port(s), "/latin1", NULL, 0, &r) == 0);
    CHECK(c, r.body_len == 13 && r.body && memcmp(r.body, "<p>bl\xe5" "b\xe4r</p>", 13) == 0);
    free(r.body);
}

static void test_a_dropped_connection_has_no_answer(struct check *c)
{
    struct site *s = c->ctx;
    site_clear_log(s);
    int fd = raw_connect(site_port(s), NULL, 10);
    CHECK(c, fd >= 0);
    const char req[] = "GET /drop HTTP/1.1\r\nHost: x\r\n\r\n";
    CHECK(c, raw_exchange(fd, req, sizeof req - 1) == 0);
    close(fd);
    struct site_hit *h = NULL;
    CHECK(c, site_hits(s, &h) == 1 && h[0].status == 0 && strcmp(h[0].path, "/drop") == 0);
    free(h);
    /* and the site goes on */
    struct http_reply r;
    CHECK(c, get(s, "GET", "/fast", NULL, &r) == 200);
    http_reply_dispose(&r);
}

struct timed {
    const struct site *s;
    const char *path;
    int status;
    double seconds;
};

static void *timed_get(void *arg)
{
    struct timed *t = arg;
    double t0 = now_s();
    struct http_reply r;
    t->status = get(t->s, "GET", t->path, NULL, &r);
    t->seconds = now_s() - t0;
    http_reply_dispose(&r);
    return NULL;
}

static void test_a_slow_page_holds_up_no_other(struct check *c)
{
    struct timed slow = {.s = c->ctx, .path = "/slow"}, fast = {.s = c->ctx, .path = "/fast"};
    pthread_t th;
    CHECK(c, pthread_create(&th, NULL, timed_get, &slow) == 0);
    pause_ms(100);   /* the slow request first, then the fast one beside it */
    timed_get(&fast);
    pthread_join(th, NULL);
    CHECK(c, slow.status == 200 && slow.seconds >= 1.5 && slow.seconds < 5);
    CHECK(c, fast.status == 200 && fast.seconds < 0.5);
    CHECK(c, fast.seconds < slow.seconds - 1);
}

static void test_stop_is_prompt_with_a_request_in_flight(struct check *c)
{
    struct site *s = NULL;
    const struct site_page p = {.path = "/sleepy", .body = "zzz", .delay_ms = 10000};
    CHECK(c, site_start(&s, &p, 1) == 0);
    if (!s)
        return;
    struct timed t = {.s = s, .path = "/sleepy"};
    pthread_t th;
    CHECK(c, pthread_create(&th, NULL, timed_get, &t) == 0);
    for (int i = 0; i < 500 && site_count(s, "/sleepy") == 0; i++)
        pause_ms(10);
    CHECK(c, site_count(s, "/sleepy") == 1);
    pause_ms(100);   /* well into its delay */
    double t0 = now_s();
    site_stop(s);
    double took = now_s() - t0;
    pthread_join(th, NULL);
    CHECK(c, took < 1.0);
    CHECK(c, t.status == -1 && t.seconds < 5);   /* closed without an answer */
    site_stop(NULL);
}

static void test_bad_pages_are_refused_at_start(struct check *c)
{
    char sentinel;
    struct site *s = (struct site *)(void *)&sentinel;   /* must come back NULL */
    const struct site_page bad[] = {{.path = "/ok"}, {.path = NULL, .body = "x"}};
    CHECK(c, site_start(&s, bad, 2) < 0 && s == NULL);
    /* two sites at once, each on its own port; a later page of a path wins */
    struct site *a = NULL, *b = NULL;
    const struct site_page twice[] = {{.path = "/p", .body = "first"},
                                      {.path = "/p", .body = "second"}};
    CHECK(c, site_start(&a, twice, 2) == 0 && site_start(&b, NULL, 0) == 0);
    if (a && b) {
        CHECK(c, site_port(a) != site_port(b));
        struct http_reply r;
        CHECK(c, get(a, "GET", "/p", NULL, &r) == 200);
        CHECK_STR(c, r.body, "second");
        http_reply_dispose(&r);
        CHECK(c, get(b, "GET", "/p", NULL, &r) == 404);
        http_reply_dispose(&r);
    }
    site_stop(a);
    site_stop(b);
}

int main(void)
{
    struct check c = {0};
    struct site *s = NULL;
    if (site_start(&s, pages, sizeof pages / sizeof pages[0]) < 0) {
        fprintf(stderr, "test_site: the site did not start\n");
        return 1;
    }
    c.ctx = s;
    RUN(&c, test_a_page_and_its_headers);
    RUN(&c, test_unknown_path_is_404);
    RUN(&c, test_redirect_has_its_location);
    RUN(&c, test_conditional_requests);
    RUN(&c, test_head_is_get_without_a_body);
    RUN(&c, test_no_body_after_304_or_head_on_a_kept_connection);
    RUN(&c, test_the_log_records_each_request);
    RUN(&c, test_pages_change_while_running);
    RUN(&c, test_a_huge_page_is_sent_in_full);
    RUN(&c, test_bytes_are_sent_as_given);
    RUN(&c, test_a_dropped_connection_has_no_answer);
    RUN(&c, test_a_slow_page_holds_up_no_other);
    RUN(&c, test_stop_is_prompt_with_a_request_in_flight);
    RUN(&c, test_bad_pages_are_refused_at_start);
    site_stop(s);
    return check_report(&c, "test_site");
}
