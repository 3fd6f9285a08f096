/* index_write.h: putting one document into (or out of) an open writable
 * index: the step the indexer repeats for every page and searchd takes for
 * an editor's PUT or DELETE. Unchanged content (same hash) is not rewritten.
 */
#ifndef INDEX_WRITE_H
#define INDEX_WRITE_H

#include "analysis.h"
#include "doc.h"
#include "error.h"
#include "xapian_c.h"

#include <stddef.h>

enum iw_result { IW_ADDED, IW_UPDATED, IW_UNCHANGED };

/* Writes d (not committed) and sets *result. 0; LIB_E_INVALID when the
 * document is refused, nothing written: it has no id or no text, it cannot
 * be built, or the engine calls it invalid; another negative code when the
 * index fails (the engine's, or LIB_E_NOMEM). The reason goes to err. */
int iw_put(enum iw_result *result, xc_wdb *db, struct analyzer *an, const struct doc *d,
           lib_error *err);

/* Writes a document built elsewhere (schema_build with no old hash, in
 * another thread): unchanged when the index holds the same hash from the
 * same source; otherwise its words (NUL-separated) go to the spelling data
 * and it replaces the indexed version. 0 with *result set, or a negative
 * code (the engine's, or LIB_E_NOMEM) with err. */
int iw_put_built(enum iw_result *result, xc_wdb *db, const char *id, xc_doc *xd,
                 const char *hash, const char *source, const char *words, size_t words_len,
                 lib_error *err);

/* 1 when the index (as committed: a reader of it) holds id from a source
 * file of this signature (the file is unchanged since it was indexed), else
 * 0, also when it cannot be read. */
int iw_source_unchanged(xc_db *db, const char *id, const char *source);

/* Deletes the document with this id (not committed): 1 deleted, 0 there
 * was none, or the engine's negative code with err. */
int iw_delete(xc_wdb *db, const char *id, lib_error *err);

#endif
