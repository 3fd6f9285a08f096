/* tier_plan.h: a query's impact tiers (tier.h), gathered while query.c
 * builds it, word by word, and turned by search.c into the query of the
 * matches to rank first, at levels chosen from the matches the search has
 * counted, with the most any other match can weigh. */
#ifndef TIER_PLAN_H
#define TIER_PLAN_H

#include "error.h"
#include "tier.h"
#include "xapian_c.h"

struct tier_plan;

/* A plan over db's statistics; ready is tier_index_ready's answer for db
 * (TIER_READY_OWN and up: the words' own stems go by their own levels;
 * TIER_READY_ALL: a word's stems are its SCHEMA_STEM_ALL terms, as
 * query.c builds them then, and the impacts were cut at TIER_AVGLEN_ALL). */
int  tier_plan_new(struct tier_plan **out, xc_db *db, int ready, lib_error *err);
void tier_plan_free(struct tier_plan *p);

/* A word's synonym group (word_query's shape: the group, and the word's
 * own stem again beside it): started, then its keys and stems added. */
void tier_plan_word_start(struct tier_plan *p);
/* A key of the word that has no tiers (a stem in another language): all of
 * its documents are ranked first. */
int  tier_plan_key(struct tier_plan *p, const char *term, lib_error *err);
/* A stem of the word, matched as Z and C, with its tiers; the word's own
 * stem first. */
int  tier_plan_stem(struct tier_plan *p, const char *stem, lib_error *err);
/* The word's key without diacritics (F), with its tiers. */
int  tier_plan_unaccented(struct tier_plan *p, const char *key, lib_error *err);
/* The word is complete; its own stem (the first) is matched once more on
 * its own. */
int  tier_plan_word_done(struct tier_plan *p, lib_error *err);

/* A clause whose weight no tier bounds (a phrase, title:, a synonym): all
 * of its matches are ranked first. q is copied. */
int  tier_plan_whole(struct tier_plan *p, const xc_query *q, lib_error *err);

/* Whether the plan has a word with tiers: with none, the tiers would hold
 * every match. */
int  tier_plan_useful(const struct tier_plan *p);

/* The plan's words, as the query weighs them, for ranking from posting
 * lists held in memory (tier_score.h): their number, and word i's keys,
 * the terms of its synonym group, into keys[0..*n) (at most max) and its
 * own stem's term, weighed again beside the group, into own. -1 when the
 * index has no SCHEMA_STEM_ALL terms (the group then reads Z and C, and
 * the own term is one of its keys), the plan holds a clause ranked whole,
 * or a term does not fit. */
size_t tier_plan_words(const struct tier_plan *p);
int  tier_plan_word_terms(const struct tier_plan *p, size_t i, char (*keys)[TIER_TERM_MAX],
                          size_t max, size_t *n, char own[TIER_TERM_MAX]);

/* The matches to rank first at attempt a (0 to TIER_ATTEMPTS - 1) of a
 * search that matched about `matches` documents, into *out (NULL when
 * attempt a has nothing to try), with *bound the most a match outside
 * them can weigh and *share the share of the matches they are expected
 * to hold.
 *
 * Attempt 0 aims at about `target` of the matches (0: TIER_TARGET): a
 * query of two words with their staircase, the matches whose levels in
 * the two words sum to enough (tier_plan.c; unless few matches are
 * expected at a level of both); one word, the matches at the level of
 * each stem that holds its share or above (tight); any other, the matches
 * at a level or above of each stem. `below` is a weight the page's last
 * hit is known to reach (the last hit of an attempt before; 0: none):
 * every match weighing that much is at the levels whose bound stays under
 * it, which attempt 1 ranks (attempt 2 after a staircase), so it settles
 * the page whenever it is made. The other later attempts take, after a
 * staircase, the staircase under `below` when it is expected to hold well
 * under what the levels at attempt 0's aim hold, or else those levels;
 * after one word's tight level, the level below it and those above; and,
 * last, the levels at TIER_TARGET_STEP times more matches. */
#define TIER_ATTEMPTS 4
#define TIER_TARGET 128.0
#define TIER_TARGET_STEP 16.0
/* Rounding: Xapian may compute a weight a few units in the last place
 * apart from the bounds' arithmetic. */
#define TIER_SLACK 1e-9
int  tier_plan_query(xc_query **out, double *bound, double *share, struct tier_plan *p,
                     double matches, double target, int attempt, double below,
                     lib_error *err);

#endif
