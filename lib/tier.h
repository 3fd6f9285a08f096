/* tier.h: impact tiers, so that a query matching much of the index ranks a
 * small part of it and still shows exactly the hits ranking every match
 * would show.
 *
 * Indexing: in full analysis, each stem a document holds (as a word and as
 * a compound part together: its Z + C wdf) has an impact, BM25's share of
 * the most the stem can weigh in that document: wdf / (wdf + K), K the
 * document's length normalisation (Xapian 1.4's BM25Weight with its
 * defaults) at a fixed mean length, TIER_AVGLEN. The impacts are cut into
 * TIER_LEVELS levels: a stem whose impact reaches level k's and not level
 * k + 1's gets the boolean term TIER_PREFIX + ('A' + k) + stem; one under
 * level 0 gets none. A key without diacritics (F) gets its own levels the
 * same way, as TIER_UNACCENT_PREFIX + ('A' + k) + key. Every document gets
 * the marker TIER_PREFIX alone.
 *
 * A stem is also its word's own term when searched (query.h: a page
 * holding the word itself weighs its Z twice, as the group's key and
 * alone), and there the impact of Z + C bounds Z's loosely: a common word
 * is a compound's part in most pages ("arbet" in 82 % of them). So each
 * stem also gets a level of the mean of the two impacts, of Z + C and of Z
 * alone, as TIER_OWN_PREFIX + ('A' + k) + stem, and every document the
 * marker TIER_OWN_PREFIX. That mean bounds the two weighed together as
 * tightly as Z + C's impact did when Z is all of it, and more when it is
 * not (tier_plan.c: the bound stays the same sum, for own levels too).
 *
 * Every document also gets, for each stem, its Z + C wdf as one term
 * (SCHEMA_STEM_ALL), which a word's group reads instead of the two, and
 * that marker alone. Those terms count in the document's length as Xapian
 * sums it, so its impacts are cut at the length with them, at
 * TIER_AVGLEN_ALL; an index written before them was cut at TIER_AVGLEN
 * and is searched so (tier_stats.impact_avg).
 *
 * Searching (tier_plan.h, search.c): the page is first ranked among the
 * matches at a level or above of each of the query's stems, the level
 * chosen from how many documents each level holds (for two words, among
 * those whose levels in the two sum to enough: their staircase). Any
 * other match has an impact below that level for each stem, which bounds
 * its weight (tier_impact_bound); when the page's last hit weighs more
 * than the sum of those bounds, no other match can come before it, and
 * the page stands. Otherwise the levels whose bound is under that last
 * hit's weight are tried, which settle the page, or lower levels when
 * those would hold too many; then every match is ranked. */
#ifndef TIER_H
#define TIER_H

#include "error.h"
#include "xapian_c.h"

#define TIER_PREFIX "XK"
#define TIER_UNACCENT_PREFIX "XU"
#define TIER_OWN_PREFIX "XW"
#define TIER_LEVELS 19
/* The mean document length (the sum of a document's wdf, as Xapian counts
 * it) the impacts are computed at. An index whose documents are longer on
 * average gets a looser bound (tier_impact_bound), one whose documents are
 * shorter tiers less sharply; both stay exact. */
#define TIER_AVGLEN 700.0
/* The same with the SCHEMA_STEM_ALL terms in the length: on the generated
 * pages they take the mean from 720 to 1,051. */
#define TIER_AVGLEN_ALL 1050.0
#define TIER_TERM_MAX 250

/* Adds doc's tier terms and the marker (after all of its terms with wdf). */
int  tier_add_terms(xc_doc *doc, lib_error *err);

/* What a level term measures. */
enum tier_kind {
    TIER_STEM,        /* a stem's Z + C (TIER_PREFIX) */
    TIER_UNACCENT,    /* a key without diacritics, F (TIER_UNACCENT_PREFIX) */
    TIER_OWN          /* a stem as a word's own: Z + C and Z (TIER_OWN_PREFIX) */
};

/* The term of level k of key, of kind, into out (TIER_TERM_MAX bytes): -1
 * when too long for Xapian (such a key's own term would have been too). */
int  tier_term(char out[TIER_TERM_MAX], int level, enum tier_kind kind, const char *key);

/* Whether every document of db carries the markers: TIER_READY_ALL when
 * all three, the stems' SCHEMA_STEM_ALL terms too; TIER_READY_OWN without
 * those (an index written before them: a word's group reads Z and C);
 * TIER_READY without the own levels' either (its own stems then go by
 * their TIER_STEM levels); 0 when a document lacks TIER_PREFIX's (an index
 * written before these tiers, ranked whole until rebuilt); a negative
 * code on error. */
#define TIER_READY 1
#define TIER_READY_OWN 2
#define TIER_READY_ALL 3
int  tier_index_ready(xc_db *db, lib_error *err);
/* tier_index_ready's answer, 0 when it cannot be read (the index is then
 * ranked whole): what a search's context takes. */
int  tier_index_tiered(xc_db *db);

/* What BM25 reads of the index besides a term's frequency. */
struct tier_stats {
    double docs;        /* documents */
    double avg_len;     /* their mean length */
    double impact_avg;  /* the mean length the impacts were cut at:
                           tier_stats_of sets TIER_AVGLEN */
};
int  tier_stats_of(struct tier_stats *out, xc_db *db, lib_error *err);

/* BM25's weight of a term (or a synonym group) matching termfreq documents
 * at an impact of 1: what tier_impact_bound is a share of. */
double tier_term_weight(const struct tier_stats *s, double termfreq);

/* K, BM25's normalisation of a document of length len as Xapian 1.4's
 * BM25Weight computes it (its defaults), len_factor 1 / the mean length: a
 * term weighs tier_term_weight * (wdf / (K + wdf)) there. */
double tier_bm25_norm(unsigned len, double len_factor);

/* Level k's least ratio wdf / K (K at TIER_AVGLEN). */
double tier_level_ratio(int level);

/* The most impact a synonym group can have, at the index's own mean
 * length (the impacts cut at s->impact_avg), in a document where each of
 * its stems is below a level whose ratios sum to ratios (and which holds
 * no other key of the group). */
double tier_impact_bound(const struct tier_stats *s, double ratios);

/* A synonym group's frequency as Xapian 1.4 estimates it for weighting (its
 * keys' frequencies combined as if independent, rounded at each step),
 * less what the rounding can take: *absent_share is the product of (1 -
 * each key's frequency / documents), nkeys the keys. */
double tier_group_freq(const struct tier_stats *s, double absent_share, unsigned nkeys);

#endif
