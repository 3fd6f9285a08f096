/* tier.c: see tier.h. */
#include "tier.h"

#include "buf.h"
#include "schema.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Xapian 1.4's BM25Weight defaults, which the searches use. */
#define BM25_K1 1.0
#define BM25_B 0.5
#define BM25_MIN_NORMLEN 0.5

/* Level k holds the impacts wdf / (wdf + K) of a ratio wdf / K from
 * RATIO_0 * RATIO_STEP^k up: from 0.72 (a page of mean length holding the
 * stem three times) to 0.97, closer together near the top, where the
 * commonest words' best pages are told apart. (Starting at 0.75 with 16
 * levels wrote 57 % more tier terms than at 0.8 and ranked fewer searches
 * in the tiers. Three levels under 0.8 with the top kept, as here, wrote
 * 0.7 % more index and took 3 % longer to index than 0.8 in 16 levels,
 * and ranked in the tiers the two-word searches whose best pages hold
 * both words under 0.8, which 0.8 ranked whole: on 200,000 generated
 * pages, the p99 of 300 two-word searches went from 12.2-12.8 to
 * 9.2-10.1 ms in-process.) */
#define RATIO_0 2.63
#define RATIO_STEP 1.15

double tier_level_ratio(int k)
{
    double r = RATIO_0;
    for (int i = 0; i < k; i++)
        r *= RATIO_STEP;
    return r;
}

/* BM25's K for a document of length len at mean length avg. */
static double bm25_k(double len, double avg)
{
    double normlen = avg > 0 ? len / avg : 0;
    if (normlen < BM25_MIN_NORMLEN)
        normlen = BM25_MIN_NORMLEN;
    return BM25_K1 * (normlen * BM25_B + (1 - BM25_B));
}

/* A document's stems (or keys) of one prefix, as they come in its term list (in byte
 * order), each with its wdf: the stems one after the other in text. */
struct stems {
    struct buf text;
    size_t *at;
    unsigned *wdf;
    size_t n, cap;
    int nomem;
};

/* xc_term_visit_fn over "C", "Z" or "F" terms: Z's field prefixes (ZS…,
 * ZXO…) are other fields' stems and left out. */
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

int tier_term(char out[TIER_TERM_MAX], int level, enum tier_kind kind, const char *key)
{
    const char *prefix = kind == TIER_UNACCENT ? TIER_UNACCENT_PREFIX
                         : kind == TIER_OWN    ? TIER_OWN_PREFIX
                                               : TIER_PREFIX;
    size_t n = strlen(key), p = strlen(prefix);
    if (level < 0 || level >= TIER_LEVELS || p + 1 + n > SCHEMA_TERM_MAX)
        return -1;
    memcpy(out, prefix, p);
    out[p] = (char)('A' + level);
    memcpy(out + p + 1, key, n + 1);
    return 0;
}

/* The level of wdf / K (-1: under level 0). */
static int level_of(double ratio)
{
    int k = -1;
    double r = RATIO_0;
    while (k + 1 < TIER_LEVELS && ratio >= r) {
        k++;
        r *= RATIO_STEP;
    }
    return k;
}

static int add_tier(xc_doc *doc, enum tier_kind kind, const char *key, int level, lib_error *err)
{
    char term[TIER_TERM_MAX];
    if (level < 0 || tier_term(term, level, kind, key) < 0)
        return 0;
    return xc_doc_add_boolean_term(doc, term, err);
}

/* The stem's SCHEMA_STEM_ALL term, wdf its Z + C (a stem fits a term
 * behind Z or C, and so behind D). */
static int add_all(xc_doc *doc, const char *stem, unsigned wdf, lib_error *err)
{
    char term[SCHEMA_TERM_MAX + 1];
    size_t n = strlen(stem);
    if (n + 1 > SCHEMA_TERM_MAX)
        return 0;
    term[0] = SCHEMA_STEM_ALL[0];
    memcpy(term + 1, stem, n + 1);
    return xc_doc_add_term(doc, term, wdf, err);
}

/* The level of the mean of the impacts of ratios all (Z + C) and own (Z):
 * level_of the ratio whose impact that mean is (an impact x = r / (r + 1)
 * is the ratio x / (1 - x); the mean of two finite ratios' is under 1). */
static int own_level_of(double all, double own)
{
    double mean = (all / (all + 1) + own / (own + 1)) / 2;
    return level_of(mean / (1 - mean));
}

/* Both stem lists are in byte order: walked together, each stem's Z and C
 * wdf are summed, and written as its SCHEMA_STEM_ALL term. (The terms are
 * added after the walks: a document's term list is not to change under
 * its iterator.) The impacts are cut at the length those terms make. */
int tier_add_terms(xc_doc *doc, lib_error *err)
{
    struct stems c = {BUF_INIT, NULL, NULL, 0, 0, 0}, z = {BUF_INIT, NULL, NULL, 0, 0, 0},
                 f = {BUF_INIT, NULL, NULL, 0, 0, 0};
    unsigned long len = 0;
    int rc = xc_doc_length(doc, &len, err);
    if (rc == 0)
        rc = xc_doc_each_term(doc, SCHEMA_PART, gather, &c, err);
    if (rc == 0)
        rc = xc_doc_each_term(doc, SCHEMA_STEM, gather, &z, err);
    if (rc == 0)
        rc = xc_doc_each_term(doc, SCHEMA_UNACCENT, gather, &f, err);
    if (rc == 0 && (c.nomem || z.nomem || f.nomem))
        rc = lib_error_nomem(err);
    for (size_t n = 0; n < c.n; n++)
        len += c.wdf[n];
    for (size_t n = 0; n < z.n; n++)
        len += z.wdf[n];
    double k = bm25_k((double)len, TIER_AVGLEN_ALL);
    size_t i = 0, j = 0;
    while (rc == 0 && (i < c.n || j < z.n)) {
        const char *cs = i < c.n ? c.text.data + c.at[i] : NULL;
        const char *zs = j < z.n ? z.text.data + z.at[j] : NULL;
        int cmp = !cs ? 1 : !zs ? -1 : strcmp(cs, zs);
        unsigned wdf = 0, own = 0;
        const char *stem = cmp <= 0 ? cs : zs;
        if (cmp <= 0)
            wdf += c.wdf[i++];
        if (cmp >= 0)
            wdf += own = z.wdf[j++];
        rc = add_all(doc, stem, wdf, err);
        if (rc == 0)
            rc = add_tier(doc, TIER_STEM, stem, level_of(wdf / k), err);
        if (rc == 0)
            rc = add_tier(doc, TIER_OWN, stem, own_level_of(wdf / k, own / k), err);
    }
    for (size_t n = 0; rc == 0 && n < f.n; n++)
        rc = add_tier(doc, TIER_UNACCENT, f.text.data + f.at[n], level_of(f.wdf[n] / k), err);
    if (rc == 0)
        rc = xc_doc_add_boolean_term(doc, TIER_PREFIX, err);
    if (rc == 0)
        rc = xc_doc_add_boolean_term(doc, TIER_OWN_PREFIX, err);
    if (rc == 0)
        rc = xc_doc_add_boolean_term(doc, SCHEMA_STEM_ALL, err);
    stems_dispose(&c);
    stems_dispose(&z);
    stems_dispose(&f);
    return rc;
}

int tier_index_ready(xc_db *db, lib_error *err)
{
    unsigned freq = 0, own = 0, all = 0, docs = xc_db_doc_count(db);
    int rc = xc_db_term_freq(db, TIER_PREFIX, &freq, err);
    if (rc == 0)
        rc = xc_db_term_freq(db, TIER_OWN_PREFIX, &own, err);
    if (rc == 0)
        rc = xc_db_term_freq(db, SCHEMA_STEM_ALL, &all, err);
    if (rc < 0)
        return rc;
    if (!(freq > 0 && freq == docs))
        return 0;
    return own != docs ? TIER_READY : all == docs ? TIER_READY_ALL : TIER_READY_OWN;
}

int tier_index_tiered(xc_db *db)
{
    int ready = tier_index_ready(db, NULL);
    return ready > 0 ? ready : 0;
}

int tier_stats_of(struct tier_stats *out, xc_db *db, lib_error *err)
{
    double avg = 0;
    int rc = xc_db_avg_length(db, &avg, err);
    out->docs = xc_db_doc_count(db);
    out->avg_len = avg;
    out->impact_avg = TIER_AVGLEN;
    return rc;
}

double tier_group_freq(const struct tier_stats *s, double absent_share, unsigned nkeys)
{
    double f = s->docs * (1 - absent_share) - 0.5 * nkeys - 1;
    return f > 0 ? f : 0;
}

/* As BM25Weight::init computes it (Xapian 1.4, no relevance set, a query
 * term's wqf 1, which a synonym group's is too); get_sumpart multiplies it
 * by the impact wdf / (wdf + K). */
double tier_term_weight(const struct tier_stats *s, double termfreq)
{
    if (s->docs <= 0)
        return 0;
    double tf = termfreq > s->docs ? s->docs : termfreq < 0 ? 0 : termfreq;
    double tw = (s->docs - tf + 0.5) / (tf + 0.5);
    if (tw < 2)
        tw = tw * 0.5 + 1;
    return log(tw) * (BM25_K1 + 1);
}

/* As BM25Weight::get_sumpart's denominator less the wdf. */
double tier_bm25_norm(unsigned len, double len_factor)
{
    double normlen = len * len_factor;
    if (normlen < BM25_MIN_NORMLEN)
        normlen = BM25_MIN_NORMLEN;
    return BM25_K1 * (normlen * BM25_B + (1 - BM25_B));
}

/* Below level k, a stem's wdf < r_k K0 (K0 the document's K at T, the
 * mean length its impacts were cut at), so the group's wdf S < R K0, R the
 * levels' ratios summed. At the index's mean length A, K >= m K0 with m =
 * min(1, T / A): both of K's terms shrink by A / T at most, the clamp at
 * BM25_MIN_NORMLEN less. So S / (S + K) < R / (R + m). A document cut at
 * TIER_AVGLEN_ALL in an index searched at T = TIER_AVGLEN (not all of its
 * documents have SCHEMA_STEM_ALL terms) has a K0 no larger than at T, so
 * its levels are no lower and the bound holds for it too. */
double tier_impact_bound(const struct tier_stats *s, double ratios)
{
    if (ratios <= 0)
        return 0;
    double t = s->impact_avg;
    double m = s->avg_len > t ? t / s->avg_len : 1;
    return ratios / (ratios + m);
}
