/* analytics_store.h: the search statistics' SQLite file, as analytics.c's
 * writer thread alone writes it: per day its totals (days) and the counts of
 * the queries whose text may be kept (queries), added to in transactions.
 * A day is a local date as days since 1970-01-01 (analytics.h).
 */
#ifndef ANALYTICS_STORE_H
#define ANALYTICS_STORE_H

#include <stddef.h>

/* What searches and clicks add up to, for a day or a query on a day. */
struct counts {
    unsigned long long searches, no_hits, clicks, rank_sum;
};

struct store;

/* Opens path, made (mode 600) with the tables when new, in WAL mode, with
 * deleted rows overwritten (secure_delete). 0, or LIB_E_IO with the reason
 * in err (not SQLite, another program's database, …). */
int  store_open(struct store **out, const char *path, char *err, size_t errlen);
/* Closes it (the WAL is checkpointed into the file); NULL is fine. */
void store_free(struct store *s);

/* A transaction around a batch: 0 or LIB_E_IO. */
int  store_begin(struct store *s);
int  store_commit(struct store *s);
void store_rollback(struct store *s);

/* Adds c to the day's totals / to query q's counts on day. 0 or LIB_E_IO. */
int  store_add_day(struct store *s, long day, const struct counts *c);
int  store_add_query(struct store *s, long day, const char *q, const struct counts *c);
/* 1 when q's text is kept for day, 0 when not, LIB_E_IO. */
int  store_query_kept(struct store *s, long day, const char *q);
/* The query texts kept for day and their bytes: 0 or LIB_E_IO. */
int  store_kept_on(long *queries, long *bytes, struct store *s, long day);
/* Deletes every day before first; when any was deleted, truncates the WAL
 * so that no copy of their pages stays there either. The days deleted, or
 * LIB_E_IO. */
long store_forget_before(struct store *s, long first);

/* The reason of the last failure. */
const char *store_error(struct store *s);

#endif
