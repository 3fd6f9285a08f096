/* test_http_write.c: editors' writes through a real searchd: PUT and DELETE
 * /api/documents/ID are disabled (403) without a token file, need the bearer
 * token (401 otherwise), make a document searchable when they return, say
 * what they did (added, updated, unchanged), reject bad bodies with 400, and
 * answer 503 with Retry-After while another process holds the write lock.
 * The searchd counts every search on a second thread (--count-thread-from
 * 1), whose reader follows each write. */
#include "check.h"
#include "support.h"
#include "xapian_c.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TOKEN "s3cret-token-for-tests-0123456789"

struct fixture {
    char dir[256];
    char db[512];
    char token_file[512];
    char access_log[512];
    struct searchd sd;        /* with the token */
};

static int put(const struct fixture *f, const char *id, const char *body, const char *auth,
               struct http_reply *r)
{
    char target[512], hdr[256] = "Content-Type: application/json\r\n";
    snprintf(target, sizeof target, "/api/documents/%s", id);
    if (auth)
        snprintf(hdr + strlen(hdr), sizeof hdr - strlen(hdr), "Authorization: %s\r\n", auth);
    return http_request(f->sd.port, "PUT", target, hdr, body, strlen(body), r);
}

static int del(const struct fixture *f, const char *id, const char *auth, struct http_reply *r)
{
    char target[512], hdr[256] = "";
    snprintf(target, sizeof target, "/api/documents/%s", id);
    if (auth)
        snprintf(hdr, sizeof hdr, "Authorization: %s\r\n", auth);
    return http_request(f->sd.port, "DELETE", target, hdr, NULL, 0, r);
}

static long hits_for(const struct fixture *f, const char *q)
{
    char args[512];
    snprintf(args, sizeof args, "q=%s", q);
    return http_search_total(f->sd.port, args);
}

static const char *result_of(struct http_reply *r, char out[32])
{
    json_t *a = json_loads(r->body, 0, NULL);
    snprintf(out, 32, "%s", json_string_value(json_object_get(a, "result")) ?
                                json_string_value(json_object_get(a, "result")) : "");
    json_decref(a);
    return out;
}

static void test_writes_are_disabled_without_a_token_file(struct check *c)
{
    const struct fixture *f = c->ctx;
    struct searchd plain;
    CHECK(c, searchd_start(&plain, f->db, NULL) == 0);
    struct http_reply r;
    CHECK(c, http_request(plain.port, "PUT", "/api/documents/x", "Authorization: Bearer " TOKEN "\r\n",
                          "{\"title\":\"x\"}", 13, &r) == 0);
    CHECK(c, r.status == 403);
    CHECK_CONTAINS(c, r.body, "\"status\":403");
    http_reply_dispose(&r);
    CHECK(c, http_request(plain.port, "DELETE", "/api/documents/x", NULL, NULL, 0, &r) == 0);
    CHECK(c, r.status == 403);
    http_reply_dispose(&r);
    CHECK(c, searchd_stop(&plain) == 0);
}

static void test_missing_or_wrong_token_is_401(struct check *c)
{
    const struct fixture *f = c->ctx;
    const char *auths[] = {NULL, "Bearer wrong", "Bearer " TOKEN "x", "Basic " TOKEN,
                           "Bearer s3cret-token-for-tests-012345678"};
    for (size_t i = 0; i < sizeof auths / sizeof auths[0]; i++) {
        struct http_reply r;
        CHECK(c, put(f, "nope", "{\"title\":\"Nej\"}", auths[i], &r) == 0);
        CHECK(c, r.status == 401);
        char *www = http_header(&r, "WWW-Authenticate");
        CHECK_STR(c, www, "Bearer");
        free(www);
        http_reply_dispose(&r);
    }
    CHECK(c, hits_for(f, "nej") == 0);
}

static void test_put_is_searchable_when_it_returns(struct check *c)
{
    const struct fixture *f = c->ctx;
    struct http_reply r;
    char res[32];
    CHECK(c, hits_for(f, "lapplandsrapporten") == 0);
    CHECK(c, put(f, "nytt/lappland.html",
                 "{\"title\":\"Lapplandsrapporten\",\"body\":\"Ny rapport om boende i Kiruna.\","
                 "\"type\":\"artikel\",\"date\":\"2026-11-01\"}",
                 "Bearer " TOKEN, &r) == 0);
    CHECK(c, r.status == 201);
    CHECK_STR(c, result_of(&r, res), "added");
    http_reply_dispose(&r);
    CHECK(c, hits_for(f, "lapplandsrapporten") == 1);
    CHECK(c, http_request(f->sd.port, "GET", "/api/documents/nytt/lappland.html", NULL, NULL, 0,
                          &r) == 0);
    CHECK(c, r.status == 200);
    CHECK_CONTAINS(c, r.body, "Ny rapport om boende i Kiruna.");
    http_reply_dispose(&r);
}

static void test_put_again_says_unchanged_or_updated(struct check *c)
{
    const struct fixture *f = c->ctx;
    struct http_reply r;
    char res[32];
    const char *body = "{\"title\":\"Lapplandsrapporten\",\"body\":\"Ny rapport om boende i "
                       "Kiruna.\",\"type\":\"artikel\",\"date\":\"2026-11-01\"}";
    CHECK(c, put(f, "nytt/lappland.html", body, "Bearer " TOKEN, &r) == 0);
    CHECK(c, r.status == 200);
    CHECK_STR(c, result_of(&r, res), "unchanged");
    http_reply_dispose(&r);
    CHECK(c, put(f, "nytt/lappland.html",
                 "{\"title\":\"Lapplandsrapporten\",\"body\":\"Rapport om boende i Gällivare.\"}",
                 "Bearer " TOKEN, &r) == 0);
    CHECK(c, r.status == 200);
    CHECK_STR(c, result_of(&r, res), "updated");
    http_reply_dispose(&r);
    CHECK(c, hits_for(f, "gällivare") == 1);
    CHECK(c, hits_for(f, "kiruna") == 0);
}

/* A search right after a write is counted on the second thread, over its
 * reader brought to the write's revision (a reader at another revision
 * would not be used), and counts the page written; on one core no search
 * is counted so. */
static void test_the_second_reader_follows_a_write(struct check *c)
{
    const struct fixture *f = c->ctx;
    struct http_reply r;
    long before = http_metric(f->sd.port, "searchd_searches_counted_apart_total");
    CHECK(c, put(f, "nytt/tornedalen.html",
                 "{\"title\":\"Tornedalsrapporten\",\"body\":\"Rapport om boende i Pajala.\"}",
                 "Bearer " TOKEN, &r) == 0);
    CHECK(c, r.status == 201);
    http_reply_dispose(&r);
    CHECK(c, hits_for(f, "tornedalsrapporten") == 1);
    long after = http_metric(f->sd.port, "searchd_searches_counted_apart_total");
    CHECK(c, before >= 0 && after == before + (sysconf(_SC_NPROCESSORS_ONLN) >= 2));
    CHECK(c, del(f, "nytt/tornedalen.html", "Bearer " TOKEN, &r) == 0);
    CHECK(c, r.status == 204);
    http_reply_dispose(&r);
    CHECK(c, hits_for(f, "tornedalsrapporten") == 0);
}

static void test_delete_removes_then_404(struct check *c)
{
    const struct fixture *f = c->ctx;
    struct http_reply r;
    CHECK(c, del(f, "nytt/lappland.html", "Bearer " TOKEN, &r) == 0);
    CHECK(c, r.status == 204);
    http_reply_dispose(&r);
    CHECK(c, hits_for(f, "lapplandsrapporten") == 0);
    CHECK(c, del(f, "nytt/lappland.html", "Bearer " TOKEN, &r) == 0);
    CHECK(c, r.status == 404);
    http_reply_dispose(&r);
}

static void test_bad_bodies_are_400(struct check *c)
{
    const struct fixture *f = c->ctx;
    const char *bodies[] = {"inte json", "[1,2]", "{\"id\":\"annat\",\"title\":\"x\"}",
                            "{\"title\":12}", "{\"summary\":\"bara\",\"date\":\"2019-13-01\"}",
                            "{\"url\":\"/x\"}", ""};
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        struct http_reply r;
        CHECK(c, put(f, "fel", bodies[i], "Bearer " TOKEN, &r) == 0);
        CHECK(c, r.status == 400);
        CHECK_CONTAINS(c, r.body, "\"status\":400");
        http_reply_dispose(&r);
    }
    struct http_reply r;
    CHECK(c, http_request(f->sd.port, "GET", "/api/documents/fel", NULL, NULL, 0, &r) == 0);
    CHECK(c, r.status == 404);
    http_reply_dispose(&r);
}

static void test_write_while_locked_is_503_with_retry_after(struct check *c)
{
    const struct fixture *f = c->ctx;
    xc_wdb *holder = NULL;
    CHECK(c, xc_wdb_open(&holder, f->db, XC_WDB_OPEN, NULL) == 0);
    struct http_reply r;
    CHECK(c, put(f, "laast", "{\"title\":\"Låst\"}", "Bearer " TOKEN, &r) == 0);
    CHECK(c, r.status == 503);
    char *ra = http_header(&r, "Retry-After");
    CHECK(c, ra != NULL);
    free(ra);
    http_reply_dispose(&r);
    CHECK(c, hits_for(f, "segregation") > 0);   /* reads go on */
    xc_wdb_free(holder);
    CHECK(c, put(f, "laast", "{\"title\":\"Låst\"}", "Bearer " TOKEN, &r) == 0);
    CHECK(c, r.status == 201);
    http_reply_dispose(&r);
}

/* The access log: a line per request in the Common Log Format with the
 * time taken; a query's newline and quote encoded, so one request is one
 * line; the token, sent in every write above, nowhere. */
static void test_access_log_has_each_request_and_no_secret(struct check *c)
{
    const struct fixture *f = c->ctx;
    struct http_reply r;
    CHECK(c, http_request(f->sd.port, "GET", "/api/search?q=rad%0Aett%22tv%C3%A5", NULL, NULL, 0,
                          &r) == 0);
    http_reply_dispose(&r);
    char *log = NULL;
    size_t len = 0;
    FILE *fp = fopen(f->access_log, "r");
    CHECK(c, fp != NULL);
    if (fp) {
        char chunk[4096];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
            char *p = realloc(log, len + n + 1);
            if (!p)
                break;
            log = p;
            memcpy(log + len, chunk, n);
            len += n;
            log[len] = '\0';
        }
        fclose(fp);
    }
    CHECK(c, log && strstr(log, "127.0.0.1 - - ["));
    CHECK(c, log && strstr(log, "] \"PUT /api/documents/nytt/lappland.html HTTP/1.1\" 20"));
    CHECK(c, log && strstr(log, "\"GET /api/search?q=rad%0Aett%22tv%C3%A5 HTTP/1.1\" 200 "));
    CHECK(c, log && strstr(log, "\"DELETE /api/documents/nytt/lappland.html HTTP/1.1\" 204 "));
    CHECK(c, log && !strstr(log, TOKEN) && !strstr(log, "Bearer"));
    /* Every line is whole: ends in the milliseconds taken. */
    size_t lines = 0;
    for (char *line = log; line && *line; lines++) {
        char *nl = strchr(line, '\n');
        CHECK(c, nl != NULL);
        if (!nl)
            break;
        *nl = '\0';
        const char *sp = strrchr(line, ' ');
        CHECK(c, sp && strchr("0123456789", sp[1]) && strchr(sp, '.'));
        line = nl + 1;
    }
    CHECK(c, lines >= 10);
    free(log);
}

int main(void)
{
    struct check c = {0};
    struct fixture f = {0};
    if (tmpdir_make(f.dir, sizeof f.dir) < 0)
        return 1;
    snprintf(f.db, sizeof f.db, "%s/index", f.dir);
    snprintf(f.token_file, sizeof f.token_file, "%s/token", f.dir);
    snprintf(f.access_log, sizeof f.access_log, "%s/access.log", f.dir);
    if (token_file_write(f.token_file, TOKEN) < 0)
        return 1;
    char indexer[512];
    prog_path("indexer", indexer, sizeof indexer);
    char *argv[] = {indexer, "--quiet", "--db", f.db, "corpus", NULL};
    const char *extra[] = {"--admin-token-file", f.token_file, "--access-log", f.access_log,
                           "--count-thread-from", "1", NULL};
    if (run_prog(argv, NULL, NULL, NULL) != 0 || searchd_start(&f.sd, f.db, extra) < 0) {
        tmpdir_remove(f.dir);
        return 1;
    }
    c.ctx = &f;
    RUN(&c, test_writes_are_disabled_without_a_token_file);
    RUN(&c, test_missing_or_wrong_token_is_401);
    RUN(&c, test_put_is_searchable_when_it_returns);
    RUN(&c, test_put_again_says_unchanged_or_updated);
    RUN(&c, test_the_second_reader_follows_a_write);
    RUN(&c, test_delete_removes_then_404);
    RUN(&c, test_bad_bodies_are_400);
    RUN(&c, test_write_while_locked_is_503_with_retry_after);
    RUN(&c, test_access_log_has_each_request_and_no_secret);
    c.failed += searchd_stop(&f.sd) != 0;
    tmpdir_remove(f.dir);
    return check_report(&c, "test_http_write");
}
