/* test_relevance.c: the relevance suite. Indexes corpus/ twice with the real
 * indexer, once with the full Swedish analysis (and the synonyms file) and
 * once with plain Snowball, serves each with a real searchd, runs the judged
 * queries of tests/data/judged_queries.tsv through /api/search and prints
 * Success@3, MRR@10 and nDCG@10 per category, side by side. Fails when the
 * full analysis falls below the floors below or does not beat plain.
 * `-v` also prints each query's top 3. Run as `make relevance`. */
#include "check.h"
#include "support.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Floors for the full analysis, a little under what it reaches, so that a
 * change that costs relevance fails the build. */
#define FLOOR_SUCCESS3 0.95
#define FLOOR_MRR10 0.90
#define FLOOR_NDCG10 0.93

#define MAX_QUERIES 200
#define MAX_IDS 16

struct judged {
    char category[32];
    char query[256];
    char *top3[MAX_IDS], *top10[MAX_IDS];
    size_t n3, n10;
};

struct scores {
    double success3, mrr10, ndcg10;
    int n;
};

struct system {
    const char *name;
    char db[1024];
    struct searchd sd;
};

static size_t split_ids(char *s, char **out)
{
    size_t n = 0;
    for (char *tok = strtok(s, ","); tok && n < MAX_IDS; tok = strtok(NULL, ","))
        if (*tok)
            out[n++] = strdup(tok);
    return n;
}

static size_t read_judged(const char *path, struct judged *j)
{
    FILE *f = fopen(path, "r");
    char line[4096];
    size_t n = 0;
    while (f && n < MAX_QUERIES && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *fields[4] = {0};
        char *p = line;
        for (int i = 0; i < 4 && p; i++) {
            fields[i] = p;
            p = strchr(p, '\t');
            if (p)
                *p++ = '\0';
        }
        if (!fields[2])
            continue;
        struct judged *q = &j[n++];
        memset(q, 0, sizeof *q);
        snprintf(q->category, sizeof q->category, "%s", fields[0]);
        snprintf(q->query, sizeof q->query, "%s", fields[1]);
        q->n3 = split_ids(fields[2], q->top3);
        q->n10 = fields[3] ? split_ids(fields[3], q->top10) : 0;
    }
    if (f)
        fclose(f);
    return n;
}

static int in(char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return 1;
    return 0;
}

/* The ids of the first 10 hits; returns how many. */
static size_t top10(const struct system *s, const char *query, char ids[10][512])
{
    char *enc = url_encode(query), target[1024];
    snprintf(target, sizeof target, "/api/search?size=10&q=%s", enc ? enc : "");
    free(enc);
    struct http_reply r;
    size_t n = 0;
    if (http_request(s->sd.port, "GET", target, NULL, NULL, 0, &r) < 0)
        return 0;
    json_t *a = json_loads(r.body, 0, NULL);
    json_t *hits = json_object_get(a, "hits");
    for (size_t i = 0; i < json_array_size(hits) && n < 10; i++) {
        const char *id = json_string_value(json_object_get(json_array_get(hits, i), "id"));
        snprintf(ids[n++], 512, "%s", id ? id : "");
    }
    json_decref(a);
    http_reply_dispose(&r);
    return n;
}

/* Graded gain: 2 for a top-3 page, 1 for a further relevant one. */
static int grade(const struct judged *q, const char *id)
{
    return in(q->top3, q->n3, id) ? 2 : in(q->top10, q->n10, id) ? 1 : 0;
}

static void score_query(const struct judged *q, char ids[10][512], size_t n, struct scores *s)
{
    int success = 0;
    double rr = 0, dcg = 0, idcg = 0;
    for (size_t i = 0; i < n; i++) {
        int g = grade(q, ids[i]);
        if (g == 2 && i < 3)
            success = 1;
        if (g && rr == 0)
            rr = 1.0 / (double)(i + 1);
        dcg += (pow(2, g) - 1) / log2((double)i + 2);
    }
    for (size_t i = 0; i < q->n3 + q->n10 && i < 10; i++)
        idcg += (pow(2, i < q->n3 ? 2 : 1) - 1) / log2((double)i + 2);
    s->success3 += success;
    s->mrr10 += rr;
    s->ndcg10 += idcg > 0 ? dcg / idcg : 0;
    s->n++;
}

static void mean(struct scores *s)
{
    if (s->n) {
        s->success3 /= s->n;
        s->mrr10 /= s->n;
        s->ndcg10 /= s->n;
    }
}

static int start_system(struct system *s, const char *dir, const char *mode)
{
    char indexer[512];
    prog_path("indexer", indexer, sizeof indexer);
    snprintf(s->db, sizeof s->db, "%s/%s", dir, mode);
    char *argv[] = {indexer, "--quiet", "--db", s->db, "--analysis", (char *)mode,
                    "--synonyms", "config/synonyms.txt", "corpus", NULL};
    char *err = NULL;
    int rc = run_prog(argv, NULL, NULL, &err);
    if (rc != 0)
        fprintf(stderr, "indexer --analysis %s: exit %d: %s\n", mode, rc, err ? err : "");
    free(err);
    return rc == 0 ? searchd_start(&s->sd, s->db, NULL) : -1;
}

#define MAX_CATEGORIES 16

int main(int argc, char **argv)
{
    int verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
    struct check c = {0};
    static struct judged judged[MAX_QUERIES];
    size_t nq = read_judged("tests/data/judged_queries.tsv", judged);
    char dir[256];
    struct system sys[2] = {{.name = "full"}, {.name = "plain"}};
    if (nq < 60 || tmpdir_make(dir, sizeof dir) < 0) {
        fprintf(stderr, "need at least 60 judged queries (have %zu)\n", nq);
        return 1;
    }
    if (start_system(&sys[0], dir, "full") < 0 || start_system(&sys[1], dir, "plain") < 0) {
        tmpdir_remove(dir);
        return 1;
    }
    const char *cats[MAX_CATEGORIES];
    size_t ncat = 0;
    struct scores per[2][MAX_CATEGORIES + 1];
    memset(per, 0, sizeof per);
    for (size_t i = 0; i < nq; i++) {
        size_t k = 0;
        while (k < ncat && strcmp(cats[k], judged[i].category) != 0)
            k++;
        if (k == ncat && ncat < MAX_CATEGORIES)
            cats[ncat++] = judged[i].category;
        for (int s = 0; s < 2; s++) {
            char ids[10][512];
            size_t n = top10(&sys[s], judged[i].query, ids);
            score_query(&judged[i], ids, n, &per[s][k]);
            score_query(&judged[i], ids, n, &per[s][MAX_CATEGORIES]);
            if (verbose && s == 0 && !(n && grade(&judged[i], ids[0]) == 2))
                printf("  %-12s %-32s top: %s | %s | %s\n", judged[i].category,
                       judged[i].query, n > 0 ? ids[0] : "-", n > 1 ? ids[1] : "-",
                       n > 2 ? ids[2] : "-");
        }
    }
    printf("%-12s %5s | %-23s | %-23s\n", "", "", "full analysis", "plain Snowball");
    printf("%-12s %5s | %7s %7s %7s | %7s %7s %7s\n", "category", "n", "S@3", "MRR@10",
           "nDCG@10", "S@3", "MRR@10", "nDCG@10");
    for (size_t k = 0; k <= ncat; k++) {
        size_t idx = k == ncat ? MAX_CATEGORIES : k;
        mean(&per[0][idx]);
        mean(&per[1][idx]);
        printf("%-12s %5d | %7.3f %7.3f %7.3f | %7.3f %7.3f %7.3f\n",
               k == ncat ? "all" : cats[k], per[0][idx].n, per[0][idx].success3,
               per[0][idx].mrr10, per[0][idx].ndcg10, per[1][idx].success3, per[1][idx].mrr10,
               per[1][idx].ndcg10);
    }
    const struct scores *full = &per[0][MAX_CATEGORIES], *plain = &per[1][MAX_CATEGORIES];
    c.cur_name = "relevance_floors";
    CHECK(&c, full->success3 >= FLOOR_SUCCESS3);
    CHECK(&c, full->mrr10 >= FLOOR_MRR10);
    CHECK(&c, full->ndcg10 >= FLOOR_NDCG10);
    c.failed += c.cur_failures > 0;
    c.passed += c.cur_failures == 0;
    c.cur_name = "full_analysis_beats_plain_snowball";
    c.cur_failures = 0;
    CHECK(&c, full->success3 > plain->success3);
    CHECK(&c, full->ndcg10 > plain->ndcg10);
    c.failed += c.cur_failures > 0;
    c.passed += c.cur_failures == 0;
    for (int s = 0; s < 2; s++)
        if (searchd_stop(&sys[s].sd) != 0)
            c.failed++;
    tmpdir_remove(dir);
    for (size_t i = 0; i < nq; i++) {
        for (size_t k = 0; k < judged[i].n3; k++)
            free(judged[i].top3[k]);
        for (size_t k = 0; k < judged[i].n10; k++)
            free(judged[i].top10[k]);
    }
    return check_report(&c, "test_relevance");
}
