/* bench_put.c: time from an editor's PUT to the document being searchable,
 * against a real searchd on loopback over the index given (argv[1]), with
 * N PUTs of new documents one after the other. Prints p50 and p99 of the
 * PUT's round trip and of PUT-to-first-hit (the search is retried until
 * the new document is found). */
#include "support.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define TOKEN "bench-token-0123456789abcdef"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static long found(unsigned port, const char *word)
{
    char target[256];
    snprintf(target, sizeof target, "/api/search?q=%s&size=1", word);
    struct http_reply r;
    if (http_request(port, "GET", target, NULL, NULL, 0, &r) < 0)
        return -1;
    json_t *a = json_loads(r.body, 0, NULL);
    long n = (long)json_integer_value(json_object_get(a, "total"));
    json_decref(a);
    http_reply_dispose(&r);
    return n;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_put INDEX [N]\n");
        return 2;
    }
    int n = argc > 2 ? atoi(argv[2]) : 200;
    char dir[256], token[300];
    if (n < 1 || n > 100000 || tmpdir_make(dir, sizeof dir) < 0)
        return 2;
    snprintf(token, sizeof token, "%s/token", dir);
    FILE *f = fopen(token, "w");
    fputs(TOKEN "\n", f);
    fclose(f);
    chmod(token, 0600);
    const char *extra[] = {"--admin-token-file", token, NULL};
    struct searchd sd;
    if (searchd_start(&sd, argv[1], extra) < 0) {
        fprintf(stderr, "cannot start searchd over %s\n", argv[1]);
        return 1;
    }
    double *put = calloc((size_t)n, sizeof *put), *visible = calloc((size_t)n, sizeof *visible);
    int ok = 0;
    for (int i = 0; i < n; i++) {
        char target[128], body[256], word[64];
        snprintf(word, sizeof word, "benchord%dx", i);
        snprintf(target, sizeof target, "/api/documents/bench-%d-%ld", i, (long)time(NULL));
        snprintf(body, sizeof body, "{\"title\":\"Mätning %d\",\"body\":\"Ett ord: %s.\"}", i, word);
        double t0 = now_ms();
        struct http_reply r;
        if (http_request(sd.port, "PUT", target, "Authorization: Bearer " TOKEN "\r\n", body,
                         strlen(body), &r) < 0 || (r.status != 201 && r.status != 200)) {
            fprintf(stderr, "PUT %d failed\n", i);
            break;
        }
        http_reply_dispose(&r);
        put[ok] = now_ms() - t0;
        while (found(sd.port, word) < 1 && now_ms() - t0 < 10000)
            ;
        visible[ok++] = now_ms() - t0;
    }
    searchd_stop(&sd);
    tmpdir_remove(dir);
    qsort(put, (size_t)ok, sizeof *put, cmp);
    qsort(visible, (size_t)ok, sizeof *visible, cmp);
    if (ok) {
        printf("PUTs                 %d\n", ok);
        printf("PUT round trip       p50 %.2f ms   p99 %.2f ms\n", put[ok / 2], put[ok * 99 / 100]);
        printf("PUT to searchable    p50 %.2f ms   p99 %.2f ms\n", visible[ok / 2],
               visible[ok * 99 / 100]);
    }
    free(put);
    free(visible);
    return ok == n ? 0 : 1;
}
