/* html_extract.h: a site page (HTML bytes) → a struct doc.
 * page → [html_extract] → doc → schema → index. The caller sets what the
 * page itself cannot say: id, and url/type when the page has none.
 */
#ifndef HTML_EXTRACT_H
#define HTML_EXTRACT_H

#include "doc.h"
#include "error.h"

#include <stddef.h>

/* Fills title, body, date, type, url (canonical), summary and the seminar
 * fields of d from the page. 0, or a negative code with err: LIB_E_INVALID
 * for a page that cannot be parsed or has no text at all, LIB_E_NOMEM. */
int html_extract(struct doc *d, const char *html, size_t len, lib_error *err);

#endif
