/* tier.h: impact tiers, so that a query matching much of the index ranks a
 * small part of it and still shows exactly the hits ranking every match
 * would show.
 *
 * Indexing: a Swedish document in full analysis gets the boolean term
 * TIER_PREFIX + stem for each stem it holds at least TIER_WDF times as a
 * word and as a compound part together (Z + C wdf: a title word always,
 * its wdf being 4), and the marker TIER_PREFIX alone.
 *
 * Searching (query.c, search.c): the page is first ranked among the
 * matches in the tiers of the query's stems (and every match of a key that
 * has no tier). Any other match holds each of those stems fewer than
 * TIER_WDF times, which bounds its BM25 weight (tier_weight_bound, Xapian
 * 1.4's BM25Weight with its default parameters); when the page's last hit
 * weighs more than the sum of those bounds, no other match can come before
 * it, and the page stands. Otherwise every match is ranked as before. */
#ifndef TIER_H
#define TIER_H

#include "error.h"
#include "xapian_c.h"

#define TIER_PREFIX "XH"
#define TIER_WDF 4

/* Adds doc's tier terms and the marker (after all of its Z and C terms). */
int  tier_add_terms(xc_doc *doc, lib_error *err);

/* Whether every document of db carries the marker (an index written before
 * the tiers does not until rebuilt): 1 or 0; a negative code on error. */
int  tier_index_ready(xc_db *db, lib_error *err);

/* What BM25 reads of the index besides a term's frequency. */
struct tier_stats {
    double docs;        /* documents */
    double avg_len;     /* their mean length */
    double min_len;     /* the shortest's */
};
int  tier_stats_of(struct tier_stats *out, xc_db *db, lib_error *err);

/* The most a term (or a synonym group) matching termfreq documents at
 * least can add to the weight of a document holding it at most wdf times:
 * BM25 at the shortest document length. */
double tier_weight_bound(const struct tier_stats *s, double termfreq, unsigned wdf);

/* A synonym group's frequency as Xapian 1.4 estimates it for weighting (its
 * keys' frequencies combined as if independent, rounded at each step),
 * less what the rounding can take: *absent_share is the product of (1 -
 * each key's frequency / documents), nkeys the keys. */
double tier_group_freq(const struct tier_stats *s, double absent_share, unsigned nkeys);

#endif
