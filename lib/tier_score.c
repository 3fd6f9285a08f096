/* tier_score.c: see tier_score.h. */
#include "tier_score.h"

#include "tier.h"
#include "tier_match.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A word's group may hold its stems, its forms without diacritics and its
 * stems in other languages: more keys than this and it is left to Xapian. */
#define WORD_KEYS_MAX 40
/* Words ANDed the scorer weighs at most (a longer query is ranked by
 * Xapian alone). */
#define WORDS_MAX 16
/* Each weight summed here may differ from Xapian's by a few units in the
 * last place (it sums in another order): the brackets widen by this. */
#define SUM_SLACK 1e-12

struct score_word {
    const struct posting_list *keys[WORD_KEYS_MAX];   /* its group's terms */
    size_t nkeys;
    const struct posting_list *own;                   /* its own stem, again */
    double group_lo, group_hi;   /* the group's weight at impact 1, bracketed */
    double own_weight;
};

struct tier_scorer {
    struct posting_cache *cache;
    const struct posting_list *lengths;
    double len_factor;                 /* 1 / the mean length, as Xapian's */
    struct score_word words[WORDS_MAX];
    size_t nwords;
    size_t nlists;                     /* the words' keys and own terms */
};

void tier_scorer_free(struct tier_scorer *s)
{
    if (!s)
        return;

    for (size_t i = 0; i < s->nwords; i++) {
        for (size_t k = 0; k < s->words[i].nkeys; k++)
            posting_cache_put(s->cache, s->words[i].keys[k]);
        posting_cache_put(s->cache, s->words[i].own);
    }
    posting_cache_put(s->cache, s->lengths);
    free(s);
}

/* Word i's lists and weights, its keys t[0..n) and its own term
 * t[WORD_KEYS_MAX]. A group of one key is that term (Xapian simplifies a
 * synonym of one), weighed by its exact frequency; a larger one by
 * Xapian's estimate, which is within half a document of the independent
 * keys' union at each of its n - 1 roundings. */
static int word_init(struct score_word *w, struct tier_scorer *s, xc_db *db,
                     char (*t)[TIER_TERM_MAX], size_t n, const struct tier_stats *st,
                     lib_error *err)
{
    double absent = 1;
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < n; k++) {
        rc = posting_cache_get(&w->keys[k], s->cache, db, t[k], err);
        if (rc == 0 && !w->keys[k])
            rc = 1;   /* not read now (posting_cache_get): Xapian weighs it */
        if (rc == 0) {
            w->nkeys++;
            absent *= 1 - (double)w->keys[k]->docs / st->docs;
        }
    }
    if (rc == 0)
        rc = posting_cache_get(&w->own, s->cache, db, t[WORD_KEYS_MAX], err);
    if (rc == 0 && !w->own)
        rc = 1;
    if (rc != 0)
        return rc;
    double est = n == 1 ? (double)w->keys[0]->docs : st->docs * (1 - absent);
    double slack = n == 1 ? 0 : 0.5 * (double)n + 1;
    w->group_lo = tier_term_weight(st, est + slack);   /* more documents weigh less */
    w->group_hi = tier_term_weight(st, est - slack);
    w->own_weight = tier_term_weight(st, (double)w->own->docs);
    return 0;
}

/* Each word's terms into terms (WORD_KEYS_MAX + 1 a word: its keys, their
 * number into nkeys[i], then its own term last) and all of them into names
 * (*n): 1, or 0 when a word's terms are not ones weighed here. */
#define PER_WORD (WORD_KEYS_MAX + 1)
static int words_terms(char (*terms)[TIER_TERM_MAX], size_t *nkeys, const char **names,
                       size_t *n, const struct tier_plan *plan, size_t nwords)
{
    *n = 0;
    for (size_t i = 0; i < nwords; i++) {
        char (*t)[TIER_TERM_MAX] = terms + i * PER_WORD;
        if (tier_plan_word_terms(plan, i, t, WORD_KEYS_MAX, &nkeys[i], t[WORD_KEYS_MAX]) < 0)
            return 0;
        for (size_t j = 0; j < nkeys[i]; j++)
            names[(*n)++] = t[j];
        names[(*n)++] = t[WORD_KEYS_MAX];
    }
    return 1;
}

int tier_scorer_new(struct tier_scorer **out, struct posting_cache *cache, xc_db *db,
                    const struct tier_plan *plan, int ask, lib_error *err)
{
    *out = NULL;
    size_t nwords = tier_plan_words(plan), nkeys[WORDS_MAX], nnames = 0;
    /* One database: the query of ids Xapian ranks last numbers the
     * documents as one database does (shards interleave theirs). */
    if (!cache || !nwords || nwords > WORDS_MAX || xc_db_shard_count(db) != 1 ||
        xc_db_has_remote(db))
        return 0;
    char (*terms)[TIER_TERM_MAX] = malloc(nwords * PER_WORD * sizeof *terms);
    const char **names = malloc(nwords * PER_WORD * sizeof *names);
    struct tier_scorer *s = calloc(1, sizeof *s);
    int rc = terms && names && s ? 0 : lib_error_nomem(err);
    /* Every list held or read now, or none asked for (1: weighed by Xapian). */
    if (rc == 0 && (!words_terms(terms, nkeys, names, &nnames, plan, nwords) ||
                    !posting_cache_admits(cache, db, names, nnames, ask)))
        rc = 1;
    unsigned long long total = 0;
    struct tier_stats st = {.docs = xc_db_doc_count(db)};
    if (rc == 0) {
        s->cache = cache;
        s->nlists = nnames;
        rc = xc_db_total_length(db, &total, err);
    }
    if (rc == 0 && (st.docs <= 0 || total == 0))
        rc = 1;
    if (rc == 0) {
        /* As Xapian's matcher: the mean from the total, then its inverse. */
        double avg = (double)total / st.docs;
        s->len_factor = 1 / avg;
        st.avg_len = avg;
        rc = posting_cache_lengths(&s->lengths, cache, db, err);
        if (rc == 0 && !s->lengths)
            rc = 1;   /* being read */
    }
    for (size_t i = 0; rc == 0 && i < nwords; i++) {
        rc = word_init(&s->words[i], s, db, terms + i * PER_WORD, nkeys[i], &st, err);
        s->nwords = i + 1;   /* what it got is put back by the free */
    }
    free(terms);
    free(names);
    if (rc != 0) {
        tier_scorer_free(s);
        return rc < 0 ? rc : 0;
    }
    *out = s;
    return 0;
}

/* xc_docid_fn: appends docid to the struct tier_ids at ctx, noting when
 * the ids stop ascending (shards) and when memory ran out. */
static void collect(void *ctx, unsigned docid)
{
    struct tier_ids *c = ctx;
    if (c->n && docid < c->v[c->n - 1])
        c->unordered = 1;
    if (!c->failed && tier_ids_push(c, docid) < 0)
        c->failed = 1;
}

/* The k-th largest of v[0..n) (1 <= k <= n), by a heap of the k largest
 * seen (heap[0] the least of them): k is a page's hits, n the candidates. */
static double kth_largest(double *heap, const double *v, size_t n, size_t k)
{
    for (size_t i = 0; i < n; i++) {
        size_t at;
        if (i < k) {   /* sift up */
            at = i;
            while (at > 0 && heap[(at - 1) / 2] > v[i]) {
                heap[at] = heap[(at - 1) / 2];
                at = (at - 1) / 2;
            }
        } else if (v[i] > heap[0]) {   /* replaces the least: sift down */
            at = 0;
            for (;;) {
                size_t l = 2 * at + 1, r = l + 1, c = at;
                double cv = v[i];
                if (l < k && heap[l] < cv) {
                    c = l;
                    cv = heap[l];
                }
                if (r < k && heap[r] < cv)
                    c = r;
                if (c == at)
                    break;
                heap[at] = heap[c];
                at = c;
            }
        } else {
            continue;
        }
        heap[at] = v[i];
    }
    return heap[0];
}

/* The tier's documents, ascending, into cand: matched in memory
 * (tier_match.h), or by Xapian. */
static int tier_candidates(struct tier_ids *cand, struct tier_scorer *s, xc_db *db,
                           const xc_query *tier, lib_error *err)
{
    int rc = tier_match(cand, tier, s->cache, db, s->lengths->n, err);
    if (rc == 1) {   /* matched by Xapian */
        xc_count counted;
        cand->n = 0;
        cand->unordered = 0;
        rc = xc_db_count(&counted, db, tier, 0, collect, cand, err);
        if (rc == 0 && cand->failed)
            rc = lib_error_nomem(err);
        if (rc == 0 && cand->unordered)
            qsort(cand->v, cand->n, sizeof *cand->v, tier_ids_by_value);
    }
    return rc;
}

/* Document d's least and most weight, 0 when it does not match every word
 * (cursors: where each list's last look-up ended). */
static int weigh(double *lo, double *hi, const struct tier_scorer *s, size_t *cursors, unsigned d)
{
    unsigned len = d < s->lengths->n && s->lengths->wdf[d] != POSTING_ABSENT ? s->lengths->wdf[d] : 0;
    double K = tier_bm25_norm(len, s->len_factor);
    *lo = *hi = 0;
    size_t c = 0;
    for (size_t i = 0; i < s->nwords; i++) {
        const struct score_word *w = &s->words[i];
        unsigned long sum = 0;
        int in = 0;
        for (size_t k = 0; k < w->nkeys; k++) {
            long f = posting_list_wdf(w->keys[k], &cursors[c++], d);
            if (f >= 0) {
                in = 1;
                sum += (unsigned long)f;
            }
        }
        long own = posting_list_wdf(w->own, &cursors[c++], d);
        if (!in && own < 0)
            return 0;
        /* Xapian's synonym weighs a wdf no larger than the length. */
        double group = in ? (double)(sum > len ? len : sum) : 0;
        double g = in ? group / (K + group) : 0;
        double o = own > 0 ? (double)own / (K + (double)own) : 0;
        *lo += w->group_lo * g + w->own_weight * o;
        *hi += w->group_hi * g + w->own_weight * o;
    }
    *lo *= 1 - SUM_SLACK;
    *hi *= 1 + SUM_SLACK;
    return 1;
}

int tier_scorer_attempt(double *floor, unsigned **ids, size_t *n, struct tier_scorer *s,
                        xc_db *db, const xc_query *tier, unsigned want, lib_error *err)
{
    struct tier_ids cand = {0};
    double *lo = NULL, *hi = NULL, *tmp = NULL;
    size_t *cursors = NULL, lists = s->nlists, m = 0;
    *floor = 0;
    *ids = NULL;
    *n = 0;
    int rc = tier_candidates(&cand, s, db, tier, err);
    if (rc != 0)
        goto cleanup;
    cursors = calloc(lists + 1, sizeof *cursors);
    lo = malloc((cand.n ? cand.n : 1) * sizeof *lo);
    hi = malloc((cand.n ? cand.n : 1) * sizeof *hi);
    if (!cursors || !lo || !hi) {
        rc = lib_error_nomem(err);
        goto cleanup;
    }
    for (size_t i = 0; i < cand.n; i++) {
        if (i && cand.v[i] == cand.v[i - 1])
            continue;
        if (weigh(&lo[m], &hi[m], s, cursors, cand.v[i]))
            cand.v[m++] = cand.v[i];   /* the matches, in place */
    }
    double least = 0;
    if (want && m >= want) {
        if (!(tmp = malloc(want * sizeof *tmp))) {
            rc = lib_error_nomem(err);
            goto cleanup;
        }
        least = kth_largest(tmp, lo, m, want);
    }
    size_t kept = 0;
    for (size_t i = 0; i < m; i++)
        if (hi[i] >= least)
            cand.v[kept++] = cand.v[i];
    *floor = least;
    *ids = cand.v;
    *n = kept;
    cand.v = NULL;
cleanup:
    free(cand.v);
    free(cursors);
    free(lo);
    free(hi);
    free(tmp);
    return rc;
}

/* The least id past d in l (at its cursor *at), or UINT_MAX when none. */
static unsigned next_in(const struct posting_list *l, size_t *at, unsigned d)
{
    if (!l->ids) {
        for (size_t i = (size_t)d + 1; i < l->n; i++)
            if (l->wdf[i] != POSTING_ABSENT)
                return (unsigned)i;
        return UINT_MAX;
    }
    if (d == UINT_MAX)
        return UINT_MAX;
    posting_list_wdf(l, at, d + 1);
    return *at < l->n ? l->ids[*at] : UINT_MAX;
}

/* Whether word w holds d (cursors[c...]: its lists', ids ascending). */
static int word_has(const struct score_word *w, size_t *cursors, unsigned d)
{
    int in = 0;
    for (size_t k = 0; k < w->nkeys; k++)
        in |= posting_list_wdf(w->keys[k], &cursors[k], d) >= 0;
    return in || posting_list_wdf(w->own, &cursors[w->nkeys], d) >= 0;
}

/* Calls visit(ctx, d) for each match d of the query, in id order, within
 * in's documents when in is not NULL and past the id after, until visit
 * returns nonzero. The documents are walked along the rarest condition:
 * in's, or the word with the fewest documents (its lists merged); *steps
 * of its *total were walked. 0, or a negative code. */
static int walk(struct tier_scorer *s, const struct posting_list *in, unsigned after,
                int (*visit)(void *, unsigned), void *ctx, double *steps, double *total,
                lib_error *err)
{
    size_t lists = s->nlists;
    size_t *cursors = calloc(2 * lists + 1, sizeof *cursors), *drive_at = cursors + lists + 1;
    if (!cursors)
        return lib_error_nomem(err);
    size_t driver = 0;
    double least = HUGE_VAL;
    for (size_t i = 0; i < s->nwords; i++) {
        double docs = 0;
        for (size_t k = 0; k < s->words[i].nkeys; k++)
            docs += (double)s->words[i].keys[k]->docs;
        if (docs < least) {
            least = docs;
            driver = i;
        }
    }
    const struct score_word *dw = &s->words[driver];
    int by_in = in && (double)in->docs < least;
    *total = by_in ? (double)in->docs : least;
    *steps = 0;
    for (unsigned d = after;;) {
        unsigned next = UINT_MAX;
        if (by_in) {
            next = next_in(in, &cursors[lists], d);
        } else {
            for (size_t k = 0; k <= dw->nkeys; k++) {
                unsigned x = next_in(k < dw->nkeys ? dw->keys[k] : dw->own, &drive_at[k], d);
                next = x < next ? x : next;
            }
        }
        if (next == UINT_MAX)
            break;
        d = next;
        (*steps)++;
        int all = !in || by_in || posting_list_wdf(in, &cursors[lists], d) >= 0;
        size_t c = 0;
        for (size_t i = 0; all && i < s->nwords; i++) {
            all = (i == driver && !by_in) || word_has(&s->words[i], &cursors[c], d);
            c += s->words[i].nkeys + 1;
        }
        if (all && visit(ctx, d))
            break;
    }
    free(cursors);
    return 0;
}

struct counting {
    xc_count *out;
    unsigned at_most;
    xc_docid_fn fn;
    void *ctx;
};

static int count_one(void *arg, unsigned d)
{
    struct counting *k = arg;
    if (k->at_most && k->out->counted == k->at_most) {   /* one more: not exact */
        k->out->exact = 0;
        return 1;
    }
    k->fn(k->ctx, d);
    k->out->counted++;
    k->out->through = d;
    return 0;
}

int tier_scorer_count(xc_count *out, struct tier_scorer *s, xc_db *db, const char *sample,
                      unsigned after, unsigned at_most, xc_docid_fn fn, void *ctx,
                      lib_error *err)
{
    const struct posting_list *in = NULL;
    *out = (xc_count){0, 0, 1, 0};
    if (sample && !posting_cache_admits(s->cache, db, &sample, 1, 1))
        return 1;   /* the sample's list not read now */
    int rc = sample ? posting_cache_get(&in, s->cache, db, sample, err) : 0;
    if (rc == 0 && sample && !in)
        return 1;
    struct counting k = {out, at_most, fn, ctx};
    double steps = 0, total = 0;
    if (rc == 0)
        rc = walk(s, in, after, count_one, &k, &steps, &total, err);
    /* Cut short: the matches so far, spread over the rest of the walk as
     * over its part done. */
    out->estimated = out->counted;
    if (!out->exact && steps > 0)
        out->estimated = (unsigned)fmax(out->counted + 1.0, out->counted * fmax(total, steps) / steps);
    if (out->exact)
        out->through = 0;
    posting_cache_put(s->cache, in);
    return rc;
}

struct weighing {
    struct tier_scorer *s;
    size_t *cursors;
    struct tier_ids ids;
    double *lo, *hi;
    size_t cap;
    int failed;
};

static int weigh_one(void *arg, unsigned d)
{
    struct weighing *w = arg;
    if (w->ids.n == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 4096;
        double *lo = realloc(w->lo, cap * sizeof *lo), *hi = lo ? realloc(w->hi, cap * sizeof *hi) : NULL;
        if (lo)
            w->lo = lo;
        if (hi)
            w->hi = hi;
        if (!lo || !hi) {
            w->failed = 1;
            return 1;
        }
        w->cap = cap;
    }
    if (tier_ids_push(&w->ids, d) < 0) {
        w->failed = 1;
        return 1;
    }
    weigh(&w->lo[w->ids.n - 1], &w->hi[w->ids.n - 1], w->s, w->cursors, d);
    return 0;
}

int tier_scorer_whole(double *floor, unsigned **ids, size_t *n, struct tier_scorer *s,
                      unsigned want, lib_error *err)
{
    struct weighing w = {s, NULL, {0}, NULL, NULL, 0, 0};
    double steps = 0, total = 0, *heap = NULL;
    *floor = 0;
    *ids = NULL;
    *n = 0;
    int rc = (w.cursors = calloc(s->nlists + 1, sizeof *w.cursors)) ? 0 : lib_error_nomem(err);
    if (rc == 0)
        rc = walk(s, NULL, 0, weigh_one, &w, &steps, &total, err);
    if (rc == 0 && w.failed)
        rc = lib_error_nomem(err);
    double least = 0;
    if (rc == 0 && want && w.ids.n >= want) {
        if (!(heap = malloc(want * sizeof *heap)))
            rc = lib_error_nomem(err);
        else
            least = kth_largest(heap, w.lo, w.ids.n, want);
    }
    size_t kept = 0;
    for (size_t i = 0; rc == 0 && i < w.ids.n; i++)
        if (w.hi[i] >= least)
            w.ids.v[kept++] = w.ids.v[i];
    if (rc == 0) {
        *floor = least;
        *ids = w.ids.v;
        *n = kept;
        w.ids.v = NULL;
    }
    free(w.ids.v);
    free(w.lo);
    free(w.hi);
    free(w.cursors);
    free(heap);
    return rc;
}
