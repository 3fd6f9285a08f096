/* suggest.h: completions for search-as-you-type, from the index's own
 * words. Short prefixes (one or two letters) would match too many words to
 * rank at query time, so the indexer stores their most frequent words once
 * per run (metadata "completions"); longer prefixes are looked up in the
 * term list with a capped scan. Either way a keystroke costs a bounded,
 * small amount of work.
 */
#ifndef SUGGEST_H
#define SUGGEST_H

#include "error.h"
#include "xapian_c.h"

#include <jansson.h>

#define SUGGEST_MAX 8
#define SUGGEST_TABLE_LETTERS 2   /* prefixes up to this many letters are stored */
#define SCHEMA_META_COMPLETIONS "completions"

/* Indexer: the table {"s": ["segregation", …], "se": […], …} over the
 * committed index into *out. 0, or a negative code (the engine's, or
 * LIB_E_NOMEM) with err and *out NULL. */
int suggest_build_table(json_t **out, xc_wdb *db, lib_error *err);

/* searchd: up to SUGGEST_MAX words completing prefix (lower case), most
 * frequent first, into out (caller frees each). How many, or a negative
 * code (the engine's, or LIB_E_NOMEM) with err and nothing in out. */
int suggest_complete(char **out, xc_db *db, json_t *table, const char *prefix, lib_error *err);

#endif
