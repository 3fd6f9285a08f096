/* posting_cache.c: see posting_cache.h. Lists are found by a hash table of
 * their terms and kept in order of use; one read outside the lock, so that
 * a thread reading a long list keeps none of the others waiting. */
#include "posting_cache.h"

#include "hash.h"

#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    struct posting_list list;     /* first: what a caller holds */
    char *term;                   /* NULL for the lengths */
    uint64_t hash;                /* of term (term_hash) */
    unsigned refs;                /* searches holding it */
    int kept;                     /* in the table and the order of use */
    size_t bytes;
    struct entry *newer, *older;  /* order of use, while kept */
    struct entry *next;           /* the table's chain, while kept */
};

/* How often terms were asked for, by hash (a few terms share a counter),
 * halved every AGE_AFTER asks so that yesterday's words give way. */
#define ASKED_SLOTS 16384
#define AGE_AFTER (8 * ASKED_SLOTS)

struct posting_cache {
    pthread_mutex_t lock;
    size_t budget, bytes, lists;
    unsigned long reads, refused, asks;
    unsigned char asked[ASKED_SLOTS];
    unsigned long long version;   /* of the lists kept */
    struct entry **table;         /* by hash, TABLE_SIZE chains */
    struct entry *newest, *oldest;
    struct entry *lengths;
    /* With a path: the lists are read by a thread of the cache's own, over
     * a reader of its own, from a queue of terms ("" for the lengths). */
    char *path;
    pthread_t loader;
    int conds, started, stop, busy;
    pthread_cond_t work, idle;
    char **queue;
    size_t nqueue, capqueue;
};

static void *load_lists(void *arg);
static int enqueue(struct posting_cache *c, const char *term);

#define TABLE_SIZE 4096

int posting_cache_new(struct posting_cache **out, size_t budget_bytes, const char *path,
                      lib_error *err)
{
    struct posting_cache *c = calloc(1, sizeof *c);
    *out = NULL;
    if (!c || !(c->table = calloc(TABLE_SIZE, sizeof *c->table)) ||
        (path && !(c->path = strdup(path)))) {
        if (c)
            free(c->table);
        free(c);
        return lib_error_nomem(err);
    }
    /* What pthread's inits and create can lack is memory. */
    if (pthread_mutex_init(&c->lock, NULL) != 0) {
        free(c->path);
        free(c->table);
        free(c);
        return lib_error_nomem(err);
    }
    c->budget = budget_bytes;
    if (path) {
        c->conds = pthread_cond_init(&c->work, NULL) == 0;
        if (c->conds && pthread_cond_init(&c->idle, NULL) != 0) {
            pthread_cond_destroy(&c->work);
            c->conds = 0;
        }
        c->started = c->conds && pthread_create(&c->loader, NULL, load_lists, c) == 0;
        if (!c->started) {
            posting_cache_free(c);
            return lib_error_nomem(err);
        }
    }
    *out = c;
    return 0;
}

static void entry_free(struct entry *e)
{
    if (!e)
        return;
    free((void *)e->list.ids);
    free((void *)e->list.wdf);
    free(e->term);
    free(e);
}

/* A term's hash: its chain in the table and its ask counter. */
static uint64_t term_hash(const char *term)
{
    return hash_mix64(fnv1a64(term, strlen(term)));
}

/* Takes e out of the table and the order of use; the lock held. Freed now
 * when no search holds it, else by the last that puts it back. */
static void drop(struct posting_cache *c, struct entry *e)
{
    if (e->term) {
        struct entry **p = &c->table[e->hash % TABLE_SIZE];
        while (*p != e)
            p = &(*p)->next;
        *p = e->next;
        if (e->newer)
            e->newer->older = e->older;
        else
            c->newest = e->older;
        if (e->older)
            e->older->newer = e->newer;
        else
            c->oldest = e->newer;
    } else {
        c->lengths = NULL;
    }
    e->kept = 0;
    c->bytes -= e->bytes;
    c->lists--;
    if (e->refs == 0)
        entry_free(e);
}

/* Empties the cache of another version's lists; the lock held. */
static void flush(struct posting_cache *c, unsigned long long version)
{
    while (c->oldest)
        drop(c, c->oldest);
    if (c->lengths)
        drop(c, c->lengths);
    c->version = version;
}

/* The asks counted for the term of hash h. */
static unsigned char *asked_of(struct posting_cache *c, uint64_t h)
{
    return &c->asked[h % ASKED_SLOTS];
}

/* Counts an ask for the term of hash h; the lock held. */
static void note_ask(struct posting_cache *c, uint64_t h)
{
    unsigned char *n = asked_of(c, h);
    if (*n < UCHAR_MAX)
        (*n)++;
    if (++c->asks >= AGE_AFTER) {
        for (size_t i = 0; i < ASKED_SLOTS; i++)
            c->asked[i] /= 2;
        c->asks = 0;
    }
}

/* The bytes term's list will take, from its frequency. */
static size_t list_bytes(xc_db *db, const char *term)
{
    unsigned tf = 0;
    xc_db_term_freq(db, term, &tf, NULL);
    size_t ids = (size_t)xc_db_last_docid(db) + 1;
    size_t bytes = 2 * (size_t)tf * sizeof(unsigned);
    return bytes > ids * sizeof(unsigned) ? ids * sizeof(unsigned) : bytes;   /* by id */
}

/* Whether bytes more fit, in place of the least recently used lists no
 * search holds if need be, all of them asked for less often than asked;
 * the lock held. */
static int room_for(const struct posting_cache *c, size_t bytes, unsigned asked)
{
    size_t freed = 0;
    for (struct entry *o = c->oldest; o && c->bytes - freed + bytes > c->budget; o = o->newer)
        if (o->refs == 0) {
            if (c->asked[o->hash % ASKED_SLOTS] >= asked)
                return 0;
            freed += o->bytes;
        }
    return c->bytes - freed + bytes <= c->budget;
}

/* Whether term's list is worth reading now (room_for it, at the asks of
 * its term): reading a list costs what a search over all of it does, and
 * dropping another for it costs that again when that one is asked for
 * next, so with more words searched than fit the cache keeps those
 * searched most instead of reading each anew. The lock held. */
static int worth_reading(struct posting_cache *c, xc_db *db, const char *term, uint64_t h)
{
    if (room_for(c, list_bytes(db, term), *asked_of(c, h)))
        return 1;
    c->refused++;
    return 0;
}

void posting_cache_free(struct posting_cache *c)
{
    if (!c)
        return;
    if (c->started) {
        pthread_mutex_lock(&c->lock);
        c->stop = 1;
        pthread_cond_signal(&c->work);
        pthread_mutex_unlock(&c->lock);
        pthread_join(c->loader, NULL);
    }
    if (c->conds) {
        pthread_cond_destroy(&c->work);
        pthread_cond_destroy(&c->idle);
    }
    for (size_t i = 0; i < c->nqueue; i++)
        free(c->queue[i]);
    free(c->queue);
    free(c->path);
    flush(c, 0);
    free(c->table);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

/* term's entry (of hash h), or NULL; the lengths' for NULL. */
static struct entry *find(struct posting_cache *c, const char *term, uint64_t h)
{
    if (!term)
        return c->lengths;
    for (struct entry *e = c->table[h % TABLE_SIZE]; e; e = e->next)
        if (strcmp(e->term, term) == 0)
            return e;
    return NULL;
}

static void make_newest(struct posting_cache *c, struct entry *e)
{
    if (!e->term || c->newest == e)
        return;
    if (e->kept) {   /* out of its place first */
        if (e->newer)
            e->newer->older = e->older;
        if (e->older)
            e->older->newer = e->newer;
        else
            c->oldest = e->newer;
    }
    e->older = c->newest;
    e->newer = NULL;
    if (c->newest)
        c->newest->newer = e;
    c->newest = e;
    if (!c->oldest)
        c->oldest = e;
}

/* Drops the oldest lists no search holds while over the budget; the lock
 * held. */
static void trim(struct posting_cache *c)
{
    for (struct entry *o = c->oldest; o && c->bytes > c->budget;) {
        struct entry *newer = o->newer;
        if (o->refs == 0)
            drop(c, o);
        o = newer;
    }
}

/* Keeps e (held by its reader) and trims the others; the lock held. A
 * list larger than the budget is not kept. */
static void keep(struct posting_cache *c, struct entry *e)
{
    if (e->bytes > c->budget)
        return;
    if (e->term) {
        size_t s = e->hash % TABLE_SIZE;
        e->next = c->table[s];
        c->table[s] = e;
    } else {
        c->lengths = e;
    }
    make_newest(c, e);
    e->kept = 1;
    c->bytes += e->bytes;
    c->lists++;
    trim(c);
}

/* Reads term's list (the lengths when NULL) from db into a new entry. */
static int read_list(struct entry **out, xc_db *db, const char *term, lib_error *err)
{
    struct entry *e = calloc(1, sizeof *e);
    unsigned *ids = NULL, *wdf = NULL;
    size_t n = 0;
    *out = NULL;
    if (!e || (term && !(e->term = strdup(term)))) {
        free(e);
        return lib_error_nomem(err);
    }
    e->hash = term ? term_hash(term) : 0;
    int rc = term ? xc_db_postings(db, term, &ids, &wdf, &n, err)
                  : xc_db_doc_lengths(db, &wdf, &n, err);
    size_t docs = term ? n : xc_db_doc_count(db), size = term ? (size_t)xc_db_last_docid(db) + 1 : n;
    if (rc == 0 && term && n && 2 * n + 1 >= size) {   /* by id: in half the ids or more */
        unsigned *by_id = malloc(size * sizeof *by_id);
        if (!by_id) {
            rc = lib_error_nomem(err);
        } else {
            memset(by_id, 0xff, size * sizeof *by_id);
            for (size_t i = 0; i < n; i++)
                if (ids[i] < size)
                    by_id[ids[i]] = wdf[i];
            free(ids);
            free(wdf);
            ids = NULL;
            wdf = by_id;
            n = size;
        }
    }
    if (rc != 0) {
        free(ids);
        free(wdf);
        entry_free(e);
        return rc;
    }
    e->list = (struct posting_list){ids, wdf, n, docs};
    e->bytes = sizeof *e + (ids ? 2 : 1) * n * sizeof(unsigned) + (term ? strlen(term) : 0);
    *out = e;
    return 0;
}

long posting_list_wdf(const struct posting_list *l, size_t *at, unsigned d)
{
    if (!l->ids)
        return d < l->n && l->wdf[d] != POSTING_ABSENT ? (long)l->wdf[d] : -1;
    size_t i = *at, n = l->n;
    if (i < n && l->ids[i] < d) {
        size_t lo = i, step = 1, hi = i + 1;   /* ids[lo] < d */
        while (hi < n && l->ids[hi] < d) {
            lo = hi;
            step *= 2;
            hi = lo + step;
        }
        if (hi > n)
            hi = n;
        lo++;
        while (lo < hi) {   /* the first id at least d, in [lo, hi] */
            size_t mid = lo + (hi - lo) / 2;
            if (l->ids[mid] < d)
                lo = mid + 1;
            else
                hi = mid;
        }
        i = lo;
    }
    *at = i;
    return i < n && l->ids[i] == d ? (long)l->wdf[i] : -1;
}

static int get(const struct posting_list **out, struct posting_cache *c, xc_db *db,
               const char *term, lib_error *err)
{
    unsigned long long version = xc_db_version(db);
    uint64_t h = term ? term_hash(term) : 0;
    *out = NULL;
    pthread_mutex_lock(&c->lock);
    if (version != c->version)
        flush(c, version);
    struct entry *e = version ? find(c, term, h) : NULL;
    if (e) {
        e->refs++;
        make_newest(c, e);
        pthread_mutex_unlock(&c->lock);
        *out = &e->list;
        return 0;
    }
    if (term && version && !worth_reading(c, db, term, h)) {
        pthread_mutex_unlock(&c->lock);
        return 0;   /* *out NULL: refused */
    }
    /* With a loader, a list that is not empty is read there, and this
     * search goes without it. */
    if (c->started && version && (!term || list_bytes(db, term) > 0)) {
        int rc = enqueue(c, term ? term : "") < 0 ? lib_error_nomem(err) : 0;
        pthread_mutex_unlock(&c->lock);
        return rc;
    }
    c->reads++;
    pthread_mutex_unlock(&c->lock);

    int rc = read_list(&e, db, term, err);
    if (rc != 0)
        return rc;
    e->refs = 1;
    pthread_mutex_lock(&c->lock);
    struct entry *other = version && version == c->version ? find(c, term, h) : NULL;
    if (other) {   /* another thread read it meanwhile */
        other->refs++;
        make_newest(c, other);
        entry_free(e);
        e = other;
    } else if (version && version == c->version) {
        keep(c, e);
    }   /* else the cache moved to another version: e is the caller's alone */
    pthread_mutex_unlock(&c->lock);
    *out = &e->list;
    return 0;
}

int posting_cache_get(const struct posting_list **out, struct posting_cache *c, xc_db *db,
                      const char *term, lib_error *err)
{
    if (!term || !*term) {
        *out = NULL;
        return lib_error_set(err, LIB_E_INVALID, "posting_cache_get: no term");
    }
    return get(out, c, db, term, err);
}

int posting_cache_lengths(const struct posting_list **out, struct posting_cache *c, xc_db *db,
                          lib_error *err)
{
    return get(out, c, db, NULL, err);
}

void posting_cache_put(struct posting_cache *c, const struct posting_list *l)
{
    if (!l)
        return;
    struct entry *e = (struct entry *)l;   /* the list is its entry's first member */
    pthread_mutex_lock(&c->lock);
    if (--e->refs == 0 && !e->kept)
        entry_free(e);
    else if (e->refs == 0)
        trim(c);   /* lists kept while held may have passed the budget */
    pthread_mutex_unlock(&c->lock);
}

/* Queues term ("" for the lengths) for the loader unless queued; the lock
 * held. 0 or -1 (out of memory: not queued). */
static int enqueue(struct posting_cache *c, const char *term)
{
    for (size_t i = 0; i < c->nqueue; i++)
        if (strcmp(c->queue[i], term) == 0)
            return 0;
    if (c->nqueue == c->capqueue) {
        size_t cap = c->capqueue ? 2 * c->capqueue : 64;
        char **q = realloc(c->queue, cap * sizeof *q);
        if (!q)
            return -1;
        c->queue = q;
        c->capqueue = cap;
    }
    if (!(c->queue[c->nqueue] = strdup(term)))
        return -1;
    c->nqueue++;
    pthread_cond_signal(&c->work);
    return 0;
}

/* The loader: reads the queued lists over a reader of its own, at the
 * version the cache holds (a list of another is dropped), and keeps them
 * as get does. */
static void *load_lists(void *arg)
{
    struct posting_cache *c = arg;
    xc_db *db = NULL;
    pthread_mutex_lock(&c->lock);
    for (;;) {
        while (!c->stop && !c->nqueue) {
            c->busy = 0;
            pthread_cond_broadcast(&c->idle);
            pthread_cond_wait(&c->work, &c->lock);
        }
        if (c->stop)
            break;
        char *term = c->queue[--c->nqueue];
        unsigned long long want = c->version;
        c->busy = 1;
        pthread_mutex_unlock(&c->lock);
        int changed = 0;
        if (db && xc_db_reopen(db, &changed, NULL) < 0) {
            xc_db_free(db);
            db = NULL;
        }
        if (!db && xc_db_open(&db, c->path, NULL) < 0)
            db = NULL;
        struct entry *e = NULL;
        const char *t = *term ? term : NULL;
        if (db && xc_db_version(db) == want && read_list(&e, db, t, NULL) == 0)
            e->refs = 0;
        pthread_mutex_lock(&c->lock);
        if (e && want == c->version && !find(c, t, e->hash) &&
            (!t || room_for(c, e->bytes, *asked_of(c, e->hash)))) {
            c->reads++;
            keep(c, e);
            if (!e->kept)
                entry_free(e);   /* larger than the budget */
        } else {
            entry_free(e);
        }
        free(term);
    }
    c->busy = 0;
    pthread_cond_broadcast(&c->idle);
    pthread_mutex_unlock(&c->lock);
    xc_db_free(db);
    return NULL;
}

int posting_cache_admits(struct posting_cache *c, xc_db *db, const char *const *terms, size_t n,
                         int ask)
{
    unsigned long long version = xc_db_version(db);
    size_t bytes = 0;
    unsigned least = UCHAR_MAX;
    pthread_mutex_lock(&c->lock);
    if (version != c->version)
        flush(c, version);
    for (size_t i = 0; i < n; i++) {
        uint64_t h = term_hash(terms[i]);
        if (ask)
            note_ask(c, h);
        if (version && find(c, terms[i], h))
            continue;
        bytes += list_bytes(db, terms[i]);
        least = *asked_of(c, h) < least ? *asked_of(c, h) : least;
    }
    /* Read by the search that asks, a list not held is read once its term
     * was asked for before (this ask aside): a word searched once is
     * searched as before, without the cost of reading all of it. Read by
     * the loader, which costs no search its time, at its first ask. */
    unsigned need = ask && !c->started ? 2 : 1;
    int ok = version && (bytes == 0 || (least >= need && room_for(c, bytes, least)));
    if (!ok)
        c->refused++;
    /* Read in the background: this search goes without them. */
    for (size_t i = 0; ok && bytes && c->started && i < n; i++)
        if (!find(c, terms[i], term_hash(terms[i])) && enqueue(c, terms[i]) < 0)
            break;
    if (bytes && c->started)
        ok = 0;
    pthread_mutex_unlock(&c->lock);
    return ok;
}

void posting_cache_wait(struct posting_cache *c)
{
    if (!c || !c->started)
        return;
    pthread_mutex_lock(&c->lock);
    while (c->nqueue || c->busy)
        pthread_cond_wait(&c->idle, &c->lock);
    pthread_mutex_unlock(&c->lock);
}

size_t posting_cache_default_budget(unsigned docs)
{
    size_t least = (size_t)POSTING_CACHE_MIN_MB << 20, per_doc = (size_t)docs << 10;
    return per_doc > least ? per_doc : least;
}

void posting_cache_stats(struct posting_cache *c, struct posting_cache_stats *out)
{
    pthread_mutex_lock(&c->lock);
    out->bytes = c->bytes;
    out->lists = c->lists;
    out->reads = c->reads;
    out->refused = c->refused;
    pthread_mutex_unlock(&c->lock);
}
