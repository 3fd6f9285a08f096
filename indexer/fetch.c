/* fetch.c: the crawler's HTTP client: one libcurl handle, so that its
 * connection to the site is kept alive from request to request, a request
 * started no sooner than the delay asked after the last answer (the site's
 * manners, kept here whatever the caller does), redirects answered rather than followed
 * (the crawler checks each hop against its scope and robots.txt), a body
 * cut off at its limit, and the headers the crawler keeps. */
#include "indexer.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct fetcher {
    CURL *curl;
    struct fetch_options opt;
    double last_end;     /* monotonic seconds the last answer ended; 0: none */
};

int fetcher_new(struct fetcher **out, const struct fetch_options *o)
{
    struct fetcher *f = calloc(1, sizeof *f);
    *out = NULL;
    if (!f || !(f->curl = curl_easy_init())) {
        free(f);
        return -1;
    }
    f->opt = *o;
    *out = f;
    return 0;
}

void fetcher_free(struct fetcher *f)
{
    if (!f)
        return;
    curl_easy_cleanup(f->curl);
    free(f);
}

void fetcher_slow_down(struct fetcher *f, double delay_s)
{
    if (delay_s > f->opt.delay_s)
        f->opt.delay_s = delay_s;
}

void fetch_result_dispose(struct fetch_result *r)
{
    free(r->body);
    free(r->content_type);
    free(r->etag);
    free(r->last_modified);
    free(r->location);
    free(r->x_robots_tag);
    memset(r, 0, sizeof *r);
}

struct sink {
    struct fetch_result *r;
    size_t cap, max;
};

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
    struct sink *s = ctx;
    size_t len = size * n;
    if (s->r->len + len > s->max) {
        s->r->too_big = 1;
        return 0;   /* libcurl stops the transfer */
    }
    if (s->r->len + len + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 65536;
        while (cap < s->r->len + len + 1)
            cap *= 2;
        char *p = realloc(s->r->body, cap);
        if (!p)
            return 0;
        s->r->body = p;
        s->cap = cap;
    }
    memcpy(s->r->body + s->r->len, data, len);
    s->r->len += len;
    s->r->body[s->r->len] = '\0';
    return len;
}

/* A header's value, white space trimmed, into *field (the last one wins). */
static void keep_header(char **field, const char *v, size_t n)
{
    while (n && (*v == ' ' || *v == '\t')) {
        v++;
        n--;
    }
    while (n && (v[n - 1] == '\r' || v[n - 1] == '\n' || v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    free(*field);
    *field = strndup(v, n);
}

static size_t on_header(char *line, size_t size, size_t n, void *ctx)
{
    struct fetch_result *r = ctx;
    size_t len = size * n;
    static const struct {
        const char *name;
        size_t offset;
    } wanted[] = {
        {"content-type:", offsetof(struct fetch_result, content_type)},
        {"etag:", offsetof(struct fetch_result, etag)},
        {"last-modified:", offsetof(struct fetch_result, last_modified)},
        {"location:", offsetof(struct fetch_result, location)},
        {"x-robots-tag:", offsetof(struct fetch_result, x_robots_tag)},
    };
    for (size_t i = 0; i < sizeof wanted / sizeof wanted[0]; i++) {
        size_t k = strlen(wanted[i].name);
        if (len > k && strncasecmp(line, wanted[i].name, k) == 0)
            keep_header((char **)((char *)r + wanted[i].offset), line + k, len - k);
    }
    return len;
}

/* The delay counts from the end of the last answer, not its request's
 * start: the server then never sees two requests closer than the delay,
 * however long the first took to reach it. */
static void wait_turn(struct fetcher *f)
{
    double now = progress_now(), next = f->last_end + f->opt.delay_s;
    if (f->last_end > 0 && next > now) {
        double left = next - now;
        struct timespec ts = {(time_t)left, (long)((left - (double)(time_t)left) * 1e9)};
        while (nanosleep(&ts, &ts) < 0)
            ;
    }
}

int fetcher_get(struct fetcher *f, struct fetch_result *r, const char *url, const char *etag,
                const char *last_modified)
{
    memset(r, 0, sizeof *r);
    struct sink sink = {r, 0, f->opt.max_bytes};
    struct curl_slist *headers = NULL;
    char line[512];
    if (etag && *etag) {
        snprintf(line, sizeof line, "If-None-Match: %s", etag);
        headers = curl_slist_append(headers, line);
    }
    if (last_modified && *last_modified) {
        snprintf(line, sizeof line, "If-Modified-Since: %s", last_modified);
        headers = curl_slist_append(headers, line);
    }
    CURL *c = f->curl;
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_USERAGENT, f->opt.user_agent);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, f->opt.timeout_s);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, f->opt.timeout_s < 10 ? f->opt.timeout_s : 10L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");   /* gzip and the like, decoded */
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)f->opt.max_bytes);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    wait_turn(f);
    CURLcode rc = curl_easy_perform(c);
    f->last_end = progress_now();
    curl_slist_free_all(headers);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
    if (rc == CURLE_FILESIZE_EXCEEDED || (rc == CURLE_WRITE_ERROR && r->too_big)) {
        r->too_big = 1;
        snprintf(r->err, sizeof r->err, "larger than %zu MB: not read", f->opt.max_bytes >> 20);
        return -1;
    }
    if (rc != CURLE_OK) {
        snprintf(r->err, sizeof r->err, "%s", curl_easy_strerror(rc));
        r->status = 0;
        return -1;
    }
    if (!r->body && !(r->body = calloc(1, 1)))
        return -1;
    return 0;
}
