/* suggest.h: completions for search-as-you-type, from the index's own
 * words. Short prefixes (one or two letters) would match too many words to
 * rank at query time, so the indexer stores their most frequent words once
 * per run (metadata "completions"); longer prefixes are looked up in the
 * term list with a capped scan. Either way a keystroke costs a bounded,
 * small amount of work.
 */
#ifndef SUGGEST_H
#define SUGGEST_H

#include "xapian_c.h"

#include <jansson.h>

#define SUGGEST_MAX 8
#define SUGGEST_TABLE_LETTERS 2   /* prefixes up to this many letters are stored */
#define SCHEMA_META_COMPLETIONS "completions"

/* Indexer: the table {"s": ["segregation", …], "se": […], …} over the
 * committed index. NULL on error. */
json_t *suggest_build_table(xc_wdb *db);

/* searchd: up to SUGGEST_MAX words completing prefix (lower case), most
 * frequent first, into out (caller frees each); returns how many. */
size_t suggest_complete(xc_db *db, json_t *table, const char *prefix, char **out);

#endif
