/* posting_cache.h: the posting lists of the terms large searches weigh,
 * read whole once (xc_db_postings) and held in memory up to a budget, the
 * least recently used dropped first, and every document's length. A
 * search that looks its candidates up here finds each by halving, where
 * Xapian decodes a list's chunk up to it: on a common word that decoding
 * was most of a search's time (tier_score.h).
 *
 * One cache serves every thread that searches (it locks inside). A list is
 * held by the search that got it until it puts it back, and is of one
 * version of the index (xc_db_version): a search at another version empties
 * the cache of the lists no search holds and fills it anew. Only a local
 * index: remote shards' lists stay where they are. */
#ifndef POSTING_CACHE_H
#define POSTING_CACHE_H

#include "error.h"
#include "xapian_c.h"

#include <stddef.h>

/* A term's documents: ids[0..n) ascending with their wdf; or, for a term
 * in half the documents or more (and for the lengths,
 * posting_cache_lengths), by id: ids NULL, wdf[id] for every id up to n
 * (the last id + 1), POSTING_ABSENT where the term is not, which takes
 * less memory there and is looked up at once. */
#define POSTING_ABSENT 0xffffffffu
struct posting_list {
    const unsigned *ids;
    const unsigned *wdf;
    size_t n;
    size_t docs;   /* documents holding the term */
};

/* The wdf of document d in l, -1 when l lacks it; *at is where the last
 * look-up ended (ids asked since it was 0 must ascend): found by doubling
 * steps from there, then halving. */
long posting_list_wdf(const struct posting_list *l, size_t *at, unsigned d);

/* The budget by default (searchd --posting-cache) for an index of docs
 * documents: 256 MB, or 1 KB a document when that is more. (A million
 * generated pages: the lists of 300 two-word searches stayed in 1 GB,
 * the searcher's memory 803 MB against 104 MB without them.) */
#define POSTING_CACHE_MIN_MB 256
size_t posting_cache_default_budget(unsigned docs);

struct posting_cache;

/* With path (the index's, as xc_db_open takes it), the lists are read by
 * a thread of the cache's own over a reader of its own, and a search that
 * asks for a list not held goes without it (its *out NULL) until it is;
 * NULL: the search that asks reads it. */
int  posting_cache_new(struct posting_cache **out, size_t budget_bytes, const char *path,
                       lib_error *err);
/* Frees the cache; every list got must have been put back. */
void posting_cache_free(struct posting_cache *c);

/* term's list in db, held for the caller until posting_cache_put: from the
 * cache, or read and kept there; or *out NULL when it does not fit and
 * the least recently used lists it would push out were asked for as often
 * as it or more (the cache counts the asks, halving the counts as they
 * age). 0, or a negative code (err filled). */
int  posting_cache_get(const struct posting_list **out, struct posting_cache *c, xc_db *db,
                       const char *term, lib_error *err);
/* Whether the lists of terms are all held or would all be read now (1,
 * else 0), with ask an ask for each counted first: a search that needs
 * every one asks first, so that it reads none when it could not have them
 * all, and asks once (what it does again, as its count beside its
 * ranking, it checks without ask). Without a loader, a list not held is
 * read only once its term was asked for before: reading a common word's
 * whole list costs several searches over it, not worth it for a word
 * searched once; with one it is queued at once, and 0 returned. */
int  posting_cache_admits(struct posting_cache *c, xc_db *db, const char *const *terms,
                          size_t n, int ask);
/* The documents' lengths in db, held so (read when not held: by the
 * loader, when there is one, *out NULL meanwhile). */
int  posting_cache_lengths(const struct posting_list **out, struct posting_cache *c, xc_db *db,
                           lib_error *err);
/* Waits until the loader has read every list asked for (the tests and the
 * benchmark's warm rounds); returns at once without one. */
void posting_cache_wait(struct posting_cache *c);
/* Gives back a list got (NULL is fine). */
void posting_cache_put(struct posting_cache *c, const struct posting_list *l);

/* What the cache holds now: bytes, lists, the reads it has made of lists
 * it did not hold, and the lists it refused to read (for the tests). */
struct posting_cache_stats {
    size_t bytes, lists;
    unsigned long reads, refused;
};
void posting_cache_stats(struct posting_cache *c, struct posting_cache_stats *out);

#endif
