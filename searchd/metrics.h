/* metrics.h: request counters and latency histograms for /metrics, in the
 * Prometheus text format. The one piece of state shared by all threads
 * after start: lock-free atomic counters, written by every request.
 */
#ifndef METRICS_H
#define METRICS_H

#include "buf.h"

#include <stdatomic.h>

enum route_id {
    ROUTE_SEARCH, ROUTE_SUGGEST, ROUTE_DOCUMENTS, ROUTE_HEALTHZ, ROUTE_METRICS,
    ROUTE_OPENAPI, ROUTE_PAGE, ROUTE_CLICK, ROUTE_ANALYTICS, ROUTE_OTHER, N_ROUTES
};

#define METRICS_N_STATUS 16    /* the statuses counted one by one */
#define METRICS_N_BUCKETS 12   /* latency bucket bounds, ms, then +Inf */

struct metrics {
    atomic_ulong requests[N_ROUTES][METRICS_N_STATUS + 1];   /* +1: any other */
    atomic_ulong buckets[N_ROUTES][METRICS_N_BUCKETS + 1];
    atomic_ulong sum_us[N_ROUTES];
    atomic_ulong count[N_ROUTES];
    atomic_ulong facet_loads;     /* facet tables read (facet_cache.c) */
    atomic_ulong counted_apart;   /* searches counted on a second thread */
};

const char *metrics_route_name(enum route_id r);
void metrics_record(struct metrics *m, enum route_id r, unsigned status, double ms);
/* Appends the whole exposition; documents and revision are gauges. */
int  metrics_render(struct metrics *m, struct buf *out, unsigned documents,
                    unsigned long long revision);

#endif
