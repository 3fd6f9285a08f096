/* sitemap.c: sitemaps.org sitemaps and sitemap indexes (sitemap.h). The
 * XML is streamed, never made a tree: a 50 MB sitemap costs its entries,
 * not libxml2's nodes for every element. */
#include "sitemap.h"

#include "buf.h"
#include "text.h"
#include "xml_error.h"

#include <libxml/xmlreader.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* No network, no DTD loaded, no entity substituted (XML_PARSE_NOENT and
 * XML_PARSE_DTDLOAD stay off), no diagnostics on stderr: the first error
 * is reported once, by us (as docread/office_extract.c reads XML). */
#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

#define invalid(err, ...) lib_error_set(err, LIB_E_INVALID, __VA_ARGS__)

static int is_gzip(const char *data, size_t len)
{
    return len >= 2 && (unsigned char)data[0] == 0x1f && (unsigned char)data[1] == 0x8b;
}

/* One pass over the gzip data (one member or several back to back): with
 * out NULL it counts the bytes it inflates to into *n, stopping as soon as
 * they pass SITEMAP_MAX_BYTES; else it writes the *n bytes counted before
 * into out. *truncated is set when the data ends inside a member (seen by
 * the counting pass). */
static int inflate_members(char *out, size_t *n, int *truncated, const char *data, size_t len,
                           lib_error *err)
{
    unsigned char scratch[16384];
    z_stream z;
    size_t have = 0, left = len;   /* left: input not yet given to zlib */
    int rc = 0;
    *truncated = 0;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
        return lib_error_nomem(err);
    z.next_in = (Bytef *)data;
    for (;;) {
        if (z.avail_in == 0 && left > 0) {   /* uInt is 32 bits */
            z.avail_in = left > UINT_MAX ? UINT_MAX : (uInt)left;
            left -= z.avail_in;
        }
        if (out && have == *n)
            break;
        z.next_out = out ? (Bytef *)out + have : scratch;
        z.avail_out = out ? (uInt)(*n - have) : (uInt)sizeof scratch;
        uInt room = z.avail_out;
        int zrc = inflate(&z, Z_NO_FLUSH);
        have += room - z.avail_out;
        if (have > SITEMAP_MAX_BYTES) {
            rc = invalid(err, "the sitemap inflates to over 50 MB (sitemaps.org's limit)");
            break;
        }
        if (zrc == Z_STREAM_END) {
            if (!is_gzip((const char *)z.next_in, z.avail_in + left))
                break;   /* anything after the last member is not ours */
            if (inflateReset(&z) != Z_OK) {
                rc = lib_error_nomem(err);
                break;
            }
        } else if (zrc == Z_BUF_ERROR && z.avail_in == 0 && left == 0) {
            *truncated = 1;
            break;
        } else if (zrc == Z_MEM_ERROR) {
            rc = lib_error_nomem(err);
            break;
        } else if (zrc != Z_OK && zrc != Z_BUF_ERROR) {
            rc = invalid(err, "the gzip data is damaged (%s)", z.msg ? z.msg : "inflate failed");
            break;
        }
    }
    inflateEnd(&z);
    *n = have;
    return rc;
}

/* The gzip data inflated into *out (malloc'd) and *out_len. Inflated
 * twice, counting first: a bomb costs a little time and no memory (no
 * buffer is made before its size is known to be within the limit), a real
 * sitemap exactly its size. What a truncated file held is kept. */
static int gunzip(char **out, size_t *out_len, int *truncated, const char *data, size_t len,
                  lib_error *err)
{
    size_t n = 0;
    *out = NULL;
    *out_len = 0;
    int rc = inflate_members(NULL, &n, truncated, data, len, err);
    if (rc < 0)
        return rc;
    char *buf = malloc(n + 1);
    int again;   /* the second pass stops at n bytes, before the end it saw */
    if (!buf)
        return lib_error_nomem(err);
    if ((rc = inflate_members(buf, &n, &again, data, len, err)) < 0) {
        free(buf);
        return rc;
    }
    *out = buf;
    *out_len = n;
    return 0;
}

/* The walk through the document. */
enum field { F_NONE, F_LOC, F_LASTMOD };

struct walk {
    struct sitemap *s;
    char *ns;           /* the root's namespace URI; NULL when it has none */
    int root;           /* the root element was read */
    int in_entry;       /* inside an <url> or <sitemap> */
    enum field field;   /* the element whose text is being read */
    int seen_loc, seen_lastmod;
    struct buf loc, lastmod;
    size_t cap;         /* entries allocated in s->e */
};

static int in_root_ns(const struct walk *w, xmlTextReaderPtr r)
{
    const char *ns = (const char *)xmlTextReaderConstNamespaceUri(r);
    return ns && w->ns ? strcmp(ns, w->ns) == 0 : !ns && !w->ns;
}

/* b's text without the white space around it, malloc'd; NULL when empty
 * (or out of memory: *nomem). */
static char *trimmed(const struct buf *b, int *nomem)
{
    const char *s = b->data ? b->data : "";
    size_t n = b->len;
    while (n > 0 && text_ascii_space(*s))
        s++, n--;
    while (n > 0 && text_ascii_space(s[n - 1]))
        n--;
    if (n == 0)
        return NULL;
    char *t = strndup(s, n);
    if (!t)
        *nomem = 1;
    return t;
}

/* The entry's end tag: it is kept when it has a <loc> and there is room. */
static int end_entry(struct walk *w)
{
    struct sitemap *s = w->s;
    int nomem = 0;
    w->in_entry = 0;
    w->field = F_NONE;
    char *loc = trimmed(&w->loc, &nomem);
    if (!loc)
        return nomem ? LIB_E_NOMEM : 0;
    if (s->n == SITEMAP_MAX_ENTRIES) {
        s->dropped++;
        free(loc);
        return 0;
    }
    char *lastmod = trimmed(&w->lastmod, &nomem);
    if (nomem) {
        free(loc);
        return LIB_E_NOMEM;
    }
    if (s->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 64;
        struct sitemap_entry *e = realloc(s->e, cap * sizeof *e);
        if (!e) {
            free(loc);
            free(lastmod);
            return LIB_E_NOMEM;
        }
        s->e = e;
        w->cap = cap;
    }
    s->e[s->n].loc = loc;
    s->e[s->n].lastmod = lastmod;
    s->n++;
    return 0;
}

#define XML_BROKEN 1   /* the reader failed: the document breaks there */

/* Reads the document into w->s: 0, XML_BROKEN, LIB_E_NOMEM, or
 * LIB_E_INVALID with the reason when the root is not a sitemap's. */
static int walk(struct walk *w, xmlTextReaderPtr r, lib_error *err)
{
    const char *entry = "url";
    int ret = 0, rc = 0;
    while (rc == 0 && (ret = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r), depth = xmlTextReaderDepth(r);
        if (type == XML_READER_TYPE_ELEMENT) {
            const char *local = (const char *)xmlTextReaderConstLocalName(r);
            const char *ns = (const char *)xmlTextReaderConstNamespaceUri(r);
            int empty = xmlTextReaderIsEmptyElement(r);
            if (!local)
                continue;
            if (!w->root) {
                w->s->is_index = strcmp(local, "sitemapindex") == 0;
                if (!w->s->is_index && strcmp(local, "urlset") != 0)
                    return invalid(err, "not a sitemap: its root element is <%.64s>, not "
                                        "<urlset> or <sitemapindex>", local);
                entry = w->s->is_index ? "sitemap" : "url";
                if (ns && !(w->ns = strdup(ns)))
                    return LIB_E_NOMEM;
                w->root = 1;
            } else if (!in_root_ns(w, r)) {
                continue;
            } else if (depth == 1 && strcmp(local, entry) == 0) {
                w->in_entry = 1;
                w->seen_loc = w->seen_lastmod = 0;
                buf_clear(&w->loc);
                buf_clear(&w->lastmod);
                if (empty)
                    rc = end_entry(w);
            } else if (depth == 2 && w->in_entry && !empty) {
                if (strcmp(local, "loc") == 0 && !w->seen_loc) {
                    w->seen_loc = 1;
                    w->field = F_LOC;
                } else if (strcmp(local, "lastmod") == 0 && !w->seen_lastmod) {
                    w->seen_lastmod = 1;
                    w->field = F_LASTMOD;
                }
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (depth == 2)
                w->field = F_NONE;
            else if (depth == 1 && w->in_entry)
                rc = end_entry(w);
        } else if (w->field != F_NONE && depth == 3 &&
                   (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
                    type == XML_READER_TYPE_WHITESPACE ||
                    type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE)) {
            const char *v = (const char *)xmlTextReaderConstValue(r);
            if (v)
                rc = buf_puts(w->field == F_LOC ? &w->loc : &w->lastmod, v);
        }
    }
    if (rc < 0)
        return rc;
    return ret < 0 ? XML_BROKEN : 0;
}

void sitemap_dispose(struct sitemap *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->e[i].loc);
        free(s->e[i].lastmod);
    }
    free(s->e);
    memset(s, 0, sizeof *s);
}

int sitemap_parse(struct sitemap *out, const char *data, size_t len, lib_error *err)
{
    char *inflated = NULL;
    int truncated = 0, rc = 0;
    xmlTextReaderPtr r = NULL;
    struct xml_error xe = {0};
    struct walk w;
    memset(out, 0, sizeof *out);
    memset(&w, 0, sizeof w);
    w.s = out;
    if (!data)
        len = 0;
    if (is_gzip(data, len)) {
        if ((rc = gunzip(&inflated, &len, &truncated, data, len, err)) < 0)
            return rc;
        data = inflated;
    } else if (len > SITEMAP_MAX_BYTES) {
        return invalid(err, "the sitemap is over 50 MB (sitemaps.org's limit)");
    }
    if (len == 0) {
        rc = invalid(err, "the sitemap is empty");
        goto cleanup;
    }
    if (!(r = xmlReaderForMemory(data, (int)len, NULL, NULL, XML_OPTIONS))) {
        rc = lib_error_nomem(err);
        goto cleanup;
    }
    xmlTextReaderSetStructuredErrorHandler(r, xml_error_keep, &xe);
    rc = walk(&w, r, err);
    if (rc == XML_BROKEN && !w.root)
        rc = invalid(err, "%snot well-formed XML (line %d: %s)",
                     truncated ? "the gzip data ends early; " : "", xe.line,
                     xe.seen ? xe.msg : "the reader failed");
    else if (rc == XML_BROKEN)
        rc = invalid(err, "%sthe XML breaks at line %d (%s); entries read before it: %zu",
                     truncated ? "the gzip data ends early; " : "", xe.line,
                     xe.seen ? xe.msg : "the reader failed", out->n);
    else if (rc == 0 && !w.root)
        rc = invalid(err, "not a sitemap: no root element");
    else if (rc == LIB_E_NOMEM)
        rc = lib_error_nomem(err);
cleanup:
    if (r)
        xmlFreeTextReader(r);
    free(inflated);
    free(w.ns);
    buf_dispose(&w.loc);
    buf_dispose(&w.lastmod);
    if (rc < 0 && !w.root)
        sitemap_dispose(out);   /* nothing was a sitemap's: no entries */
    return rc;
}
