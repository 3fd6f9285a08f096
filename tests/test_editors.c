/* test_editors.c: the editors' workflow with the real programs: reruns
 * that rewrite only what changed, --prune, --rebuild under a steady stream
 * of queries with no failed answer, kill -9 in the middle of an indexer run
 * (one database, and shards written by parallel threads),
 * of a rebuild and of searchd taking PUTs (the index always opens, serves
 * the last commit, and a rerun completes without duplicates), --watch, the
 * progress bar on a terminal, and --stats. */
#include "check.h"
#include "support.h"
#include "xapian_c.h"

#include <dirent.h>
#include <jansson.h>
#include <pty.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TOKEN "editor-token-0123456789abcdef"

struct fixture {
    char dir[256];
    char indexer[512];
    char generated[512];   /* 3000 generated pages */
};

static int run(const struct fixture *f, char **out, const char *a1, const char *a2,
               const char *a3, const char *a4, const char *a5)
{
    char *argv[] = {(char *)f->indexer, (char *)a1, (char *)a2, (char *)a3, (char *)a4,
                    (char *)a5, NULL};
    return run_prog(argv, NULL, out, NULL);
}

static unsigned doc_count(const char *db)
{
    xc_db *d = NULL;
    if (xc_db_open(&d, db, NULL) < 0)
        return 0;
    unsigned n = xc_db_doc_count(d);
    xc_db_free(d);
    return n;
}

static int count_term(void *ctx, const char *t, size_t l, unsigned freq)
{
    (void)t;
    (void)l;
    unsigned *n = ctx;
    *n += freq;
    return 0;
}

/* Documents carrying an id term: equal to the count when there is no
 * duplicate. */
static unsigned id_postings(const char *db)
{
    xc_db *d = NULL;
    unsigned n = 0;
    if (xc_db_open(&d, db, NULL) == 0)
        xc_db_each_term(d, "Q", count_term, &n, NULL);
    xc_db_free(d);
    return n;
}

static long total_for(unsigned port, const char *q)
{
    char args[256];
    snprintf(args, sizeof args, "q=%s", q);
    return http_search_total(port, args);
}

static int copy_tree(const char *from, const char *to)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "cp -r '%s' '%s'", from, to);
    return system(cmd);
}

static void test_rerun_rewrites_only_what_changed(struct check *c)
{
    const struct fixture *f = c->ctx;
    char src[2048], db[2048], *out = NULL;
    snprintf(src, sizeof src, "%s/inc", f->dir);
    snprintf(db, sizeof db, "%s/inc.db", f->dir);
    CHECK(c, copy_tree("corpus", src) == 0);
    CHECK(c, run(f, &out, "--db", db, src, NULL, NULL) == 0);
    CHECK_CONTAINS(c, out, "indexed 88, unchanged 0");
    free(out);
    char page[2200];
    snprintf(page, sizeof page, "%s/artikel/segregationen-i-siffror.html", src);
    FILE *fp = fopen(page, "a");
    fputs("<!-- en ändring -->", fp);   /* bytes change, content does not */
    fclose(fp);
    CHECK(c, run(f, &out, "--db", db, src, NULL, NULL) == 0);
    CHECK_CONTAINS(c, out, "indexed 1, unchanged 87");   /* written once with its new time */
    free(out);
    CHECK(c, run(f, &out, "--db", db, src, NULL, NULL) == 0);
    CHECK_CONTAINS(c, out, "indexed 0, unchanged 88");
    free(out);
    CHECK(c, doc_count(db) == 88 && id_postings(db) == 88);
}

static void test_prune_deletes_pages_whose_files_are_gone(struct check *c)
{
    const struct fixture *f = c->ctx;
    char src[2048], db[2048], path[2200], *out = NULL;
    snprintf(src, sizeof src, "%s/inc", f->dir);
    snprintf(db, sizeof db, "%s/inc.db", f->dir);
    snprintf(path, sizeof path, "%s/lista/kalender.html", src);
    CHECK(c, unlink(path) == 0);
    char *argv[] = {(char *)f->indexer, "--db", db, "-", NULL};
    CHECK(c, run_prog(argv, "{\"id\":\"cms-1\",\"title\":\"Från CMS\"}\n", NULL, NULL) == 0);
    CHECK(c, run(f, &out, "--db", db, src, NULL, NULL) == 0);
    CHECK_CONTAINS(c, out, "deleted 0");   /* without --prune nothing goes */
    free(out);
    CHECK(c, run(f, &out, "--db", db, "--prune", src, NULL) == 0);
    CHECK_CONTAINS(c, out, "deleted 1");
    free(out);
    CHECK(c, doc_count(db) == 88);   /* 87 pages and the CMS document */
}

static void test_rebuild_under_queries_never_fails_an_answer(struct check *c)
{
    const struct fixture *f = c->ctx;
    char db[2048], gens[2048];
    snprintf(db, sizeof db, "%s/live.db", f->dir);
    CHECK(c, run(f, NULL, "--quiet", "--db", db, "corpus", NULL) == 0);
    struct searchd sd;
    CHECK(c, searchd_start(&sd, db, NULL) == 0);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {   /* three rebuilds, one after the other */
        for (int i = 0; i < 3; i++) {
            char *argv[] = {(char *)f->indexer, "--quiet", "--rebuild", "--db", db, "corpus", NULL};
            if (run_prog(argv, NULL, NULL, NULL) != 0)
                _exit(1);
        }
        _exit(0);
    }
    long queries = 0, failed = 0;
    int status = 0;
    double stop = now_s() + 120;
    while (now_s() < stop) {
        long n = total_for(sd.port, "segregation");
        queries++;
        failed += n <= 0;
        if (waitpid(child, &status, WNOHANG) == child)
            break;
    }
    printf("rebuild: %ld queries during three rebuilds, %ld failed\n", queries, failed);
    CHECK(c, WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(c, queries > 20 && failed == 0);
    CHECK(c, total_for(sd.port, "segregation") > 0);
    CHECK(c, searchd_stop(&sd) == 0);
    /* The live generation and the one before it remain, no more. */
    snprintf(gens, sizeof gens, "%s", db);
    DIR *d = opendir(gens);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        n += strncmp(e->d_name, "gen-", 4) == 0;
    if (d)
        closedir(d);
    CHECK(c, n == 2);
}

/* The stub names one database (no shard). */
static int one_database(const char *db)
{
    char path[2100], text[256] = "";
    snprintf(path, sizeof path, "%s/XAPIANDB", db);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
    if (f)
        fclose(f);
    text[n] = '\0';
    return n > 0 && !strstr(text, "shard-");
}

/* kill -9 of an indexer filling a new index of `shards` shards with
 * `writers` threads once a commit or two are on disk: the index opens and
 * serves whole batches, and a rerun completes it without duplicates (and
 * merges the shards written in parallel for one database into one). */
static void kill_mid_run(struct check *c, const char *name, const char *shards,
                         const char *writers)
{
    const struct fixture *f = c->ctx;
    char db[2048];
    snprintf(db, sizeof db, "%s/%s", f->dir, name);
    char *argv[] = {(char *)f->indexer, "--quiet", "--batch", "200", "--shards", (char *)shards,
                    "--writers", (char *)writers, "--db", db, (char *)f->generated, NULL};
    pid_t pid = spawn_prog(argv, NULL);
    /* Kill it well before the end. */
    double stop = now_s() + 60;
    while (now_s() < stop && doc_count(db) < 399)
        pause_ms(20);
    kill(pid, SIGKILL);
    int status;
    waitpid(pid, &status, 0);
    CHECK(c, WIFSIGNALED(status));
    unsigned n = doc_count(db);
    printf("kill -9 (%s shards): the index held %u documents after the kill\n", shards, n);
    CHECK(c, n >= 399 && n < 3000);   /* whole batches only: ~200 per commit */
    struct searchd sd;
    CHECK(c, searchd_start(&sd, db, NULL) == 0);
    CHECK(c, total_for(sd.port, "segregation") > 0);
    CHECK(c, searchd_stop(&sd) == 0);
    char *out = NULL;
    CHECK(c, run(f, &out, "--db", db, (char *)f->generated, NULL, NULL) == 0);
    free(out);
    CHECK(c, doc_count(db) == 3000 && id_postings(db) == 3000);
    CHECK(c, one_database(db) == (strcmp(shards, "1") == 0));
}

static void test_kill_9_mid_run_keeps_the_last_commit(struct check *c)
{
    kill_mid_run(c, "crash.db", "1", "1");
}

/* One database written by two threads, a shard each: killed before the
 * merge, it is a sharded index until the rerun merges it. */
static void test_kill_9_mid_run_before_the_merge(struct check *c)
{
    kill_mid_run(c, "crash2.db", "1", "2");
}

/* The same with a writer thread per shard, killed at a moment that may fall
 * between two shards' commits. */
static void test_kill_9_mid_run_of_parallel_shard_writers(struct check *c)
{
    kill_mid_run(c, "crash3.db", "3", "1");
}

static void test_kill_9_mid_rebuild_leaves_the_live_index(struct check *c)
{
    const struct fixture *f = c->ctx;
    char db[2048], stub[2200], before[64] = "", after[64] = "";
    snprintf(db, sizeof db, "%s/crash.db", f->dir);
    snprintf(stub, sizeof stub, "%s/XAPIANDB", db);
    FILE *fp = fopen(stub, "r");
    if (fp) {
        if (!fgets(before, sizeof before, fp))
            before[0] = '\0';
        fclose(fp);
    }
    char *argv[] = {(char *)f->indexer, "--quiet", "--rebuild", "--batch", "200", "--db", db,
                    (char *)f->generated, NULL};
    pid_t pid = spawn_prog(argv, NULL);
    pause_ms(1500);
    kill(pid, SIGKILL);
    int status;
    waitpid(pid, &status, 0);
    fp = fopen(stub, "r");
    if (fp) {
        if (!fgets(after, sizeof after, fp))
            after[0] = '\0';
        fclose(fp);
    }
    CHECK(c, before[0] && strcmp(before, after) == 0);
    CHECK(c, doc_count(db) == 3000);
    char *out = NULL;
    CHECK(c, run(f, &out, "--rebuild", "--db", db, (char *)f->generated, NULL) == 0);
    free(out);
    CHECK(c, doc_count(db) == 3000 && id_postings(db) == 3000);
}

static void test_kill_9_of_searchd_loses_no_acknowledged_put(struct check *c)
{
    const struct fixture *f = c->ctx;
    char db[2048], token[2048];
    snprintf(db, sizeof db, "%s/put.db", f->dir);
    snprintf(token, sizeof token, "%s/token", f->dir);
    FILE *fp = fopen(token, "w");
    fputs(TOKEN "\n", fp);
    fclose(fp);
    chmod(token, 0600);
    CHECK(c, run(f, NULL, "--quiet", "--db", db, "corpus", NULL) == 0);
    const char *extra[] = {"--admin-token-file", token, NULL};
    struct searchd sd;
    CHECK(c, searchd_start(&sd, db, extra) == 0);
    int fds[2];
    CHECK(c, pipe(fds) == 0);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {   /* PUTs until searchd dies; reports each acknowledged one */
        close(fds[0]);
        for (int i = 0; i < 100000; i++) {
            char target[64], body[128];
            snprintf(target, sizeof target, "/api/documents/put-%d", i);
            snprintf(body, sizeof body, "{\"title\":\"Dokument %d\",\"body\":\"Text om Kiruna.\"}", i);
            struct http_reply r;
            if (http_request(sd.port, "PUT", target, "Authorization: Bearer " TOKEN "\r\n", body,
                             strlen(body), &r) < 0)
                break;
            if (r.status == 201 && write(fds[1], &i, sizeof i) != sizeof i)
                break;
            http_reply_dispose(&r);
        }
        _exit(0);
    }
    close(fds[1]);
    pause_ms(1500);
    kill(sd.pid, SIGKILL);
    int status;
    waitpid(sd.pid, &status, 0);
    int acked = 0, i;
    while (read(fds[0], &i, sizeof i) == sizeof i)
        acked++;
    close(fds[0]);
    waitpid(child, &status, 0);
    printf("kill -9 of searchd: %d PUTs acknowledged before it\n", acked);
    CHECK(c, acked > 0);
    unsigned n = doc_count(db);
    CHECK(c, n >= 88u + (unsigned)acked && id_postings(db) == n);
    struct searchd again;
    CHECK(c, searchd_start(&again, db, extra) == 0);
    CHECK(c, total_for(again.port, "kiruna") >= acked);
    CHECK(c, searchd_stop(&again) == 0);
}

static void test_watch_follows_written_and_removed_pages(struct check *c)
{
    const struct fixture *f = c->ctx;
    char src[2048], db[2048], page[2200];
    snprintf(src, sizeof src, "%s/watched", f->dir);
    snprintf(db, sizeof db, "%s/watched.db", f->dir);
    mkdir(src, 0700);
    CHECK(c, run(f, NULL, "--quiet", "--db", db, "corpus/seminarium", NULL) == 0);
    char *argv[] = {(char *)f->indexer, "--db", db, "--watch", src, NULL};
    pid_t pid = spawn_prog(argv, NULL);
    struct searchd sd;
    CHECK(c, searchd_start(&sd, db, NULL) == 0);
    pause_ms(500);
    snprintf(page, sizeof page, "%s/ny.html", src);
    FILE *fp = fopen(page, "w");
    fputs("<html><body><main><h1>Vattenrapporten</h1><p>Om dricksvatten i Kalix.</p></main>"
          "</body></html>", fp);
    fclose(fp);
    double stop = now_s() + 20;
    while (now_s() < stop && total_for(sd.port, "vattenrapporten") != 1)
        pause_ms(100);
    CHECK(c, total_for(sd.port, "vattenrapporten") == 1);
    CHECK(c, unlink(page) == 0);
    stop = now_s() + 20;
    while (now_s() < stop && total_for(sd.port, "vattenrapporten") != 0)
        pause_ms(100);
    CHECK(c, total_for(sd.port, "vattenrapporten") == 0);
    kill(pid, SIGTERM);
    int status;
    waitpid(pid, &status, 0);
    CHECK(c, WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(c, searchd_stop(&sd) == 0);
}

static void test_progress_bar_on_a_terminal(struct check *c)
{
    const struct fixture *f = c->ctx;
    char db[2048];
    snprintf(db, sizeof db, "%s/tty.db", f->dir);
    int master;
    fflush(stdout);
    pid_t pid = forkpty(&master, NULL, NULL, NULL);
    if (pid == 0) {
        execl(f->indexer, f->indexer, "--db", db, "--batch", "500", f->generated,
              "tests/data/empty.html", (char *)NULL);
        _exit(127);
    }
    char buf[1 << 16];
    size_t len = 0;
    ssize_t n;
    while (len < sizeof buf - 1 && (n = read(master, buf + len, sizeof buf - 1 - len)) > 0)
        len += (size_t)n;
    buf[len] = '\0';
    int status;
    waitpid(pid, &status, 0);
    close(master);
    CHECK(c, WIFEXITED(status) && WEXITSTATUS(status) == 1);
    CHECK_CONTAINS(c, buf, "%");
    CHECK_CONTAINS(c, buf, "docs/s");
    CHECK_CONTAINS(c, buf, " left");
    CHECK_CONTAINS(c, buf, "rejected 1 document:");
    CHECK_CONTAINS(c, buf, "empty.html: empty file");
}

static void test_stats_tells_generation_last_run_and_size(struct check *c)
{
    const struct fixture *f = c->ctx;
    char db[2048], *out = NULL;
    snprintf(db, sizeof db, "%s/live.db", f->dir);
    CHECK(c, run(f, &out, "--db", db, "--stats", NULL, NULL) == 0);
    CHECK_CONTAINS(c, out, "documents   88");
    /* A new index and three rebuilds, each run compacting the generation
     * it filled into the next one. */
    CHECK_CONTAINS(c, out, "generation  8");
    CHECK_CONTAINS(c, out, "last run    ");
    CHECK_CONTAINS(c, out, "MB on disk");
    free(out);
}

int main(void)
{
    struct check c = {0};
    struct fixture f = {0};
    if (tmpdir_make(f.dir, sizeof f.dir) < 0)
        return 1;
    prog_path("indexer", f.indexer, sizeof f.indexer);
    char gen[512];
    prog_path("generate", gen, sizeof gen);
    snprintf(f.generated, sizeof f.generated, "%s/generated", f.dir);
    char *argv[] = {gen, "3000", f.generated, NULL};
    if (run_prog(argv, NULL, NULL, NULL) != 0) {
        fprintf(stderr, "cannot generate pages with %s\n", gen);
        tmpdir_remove(f.dir);
        return 1;
    }
    c.ctx = &f;
    RUN(&c, test_rerun_rewrites_only_what_changed);
    RUN(&c, test_prune_deletes_pages_whose_files_are_gone);
    RUN(&c, test_rebuild_under_queries_never_fails_an_answer);
    RUN(&c, test_kill_9_mid_run_keeps_the_last_commit);
    RUN(&c, test_kill_9_mid_run_before_the_merge);
    RUN(&c, test_kill_9_mid_run_of_parallel_shard_writers);
    RUN(&c, test_kill_9_mid_rebuild_leaves_the_live_index);
    RUN(&c, test_kill_9_of_searchd_loses_no_acknowledged_put);
    RUN(&c, test_watch_follows_written_and_removed_pages);
    RUN(&c, test_progress_bar_on_a_terminal);
    RUN(&c, test_stats_tells_generation_last_run_and_size);
    tmpdir_remove(f.dir);
    return check_report(&c, "test_editors");
}
