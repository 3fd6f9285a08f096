/* test_http_search.c: a real searchd on a loopback port over an index of
 * corpus/ built by the real indexer: ranking (the top hit of the judged
 * queries in tests/data/top_hits.tsv), the answer's shape, snippets,
 * documents, health, errors, searches counted on a second thread answering
 * as those counted first, and a clean stop that lets a request in flight
 * finish. */
#include "check.h"
#include "support.h"

#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fixture {
    char dir[256];
    char db[300];
    struct searchd sd;
};

/* GET target; returns the parsed JSON body (or NULL) and the status. */
static json_t *get_json(const struct fixture *f, const char *target, int *status)
{
    struct http_reply r;
    *status = 0;
    if (http_request(f->sd.port, "GET", target, NULL, NULL, 0, &r) < 0)
        return NULL;
    *status = r.status;
    json_t *j = json_loads(r.body, 0, NULL);
    http_reply_dispose(&r);
    return j;
}

static json_t *search(const struct fixture *f, const char *q, const char *extra, int *status)
{
    char *enc = url_encode(q);
    char target[2048];
    snprintf(target, sizeof target, "/api/search?q=%s%s", enc ? enc : "", extra ? extra : "");
    free(enc);
    return get_json(f, target, status);
}

static const char *hit_field(json_t *answer, size_t i, const char *key)
{
    return json_string_value(json_object_get(json_array_get(json_object_get(answer, "hits"), i), key));
}

static void test_listening_line_names_address_and_count(struct check *c)
{
    const struct fixture *fx = c->ctx;
    CHECK_CONTAINS(c, fx->sd.first_line, "searchd listening on http://127.0.0.1:");
    CHECK_CONTAINS(c, fx->sd.first_line, " documents)");
}

static void test_judged_queries_rank_the_expected_page_first(struct check *c)
{
    const struct fixture *fx = c->ctx;
    FILE *f = fopen("tests/data/top_hits.tsv", "r");
    CHECK(c, f != NULL);
    if (!f)
        return;
    char line[1024];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab = '\0';
        int status;
        json_t *a = search(fx, line, NULL, &status);
        const char *top = hit_field(a, 0, "id");
        if (!top || strcmp(top, tab + 1) != 0)
            fprintf(stderr, "  query \"%s\": top hit %s, want %s\n", line, top ? top : "(none)",
                    tab + 1);
        CHECK(c, status == 200 && top && strcmp(top, tab + 1) == 0);
        json_decref(a);
        n++;
    }
    fclose(f);
    CHECK(c, n >= 15);
}

static void test_answer_has_the_spec_shape(struct check *c)
{
    const struct fixture *fx = c->ctx;
    int status;
    json_t *a = search(fx, "segregation", NULL, &status);
    CHECK(c, status == 200);
    CHECK_STR(c, json_string_value(json_object_get(a, "query")), "segregation");
    CHECK(c, json_integer_value(json_object_get(a, "total")) > 10);
    CHECK(c, json_integer_value(json_object_get(a, "page")) == 1);
    CHECK(c, json_integer_value(json_object_get(a, "size")) == 10);
    CHECK(c, json_is_number(json_object_get(a, "took_ms")));
    CHECK(c, json_array_size(json_object_get(a, "hits")) == 10);
    CHECK(c, json_is_object(json_object_get(a, "facets")));
    CHECK(c, json_object_get(a, "suggestion") != NULL);
    json_t *h = json_array_get(json_object_get(a, "hits"), 0);
    const char *keys[] = {"id", "url", "title", "type", "date", "place", "snippet", "score"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        CHECK(c, json_object_get(h, keys[i]) != NULL);
    CHECK(c, json_real_value(json_object_get(h, "score")) > 0);
    /* hits are ranked: scores never rise */
    double prev = 1e300;
    for (size_t i = 0; i < json_array_size(json_object_get(a, "hits")); i++) {
        double s = json_real_value(json_object_get(json_array_get(json_object_get(a, "hits"), i), "score"));
        CHECK(c, s <= prev);
        prev = s;
    }
    json_decref(a);
}

static void test_snippet_marks_the_word_and_escapes_the_rest(struct check *c)
{
    const struct fixture *fx = c->ctx;
    int status;
    json_t *a = search(fx, "segregation", NULL, &status);
    const char *snip = hit_field(a, 0, "snippet");
    CHECK_CONTAINS(c, snip, "<mark>");
    CHECK_CONTAINS(c, snip, "</mark>");
    /* no tag other than mark survives */
    for (const char *p = snip ? strchr(snip, '<') : NULL; p; p = strchr(p + 1, '<'))
        CHECK(c, strncmp(p, "<mark>", 6) == 0 || strncmp(p, "</mark>", 7) == 0);
    json_decref(a);
}

static void test_inflected_query_finds_the_same_pages(struct check *c)
{
    const struct fixture *fx = c->ctx;
    int s1, s2;
    json_t *a = search(fx, "kartläggning", NULL, &s1);
    json_t *b = search(fx, "kartläggningar", NULL, &s2);
    CHECK(c, json_integer_value(json_object_get(a, "total")) > 0);
    CHECK(c, json_integer_value(json_object_get(a, "total")) ==
                 json_integer_value(json_object_get(b, "total")));
    json_decref(a);
    json_decref(b);
}

static void test_pages_do_not_overlap(struct check *c)
{
    const struct fixture *fx = c->ctx;
    int s1, s2;
    json_t *a = search(fx, "segregation", "&size=5&page=1", &s1);
    json_t *b = search(fx, "segregation", "&size=5&page=2", &s2);
    CHECK(c, s1 == 200 && s2 == 200);
    CHECK(c, json_array_size(json_object_get(b, "hits")) == 5);
    for (size_t i = 0; i < 5; i++)
        for (size_t j = 0; j < 5; j++) {
            const char *x = hit_field(a, i, "id"), *y = hit_field(b, j, "id");
            CHECK(c, x && y && strcmp(x, y) != 0);
        }
    json_decref(a);
    json_decref(b);
}

static void test_chrome_words_are_not_indexed(struct check *c)
{
    const struct fixture *fx = c->ctx;
    int status;
    json_t *a = search(fx, "\"Tillbaka till toppen\"", NULL, &status);
    CHECK(c, status == 200);
    CHECK(c, json_integer_value(json_object_get(a, "total")) == 0);
    json_decref(a);
}

static void test_document_by_id_and_404(struct check *c)
{
    const struct fixture *fx = c->ctx;
    int status;
    json_t *a = search(fx, "segregation", NULL, &status);
    const char *id = hit_field(a, 0, "id");
    char target[1024];
    snprintf(target, sizeof target, "/api/documents/%s", id ? id : "x");
    json_t *d = get_json(fx, target, &status);
    CHECK(c, status == 200);
    CHECK_STR(c, json_string_value(json_object_get(d, "id")), id);
    CHECK(c, json_string_value(json_object_get(d, "body")) != NULL);
    json_decref(d);
    json_decref(a);
    d = get_json(fx, "/api/documents/finns/inte.html", &status);
    CHECK(c, status == 404);
    CHECK(c, json_integer_value(json_object_get(json_object_get(d, "error"), "status")) == 404);
    json_decref(d);
}

static void test_healthz_counts_documents(struct check *c)
{
    const struct fixture *fx = c->ctx;
    int status;
    json_t *h = get_json(fx, "/healthz", &status);
    CHECK(c, status == 200);
    CHECK_STR(c, json_string_value(json_object_get(h, "status")), "ok");
    CHECK(c, json_integer_value(json_object_get(h, "documents")) >= 80);
    json_decref(h);
}

static void test_bad_parameters_are_400_naming_them(struct check *c)
{
    const struct fixture *fx = c->ctx;
    const char *cases[][2] = {{"/api/search?q=a&size=0", "size"},
                              {"/api/search?q=a&size=101", "size"},
                              {"/api/search?q=a&page=0", "page"},
                              {"/api/search?q=a&page=x", "page"},
                              {"/api/search?q=a&sort=random", "sort"},
                              {"/api/search?q=a&from=2019-13-01", "from"},
                              {"/api/search?q=a&year=19", "year"},
                              {"/api/search?q=%ff%fe", "q"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int status;
        json_t *e = get_json(fx, cases[i][0], &status);
        CHECK(c, status == 400);
        json_t *err = json_object_get(e, "error");
        CHECK(c, json_integer_value(json_object_get(err, "status")) == 400);
        CHECK_CONTAINS(c, json_string_value(json_object_get(err, "message")), cases[i][1]);
        json_decref(e);
    }
}

static void test_unknown_path_is_404_and_wrong_method_405_with_allow(struct check *c)
{
    const struct fixture *fx = c->ctx;
    struct http_reply r;
    CHECK(c, http_request(fx->sd.port, "GET", "/nope", NULL, NULL, 0, &r) == 0);
    CHECK(c, r.status == 404);
    CHECK_CONTAINS(c, r.body, "\"status\":404");
    http_reply_dispose(&r);
    CHECK(c, http_request(fx->sd.port, "POST", "/api/search?q=a", NULL, "x", 1, &r) == 0);
    CHECK(c, r.status == 405);
    char *allow = http_header(&r, "Allow");
    CHECK_CONTAINS(c, allow, "GET");
    free(allow);
    http_reply_dispose(&r);
}

static void test_unbalanced_query_syntax_still_answers(struct check *c)
{
    const struct fixture *fx = c->ctx;
    const char *qs[] = {"\"mot segregation", "(((", "AND", "title:", "-", "OR OR", "*"};
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        int status;
        json_t *a = search(fx, qs[i], NULL, &status);
        CHECK(c, status == 200 || status == 400);
        CHECK(c, a != NULL);
        json_decref(a);
    }
}

static void test_filters_narrow_the_results(struct check *c)
{
    const struct fixture *fx = c->ctx;
    int status;
    json_t *all = search(fx, "segregation", NULL, &status);
    json_t *sem = search(fx, "segregation", "&type=seminarium", &status);
    CHECK(c, status == 200);
    long n_all = (long)json_integer_value(json_object_get(all, "total"));
    long n_sem = (long)json_integer_value(json_object_get(sem, "total"));
    CHECK(c, n_sem > 0 && n_sem < n_all);
    for (size_t i = 0; i < json_array_size(json_object_get(sem, "hits")); i++)
        CHECK_STR(c, hit_field(sem, i, "type"), "seminarium");
    json_t *facet = json_object_get(json_object_get(all, "facets"), "type");
    CHECK(c, json_integer_value(json_object_get(facet, "seminarium")) == n_sem);
    json_decref(all);
    json_decref(sem);
}

/* A second searchd counting every search on a second thread (from one
 * expected match on) answers each query, filtered or not, on the first
 * page and the second, sorted by date, as the first searchd does, which
 * counts this small index's searches on the thread that ranks them; and
 * says in /metrics how many it counted so: most of them when the machine
 * has a core to spare (at most half the cores searching), none on one. */
static void test_a_search_counted_on_a_second_thread_answers_the_same(struct check *c)
{
    const struct fixture *fx = c->ctx;
    struct fixture apart = *fx;
    const char *args[] = {"--count-thread-from", "1", NULL};
    CHECK(c, searchd_start(&apart.sd, fx->db, args) == 0);
    static const char *const queries[] = {"segregation", "bostad skola", "kommunerna", "hyra",
                                          "arbetsmarknad integration", "förskola", "rapport"};
    static const char *const extras[] = {"", "&page=2", "&type=rapport", "&sort=date"};
    unsigned searches = 0;
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++)
        for (size_t k = 0; k < sizeof extras / sizeof extras[0]; k++) {
            int s1, s2;
            json_t *a = search(fx, queries[i], extras[k], &s1);
            json_t *b = search(&apart, queries[i], extras[k], &s2);
            json_object_del(a, "took_ms");
            json_object_del(b, "took_ms");
            int same = s1 == 200 && s2 == 200 && json_equal(a, b);
            if (!same)
                fprintf(stderr, "  %s%s: the answer counted apart differs\n", queries[i],
                        extras[k]);
            CHECK(c, same);
            searches += json_integer_value(json_object_get(a, "total")) > 0;
            json_decref(a);
            json_decref(b);
        }
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    long counted = http_metric(apart.sd.port, "searchd_searches_counted_apart_total");
    fprintf(stderr, "  %ld of %u searches counted on a second thread (%ld cores)\n", counted,
            searches, cores);
    CHECK(c, searches >= 20);
    /* Those Xapian expects to match nothing (two rare words, estimated as
     * independent) are counted on the thread that ranks them. */
    CHECK(c, cores >= 2 ? counted >= (long)searches * 2 / 3 : counted == 0);
    CHECK(c, http_metric(fx->sd.port, "searchd_searches_counted_apart_total") == 0);
    CHECK(c, searchd_stop(&apart.sd) == 0);
}

/* Last: a search whose headers arrived before SIGTERM, its body after, is
 * answered 200; a search sent after SIGTERM is answered 503 and its
 * kept-alive connection closed; then searchd exits 0. */
static void test_sigterm_finishes_the_request_in_flight(struct check *c)
{
    const struct fixture *f = c->ctx;
    int taken = raw_connect(f->sd.port, NULL, 10);
    int late = raw_connect(f->sd.port, NULL, 10);
    CHECK(c, taken >= 0 && late >= 0);
    if (taken < 0 || late < 0)
        goto cleanup;
    const char *head = "GET /api/search?q=kommun HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       "Content-Length: 4\r\n\r\nab";
    CHECK(c, write(taken, head, strlen(head)) == (ssize_t)strlen(head));
    pause_ms(300);   /* searchd has read the headers: the request is in flight */
    kill(f->sd.pid, SIGTERM);
    pause_ms(300);
    const char *search = "GET /api/search?q=kommun HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    int status = raw_exchange(late, search, strlen(search));
    if (status != 503)
        fprintf(stderr, "  after SIGTERM: %d, want 503\n", status);
    CHECK(c, status == 503);
    CHECK(c, raw_exchange(late, search, strlen(search)) <= 0);   /* closed after the 503 */
    status = raw_exchange(taken, "cd", 2);
    if (status != 200)
        fprintf(stderr, "  in flight at SIGTERM: %d, want 200\n", status);
    CHECK(c, status == 200);
cleanup:
    if (taken >= 0)
        close(taken);
    if (late >= 0)
        close(late);
}

int main(void)
{
    struct check c = {0};
    struct fixture f = {0};
    c.ctx = &f;
    if (tmpdir_make(f.dir, sizeof f.dir) < 0) {
        perror("tmpdir");
        return 1;
    }
    snprintf(f.db, sizeof f.db, "%s/index", f.dir);
    char indexer[512];
    prog_path("indexer", indexer, sizeof indexer);
    char *argv[] = {indexer, "--db", f.db, "--quiet", "corpus", NULL};
    char *err = NULL;
    int rc = run_prog(argv, NULL, NULL, &err);
    if (rc != 0 || searchd_start(&f.sd, f.db, NULL) < 0) {
        fprintf(stderr, "cannot set up: indexer exit %d: %s\n", rc, err ? err : "");
        free(err);
        tmpdir_remove(f.dir);
        return 1;
    }
    free(err);
    RUN(&c, test_listening_line_names_address_and_count);
    RUN(&c, test_judged_queries_rank_the_expected_page_first);
    RUN(&c, test_answer_has_the_spec_shape);
    RUN(&c, test_snippet_marks_the_word_and_escapes_the_rest);
    RUN(&c, test_inflected_query_finds_the_same_pages);
    RUN(&c, test_pages_do_not_overlap);
    RUN(&c, test_chrome_words_are_not_indexed);
    RUN(&c, test_document_by_id_and_404);
    RUN(&c, test_healthz_counts_documents);
    RUN(&c, test_bad_parameters_are_400_naming_them);
    RUN(&c, test_unknown_path_is_404_and_wrong_method_405_with_allow);
    RUN(&c, test_unbalanced_query_syntax_still_answers);
    RUN(&c, test_filters_narrow_the_results);
    RUN(&c, test_a_search_counted_on_a_second_thread_answers_the_same);
    RUN(&c, test_sigterm_finishes_the_request_in_flight);
    int stop = searchd_stop(&f.sd);
    if (stop != 0)
        fprintf(stderr, "searchd exited %d on SIGTERM, want 0\n", stop);
    c.failed += stop != 0;
    tmpdir_remove(f.dir);
    return check_report(&c, "test_http_search");
}
