/* sitemap.h: a sitemaps.org sitemap read into its list of URLs, or a
 * sitemap index into its list of sitemaps: what the crawler fetches next.
 *
 * The XML is read with libxml2's streaming reader, with no network, no DTD
 * loaded and no entity substituted: a file can neither make us fetch or
 * read anything (an external entity stays an unexpanded reference) nor
 * inflate entities (billion laughs). The caller initialises libxml2
 * (xmlInitParser) once at start, as the programs do.
 *
 * Elements are known by their local names, so sitemaps with the sitemaps.org
 * namespace, an old one (Google's 0.84) or none are all read; but <url>,
 * <sitemap>, <loc> and <lastmod> count only in the root element's own
 * namespace, so that extensions (<image:image><image:loc>, <xhtml:link>,
 * <video:…>) are skipped whatever their local names.
 */
#ifndef SITEMAP_H
#define SITEMAP_H

#include "error.h"

#include <stddef.h>

/* sitemaps.org's limits: 50,000 URLs and 50 MB (52,428,800 bytes)
 * uncompressed per file. */
#define SITEMAP_MAX_ENTRIES 50000
#define SITEMAP_MAX_BYTES (50 * 1024 * 1024)

struct sitemap_entry {
    char *loc;       /* as given, white space trimmed; never NULL */
    char *lastmod;   /* as given, trimmed; NULL when absent or empty */
};

struct sitemap {
    int is_index;                /* 1: a <sitemapindex>, its entries sitemaps */
    struct sitemap_entry *e;
    size_t n;
    size_t dropped;              /* entries past SITEMAP_MAX_ENTRIES, ignored */
};

/* Reads data[0..len) into *out (caller-owned; sitemap_dispose it whatever
 * the return). Gzip data (sitemap.xml.gz: it begins 1f 8b) is inflated
 * first, up to SITEMAP_MAX_BYTES; so is plain data held to that size.
 * An <url> or <sitemap> without a <loc> is skipped; of several <loc>s or
 * <lastmod>s the first counts.
 *
 * 0 on success. LIB_E_INVALID with the reason in err: not gzip or XML
 * that can be read, over SITEMAP_MAX_BYTES, a root element other than
 * <urlset> or <sitemapindex> — with no entries — or XML that breaks after
 * the root began (a truncated download, a stray '&'): then *out keeps the
 * entries whose end tag was read before the break, so that a crawler may
 * use what came through, and err says where it broke. LIB_E_NOMEM. */
int sitemap_parse(struct sitemap *out, const char *data, size_t len, lib_error *err);

void sitemap_dispose(struct sitemap *s);

#endif
