/* http.c: libmicrohttpd's access handler: routes a request by path and
 * method, and is the one place that writes JSON responses and errors, so
 * every route answers with the same headers and error shape. */
#include "server.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DOCS_PREFIX "/api/documents/"

static void add_common_headers(struct request *r, struct MHD_Response *resp)
{
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    if (r->srv->cors_origin) {
        MHD_add_response_header(resp, "Access-Control-Allow-Origin", r->srv->cors_origin);
        MHD_add_response_header(resp, "Vary", "Origin");
    }
}

static enum MHD_Result send_text(struct request *r, unsigned status, char *text,
                                 const char *content_type, const char *allow)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type", content_type);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (allow)
        MHD_add_response_header(resp, "Allow", allow);
    if (status == MHD_HTTP_SERVICE_UNAVAILABLE)
        MHD_add_response_header(resp, "Retry-After", "1");
    add_common_headers(r, resp);
    enum MHD_Result ret = MHD_queue_response(r->conn, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

enum MHD_Result http_send_json(struct request *r, unsigned status, json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(6)) : NULL;
    json_decref(body);
    if (!text)
        return MHD_NO;
    return send_text(r, status, text, "application/json; charset=utf-8", NULL);
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
    return send_text(r, status, text, "application/json; charset=utf-8", allow);
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

static int is_read(const char *method)
{
    return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
}

static enum MHD_Result route(struct request *r)
{
    if (strcmp(r->path, "/api/search") == 0)
        return is_read(r->method) ? route_search(r) : http_send_405(r, "GET, HEAD");
    if (strcmp(r->path, "/healthz") == 0)
        return is_read(r->method) ? route_healthz(r) : http_send_405(r, "GET, HEAD");
    if (strncmp(r->path, DOCS_PREFIX, strlen(DOCS_PREFIX)) == 0 &&
        r->path[strlen(DOCS_PREFIX)] != '\0') {
        if (is_read(r->method))
            return route_document_get(r, r->path + strlen(DOCS_PREFIX));
        return http_send_405(r, "GET, HEAD");
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
    /* The first call only announces the request; answer on a later one,
     * once any body has been read (and, for now, discarded). */
    if (!*con_cls) {
        *con_cls = conn;
        return MHD_YES;
    }
    if (*upload_data_size) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    struct request r = {cls, conn, method, url};
    return route(&r);
}
