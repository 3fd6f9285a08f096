/* html_extract.h: a site page (HTML bytes) → a struct doc.
 * page → [html_extract] → doc → schema → index. The caller sets what the
 * page itself cannot say: id, and url/type when the page has none.
 */
#ifndef HTML_EXTRACT_H
#define HTML_EXTRACT_H

#include "doc.h"

#include <stddef.h>

/* Fills title, body, date, type, url (canonical), summary and the seminar
 * fields of d from the page. Returns 0, or -1 with a reason in err (a page
 * that cannot be parsed, or one with no text at all). */
int html_extract(const char *html, size_t len, struct doc *d, char *err,
                 size_t errlen);

#endif
