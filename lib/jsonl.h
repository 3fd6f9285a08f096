/* jsonl.h: one JSON document (a line of a .jsonl file, or a PUT body) →
 * struct doc. The fields of doc_from_json (doc.h), and `html`, which is run
 * through html_extract, the explicit fields winning over what the page says.
 */
#ifndef JSONL_H
#define JSONL_H

#include "doc.h"

#include <stddef.h>

/* 0, or -1 with a reason in err (bad JSON with its column, a missing id, a
 * field of the wrong type). */
int jsonl_parse_doc(const char *text, size_t len, struct doc *d, char *err,
                    size_t errlen);

#endif
