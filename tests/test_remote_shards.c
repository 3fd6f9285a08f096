/* test_remote_shards.c: a searchd over remote shards, on loopback. corpus/
 * is indexed in 3 shards; shard-1 and shard-2 are served by real
 * xapian-tcpsrv processes, and a stub file names shard-0 (local) and the two
 * remote ones. Its answers equal those of one index of the same pages; a
 * killed shard gives partial answers (saying which shard is missing, with
 * the rest of the pages) and a 503 health, with no crash; a stopped one
 * costs a query no more than the shard timeout; both are searched again
 * when they answer again; a shard server closing idle connections does not
 * make answers partial; and writes are refused (they go to the primary).
 * With every shard remote, corrections come from a local copy of the
 * spelling data (indexer --export-spelling, the stub's spelling line), and
 * the answers still equal those of one index. */
#include "answers.h"
#include "check.h"
#include "openapi_check.h"
#include "support.h"
#include "webdriver.h"

#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TOKEN "remote-token-for-tests-0123456789"
#define SHARD_TIMEOUT_MS 400

struct fixture {
    char dir[256];
    char one[300], three[300], stub[300], token[300], log[300];
    char shard_dir[2][400];        /* shard-1, shard-2 of three */
    unsigned port[2];              /* their xapian-tcpsrv */
    pid_t server[2];
    struct searchd sd_one, sd_front, sd_shard2;
    json_t *openapi;               /* searchd/www/openapi.json */
};

/* Serves shard k with xapian-tcpsrv (the first one closing connections idle
 * for 500 ms, as a server configured so would); waits until it accepts. */
static int serve_shard(struct fixture *f, int k)
{
    f->server[k] = tcpsrv_start(f->shard_dir[k], f->port[k], k == 0 ? 500 : 0, f->log);
    return f->server[k] > 0 ? 0 : -1;
}

/* Kills a shard server and the processes it forked for connections. */
static void kill_shard(struct fixture *f, int k)
{
    tcpsrv_kill(f->server[k]);
    f->server[k] = 0;
}

/* Holds an answer to the published description of GET path and status. */
static void conforms(struct check *c, const struct fixture *f, json_t *answer, const char *path,
                     const char *status)
{
    CHECK(c, openapi_holds(f->openapi, path, status, answer));
}

/* 1 when the answer's missing_shards names exactly these ports. */
static int names_missing(json_t *answer, const unsigned *ports, size_t n)
{
    json_t *m = json_object_get(answer, "missing_shards");
    if (json_array_size(m) != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char name[64];
        snprintf(name, sizeof name, "127.0.0.1:%u", ports[i]);
        if (!json_is_string(json_array_get(m, i)) ||
            strcmp(json_string_value(json_array_get(m, i)), name) != 0)
            return 0;
    }
    return 1;
}

/* Waits (at most 15 s) until /healthz answers want; 1 when it did. */
static int health_becomes(const struct fixture *f, int want)
{
    double t0 = now_s();
    int status = 0;
    while (now_s() - t0 < 15) {
        json_t *h = get_json_status(f->sd_front.port, "/healthz", &status);
        json_decref(h);
        if (status == want)
            return 1;
        pause_ms(100);
    }
    return 0;
}

static void test_remote_answers_equal_one_index(struct check *c)
{
    const struct fixture *f = c->ctx;
    size_t asked = 0;
    int differ = compare_judged_queries(f->sd_one.port, f->sd_front.port, &asked);
    fprintf(stderr, "  %zu answers compared, %d differ\n", asked, differ);
    CHECK(c, asked >= 200 && differ == 0);
    json_t *a = get_json(f->sd_front.port, "/api/search?q=segregation");
    CHECK(c, a && json_is_false(json_object_get(a, "partial")) &&
                 !json_object_get(a, "missing_shards"));
    conforms(c, f, a, "/api/search", "200");
    json_decref(a);
    const char *more[] = {"/api/search?q=&type=seminarium", "/api/search?q=segregaton",
                          "/api/search?upcoming=true", "/api/search?q=malmo&sort=date",
                          "/api/suggest?q=seg"};
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) {
        json_t *x = get_json(f->sd_one.port, more[i]), *y = get_json(f->sd_front.port, more[i]);
        int same = strstr(more[i], "suggest") ? x && y && json_equal(json_object_get(x, "suggestions"),
                                                                     json_object_get(y, "suggestions"))
                                              : same_answer(x, y);
        if (!same)
            fprintf(stderr, "  %s differs\n", more[i]);
        CHECK(c, same);
        json_decref(x);
        json_decref(y);
    }
    /* A misspelling is still corrected: the spelling data is in shard-0. */
    a = get_json(f->sd_front.port, "/api/search?q=segregaton");
    CHECK_STR(c, json_string_value(json_object_get(a, "suggestion")), "segregation");
    json_decref(a);
}

/* Shard-0 served too: every shard remote. Xapian reads spelling data from
 * local databases only, so without the stub's spelling line a misspelling
 * is not corrected; with a copy made by indexer --export-spelling every
 * judged query answers as one index does, corrections included. */
static void test_every_shard_remote_with_a_spelling_copy(struct check *c)
{
    const struct fixture *f = c->ctx;
    char shard0[400], copy[400], with[400], without[400], indexer[512], port0[16];
    snprintf(shard0, sizeof shard0, "%s/live/shard-0", f->three);
    snprintf(copy, sizeof copy, "%s/spelling", f->dir);
    snprintf(with, sizeof with, "%s/all-remote.stub", f->dir);
    snprintf(without, sizeof without, "%s/all-remote-bare.stub", f->dir);
    unsigned p0 = free_port();
    snprintf(port0, sizeof port0, "%u", p0);
    char *serve[] = {"xapian-tcpsrv", "--quiet", "--interface", "127.0.0.1", "--port", port0,
                     shard0, NULL};
    pid_t server = spawn_prog(serve, f->log);
    int up = 0;
    for (int i = 0; server > 0 && i < 100 && !up; i++) {
        int fd = raw_connect(p0, NULL, 1);
        if (fd >= 0)
            close(fd);
        else
            pause_ms(50);
        up = fd >= 0;
    }
    CHECK(c, up);
    prog_path("indexer", indexer, sizeof indexer);
    char *export[] = {indexer, "--db", (char *)f->three, "--export-spelling", copy, NULL};
    char *out = NULL;
    CHECK(c, run_prog(export, NULL, &out, NULL) == 0);
    CHECK_CONTAINS(c, out, "words of spelling data written to");
    free(out);
    const char *paths[] = {with, without};
    for (int k = 0; k < 2; k++) {
        FILE *fp = fopen(paths[k], "w");
        CHECK(c, fp && fprintf(fp, "remote 127.0.0.1:%u\nremote 127.0.0.1:%u\n"
                                   "remote 127.0.0.1:%u\n%s",
                               p0, f->port[0], f->port[1],
                               k == 0 ? "spelling glass spelling\n" : "") > 0 &&
                     fclose(fp) == 0);
    }
    struct searchd all = {0}, bare = {0};
    if (up && searchd_start(&all, with, NULL) == 0 && searchd_start(&bare, without, NULL) == 0) {
        json_t *a = get_json(bare.port, "/api/search?q=segregaton");
        CHECK(c, a && json_is_null(json_object_get(a, "suggestion")));
        json_decref(a);
        a = get_json(all.port, "/api/search?q=segregaton");
        CHECK_STR(c, json_string_value(json_object_get(a, "suggestion")), "segregation");
        CHECK(c, json_integer_value(json_object_get(a, "total")) > 0);
        json_decref(a);
        size_t asked = 0;
        int differ = compare_judged_queries(f->sd_one.port, all.port, &asked);
        fprintf(stderr, "  every shard remote: %zu answers compared, %d differ\n", asked, differ);
        CHECK(c, asked >= 200 && differ == 0);
    } else {
        CHECK(c, !"searchd over every shard remote started");
    }
    if (all.pid > 0)
        CHECK(c, searchd_stop(&all) == 0);
    if (bare.pid > 0)
        CHECK(c, searchd_stop(&bare) == 0);
    if (server > 0) {
        kill(-server, SIGKILL);
        waitpid(server, NULL, 0);
    }
}

static void test_health_metrics_and_documents_over_remote_shards(struct check *c)
{
    const struct fixture *f = c->ctx;
    int status = 0;
    json_t *h = get_json_status(f->sd_front.port, "/healthz", &status);
    CHECK(c, status == 200);
    CHECK_STR(c, json_string_value(json_object_get(h, "status")), "ok");
    CHECK(c, json_integer_value(json_object_get(h, "documents")) == 88);
    conforms(c, f, h, "/healthz", "200");
    json_decref(h);
    struct http_reply r;
    CHECK(c, http_request(f->sd_front.port, "GET", "/metrics", NULL, NULL, 0, &r) == 0);
    CHECK_CONTAINS(c, r.body, "\nsearchd_shards 3\n");
    CHECK_CONTAINS(c, r.body, "\nsearchd_shards_down 0\n");
    http_reply_dispose(&r);
    /* Every page, wherever its shard is. */
    h = get_json(f->sd_front.port, "/api/search?q=&size=100");
    json_t *hits = json_object_get(h, "hits");
    size_t found = 0;
    for (size_t i = 0; i < json_array_size(hits); i++) {
        char target[600];
        const char *id = json_string_value(json_object_get(json_array_get(hits, i), "id"));
        char *enc = id ? url_encode(id) : NULL;
        snprintf(target, sizeof target, "/api/documents/%s", enc ? enc : "");
        free(enc);
        json_t *d = get_json(f->sd_front.port, target);
        found += d && id && json_is_string(json_object_get(d, "id")) &&
                 strcmp(json_string_value(json_object_get(d, "id")), id) == 0;
        json_decref(d);
    }
    CHECK(c, json_array_size(hits) == 88 && found == 88);
    json_decref(h);
}

static void test_writes_go_to_the_primary(struct check *c)
{
    const struct fixture *f = c->ctx;
    const char *body = "{\"title\":\"Ny sida\",\"body\":\"Text.\"}";
    struct http_reply r;
    CHECK(c, http_request(f->sd_front.port, "PUT", "/api/documents/ny-sida",
                          "Authorization: Bearer " TOKEN "\r\n", body, strlen(body), &r) == 0);
    CHECK(c, r.status == 403);
    CHECK_CONTAINS(c, r.body, "primary");
    http_reply_dispose(&r);
    CHECK(c, http_request(f->sd_front.port, "DELETE", "/api/documents/ny-sida",
                          "Authorization: Bearer " TOKEN "\r\n", NULL, 0, &r) == 0);
    CHECK(c, r.status == 403);
    http_reply_dispose(&r);
}

static void test_a_killed_shard_gives_partial_answers(struct check *c)
{
    struct fixture *f = c->ctx;
    kill_shard(f, 1);
    const char *queries[] = {"q=segregation", "q=", "q=skola", "q=malmo", "q=rapport&type=artikel"};
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        char target[300];
        snprintf(target, sizeof target, "/api/search?%s&size=100", queries[i]);
        int status = 0;
        json_t *a = get_json_status(f->sd_front.port, target, &status);
        CHECK(c, status == 200);
        CHECK(c, json_is_true(json_object_get(a, "partial")));
        CHECK(c, names_missing(a, &f->port[1], 1));
        /* The answer holds what the other shards hold: all of it but
         * shard-2's part, and nothing from shard-2. */
        long full = http_search_total(f->sd_one.port, queries[i]);
        long lost = http_search_total(f->sd_shard2.port, queries[i]);
        long got = (long)json_integer_value(json_object_get(a, "total"));
        if (got + lost != full)
            fprintf(stderr, "  %s: %ld partial + %ld on shard-2 != %ld\n", queries[i], got, lost,
                    full);
        CHECK(c, full > 0 && got + lost == full);
        CHECK(c, json_array_size(json_object_get(a, "hits")) == (size_t)(got < 100 ? got : 100));
        conforms(c, f, a, "/api/search", "200");
        json_decref(a);
    }
    CHECK(c, health_becomes(f, 503));
    int status = 0;
    json_t *h = get_json_status(f->sd_front.port, "/healthz", &status);
    CHECK_STR(c, json_string_value(json_object_get(h, "status")), "partial");
    CHECK(c, names_missing(h, &f->port[1], 1));
    CHECK(c, json_integer_value(json_object_get(h, "documents")) > 0 &&
                 json_integer_value(json_object_get(h, "documents")) < 88);
    conforms(c, f, h, "/healthz", "503");
    json_decref(h);
    struct http_reply r;
    CHECK(c, http_request(f->sd_front.port, "GET", "/metrics", NULL, NULL, 0, &r) == 0);
    CHECK_CONTAINS(c, r.body, "\nsearchd_shards_down 1\n");
    http_reply_dispose(&r);
    /* A page of the missing shard is not said to be gone: 503, naming the
     * shard; a page of another shard is there. */
    json_t *one = get_json(f->sd_shard2.port, "/api/search?q=&size=1");
    const char *id = json_string_value(json_object_get(json_array_get(json_object_get(one, "hits"), 0), "id"));
    char target[600], name[64];
    snprintf(target, sizeof target, "/api/documents/%s", id ? id : "");
    snprintf(name, sizeof name, "127.0.0.1:%u", f->port[1]);
    CHECK(c, id && http_request(f->sd_front.port, "GET", target, NULL, NULL, 0, &r) == 0);
    CHECK(c, r.status == 503);
    CHECK_CONTAINS(c, r.body, name);
    http_reply_dispose(&r);
    json_decref(one);
    one = get_json(f->sd_front.port, "/api/search?q=&size=1");
    id = json_string_value(json_object_get(json_array_get(json_object_get(one, "hits"), 0), "id"));
    snprintf(target, sizeof target, "/api/documents/%s", id ? id : "");
    CHECK(c, id && http_request(f->sd_front.port, "GET", target, NULL, NULL, 0, &r) == 0);
    CHECK(c, r.status == 200);
    http_reply_dispose(&r);
    json_decref(one);
    CHECK(c, waitpid(f->sd_front.pid, NULL, WNOHANG) == 0);   /* still running */
}

/* The search page tells a visitor that hits may be missing. */
static void test_the_page_says_hits_may_be_missing(struct check *c)
{
    const struct fixture *f = c->ctx;
    struct webdriver wd;
    if (wd_start(&wd) < 0) {
        CHECK(c, !"chromedriver did not start");
        return;
    }
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/?q=segregation", f->sd_front.port);
    CHECK(c, wd_go(&wd, url) == 0);
    CHECK(c, wd_wait(&wd, "return document.body.dataset.state === 'done'", 10000) == 0);
    json_t *status = wd_js(&wd, "return document.querySelector('#status').textContent");
    CHECK_CONTAINS(c, json_string_value(status), "några träffar kan saknas");
    json_decref(status);
    wd_stop(&wd);
}

static void test_a_stopped_shard_costs_at_most_the_timeout(struct check *c)
{
    struct fixture *f = c->ctx;
    CHECK(c, kill(-f->server[0], SIGSTOP) == 0);
    double worst = 0;
    int all_partial = 1;
    /* More queries than searchd has threads: each may meet the shard. */
    for (int i = 0; i < 6; i++) {
        double t0 = now_s();
        int status = 0;
        json_t *a = get_json_status(f->sd_front.port, "/api/search?q=segregation", &status);
        double took = now_s() - t0;
        if (took > worst)
            worst = took;
        all_partial &= status == 200 && json_is_true(json_object_get(a, "partial"));
        unsigned both[2] = {f->port[0], f->port[1]};
        CHECK(c, names_missing(a, both, 2));
        json_decref(a);
    }
    fprintf(stderr, "  slowest query with a stopped shard: %.3f s (timeout %.3f s)\n", worst,
            SHARD_TIMEOUT_MS / 1000.0);
    CHECK(c, all_partial);
    /* One wait for the shard, and the time of the query around it. */
    CHECK(c, worst < SHARD_TIMEOUT_MS / 1000.0 + 1.0);
    CHECK(c, kill(-f->server[0], SIGCONT) == 0);
}

static void test_shards_are_searched_again_when_back(struct check *c)
{
    struct fixture *f = c->ctx;
    CHECK(c, serve_shard(f, 1) == 0);
    double t0 = now_s();
    CHECK(c, health_becomes(f, 200));
    fprintf(stderr, "  both shards searched again %.2f s after the restart\n", now_s() - t0);
    size_t asked = 0;
    int differ = compare_judged_queries(f->sd_one.port, f->sd_front.port, &asked);
    CHECK(c, asked >= 200 && differ == 0);
    json_t *a = get_json(f->sd_front.port, "/api/search?q=segregation");
    CHECK(c, a && json_is_false(json_object_get(a, "partial")));
    json_decref(a);
}

static void test_idle_connections_closed_by_a_shard_are_opened_again(struct check *c)
{
    const struct fixture *f = c->ctx;
    long full = http_search_total(f->sd_one.port, "q=segregation");
    for (int i = 0; i < 3; i++) {
        pause_ms(800);   /* beyond the first server's idle timeout */
        json_t *a = get_json(f->sd_front.port, "/api/search?q=segregation");
        CHECK(c, a && json_is_false(json_object_get(a, "partial")));
        CHECK(c, json_integer_value(json_object_get(a, "total")) == full);
        json_decref(a);
    }
}

static void test_a_bad_stub_is_refused_at_start(struct check *c)
{
    const struct fixture *f = c->ctx;
    char bad[4200], searchd[512], *err = NULL;
    snprintf(bad, sizeof bad, "%s/bad.stub", f->dir);
    FILE *fp = fopen(bad, "w");
    CHECK(c, fp && fputs("glass three/live/shard-0\nremote 127.0.0.1\n", fp) >= 0 &&
                 fclose(fp) == 0);
    prog_path("searchd", searchd, sizeof searchd);
    char *argv[] = {searchd, "--db", bad, "--listen", "127.0.0.1:0", NULL};
    CHECK(c, run_prog(argv, NULL, NULL, &err) == 2);
    CHECK_CONTAINS(c, err, "bad.stub:2: expected remote HOST:PORT");
    free(err);
    err = NULL;
    fp = fopen(bad, "w");
    CHECK(c, fp && fputs("remote 127.0.0.1:9\nspelling three/live/shard-0\n", fp) >= 0 &&
                 fclose(fp) == 0);
    CHECK(c, run_prog(argv, NULL, NULL, &err) == 2);
    CHECK_CONTAINS(c, err, "bad.stub:2: expected one line spelling glass PATH");
    free(err);
}

int main(void)
{
    struct check c = {0};
    struct fixture f = {0};
    if (tmpdir_make(f.dir, sizeof f.dir) < 0)
        return 1;
    snprintf(f.one, sizeof f.one, "%s/one", f.dir);
    snprintf(f.three, sizeof f.three, "%s/three", f.dir);
    snprintf(f.stub, sizeof f.stub, "%s/front.stub", f.dir);
    snprintf(f.token, sizeof f.token, "%s/token", f.dir);
    snprintf(f.log, sizeof f.log, "%s/tcpsrv.log", f.dir);
    f.openapi = json_load_file("searchd/www/openapi.json", 0, NULL);
    for (int k = 0; k < 2; k++) {
        snprintf(f.shard_dir[k], sizeof f.shard_dir[k], "%s/live/shard-%d", f.three, k + 1);
        f.port[k] = free_port();
    }
    char shard2[400];
    snprintf(shard2, sizeof shard2, "%s/live/shard-2", f.three);
    const char *front_args[] = {"--shard-timeout", "400", "--admin-token-file", f.token, NULL};
    FILE *stub = NULL;
    int ready = f.openapi && token_file_write(f.token, TOKEN) == 0 && index_corpus(f.one, NULL, NULL) == 0 &&
                index_corpus(f.three, "3", NULL) == 0 && serve_shard(&f, 0) == 0 &&
                serve_shard(&f, 1) == 0 && (stub = fopen(f.stub, "w")) != NULL;
    if (stub) {
        /* Relative to the stub's folder, as Xapian reads stubs. */
        ready = ready && fprintf(stub, "# shard-0 here, the others over the network\n"
                                       "glass three/live/shard-0\nremote 127.0.0.1:%u\n"
                                       "remote 127.0.0.1:%u\n",
                                 f.port[0], f.port[1]) > 0;
        ready = fclose(stub) == 0 && ready;
    }
    ready = ready && searchd_start(&f.sd_one, f.one, NULL) == 0 &&
            searchd_start(&f.sd_front, f.stub, front_args) == 0 &&
            searchd_start(&f.sd_shard2, shard2, NULL) == 0;
    if (ready) {
        c.ctx = &f;
        RUN(&c, test_remote_answers_equal_one_index);
        RUN(&c, test_every_shard_remote_with_a_spelling_copy);
        RUN(&c, test_health_metrics_and_documents_over_remote_shards);
        RUN(&c, test_writes_go_to_the_primary);
        RUN(&c, test_idle_connections_closed_by_a_shard_are_opened_again);
        RUN(&c, test_a_killed_shard_gives_partial_answers);
        RUN(&c, test_the_page_says_hits_may_be_missing);
        RUN(&c, test_a_stopped_shard_costs_at_most_the_timeout);
        RUN(&c, test_shards_are_searched_again_when_back);
        RUN(&c, test_a_bad_stub_is_refused_at_start);
    } else {
        fprintf(stderr, "test_remote_shards: an index, a shard server or a searchd did not "
                        "start\n");
        c.failed++;
    }
    if (f.sd_front.pid > 0)
        c.failed += searchd_stop(&f.sd_front) != 0;
    if (f.sd_one.pid > 0)
        c.failed += searchd_stop(&f.sd_one) != 0;
    if (f.sd_shard2.pid > 0)
        c.failed += searchd_stop(&f.sd_shard2) != 0;
    for (int k = 0; k < 2; k++) {
        if (f.server[k] > 0)
            kill(-f.server[k], SIGCONT);
        kill_shard(&f, k);
    }
    json_decref(f.openapi);
    tmpdir_remove(f.dir);
    return check_report(&c, "test_remote_shards");
}
