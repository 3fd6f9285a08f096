/* bench_xapian.c: the in-process baseline for searchd: the same queries
 * run straight on Xapian in one thread (query built by lib/query.c, top 10
 * fetched with their stored data, decoded into fields and text as any use
 * of them must; any of the words when all of them match nothing, as searchd
 * does), no HTTP. Prints queries per second.
 * Usage: bench_xapian INDEX QUERIES_FILE [SECONDS] (one query per line). */
#include "analysis.h"
#include "doc_data.h"
#include "query.h"
#include "schema.h"
#include "xapian_c.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_xapian INDEX QUERIES [SECONDS]\n");
        return 2;
    }
    double seconds = argc > 3 ? atof(argv[3]) : 10;
    FILE *f = fopen(argv[2], "r");
    char **qs = NULL, line[1024];
    size_t n = 0;
    while (f && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        qs = realloc(qs, (n + 1) * sizeof *qs);
        qs[n++] = strdup(line);
    }
    if (f)
        fclose(f);
    xc_db *db = NULL;
    xc_error xe = {0};
    char *mode_name = NULL, lex_path[4096];
    struct analyzer *an = NULL;
    struct lexicon *lex = NULL;
    enum an_mode mode = AN_FULL;
    if (!n || xc_db_open(&db, argv[1], &xe) < 0) {
        fprintf(stderr, "no queries, or cannot open %s: %s\n", argv[1], xe.message);
        return 1;
    }
    xc_db_get_metadata(db, SCHEMA_META_ANALYSIS, &mode_name, NULL, NULL);
    if (mode_name && *mode_name)
        an_mode_parse(&mode, mode_name);
    free(mode_name);
    lib_error le;
    if ((mode == AN_FULL &&
         lex_open(&lex, an_default_lexicon(lex_path, sizeof lex_path), &le) < 0) ||
        an_new(&an, mode, lex, &le) < 0) {
        fprintf(stderr, "%s\n", le.message);
        return 1;
    }
    struct query_ctx qc = {an, db, NULL};
    unsigned long done = 0, hits = 0;
    /* The text was inflated by Xapian when it was stored as zlib would
     * have it; now it is a zstd frame, decompressed here. */
    struct doc_text text = DOC_TEXT_INIT;
    double start = now_s(), end = start + seconds;
    while (now_s() < end) {
        for (size_t i = 0; i < n && (i % 64 || now_s() < end); i++) {
            struct query_result qr;
            xc_enquire *e = NULL;
            xc_mset *m = NULL;
            if (query_build(&qr, &qc, qs[i], &xe) != 0)
                continue;
            if (qr.query && xc_enquire_new(&e, db, &xe) == 0 &&
                xc_enquire_set_query(e, qr.query, &xe) == 0 &&
                xc_enquire_get_mset(e, 0, 10, 0, &m, &xe) == 0 &&
                /* as searchd: any of the words when all of them match nothing */
                (xc_mset_size(m) || !qr.any_word ||
                 (xc_mset_free(m), m = NULL, xc_enquire_set_query(e, qr.any_word, &xe) == 0 &&
                  xc_enquire_get_mset(e, 0, 10, 0, &m, &xe) == 0))) {
                for (unsigned k = 0; k < xc_mset_size(m); k++) {
                    xc_doc *d = NULL;
                    char *data = NULL;
                    size_t len;
                    json_t *fields = NULL;
                    const char *body;
                    size_t body_len;
                    if (xc_mset_document(m, k, &d, NULL) == 0 &&
                        xc_doc_get_data(d, &data, &len, NULL) == 0 &&
                        doc_data_decode(&fields, &body, &body_len, &text, data, len) == 0)
                        hits++;
                    json_decref(fields);
                    free(data);
                    xc_doc_free(d);
                }
            }
            xc_mset_free(m);
            xc_enquire_free(e);
            query_result_dispose(&qr);
            done++;
        }
    }
    double took = now_s() - start;
    printf("in-process Xapian, 1 thread: %.0f queries/s (%lu queries, %lu hits read)\n",
           (double)done / took, done, hits);
    doc_text_dispose(&text);
    for (size_t i = 0; i < n; i++)
        free(qs[i]);
    free(qs);
    an_free(an);
    lex_free(lex);
    xc_db_free(db);
    return 0;
}
