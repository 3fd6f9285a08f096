/* tier.c: see tier.h. */
#include "tier.h"

#include "buf.h"
#include "schema.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Xapian 1.4's BM25Weight defaults, which the searches use. */
#define BM25_K1 1.0
#define BM25_B 0.5
#define BM25_MIN_NORMLEN 0.5

/* A document's stems of one prefix, as they come in its term list (in byte
 * order), each with its wdf: the stems one after the other in text. */
struct stems {
    struct buf text;
    size_t *at;
    unsigned *wdf;
    size_t n, cap;
    int nomem;
};

/* xc_term_visit_fn over "C" or "Z" terms: Z's field prefixes (ZS…, ZXO…)
 * are other fields' stems and left out. */
static int gather(void *ctx, const char *term, size_t len, unsigned wdf)
{
    struct stems *s = ctx;
    if (len < 2 || (term[1] >= 'A' && term[1] <= 'Z'))
        return 0;
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 256;
        size_t *at = realloc(s->at, cap * sizeof *at);
        if (at)
            s->at = at;
        unsigned *w = at ? realloc(s->wdf, cap * sizeof *w) : NULL;
        if (!w)
            return s->nomem = 1;
        s->wdf = w;
        s->cap = cap;
    }
    s->at[s->n] = s->text.len;
    s->wdf[s->n] = wdf;
    if (buf_append(&s->text, term + 1, len - 1) < 0 || buf_putc(&s->text, '\0') < 0)
        return s->nomem = 1;
    s->n++;
    return 0;
}

static void stems_dispose(struct stems *s)
{
    buf_dispose(&s->text);
    free(s->at);
    free(s->wdf);
}

static int add_tier(xc_doc *doc, const char *stem, lib_error *err)
{
    char term[SCHEMA_TERM_MAX + 1];
    size_t n = strlen(stem);
    if (n + strlen(TIER_PREFIX) > SCHEMA_TERM_MAX)
        return 0;   /* its Z term would have been too long as well */
    memcpy(term, TIER_PREFIX, strlen(TIER_PREFIX));
    memcpy(term + strlen(TIER_PREFIX), stem, n + 1);
    return xc_doc_add_boolean_term(doc, term, err);
}

/* Both lists are in byte order: walked together, each stem's Z and C wdf
 * are summed. (The terms are added after the walk: a document's term list
 * is not to change under its iterator.) */
int tier_add_terms(xc_doc *doc, lib_error *err)
{
    struct stems c = {BUF_INIT, NULL, NULL, 0, 0, 0}, z = {BUF_INIT, NULL, NULL, 0, 0, 0};
    int rc = xc_doc_each_term(doc, SCHEMA_PART, gather, &c, err);
    if (rc == 0)
        rc = xc_doc_each_term(doc, SCHEMA_STEM, gather, &z, err);
    if (rc == 0 && (c.nomem || z.nomem))
        rc = lib_error_nomem(err);
    size_t i = 0, j = 0;
    while (rc == 0 && (i < c.n || j < z.n)) {
        const char *cs = i < c.n ? c.text.data + c.at[i] : NULL;
        const char *zs = j < z.n ? z.text.data + z.at[j] : NULL;
        int cmp = !cs ? 1 : !zs ? -1 : strcmp(cs, zs);
        unsigned wdf = 0;
        const char *stem = cmp <= 0 ? cs : zs;
        if (cmp <= 0)
            wdf += c.wdf[i++];
        if (cmp >= 0)
            wdf += z.wdf[j++];
        if (wdf >= TIER_WDF)
            rc = add_tier(doc, stem, err);
    }
    if (rc == 0)
        rc = xc_doc_add_boolean_term(doc, TIER_PREFIX, err);
    stems_dispose(&c);
    stems_dispose(&z);
    return rc;
}

int tier_index_ready(xc_db *db, lib_error *err)
{
    unsigned freq = 0;
    int rc = xc_db_term_freq(db, TIER_PREFIX, &freq, err);
    return rc < 0 ? rc : freq > 0 && freq == xc_db_doc_count(db);
}

int tier_stats_of(struct tier_stats *out, xc_db *db, lib_error *err)
{
    unsigned lower = 0;
    double avg = 0;
    int rc = xc_db_length_stats(db, &avg, &lower, err);
    out->docs = xc_db_doc_count(db);
    out->avg_len = avg;
    out->min_len = lower;
    return rc;
}

double tier_group_freq(const struct tier_stats *s, double absent_share, unsigned nkeys)
{
    double f = s->docs * (1 - absent_share) - 0.5 * nkeys - 1;
    return f > 0 ? f : 0;
}

/* As BM25Weight::init and get_sumpart compute it (Xapian 1.4, no relevance
 * set, a query term's wqf 1, which a synonym group's is too). */
double tier_weight_bound(const struct tier_stats *s, double termfreq, unsigned wdf)
{
    if (!wdf || s->docs <= 0)
        return 0;
    double tf = termfreq > s->docs ? s->docs : termfreq < 0 ? 0 : termfreq;
    double tw = (s->docs - tf + 0.5) / (tf + 0.5);
    if (tw < 2)
        tw = tw * 0.5 + 1;
    double termweight = log(tw) * (BM25_K1 + 1);
    double normlen = s->avg_len > 0 ? s->min_len / s->avg_len : 0;
    if (normlen < BM25_MIN_NORMLEN)
        normlen = BM25_MIN_NORMLEN;
    double denom = BM25_K1 * (normlen * BM25_B + (1 - BM25_B)) + wdf;
    return termweight * (wdf / denom);
}
