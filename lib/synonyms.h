/* synonyms.h: the editors' synonyms file → the JSON the indexer stores in
 * the index (metadata "synonyms") and searchd expands queries with.
 * File: one group per line, "DMS = Delegationen mot segregation, Delmos" or
 * "a, b, c"; every member of a group stands for every other; # comments.
 * JSON: {"dms": ["delegationen mot segregation", "delmos"], …}, keys and
 * values normalised to lower-case words joined by one space.
 */
#ifndef SYNONYMS_H
#define SYNONYMS_H

#include <jansson.h>
#include <stddef.h>

/* Reads the file; -1 with "path:line: reason" in err. */
int synonyms_read_file(const char *path, json_t **out, char *err, size_t errlen);

/* The normalised form of text (lower-case words, one space), malloc'd. */
char *synonyms_key(const char *text, size_t len);

#endif
