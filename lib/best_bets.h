/* best_bets.h: the editors' best bets: for a query, the documents to show
 * first, in the editors' order, and those to hide. The file
 * (config/best-bets.txt), one rule per line, # comments:
 *   lediga jobb = jobb/lediga-tjanster.html, om-oss/karriar.html
 *   sommarlov = artikel/sommarlov.html from 2026-06-01 to 2026-08-31
 *   segregation -= lista/arkiv-2015.html
 * "=" pins documents (by id), "-=" hides them; "from" and "to" (either,
 * both or neither) bound a campaign's days, inclusive. The indexer stores
 * the rules in the index (metadata "best_bets", JSON) and searchd reads
 * them with every new revision.
 *
 * A visitor's query meets a rule's query after the same analysis as the
 * search: each word's stem without diacritics, stopwords left out, in
 * order ("Lediga jobben" and "lediga jobb" meet; "malmo" meets "Malmö").
 */
#ifndef BEST_BETS_H
#define BEST_BETS_H

#include "analysis.h"
#include "error.h"

#include <jansson.h>
#include <stddef.h>

#define BEST_BETS_META "best_bets"   /* the index's metadata key */
#define BEST_BETS_IDS_MAX 20         /* documents one query pins or hides */

/* The rules of the file at path as the JSON stored in the index:
 * [{"query": "…", "pin": [ids], "hide": [ids], "from": "YYYY-MM-DD",
 * "to": "YYYY-MM-DD"}, …] (from and to only when given). 0, or a negative
 * code with "path:line: reason" in err. */
int best_bets_read_file(json_t **out, const char *path, lib_error *err);
/* The same from text (name: what err calls it). */
int best_bets_parse(json_t **out, const char *text, size_t len, const char *name,
                    lib_error *err);

/* The rules loaded for matching, their queries' keys made with an. */
struct best_bets;
/* NULL json: no rules. 0, or LIB_E_NOMEM. */
int  best_bets_load(struct best_bets **out, const json_t *rules, struct analyzer *an);
void best_bets_free(struct best_bets *b);

/* The key of query text q: see the top of this file. Into *out (malloc'd;
 * "" when q has no word that counts). 0, or LIB_E_NOMEM. */
int  best_bets_key(char **out, struct analyzer *an, const char *q, size_t len);

/* What the rules say for a query, on a day. */
struct best_bets_match {
    const char *pin[BEST_BETS_IDS_MAX];    /* in order, each once */
    size_t npin;
    const char *hide[BEST_BETS_IDS_MAX];
    size_t nhide;
};
/* Every rule whose key is key and whose days hold today (YYYY-MM-DD) into
 * m (strings b's); a document both pinned and hidden is hidden. 1 when a
 * rule applied, else 0. */
int  best_bets_match(struct best_bets_match *m, const struct best_bets *b, const char *key,
                     const char *today);

#endif
