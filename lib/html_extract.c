/* html_extract.c: a site page → struct doc, with libxml2's tolerant HTML
 * parser (tag soup, entities, <meta charset>). The content root is <main>,
 * else <article>, else <body> without the site chrome. The tree is walked
 * iteratively so that pathological nesting cannot exhaust the stack, and
 * built TREE_DEPTH_MAX elements deep at most: what lies deeper is read as
 * plain text, so no text is lost and the cost stays linear. */
#include "html_extract.h"

#include "buf.h"
#include "seminar.h"
#include "swedish_date.h"
#include "text.h"

#include <libxml/HTMLparser.h>
#include <libxml/SAX2.h>
#include <libxml/parserInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* libxml2 gives up on a tree deeper than 256 elements and drops the rest
 * of the page; building it deeper would not do either, as its parser scans
 * the open elements on every unmatched end tag (quadratic time). */
#define TREE_DEPTH_MAX 200

static int name_is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->name &&
           strcasecmp((const char *)n->name, name) == 0;
}

static int name_in(const xmlNode *n, const char *const *names)
{
    for (; *names; names++)
        if (name_is(n, *names))
            return 1;
    return 0;
}

static const char *const never_text[] = {
    "script", "style", "noscript", "template", "head", "title", "svg",
    "iframe", "object", "select", "button", "form", "nav", "aside", NULL};
/* Site chrome, skipped only when the root is <body>: inside <main> or
 * <article> a header may hold the page's own heading. */
static const char *const chrome[] = {"header", "footer", NULL};
static const char *const blocks[] = {
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5",
    "h6", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "td", "th",
    "br", "blockquote", "pre", "figure", "figcaption", "address", "hr",
    "header", "footer", "body", NULL};

/* Next node in document order after n, not descending into n, staying
 * below root. Calls leave() for each element left on the way up. */
static xmlNode *next_node(xmlNode *n, const xmlNode *root, struct buf *out)
{
    while (n && n != root && !n->next) {
        n = n->parent;
        if (n && n != root && out && name_in(n, blocks))
            buf_putc(out, '\n');
    }
    return (!n || n == root) ? NULL : n->next;
}

struct walk {
    const xmlNode *root;
    const xmlNode *exclude;   /* the title's <h1>, kept out of the body */
    int skip_chrome;
};

static int skipped(const struct walk *w, const xmlNode *n)
{
    if (n == w->exclude || name_in(n, never_text))
        return 1;
    if (w->skip_chrome && name_in(n, chrome))
        return 1;
    /* In-page links (skip links, "back to top") are chrome, not content. */
    if (w->skip_chrome && name_is(n, "a")) {
        xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
        int local = href && href[0] == '#';
        xmlFree(href);
        return local;
    }
    return 0;
}

/* The text below root, paragraphs separated by '\n'. 0, or LIB_E_NOMEM. */
static int collect_text(struct walk *w, struct buf *out)
{
    xmlNode *n = w->root->children;
    while (n) {
        if (n->type == XML_ELEMENT_NODE) {
            if (skipped(w, n)) {
                if (buf_putc(out, '\n') < 0)   /* keep words apart */
                    return LIB_E_NOMEM;
            } else {
                if (name_in(n, blocks) && buf_putc(out, '\n') < 0)
                    return LIB_E_NOMEM;
                if (n->children) {
                    n = n->children;
                    continue;
                }
            }
        } else if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) &&
                   n->content) {
            if (buf_puts(out, (const char *)n->content) < 0)
                return LIB_E_NOMEM;
        }
        n = next_node(n, w->root, out);
    }
    return 0;
}

/* First element named name below root in document order, or NULL. */
static xmlNode *find_element(xmlNode *root, const char *name)
{
    xmlNode *n = root;
    while (n) {
        if (name_is(n, name))
            return n;
        if (n->children && n->type == XML_ELEMENT_NODE) {
            n = n->children;
            continue;
        }
        n = next_node(n, root, NULL);
    }
    return NULL;
}

static int set_prop(char **field, xmlNode *n, const char *attr, size_t max)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)attr);
    int rc = v ? doc_set(field, (const char *)v, strlen((const char *)v), max) : 0;
    xmlFree(v);
    return rc;
}

static int attr_is(xmlNode *n, const char *attr, const char *want)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)attr);
    int eq = v && strcasecmp((const char *)v, want) == 0;
    xmlFree(v);
    return eq;
}

/* A date from any ISO 8601 form whose first ten characters are the day. */
static int set_date(struct doc *d, xmlNode *n, const char *attr)
{
    char *v = NULL;
    if (d->date || set_prop(&v, n, attr, 64) < 0)
        return d->date ? 0 : LIB_E_NOMEM;
    if (v && strlen(v) >= 10) {
        v[10] = '\0';
        if (doc_date_valid(v)) {
            d->date = v;
            return 0;
        }
    }
    free(v);
    return 0;
}

/* Dates, type, canonical URL and description from <meta>, <link>, <time>.
 * <meta name="date"> wins over article:published_time over <time>. */
static int read_meta(xmlNode *root, struct doc *d)
{
    xmlNode *time = NULL;
    for (int pass = 0; pass < 2; pass++) {
        xmlNode *n = root;
        while (n) {
            int rc = 0;
            if (name_is(n, "meta")) {
                if (pass == 0 && attr_is(n, "name", "date"))
                    rc = set_date(d, n, "content");
                else if (pass == 1 && attr_is(n, "property", "article:published_time"))
                    rc = set_date(d, n, "content");
                else if (pass == 0 && attr_is(n, "name", "type") && !d->type)
                    rc = set_prop(&d->type, n, "content", 64);
                else if (pass == 0 && attr_is(n, "name", "description") && !d->summary)
                    rc = set_prop(&d->summary, n, "content", DOC_FIELD_MAX);
            } else if (pass == 0 && name_is(n, "link") && attr_is(n, "rel", "canonical") &&
                       !d->url) {
                rc = set_prop(&d->url, n, "href", DOC_FIELD_MAX);
            } else if (name_is(n, "time") && !time && xmlHasProp(n, (const xmlChar *)"datetime")) {
                time = n;
            }
            if (rc < 0)
                return rc;
            if (n->children && n->type == XML_ELEMENT_NODE) {
                n = n->children;
                continue;
            }
            n = next_node(n, root, NULL);
        }
    }
    return time ? set_date(d, time, "datetime") : 0;
}

/* The page's language: the lang (or xml:lang) of its content root, else of
 * <html>, else <meta http-equiv="content-language">. A value that is not
 * a language tag is passed over, as a browser does. */
static int lang_from(struct doc *d, xmlNode *n, const char *attr)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)attr);
    int rc = v ? doc_set_lang(d, (const char *)v, strlen((const char *)v)) : 0;
    xmlFree(v);
    return rc == LIB_E_NOMEM ? rc : 0;
}

static int read_lang(xmlNode *top, xmlNode *root, struct doc *d)
{
    xmlNode *from[] = {root, top};
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < 2 && !d->lang; i++)
        if ((rc = lang_from(d, from[i], "lang")) == 0 && !d->lang)
            rc = lang_from(d, from[i], "xml:lang");
    xmlNode *head = find_element(top, "head");
    for (xmlNode *c = head ? head->children : NULL; rc == 0 && c && !d->lang; c = c->next)
        if (name_is(c, "meta") && attr_is(c, "http-equiv", "content-language"))
            rc = lang_from(d, c, "content");
    return rc;
}

/* <title> without the site's name after " | " or " – ". */
static int title_from_head(xmlNode *root, struct doc *d)
{
    xmlNode *t = find_element(root, "title");
    if (!t)
        return 0;
    xmlChar *s = xmlNodeGetContent(t);
    if (!s)
        return 0;
    char *text = (char *)s;
    char *cut = strstr(text, " | ");
    if (!cut)
        cut = strstr(text, " \xe2\x80\x93 ");
    if (cut && cut > text)
        *cut = '\0';
    int rc = doc_set(&d->title, text, strlen(text), DOC_FIELD_MAX);
    xmlFree(s);
    return rc;
}

static int element_text(xmlNode *n, char **field, size_t max)
{
    struct buf b = BUF_INIT;
    struct walk w = {n, NULL, 0};
    int rc = collect_text(&w, &b);
    if (rc == 0)
        rc = doc_set(field, b.data, b.len, max);
    buf_dispose(&b);
    return rc;
}

/* libxml2 reports encoding trouble on its generic error channel whatever the
 * parse options; a broken page is our caller's to report, once. */
static void no_errors(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* A seminar is dated by its day ("Tid: 27 mars 2019"); the page's own date
 * stays as its publication date. */
static int seminar_day(struct doc *d)
{
    char day[11];
    if (!d->when || swedish_date_parse(day, d->when, d->date) < 0 ||
        (d->date && strcmp(d->date, day) == 0))
        return 0;
    free(d->published);
    d->published = d->date;
    d->date = NULL;
    return doc_set(&d->date, day, 10, 10);
}

/* Where a parse stopped building the tree: the offset, in the bytes parsed,
 * at or just before the end of the start tag that went too deep. */
struct stop {
    int stopped;
    size_t at;
};

/* libxml2's start of an element, refused past TREE_DEPTH_MAX: the parse
 * stops there and the caller reads the rest as plain text. */
static void start_element(void *ctx, const xmlChar *name, const xmlChar **atts)
{
    htmlParserCtxtPtr p = ctx;
    if (p->nodeNr < TREE_DEPTH_MAX) {
        xmlSAX2StartElement(ctx, name, atts);
        return;
    }
    struct stop *stop = p->_private;
    long at = xmlByteConsumed(p);   /* in the bytes given, whatever their encoding */
    stop->stopped = 1;
    /* Never seen to fail; were it to, the whole page is read again as text,
     * repeating some of it rather than losing any. */
    stop->at = at > 0 ? (size_t)at : 0;
    xmlStopParser(p);
}

/* A context of htmlNewParserCtxt would take a page's first byte over 127
 * for Latin-1; htmlReadMemory's takes the bytes for UTF-8 until they prove
 * otherwise (or a <meta> names their charset): start as it does. */
static void start_document(void *ctx)
{
    htmlParserCtxtPtr p = ctx;
    p->charset = XML_CHAR_ENCODING_UTF8;
    xmlSAX2StartDocument(ctx);
}

static htmlDocPtr parse(const char *html, size_t len, const char *encoding, struct stop *stop)
{
    int opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
               HTML_PARSE_NONET | HTML_PARSE_NOBLANKS | HTML_PARSE_COMPACT;
    *stop = (struct stop){0, 0};
    if (len > (size_t)INT32_MAX)
        return NULL;
    htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
    if (!ctxt)
        return NULL;
    ctxt->sax->startDocument = start_document;
    ctxt->sax->startElement = start_element;
    ctxt->_private = stop;
    htmlDocPtr doc = htmlCtxtReadMemory(ctxt, html, (int)len, NULL, encoding, opts);
    htmlFreeParserCtxt(ctxt);
    return doc;
}

/* The name of the tag at s (after "<" or "</"): its length. */
static size_t tag_name(const char *s, const char *end)
{
    const char *p = s;
    while (p < end && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                       (*p >= '0' && *p <= '9')))
        p++;
    return (size_t)(p - s);
}

static int name_listed(const char *name, size_t n, const char *const *names)
{
    for (; *names; names++)
        if (strlen(*names) == n && strncasecmp(name, *names, n) == 0)
            return 1;
    return 0;
}

/* The end of the markup starting at p ("<…>", quoted values skipped). */
static const char *markup_end(const char *p, const char *end)
{
    if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
        const char *c = memmem(p + 4, (size_t)(end - p - 4), "-->", 3);
        return c ? c + 3 : end;
    }
    for (char quote = 0; p < end; p++) {
        if (quote) {
            quote = *p == quote ? 0 : quote;
        } else if (*p == '"' || *p == '\'') {
            quote = *p;
        } else if (*p == '>') {
            return p + 1;
        }
    }
    return end;
}

/* Past the end tag of the raw text element (script, style) named name. */
static const char *raw_text_end(const char *p, const char *end, const char *name, size_t n)
{
    for (; p < end; p++)
        if (*p == '<' && end - p > (ptrdiff_t)(n + 1) && p[1] == '/' &&
            strncasecmp(p + 2, name, n) == 0)
            return markup_end(p, end);
    return end;
}

static const char *const raw_text[] = {"script", "style", NULL};

/* Markup dropped from s[0..len), for the parser to read as text only: a
 * block's tag leaves a line break, scripts, styles and comments go, and a
 * '<' that starts no markup is escaped, so that no tag is made anew from
 * the pieces around dropped ones. 0, or LIB_E_NOMEM. */
static int strip_tags(const char *s, size_t len, struct buf *out)
{
    const char *p = s, *end = s + len, *lt;
    while ((lt = memchr(p, '<', (size_t)(end - p)))) {
        if (buf_append(out, p, (size_t)(lt - p)) < 0)
            return LIB_E_NOMEM;
        const char *name = lt + 1 + (lt + 1 < end && lt[1] == '/');
        size_t n = tag_name(name, end);
        int markup = n || (lt + 1 < end && (lt[1] == '!' || lt[1] == '?'));
        p = markup ? markup_end(lt, end) : lt + 1;
        if (!markup && buf_puts(out, "&lt;") < 0)
            return LIB_E_NOMEM;
        if (n && name == lt + 1 && name_listed(name, n, raw_text))
            p = raw_text_end(p, end, name, n);
        if (n && (name_listed(name, n, blocks) || name_listed(name, n, raw_text)) &&
            buf_putc(out, '\n') < 0)
            return LIB_E_NOMEM;
    }
    return buf_append(out, p, (size_t)(end - p));
}

/* The text of html[from..len) read as plain text (see strip_tags), in the
 * page's encoding, appended to out. 0, or LIB_E_NOMEM (the text alone could
 * only fail to parse for want of memory). */
static int rest_text(const char *html, size_t len, size_t from, const char *encoding,
                     struct buf *out)
{
    struct buf flat = BUF_INIT;
    struct stop none;
    int rc = strip_tags(html + from, len - from, &flat);
    htmlDocPtr doc = rc == 0 && flat.len ? parse(flat.data, flat.len, encoding, &none) : NULL;
    xmlNode *top = doc ? xmlDocGetRootElement(doc) : NULL;
    if (rc == 0 && flat.len && !doc)
        rc = LIB_E_NOMEM;
    if (top) {
        struct walk w = {top, NULL, 0};
        rc = buf_putc(out, '\n') < 0 ? LIB_E_NOMEM : collect_text(&w, out);
    }
    if (doc)
        xmlFreeDoc(doc);
    buf_dispose(&flat);
    return rc;
}

/* Binary data named .html: control characters (other than white space)
 * make up more than a tenth of its first 4 kB. A page with a stray NUL or
 * two is still a page. */
static int looks_binary(const char *s, size_t len)
{
    size_t n = len < 4096 ? len : 4096, controls = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        controls += (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r' && ch != '\f') ||
                    ch == 0x7f;
    }
    return controls * 10 > n;
}

/* The page parsed from its bytes into *out: NULs dropped; UTF-8 with a few
 * bad bytes repaired (U+FFFD) rather than read as another encoding, which
 * would turn every å into two letters; bytes with no UTF-8 in them and no
 * declared encoding read as Windows-1252, the superset of Latin-1 that older
 * pages were written in. The text of what lies deeper than the tree goes to
 * deep. 0 (*out NULL when nothing could be parsed), or LIB_E_NOMEM with
 * *out NULL. */
static int parse_bytes(htmlDocPtr *out, struct buf *deep, const char *html, size_t len)
{
    size_t n, invalid = 0;
    size_t multi = text_utf8_census(html, len, &invalid);
    int repair = invalid > 0 && multi >= invalid;
    char *bytes = NULL;
    struct stop stop;
    *out = NULL;
    int rc = text_scrub(&bytes, &n, html, len, repair);
    if (rc < 0)
        return rc;
    const char *encoding = repair ? "UTF-8" : NULL;
    htmlDocPtr doc = parse(bytes, n, encoding, &stop);
    if (doc && !repair && !doc->encoding && invalid > 0) {
        xmlFreeDoc(doc);
        encoding = "windows-1252";
        doc = parse(bytes, n, encoding, &stop);
    }
    if (doc && stop.stopped) {
        /* The start tag that stopped the tree ends at stop.at ("/>" or ">"). */
        size_t from = stop.at + (stop.at < n && bytes[stop.at] == '/');
        from += from < n && bytes[from] == '>';
        rc = rest_text(bytes, n, from, encoding ? encoding : (const char *)doc->encoding, deep);
    }
    free(bytes);
    if (rc < 0 && doc) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    *out = doc;
    return rc;
}

void html_links_dispose(struct html_links *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->href[i]);
    free(l->href);
    free(l->base);
    memset(l, 0, sizeof *l);
}

static int add_link(struct html_links *l, const char *href)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        char **p = realloc(l->href, cap * sizeof *p);
        if (!p)
            return LIB_E_NOMEM;
        l->href = p;
        l->cap = cap;
    }
    if (!(l->href[l->n] = strdup(href)))
        return LIB_E_NOMEM;
    l->n++;
    return 0;
}

int html_robots_says(const char *directives, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = directives ? directives : ""; *p;) {
        while (*p == ' ' || *p == ',' || *p == '\t')
            p++;
        const char *end = p;
        while (*end && *end != ',')
            end++;
        const char *colon = memchr(p, ':', (size_t)(end - p));
        if (colon)   /* "agent: noindex", as X-Robots-Tag may say */
            for (p = colon + 1; p < end && (*p == ' ' || *p == '\t'); p++)
                ;
        size_t len = (size_t)(end - p);
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        if ((len == n && strncasecmp(p, word, n) == 0) || (len == 4 && strncasecmp(p, "none", 4) == 0))
            return 1;
        p = end;
    }
    return 0;
}

/* The robots directives, <base href> and every link of the page (links
 * NULL: the directives alone, from <head>: no walk through the page). */
static int read_links(xmlNode *top, struct doc *d, struct html_links *links)
{
    int rc = 0;
    if (!links && !(top = find_element(top, "head")))
        return 0;
    for (xmlNode *n = top; rc == 0 && n;) {
        if (name_is(n, "meta") && attr_is(n, "name", "robots")) {
            xmlChar *v = xmlGetProp(n, (const xmlChar *)"content");
            if (v) {
                d->noindex |= html_robots_says((const char *)v, "noindex");
                if (links)
                    links->nofollow |= html_robots_says((const char *)v, "nofollow");
            }
            xmlFree(v);
        } else if (links && (name_is(n, "a") || name_is(n, "area") || name_is(n, "base"))) {
            xmlChar *v = xmlGetProp(n, (const xmlChar *)"href");
            if (v && name_is(n, "base")) {
                if (!links->base && !(links->base = strdup((const char *)v)))
                    rc = LIB_E_NOMEM;
            } else if (v) {
                rc = add_link(links, (const char *)v);
            }
            xmlFree(v);
        }
        if (n->children && n->type == XML_ELEMENT_NODE) {
            n = n->children;
            continue;
        }
        n = next_node(n, top, NULL);
    }
    return rc;
}

int html_extract(struct doc *d, const char *html, size_t len, lib_error *err)
{
    return html_extract_links(d, NULL, html, len, err);
}

int html_extract_links(struct doc *d, struct html_links *links, const char *html, size_t len,
                       lib_error *err)
{
    if (links)
        html_links_dispose(links);
    if (len == 0)
        return lib_error_set(err, LIB_E_INVALID, "empty file");
    if (looks_binary(html, len))
        return lib_error_set(err, LIB_E_INVALID, "binary data, not an HTML page");
    xmlSetGenericErrorFunc(NULL, no_errors);   /* this thread's handler */
    struct buf body = BUF_INIT, deep = BUF_INIT;
    htmlDocPtr doc = NULL;
    int rc;
    if (parse_bytes(&doc, &deep, html, len) < 0)
        goto oom;
    xmlNode *top = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!top) {
        rc = lib_error_set(err, LIB_E_INVALID, "not an HTML page (nothing could be parsed)");
        goto cleanup;
    }
    xmlNode *root = find_element(top, "main");
    if (!root)
        root = find_element(top, "article");
    int is_body = !root;
    if (!root)
        root = find_element(top, "body");
    if (!root)
        root = top;
    xmlNode *h1 = find_element(root, "h1");
    if (!h1)
        h1 = find_element(top, "h1");
    if (read_meta(top, d) < 0 || read_lang(top, root, d) < 0 || read_links(top, d, links) < 0)
        goto oom;
    if (h1 && element_text(h1, &d->title, DOC_FIELD_MAX) < 0)
        goto oom;
    if (!d->title && title_from_head(top, d) < 0)
        goto oom;
    struct walk w = {root, h1, is_body};
    if (collect_text(&w, &body) < 0 || buf_append(&body, deep.data, deep.len) < 0 ||
        doc_set(&d->body, body.data, body.len, DOC_BODY_MAX) < 0)
        goto oom;
    d->truncated = body.len > DOC_BODY_MAX;
    if (d->body && seminar_fields(d, d->body) < 0)
        goto oom;
    if (seminar_day(d) < 0)
        goto oom;
    rc = d->title || d->body
             ? 0
             : lib_error_set(err, LIB_E_INVALID, "the page has no title and no text");
    goto cleanup;
oom:
    rc = lib_error_nomem(err);
cleanup:
    buf_dispose(&body);
    buf_dispose(&deep);
    if (doc)
        xmlFreeDoc(doc);
    return rc;
}
