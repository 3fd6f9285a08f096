/* route_health.c: GET /healthz for load balancers (200 with the document
 * count while the index opens, 503 when it does not, or when a remote shard
 * is down: then it names them) and GET /metrics for Prometheus (with the
 * search statistics' events written, dropped and lost when they are on,
 * and the connections open on each server thread). */
#include "server.h"


enum MHD_Result route_healthz(struct request *r)
{
    char err[512];
    struct reader *rd = reader_get(r->srv, err, sizeof err);
    if (!rd)
        return reply_error(r, 503, "%s", err);
    json_t *missing = r->srv->watch ? watch_missing(r->srv->watch) : NULL;
    int partial = json_array_size(missing) > 0;
    json_t *body = json_pack("{s:s,s:I}", "status", partial ? "partial" : "ok", "documents",
                             (json_int_t)xc_db_doc_count(rd->db));
    if (body && partial)
        json_object_set_new(body, "error",
                            json_pack("{s:i,s:s}", "status", 503, "message",
                                      "a remote shard does not answer: answers are partial"));
    if (body && missing)
        json_object_set_new(body, "missing_shards", missing);
    else
        json_decref(missing);
    return reply_json(r, partial ? 503 : 200, body);
}

enum MHD_Result route_metrics(struct request *r)
{
    char err[512];
    struct reader *rd = reader_get(r->srv, err, sizeof err);
    struct buf b = BUF_INIT;
    json_t *missing = r->srv->watch ? watch_missing(r->srv->watch) : NULL;
    int rc = metrics_render(&r->srv->metrics, &b, rd ? xc_db_doc_count(rd->db) : 0,
                            rd ? xc_db_revision(rd->db) : 0);
    if (rc == 0 && r->srv->watch)
        rc = buf_printf(&b, "# HELP searchd_shards Shards of the index.\n"
                            "# TYPE searchd_shards gauge\nsearchd_shards %u\n"
                            "# HELP searchd_shards_down Remote shards not answering.\n"
                            "# TYPE searchd_shards_down gauge\nsearchd_shards_down %zu\n",
                        watch_count(r->srv->watch), json_array_size(missing));
    json_decref(missing);
    if (rc == 0)
        rc = buf_puts(&b, "# HELP searchd_connections_open Connections open, by server "
                          "thread.\n# TYPE searchd_connections_open gauge\n");
    for (unsigned i = 0; rc == 0 && i < r->srv->ndaemons; i++)
        rc = buf_printf(&b, "searchd_connections_open{thread=\"%u\"} %u\n", i,
                        listener_open_on(r->srv->listener, i));
    if (rc == 0 && r->srv->analytics) {
        struct analytics_counts n;
        analytics_counts(&n, r->srv->analytics);
        rc = buf_printf(&b, "# HELP searchd_analytics_written_total Search statistics' events "
                            "written.\n"
                            "# TYPE searchd_analytics_written_total counter\n"
                            "searchd_analytics_written_total %lu\n"
                            "# HELP searchd_analytics_dropped_total Search statistics' events "
                            "dropped: the queue was full.\n"
                            "# TYPE searchd_analytics_dropped_total counter\n"
                            "searchd_analytics_dropped_total %lu\n"
                            "# HELP searchd_analytics_failed_total Search statistics' events "
                            "lost with a write that failed.\n"
                            "# TYPE searchd_analytics_failed_total counter\n"
                            "searchd_analytics_failed_total %lu\n",
                        n.written, n.dropped, n.failed);
    }
    if (rc < 0) {
        buf_dispose(&b);
        return reply_error(r, 500, "out of memory");
    }
    return reply_text(r, 200, buf_detach(&b), "text/plain; version=0.0.4; charset=utf-8");
}
