/* snippet.h: the excerpt shown under a hit: the passage of the page's text
 * where the query's words gather, HTML-escaped, each matching word wrapped in
 * <mark>. A word matches by the same analysis as the search (analysis.h), so
 * the inflected form, the compound and the unaccented spelling that made the
 * page match are the ones marked.
 */
#ifndef SNIPPET_H
#define SNIPPET_H

#include "snippet_match.h"

#include <stddef.h>

/* An HTML snippet of about `target` bytes of text into *out (malloc'd), the
 * words m says match marked. 0, or LIB_E_NOMEM. */
int snippet_make(char **out, struct snippet_matcher *m, const char *text, size_t len,
                 size_t target);
/* The same, and where in text the snippet's first marked word is (its
 * passage's start when none is marked) into *where: to tell on which page
 * of a paged document the snippet was found. */
int snippet_make_at(char **out, size_t *where, struct snippet_matcher *m, const char *text,
                    size_t len, size_t target);

#endif
