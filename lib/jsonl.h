/* jsonl.h: one JSON document (a line of a .jsonl file, or a PUT body) →
 * struct doc. The fields of doc_from_json (doc.h), and `html`, which is run
 * through html_extract, the explicit fields winning over what the page says.
 */
#ifndef JSONL_H
#define JSONL_H

#include "doc.h"
#include "error.h"

#include <stddef.h>

/* The document text[0..len) holds, into out. 0, or LIB_E_INVALID with a
 * reason in err (bad JSON with its column, a missing id, a field of the
 * wrong type, a page that cannot be read), or LIB_E_NOMEM. */
int jsonl_parse_doc(struct doc *out, const char *text, size_t len, lib_error *err);

#endif
