/* route_health.c: GET /healthz, for load balancers and monitoring: 200 with
 * the document count while the index opens, 503 when it does not. */
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
