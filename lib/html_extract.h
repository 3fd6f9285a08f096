/* html_extract.h: a site page (HTML bytes) → a struct doc.
 * page → [html_extract] → doc → schema → index. The caller sets what the
 * page itself cannot say: id, and url/type when the page has none.
 */
#ifndef HTML_EXTRACT_H
#define HTML_EXTRACT_H

#include "doc.h"
#include "error.h"

#include <stddef.h>

/* Fills title, body, date, type, url (canonical), summary, lang, noindex
 * (<meta name="robots" content="noindex">) and the seminar fields of d from
 * the page. 0, or a negative code with err: LIB_E_INVALID
 * for a page that cannot be parsed or has no text at all, LIB_E_NOMEM. */
int html_extract(struct doc *d, const char *html, size_t len, lib_error *err);

/* What a crawler reads of a page besides its doc. */
struct html_links {
    char **href;      /* each <a href> and <area href> as written, in order */
    size_t n, cap;
    char *base;       /* <base href>, or NULL */
    int nofollow;     /* <meta name="robots"> says nofollow (or none) */
};

/* html_extract, and the page's links into links (emptied first; NULL: not
 * wanted). */
int html_extract_links(struct doc *d, struct html_links *links, const char *html, size_t len,
                       lib_error *err);
/* Frees what l holds and empties it; l itself is the caller's. */
void html_links_dispose(struct html_links *l);

/* 1 when robots directives (<meta name="robots">'s content, or an
 * X-Robots-Tag header: "noindex, nofollow", "agent: noindex"; NULL: none)
 * hold word, or "none", which is noindex and nofollow. */
int html_robots_says(const char *directives, const char *word);

#endif
