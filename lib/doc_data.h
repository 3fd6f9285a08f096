/* doc_data.h: a document as the index stores it (Xapian's document data):
 * the JSON of its fields but the body, then a NUL, then the body's text;
 * all of it one zstd frame when the text is long enough for that to pay.
 * A hit reads its few fields without parsing its text as JSON, and is
 * decompressed several times faster than Xapian's zlib would (Xapian keeps
 * data it cannot shrink as it is). Data stored in the earlier forms (the
 * same uncompressed, or every field as JSON) reads the same.
 */
#ifndef DOC_DATA_H
#define DOC_DATA_H

#include "doc.h"

#include <jansson.h>
#include <stddef.h>

/* Where a compressed body is decompressed: one per thread or request,
 * reused from document to document. */
struct doc_text {
    char *buf;
    size_t cap;
    void *dctx;   /* zstd's decompression context, made on first use */
};
#define DOC_TEXT_INIT {NULL, 0, NULL}
void doc_text_dispose(struct doc_text *t);
/* Frees the buffer when it grew past keep bytes (one very long text), and
 * keeps the decompression context: for a doc_text kept between uses. */
void doc_text_shrink(struct doc_text *t, size_t keep);

/* d as stored, into *out (malloc'd, *len bytes): 0, or LIB_E_NOMEM. */
int doc_data_encode(char **out, size_t *len, const struct doc *d);

/* The fields of stored data into *fields (a new object; the JSON of every
 * field but the body) and, when body is not NULL, its text into *body and
 * *body_len (inside data, inside *fields or inside text; NULL when there is
 * none). text may be NULL when body is; a compressed document asked for its
 * body without one is LIB_E_INVALID. 0, LIB_E_INVALID for data that is not
 * a stored document (a damaged frame included), or LIB_E_NOMEM; on failure
 * *fields is NULL. */
int doc_data_decode(json_t **fields, const char **body, size_t *body_len, struct doc_text *text,
                    const char *data, size_t len);

#endif
