/* test_http_connections.c: how searchd shares connections among its
 * threads and keeps its limit on them. Kept-alive connections opened one
 * after another spread evenly over the threads (GET /metrics says how many
 * each has open); past --max-connections a new connection waits, unserved,
 * until another closes, and is then served. Real indexer, real searchd
 * with 2 threads and at most MAX_CONNS connections, over loopback. */
#include "check.h"
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define THREADS 2
#define MAX_CONNS 10

struct fixture {
    char dir[256];
    char db[512];
    struct searchd sd;
};

static const char keep_alive[] = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

/* The connections open on each thread, from /metrics, into open[]; the
 * threads found, or -1. */
static int open_by_thread(const struct fixture *f, unsigned open[THREADS])
{
    struct http_reply r;
    if (http_request(f->sd.port, "GET", "/metrics", NULL, NULL, 0, &r) < 0)
        return -1;
    int found = 0;
    for (unsigned i = 0; i < THREADS && r.status == 200 && r.body; i++) {
        char name[64];
        snprintf(name, sizeof name, "searchd_connections_open{thread=\"%u\"} ", i);
        const char *p = strstr(r.body, name);
        if (p) {
            open[i] = (unsigned)strtoul(p + strlen(name), NULL, 10);
            found++;
        }
    }
    http_reply_dispose(&r);
    return found;
}

/* Until every connection but the one asking is closed, at most 5 s. */
static int settle(const struct fixture *f)
{
    for (int i = 0; i < 50; i++) {
        unsigned open[THREADS] = {0};
        if (open_by_thread(f, open) == THREADS && open[0] + open[1] <= 1)
            return 0;
        pause_ms(100);
    }
    return -1;
}

/* Opens n kept-alive connections, each served one request, into fds. */
static int open_served(const struct fixture *f, int *fds, int n)
{
    int served = 0;
    for (int i = 0; i < n; i++) {
        fds[i] = raw_connect(f->sd.port, NULL, 10);
        served += fds[i] >= 0 && raw_exchange(fds[i], keep_alive, strlen(keep_alive)) == 200;
    }
    return served;
}

static void close_all(int *fds, int n)
{
    for (int i = 0; i < n; i++)
        if (fds[i] >= 0)
            close(fds[i]);
}

static void test_kept_alive_connections_spread_over_the_threads(struct check *c)
{
    const struct fixture *f = c->ctx;
    enum { N = 8 };
    int fds[N];
    CHECK(c, settle(f) == 0);
    CHECK(c, open_served(f, fds, N) == N);
    unsigned open[THREADS] = {0};
    CHECK(c, open_by_thread(f, open) == THREADS);
    fprintf(stderr, "  %d kept-alive connections and the one asking: %u and %u open\n", N,
            open[0], open[1]);
    /* Each thread took its half, the one asking on either side. */
    CHECK(c, open[0] >= N / 2 && open[1] >= N / 2);
    CHECK(c, open[0] + open[1] == N + 1);
    close_all(fds, N);
}

static void test_past_the_limit_a_connection_waits_until_one_closes(struct check *c)
{
    const struct fixture *f = c->ctx;
    int fds[MAX_CONNS];
    CHECK(c, settle(f) == 0);
    CHECK(c, open_served(f, fds, MAX_CONNS) == MAX_CONNS);
    /* The kernel takes it; searchd does not, yet: reads time out in 1 s. */
    int late = raw_connect(f->sd.port, NULL, 1);
    CHECK(c, late >= 0);
    int st = late >= 0 ? raw_exchange(late, keep_alive, strlen(keep_alive)) : -2;
    fprintf(stderr, "  at the limit: status %d (0: no answer)\n", st);
    CHECK(c, st == 0);
    close(fds[0]);
    fds[0] = -1;
    for (int i = 0; i < 10 && late >= 0 && st == 0; i++)
        st = raw_exchange(late, NULL, 0);
    fprintf(stderr, "  after one closed: status %d\n", st);
    CHECK(c, st == 200);
    if (late >= 0)
        close(late);
    close_all(fds, MAX_CONNS);
    /* And the count came back down: a request is served at once. */
    CHECK(c, settle(f) == 0);
    CHECK(c, http_search_total(f->sd.port, "q=segregation") > 0);
}

int main(void)
{
    struct check c = {0};
    struct fixture f = {0};
    char threads[16], max_conns[16];
    snprintf(threads, sizeof threads, "%d", THREADS);
    snprintf(max_conns, sizeof max_conns, "%d", MAX_CONNS);
    const char *extra[] = {"--threads", threads, "--max-connections", max_conns, NULL};
    if (serve_corpus(f.dir, sizeof f.dir, f.db, sizeof f.db, &f.sd, extra) < 0)
        return 1;
    c.ctx = &f;
    RUN(&c, test_kept_alive_connections_spread_over_the_threads);
    RUN(&c, test_past_the_limit_a_connection_waits_until_one_closes);
    c.failed += searchd_stop(&f.sd) != 0;
    tmpdir_remove(f.dir);
    return check_report(&c, "test_http_connections");
}
