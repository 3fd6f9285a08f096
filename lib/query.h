/* query.h: the search box's text → a Xapian query, with the same analysis
 * as the index (analysis.h, schema.h). In full analysis a word matches its
 * lemma's stem, and, weighted as one term with it, the compounds it is a
 * part of and its unaccented spelling; the exact stem counts once more, so a
 * whole-word match outranks a compound part or an unaccented one. A word the
 * index does not know is matched through its spelling correction, which is
 * also returned as the suggestion. Editors' synonyms are ORed in. When the
 * index holds documents in other languages, a word also matches its stem
 * in each of them, as one term with its Swedish keys: a Swedish word finds
 * Swedish pages first, since only they match its exact stem as well. Every word
 * is required (as in Pagefind, Typesense and most site search); when that
 * matches nothing, any of them will do (query_result.any_word).
 * request → [query_build] → Xapian; the keys it returns drive snippets.
 */
#ifndef QUERY_H
#define QUERY_H

#include "analysis.h"
#include "error.h"
#include "schema.h"
#include "tier_plan.h"
#include "xapian_c.h"

#include <jansson.h>
#include <stddef.h>

/* What a snippet should mark: the Z keys (stems) of the query's words, their
 * unaccented F keys, the exact words of phrases, and the words' stems in
 * the other languages the index holds. */
struct query_keys {
    char **stems;
    size_t nstems;
    char **unaccented;
    size_t nunaccented;
    char **words;
    size_t nwords;
    char **lang_stems;   /* the words' stems in the index's other languages,
                            as "en:report" (schema.h) */
    size_t nlang_stems;
};

struct query_ctx {
    struct analyzer *an;
    xc_db *db;
    json_t *synonyms;       /* the index's synonyms, or NULL */
    const struct schema_langs *langs;   /* the index's languages besides
                                           Swedish (schema_langs_of); NULL:
                                           none */
    int tiered;             /* every document carries its tiers: what
                               tier_index_ready says (tier.h), 0 none */
};

struct query_result {
    xc_query *query;        /* every word; NULL when the text holds no searchable word */
    xc_query *any_word;     /* any of the words, to run when query matches nothing;
                               NULL when that is the same query */
    char *suggestion;       /* the corrected query, or NULL */
    struct query_keys keys;
    int weightless;         /* no clause weighs a match (no words; exclusions
                               or filters only): every match weighs 0 */
    /* With ctx->tiered: the query's impact tiers (tier_plan.h), for query
     * and any_word alike; NULL when none of its words has tiers. */
    struct tier_plan *tier;
    /* query is its words ANDed and nothing else (no exclusion, filter or
     * OR; the plan says whether each word is plain: tier_plan_word_terms),
     * as a tier attempt weighed in memory needs (tier_score.h). */
    int words_only;
};

/* Builds the query for q (any UTF-8 text; it is cleaned here) into out.
 * 0, or a negative code with err filled. */
int  query_build(struct query_result *out, struct query_ctx *ctx, const char *q,
                 lib_error *err);
/* Frees what r holds and empties it; r itself is the caller's. */
void query_result_dispose(struct query_result *r);

#endif
