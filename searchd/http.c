/* http.c: libmicrohttpd's access handler: reads a request (bounding its URL
 * and body) and routes it by path and method to a route (route_*.c) or the
 * page's files; every answer is written by reply.c. */
#include "server.h"

#include <stdlib.h>
#include <string.h>

#define DOCS_PREFIX "/api/documents/"
#define CLICK_PATH "/api/click"
#define URL_MAX 8192          /* bytes of path and arguments: more is 414 */
#define BODY_MAX (8 << 20)    /* bytes of request body: more is 413 */

/* What a request accumulates between libmicrohttpd's calls. */
struct request_ctx {
    double started_ms;
    size_t body_len;
    size_t body_max;      /* more is 413 */
    int too_large;
    int keep_body;        /* PUT, and POST of a click */
    int late;             /* arrived after the stop: 503 */
    struct buf body;
};

static int is_read(const char *method)
{
    return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
}

/* The page's files by exact name: "/" is index.html (the search page),
 * "/admin" admin.html (the editors' page), "/app.js" app.js; nothing with a
 * further slash. */
static const struct static_file *page_file(struct request *r)
{
    static const char *const pages[][2] = {{"", "index.html"}, {"admin", "admin.html"}};
    const char *name = r->path + 1;
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        if (strcmp(name, pages[i][0]) == 0) {
            name = pages[i][1];
            break;
        }
    }
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
                       {"/api/analytics", ROUTE_ANALYTICS, route_analytics},
                       {"/healthz", ROUTE_HEALTHZ, route_healthz},
                       {"/metrics", ROUTE_METRICS, route_metrics}};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        if (strcmp(r->path, fixed[i].path) == 0) {
            r->route = fixed[i].id;
            return is_read(r->method) ? fixed[i].fn(r) : reply_405(r, "GET, HEAD");
        }
    }
    if (strcmp(r->path, CLICK_PATH) == 0) {
        r->route = ROUTE_CLICK;
        return strcmp(r->method, "POST") == 0 ? route_click(r, r->body, r->body_len)
                                              : reply_405(r, "POST");
    }
    if (strcmp(r->path, "/api/openapi.json") == 0) {
        r->route = ROUTE_OPENAPI;
        const struct static_file *f = static_find(&r->srv->www, "openapi.json");
        if (!is_read(r->method))
            return reply_405(r, "GET, HEAD");
        return f ? reply_static(r, f) : reply_error(r, 404, "no API description installed");
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
        return reply_405(r, "GET, HEAD, PUT, DELETE");
    }
    const struct static_file *f = page_file(r);
    if (f) {
        r->route = ROUTE_PAGE;
        return is_read(r->method) ? reply_static(r, f) : reply_405(r, "GET, HEAD");
    }
    return reply_error(r, MHD_HTTP_NOT_FOUND, "no such resource: %s", r->path);
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
        ctx->started_ms = clock_ms();
        /* A click is a few hundred bytes: its bound is far below a
         * document's, so a hostile client cannot make searchd hold more. */
        int click = strcmp(url, CLICK_PATH) == 0 && strcmp(method, "POST") == 0;
        ctx->body_max = click ? CLICK_BODY_MAX : BODY_MAX;
        ctx->keep_body = click || strcmp(method, "PUT") == 0;
        *con_cls = ctx;
        /* Counted first, then the stop read: either main sees it in flight
         * and waits, or it sees the stop and is answered 503. */
        struct server *srv = cls;
        atomic_fetch_add(&srv->in_flight, 1);
        if (atomic_load(&srv->stopping)) {
            atomic_fetch_sub(&srv->in_flight, 1);
            ctx->late = 1;
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        ctx->body_len += *upload_data_size;
        ctx->too_large |= ctx->body_len > ctx->body_max;
        if (!ctx->too_large && ctx->keep_body &&
            buf_append(&ctx->body, upload_data, *upload_data_size) < 0)
            ctx->too_large = 1;
        *upload_data_size = 0;
        return MHD_YES;
    }
    struct request r = {cls, conn, method, url, ROUTE_OTHER, ctx->started_ms,
                        ctx->body.data, ctx->body.len};
    if (ctx->late)
        return reply_error(&r, MHD_HTTP_SERVICE_UNAVAILABLE, "searchd is stopping");
    if (ctx->too_large)
        return reply_error(&r, MHD_HTTP_CONTENT_TOO_LARGE,
                           "the request body is larger than %zu bytes", ctx->body_max);
    if (strlen(url) + request_args_len(&r) > URL_MAX)
        return reply_error(&r, MHD_HTTP_URI_TOO_LONG, "the URL is longer than %d bytes",
                           URL_MAX);
    return route(&r);
}

void http_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                    enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    (void)toe;
    struct server *srv = cls;
    struct request_ctx *ctx = *con_cls;
    if (ctx && !ctx->late)
        atomic_fetch_sub(&srv->in_flight, 1);
    if (ctx)
        buf_dispose(&ctx->body);
    free(ctx);
    *con_cls = NULL;
}
