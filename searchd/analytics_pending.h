/* analytics_pending.h: the memory of the rare-query rule, the writer
 * thread's alone. For each query seen on a day it holds, under a salted
 * 64-bit hash of the query's normalised text and never the text itself, the
 * counts not yet in the file, and whether its text is kept there. A query
 * with fewer than ANALYTICS_MIN_SEARCHES searches that day has its counts
 * here only (its day's totals have them in the file); the search that makes
 * it ANALYTICS_MIN_SEARCHES carries the text that then goes to the file.
 */
#ifndef ANALYTICS_PENDING_H
#define ANALYTICS_PENDING_H

#include "analytics_store.h"

#include <stddef.h>
#include <stdint.h>

#define PENDING_MAX 131072   /* distinct queries followed at once; more: totals only */

struct pending_entry {
    uint64_t key;        /* pending_key; 0: a free slot */
    long day;
    struct counts c;     /* not in the file yet */
    int kept;            /* the text is in the file for day: c goes there */
    int dirty;           /* c is to be written with this batch */
};

struct pending;

/* An empty table with a salt of its own (from the system's random source).
 * 0 or LIB_E_NOMEM. */
int  pending_new(struct pending **out);
void pending_free(struct pending *p);

/* The key of query q on day: the same within this process, unguessable
 * across processes. Never 0. */
uint64_t pending_key(const struct pending *p, long day, const char *q);
/* The entry of key into *out, made empty when new: 1 when made, 0 when
 * found, LIB_E_NOMEM when the table is full or memory ran out. Valid until
 * the next pending_get. */
int  pending_get(struct pending_entry **out, struct pending *p, uint64_t key, long day);
/* Forgets every entry of a day before first. */
void pending_forget_before(struct pending *p, long first);

#endif
