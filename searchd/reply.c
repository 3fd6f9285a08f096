/* reply.c: what a route reads from its request and every answer searchd
 * writes: common and security headers, JSON bodies and JSON error bodies,
 * ETag revalidation, gzip, the metrics of every answer, and the one mapping
 * from an index error to a status. The router (http.c) and the routes call
 * it; it calls neither. */
#include "server.h"

#include "gzip.h"
#include "hash.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define GZIP_MIN 1024         /* smaller bodies are sent as they are */

static const char page_csp[] =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

double clock_ms(void)
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
    if (atomic_load(&r->srv->stopping))   /* a kept-alive client goes elsewhere */
        MHD_add_response_header(resp, "Connection", "close");
    enum MHD_Result ret = MHD_queue_response(r->conn, rp->status, resp);
    MHD_destroy_response(resp);
    double took = clock_ms() - r->started_ms;
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

enum MHD_Result reply_json(struct request *r, unsigned status, json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(6)) : NULL;
    json_decref(body);
    if (!text)
        return MHD_NO;
    struct reply rp = {status, text, strlen(text), "application/json; charset=utf-8", NULL,
                       NULL, NULL, 0, 0};
    return send_reply(r, &rp);
}

enum MHD_Result reply_text(struct request *r, unsigned status, char *text,
                           const char *content_type)
{
    if (!text)
        return MHD_NO;
    struct reply rp = {status, text, strlen(text), content_type, NULL, NULL, NULL, 0, 0};
    return send_reply(r, &rp);
}

enum MHD_Result reply_json_etag(struct request *r, json_t *body, const char *etag)
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

size_t request_args_len(struct request *r)
{
    return args_of(r).total;
}

int reply_etag_check(struct request *r, unsigned long long version, char etag[40],
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

enum MHD_Result reply_error(struct request *r, unsigned status, const char *fmt, ...)
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

enum MHD_Result reply_405(struct request *r, const char *allow)
{
    return send_error_allow(r, MHD_HTTP_METHOD_NOT_ALLOWED, allow,
                            "method %s is not allowed on %s (allowed: %s)", r->method,
                            r->path, allow);
}

const char *request_arg(struct request *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

enum MHD_Result reply_static(struct request *r, const struct static_file *f)
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


enum MHD_Result reply_index_error(struct request *r, int code, const char *what,
                                  const char *detail)
{
    unsigned status;
    switch (code) {
    case XC_E_MODIFIED:
    case XC_E_DATABASE:
    case XC_E_NETWORK:
    case XC_E_LOCK:
        return reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "the index is busy, try again");
    case XC_E_NOMEM:
        return reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    case XC_E_NOTFOUND: status = MHD_HTTP_NOT_FOUND; break;
    case XC_E_INVALID: status = MHD_HTTP_BAD_REQUEST; break;
    case LIB_E_IO: status = MHD_HTTP_SERVICE_UNAVAILABLE; break;
    default: status = MHD_HTTP_INTERNAL_SERVER_ERROR; break;
    }
    return what ? reply_error(r, status, "%s: %s", what, detail ? detail : "")
                : reply_error(r, status, "%s", detail ? detail : "");
}
