/* route_health.c: GET /healthz for load balancers (200 with the document
 * count while the index opens, 503 when it does not) and GET /metrics for
 * Prometheus. */
#include "server.h"


enum MHD_Result route_healthz(struct request *r)
{
    char err[512];
    struct reader *rd = reader_get(r->srv, err, sizeof err);
    if (!rd)
        return http_send_error(r, 503, "%s", err);
    json_t *body = json_pack("{s:s,s:I}", "status", "ok", "documents",
                             (json_int_t)xc_db_doc_count(rd->db));
    return http_send_json(r, 200, body);
}

enum MHD_Result route_metrics(struct request *r)
{
    char err[512];
    struct reader *rd = reader_get(r->srv, err, sizeof err);
    struct buf b = BUF_INIT;
    if (metrics_render(&r->srv->metrics, &b, rd ? xc_db_doc_count(rd->db) : 0,
                       rd ? xc_db_revision(rd->db) : 0) < 0) {
        buf_free(&b);
        return http_send_error(r, 500, "out of memory");
    }
    return http_send_text(r, 200, buf_detach(&b), "text/plain; version=0.0.4; charset=utf-8");
}
