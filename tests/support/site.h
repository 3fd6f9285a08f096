/* site.h: a scripted web site on 127.0.0.1 for the crawler's tests: pages
 * given by the test (status, headers, body, a delay, a dropped connection),
 * changed while it runs, and a log of every request it saw. It runs in
 * libmicrohttpd's threads, a thread per connection so that a slow page
 * holds up no other, up to 64 connections at once (more are refused); a
 * kept-alive connection idle for 60 s is closed.
 */
#ifndef SITE_H
#define SITE_H

#include <stddef.h>

struct site_page {
    const char *path;            /* path and query as requested, undecoded, e.g. "/a/b.html" or "/s?x=1" */
    int status;                  /* 200, 301, 404, 410, 500, … (0: 200) */
    const char *content_type;    /* NULL: text/html; charset=utf-8 */
    const char *body;            /* may hold NULs when body_len is set; NULL: none */
    size_t body_len;             /* 0: strlen(body) */
    size_t repeat;               /* >0: the body is sent this many times over (a huge page without a huge buffer) */
    const char *location;        /* a redirect's Location (relative or absolute) */
    const char *etag;            /* sent as ETag, quotes included ("\"v1\"", "W/\"v1\""); If-None-Match
                                  * matching it (weak comparison) or "*" → 304 with no body */
    const char *last_modified;   /* an HTTP date; If-Modified-Since not earlier → 304 (when the
                                  * request has no If-None-Match) */
    const char *x_robots_tag;    /* sent as X-Robots-Tag when set */
    unsigned delay_ms;           /* wait this long before answering (a slow page) */
    int hangup;                  /* non-zero: close the connection without answering (after the delay) */
};
/* Conditions are those of RFC 9110 13.2, for GET and HEAD of a page whose
 * status is 2xx only. A 304 carries ETag and Last-Modified and, like an
 * answer to HEAD, the Content-Length of the full body but no body. Another
 * method than GET or HEAD on a page is 405 (Allow: GET, HEAD). */

struct site_hit {                /* one request as the server saw it, strings cut to fit */
    char method[8];
    char path[512];              /* as requested, like site_page.path */
    char user_agent[256];
    char if_none_match[128];
    char if_modified_since[64];
    int status;                  /* what it answered; 0 while in flight, or when it hung up */
    size_t body_bytes;           /* body bytes it queued (0 for a 304 or HEAD) */
    double at;                   /* seconds since the site started when its headers had arrived:
                                  * the log is in this order */
};

struct site;

/* Starts the site on a free port of 127.0.0.1 with copies of n pages (a later
 * page of the same path replaces an earlier one); 0, or -1 with *out NULL. */
int      site_start(struct site **out, const struct site_page *pages, size_t n);
unsigned site_port(const struct site *s);
/* "http://127.0.0.1:PORT"; 0, or -1 when outlen is too small. */
int      site_base(const struct site *s, char *out, size_t outlen);
/* Adds a copy of p, or replaces the page of its path: the next request sees
 * it, one being answered keeps the old page. 0 or -1. */
int      site_set(struct site *s, const struct site_page *p);
/* Removes the page of path, which is then 404; 0, or -1 when there was none. */
int      site_remove(struct site *s, const char *path);
/* A malloc'd copy of the log so far into *out (NULL when empty or out of
 * memory) and its length. */
size_t   site_hits(const struct site *s, struct site_hit **out);
/* Requests for path (exactly as requested) in the log so far. */
size_t   site_count(const struct site *s, const char *path);
/* Requests the log left out once it held SITE_LOG_MAX entries. */
size_t   site_log_dropped(const struct site *s);
/* Empties the log (and so site_count) and its dropped count. */
void     site_clear_log(struct site *s);
/* Wakes delayed requests, which then hang up, closes every connection and
 * frees the site; returns promptly whatever is in flight. NULL is fine. */
void     site_stop(struct site *s);

#define SITE_LOG_MAX 100000

#endif
