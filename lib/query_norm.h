/* query_norm.h: a visitor's query as the search statistics keep it, so that
 * the ways of typing one query count as one and a number that may identify
 * a person (a personal identity number, an organisation or phone number)
 * is never kept.
 */
#ifndef QUERY_NORM_H
#define QUERY_NORM_H

#include <stddef.h>

#define QUERY_NORM_MAX 200    /* bytes kept of a normalised query */
#define QUERY_NORM_DIGITS 6   /* a run of this many digits or more is masked */

/* q[0..len) into *out (malloc'd, NUL-terminated): cleaned as text_clean
 * does (invalid UTF-8 becomes U+FFFD, controls and NUL dropped, runs of
 * white space one space, trimmed, NFC), case-folded, and each digit (any
 * script's) of a run of QUERY_NORM_DIGITS digits or more replaced by '#',
 * together with the digit groups joined to that run by one '-', '+', '.',
 * '/' or space (so "800101-1234" becomes "######-####"); then cut to
 * QUERY_NORM_MAX bytes on a character boundary. "" when nothing is left.
 * 0, or LIB_E_NOMEM with *out NULL. */
int query_norm(char **out, const char *q, size_t len);

#endif
