/* answers.c: see answers.h. */
#include "answers.h"

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int index_corpus(const char *db, const char *shards, const char *extra)
{
    char indexer[512];
    prog_path("indexer", indexer, sizeof indexer);
    char *argv[12] = {indexer, "--quiet", "--db", (char *)db, "--synonyms",
                      "config/synonyms.txt"};
    int n = 6;
    if (extra)
        argv[n++] = (char *)extra;
    if (shards) {
        argv[n++] = "--shards";
        argv[n++] = (char *)shards;
    }
    argv[n++] = "corpus";
    argv[n] = NULL;
    char *err = NULL;
    int rc = run_prog(argv, NULL, NULL, &err);
    if (rc != 0)
        fprintf(stderr, "  indexer: exit %d: %s\n", rc, err ? err : "");
    free(err);
    return rc;
}

json_t *get_json(unsigned port, const char *target)
{
    struct http_reply r;
    if (http_request(port, "GET", target, NULL, NULL, 0, &r) < 0)
        return NULL;
    json_t *j = r.status == 200 ? json_loads(r.body, 0, NULL) : NULL;
    http_reply_dispose(&r);
    return j;
}

json_t *get_json_status(unsigned port, const char *target, int *status)
{
    struct http_reply r;
    *status = 0;
    if (http_request(port, "GET", target, NULL, NULL, 0, &r) < 0)
        return NULL;
    *status = r.status;
    json_t *j = json_loads(r.body, 0, NULL);
    http_reply_dispose(&r);
    return j;
}

int same_answer(json_t *a, json_t *b)
{
    const char *keys[] = {"total", "facets", "suggestion", "any_word"};
    if (!a || !b)
        return 0;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!json_equal(json_object_get(a, keys[i]), json_object_get(b, keys[i])))
            return 0;
    json_t *ha = json_object_get(a, "hits"), *hb = json_object_get(b, "hits");
    if (json_array_size(ha) != json_array_size(hb))
        return 0;
    for (size_t i = 0; i < json_array_size(ha); i++)
        if (!json_equal(json_object_get(json_array_get(ha, i), "id"),
                        json_object_get(json_array_get(hb, i), "id")))
            return 0;
    return 1;
}

/* Compares the answers of both searchds to target; 1 when they differ. */
static int compare(unsigned port_a, unsigned port_b, const char *target)
{
    json_t *a = get_json(port_a, target), *b = get_json(port_b, target);
    int same = same_answer(a, b);
    if (!same)
        fprintf(stderr, "  %s: the answers differ\n", target);
    json_decref(a);
    json_decref(b);
    return !same;
}

int compare_judged_queries(unsigned port_a, unsigned port_b, size_t *asked)
{
    FILE *tsv = fopen("tests/data/judged_queries.tsv", "r");
    char line[2048];
    int differ = 0;
    *asked = 0;
    while (tsv && fgets(line, sizeof line, tsv)) {
        char *tab = strchr(line, '\t'), *q = tab ? tab + 1 : NULL, *end = q ? strchr(q, '\t') : NULL;
        if (line[0] == '#' || !end)
            continue;
        *end = '\0';
        char *enc = url_encode(q);
        const char *variants[] = {"", "&page=2&size=5", "&sort=date"};
        for (size_t v = 0; enc && v < 3; v++) {
            char target[1200];
            snprintf(target, sizeof target, "/api/search?q=%s%s", enc, variants[v]);
            differ += compare(port_a, port_b, target);
            ++*asked;
        }
        free(enc);
    }
    if (tsv)
        fclose(tsv);
    return differ;
}
