/* search.h: one search, as the search box asks it: the query built from the
 * text (query.h), filtered, counted, ranked, and the page of hits with
 * their snippets. searchd's /api/search, the in-process benchmark and the
 * tests call it alike.
 *
 * Counting is bounded: up to count_limit matches (default 10,000) the
 * total and the facets are exact. Past it the total is estimated and the
 * facets are counted from a uniform sample of the matches (those in one of
 * the nested samples of SCHEMA_SAMPLE, schema.h) and scaled, so that a
 * query's cost does not grow with the matches; the result says so
 * (total_exact, facets_exact). An index written before the samples counts
 * every match instead.
 *
 * Counting takes about a third of a large search's time: given a second
 * reader of the index (search_ctx.count_db), a search Xapian expects to
 * match many documents is counted on a thread of its own while the
 * caller's ranks it, on a core that would otherwise be idle.
 *
 * The editors' best bets (best_bets.h) for the query come first on page 1,
 * in their order, as long as they pass the request's filters; they count
 * in the total and the facets, and the matches below leave them out, as
 * they leave out the documents the rules hide.
 */
#ifndef SEARCH_H
#define SEARCH_H

#include "analysis.h"
#include "best_bets.h"
#include "doc_data.h"
#include "error.h"
#include "facets.h"
#include "posting_cache.h"
#include "schema.h"
#include "xapian_c.h"

#include <jansson.h>

#define SEARCH_COUNT_LIMIT 10000   /* default: matches counted exactly */
#define SEARCH_SIZE_MAX 100        /* hits per page */
/* Tiers pay where ranking every match costs more than a second, small
 * ranking does: from this many matches on. */
#define SEARCH_TIER_MIN_MATCHES 2000
/* Ranking a tier costs about what ranking as many matches does, and more
 * when it holds most of them (each is then looked up in the words' lists
 * too): a level is tried when it holds at most this share of the matches. */
#define SEARCH_TIER_SHARE 0.3
/* A search of plain words matching this many is weighed and counted from
 * the posting lists in memory (search_ctx.postings) when the tiers are not
 * tried: fewer read little from disk, and their lists are not worth
 * keeping. */
#define SEARCH_MEMORY_MIN_MATCHES 500

struct search_request {
    const char *q;                 /* any UTF-8 text; "" for every document */
    unsigned page, size;           /* page from 1; size 1..SEARCH_SIZE_MAX */
    const char *type, *place, *year;   /* filters (NULL: none) */
    const char *format;            /* filter: html, pdf, … (NULL: none) */
    const char *lang;              /* filter: a language subtag, sv, en, … (NULL: none) */
    const char *from, *to;         /* dates YYYY-MM-DD (NULL: open) */
    int sort_date;                 /* newest first instead of by relevance */
    int upcoming;                  /* seminars from today on */
    char today[11];                /* YYYY-MM-DD, for upcoming */
};

/* What a search runs on: read-only during the call. */
struct search_ctx {
    struct analyzer *an;
    xc_db *db;
    json_t *synonyms;              /* the index's, or NULL */
    const struct facet_table *facets;   /* by document id; NULL: count by value
                                           (an index with remote shards) */
    int sampled;                   /* every document carries its samples
                                      (search_index_sampled) */
    unsigned count_limit;          /* 0: SEARCH_COUNT_LIMIT */
    struct doc_text *text;         /* scratch for the hits' texts kept between
                                      searches (one per thread: making zstd's
                                      context costs a few per cent of a
                                      search); NULL: one per search */
    const struct schema_langs *langs;   /* the index's languages besides
                                           Swedish (schema_langs_of, once a
                                           revision); NULL: Swedish only */
    const struct best_bets *best_bets;  /* the editors' rules (best_bets.h);
                                           NULL: none */
    int tiered;                    /* every document carries its impact tiers
                                      (what tier_index_ready says; 0: none):
                                      large queries rank them first */
    unsigned tier_min_matches;     /* from how many matches on the tiers are
                                      tried; 0: SEARCH_TIER_MIN_MATCHES */
    double tier_max_share;         /* up to what share of the matches the
                                      tiers may hold; 0: SEARCH_TIER_SHARE */
    double tier_target;            /* the matches the first tiers tried aim
                                      to hold (tier_plan_query); 0: its
                                      default */
    xc_db *count_db;               /* a second reader of the same local index,
                                      on which a thread of its own counts a
                                      large search while this one ranks it
                                      (search_run); used only when at db's
                                      version; NULL: count, then rank */
    unsigned apart_min_matches;    /* from how many matches Xapian expects the
                                      count goes to count_db's thread; 0:
                                      SEARCH_APART_MIN */
    int facets_together;           /* without a table (facets NULL): every
                                      document carries its facets in one slot
                                      (facets_index_together), counted there */
    struct posting_cache *postings;  /* the words' posting lists held in
                                        memory, shared by the threads: a
                                        query of plain words weighs its tier
                                        attempts there (tier_score.h); NULL:
                                        Xapian ranks each attempt */
};

struct search_result {
    unsigned total;                /* exact, or estimated when !total_exact */
    unsigned total_counted;        /* matches counted: a lower bound of the total */
    int total_exact;
    int facets_exact;              /* 0: scaled from a sample, or cut by time */
    int any_word;                  /* no page had every word: any of them */
    json_t *hits;                  /* [{id, url, title, type, date, place, format,
                                       lang, snippet, score}; page, for a paged
                                       document, the page of its snippet; pinned:
                                       true for an editors' best bet, first on
                                       page 1 and not repeated below] */
    json_t *facets;                /* {"type": {…}, "year": {…}, "place": {…},
                                       "format": {…}, "lang": {…}} */
    char *suggestion;              /* the corrected query, or NULL */
    int ranked_in_tiers;           /* the page was ranked among the matches
                                      in the query's tiers alone (tier.h):
                                      0 when not, else the attempt that
                                      settled it (1: the highest levels) */
    int counted_apart;             /* counted on count_db's thread while the
                                      page was ranked */
    int ranked_in_memory;          /* the attempt that settled the page was
                                      weighed from ctx->postings */
    int counted_in_memory;         /* the matches were counted there */
};

/* Whether every document of db carries its samples (an index written
 * before them does not until rebuilt): 1 or 0; a negative code on error.
 * One term lookup: call it once per index revision. */
int  search_index_sampled(xc_db *db, lib_error *err);

/* From how many matches Xapian expects a search's count is worth a thread
 * of its own (search_ctx.count_db): starting and joining one costs tens of
 * microseconds, counting fewer matches not much more. */
#define SEARCH_APART_MIN 2000

/* Runs req on ctx into out (emptied first). 0, or a negative code (an
 * XC_E_… from Xapian, such as XC_E_MODIFIED when the revision read was
 * overwritten: reopen and run again) with err filled. */
int  search_run(struct search_result *out, const struct search_ctx *ctx,
                const struct search_request *req, lib_error *err);
/* Frees what r holds and empties it; r itself is the caller's. */
void search_result_dispose(struct search_result *r);

#endif
