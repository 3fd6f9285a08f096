/* http.c: libmicrohttpd's access handler: reads a request (bounding its URL
 * and body), routes it by path and method, and is the one place that writes
 * responses: common and security headers, JSON error bodies, ETag
 * revalidation, gzip, and the metrics of every answer. */
#include "server.h"

#include "gzip.h"
#include "hash.h"
#include "schema.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define DOCS_PREFIX "/api/documents/"
#define URL_MAX 8192          /* bytes of path and arguments: more is 414 */
#define BODY_MAX (8 << 20)    /* bytes of request body: more is 413 */
#define GZIP_MIN 1024         /* smaller bodies are sent as they are */

static const char page_csp[] =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/* What a request accumulates between libmicrohttpd's calls. */
struct request_ctx {
    double started_ms;
    size_t body_len;
    int too_large;
    struct buf body;      /* kept for PUT only */
};

double http_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int accepts_gzip(struct request *r)
{
    const char *ae = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Accept-Encoding");
    if (!ae)
        return 0;
    const char *g = strcasestr(ae, "gzip");
    return g && strncmp(g + 4, ";q=0", 4) != 0 && strncmp(g + 4, "; q=0", 5) != 0;
}

struct reply {
    unsigned status;
    char *body;               /* malloc'd, taken */
    size_t len;
    const char *type;
    const char *etag;         /* NULL: none */
    const char *cache;        /* Cache-Control */
    const char *allow;        /* for 405 */
    int page;                 /* the HTML page: add its security headers */
    int gzip;                 /* body was compressed */
};

static enum MHD_Result send_reply(struct request *r, struct reply *rp)
{
    char *z = NULL;
    size_t zlen = 0;
    if (rp->len >= GZIP_MIN && accepts_gzip(r) && gzip_compress(rp->body, rp->len, &z, &zlen) == 0) {
        free(rp->body);   /* on failure the body goes out as it is */
        rp->body = z;
        rp->len = zlen;
        rp->gzip = 1;
    }
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(rp->len, rp->body, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(rp->body);
        return MHD_NO;
    }
    if (rp->type)
        MHD_add_response_header(resp, "Content-Type", rp->type);
    MHD_add_response_header(resp, "Cache-Control", rp->cache ? rp->cache : "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Vary", r->srv->cors_origin ? "Accept-Encoding, Origin"
                                                              : "Accept-Encoding");
    if (rp->gzip)
        MHD_add_response_header(resp, "Content-Encoding", "gzip");
    if (rp->page) {
        MHD_add_response_header(resp, "Content-Security-Policy", page_csp);
        MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
        MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    }
    if (rp->etag)
        MHD_add_response_header(resp, "ETag", rp->etag);
    if (rp->allow)
        MHD_add_response_header(resp, "Allow", rp->allow);
    if (rp->status == MHD_HTTP_SERVICE_UNAVAILABLE)
        MHD_add_response_header(resp, "Retry-After", "1");
    if (rp->status == MHD_HTTP_UNAUTHORIZED)
        MHD_add_response_header(resp, "WWW-Authenticate", "Bearer");
    if (r->srv->cors_origin)
        MHD_add_response_header(resp, "Access-Control-Allow-Origin", r->srv->cors_origin);
    enum MHD_Result ret = MHD_queue_response(r->conn, rp->status, resp);
    MHD_destroy_response(resp);
    double took = http_now_ms() - r->started_ms;
    metrics_record(&r->srv->metrics, r->route, rp->status, took);
    if (r->srv->access_log)
        access_log_write(r->srv->access_log, r, rp->status, rp->len, took);
    return ret;
}

static enum MHD_Result send_304(struct request *r, const char *etag)
{
    struct reply rp = {304, strdup(""), 0, NULL, etag, "no-cache", NULL, 0, 0};
    return rp.body ? send_reply(r, &rp) : MHD_NO;
}

/* 1 when the client's If-None-Match names etag. */
static int client_has(struct request *r, const char *etag)
{
    const char *inm = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "If-None-Match");
    return inm && (strstr(inm, etag) != NULL || strcmp(inm, "*") == 0);
}

enum MHD_Result http_send_json(struct request *r, unsigned status, json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(6)) : NULL;
    json_decref(body);
    if (!text)
        return MHD_NO;
    struct reply rp = {status, text, strlen(text), "application/json; charset=utf-8", NULL,
                       NULL, NULL, 0, 0};
    return send_reply(r, &rp);
}

enum MHD_Result http_send_text(struct request *r, unsigned status, char *text,
                               const char *content_type)
{
    if (!text)
        return MHD_NO;
    struct reply rp = {status, text, strlen(text), content_type, NULL, NULL, NULL, 0, 0};
    return send_reply(r, &rp);
}

enum MHD_Result http_send_json_etag(struct request *r, json_t *body, const char *etag)
{
    char *text = body ? json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(6)) : NULL;
    json_decref(body);
    if (!text)
        return MHD_NO;
    struct reply rp = {200, text, strlen(text), "application/json; charset=utf-8", etag,
                       "no-cache", NULL, 0, 0};
    return send_reply(r, &rp);
}

struct arg_hash {
    uint64_t h;
    size_t total;
};

static enum MHD_Result hash_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
    (void)kind;
    struct arg_hash *a = cls;
    const char *parts[2] = {key, value ? value : ""};
    for (int i = 0; i < 2; i++) {
        size_t len = strlen(parts[i]);
        a->h = fnv1a64_add(a->h, parts[i], len);
        a->h = fnv1a64_add(a->h, i ? "&" : "=", 1);
        a->total += len + 1;
    }
    return MHD_YES;
}

static struct arg_hash args_of(struct request *r)
{
    struct arg_hash a = {FNV1A64_INIT, 0};
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, hash_arg, &a);
    return a;
}

int http_etag_check(struct request *r, unsigned long long version, char etag[40],
                    enum MHD_Result *ret)
{
    struct arg_hash a = args_of(r);
    snprintf(etag, 40, "W/\"%llx-%llx\"", version, (unsigned long long)a.h);
    if (!client_has(r, etag))
        return -1;
    *ret = send_304(r, etag);
    return 0;
}

static enum MHD_Result send_error_v(struct request *r, unsigned status, const char *allow,
                                    const char *fmt, va_list ap)
{
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    json_t *body = json_pack("{s:{s:i,s:s}}", "error", "status", (int)status, "message", msg);
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (!text)
        return MHD_NO;
    struct reply rp = {status, text, strlen(text), "application/json; charset=utf-8", NULL,
                       NULL, allow, 0, 0};
    return send_reply(r, &rp);
}

enum MHD_Result http_send_error(struct request *r, unsigned status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    enum MHD_Result ret = send_error_v(r, status, NULL, fmt, ap);
    va_end(ap);
    return ret;
}

static enum MHD_Result send_error_allow(struct request *r, unsigned status,
                                        const char *allow, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    enum MHD_Result ret = send_error_v(r, status, allow, fmt, ap);
    va_end(ap);
    return ret;
}

enum MHD_Result http_send_405(struct request *r, const char *allow)
{
    return send_error_allow(r, MHD_HTTP_METHOD_NOT_ALLOWED, allow,
                            "method %s is not allowed on %s (allowed: %s)", r->method,
                            r->path, allow);
}

const char *http_arg(struct request *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

static enum MHD_Result send_static(struct request *r, const struct static_file *f)
{
    if (client_has(r, f->etag))
        return send_304(r, f->etag);
    char *copy = malloc(f->len ? f->len : 1);
    if (!copy)
        return MHD_NO;
    memcpy(copy, f->data, f->len);
    struct reply rp = {200, copy, f->len, f->type, f->etag, "no-cache", NULL,
                       strncmp(f->type, "text/html", 9) == 0, 0};
    return send_reply(r, &rp);
}

static int is_read(const char *method)
{
    return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
}

/* The page's files by exact name: "/" is index.html, "/app.js" app.js;
 * nothing with a further slash. */
static const struct static_file *page_file(struct request *r)
{
    const char *name = r->path + 1;
    if (!*name)
        name = "index.html";
    if (strchr(name, '/') || strcmp(name, "openapi.json") == 0)
        return NULL;
    return static_find(&r->srv->www, name);
}

static enum MHD_Result route(struct request *r)
{
    struct {
        const char *path;
        enum route_id id;
        enum MHD_Result (*fn)(struct request *);
    } const fixed[] = {{"/api/search", ROUTE_SEARCH, route_search},
                       {"/api/suggest", ROUTE_SUGGEST, route_suggest},
                       {"/healthz", ROUTE_HEALTHZ, route_healthz},
                       {"/metrics", ROUTE_METRICS, route_metrics}};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        if (strcmp(r->path, fixed[i].path) == 0) {
            r->route = fixed[i].id;
            return is_read(r->method) ? fixed[i].fn(r) : http_send_405(r, "GET, HEAD");
        }
    }
    if (strcmp(r->path, "/api/openapi.json") == 0) {
        r->route = ROUTE_OPENAPI;
        const struct static_file *f = static_find(&r->srv->www, "openapi.json");
        if (!is_read(r->method))
            return http_send_405(r, "GET, HEAD");
        return f ? send_static(r, f) : http_send_error(r, 404, "no API description installed");
    }
    if (strncmp(r->path, DOCS_PREFIX, strlen(DOCS_PREFIX)) == 0 &&
        r->path[strlen(DOCS_PREFIX)] != '\0') {
        r->route = ROUTE_DOCUMENTS;
        const char *id = r->path + strlen(DOCS_PREFIX);
        if (is_read(r->method))
            return route_document_get(r, id);
        if (strcmp(r->method, "PUT") == 0)
            return route_document_put(r, id, r->body, r->body_len);
        if (strcmp(r->method, "DELETE") == 0)
            return route_document_delete(r, id);
        return http_send_405(r, "GET, HEAD, PUT, DELETE");
    }
    const struct static_file *f = page_file(r);
    if (f) {
        r->route = ROUTE_PAGE;
        return is_read(r->method) ? send_static(r, f) : http_send_405(r, "GET, HEAD");
    }
    return http_send_error(r, MHD_HTTP_NOT_FOUND, "no such resource: %s", r->path);
}

enum MHD_Result http_handle(void *cls, struct MHD_Connection *conn, const char *url,
                            const char *method, const char *version,
                            const char *upload_data, size_t *upload_data_size,
                            void **con_cls)
{
    (void)version;
    (void)upload_data;
    struct request_ctx *ctx = *con_cls;
    /* The first call only announces the request; answer once the body (if
     * any) has been read. */
    if (!ctx) {
        if (!(ctx = calloc(1, sizeof *ctx)))
            return MHD_NO;
        ctx->started_ms = http_now_ms();
        *con_cls = ctx;
        return MHD_YES;
    }
    if (*upload_data_size) {
        ctx->body_len += *upload_data_size;
        ctx->too_large |= ctx->body_len > BODY_MAX;
        if (!ctx->too_large && strcmp(method, "PUT") == 0 &&
            buf_append(&ctx->body, upload_data, *upload_data_size) < 0)
            ctx->too_large = 1;
        *upload_data_size = 0;
        return MHD_YES;
    }
    struct request r = {cls, conn, method, url, ROUTE_OTHER, ctx->started_ms,
                        ctx->body.data, ctx->body.len};
    if (ctx->too_large)
        return http_send_error(&r, MHD_HTTP_CONTENT_TOO_LARGE,
                               "the request body is larger than %d bytes", BODY_MAX);
    if (strlen(url) + args_of(&r).total > URL_MAX)
        return http_send_error(&r, MHD_HTTP_URI_TOO_LONG, "the URL is longer than %d bytes",
                               URL_MAX);
    return route(&r);
}

void http_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                    enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    struct request_ctx *ctx = *con_cls;
    if (ctx)
        buf_dispose(&ctx->body);
    free(ctx);
    *con_cls = NULL;
}
