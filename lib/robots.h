/* robots.h: a site's robots.txt read for one crawler (RFC 9309), and the
 * question the crawler asks of it for each URL: may this path be fetched?
 *
 * The file is read tolerantly, as the RFC asks: lines end in LF, CR or
 * CRLF; a UTF-8 BOM, comments (#), lines that are not "key: value" and
 * unknown keys are skipped; keys are case-insensitive; bytes that are not
 * UTF-8 are taken as they are; only the first ROBOTS_MAX_BYTES are read
 * (§2.5). Rules before the first User-agent line belong to no group and
 * are ignored. A Crawl-delay line belongs to the group it is in without
 * ending its list of User-agent lines (as for Google, to whom it is an
 * unknown key); Sitemap lines belong to no group.
 *
 * Patterns and paths are compared in one form (url_escape_append): octets
 * outside ASCII, spaces and controls percent-encoded, escapes of unreserved
 * characters decoded, hex in upper case. So "/%62%61%7A" matches "/baz" and
 * a raw "/ä" matches "/%C3%A4", while an escaped reserved character
 * ("%2F") matches only itself. A rule's specificity is the length of its
 * pattern in that form, '*' and a final '$' counted, as Google counts them
 * (tests/test_robots.c has Google's examples). '$' is an anchor only as a
 * pattern's last character.
 */
#ifndef ROBOTS_H
#define ROBOTS_H

#include "error.h"

#include <stddef.h>

/* RFC 9309 §2.5: a crawler must read at least 500 KiB; we read no more. */
#define ROBOTS_MAX_BYTES (500 * 1024)

struct robots;

/* Reads text[0..len) for the crawler agent (its product token, the leading
 * letters, '-' and '_' of e.g. "SiteSearch/1.0 (+https://…)", matched
 * case-insensitively against each User-agent line's own leading token).
 * The rules of every group naming the agent are kept, merged; when none
 * does, those of every "*" group; when there are none either, everything
 * is allowed. A NULL or empty agent takes the "*" groups. *out is
 * robots_free'd by the caller. 0, or LIB_E_NOMEM with *out NULL: any text
 * is a robots.txt. */
int robots_parse(struct robots **out, const char *text, size_t len, const char *agent);

/* 1 when path_and_query ("/a/b?c", as url_id gives it) may be fetched,
 * else 0 (RFC 9309 §2.2.2): of the rules whose pattern matches it, the most
 * specific decides, an Allow winning a tie; no rule matching allows.
 * "/robots.txt" is always allowed, and so is everything when r is NULL (no
 * robots.txt: 404 and the like). An empty Disallow or Allow is no rule. */
int robots_allowed(const struct robots *r, const char *path_and_query);

/* The chosen groups' first Crawl-delay in seconds (a number >= 0,
 * decimals allowed), or -1 when there is none or r is NULL. */
double robots_crawl_delay(const struct robots *r);

/* The file's Sitemap URLs, as written (trimmed), in order, into *out
 * (owned by r); their number. */
size_t robots_sitemaps(const struct robots *r, const char *const **out);

void robots_free(struct robots *r);

#endif
