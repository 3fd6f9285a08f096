/* test_http_best_bets.c: the editors' best bets through the real programs:
 * a file stored with `indexer --best-bets` alone, picked up by a running
 * searchd; pinned pages first in the editors' order, marked, never
 * repeated below, on any inflection of the query; a hidden page gone from
 * every page of hits; filters still applied to the pinned; a campaign out
 * of its days does nothing; a bad file refused with its line. */
#include "check.h"
#include "openapi_check.h"
#include "support.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PIN1 "artikel/kulturskolan-i-husby.html"
#define PIN2 "artikel/delegationen-besokte-borlange.html"
#define HIDDEN "artikel/malmo-kraftsamling-mot-segregation.html"

struct fixture {
    char dir[256];
    char db[300];
    char indexer[512];
    struct searchd sd;
    json_t *openapi;
};

static json_t *search(const struct fixture *f, const char *q, const char *extra)
{
    char *enc = url_encode(q), target[2048];
    snprintf(target, sizeof target, "/api/search?q=%s%s", enc ? enc : "", extra ? extra : "");
    free(enc);
    struct http_reply r;
    json_t *j = NULL;
    if (http_request(f->sd.port, "GET", target, NULL, NULL, 0, &r) == 0 && r.status == 200)
        j = json_loadb(r.body, r.body_len, 0, NULL);
    http_reply_dispose(&r);
    return j;
}

static const char *hit_id(json_t *a, size_t i)
{
    return json_string_value(json_object_get(json_array_get(json_object_get(a, "hits"), i), "id"));
}

static int pinned(json_t *a, size_t i)
{
    return json_is_true(json_object_get(json_array_get(json_object_get(a, "hits"), i), "pinned"));
}

/* Stores the rules text with indexer --best-bets alone; its exit code. */
static int store(const struct fixture *f, const char *rules, char **err)
{
    char path[512];
    snprintf(path, sizeof path, "%s/best-bets.txt", f->dir);
    FILE *fp = fopen(path, "w");
    if (!fp)
        return -1;
    fputs(rules, fp);
    fclose(fp);
    char *argv[] = {(char *)f->indexer, "--db", (char *)f->db, "--best-bets", path, "--quiet",
                    NULL};
    return run_prog(argv, NULL, NULL, err);
}

/* The ids of every hit of q over all pages of 7: each once, and as many as
 * the total says. */
static void every_hit(struct check *c, const struct fixture *f, const char *q, char ***ids,
                      size_t *n)
{
    *ids = NULL;
    *n = 0;
    long total = -1;
    for (int page = 1; page < 100; page++) {
        char extra[64];
        snprintf(extra, sizeof extra, "&size=7&page=%d", page);
        json_t *a = search(f, q, extra);
        if (!a)
            break;
        total = (long)json_integer_value(json_object_get(a, "total"));
        size_t k = json_array_size(json_object_get(a, "hits"));
        for (size_t i = 0; i < k; i++) {
            char **p = realloc(*ids, (*n + 1) * sizeof *p);
            if (!p)
                break;
            *ids = p;
            (*ids)[(*n)++] = strdup(hit_id(a, i));
            CHECK(c, pinned(a, i) == (page == 1 && i < 2));
        }
        json_decref(a);
        if (k < 7)
            break;
    }
    CHECK(c, total == (long)*n);
    for (size_t i = 0; i < *n; i++)
        for (size_t j = i + 1; j < *n; j++)
            CHECK(c, strcmp((*ids)[i], (*ids)[j]) != 0);
}

static void test_pinned_pages_come_first_and_are_not_repeated(struct check *c)
{
    struct fixture *f = c->ctx;
    char *err = NULL;
    CHECK(c, store(f, "# kampanjer\n"
                      "segregation = " PIN1 ", " PIN2 "\n"
                      "segregation -= " HIDDEN "\n"
                      "sommarlov = artikel/hassleholm-satsar-pa-sommarlovet.html "
                      "from 2000-06-01 to 2000-08-31\n",
                   &err) == 0);
    free(err);
    const char *forms[] = {"segregation", "Segregationen", "SEGREGATIONEN"};
    for (size_t k = 0; k < 3; k++) {
        json_t *a = search(f, forms[k], NULL);
        CHECK_STR(c, hit_id(a, 0), PIN1);
        CHECK_STR(c, hit_id(a, 1), PIN2);
        CHECK(c, pinned(a, 0) && pinned(a, 1) && !pinned(a, 2));
        CHECK(c, openapi_holds(f->openapi, "/api/search", "200", a));
        json_decref(a);
    }
    char **ids = NULL;
    size_t n = 0;
    every_hit(c, f, "segregation", &ids, &n);
    CHECK(c, n > 10);
    for (size_t i = 0; i < n; i++) {
        CHECK(c, strcmp(ids[i], HIDDEN) != 0);
        CHECK(c, i < 2 || (strcmp(ids[i], PIN1) != 0 && strcmp(ids[i], PIN2) != 0));
        free(ids[i]);
    }
    free(ids);
}

static void test_filters_apply_to_pinned_pages_and_campaigns_end(struct check *c)
{
    struct fixture *f = c->ctx;
    json_t *a = search(f, "segregation", "&type=seminarium");
    size_t n = json_array_size(json_object_get(a, "hits"));
    CHECK(c, n > 0);
    for (size_t i = 0; i < n; i++) {
        CHECK(c, !pinned(a, i));
        CHECK(c, strcmp(hit_id(a, i), PIN1) != 0);
    }
    json_decref(a);
    a = search(f, "sommarlov", NULL);   /* its campaign ended in 2000 */
    CHECK(c, json_array_size(json_object_get(a, "hits")) > 0 && !pinned(a, 0));
    json_decref(a);
}

static void test_a_bad_file_is_refused_with_its_line(struct check *c)
{
    struct fixture *f = c->ctx;
    char *err = NULL;
    CHECK(c, store(f, "ok = a.html\nsegregation : " PIN1 "\n", &err) == 2);
    CHECK_CONTAINS(c, err, "best-bets.txt:2: a rule is QUERY = ID");
    free(err);
    /* the rules stored before still hold */
    json_t *a = search(f, "segregation", NULL);
    CHECK_STR(c, hit_id(a, 0), PIN1);
    json_decref(a);
    /* and emptied, nothing is pinned */
    CHECK(c, store(f, "# inga\n", NULL) == 0);
    a = search(f, "segregation", NULL);
    CHECK(c, a && !pinned(a, 0));
    json_decref(a);
}

int main(void)
{
    struct check c = {0};
    struct fixture f = {0};
    prog_path("indexer", f.indexer, sizeof f.indexer);
    if (serve_corpus(f.dir, sizeof f.dir, f.db, sizeof f.db, &f.sd, NULL) < 0)
        return 1;
    f.openapi = json_load_file("searchd/www/openapi.json", 0, NULL);
    c.ctx = &f;
    RUN(&c, test_pinned_pages_come_first_and_are_not_repeated);
    RUN(&c, test_filters_apply_to_pinned_pages_and_campaigns_end);
    RUN(&c, test_a_bad_file_is_refused_with_its_line);
    c.failed += searchd_stop(&f.sd) != 0;
    json_decref(f.openapi);
    tmpdir_remove(f.dir);
    return check_report(&c, "test_http_best_bets");
}
