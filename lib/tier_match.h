/* tier_match.h: a boolean query of terms (a tier attempt's, tier_plan.h)
 * matched over posting lists held in memory (posting_cache.h): an AND
 * reads the matches of its rarest part and looks each up in the others'
 * lists by halving, an OR gathers its parts'; the documents come out
 * ascending, once each. What tier_score.c weighs. */
#ifndef TIER_MATCH_H
#define TIER_MATCH_H

#include "error.h"
#include "posting_cache.h"
#include "xapian_c.h"

#include <stddef.h>

/* Document ids, gathered. */
struct tier_ids {
    unsigned *v;
    size_t n, cap;
    int unordered;   /* not ascending (set by whoever gathers them) */
    int failed;      /* some not gathered for want of memory (so too) */
};

/* Appends id; 0 or -1 (out of memory). */
int  tier_ids_push(struct tier_ids *v, unsigned id);
/* qsort's order of ids. */
int  tier_ids_by_value(const void *a, const void *b);

/* The documents q matches into out (ascending, once each), over the lists
 * of its terms in c, ids below nbits (the last id + 1). 1 when q holds
 * another operator than AND, OR, SYNONYM and terms, or the cache does not
 * hold or read now every one of its lists (q is then matched by Xapian);
 * else 0, or a negative code. */
int  tier_match(struct tier_ids *out, const xc_query *q, struct posting_cache *c, xc_db *db,
                size_t nbits, lib_error *err);

#endif
