/* synonyms.h: the editors' synonyms file → the JSON the indexer stores in
 * the index (metadata "synonyms") and searchd expands queries with.
 * File: one group per line, "DMS = Delegationen mot segregation, Delmos" or
 * "a, b, c"; every member of a group stands for every other; # comments.
 * JSON: {"dms": ["delegationen mot segregation", "delmos"], …}, keys and
 * values normalised to lower-case words joined by one space.
 */
#ifndef SYNONYMS_H
#define SYNONYMS_H

#include "error.h"

#include <jansson.h>
#include <stddef.h>

/* Reads the file into *out. 0, or a negative code (LIB_E_IO, LIB_E_INVALID,
 * LIB_E_NOMEM) with "path:line: reason" or "path: reason" in err. */
int synonyms_read_file(json_t **out, const char *path, lib_error *err);

/* The normalised form of text (lower-case words, one space) into *out,
 * malloc'd. 0, or LIB_E_NOMEM. */
int synonyms_key(char **out, const char *text, size_t len);

#endif
