/* tier_match.c: see tier_match.h. */
#include "tier_match.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int tier_ids_by_value(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return (x > y) - (x < y);
}

/* The tier query matched in memory: its leaves' lists got from the cache
 * (the level terms' lists are short at the levels an attempt reads). */
struct match_node {
    int op;                            /* XC_OP_AND, _OR, _SYNONYM or _LEAF */
    const struct posting_list *list;   /* a leaf's, held */
    size_t cursor;                     /* where its last look-up ended */
    double est;                        /* its matches at most */
    struct match_node *subs;
    size_t nsubs;
};

static void match_dispose(struct match_node *m, struct posting_cache *c)
{
    for (size_t i = 0; i < m->nsubs; i++)
        match_dispose(&m->subs[i], c);
    free(m->subs);
    posting_cache_put(c, m->list);
}

/* q's tree into m (zeroed): 1 when it holds another operator than these,
 * or a term whose list the cache does not read now (matched by Xapian
 * then), else 0 or a negative code. */
static int match_build(struct match_node *m, const xc_query_node *q, struct posting_cache *c,
                       xc_db *db, lib_error *err)
{
    m->op = q->op;
    if (q->op == XC_OP_LEAF) {
        int rc = posting_cache_get(&m->list, c, db, q->term, err);
        if (rc == 0 && !m->list)
            return 1;   /* not read now: Xapian matches the tier */
        m->est = rc == 0 ? (double)m->list->docs : 0;
        return rc;
    }
    if (q->op != XC_OP_AND && q->op != XC_OP_OR && q->op != XC_OP_SYNONYM)
        return 1;
    if (!(m->subs = calloc(q->nsubs ? q->nsubs : 1, sizeof *m->subs)))
        return lib_error_nomem(err);
    m->est = q->op == XC_OP_AND ? HUGE_VAL : 0;
    for (size_t i = 0; i < q->nsubs; i++) {
        int rc = match_build(&m->subs[i], &q->subs[i], c, db, err);
        m->nsubs = i + 1;
        if (rc != 0)
            return rc;
        m->est = q->op == XC_OP_AND ? fmin(m->est, m->subs[i].est) : m->est + m->subs[i].est;
    }
    if (!q->nsubs)
        m->est = 0;
    return 0;
}

static void match_reset(struct match_node *m)
{
    m->cursor = 0;
    for (size_t i = 0; i < m->nsubs; i++)
        match_reset(&m->subs[i]);
}

/* Whether m matches d; the ids asked of a node since its reset ascend. */
static int match_has(struct match_node *m, unsigned d)
{
    if (m->op == XC_OP_LEAF)
        return posting_list_wdf(m->list, &m->cursor, d) >= 0;
    int and = m->op == XC_OP_AND;
    for (size_t i = 0; i < m->nsubs; i++)
        if (match_has(&m->subs[i], d) != and)
            return !and;
    return and && m->nsubs > 0;
}

int tier_ids_push(struct tier_ids *v, unsigned id)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? 2 * v->cap : 1024;
        unsigned *p = realloc(v->v, cap * sizeof *p);
        if (!p)
            return -1;
        v->v = p;
        v->cap = cap;
    }
    v->v[v->n++] = id;
    return 0;
}

/* v's ids in ascending order, once each: sorted when few, else through
 * bits (a bit a document of the index, cleared again as read). */
static void ids_sort(struct tier_ids *v, uint64_t *bits, size_t nbits)
{
    if (v->n < nbits / 64) {
        qsort(v->v, v->n, sizeof *v->v, tier_ids_by_value);
        size_t k = 0;
        for (size_t i = 0; i < v->n; i++)
            if (!k || v->v[i] != v->v[k - 1])
                v->v[k++] = v->v[i];
        v->n = k;
        return;
    }
    for (size_t i = 0; i < v->n; i++)
        if (v->v[i] < nbits)
            bits[v->v[i] / 64] |= 1ull << (v->v[i] % 64);
    size_t k = 0;
    for (size_t w = 0; w < (nbits + 63) / 64; w++)
        for (uint64_t b = bits[w]; b; b &= b - 1)
            v->v[k++] = (unsigned)(w * 64 + (size_t)__builtin_ctzll(b));
    memset(bits, 0, (nbits + 63) / 64 * sizeof *bits);
    v->n = k;
}

/* Every match of m into out (in any order, some more than once): an AND
 * reads its least child's matches and asks the others of each. */
static int match_collect(struct tier_ids *out, struct match_node *m, uint64_t *bits, size_t nbits)
{
    if (m->op == XC_OP_LEAF) {
        const struct posting_list *l = m->list;
        for (size_t i = 0; i < l->n; i++)
            if ((l->ids || l->wdf[i] != POSTING_ABSENT) &&
                tier_ids_push(out, l->ids ? l->ids[i] : (unsigned)i) < 0)
                return -1;
        return 0;
    }
    if (m->op != XC_OP_AND) {
        for (size_t i = 0; i < m->nsubs; i++)
            if (match_collect(out, &m->subs[i], bits, nbits) < 0)
                return -1;
        return 0;
    }
    size_t least = 0;
    for (size_t i = 1; i < m->nsubs; i++)
        if (m->subs[i].est < m->subs[least].est)
            least = i;
    struct tier_ids some = {0};
    if (m->nsubs == 0)
        return 0;
    if (match_collect(&some, &m->subs[least], bits, nbits) < 0) {
        free(some.v);
        return -1;
    }
    ids_sort(&some, bits, nbits);
    for (size_t i = 0; i < m->nsubs; i++)
        if (i != least)
            match_reset(&m->subs[i]);
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < some.n; k++) {
        int all = 1;
        for (size_t i = 0; all && i < m->nsubs; i++)
            all = i == least || match_has(&m->subs[i], some.v[k]);
        if (all)
            rc = tier_ids_push(out, some.v[k]);
    }
    free(some.v);
    return rc;
}

/* The leaf terms of q into names (*n of them, at most max): -1 when more. */
static int leaf_terms(const char **names, size_t *n, size_t max, const xc_query_node *q)
{
    if (q->op == XC_OP_LEAF) {
        if (*n == max)
            return -1;
        names[(*n)++] = q->term;
        return 0;
    }
    for (size_t i = 0; i < q->nsubs; i++)
        if (leaf_terms(names, n, max, &q->subs[i]) < 0)
            return -1;
    return 0;
}

/* A tier query holds a few level terms a stem (TIER_LEVELS at most). */
#define TIER_TERMS_MAX 4096

int tier_match(struct tier_ids *out, const xc_query *q, struct posting_cache *c, xc_db *db,
               size_t nbits, lib_error *err)
{
    xc_query_node *tree = NULL;
    struct match_node root = {0};
    uint64_t *bits = NULL;
    const char **names = NULL;
    size_t nnames = 0;
    int rc = xc_query_tree(&tree, q, err);
    if (rc == 0 && !(names = malloc(TIER_TERMS_MAX * sizeof *names)))
        rc = lib_error_nomem(err);
    if (rc == 0 && (leaf_terms(names, &nnames, TIER_TERMS_MAX, tree) < 0 ||
                    !posting_cache_admits(c, db, names, nnames, 1)))
        rc = 1;
    free(names);
    if (rc == 0)
        rc = match_build(&root, tree, c, db, err);
    if (rc == 0 && !(bits = calloc((nbits + 63) / 64 + 1, sizeof *bits)))
        rc = lib_error_nomem(err);
    if (rc == 0 && match_collect(out, &root, bits, nbits) < 0)
        rc = lib_error_nomem(err);
    if (rc == 0)
        ids_sort(out, bits, nbits);
    match_dispose(&root, c);
    xc_query_tree_free(tree);
    free(bits);
    return rc;
}
