/* epub_extract.c: an EPUB book → struct doc. META-INF/container.xml names
 * the OPF package; its metadata gives the title, date and language, its
 * spine the chapters in reading order (manifest ids → hrefs relative to the
 * OPF), each an XHTML page whose text html_extract reads. The container and the
 * OPF are small and read as trees, by libxml2 with no network, no DTD and
 * no entity substituted; the members come through zip_read's limits. */
#include "epub_extract.h"

#include "buf.h"
#include "declared_lang.h"
#include "html_extract.h"
#include "zip_read.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)
#define CONTAINER "META-INF/container.xml"
/* The container and the package are a few kilobytes; as trees, bytes of
 * XML take several times their size. */
#define TREE_XML_MAX (8UL * 1024 * 1024)

#define invalid(err, ...) lib_error_set(err, LIB_E_INVALID, __VA_ARGS__)

/* ---- small XML trees ---- */

static int name_is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->name && strcmp((const char *)n->name, name) == 0;
}

/* The next node after n in document order below root. Only elements are
 * entered: an entity reference's children are the entity's, not the
 * file's. */
static xmlNode *next_node(xmlNode *n, const xmlNode *root)
{
    if (n->type == XML_ELEMENT_NODE && n->children)
        return n->children;
    while (n && n != root && !n->next)
        n = n->parent;
    return (!n || n == root) ? NULL : n->next;
}

/* An attribute's value as the tree holds it (no copy), or NULL. */
static const char *attr(xmlNode *n, const char *name)
{
    xmlAttr *a = xmlHasNsProp(n, (const xmlChar *)name, NULL);
    if (!a || a->type != XML_ATTRIBUTE_NODE || !a->children || a->children->next ||
        a->children->type != XML_TEXT_NODE)
        return NULL;
    return (const char *)a->children->content;
}

/* The text below n (text and CDATA only: entities are not expanded). */
static int node_text(struct buf *b, xmlNode *n)
{
    for (xmlNode *c = n->children; c; c = next_node(c, n))
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content &&
            buf_puts(b, (const char *)c->content) < 0)
            return LIB_E_NOMEM;
    return 0;
}

/* Member name of z parsed into *out. LIB_E_NOTFOUND (err not filled) when
 * it is absent; LIB_E_INVALID when it cannot be read or is not XML. */
static int read_tree(xmlDocPtr *out, struct zip_in *z, const char *name, lib_error *err)
{
    char *xml = NULL;
    size_t n = 0;
    lib_error e = {0};
    xmlParserCtxtPtr ctxt = NULL;
    *out = NULL;
    int rc = zip_in_read(&xml, &n, z, name, &e);
    if (rc < 0 && rc != LIB_E_NOTFOUND && err)
        *err = e;
    if (rc < 0)
        return rc;
    if (n > TREE_XML_MAX) {
        rc = invalid(err, "%s has %zu bytes, more than the limit of %lu MB", name, n,
                     TREE_XML_MAX >> 20);
        goto cleanup;
    }
    ctxt = n > 0 ? xmlNewParserCtxt() : NULL;
    if (n > 0 && !ctxt) {
        rc = lib_error_nomem(err);
        goto cleanup;
    }
    *out = ctxt ? xmlCtxtReadMemory(ctxt, xml, (int)n, name, NULL, XML_OPTIONS) : NULL;
    if (!*out) {
        char why[128];
        snprintf(why, sizeof why, "%s", ctxt && ctxt->lastError.message ? ctxt->lastError.message
                                                                         : "empty");
        size_t wl = strlen(why);
        while (wl > 0 && (why[wl - 1] == '\n' || why[wl - 1] == ' '))
            why[--wl] = '\0';
        for (char *p = why; *p; p++)   /* libxml2's messages may span lines */
            *p = *p == '\n' ? ' ' : *p;
        rc = invalid(err, "%s is not well-formed XML (line %d: %s)", name,
                     ctxt ? ctxt->lastError.line : 0, why);
    }
cleanup:
    if (ctxt)
        xmlFreeParserCtxt(ctxt);
    free(xml);
    return rc;
}

/* ---- container and package ---- */

struct root_search {
    char *prefix;   /* "dir/" of dir/META-INF/container.xml */
    int nomem;
};

/* Some EPUBs (Debian's own among them) were zipped one folder too high:
 * everything sits under "dir/". That folder is taken for the book's root. */
static int find_nested_container(void *ctx, const char *name)
{
    struct root_search *s = ctx;
    const char *slash = strchr(name, '/');
    if (!slash || slash == name || strcmp(slash + 1, CONTAINER) != 0)
        return 0;
    s->prefix = strndup(name, (size_t)(slash + 1 - name));
    s->nomem = !s->prefix;
    return 1;
}

/* The container parsed into *out and the folder the book's paths start
 * from into *prefix ("" or "dir/", malloc'd). */
static int open_container(xmlDocPtr *out, char **prefix, struct zip_in *z, lib_error *err)
{
    struct root_search s = {NULL, 0};
    char name[sizeof CONTAINER + 512];
    *prefix = NULL;
    int rc = read_tree(out, z, CONTAINER, err);
    if (rc != LIB_E_NOTFOUND) {
        *prefix = rc == 0 ? strdup("") : NULL;
        return rc < 0 ? rc : *prefix ? 0 : lib_error_nomem(err);
    }
    zip_in_each(z, find_nested_container, &s);
    if (s.nomem)
        return lib_error_nomem(err);
    if (!s.prefix || strlen(s.prefix) >= 512) {
        free(s.prefix);
        return invalid(err, "not a valid epub file: " CONTAINER " is missing");
    }
    snprintf(name, sizeof name, "%s" CONTAINER, s.prefix);
    rc = read_tree(out, z, name, err);
    if (rc < 0) {
        free(s.prefix);
        return rc;
    }
    *prefix = s.prefix;
    return 0;
}

/* The package's path, as a member name: the first <rootfile full-path>. */
static const char *rootfile_of(xmlDocPtr container)
{
    xmlNode *root = xmlDocGetRootElement(container);
    for (xmlNode *n = root; n; n = next_node(n, root))
        if (name_is(n, "rootfile") && attr(n, "full-path") && *attr(n, "full-path"))
            return attr(n, "full-path");
    return NULL;
}

/* ---- paths ---- */

static int hex(char c)
{
    return c >= '0' && c <= '9' ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                : -1;
}

/* The member named by href from folder base ("" or ending in '/'):
 * percent-escapes decoded, the fragment dropped, "." and ".." resolved.
 * Malloc'd; NULL when href leaves the book or names nothing in it (a URL,
 * %00), or for want of memory (*nomem set). */
static char *resolve(const char *base, const char *href, int *nomem)
{
    size_t n = strcspn(href, "#?");
    const char *colon = memchr(href, ':', n), *slash = memchr(href, '/', n);
    if (n == 0 || (colon && (!slash || colon < slash)))   /* a URL */
        return NULL;
    struct buf path = BUF_INIT;
    char *out = NULL;
    if (buf_puts(&path, base) < 0)
        goto oom;
    for (size_t i = 0; i < n; i++) {
        char c = href[i];
        if (c == '%' && i + 2 < n && hex(href[i + 1]) >= 0 && hex(href[i + 2]) >= 0) {
            c = (char)(hex(href[i + 1]) * 16 + hex(href[i + 2]));
            i += 2;
            if (c == '\0')
                goto done;
        }
        if (buf_putc(&path, c) < 0)
            goto oom;
    }
    /* The segments in place: "." dropped, ".." takes the one before. */
    out = malloc(path.len + 1);
    if (!out)
        goto oom;
    size_t len = 0;
    for (char *seg = path.data, *end; seg && *seg; seg = end ? end + 1 : NULL) {
        end = strchr(seg, '/');
        size_t sl = end ? (size_t)(end - seg) : strlen(seg);
        if (sl == 0 || (sl == 1 && seg[0] == '.'))
            continue;
        if (sl == 2 && seg[0] == '.' && seg[1] == '.') {
            if (len == 0) {   /* above the book's root */
                free(out);
                out = NULL;
                goto done;
            }
            while (len > 0 && out[len - 1] != '/')
                len--;
            len -= len > 0;
            continue;
        }
        if (len > 0)
            out[len++] = '/';
        memcpy(out + len, seg, sl);
        len += sl;
    }
    out[len] = '\0';
    if (len == 0) {
        free(out);
        out = NULL;
    }
    goto done;
oom:
    *nomem = 1;
done:
    buf_dispose(&path);
    return out;
}

/* ---- metadata ---- */

/* dc:date's day: YYYY-MM-DD from a date or date-time. A year or a month
 * alone gives no date: a day made up for it would sort and filter the
 * document as if it were known. */
static int set_date(struct doc *d, const char *s)
{
    char day[11];
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    if (strspn(s, "0123456789") != 4 || s[4] != '-' || strspn(s + 5, "0123456789") != 2 ||
        s[7] != '-')
        return 0;
    snprintf(day, sizeof day, "%.10s", s);
    return doc_date_valid(day) ? doc_set(&d->date, day, 10, 10) : 0;
}

/* The first dc:title, dc:date and dc:language of the package (a book in
 * several languages lists its main one first). */
static int read_metadata(struct doc *d, xmlDocPtr opf)
{
    static const char dc[] = "http://purl.org/dc/elements/1.1/";
    xmlNode *root = xmlDocGetRootElement(opf), *title = NULL, *date = NULL, *lang = NULL;
    for (xmlNode *n = root; n && (!title || !date || !lang); n = next_node(n, root)) {
        if (n->type != XML_ELEMENT_NODE || !n->ns || !n->ns->href ||
            strcmp((const char *)n->ns->href, dc) != 0)
            continue;
        if (!title && name_is(n, "title"))
            title = n;
        else if (!date && name_is(n, "date"))
            date = n;
        else if (!lang && name_is(n, "language"))
            lang = n;
    }
    struct buf t = BUF_INIT, dt = BUF_INIT, lg = BUF_INIT;
    int rc = 0;
    if ((title && node_text(&t, title) < 0) || (date && node_text(&dt, date) < 0) ||
        (lang && node_text(&lg, lang) < 0))
        rc = LIB_E_NOMEM;
    if (rc == 0 && t.len)
        rc = doc_set(&d->title, t.data, t.len, DOC_FIELD_MAX);
    if (rc == 0 && dt.len)
        rc = set_date(d, dt.data);
    if (rc == 0)
        rc = declared_lang(d, lg.data, lg.len);
    buf_dispose(&t);
    buf_dispose(&dt);
    buf_dispose(&lg);
    return rc;
}

/* ---- the chapters ---- */

struct item {
    const char *id, *href, *type;
};

static int by_id(const void *a, const void *b)
{
    return strcmp(((const struct item *)a)->id, ((const struct item *)b)->id);
}

struct spine {
    struct item *items;   /* the manifest, sorted by id */
    size_t nitems;
    const char **refs;    /* the spine's idrefs, in reading order */
    size_t nrefs;
};

/* The capacity for element n of an array that doubles when n reaches a
 * power of two; 0 when the array has room. */
static size_t grown(size_t n)
{
    return n & (n - 1) ? 0 : n ? n * 2 : 1;
}

/* Manifest and spine of the package. More itemrefs than an archive may
 * have members are not read: no real book repeats its chapters. */
static int read_spine(struct spine *s, xmlDocPtr opf)
{
    xmlNode *root = xmlDocGetRootElement(opf);
    for (xmlNode *n = root; n; n = next_node(n, root)) {
        if (name_is(n, "item") && attr(n, "id") && attr(n, "href")) {
            size_t cap = grown(s->nitems);
            struct item *items = cap ? realloc(s->items, cap * sizeof *items) : s->items;
            if (!items)
                return LIB_E_NOMEM;
            s->items = items;
            s->items[s->nitems++] = (struct item){attr(n, "id"), attr(n, "href"),
                                                  attr(n, "media-type")};
        } else if (name_is(n, "itemref") && attr(n, "idref") && s->nrefs < ZIP_IN_MEMBERS_MAX) {
            size_t cap = grown(s->nrefs);
            const char **refs = cap ? realloc(s->refs, cap * sizeof *refs) : s->refs;
            if (!refs)
                return LIB_E_NOMEM;
            s->refs = refs;
            s->refs[s->nrefs++] = attr(n, "idref");
        }
    }
    if (s->nitems)
        qsort(s->items, s->nitems, sizeof *s->items, by_id);
    return 0;
}

/* A spine item that is a page: XHTML, or HTML, or not said. */
static int is_page(const struct item *it)
{
    return !it->type || strcmp(it->type, "application/xhtml+xml") == 0 ||
           strcmp(it->type, "text/html") == 0;
}

static int has_h1(const char *s, size_t len)
{
    for (const char *p = s; (p = memchr(p, '<', len - (size_t)(p - s))); p++)
        if ((size_t)(p - s) + 3 <= len && strncasecmp(p + 1, "h1", 2) == 0)
            return 1;
    return 0;
}

struct book {
    struct buf body;
    int truncated;
    char *first_title;   /* of the first chapter that had one */
    char *first_lang;    /* likewise: the book's when its package says none */
};

/* One chapter's text appended to the book. A chapter html_extract cannot
 * read is skipped. html_extract takes a page's <h1> out of the body for its
 * title: in a book, that heading is the chapter's text, and goes back in
 * front of it. 0 or LIB_E_NOMEM. */
static int add_chapter(struct book *b, const char *html, size_t len)
{
    struct doc ch = {0};
    lib_error e = {0};
    int rc = html_extract(&ch, html, len, &e);
    if (rc == LIB_E_NOMEM)
        goto cleanup;
    rc = 0;
    if (ch.title && !b->first_title && !(b->first_title = strdup(ch.title)))
        rc = LIB_E_NOMEM;
    if (rc == 0 && ch.lang && !b->first_lang && !(b->first_lang = strdup(ch.lang)))
        rc = LIB_E_NOMEM;
    if (rc == 0 && ch.title && has_h1(html, len) &&
        ((b->body.len && buf_putc(&b->body, '\n') < 0) || buf_puts(&b->body, ch.title) < 0))
        rc = LIB_E_NOMEM;
    if (rc == 0 && ch.body &&
        ((b->body.len && buf_putc(&b->body, '\n') < 0) || buf_puts(&b->body, ch.body) < 0))
        rc = LIB_E_NOMEM;
    b->truncated |= ch.truncated || b->body.len > DOC_BODY_MAX;
cleanup:
    doc_dispose(&ch);
    return rc;
}

/* The chapters of the spine, from the package's folder opf_dir, into b
 * until DOC_BODY_MAX. A chapter missing from the archive is skipped; one
 * the archive refuses (encrypted, damaged, past the limits) refuses the
 * book with the reason. */
static int read_chapters(struct book *b, struct zip_in *z, const struct spine *s,
                         const char *opf_dir, lib_error *err)
{
    int rc = 0, nomem = 0;
    for (size_t i = 0; i < s->nrefs && !b->truncated && rc == 0; i++) {
        struct item key = {s->refs[i], NULL, NULL};
        const struct item *it = s->nitems ? bsearch(&key, s->items, s->nitems, sizeof key, by_id)
                                          : NULL;
        char *name = it && is_page(it) ? resolve(opf_dir, it->href, &nomem) : NULL;
        char *html = NULL;
        size_t len = 0;
        lib_error e = {0};
        if (nomem)
            return lib_error_nomem(err);
        rc = name ? zip_in_read(&html, &len, z, name, &e) : LIB_E_NOTFOUND;
        if (rc == 0)
            rc = add_chapter(b, html, len);
        if (rc == LIB_E_NOTFOUND)
            rc = 0;
        else if (rc == LIB_E_NOMEM)
            lib_error_nomem(err);
        else if (rc < 0 && err)
            *err = e;
        free(html);
        free(name);
    }
    return rc;
}

/* ---- the book ---- */

int epub_extract(struct doc *d, const char *data, size_t len, lib_error *err)
{
    struct zip_in *z = NULL;
    xmlDocPtr container = NULL, opf = NULL;
    char *prefix = NULL, *opf_name = NULL, *opf_dir = NULL;
    struct spine s = {NULL, 0, NULL, 0};
    struct book b = {BUF_INIT, 0, NULL, NULL};
    struct doc got = {0};   /* moved into d only when all went well */
    int nomem = 0;
    int rc = zip_in_open(&z, data, len, err);
    if (rc < 0)
        return rc;
    if ((rc = open_container(&container, &prefix, z, err)) < 0)
        goto cleanup;
    const char *rootfile = rootfile_of(container);
    opf_name = rootfile ? resolve(prefix, rootfile, &nomem) : NULL;
    if (!opf_name) {
        rc = nomem ? lib_error_nomem(err)
                   : invalid(err, "not a valid epub file: " CONTAINER " names no package");
        goto cleanup;
    }
    rc = read_tree(&opf, z, opf_name, err);
    if (rc == LIB_E_NOTFOUND)
        rc = invalid(err, "not a valid epub file: its package %s is missing", opf_name);
    if (rc < 0)
        goto cleanup;
    char *slash = strrchr(opf_name, '/');
    opf_dir = strndup(opf_name, slash ? (size_t)(slash + 1 - opf_name) : 0);
    if (!opf_dir || read_metadata(&got, opf) < 0 || read_spine(&s, opf) < 0) {
        rc = lib_error_nomem(err);
        goto cleanup;
    }
    if ((rc = read_chapters(&b, z, &s, opf_dir, err)) < 0)
        goto cleanup;
    if ((!got.title && b.first_title &&
         doc_set(&got.title, b.first_title, strlen(b.first_title), DOC_FIELD_MAX) < 0) ||
        (!got.lang && b.first_lang &&
         declared_lang(&got, b.first_lang, strlen(b.first_lang)) < 0) ||
        doc_set(&got.body, b.body.data, b.body.len, DOC_BODY_MAX) < 0 ||
        doc_set(&got.format, "epub", 4, 16) < 0) {
        rc = lib_error_nomem(err);
        goto cleanup;
    }
    if (!got.body) {
        rc = invalid(err, "the epub file has no text (no chapter of its spine could be read)");
        goto cleanup;
    }
    doc_merge(d, &got);
    d->truncated = b.truncated;
cleanup:
    doc_dispose(&got);
    buf_dispose(&b.body);
    free(b.first_title);
    free(b.first_lang);
    free(s.items);
    free(s.refs);
    free(opf_dir);
    free(opf_name);
    free(prefix);
    if (opf)
        xmlFreeDoc(opf);
    if (container)
        xmlFreeDoc(container);
    zip_in_free(z);
    return rc;
}
