/* url.h: the crawler's absolute http(s) URLs: parsed, normalised (RFC 3986
 * §6.2.2 and the http(s) default ports), links resolved against their page
 * (§5), a crawl's scope and a crawled page's id. Pure string work: nothing
 * here looks a host up or fetches anything.
 *
 * Every URL coming out of here is canonical, so that two links to the same
 * page compare equal as strings: scheme and host lower-case, no default
 * port, no dot segments, no fragment, percent-escapes with upper-case hex,
 * unreserved characters unescaped, and what a URL may not hold raw (space,
 * non-ASCII bytes, controls, "<>\"\\^`{|}[]") escaped byte by byte, so UTF-8
 * becomes %C3%A5. A '%' not followed by two hex digits is kept literally as
 * "%25". Leading and trailing HTML white space is ignored, and tabs and line
 * breaks inside are dropped (as browsers do with a long href split over
 * lines). An empty query ("/a?") is kept: RFC 3986 §6.2.3 does not let a
 * normaliser assume /a? and /a are the same resource.
 *
 * Refused with LIB_E_INVALID: other schemes, no host, userinfo
 * ("http://user@host/"), a host that is not ASCII letters, digits, '-', '.'
 * and '_' or a bracketed IPv6 address (an internationalised name must come
 * as its xn-- form), port 0 or over 65535, and input or result over
 * URL_MAX bytes.
 */
#ifndef URL_H
#define URL_H

#include "buf.h"
#include "error.h"

/* The longest URL taken in or given out, in bytes. */
#define URL_MAX 8192

struct url {
    char *scheme;    /* "http" or "https" */
    char *host;      /* lower-case; an IPv6 address keeps its brackets */
    unsigned port;   /* as given, else 80 or 443 */
    char *path;      /* begins with '/' */
    char *query;     /* without the '?'; NULL when there is none */
};

/* Parses the absolute URL s into *out (malloc'd fields, url_dispose), its
 * fragment dropped. 0, LIB_E_INVALID or LIB_E_NOMEM; on failure *out is
 * empty. */
int url_parse(struct url *out, const char *s);
void url_dispose(struct url *u);

/* Resolves the link ref found on the page at base (RFC 3986 §5.2, with the
 * dot segments of every form of ref removed) into *out, canonical and
 * malloc'd. A ref "http:g" with base's own scheme and no host is read as
 * the relative "g" (§5.4.2's backward-compatible choice, what browsers do).
 * LIB_E_INVALID for a ref of another scheme (mailto:, javascript:, tel:,
 * data:, ftp:), or when base or the result is not a URL taken here. */
int url_resolve(char **out, const char *base, const char *ref);

/* The canonical form of s into *out (malloc'd):
 * scheme://host[:port]/path[?query], the port only when not the default. */
int url_normalize(char **out, const char *s);

/* 1 when url lies in the crawl started at start: the same scheme, host and
 * port, and url's path begins with start's path up to and including its
 * last '/' (start https://x.se/a/b.html gives /a/). 0 otherwise, also when
 * either cannot be parsed. */
int url_in_scope(const char *url, const char *start);

/* A crawled page's id: the canonical path and query of url ("/a/b?x=1"),
 * malloc'd into *out. */
int url_id(char **out, const char *url);

/* Appends s[0..n) to b escaped as a path or query is here (see above), '?'
 * and the sub-delimiters included raw: how robots.txt's patterns and the
 * paths tested against them are brought to one form. 0 or LIB_E_NOMEM. */
int url_escape_append(struct buf *b, const char *s, size_t n);

#endif
