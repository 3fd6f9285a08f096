/* test_replicas.c: a read replica with Xapian's own replication, on
 * loopback. The primary's index is served to replicas by
 * xapian-replicate-server (its master name: DIR/live, the link to the live
 * generation); xapian-replicate keeps a copy that a second searchd serves.
 * A page PUT on the primary is found through the replica within seconds; a
 * batch of 50 pages committed at once is never seen half applied (every
 * count the replica shows is before or after); after a rebuild on the
 * primary the replica follows the new generation; and a shard replicated on
 * its own and served by xapian-tcpsrv follows the primary too. */
#include "check.h"
#include "schema.h"
#include "support.h"
#include "xapian_c.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TOKEN "replica-token-for-tests-0123456789"

struct fixture {
    char dir[256];
    char primary[300], replica[300], token[300], log[300];
    unsigned repl_port;
    pid_t server, client;
    struct searchd sd_primary, sd_replica;
};

/* The replica searchd's document count (/healthz), or -1. */
static long replica_count(const struct fixture *f)
{
    struct http_reply r;
    if (http_request(f->sd_replica.port, "GET", "/healthz", NULL, NULL, 0, &r) < 0)
        return -1;
    const char *d = r.status == 200 ? strstr(r.body, "\"documents\":") : NULL;
    long n = d ? atol(d + 12) : -1;
    http_reply_dispose(&r);
    return n;
}

static int run_indexer(const char *db, const char *flag, const char *source)
{
    char indexer[512];
    prog_path("indexer", indexer, sizeof indexer);
    char *argv[] = {indexer, "--quiet", "--db", (char *)db, (char *)source, NULL, NULL};
    if (flag) {
        argv[4] = (char *)flag;
        argv[5] = (char *)source;
    }
    return run_prog(argv, NULL, NULL, NULL);
}

static void test_put_on_the_primary_reaches_the_replica(struct check *c)
{
    const struct fixture *f = c->ctx;
    const char *body = "{\"title\":\"Replikerad sida om Haparanda\",\"body\":\"Om Haparanda.\"}";
    struct http_reply r;
    double t0 = now_s();
    CHECK(c, http_request(f->sd_primary.port, "PUT", "/api/documents/replik-1",
                          "Authorization: Bearer " TOKEN "\r\n", body, strlen(body), &r) == 0);
    CHECK(c, r.status == 200 || r.status == 201);
    http_reply_dispose(&r);
    long found = 0;
    while (found != 1 && now_s() - t0 < 20) {
        found = http_search_total(f->sd_replica.port, "q=haparanda");
        if (found != 1)
            pause_ms(100);
    }
    fprintf(stderr, "  PUT on the primary found through the replica after %.2f s\n",
            now_s() - t0);
    CHECK(c, found == 1);
}

static void test_a_batch_is_never_seen_half_applied(struct check *c)
{
    const struct fixture *f = c->ctx;
    char jsonl[2100];
    snprintf(jsonl, sizeof jsonl, "%s/batch.jsonl", f->dir);
    FILE *fp = fopen(jsonl, "w");
    CHECK(c, fp != NULL);
    if (!fp)
        return;
    for (int i = 0; i < 50; i++)
        fprintf(fp, "{\"id\":\"batch-%d\",\"title\":\"Sida %d i en sats\",\"body\":\"Text %d.\"}\n",
                i, i, i);
    fclose(fp);
    long before = replica_count(f);
    CHECK(c, before > 0);
    CHECK(c, run_indexer(f->primary, NULL, jsonl) == 0);   /* one commit */
    double t0 = now_s();
    long seen = before, odd = 0, samples = 0;
    while (seen != before + 50 && now_s() - t0 < 20) {
        seen = replica_count(f);
        samples++;
        if (seen != before && seen != before + 50) {
            fprintf(stderr, "  the replica showed %ld documents (before %ld)\n", seen, before);
            odd++;
        }
        pause_ms(10);
    }
    fprintf(stderr, "  %ld looks at the replica while the batch arrived: all %ld or %ld\n",
            samples, before, before + 50);
    CHECK(c, seen == before + 50 && odd == 0);
}

static void test_the_replica_follows_a_rebuild(struct check *c)
{
    const struct fixture *f = c->ctx;
    /* The rebuild holds the corpus only: the PUT and the batch are gone. */
    CHECK(c, run_indexer(f->primary, "--rebuild", "corpus") == 0);
    char link[2100], target[64] = "";
    snprintf(link, sizeof link, "%s/live", f->primary);
    ssize_t n = readlink(link, target, sizeof target - 1);
    /* Generation 3 filled, its compacted copy 4 live. */
    CHECK(c, n > 0 && (target[n] = '\0', strcmp(target, "gen-000004") == 0));
    double t0 = now_s();
    long count = -1;
    while (count != 88 && now_s() - t0 < 30) {
        count = replica_count(f);
        if (count != 88)
            pause_ms(200);
    }
    fprintf(stderr, "  the replica had the rebuilt index after %.2f s\n", now_s() - t0);
    CHECK(c, count == 88);
    CHECK(c, http_search_total(f->sd_replica.port, "q=haparanda") == 0);
    CHECK(c, http_search_total(f->sd_replica.port, "q=segregation") ==
                 http_search_total(f->sd_primary.port, "q=segregation"));
}

/* 1 when path appears within 20 s. */
static int appears(const char *path)
{
    struct stat st;
    for (int i = 0; i < 200 && stat(path, &st) != 0; i++)
        pause_ms(100);
    return stat(path, &st) == 0;
}

/* The set-up of README's "Remote shards": a primary of 2 shards, shard-1
 * replicated (master live/shard-1) and served by xapian-tcpsrv from the
 * copy, and a searchd reading shard-0 and that remote shard. A page PUT on
 * the primary into shard-1 is found through it within seconds. */
static void test_a_replicated_shard_served_remotely_follows_the_primary(struct check *c)
{
    const struct fixture *f = c->ctx;
    char sharded[2100], copy[2100], stub[2100], copy_stub[2200], indexer[512];
    snprintf(sharded, sizeof sharded, "%s/sharded", f->dir);
    snprintf(copy, sizeof copy, "%s/shard-1-copy", f->dir);
    snprintf(copy_stub, sizeof copy_stub, "%s/XAPIANDB", copy);
    snprintf(stub, sizeof stub, "%s/front.stub", f->dir);
    prog_path("indexer", indexer, sizeof indexer);
    char *index[] = {indexer, "--quiet", "--db", sharded, "--shards", "2", "corpus", NULL};
    char repl_port[16], tcp_port[16];
    snprintf(repl_port, sizeof repl_port, "%u", free_port());
    snprintf(tcp_port, sizeof tcp_port, "%u", free_port());
    char *server[] = {"xapian-replicate-server", "-I", "127.0.0.1", "-p", repl_port, sharded, NULL};
    char *client[] = {"xapian-replicate", "-h", "127.0.0.1", "-p", repl_port, "-m", "live/shard-1",
                      "-i", "1", "-r", "1", "-q", copy, NULL};
    char *tcpsrv[] = {"xapian-tcpsrv", "--quiet", "--interface", "127.0.0.1", "--port", tcp_port,
                      copy, NULL};
    const char *extra[] = {"--admin-token-file", f->token, NULL};
    struct searchd primary = {0}, front = {0};
    pid_t srv = 0, cli = 0, tcp = 0;
    FILE *fp = NULL;
    int ready = run_prog(index, NULL, NULL, NULL) == 0 && (srv = spawn_prog(server, f->log)) > 0 &&
                (pause_ms(300), (cli = spawn_prog(client, f->log)) > 0) && appears(copy_stub) &&
                (tcp = spawn_prog(tcpsrv, f->log)) > 0 && (fp = fopen(stub, "w")) != NULL;
    if (fp) {
        ready = fprintf(fp, "glass sharded/live/shard-0\nremote 127.0.0.1:%s\n", tcp_port) > 0 &&
                ready;
        ready = fclose(fp) == 0 && ready;
    }
    pause_ms(300);   /* xapian-tcpsrv listening */
    ready = ready && searchd_start(&primary, sharded, extra) == 0 &&
            searchd_start(&front, stub, NULL) == 0;
    CHECK(c, ready);
    if (ready) {
        CHECK(c, http_search_total(front.port, "q=") == 88);
        /* An id of shard-1. */
        char id[64] = "", term[SCHEMA_TERM_MAX + 1];
        for (int i = 0; i < 100 && !*id; i++) {
            snprintf(id, sizeof id, "kalix-%d", i);
            schema_id_term(id, term);
            if (xc_shard_of(term, 2) != 1)
                id[0] = '\0';
        }
        char target[128];
        snprintf(target, sizeof target, "/api/documents/%s", id);
        const char *body = "{\"title\":\"Nytt om Kalix\",\"body\":\"Om Kalix.\"}";
        struct http_reply r;
        double t0 = now_s();
        CHECK(c, *id && http_request(primary.port, "PUT", target,
                                     "Authorization: Bearer " TOKEN "\r\n", body, strlen(body),
                                     &r) == 0 && r.status == 201);
        http_reply_dispose(&r);
        long found = 0;
        while (found != 1 && now_s() - t0 < 20) {
            found = http_search_total(front.port, "q=kalix");
            if (found != 1)
                pause_ms(100);
        }
        fprintf(stderr, "  PUT into shard-1 on the primary found through its remote copy after "
                        "%.2f s\n", now_s() - t0);
        CHECK(c, found == 1);
    }
    if (front.pid > 0)
        CHECK(c, searchd_stop(&front) == 0);
    if (primary.pid > 0)
        CHECK(c, searchd_stop(&primary) == 0);
    if (tcp > 0)
        kill(-tcp, SIGKILL);
    stop_prog(tcp);
    stop_prog(cli);
    stop_prog(srv);
}

int main(void)
{
    struct check c = {0};
    struct fixture f = {0};
    if (tmpdir_make(f.dir, sizeof f.dir) < 0)
        return 1;
    snprintf(f.primary, sizeof f.primary, "%s/primary", f.dir);
    snprintf(f.replica, sizeof f.replica, "%s/replica", f.dir);
    snprintf(f.token, sizeof f.token, "%s/token", f.dir);
    snprintf(f.log, sizeof f.log, "%s/replication.log", f.dir);
    /* Changesets let a replica take each commit instead of a whole copy. */
    setenv("XAPIAN_MAX_CHANGESETS", "20", 1);
    char port[16];
    f.repl_port = free_port();
    snprintf(port, sizeof port, "%u", f.repl_port);
    char *server[] = {"xapian-replicate-server", "-I", "127.0.0.1", "-p", port, f.primary, NULL};
    char *client[] = {"xapian-replicate", "-h", "127.0.0.1", "-p", port, "-m", "live",
                      "-i", "1", "-r", "1", "-q", f.replica, NULL};
    const char *extra[] = {"--admin-token-file", f.token, NULL};
    char stub[2100];
    snprintf(stub, sizeof stub, "%s/XAPIANDB", f.replica);
    int ready = token_file_write(f.token, TOKEN) == 0 && run_indexer(f.primary, NULL, "corpus") == 0 &&
                (f.server = spawn_prog(server, f.log)) > 0 &&
                (pause_ms(300), (f.client = spawn_prog(client, f.log)) > 0);
    /* The first copy arrives: the replica's stub appears. */
    struct stat st;
    for (int i = 0; ready && i < 200 && stat(stub, &st) != 0; i++)
        pause_ms(100);
    ready = ready && stat(stub, &st) == 0 &&
            searchd_start(&f.sd_primary, f.primary, extra) == 0 &&
            searchd_start(&f.sd_replica, f.replica, NULL) == 0;
    if (ready) {
        c.ctx = &f;
        RUN(&c, test_put_on_the_primary_reaches_the_replica);
        RUN(&c, test_a_batch_is_never_seen_half_applied);
        RUN(&c, test_the_replica_follows_a_rebuild);
        RUN(&c, test_a_replicated_shard_served_remotely_follows_the_primary);
    } else {
        fprintf(stderr, "test_replicas: the primary, the replication or a searchd did not start\n");
        c.failed++;
    }
    if (f.sd_primary.pid > 0)
        c.failed += searchd_stop(&f.sd_primary) != 0;
    if (f.sd_replica.pid > 0)
        c.failed += searchd_stop(&f.sd_replica) != 0;
    stop_prog(f.client);
    stop_prog(f.server);
    tmpdir_remove(f.dir);
    return check_report(&c, "test_replicas");
}
