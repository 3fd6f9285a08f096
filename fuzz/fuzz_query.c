/* fuzz_query.c: libFuzzer target for what /api/search does with q: the
 * query string's percent-decoding (libmicrohttpd's, as searchd uses it), the
 * UTF-8 check, the parse (quotes, fields, operators) and the query built
 * with the Swedish analysis and spelling correction against a small real
 * index, run for its top 10 and its full count, then snippets. */
#include "analysis.h"
#include "doc.h"
#include "index_write.h"
#include "query.h"
#include "snippet.h"
#include "text.h"
#include "tier.h"
#include "xapian_c.h"

#include <ftw.h>
#include <microhttpd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The fuzzer process's fixture, set up once (libFuzzer calls the target
 * with the data only). */
static struct lexicon *lex;
static struct analyzer *an;
static xc_db *db;
static char dir[] = "/tmp/fuzz_query.XXXXXX";

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_index(void)
{
    xc_db_free(db);
    db = NULL;
    nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static const char *const bodies[][3] = {
    {"a", "Seminarium om segregation i Göteborg", "Bostadssegregationen ökar i städerna."},
    {"b", "Rapport om skolan", "Skolresultat och trösklar till arbetsmarknaden i Malmö."},
    {"c", "Bidrag till föreningar", "Nu kan föreningar i Borås söka bidrag för 2020."},
};

static void fail(const char *what, const char *why)
{
    fprintf(stderr, "fuzz_query: %s: %s\n", what, why);
    exit(1);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char path[4096];
    xc_error xe = {0};
    xc_wdb *w = NULL;
    if (lex_open(&lex, an_default_lexicon(path, sizeof path), &xe) < 0 ||
        an_new(&an, AN_FULL, lex, &xe) < 0)
        fail("analysis", xe.message);
    if (!mkdtemp(dir))
        fail("index", "cannot make a temporary directory");
    atexit(remove_index);
    if (xc_wdb_open(&w, dir, XC_WDB_CREATE_OR_OVERWRITE, &xe) < 0)
        fail("index", xe.message);
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        struct doc d = {0};
        d.id = (char *)bodies[i][0];
        d.title = (char *)bodies[i][1];
        d.body = (char *)bodies[i][2];
        enum iw_result res;
        if (iw_put(&res, w, an, &d, &xe) < 0)
            fail("index", xe.message);
    }
    if (xc_wdb_commit(w, &xe) < 0)
        fail("commit", xe.message);
    xc_wdb_free(w);
    if (xc_db_open(&db, dir, &xe) < 0)
        fail("open", xe.message);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;   /* searchd refuses a q over 1 KB; leave room for encoding */
    char *q = malloc(size + 1);
    if (!q)
        return 0;
    memcpy(q, data, size);
    q[size] = '\0';
    size_t len = MHD_http_unescape(q);
    if (len > size || !text_is_utf8(q, strlen(q))) {
        free(q);
        return 0;   /* searchd answers 400 here */
    }
    /* Two other languages, as an index holding such pages has: every word
     * is stemmed in them too, and the snippets read them. */
    static const struct schema_langs langs = {2, {"en", "fi"}};
    struct query_ctx qc = {an, db, NULL, &langs, tier_index_tiered(db)};
    struct query_result qr;
    xc_error xe = {0};
    if (query_build(&qr, &qc, q, &xe) == 0) {
        for (int pass = 0; pass < 2; pass++) {
            const xc_query *qq = pass ? qr.any_word : qr.query;
            xc_enquire *e = NULL;
            xc_mset *m = NULL;
            if (qq && xc_enquire_new(&e, db, &xe) == 0 && xc_enquire_set_query(e, qq, &xe) == 0 &&
                xc_enquire_get_mset(e, 0, 10, xc_db_doc_count(db), &m, &xe) == 0 &&
                xc_mset_size(m) > xc_db_doc_count(db))
                __builtin_trap();
            xc_mset_free(m);
            xc_enquire_free(e);
        }
        /* The query within its tiers (tier.h) at each attempt: a weight
         * bound that is a number (never NaN), a share in [0, 1], and where
         * the tiers' page weighs more than the bound, the page of every
         * match (search.c's tier_page); later attempts given the best last
         * hit of those before, as search.c gives it. */
        double below = 0;
        for (int a = 0; qr.query && qr.tier && a < TIER_ATTEMPTS; a++) {
            xc_query *tier = NULL, *in_tiers = NULL;
            double bound = 0, share = 0;
            if (tier_plan_query(&tier, &bound, &share, qr.tier, xc_db_doc_count(db), 0, a, below,
                                &xe) < 0 ||
                !(bound >= 0) || !(share >= 0 && share <= 1))
                __builtin_trap();
            xc_query *both[2] = {qr.query, tier};
            if (tier && xc_query_new_combine(&in_tiers, XC_OP_FILTER, both, 2, &xe) < 0)
                __builtin_trap();
            xc_mset *page[2] = {NULL, NULL};
            for (int k = 0; in_tiers && k < 2; k++) {
                xc_enquire *e = NULL;
                if (xc_enquire_new(&e, db, &xe) == 0 &&
                    xc_enquire_set_query(e, k ? in_tiers : qr.query, &xe) == 0)
                    xc_enquire_get_mset(e, 0, 3, 0, &page[k], &xe);
                xc_enquire_free(e);
            }
            if (page[1] && xc_mset_size(page[1]) == 3 && xc_mset_weight(page[1], 2) > below)
                below = xc_mset_weight(page[1], 2);
            if (page[0] && page[1] && xc_mset_size(page[1]) == 3 &&
                xc_mset_weight(page[1], 2) > bound * (1 + 1e-9))
                for (unsigned i = 0; i < 3; i++)
                    if (xc_mset_size(page[0]) != 3 ||
                        xc_mset_docid(page[0], i) != xc_mset_docid(page[1], i) ||
                        xc_mset_weight(page[0], i) != xc_mset_weight(page[1], i))
                        __builtin_trap();
            xc_mset_free(page[0]);
            xc_mset_free(page[1]);
            xc_query_free(in_tiers);
            xc_query_free(tier);
        }
        struct snippet_matcher *sm = NULL;
        int made = snippet_matcher_new(&sm, an, &qr.keys) == 0;
        for (size_t i = 0; made && i < 2 * (sizeof bodies / sizeof bodies[0]); i++) {
            char *s = NULL;
            size_t k = i % (sizeof bodies / sizeof bodies[0]);
            snippet_matcher_set_lang(sm, i < sizeof bodies / sizeof bodies[0] ? "sv" : "en");
            (void)snippet_make(&s, sm, bodies[k][2], strlen(bodies[k][2]), 240);
            if (s && !text_is_utf8(s, strlen(s)))
                __builtin_trap();
            free(s);
        }
        snippet_matcher_free(sm);
        query_result_dispose(&qr);
    } else if (xe.code != XC_E_NOMEM) {
        __builtin_trap();   /* any text is a query; only memory can fail */
    }
    free(q);
    return 0;
}
