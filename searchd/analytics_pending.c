/* analytics_pending.c: see analytics_pending.h. Open addressing with linear
 * probing, at most half full, doubled as it fills; entries are removed only
 * by rebuilding the table (a day ended). The salt keeps the keys of one
 * process from being computed by anyone else, so nobody can aim queries at
 * a slot, nor make two queries share a key. */
#include "analytics_pending.h"

#include "error.h"
#include "hash.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#define FIRST_SLOTS 1024

struct pending {
    uint64_t salt;
    struct pending_entry *slot;
    size_t cap;     /* a power of two */
    size_t used;
};

int pending_new(struct pending **out)
{
    *out = NULL;
    struct pending *p = calloc(1, sizeof *p);
    if (!p || !(p->slot = calloc(FIRST_SLOTS, sizeof *p->slot))) {
        free(p);
        return LIB_E_NOMEM;
    }
    p->cap = FIRST_SLOTS;
    if (getrandom(&p->salt, sizeof p->salt, 0) != (ssize_t)sizeof p->salt) {
        /* no random source: still differs from one run to the next */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        p->salt = hash_mix64((uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^
                             (uint64_t)getpid());
    }
    *out = p;
    return 0;
}

void pending_free(struct pending *p)
{
    if (!p)
        return;
    free(p->slot);
    free(p);
}

uint64_t pending_key(const struct pending *p, long day, const char *q)
{
    uint64_t h = fnv1a64_add(FNV1A64_INIT, &p->salt, sizeof p->salt);
    h = fnv1a64_add(h, &day, sizeof day);
    h = hash_mix64(fnv1a64_add(h, q, strlen(q)) ^ p->salt);
    return h ? h : 1;
}

/* The slot holding key, or the free one where it would go. */
static struct pending_entry *find(struct pending_entry *slot, size_t cap, uint64_t key)
{
    size_t i = (size_t)key & (cap - 1);
    while (slot[i].key && slot[i].key != key)
        i = (i + 1) & (cap - 1);
    return &slot[i];
}

/* Moves the entries of a day from first on into a table of cap slots. */
static int rebuild(struct pending *p, size_t cap, long first)
{
    struct pending_entry *slot = calloc(cap, sizeof *slot);
    if (!slot)
        return LIB_E_NOMEM;
    size_t used = 0;
    for (size_t i = 0; i < p->cap; i++)
        if (p->slot[i].key && p->slot[i].day >= first) {
            *find(slot, cap, p->slot[i].key) = p->slot[i];
            used++;
        }
    free(p->slot);
    p->slot = slot;
    p->cap = cap;
    p->used = used;
    return 0;
}

int pending_get(struct pending_entry **out, struct pending *p, uint64_t key, long day)
{
    struct pending_entry *e = find(p->slot, p->cap, key);
    *out = NULL;
    if (e->key) {
        *out = e;
        return 0;
    }
    if (p->used >= PENDING_MAX)
        return LIB_E_NOMEM;
    if (2 * (p->used + 1) > p->cap) {
        if (rebuild(p, 2 * p->cap, LONG_MIN) < 0)
            return LIB_E_NOMEM;
        e = find(p->slot, p->cap, key);
    }
    memset(e, 0, sizeof *e);
    e->key = key;
    e->day = day;
    p->used++;
    *out = e;
    return 1;
}

void pending_forget_before(struct pending *p, long first)
{
    /* On no memory the entries stay: they are forgotten at the next day. */
    rebuild(p, p->cap, first);
}
