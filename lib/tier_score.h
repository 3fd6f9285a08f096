/* tier_score.h: a tier attempt (tier_plan.h) weighed from posting lists
 * held in memory (posting_cache.h) instead of by Xapian's matcher, which
 * decodes a common word's long lists up to each candidate in every
 * attempt: here the candidates come from the tier's short level lists,
 * matched in memory, each is looked up in the words' lists by halving and
 * weighed as BM25 weighs it, and Xapian then ranks only the few that may
 * be among the page's hits, so the page is exactly Xapian's. The same
 * lists count the query's matches (tier_scorer_count), as search.c's
 * bounded count does by Xapian.
 *
 * The weights are bracketed, not guessed: a word's synonym group weighs by
 * a frequency Xapian estimates (tier.h: tier_group_freq) with a rounding
 * at each step that this does not repeat, so each match gets the least and
 * the most it can weigh, and every match whose most reaches the least of
 * the page's last hit is kept. Only queries of plain words, ANDed
 * (tier_plan_word_terms), over an index of one local database with
 * SCHEMA_STEM_ALL terms. */
#ifndef TIER_SCORE_H
#define TIER_SCORE_H

#include "error.h"
#include "posting_cache.h"
#include "tier_plan.h"
#include "xapian_c.h"

struct tier_scorer;

/* A scorer of plan's query over db, its lists got from cache (and held
 * until tier_scorer_free) into *out, asking for them (ask: the search's
 * ranking; 0: its count, which checks what it may have without counting
 * an ask again, posting_cache_admits); *out NULL (and 0) when the query
 * is not one it can weigh, or the cache does not read one of its lists
 * now. A negative code on error. */
int  tier_scorer_new(struct tier_scorer **out, struct posting_cache *cache, xc_db *db,
                     const struct tier_plan *plan, int ask, lib_error *err);
void tier_scorer_free(struct tier_scorer *s);

/* The query's matches among tier's documents (tier_plan_query's query, as
 * a filter), weighed: *floor a weight that `want` of them reach at least
 * (0 when fewer match), and into *ids (malloc'd, ascending, *n of them)
 * every match that may weigh as much, which holds the best `want` within
 * the tier whatever their order. 0 or a negative code. */
int  tier_scorer_attempt(double *floor, unsigned **ids, size_t *n, struct tier_scorer *s,
                         xc_db *db, const xc_query *tier, unsigned want, lib_error *err);

/* Every match of the query weighed so: as tier_scorer_attempt, over all
 * of them (what ranking every match would read, when no attempt settled
 * the page). */
int  tier_scorer_whole(double *floor, unsigned **ids, size_t *n, struct tier_scorer *s,
                       unsigned want, lib_error *err);

/* The query's matches counted from the lists in memory, as xc_db_count
 * counts them (within sample, a term's documents, when not NULL, and past
 * the id after): fn for each in id order up to at_most (0: all), *out as
 * xc_db_count fills it; cut short, its estimate spreads the matches seen
 * over the documents of the rarest condition not yet walked. 0, 1 when
 * the cache does not read the sample's list now (count by Xapian), or a
 * negative code. */
int  tier_scorer_count(xc_count *out, struct tier_scorer *s, xc_db *db, const char *sample,
                       unsigned after, unsigned at_most, xc_docid_fn fn, void *ctx,
                       lib_error *err);

#endif
