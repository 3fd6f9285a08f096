/* facets.c: facet tables and counting. A table costs two bytes per document
 * and facet; it is rebuilt when the index's revision changes, by one pass
 * over each value stream. */
#include "facets.h"

#include "schema.h"
#include "swedish_date.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const unsigned slots[N_FACETS] = {SLOT_TYPE, SLOT_YEAR, SLOT_PLACE, SLOT_FORMAT,
                                         SLOT_LANG};
static const char *const facet_names[N_FACETS] = {"type", "year", "place", "format",
                                                  "lang"};

struct load {
    struct facet_table *t;
    int f;
    size_t last;   /* the name index found last: values come in runs */
    int failed;
};

static int load_value(void *ctx, unsigned docid, const char *value, size_t len)
{
    struct load *l = ctx;
    struct facet_table *t = l->t;
    if (docid > t->ndocs || len == 0)
        return 0;
    size_t i = l->last;
    if (i >= t->nnames[l->f] || strlen(t->names[l->f][i]) != len ||
        memcmp(t->names[l->f][i], value, len) != 0) {
        for (i = 0; i < t->nnames[l->f]; i++)
            if (strlen(t->names[l->f][i]) == len && memcmp(t->names[l->f][i], value, len) == 0)
                break;
        if (i == t->nnames[l->f]) {
            if (i >= UINT16_MAX - 1)
                return 0;   /* more distinct values than a facet can show */
            char **names = realloc(t->names[l->f], (i + 1) * sizeof *names);
            char *name = names ? strndup(value, len) : NULL;
            if (names)
                t->names[l->f] = names;
            if (!name) {
                l->failed = 1;
                return 1;
            }
            names[i] = name;
            t->nnames[l->f]++;
        }
    }
    l->last = i;
    t->value[l->f][docid] = (uint16_t)(i + 1);
    return 0;
}

int facets_load(struct facet_table *t, xc_db *db)
{
    facets_dispose(t);
    t->ndocs = xc_db_last_docid(db);
    for (int f = 0; f < N_FACETS; f++) {
        if (!(t->value[f] = calloc((size_t)t->ndocs + 1, sizeof *t->value[f])))
            return -1;
        struct load l = {t, f, 0, 0};
        if (xc_db_each_value(db, slots[f], load_value, &l, NULL) < 0 || l.failed)
            return -1;
    }
    return 0;
}

void facets_dispose(struct facet_table *t)
{
    for (int f = 0; f < N_FACETS; f++) {
        for (size_t i = 0; i < t->nnames[f]; i++)
            free(t->names[f][i]);
        free(t->names[f]);
        free(t->value[f]);
    }
    memset(t, 0, sizeof *t);
}

int facets_counts_init(struct facet_counts *c, const struct facet_table *t)
{
    memset(c, 0, sizeof *c);
    c->t = t;
    for (int f = 0; f < N_FACETS; f++)
        if (!(c->count[f] = calloc(t->nnames[f] + 1, sizeof *c->count[f])))
            return -1;
    return 0;
}

void facets_counts_dispose(struct facet_counts *c)
{
    for (int f = 0; f < N_FACETS; f++) {
        free(c->count[f]);
        for (size_t i = 0; i < c->n_by_value[f]; i++)
            free(c->by_value[f][i].name);
        free(c->by_value[f]);
    }
    memset(c, 0, sizeof *c);
}

void facets_count(void *ctx, unsigned docid)
{
    struct facet_counts *c = ctx;
    if (docid > c->t->ndocs)
        return;   /* added after the table was loaded */
    for (int f = 0; f < N_FACETS; f++) {
        uint16_t v = c->t->value[f][docid];
        if (v)
            c->count[f][v - 1]++;
    }
}

/* Each value comes once per facet: the spies merged the shards' counts. */
static void count_value(void *ctx, size_t f, const char *value, size_t len, unsigned count)
{
    struct facet_counts *c = ctx;
    struct facet_value *v = realloc(c->by_value[f], (c->n_by_value[f] + 1) * sizeof *v);
    char *name = v && len ? strndup(value, len) : NULL;
    if (v)
        c->by_value[f] = v;
    if (name)
        v[c->n_by_value[f]++] = (struct facet_value){name, count};
}

/* A value of facet f from the facets together: it comes once for each
 * combination it is in. Combinations come in byte order, so a value is
 * most often the one added last. */
static void add_value(struct facet_counts *c, size_t f, const char *value, size_t len,
                      unsigned count)
{
    if (!len)
        return;   /* none, as a spy on the facet's own slot leaves it out */
    for (size_t i = c->n_by_value[f]; i-- > 0;) {
        struct facet_value *v = &c->by_value[f][i];
        if (strlen(v->name) == len && memcmp(v->name, value, len) == 0) {
            v->count += count;
            return;
        }
    }
    count_value(c, f, value, len, count);
}

void facets_count_together(struct facet_counts *c, const char *value, size_t len,
                           unsigned count)
{
    size_t at = 0;
    for (size_t f = 0; f < N_FACETS && at <= len; f++) {
        const char *nul = memchr(value + at, '\0', len - at);
        size_t stop = nul ? (size_t)(nul - value) : len;
        add_value(c, f, value + at, stop - at, count);
        at = stop + 1;
    }
}

static void count_together(void *ctx, size_t slot, const char *value, size_t len,
                           unsigned count)
{
    (void)slot;
    facets_count_together(ctx, value, len, count);
}

int facets_index_together(xc_db *db, lib_error *err)
{
    unsigned freq = 0;
    int rc = xc_db_term_freq(db, SCHEMA_FACETS, &freq, err);
    return rc < 0 ? rc : freq == xc_db_doc_count(db);
}

int facets_count_by_value(xc_count *n, xc_db *db, const xc_query *q, unsigned at_most,
                          int together, struct facet_counts *c, xc_error *xe)
{
    static const unsigned packed[1] = {SLOT_FACETS};
    if (together)
        return xc_db_count_values(n, db, q, at_most, packed, 1, count_together, c, xe);
    return xc_db_count_values(n, db, q, at_most, slots, N_FACETS, count_value, c, xe);
}

void facets_counts_clear(struct facet_counts *c)
{
    for (int f = 0; f < N_FACETS; f++) {
        memset(c->count[f], 0, (c->t->nnames[f] + 1) * sizeof *c->count[f]);
        for (size_t i = 0; i < c->n_by_value[f]; i++)
            free(c->by_value[f][i].name);
        c->n_by_value[f] = 0;
    }
}

/* Rounded to the nearest: a value seen in the sample at all stays at least
 * one. */
static unsigned scaled(unsigned count, double factor)
{
    double v = count * factor + 0.5;
    return count == 0 ? 0 : v < 1 ? 1 : v > 4e9 ? 4000000000u : (unsigned)v;
}

void facets_counts_scale(struct facet_counts *c, double factor)
{
    for (int f = 0; f < N_FACETS; f++) {
        for (size_t i = 0; i <= c->t->nnames[f]; i++)
            c->count[f][i] = scaled(c->count[f][i], factor);
        for (size_t i = 0; i < c->n_by_value[f]; i++)
            c->by_value[f][i].count = scaled(c->by_value[f][i].count, factor);
    }
}

void facets_counts_add(struct facet_counts *c, const struct facet_counts *from)
{
    for (int f = 0; f < N_FACETS; f++)
        for (size_t i = 0; i <= c->t->nnames[f]; i++)
            c->count[f][i] = from->count[f][i] > UINT_MAX - c->count[f][i]
                                 ? UINT_MAX
                                 : c->count[f][i] + from->count[f][i];
}

struct named {
    const char *name;
    unsigned count;
};

static int by_swedish_name(const void *a, const void *b)
{
    return swedish_collate(((const struct named *)a)->name, ((const struct named *)b)->name);
}

static int by_year_desc(const void *a, const void *b)
{
    return -strcmp(((const struct named *)a)->name, ((const struct named *)b)->name);
}

json_t *facets_json(const struct facet_counts *c)
{
    json_t *all = json_object();
    for (int f = 0; all && f < N_FACETS; f++) {
        size_t n = 0, have = c->t->nnames[f], more = c->n_by_value[f];
        struct named *v = malloc((have + more ? have + more : 1) * sizeof *v);
        json_t *o = json_object();
        for (size_t i = 0; v && i < have; i++)
            if (c->count[f][i])
                v[n++] = (struct named){c->t->names[f][i], c->count[f][i]};
        for (size_t i = 0; v && i < more; i++)
            v[n++] = (struct named){c->by_value[f][i].name, c->by_value[f][i].count};
        if (v && n)
            qsort(v, n, sizeof *v, f == FACET_YEAR ? by_year_desc : by_swedish_name);
        for (size_t i = 0; o && v && i < n; i++)
            json_object_set_new(o, v[i].name, json_integer(v[i].count));
        free(v);
        json_object_set_new(all, facet_names[f], o ? o : json_object());
    }
    return all;
}
