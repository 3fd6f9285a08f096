/* site.c: the scripted web site of site.h over libmicrohttpd. Pages live in
 * a table under the site's mutex, each reference-counted so that site_set
 * can replace a page while an answer still streams the old one. */
#include "site.h"

#include "support.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#define CONN_MAX 64           /* connections at once: a crawler's tests need a few */
#define CONN_TIMEOUT_S 60     /* an idle keep-alive connection is closed after this */
#define BLOCK_SIZE (64 * 1024)
#define DEFAULT_TYPE "text/html; charset=utf-8"
#define NOT_FOUND_BODY "<!DOCTYPE html>\n<title>404</title>\n<p>Not found.</p>\n"

/* A page as the site keeps it: its own copies of the strings. */
struct page {
    atomic_size_t refs;      /* the table's, and each answer's in flight */
    struct site_page p;      /* its strings point at the copies below */
    char *path, *content_type, *body, *location, *etag, *last_modified, *x_robots_tag;
    uint64_t total;          /* body bytes of a full answer: body_len × repeat */
};

struct site {
    struct MHD_Daemon *mhd;
    unsigned port;
    double t0;               /* now_s() at start: hits are timed from it */
    pthread_mutex_t mu;      /* everything below */
    pthread_cond_t wake;     /* broadcast when stopping, to end delays */
    int stopping;
    struct page **pages;
    size_t npages, cap_pages;
    struct site_hit *log;
    size_t nlog, cap_log, dropped;
    unsigned log_gen;        /* bumped by site_clear_log: stale entry numbers then update nothing */
};

/* What one request carries between libmicrohttpd's calls. */
struct request {
    char *target;            /* as requested, before libmicrohttpd splits and decodes it */
    int seen;                /* the handler's first call (the headers) is behind */
    size_t hit;              /* its log entry, SIZE_MAX when not logged */
    unsigned gen;            /* the log's generation then */
};

/* The log and pages are read under the lock from const handles too: the
 * site is always malloc'd, never const storage. */
static pthread_mutex_t *mutex_of(const struct site *s)
{
    return (pthread_mutex_t *)&s->mu;
}

/* ---- pages ---- */

static void page_release(struct page *pg)
{
    if (!pg || atomic_fetch_sub(&pg->refs, 1) != 1)
        return;
    free(pg->path);
    free(pg->content_type);
    free(pg->body);
    free(pg->location);
    free(pg->etag);
    free(pg->last_modified);
    free(pg->x_robots_tag);
    free(pg);
}

/* Copies a string that may be NULL; 0, or -1 when out of memory. */
static int copy_str(char **dst, const char **field, const char *src)
{
    *dst = NULL;
    if (src && !(*dst = strdup(src)))
        return -1;
    *field = *dst;
    return 0;
}

/* A copy of in with one reference, or NULL when in is not a page or memory
 * ran out. */
static struct page *page_copy(const struct site_page *in)
{
    if (!in || !in->path || !*in->path || (!in->body && in->body_len))
        return NULL;
    size_t len = in->body_len ? in->body_len : in->body ? strlen(in->body) : 0;
    uint64_t times = in->repeat ? in->repeat : 1;
    if (len && times > UINT64_MAX / len)
        return NULL;
    struct page *pg = calloc(1, sizeof *pg);
    if (!pg)
        return NULL;
    atomic_init(&pg->refs, 1);
    pg->p = *in;
    pg->p.status = in->status ? in->status : 200;
    pg->p.body_len = len;
    pg->p.repeat = (size_t)times;
    pg->total = len * times;
    if (copy_str(&pg->path, &pg->p.path, in->path) < 0 ||
        copy_str(&pg->content_type, &pg->p.content_type, in->content_type) < 0 ||
        copy_str(&pg->location, &pg->p.location, in->location) < 0 ||
        copy_str(&pg->etag, &pg->p.etag, in->etag) < 0 ||
        copy_str(&pg->last_modified, &pg->p.last_modified, in->last_modified) < 0 ||
        copy_str(&pg->x_robots_tag, &pg->p.x_robots_tag, in->x_robots_tag) < 0)
        goto fail;
    pg->p.body = NULL;
    if (in->body) {
        /* one byte more, so that an empty body is still an allocation */
        if (!(pg->body = malloc(len + 1)))
            goto fail;
        memcpy(pg->body, in->body, len);
        pg->body[len] = '\0';
        pg->p.body = pg->body;
    }
    return pg;
fail:
    page_release(pg);
    return NULL;
}

static size_t page_index(const struct site *s, const char *path)
{
    for (size_t i = 0; i < s->npages; i++)
        if (strcmp(s->pages[i]->p.path, path) == 0)
            return i;
    return SIZE_MAX;
}

/* Puts pg (its reference) in the table in place of its path's page; the
 * caller holds the lock. 0, or -1 with pg released. */
static int page_put(struct site *s, struct page *pg)
{
    size_t i = page_index(s, pg->p.path);
    if (i != SIZE_MAX) {
        page_release(s->pages[i]);
        s->pages[i] = pg;
        return 0;
    }
    if (s->npages == s->cap_pages) {
        size_t cap = s->cap_pages ? s->cap_pages * 2 : 16;
        struct page **p = realloc(s->pages, cap * sizeof *p);
        if (!p) {
            page_release(pg);
            return -1;
        }
        s->pages = p;
        s->cap_pages = cap;
    }
    s->pages[s->npages++] = pg;
    return 0;
}

/* The page of target with a reference for the caller, or NULL. */
static struct page *page_get(struct site *s, const char *target)
{
    pthread_mutex_lock(&s->mu);
    size_t i = page_index(s, target);
    struct page *pg = i == SIZE_MAX ? NULL : s->pages[i];
    if (pg)
        atomic_fetch_add(&pg->refs, 1);
    pthread_mutex_unlock(&s->mu);
    return pg;
}

/* ---- the log ---- */

static void copy_field(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

static void log_arrival(struct site *s, struct request *rq, struct MHD_Connection *conn,
                        const char *method)
{
    struct site_hit h;
    memset(&h, 0, sizeof h);
    copy_field(h.method, sizeof h.method, method);
    copy_field(h.path, sizeof h.path, rq->target);
    copy_field(h.user_agent, sizeof h.user_agent,
               MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "User-Agent"));
    copy_field(h.if_none_match, sizeof h.if_none_match,
               MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-None-Match"));
    copy_field(h.if_modified_since, sizeof h.if_modified_since,
               MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-Modified-Since"));
    rq->hit = SIZE_MAX;
    pthread_mutex_lock(&s->mu);
    /* timed under the lock, so that the log's times never go back */
    h.at = now_s() - s->t0;
    if (s->nlog == s->cap_log && s->cap_log < SITE_LOG_MAX) {
        size_t cap = s->cap_log ? s->cap_log * 2 : 256;
        if (cap > SITE_LOG_MAX)
            cap = SITE_LOG_MAX;
        struct site_hit *l = realloc(s->log, cap * sizeof *l);
        if (l) {
            s->log = l;
            s->cap_log = cap;
        }
    }
    if (s->nlog < s->cap_log) {
        rq->hit = s->nlog;
        rq->gen = s->log_gen;
        s->log[s->nlog++] = h;
    } else {
        s->dropped++;
    }
    pthread_mutex_unlock(&s->mu);
}

static void log_answer(struct site *s, const struct request *rq, int status, size_t bytes)
{
    pthread_mutex_lock(&s->mu);
    if (rq->hit != SIZE_MAX && rq->gen == s->log_gen && rq->hit < s->nlog) {
        s->log[rq->hit].status = status;
        s->log[rq->hit].body_bytes = bytes;
    }
    pthread_mutex_unlock(&s->mu);
}

/* ---- conditional requests (RFC 9110 13.1.2, 13.1.3, 13.2.2) ---- */

/* An entity-tag without its weakness: weak comparison compares the rest. */
static const char *opaque_tag(const char *t, size_t *len)
{
    if (strncmp(t, "W/", 2) == 0)
        t += 2;
    *len = strlen(t);
    return t;
}

/* Whether an If-None-Match field value names the page: "*", or one of its
 * entity-tags equal to the page's under weak comparison. A member that is
 * not a quoted tag runs to the next comma, so that a page with a malformed
 * ETag still matches the value it sent. */
static int none_match_hits(const char *v, const char *etag)
{
    size_t elen = 0;
    const char *e = etag ? opaque_tag(etag, &elen) : NULL;
    while (*v) {
        while (*v == ' ' || *v == '\t' || *v == ',')
            v++;
        if (!*v)
            break;
        if (*v == '*')
            return 1;
        if (strncmp(v, "W/", 2) == 0)
            v += 2;
        const char *start = v, *end;
        if (*v == '"') {
            end = strchr(v + 1, '"');
            end = end ? end + 1 : v + strlen(v);
        } else {
            end = strchr(v, ',');
            if (!end)
                end = v + strlen(v);
            while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
                end--;
        }
        if (e && elen && (size_t)(end - start) == elen && memcmp(start, e, elen) == 0)
            return 1;
        v = end;
        while (*v && *v != ',')
            v++;
    }
    return 0;
}

static int month_of(const char *m)
{
    static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    for (int i = 0; i < 12; i++)
        if (strncmp(m, names + 3 * i, 3) == 0 && m[3] == '\0')
            return i;
    return -1;
}

/* An HTTP-date in any of its three forms (RFC 9110 5.6.7), parsed without
 * the locale: 0, or -1 when s is not one. */
static int http_date(const char *s, time_t *out)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    char mon[4] = "";
    int day, year, hh, mm, ss, end = -1;
    const char *p = s;
    while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
        p++;
    if (p == s)
        return -1;
    if (*p == ',' && strchr(p, '-')) {   /* Sunday, 06-Nov-94 08:49:37 GMT */
        if (sscanf(p, ", %2d-%3[A-Za-z]-%2d %2d:%2d:%2d GMT%n", &day, mon, &year, &hh, &mm, &ss,
                   &end) != 6)
            return -1;
        year += year < 70 ? 2000 : 1900;
    } else if (*p == ',') {              /* Sun, 06 Nov 1994 08:49:37 GMT */
        if (sscanf(p, ", %2d %3[A-Za-z] %4d %2d:%2d:%2d GMT%n", &day, mon, &year, &hh, &mm, &ss,
                   &end) != 6)
            return -1;
    } else {                             /* Sun Nov  6 08:49:37 1994 */
        if (sscanf(p, " %3[A-Za-z] %2d %2d:%2d:%2d %4d%n", mon, &day, &hh, &mm, &ss, &year,
                   &end) != 6)
            return -1;
    }
    if (end < 0 || p[end] != '\0' || (tm.tm_mon = month_of(mon)) < 0 || day < 1 || day > 31 ||
        hh > 23 || mm > 59 || ss > 60 || hh < 0 || mm < 0 || ss < 0)
        return -1;
    tm.tm_mday = day;
    tm.tm_year = year - 1900;
    tm.tm_hour = hh;
    tm.tm_min = mm;
    tm.tm_sec = ss;
    *out = timegm(&tm);
    return 0;
}

/* The conditional fields of a request, gathered over every header line: a
 * list field may come on several. */
struct conditions {
    const struct page *pg;
    int none_match_seen, none_match_hit;
    int modified_since_seen;
    const char *modified_since;
};

static enum MHD_Result gather(void *cls, enum MHD_ValueKind kind, const char *key,
                              const char *value)
{
    (void)kind;
    struct conditions *c = cls;
    if (strcasecmp(key, "If-None-Match") == 0) {
        c->none_match_seen = 1;
        c->none_match_hit |= value && none_match_hits(value, c->pg->p.etag);
    } else if (strcasecmp(key, "If-Modified-Since") == 0) {
        c->modified_since_seen++;
        c->modified_since = value;
    }
    return MHD_YES;
}

/* Whether a GET or HEAD of pg (a 2xx page) is answered 304. If-None-Match
 * wins: If-Modified-Since counts only without it, and only when it is one
 * valid date. */
static int not_modified(struct MHD_Connection *conn, const struct page *pg)
{
    struct conditions c = {.pg = pg};
    MHD_get_connection_values(conn, MHD_HEADER_KIND, gather, &c);
    if (c.none_match_seen)
        return c.none_match_hit;
    time_t since, changed;
    return c.modified_since_seen == 1 && c.modified_since && pg->p.last_modified &&
           http_date(c.modified_since, &since) == 0 &&
           http_date(pg->p.last_modified, &changed) == 0 && changed <= since;
}

/* ---- answers ---- */

/* The body of a page, repeated: one reference to the page per answer. */
static ssize_t read_body(void *cls, uint64_t pos, char *buf, size_t max)
{
    const struct page *pg = cls;
    if (pos >= pg->total)
        return MHD_CONTENT_READER_END_OF_STREAM;
    size_t len = pg->p.body_len, off = (size_t)(pos % len), n = 0;
    uint64_t left = pg->total - pos;
    if (max > left)
        max = (size_t)left;
    while (n < max) {
        size_t k = len - off < max - n ? len - off : max - n;
        memcpy(buf + n, pg->p.body + off, k);
        n += k;
        off = 0;
    }
    return (ssize_t)n;
}

static void release_body(void *cls)
{
    page_release(cls);
}

static void add_header(struct MHD_Response *r, const char *name, const char *value)
{
    if (value)
        MHD_add_response_header(r, name, value);
}

/* Waits ms unless the site stops first: 0, or -1 when it is stopping. */
static int delay(struct site *s, unsigned ms)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&s->mu);
    while (!s->stopping && pthread_cond_timedwait(&s->wake, &s->mu, &until) != ETIMEDOUT)
        ;
    int rc = s->stopping ? -1 : 0;
    pthread_mutex_unlock(&s->mu);
    return rc;
}

static enum MHD_Result queue(struct site *s, const struct request *rq,
                             struct MHD_Connection *conn, int status, size_t bytes,
                             struct MHD_Response *resp)
{
    if (!resp)
        return MHD_NO;
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)status, resp);
    MHD_destroy_response(resp);
    if (ret == MHD_YES)
        log_answer(s, rq, status, bytes);
    return ret;
}

static enum MHD_Result answer(struct site *s, const struct request *rq,
                              struct MHD_Connection *conn, const char *method)
{
    int head = strcmp(method, "HEAD") == 0, reads = head || strcmp(method, "GET") == 0;
    struct page *pg = page_get(s, rq->target);
    if (!pg) {
        struct MHD_Response *r = MHD_create_response_from_buffer(
            strlen(NOT_FOUND_BODY), (void *)NOT_FOUND_BODY, MHD_RESPMEM_PERSISTENT);
        if (r)
            MHD_add_response_header(r, "Content-Type", DEFAULT_TYPE);
        return queue(s, rq, conn, 404, head ? 0 : strlen(NOT_FOUND_BODY), r);
    }
    if (!reads) {
        page_release(pg);
        struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
        if (r)
            MHD_add_response_header(r, "Allow", "GET, HEAD");
        return queue(s, rq, conn, 405, 0, r);
    }
    /* MHD_NO closes the connection without a word: a dropped page, or a
     * delayed one when the site stops. */
    if ((pg->p.delay_ms && delay(s, pg->p.delay_ms) < 0) || pg->p.hangup) {
        page_release(pg);
        return MHD_NO;
    }
    int status = pg->p.status;
    if (status >= 200 && status < 300 && not_modified(conn, pg))
        status = 304;
    /* A 304 has the 200's response too, sized but never sent: libmicrohttpd
     * states its size as Content-Length, the only one a 304 may state (RFC
     * 9110 8.6); an empty response would make it say 0. */
    struct MHD_Response *r;
    if (pg->total) {
        atomic_fetch_add(&pg->refs, 1);
        r = MHD_create_response_from_callback(pg->total, BLOCK_SIZE, read_body, pg, release_body);
        if (!r)
            page_release(pg);
    } else {
        r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    }
    size_t bytes = head || status == 304 ? 0 : (size_t)pg->total;
    if (r) {
        add_header(r, "ETag", pg->p.etag);
        add_header(r, "Last-Modified", pg->p.last_modified);
        if (status != 304) {
            add_header(r, "Content-Type",
                       pg->p.content_type ? pg->p.content_type : DEFAULT_TYPE);
            add_header(r, "Location", pg->p.location);
            add_header(r, "X-Robots-Tag", pg->p.x_robots_tag);
        }
    }
    page_release(pg);
    return queue(s, rq, conn, status, bytes, r);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **con_cls)
{
    (void)url;
    (void)version;
    (void)upload_data;
    struct site *s = cls;
    struct request *rq = *con_cls;
    if (!rq)
        return MHD_NO;
    /* The first call has the headers: the request has arrived. */
    if (!rq->seen) {
        rq->seen = 1;
        log_arrival(s, rq, conn, method);
        return MHD_YES;
    }
    if (*upload_data_size) {   /* a request body is read and ignored */
        *upload_data_size = 0;
        return MHD_YES;
    }
    return answer(s, rq, conn, method);
}

/* Called with the request line's target before libmicrohttpd splits off
 * and decodes the query: the page is looked up by the target as sent. */
static void *request_begin(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)cls;
    (void)conn;
    struct request *rq = calloc(1, sizeof *rq);
    if (rq && !(rq->target = strdup(uri))) {
        free(rq);
        rq = NULL;
    }
    if (rq)
        rq->hit = SIZE_MAX;
    return rq;
}

static void request_end(void *cls, struct MHD_Connection *conn, void **con_cls,
                        enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    struct request *rq = *con_cls;
    if (rq)
        free(rq->target);
    free(rq);
    *con_cls = NULL;
}

/* ---- the site ---- */

/* The lock and the condition variable, whose waits are measured on the
 * monotonic clock like the log; 0, or -1 with neither left. */
static int sync_init(struct site *s)
{
    pthread_condattr_t ca;
    if (pthread_condattr_init(&ca) != 0)
        return -1;
    int rc = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0 &&
             pthread_cond_init(&s->wake, &ca) == 0 ? 0 : -1;
    pthread_condattr_destroy(&ca);
    if (rc == 0 && pthread_mutex_init(&s->mu, NULL) != 0) {
        pthread_cond_destroy(&s->wake);
        rc = -1;
    }
    return rc;
}

int site_start(struct site **out, const struct site_page *pages, size_t n)
{
    *out = NULL;
    struct site *s = calloc(1, sizeof *s);
    if (!s)
        return -1;
    if (sync_init(s) < 0) {
        free(s);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        struct page *pg = page_copy(&pages[i]);
        if (!pg || page_put(s, pg) < 0)
            goto fail;
    }
    s->t0 = now_s();
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = 0;   /* the kernel's choice, read back below: no race for a port */
    s->mhd = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
                                  MHD_USE_POLL | MHD_USE_ITC,
                              0, NULL, NULL, handle, s,
                              MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                              MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONN_MAX,
                              MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONN_TIMEOUT_S,
                              MHD_OPTION_URI_LOG_CALLBACK, request_begin, NULL,
                              MHD_OPTION_NOTIFY_COMPLETED, request_end, NULL,
                              MHD_OPTION_END);
    if (!s->mhd)
        goto fail;
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
    if (!info || !info->port)
        goto fail;
    s->port = info->port;
    *out = s;
    return 0;
fail:
    site_stop(s);
    return -1;
}

unsigned site_port(const struct site *s)
{
    return s->port;
}

int site_base(const struct site *s, char *out, size_t outlen)
{
    int n = snprintf(out, outlen, "http://127.0.0.1:%u", s->port);
    return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

int site_set(struct site *s, const struct site_page *p)
{
    struct page *pg = page_copy(p);
    if (!pg)
        return -1;
    pthread_mutex_lock(&s->mu);
    int rc = page_put(s, pg);
    pthread_mutex_unlock(&s->mu);
    return rc;
}

int site_remove(struct site *s, const char *path)
{
    pthread_mutex_lock(&s->mu);
    size_t i = path ? page_index(s, path) : SIZE_MAX;
    if (i != SIZE_MAX) {
        page_release(s->pages[i]);
        s->pages[i] = s->pages[--s->npages];
    }
    pthread_mutex_unlock(&s->mu);
    return i == SIZE_MAX ? -1 : 0;
}

size_t site_hits(const struct site *s, struct site_hit **out)
{
    pthread_mutex_lock(mutex_of(s));
    size_t n = s->nlog;
    *out = n ? malloc(n * sizeof **out) : NULL;
    if (*out)
        memcpy(*out, s->log, n * sizeof **out);
    else
        n = 0;
    pthread_mutex_unlock(mutex_of(s));
    return n;
}

size_t site_count(const struct site *s, const char *path)
{
    size_t n = 0;
    pthread_mutex_lock(mutex_of(s));
    for (size_t i = 0; i < s->nlog; i++)
        n += strcmp(s->log[i].path, path) == 0;
    pthread_mutex_unlock(mutex_of(s));
    return n;
}

size_t site_log_dropped(const struct site *s)
{
    pthread_mutex_lock(mutex_of(s));
    size_t n = s->dropped;
    pthread_mutex_unlock(mutex_of(s));
    return n;
}

void site_clear_log(struct site *s)
{
    pthread_mutex_lock(&s->mu);
    s->nlog = 0;
    s->dropped = 0;
    s->log_gen++;
    pthread_mutex_unlock(&s->mu);
}

void site_stop(struct site *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->mu);
    s->stopping = 1;
    pthread_cond_broadcast(&s->wake);
    pthread_mutex_unlock(&s->mu);
    /* closes the connections and joins their threads, which the broadcast
     * has freed from any delay */
    if (s->mhd)
        MHD_stop_daemon(s->mhd);
    for (size_t i = 0; i < s->npages; i++)
        page_release(s->pages[i]);
    free(s->pages);
    free(s->log);
    pthread_cond_destroy(&s->wake);
    pthread_mutex_destroy(&s->mu);
    free(s);
}
