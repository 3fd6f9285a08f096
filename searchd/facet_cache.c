/* facet_cache.c: the facet table (facets.h) of the index version the
 * threads search, loaded once and shared by them. At a million pages a
 * table takes 10 MB and 150 ms to read: each thread loading its own made the
 * first search of every thread after a start or a commit that slow, and
 * held as many copies as threads.
 *
 * A table is counted by the readers holding it and freed by the last; the
 * cache holds the one loaded last. A thread whose version is being loaded
 * by another waits for it; one whose version is neither loaded nor being
 * loaded loads it itself. */
#include "server.h"

#include <stdlib.h>

struct facet_share {
    unsigned refs;                /* under the cache's lock */
    unsigned long long version;   /* xc_db_version of the index it was read from */
    struct facet_table table;
};

int facet_cache_init(struct facet_cache *c, atomic_ulong *loads)
{
    c->current = NULL;
    c->loads = loads;
    c->loading = 0;
    if (pthread_mutex_init(&c->lock, NULL) != 0)
        return -1;
    if (pthread_cond_init(&c->loaded, NULL) != 0) {
        pthread_mutex_destroy(&c->lock);
        return -1;
    }
    return 0;
}

/* Drops a reference; call with the lock held. */
static void release(struct facet_share *s)
{
    if (s && --s->refs == 0) {
        facets_dispose(&s->table);
        free(s);
    }
}

void facet_cache_dispose(struct facet_cache *c)
{
    release(c->current);
    c->current = NULL;
    pthread_cond_destroy(&c->loaded);
    pthread_mutex_destroy(&c->lock);
}

int facet_cache_get(struct facet_share **out, struct facet_cache *c, xc_db *db,
                    unsigned long long version)
{
    *out = NULL;
    pthread_mutex_lock(&c->lock);
    while (version && !(c->current && c->current->version == version) &&
           c->loading == version)
        pthread_cond_wait(&c->loaded, &c->lock);
    if (version && c->current && c->current->version == version) {
        c->current->refs++;
        *out = c->current;
        pthread_mutex_unlock(&c->lock);
        return 0;
    }
    /* Version 0 (unknown) is loaded for this reader alone. */
    int loader = version && c->loading == 0;
    if (loader)
        c->loading = version;
    pthread_mutex_unlock(&c->lock);

    struct facet_share *s = calloc(1, sizeof *s);
    int rc = s ? facets_load(&s->table, db) : -1;
    atomic_fetch_add_explicit(c->loads, 1, memory_order_relaxed);
    if (rc == 0) {
        s->refs = 1;   /* the caller's */
        s->version = version;
    } else if (s) {
        facets_dispose(&s->table);
        free(s);
        s = NULL;
    }
    pthread_mutex_lock(&c->lock);
    if (s && version) {
        release(c->current);
        s->refs++;   /* the cache's */
        c->current = s;
    }
    if (loader) {
        c->loading = 0;
        pthread_cond_broadcast(&c->loaded);
    }
    pthread_mutex_unlock(&c->lock);
    *out = s;
    return rc;
}

const struct facet_table *facet_share_table(const struct facet_share *s)
{
    return s ? &s->table : NULL;
}

void facet_cache_put(struct facet_cache *c, struct facet_share *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&c->lock);
    release(s);
    pthread_mutex_unlock(&c->lock);
}
