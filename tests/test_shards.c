/* test_shards.c: `indexer --shards N` (a writer thread per shard) against
 * one index of the same pages written by one thread, and against one
 * written by three threads and merged into one database (--writers).
 * All are built from corpus/ with the synonyms and served by real searchd
 * processes; every judged query of the relevance suite (and its second page,
 * and the date order) gets the same hits in the same order, the same total,
 * facets and suggestion from both, and so do suggestions. The stub names the
 * shards, --stats counts them, writes (PUT, DELETE, --delete) reach the right
 * one, and --rebuild --shards changes their number. */
#include "answers.h"
#include "check.h"
#include "support.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TOKEN "shard-token-for-tests-0123456789"

struct fixture {
    char dir[256];
    char one[300], three[300], merged[300], token[300];
    struct searchd sd_one, sd_three, sd_merged;
};

static int same_deep_answer(json_t *a, json_t *b);

static void test_sharded_answers_equal_unsharded_ones(struct check *c)
{
    const struct fixture *f = c->ctx;
    size_t asked = 0;
    int differ = compare_judged_queries(f->sd_one.port, f->sd_three.port, &asked);
    fprintf(stderr, "  %zu answers compared, %d differ\n", asked, differ);
    CHECK(c, asked >= 200 && differ == 0);
    const char *more[] = {"/api/search?q=&type=seminarium", "/api/search?q=segregation&size=100",
                          "/api/search?upcoming=true", "/api/suggest?q=s",
                          "/api/suggest?q=seg", "/api/suggest?q=kommun%20se"};
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) {
        json_t *a = get_json(f->sd_one.port, more[i]), *b = get_json(f->sd_three.port, more[i]);
        int same = strstr(more[i], "suggest")
                       ? a && b && json_equal(json_object_get(a, "suggestions"),
                                              json_object_get(b, "suggestions")) &&
                             json_equal(json_object_get(a, "titles"), json_object_get(b, "titles"))
                   : strstr(more[i], "size=100") ? same_deep_answer(a, b)
                                                 : same_answer(a, b);
        if (!same)
            fprintf(stderr, "  %s differs\n", more[i]);
        CHECK(c, same);
        json_decref(a);
        json_decref(b);
    }
}

/* The ids of an answer's hits, sorted, as one string. */
static char *hit_set(json_t *answer)
{
    json_t *hits = json_object_get(answer, "hits");
    size_t n = json_array_size(hits);
    const char **ids = calloc(n + 1, sizeof *ids);
    size_t len = 1;
    for (size_t i = 0; ids && i < n; i++) {
        ids[i] = json_string_value(json_object_get(json_array_get(hits, i), "id"));
        len += ids[i] ? strlen(ids[i]) + 1 : 0;
    }
    char *out = ids ? calloc(len, 1) : NULL;
    for (size_t i = 0; out && i < n; i++)   /* insertion sort: a hundred at most */
        for (size_t j = i; j > 0 && ids[j] && ids[j - 1] && strcmp(ids[j - 1], ids[j]) > 0; j--) {
            const char *t = ids[j];
            ids[j] = ids[j - 1];
            ids[j - 1] = t;
        }
    for (size_t i = 0; out && i < n; i++)
        if (ids[i])
            strcat(strcat(out, ids[i]), " ");
    free(ids);
    return out;
}

/* A page past the best 20 (which the static rank reorders, always the
 * same ones): the same total, facets and best 20 in order, and the same
 * hits; past the 20, hits of equal weight come in id order, and the
 * shards number the documents otherwise ("segregation": two seminars of
 * the same length weigh the same at 37th and 38th). */
static int same_deep_answer(json_t *a, json_t *b)
{
    json_t *ha = json_object_get(a, "hits"), *hb = json_object_get(b, "hits");
    int same = a && b && json_equal(json_object_get(a, "total"), json_object_get(b, "total")) &&
               json_equal(json_object_get(a, "facets"), json_object_get(b, "facets")) &&
               json_array_size(ha) == json_array_size(hb) && json_array_size(ha) > 20;
    for (size_t i = 0; same && i < 20; i++)
        same = json_equal(json_object_get(json_array_get(ha, i), "id"),
                          json_object_get(json_array_get(hb, i), "id"));
    char *sa = same ? hit_set(a) : NULL, *sb = same ? hit_set(b) : NULL;
    same = same && sa && sb && strcmp(sa, sb) == 0;
    free(sa);
    free(sb);
    return same;
}

/* An index of one shard filled by three writer threads, a shard each,
 * merged into one database at the end: the same answers as one written by
 * one thread. Documents are numbered shard after shard in the merged one,
 * so hits of equal weight past the first page may come in another order:
 * a deep page is compared as a set. */
static void test_parallel_writers_merged_into_one_answer_alike(struct check *c)
{
    const struct fixture *f = c->ctx;
    char stub[400], text[256] = "";
    snprintf(stub, sizeof stub, "%s/XAPIANDB", f->merged);
    FILE *in = fopen(stub, "r");
    CHECK(c, in && fgets(text, sizeof text, in));
    if (in)
        fclose(in);
    CHECK(c, strcmp(text, "glass gen-000002\n") == 0);   /* one database */
    size_t asked = 0;
    int differ = compare_judged_queries(f->sd_one.port, f->sd_merged.port, &asked);
    fprintf(stderr, "  %zu answers compared, %d differ\n", asked, differ);
    CHECK(c, asked >= 200 && differ == 0);
    json_t *a = get_json(f->sd_one.port, "/api/search?q=segregation&size=100"),
           *b = get_json(f->sd_merged.port, "/api/search?q=segregation&size=100");
    char *sa = hit_set(a), *sb = hit_set(b);
    CHECK(c, a && b && json_equal(json_object_get(a, "total"), json_object_get(b, "total")) &&
                 json_equal(json_object_get(a, "facets"), json_object_get(b, "facets")));
    CHECK(c, sa && sb && strlen(sa) > 100 && strcmp(sa, sb) == 0);
    free(sa);
    free(sb);
    json_decref(a);
    json_decref(b);
}

/* The index folder's stub file, as text. */
static void read_stub(const struct fixture *f, char *text, size_t len)
{
    char path[1400];
    snprintf(path, sizeof path, "%s/XAPIANDB", f->three);
    FILE *stub = fopen(path, "r");
    size_t n = stub ? fread(text, 1, len - 1, stub) : 0;
    text[n] = '\0';
    if (stub)
        fclose(stub);
}

static void test_stub_names_the_shards_and_stats_count_them(struct check *c)
{
    const struct fixture *f = c->ctx;
    char text[512];
    read_stub(f, text, sizeof text);
    /* The first run filled generation 1 and compacted it into 2. */
    CHECK(c, strcmp(text, "glass gen-000002/shard-0\nglass gen-000002/shard-1\n"
                          "glass gen-000002/shard-2\n") == 0);
    char indexer[512], *out = NULL;
    prog_path("indexer", indexer, sizeof indexer);
    char *argv[] = {indexer, "--db", (char *)f->three, "--stats", NULL};
    CHECK(c, run_prog(argv, NULL, &out, NULL) == 0);
    CHECK(c, out && strstr(out, "documents   88\n") && strstr(out, "shards      3\n"));
    free(out);
    /* Every shard holds some of the pages, and together all of them. */
    unsigned total = 0;
    for (int i = 0; i < 3; i++) {
        char shard[1400];
        snprintf(shard, sizeof shard, "%s/gen-000002/shard-%d", f->three, i);
        char *sa[] = {indexer, "--db", shard, "--stats", NULL};
        out = NULL;
        CHECK(c, run_prog(sa, NULL, &out, NULL) == 0);
        const char *d = out ? strstr(out, "documents   ") : NULL;
        unsigned k = d ? (unsigned)atoi(d + 12) : 0;
        CHECK(c, k > 10);
        total += k;
        free(out);
    }
    CHECK(c, total == 88);
    /* A later run without --shards keeps them; another number needs --rebuild. */
    CHECK(c, index_corpus(f->three, NULL, NULL) == 0);
    CHECK(c, index_corpus(f->three, "2", NULL) == 2);
}

static void test_writes_reach_the_right_shard(struct check *c)
{
    const struct fixture *f = c->ctx;
    const char *body = "{\"title\":\"Delat index i Kiruna\",\"body\":\"Skärvor av ett index.\"}";
    char auth[128];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s\r\n", TOKEN);
    struct http_reply r;
    for (int i = 0; i < 6; i++) {
        char target[64];
        snprintf(target, sizeof target, "/api/documents/skarva-%d", i);
        CHECK(c, http_request(f->sd_three.port, "PUT", target, auth, body, strlen(body), &r) == 0);
        CHECK(c, r.status == 200 || r.status == 201);
        http_reply_dispose(&r);
    }
    CHECK(c, http_search_total(f->sd_three.port, "q=sk%C3%A4rvor") == 6);
    CHECK(c, http_request(f->sd_three.port, "DELETE", "/api/documents/skarva-0", auth, NULL, 0,
                          &r) == 0 && r.status == 204);
    http_reply_dispose(&r);
    char indexer[512], *out = NULL;
    prog_path("indexer", indexer, sizeof indexer);
    char *argv[] = {indexer, "--db", (char *)f->three, "--delete", "skarva-1", "skarva-2", NULL};
    CHECK(c, run_prog(argv, NULL, &out, NULL) == 0 && out && strstr(out, "deleted 2"));
    free(out);
    CHECK(c, http_search_total(f->sd_three.port, "q=sk%C3%A4rvor") == 3);
    CHECK(c, http_request(f->sd_three.port, "GET", "/api/documents/skarva-5", NULL, NULL, 0, &r) ==
                 0 && r.status == 200 && strstr(r.body, "Delat index"));
    http_reply_dispose(&r);
    /* The rest goes again, so the indexes compare equal afterwards. */
    char *rest[] = {indexer, "--db", (char *)f->three, "--delete", "skarva-3", "skarva-4",
                    "skarva-5", NULL};
    CHECK(c, run_prog(rest, NULL, NULL, NULL) == 0);
    CHECK(c, http_search_total(f->sd_three.port, "q=sk%C3%A4rvor") == 0);
}

static void test_rebuild_changes_the_number_of_shards(struct check *c)
{
    const struct fixture *f = c->ctx;
    CHECK(c, index_corpus(f->three, "2", "--rebuild") == 0);
    char text[512];
    read_stub(f, text, sizeof text);
    CHECK(c, strcmp(text, "glass gen-000004/shard-0\nglass gen-000004/shard-1\n") == 0);
    /* searchd moves over by itself, and still agrees with the single index. */
    size_t asked = 0;
    int differ = compare_judged_queries(f->sd_one.port, f->sd_three.port, &asked);
    CHECK(c, asked >= 200 && differ == 0);
    CHECK(c, http_search_total(f->sd_three.port, "q=segregation") ==
                 http_search_total(f->sd_one.port, "q=segregation"));
}

int main(void)
{
    struct check c = {0};
    struct fixture f = {0};
    if (tmpdir_make(f.dir, sizeof f.dir) < 0)
        return 1;
    snprintf(f.one, sizeof f.one, "%s/one", f.dir);
    snprintf(f.three, sizeof f.three, "%s/three", f.dir);
    snprintf(f.merged, sizeof f.merged, "%s/merged", f.dir);
    snprintf(f.token, sizeof f.token, "%s/token", f.dir);
    if (token_file_write(f.token, TOKEN) < 0)
        return 1;
    const char *extra[] = {"--admin-token-file", f.token, NULL};
    /* One writer thread, as the shards' documents are numbered alike. */
    if (index_corpus(f.one, NULL, "--writers=1") != 0 || index_corpus(f.three, "3", NULL) != 0 ||
        index_corpus(f.merged, NULL, "--writers=3") != 0 ||
        searchd_start(&f.sd_one, f.one, NULL) < 0 ||
        searchd_start(&f.sd_three, f.three, extra) < 0 ||
        searchd_start(&f.sd_merged, f.merged, NULL) < 0) {
        tmpdir_remove(f.dir);
        return 1;
    }
    c.ctx = &f;
    RUN(&c, test_sharded_answers_equal_unsharded_ones);
    RUN(&c, test_parallel_writers_merged_into_one_answer_alike);
    RUN(&c, test_stub_names_the_shards_and_stats_count_them);
    RUN(&c, test_writes_reach_the_right_shard);
    RUN(&c, test_rebuild_changes_the_number_of_shards);
    c.failed += searchd_stop(&f.sd_one) != 0;
    c.failed += searchd_stop(&f.sd_three) != 0;
    c.failed += searchd_stop(&f.sd_merged) != 0;
    tmpdir_remove(f.dir);
    return check_report(&c, "test_shards");
}
