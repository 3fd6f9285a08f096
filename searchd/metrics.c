/* metrics.c: counting requests by route and status, and latency in
 * cumulative buckets as Prometheus histograms expect. Relaxed atomics: the
 * numbers are statistics, not synchronisation. */
#include "metrics.h"

static const unsigned statuses[METRICS_N_STATUS] = {200, 204, 304, 400, 401, 403, 404, 405,
                                                    406, 408, 413, 414, 429, 500, 503, 0};
static const double bounds_ms[METRICS_N_BUCKETS] = {0.25, 0.5, 1, 2.5, 5, 10, 25, 50,
                                                    100, 250, 500, 1000};
static const char *const names[N_ROUTES] = {"search",  "suggest", "documents", "healthz",
                                            "metrics", "openapi", "page",      "click",
                                            "analytics", "other"};

const char *metrics_route_name(enum route_id r)
{
    return names[r];
}

void metrics_record(struct metrics *m, enum route_id r, unsigned status, double ms)
{
    size_t s = 0;
    while (s < METRICS_N_STATUS && statuses[s] != status)
        s++;
    atomic_fetch_add_explicit(&m->requests[r][s], 1, memory_order_relaxed);
    size_t b = 0;
    while (b < METRICS_N_BUCKETS && ms > bounds_ms[b])
        b++;
    atomic_fetch_add_explicit(&m->buckets[r][b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->sum_us[r], (unsigned long)(ms * 1000.0), memory_order_relaxed);
    atomic_fetch_add_explicit(&m->count[r], 1, memory_order_relaxed);
}

int metrics_render(struct metrics *m, struct buf *out, unsigned documents,
                   unsigned long long revision)
{
    int rc = 0;
    rc |= buf_puts(out, "# HELP searchd_requests_total HTTP requests by route and status.\n"
                        "# TYPE searchd_requests_total counter\n");
    for (int r = 0; r < N_ROUTES; r++)
        for (int s = 0; s <= METRICS_N_STATUS; s++) {
            unsigned long v = atomic_load_explicit(&m->requests[r][s], memory_order_relaxed);
            if (!v)
                continue;
            if (s < METRICS_N_STATUS && statuses[s])
                rc |= buf_printf(out, "searchd_requests_total{route=\"%s\",status=\"%u\"} %lu\n",
                                 names[r], statuses[s], v);
            else
                rc |= buf_printf(out, "searchd_requests_total{route=\"%s\",status=\"other\"} %lu\n",
                                 names[r], v);
        }
    rc |= buf_puts(out, "# HELP searchd_request_duration_seconds Time to answer, by route.\n"
                        "# TYPE searchd_request_duration_seconds histogram\n");
    for (int r = 0; r < N_ROUTES; r++) {
        unsigned long n = atomic_load_explicit(&m->count[r], memory_order_relaxed), cum = 0;
        if (!n)
            continue;
        for (int b = 0; b <= METRICS_N_BUCKETS; b++) {
            cum += atomic_load_explicit(&m->buckets[r][b], memory_order_relaxed);
            if (b < METRICS_N_BUCKETS)
                rc |= buf_printf(out,
                                 "searchd_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %lu\n",
                                 names[r], bounds_ms[b] / 1000.0, cum);
            else
                rc |= buf_printf(out,
                                 "searchd_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %lu\n",
                                 names[r], cum);
        }
        rc |= buf_printf(out, "searchd_request_duration_seconds_sum{route=\"%s\"} %.6f\n", names[r],
                         (double)atomic_load_explicit(&m->sum_us[r], memory_order_relaxed) / 1e6);
        rc |= buf_printf(out, "searchd_request_duration_seconds_count{route=\"%s\"} %lu\n", names[r], n);
    }
    rc |= buf_printf(out, "# HELP searchd_facet_table_loads_total Facet tables read from the "
                          "index: one per index version, shared by the threads.\n"
                          "# TYPE searchd_facet_table_loads_total counter\n"
                          "searchd_facet_table_loads_total %lu\n",
                     atomic_load_explicit(&m->facet_loads, memory_order_relaxed));
    rc |= buf_printf(out, "# HELP searchd_searches_counted_apart_total Searches counted on a "
                          "second thread while\n# they were ranked (--count-thread-from).\n"
                          "# TYPE searchd_searches_counted_apart_total counter\n"
                          "searchd_searches_counted_apart_total %lu\n",
                     atomic_load_explicit(&m->counted_apart, memory_order_relaxed));
    rc |= buf_printf(out, "# HELP searchd_documents Documents in the index.\n"
                          "# TYPE searchd_documents gauge\nsearchd_documents %u\n", documents);
    rc |= buf_printf(out, "# HELP searchd_index_revision Revision of the index being served.\n"
                          "# TYPE searchd_index_revision gauge\nsearchd_index_revision %llu\n",
                     revision);
    return rc ? -1 : 0;
}
