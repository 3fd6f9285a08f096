/* tier_plan.c: see tier_plan.h. */
#include "tier_plan.h"

#include "schema.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A word's other stem (or unaccented key) holding up to this share of the
 * word's matches is ranked whole: its matches cost less to rank than the
 * looser bound its levels would give, which made the first attempt fail
 * for common words ("mål", "många"). (On 200,000 generated pages, 0.3 left
 * 5 of 300 one-word searches to the second attempt where none left 14, and
 * ran them 1.12x as fast; 0.125 and 0.5 did about as well. At a million
 * pages 0.3 ranked a fifth of the matches of "förstudie" and "goda" whole,
 * 10-17 ms; 0.1 took the one-word p99 from 10.7-11.4 ms to 9.8-10.5 in
 * alternating rounds, the means and the load as before.) */
#define WHOLE_SHARE 0.1

struct plan_stem {
    char *stem;
    enum tier_kind kind;          /* of its level terms: TIER_UNACCENT for a key
                                     without diacritics (F), not a stem */
    double docs;                  /* documents holding it (Z and C summed, or F) */
    unsigned z;                   /* of which as a word (Z) */
    unsigned freq[TIER_LEVELS];   /* documents at each level (read when the
                                     tiers are first tried: most searches
                                     never need them) */
    int all;                      /* matched as one SCHEMA_STEM_ALL term */
};

struct plan_word {
    size_t first, n;          /* its stems, plan->stems[first, first + n) */
    size_t first_key, nkeys;  /* its keys without tiers, plan->key_terms[first_key, +nkeys) */
    double group;             /* its group's frequency, as Xapian estimates it */
    double keys_docs;         /* documents of its keys without tiers */
    double syn_weight;        /* BM25's weight of the group at impact 1 */
    double own_weight;        /* and of its own stem's Z term */
};

struct tier_plan {
    xc_db *db;
    int own_levels;           /* the index has TIER_OWN levels */
    int all;                  /* and SCHEMA_STEM_ALL terms */
    struct tier_stats stats;
    xc_query **whole;         /* ranked first whole */
    size_t nwhole, capwhole;
    int unknown;              /* a clause ranked whole whose share is unknown */
    struct plan_stem *stems;
    size_t nstems, capstems;
    struct plan_word *words;
    size_t nwords, capwords;
    char **key_terms;         /* the words' keys without tiers */
    size_t nkey_terms, capkey_terms;
    int levels_read;          /* the stems' freq */
    /* the word being built */
    size_t first, first_key;
    unsigned keys;
    double absent, keys_docs;
};

/* prefix + body into term: -1 when longer than a term may be. */
static int key_term(char term[SCHEMA_TERM_MAX + 1], const char *prefix, const char *body)
{
    size_t lp = strlen(prefix), lb = strlen(body);
    if (lp + lb > SCHEMA_TERM_MAX)
        return -1;
    memcpy(term, prefix, lp);
    memcpy(term + lp, body, lb + 1);
    return 0;
}

static unsigned freq_of(const struct tier_plan *p, const char *prefix, const char *body)
{
    char term[SCHEMA_TERM_MAX + 1];
    unsigned n = 0;
    if (key_term(term, prefix, body) == 0)
        xc_db_term_freq(p->db, term, &n, NULL);
    return n;
}

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 8;
    void *q = realloc(*v, c * size);
    if (!q)
        return -1;
    *v = q;
    *cap = c;
    return 0;
}

int tier_plan_new(struct tier_plan **out, xc_db *db, int ready, lib_error *err)
{
    struct tier_plan *p = calloc(1, sizeof *p);
    *out = NULL;
    if (!p)
        return lib_error_nomem(err);
    p->db = db;
    p->own_levels = ready >= TIER_READY_OWN;
    p->all = ready == TIER_READY_ALL;
    int rc = tier_stats_of(&p->stats, db, err);
    if (rc != 0) {
        free(p);
        return rc;
    }
    if (p->all)
        p->stats.impact_avg = TIER_AVGLEN_ALL;
    tier_plan_word_start(p);
    *out = p;
    return 0;
}

void tier_plan_free(struct tier_plan *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nwhole; i++)
        xc_query_free(p->whole[i]);
    for (size_t i = 0; i < p->nstems; i++)
        free(p->stems[i].stem);
    for (size_t i = 0; i < p->nkey_terms; i++)
        free(p->key_terms[i]);
    free(p->key_terms);
    free(p->whole);
    free(p->stems);
    free(p->words);
    free(p);
}

void tier_plan_word_start(struct tier_plan *p)
{
    p->first = p->nstems;
    p->first_key = p->nkey_terms;
    p->keys = 0;
    p->absent = 1;
    p->keys_docs = 0;
}

static int push_whole(struct tier_plan *p, xc_query *q, lib_error *err)
{
    if (grow((void **)&p->whole, &p->capwhole, p->nwhole, sizeof *p->whole) < 0) {
        xc_query_free(q);
        return lib_error_nomem(err);
    }
    p->whole[p->nwhole++] = q;
    return 0;
}

static void count_key(struct tier_plan *p, unsigned tf)
{
    p->keys++;
    if (p->stats.docs > 0)
        p->absent *= 1 - tf / p->stats.docs;
}

int tier_plan_key(struct tier_plan *p, const char *term, lib_error *err)
{
    unsigned tf = freq_of(p, "", term);
    xc_query *q = NULL;
    if (grow((void **)&p->key_terms, &p->capkey_terms, p->nkey_terms, sizeof *p->key_terms) < 0 ||
        !(p->key_terms[p->nkey_terms] = strdup(term)))
        return lib_error_nomem(err);
    p->nkey_terms++;
    count_key(p, tf);
    p->keys_docs += tf;
    int rc = xc_query_new_term(&q, term, 1, err);
    return rc ? rc : push_whole(p, q, err);
}

/* A key of the word with levels: a stem (Z and C) or an unaccented key. */
static int add_stem(struct tier_plan *p, const char *key, int unaccented, lib_error *err)
{
    if (grow((void **)&p->stems, &p->capstems, p->nstems, sizeof *p->stems) < 0)
        return lib_error_nomem(err);
    struct plan_stem *s = &p->stems[p->nstems];
    memset(s, 0, sizeof *s);
    if (!(s->stem = strdup(key)))
        return lib_error_nomem(err);
    p->nstems++;
    s->kind = unaccented                                       ? TIER_UNACCENT
              : p->own_levels && p->nstems - 1 == p->first ? TIER_OWN
                                                             : TIER_STEM;
    if (unaccented) {
        unsigned f = freq_of(p, SCHEMA_UNACCENT, key);
        count_key(p, f);
        s->docs = f;
    } else if (p->all) {
        unsigned d = freq_of(p, SCHEMA_STEM_ALL, key);
        count_key(p, d);
        s->docs = d;
        s->z = freq_of(p, SCHEMA_STEM, key);
        s->all = 1;
    } else {
        unsigned z = freq_of(p, SCHEMA_STEM, key), c = freq_of(p, SCHEMA_PART, key);
        count_key(p, z);
        count_key(p, c);
        s->docs = (double)z + c;
        s->z = z;
    }
    return 0;
}

/* The stems' documents at each level, asked all at once: over remote
 * shards that is one round trip, not one a term. Levels that could not be
 * read fail the search: taken as empty, they would leave their documents
 * out of the tiers and under a bound they may pass. */
static int read_levels(struct tier_plan *p, lib_error *err)
{
    if (p->levels_read)
        return 0;
    size_t n = 0, most = p->nstems * TIER_LEVELS;
    char (*terms)[TIER_TERM_MAX] = calloc(most, sizeof *terms);
    const char **names = calloc(most, sizeof *names);
    unsigned *freq = calloc(most, sizeof *freq);
    unsigned **to = calloc(most, sizeof *to);   /* where each frequency goes */
    int rc = terms && names && freq && to ? 0 : lib_error_nomem(err);
    for (size_t i = 0; rc == 0 && i < p->nstems; i++)
        for (int k = 0; k < TIER_LEVELS; k++)
            if (tier_term(terms[n], k, p->stems[i].kind, p->stems[i].stem) == 0) {
                names[n] = terms[n];
                to[n++] = &p->stems[i].freq[k];
            }
    if (rc == 0)
        rc = xc_db_term_freqs(p->db, names, n, freq, err);
    for (size_t i = 0; rc == 0 && i < n; i++)
        *to[i] = freq[i];
    p->levels_read = rc == 0;
    free(terms);
    free(names);
    free(freq);
    free(to);
    return rc;
}

int tier_plan_stem(struct tier_plan *p, const char *stem, lib_error *err)
{
    return add_stem(p, stem, 0, err);
}

int tier_plan_unaccented(struct tier_plan *p, const char *key, lib_error *err)
{
    return add_stem(p, key, 1, err);
}

int tier_plan_word_done(struct tier_plan *p, lib_error *err)
{
    if (p->nstems > p->first) {
        if (grow((void **)&p->words, &p->capwords, p->nwords, sizeof *p->words) < 0)
            return lib_error_nomem(err);
        struct plan_word *w = &p->words[p->nwords++];
        w->first = p->first;
        w->n = p->nstems - p->first;
        w->first_key = p->first_key;
        w->nkeys = p->nkey_terms - p->first_key;
        w->group = tier_group_freq(&p->stats, p->absent, p->keys);
        w->keys_docs = p->keys_docs;
        w->syn_weight = tier_term_weight(&p->stats, w->group);
        w->own_weight = tier_term_weight(&p->stats, p->stems[w->first].z);
        /* Own levels bound the group's weight and the stem's together
         * only for a stem weighing at least as much as the group (its
         * frequency is at most the group's, but the group's is estimated
         * less its rounding): a heavier group is bounded as if the stem
         * weighed as much. */
        if (p->stems[w->first].kind == TIER_OWN)
            w->own_weight = fmax(w->own_weight, w->syn_weight);
    }
    tier_plan_word_start(p);
    return 0;
}

int tier_plan_whole(struct tier_plan *p, const xc_query *q, lib_error *err)
{
    xc_query *copy = NULL;
    if (!q)
        return 0;
    p->unknown = 1;
    int rc = xc_query_copy(&copy, q, err);
    return rc ? rc : push_whole(p, copy, err);
}

int tier_plan_useful(const struct tier_plan *p)
{
    return p && p->nwords > 0;
}

/* The documents at level k or above of stem s. */
static double at_or_above(const struct plan_stem *s, int k)
{
    double n = 0;
    for (int j = k; j < TIER_LEVELS; j++)
        n += s->freq[j];
    return n;
}

/* Where a word's tiers begin, aiming at about aim matches: its own stem
 * (the first) and any other of its stems as common from the highest level
 * holding the word's share of the target; the other stems rarer than that
 * share, or than WHOLE_SHARE of the word's matches, are ranked whole
 * instead (level -1), so that a match outside holds none of them and they
 * add nothing to the bound.
 *
 * The words of a query must all match, so a match is in the tiers of each
 * about as often as the product of their shares says: each word gets the
 * n-th root of the target's share of the matches, and the target doubles
 * with each word (the bound sums theirs, and the matches above it are
 * fewer). A single word's level is the one whose next holds its share
 * (or, tight, the one holding it): a match just at a level weighs about
 * what the bound allows there, or a little less when the index's mean
 * length is over TIER_AVGLEN, so the page comes from those above it.
 * (Measured on 200,000 generated pages when the loose level came first:
 * with it, fewer one-word pages needed a second attempt than with the
 * tight one; attempt_kind now tries the tight one first and the levels
 * under its last hit next. A target of 128 for one word, 256 for two,
 * ranked the most pages in the tiers.) The levels of three words or more
 * are ranked together, a match
 * at a level of any of them (cross), so each word's share is also kept
 * low enough that together they are expected to hold at most UNION_SHARE
 * of the matches. (At a million pages, 600 searches of the load list:
 * without it, the levels from 0.72 up put three-word searches such as
 * "rapport ekonomisk utsatthet" at a third of their matches, past the
 * share the tiers may hold, and had them ranked whole, 68-81 ms where
 * the levels took 34 ms; with it the p99 went from 68-72 to 37-39 ms, and
 * caps of 0.04 to 0.2 did about as well.) */
#define UNION_SHARE 0.1
static void levels_at(int *level, const struct tier_plan *p, double matches, double aim,
                      int tight)
{
    double target = aim * ldexp(1, p->nwords > 4 ? 3 : (int)p->nwords - 1);
    double share = matches > target ? pow(target / matches, 1.0 / (double)p->nwords) : 1;
    if (p->nwords >= 3)
        share = fmin(share, 1 - pow(1 - UNION_SHARE, 1.0 / (double)p->nwords));
    int above = p->nwords == 1 && !tight;
    for (size_t i = 0; i < p->nwords; i++) {
        const struct plan_word *w = &p->words[i];
        double need = share * w->group;
        int k = TIER_LEVELS - 1;
        while (k > 0 && at_or_above(&p->stems[w->first], k + above) < need)
            k--;
        for (size_t s = w->first; s < w->first + w->n; s++)
            level[s] = s > w->first && p->stems[s].docs <= fmax(need, w->group * WHOLE_SHARE)
                           ? -1
                           : k;
    }
}

/* The tier query's terms of stem s from level k up to (not including)
 * level end (k = -1: its own terms, Z and C, D or F) into sub[*m...]. */
static int stem_terms(xc_query **sub, size_t *m, const struct plan_stem *s, int k, int end,
                      lib_error *err)
{
    _Static_assert(TIER_TERM_MAX > SCHEMA_TERM_MAX, "one buffer for both kinds of term");
    char term[TIER_TERM_MAX];
    int rc = 0;
    if (k < 0) {
        int one = s->kind == TIER_UNACCENT || s->all;
        const char *prefix[2] = {s->kind == TIER_UNACCENT ? SCHEMA_UNACCENT
                                 : s->all                 ? SCHEMA_STEM_ALL
                                                          : SCHEMA_STEM,
                                 SCHEMA_PART};
        for (int i = 0; rc == 0 && i < 2 - one; i++)
            if (key_term(term, prefix[i], s->stem) == 0)
                rc = xc_query_new_term(&sub[(*m)++], term, 1, err);
        return rc;
    }
    for (int j = k; rc == 0 && j < end; j++)
        if (s->freq[j] && tier_term(term, j, s->kind, s->stem) == 0)
            rc = xc_query_new_term(&sub[(*m)++], term, 1, err);
    return rc;
}

/* A two-word query's staircase. A match whose stems of word i (those not
 * ranked whole) are all below level a weighs at most w[i][a] from it (a =
 * TIER_LEVELS: no level below which they are, the word's whole weight).
 * The matches to rank first are those whose two bounds, at the levels
 * their stems are below, sum past a threshold: for each a, the matches at
 * level a - 1 or above of word 0 (any match for a = 0) and at level
 * m(a) - 1 or above of word 1, m(a) the least at which the sum passes. No
 * other match weighs more than the threshold. The levels of each word
 * alone (levels_at) rank every match strong in either word; the staircase
 * leaves out those strong in one and weak in the other, so it holds fewer
 * for the same bound. (200,000 generated pages, 300 two-word searches:
 * p50 5.1 -> 4.1 ms in-process, the same pages.) */
struct pair {
    const struct tier_plan *p;
    const int *level;               /* levels_at's: -1 for a stem ranked whole */
    double w[2][TIER_LEVELS + 1];   /* weight_below */
    double at[2][TIER_LEVELS + 2];  /* share of the word's matches at a or above */
};

/* The most word i weighs in a match whose stems are below level a. */
static double weight_below(const struct tier_plan *p, const int *level, size_t i, int a)
{
    const struct plan_word *w = &p->words[i];
    if (a >= TIER_LEVELS)
        return w->syn_weight + w->own_weight;
    double ratios = 0;
    for (size_t s = w->first; s < w->first + w->n; s++)
        ratios += level[s] < 0 ? 0 : tier_level_ratio(a);
    return w->syn_weight * tier_impact_bound(&p->stats, ratios) +
           w->own_weight * tier_impact_bound(&p->stats, tier_level_ratio(a));
}

static void pair_init(struct pair *c, const struct tier_plan *p, const int *level)
{
    c->p = p;
    c->level = level;
    for (size_t i = 0; i < 2; i++) {
        const struct plan_word *w = &p->words[i];
        for (int a = 0; a <= TIER_LEVELS; a++)
            c->w[i][a] = weight_below(p, level, i, a);
        c->at[i][0] = 1;
        c->at[i][TIER_LEVELS + 1] = 0;
        for (int a = 1; a <= TIER_LEVELS; a++) {
            double n = 0;
            for (size_t s = w->first; s < w->first + w->n; s++)
                n += level[s] < 0 ? 0 : p->stems[s].freq[a - 1];
            c->at[i][a] = n;
        }
        for (int a = TIER_LEVELS - 1; a >= 1; a--)
            c->at[i][a] += c->at[i][a + 1];
        for (int a = 1; a <= TIER_LEVELS; a++)
            c->at[i][a] = w->group > 0 ? fmin(1, c->at[i][a] / w->group) : 1;
    }
}

/* The least level of the other word whose bound, beside word i's at a,
 * passes t (TIER_LEVELS + 1: none). */
static int pair_min(const struct pair *c, size_t i, int a, double t)
{
    int b = 0;
    while (b <= TIER_LEVELS && c->w[i][a] + c->w[1 - i][b] <= t)
        b++;
    return b;
}

/* The share of the matches the staircase of threshold t holds, the words
 * taken as independent. */
static double pair_share(const struct pair *c, double t)
{
    double n = 0;
    for (int a = 0; a <= TIER_LEVELS; a++)
        n += (c->at[0][a] - c->at[0][a + 1]) * c->at[1][pair_min(c, 0, a, t)];
    return n;
}

static int descending(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

/* The highest threshold whose staircase is expected to hold target of
 * the matches: the thresholds are the sums of the two words' bounds, and
 * a staircase holds no fewer matches the lower its threshold, so the sums
 * sorted are searched by halves instead of each tried ((levels + 1)^4
 * steps). */
static double pair_threshold(const struct pair *c, double matches, double target)
{
    enum { N = (TIER_LEVELS + 1) * (TIER_LEVELS + 1) };
    double t[N];
    size_t n = 0;
    for (int a = 0; a <= TIER_LEVELS; a++)
        for (int b = 0; b <= TIER_LEVELS; b++)
            t[n++] = c->w[0][a] + c->w[1][b];
    qsort(t, n, sizeof *t, descending);
    size_t lo = 0, hi = n;   /* the first that holds enough is in [lo, hi] */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (pair_share(c, t[mid]) * matches >= target)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo < n ? t[lo] : -1;
}

/* Word i's matches at levels from a - 1 up to (not including) end - 1
 * (a > 0) into sub[*m] (nothing when none). */
static int pair_side(xc_query **sub, size_t *m, const struct pair *c, size_t i, int a, int end,
                     lib_error *err)
{
    const struct plan_word *w = &c->p->words[i];
    xc_query **terms = calloc(w->n * TIER_LEVELS, sizeof *terms);
    size_t n = 0;
    int rc = terms ? 0 : lib_error_nomem(err);
    for (size_t s = w->first; rc == 0 && s < w->first + w->n; s++)
        if (c->level[s] >= 0)
            rc = stem_terms(terms, &n, &c->p->stems[s], a - 1, end - 1, err);
    if (rc == 0 && n)
        rc = xc_query_new_combine(&sub[(*m)++], XC_OP_OR, terms, n, err);
    for (size_t k = 0; k < n; k++)
        xc_query_free(terms[k]);
    free(terms);
    return rc;
}

/* The staircase of threshold t, and the stems ranked whole, into sub[*m].
 * Its steps are cut along the levels of one word, the one with more
 * matches at its levels, in bands that do not overlap: each of its level
 * lists is read once, where steps that each took all of its levels from
 * theirs up read its lower levels again for every step (the other word's
 * are still read again). */
static int pair_terms(xc_query **sub, size_t *m, const struct pair *c, double t,
                      lib_error *err)
{
    size_t i = c->at[0][1] * c->p->words[0].group < c->at[1][1] * c->p->words[1].group;
    int step[TIER_LEVELS + 1], other[TIER_LEVELS + 1], nsteps = 0, last = TIER_LEVELS + 2;
    for (int a = 0; a <= TIER_LEVELS; a++) {
        int b = pair_min(c, i, a, t);
        if (b >= last || b > TIER_LEVELS)
            continue;
        last = b;
        step[nsteps] = a;
        other[nsteps++] = b;
    }
    int rc = 0;
    for (int k = 0; rc == 0 && k < nsteps; k++) {
        int a = step[k], b = other[k];
        xc_query *side[2] = {NULL, NULL};
        size_t n = 0;
        if (a > 0)
            rc = pair_side(side, &n, c, i, a, k + 1 < nsteps ? step[k + 1] : TIER_LEVELS + 1,
                           err);
        if (rc == 0 && b > 0)
            rc = pair_side(side, &n, c, 1 - i, b, TIER_LEVELS + 1, err);
        if (rc == 0 && n == 2)
            rc = xc_query_new_combine(&sub[(*m)++], XC_OP_AND, side, 2, err);
        else if (rc == 0 && n == 1 && (a == 0 || b == 0))
            sub[(*m)++] = side[0], side[0] = NULL;
        xc_query_free(side[0]);
        xc_query_free(side[1]);
    }
    for (size_t s = 0; rc == 0 && s < c->p->nstems; s++)
        if (c->level[s] < 0)
            rc = stem_terms(sub, m, &c->p->stems[s], -1, 0, err);
    return rc;
}

/* Two words expected at a level of both in fewer matches than this have
 * their best pages among those at a level of one word only, which their
 * staircase ranks only at a lower threshold than its aim allows: the
 * levels of each word are tried first instead. (200,000 generated pages,
 * 300 two-word searches: of the 25 expected in fewer than 10, 23 were
 * ranked whole after their staircase and every attempt after it failed.
 * At a million pages, the searches under 30 ranked by the levels of each
 * word took 10-13 ms; ranked whole for want of a staircase, 30-42 ms.) */
#define STAIRS_BOTH_MIN 30.0
/* A staircase under a floor is tried when it is expected to hold fewer
 * matches than the levels at its aim by this factor: each of its steps
 * reads its words' lower levels again ("arbetar segregation" at 200,000
 * pages: 19,800 matches, 24 ms, where the levels took 12-14 ms). Most
 * first staircases fail by a hair (at a million pages "nyheter
 * segregation": its last hit 8.126 against 8.135), and the one under that
 * hit then holds a twentieth to a half of what the levels hold. (300
 * two-word searches in-process: mean 14.5-15.3 -> 12.3-12.6 ms at a
 * million pages, 5.3-5.4 -> 4.9-5.0 at 200,000; the same pages.) */
#define STAIRS_FLOOR_COST 2.0

/* Whether a query's first attempt is its staircase: two words expected at
 * a level of both often enough. */
static int stairs_worth(const struct tier_plan *p, const int *level, double matches)
{
    if (p->nwords != 2)
        return 0;
    struct pair c;
    pair_init(&c, p, level);
    return matches * c.at[0][1] * c.at[1][1] >= STAIRS_BOTH_MIN;
}

/* The staircase's query (the plan's clauses ranked whole, its stems ranked
 * whole, and the staircase aiming at twice aim, as levels_at for two
 * words; or, with limit > 0, at the threshold limit, when it is expected to
 * hold under max_share / STAIRS_FLOOR_COST of the matches) into *out,
 * NULL when it would hold every match or is not worth trying. */
static int stairs_query(xc_query **out, double *bound, double *share, const struct tier_plan *p,
                        const int *level, double matches, double aim, double limit,
                        double max_share, lib_error *err)
{
    struct pair c;
    pair_init(&c, p, level);
    double t = limit > 0 ? limit : pair_threshold(&c, matches, aim * 2);
    *share = 1;
    if (t < c.w[0][0] + c.w[1][0])
        return 0;
    if (limit > 0 && pair_share(&c, t) * STAIRS_FLOOR_COST > max_share)
        return 0;
    *bound = t;
    size_t n = p->nwhole + (size_t)(TIER_LEVELS + 4) * p->nstems, m = 0;
    xc_query **sub = calloc(n, sizeof *sub);
    if (!sub)
        return lib_error_nomem(err);
    for (size_t i = 0; i < p->nwhole; i++)
        sub[m++] = p->whole[i];   /* the plan's: combining copies them */
    int rc = pair_terms(sub, &m, &c, t, err);
    if (rc == 0 && m)
        rc = xc_query_new_combine(out, XC_OP_OR, sub, m, err);
    *share = p->unknown ? 1 : pair_share(&c, t);
    for (size_t i = p->nwhole; i < m; i++)
        xc_query_free(sub[i]);
    free(sub);
    return rc;
}

/* The levels' bound, the share of the matches they are expected to hold,
 * and, when sub is not NULL, their terms into sub[*m] (the stems ranked
 * whole with their own). */
static int cross(xc_query **sub, size_t *m, double *bound, double *share,
                 const struct tier_plan *p, const int *level, lib_error *err)
{
    double outside = 1;
    int rc = 0;
    *bound = 0;
    for (size_t i = 0; rc == 0 && i < p->nwords; i++) {
        const struct plan_word *w = &p->words[i];
        double in = w->keys_docs, ratios = 0;
        for (size_t s = w->first; rc == 0 && s < w->first + w->n; s++) {
            const struct plan_stem *st = &p->stems[s];
            in += level[s] < 0 ? st->docs : at_or_above(st, level[s]);
            ratios += level[s] < 0 ? 0 : tier_level_ratio(level[s]);
            if (sub)
                rc = stem_terms(sub, m, st, level[s], TIER_LEVELS, err);
        }
        outside *= w->group > in ? 1 - in / w->group : 0;
        *bound += w->syn_weight * tier_impact_bound(&p->stats, ratios) +
                  w->own_weight *
                      tier_impact_bound(&p->stats, tier_level_ratio(level[w->first]));
    }
    *share = p->unknown ? 1 : 1 - outside;
    return rc;
}

/* The highest levels whose bound stays under limit into level: 0, or -1
 * when even the lowest do not. */
static int levels_under(int *level, const struct tier_plan *p, double matches, double aim,
                        double limit)
{
    for (int i = 0; i < 64; i++, aim *= 2) {
        double bound, share;
        levels_at(level, p, matches, aim, 0);
        cross(NULL, NULL, &bound, &share, p, level, NULL);
        if (bound < limit)
            return 0;
        if (aim >= matches)
            break;   /* the lowest levels already */
    }
    return -1;
}

/* What each attempt ranks. Two words with their staircase: the staircase,
 * then the one under the last hit or else the levels at the aim, then the
 * levels under the last hit. One word: its tight level, then the levels
 * under the last hit, then those at the aim and at TIER_TARGET_STEP times
 * the aim when those under the last hit were too many to try. Any other:
 * the levels at the aim, those under the last hit, those at
 * TIER_TARGET_STEP times the aim. (A word in most of the pages has a few
 * times fewer matches at its tight level than from the one below: at a
 * million pages "segregation", 984,064 matches, 761 against 3,129. 300
 * one-word searches in-process, the tight level first: at a million
 * pages, mean 5.54-5.78 -> 4.43-4.70 ms, p99 14.2-14.6 -> 12.8-12.9 ms;
 * at 200,000, mean 2.08-2.12 -> 1.99-2.04 ms; the same pages. The level
 * at the aim second, before those under the last hit, took a third
 * attempt for the words whose tight level failed: 1.0-1.5 ms more at
 * 200,000 pages for "behov", "skolorna", "goda", and a p99 of 5.6 ms
 * against 4.8-5.1.) */
enum attempt_kind { STAIRS, STAIRS_UNDER, TIGHT, AT_AIM, UNDER, WIDER, NONE };

static enum attempt_kind attempt_kind(const struct tier_plan *p, const int *level,
                                      double matches, int attempt)
{
    static const enum attempt_kind stairs[TIER_ATTEMPTS] = {STAIRS, STAIRS_UNDER, UNDER, NONE},
                                   one[TIER_ATTEMPTS] = {TIGHT, UNDER, AT_AIM, WIDER},
                                   other[TIER_ATTEMPTS] = {AT_AIM, UNDER, WIDER, NONE};
    if (stairs_worth(p, level, matches))
        return stairs[attempt];
    return p->nwords == 1 ? one[attempt] : other[attempt];
}

int tier_plan_query(xc_query **out, double *bound, double *share, struct tier_plan *p,
                    double matches, double target, int attempt, double below, lib_error *err)
{
    *out = NULL;
    *bound = 0;
    *share = 1;
    if (!tier_plan_useful(p) || attempt < 0 || attempt >= TIER_ATTEMPTS)
        return 0;
    int rc = read_levels(p, err);
    if (rc != 0)
        return rc;
    double aim = target > 0 ? target : TIER_TARGET;
    int *level = calloc(2 * p->nstems, sizeof *level), *first = level + p->nstems;
    if (!level)
        return lib_error_nomem(err);
    levels_at(level, p, matches, aim, 0);
    /* Under below, and so past the last hit's rounding. */
    double limit = below / (1 + 2 * TIER_SLACK);
    enum attempt_kind kind = attempt_kind(p, level, matches, attempt);
    int changed = 1;
    if (kind == STAIRS) {
        rc = stairs_query(out, bound, share, p, level, matches, aim, 0, 1, err);
        free(level);
        return rc;
    }
    /* A staircase whose last hit fell just short of its threshold: the
     * staircase under that hit settles the page, and holds few more
     * matches when the threshold moves little. */
    if (kind == STAIRS_UNDER && below > 0) {
        double cross_bound, cross_share;
        cross(NULL, NULL, &cross_bound, &cross_share, p, level, NULL);
        rc = stairs_query(out, bound, share, p, level, matches, aim, limit, cross_share, err);
        if (rc != 0 || *out) {
            free(level);
            return rc;
        }
    } else if (kind == TIGHT) {
        levels_at(level, p, matches, aim, 1);
    } else if (kind == UNDER) {
        changed = below > 0 && levels_under(level, p, matches, aim, limit) == 0;
    } else if (kind == WIDER) {
        memcpy(first, level, p->nstems * sizeof *level);
        levels_at(level, p, matches, aim * TIER_TARGET_STEP, 0);
        changed = memcmp(first, level, p->nstems * sizeof *level) != 0;
    } else if (kind == AT_AIM && p->nwords == 1) {
        levels_at(first, p, matches, aim, 1);   /* not again when the same */
        changed = memcmp(first, level, p->nstems * sizeof *level) != 0;
    } else if (kind == NONE) {
        changed = 0;
    }
    size_t n = p->nwhole + (size_t)(TIER_LEVELS + 2) * p->nstems, m = 0;
    xc_query **sub = changed ? calloc(n, sizeof *sub) : NULL;
    rc = changed && !sub ? lib_error_nomem(err) : 0;
    for (size_t i = 0; sub && i < p->nwhole; i++)
        sub[m++] = p->whole[i];   /* the plan's: combining copies them */
    if (rc == 0 && sub)
        rc = cross(sub, &m, bound, share, p, level, err);
    if (rc == 0 && sub && m)
        rc = xc_query_new_combine(out, XC_OP_OR, sub, m, err);
    for (size_t i = p->nwhole; sub && i < m; i++)
        xc_query_free(sub[i]);
    free(sub);
    free(level);
    if (rc != 0) {
        xc_query_free(*out);
        *out = NULL;
    }
    return rc;
}

size_t tier_plan_words(const struct tier_plan *p)
{
    return p ? p->nwords : 0;
}

int tier_plan_word_terms(const struct tier_plan *p, size_t i, char (*keys)[TIER_TERM_MAX],
                         size_t max, size_t *n, char own[TIER_TERM_MAX])
{
    *n = 0;
    if (!p || !p->all || p->unknown || i >= p->nwords)
        return -1;
    const struct plan_word *w = &p->words[i];
    for (size_t s = w->first; s < w->first + w->n; s++) {
        const struct plan_stem *st = &p->stems[s];
        const char *prefix = st->kind == TIER_UNACCENT ? SCHEMA_UNACCENT : SCHEMA_STEM_ALL;
        if (*n == max || key_term(keys[*n], prefix, st->stem) < 0)
            return -1;
        (*n)++;
    }
    for (size_t k = w->first_key; k < w->first_key + w->nkeys; k++) {
        if (*n == max || key_term(keys[*n], "", p->key_terms[k]) < 0)
            return -1;
        (*n)++;
    }
    return key_term(own, SCHEMA_STEM, p->stems[w->first].stem);
}
