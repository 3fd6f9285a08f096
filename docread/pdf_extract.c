/* pdf_extract.c: a PDF → struct doc, with poppler-glib read from memory.
 * Each page's text is cleaned on its own and the pages are joined by '\n',
 * so that page_starts can say where each page begins in the body a reader
 * gets. The title is the Info dictionary's when it says something, else the
 * first line of text; the date is the creation (else modification) day; the
 * language is the XMP metadata's dc:language, as poppler-glib reaches no
 * other (the catalog's /Lang has no call of its own, and a structure
 * element's language stops at the structure tree's root). */
#include "pdf_extract.h"

#include "buf.h"
#include "declared_lang.h"
#include "text.h"

#include <libxml/xmlreader.h>
#include <limits.h>
#include <poppler.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TITLE_FROM_TEXT_MAX 200   /* bytes of the first line made a title */
#define YEAR_MIN 1990             /* earlier or later: a bad clock, not a date */
#define YEAR_MAX 2100
/* A dc:language longer than this is no language tag (the longest real
 * ones are about 35 bytes), and no more of it is kept. */
#define LANG_TEXT_MAX 64

/* As the office extractor reads XML: no network, no DTD loaded, no entity
 * substituted (XML_PARSE_NOENT and XML_PARSE_DTDLOAD stay off), no
 * diagnostics on stderr. */
#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

/* What tools put in /Title when the author gave none: the name of a new
 * document, compared after the prefix, extension and trailing digits went. */
static const char *const placeholder_titles[] = {
    "untitled", "untitled document", "no title", "title", "document", "dokument",
    "namnlös", "namnlöst", "utan titel", "presentation", "powerpoint presentation",
    "powerpoint-presentation", "slide", "unknown", "anonymous", NULL};
/* What word processors' PDF printers put before the file name. */
static const char *const producer_prefixes[] = {
    "Microsoft Word - ", "Microsoft PowerPoint - ", "Microsoft Excel - ", NULL};
static const char *const file_extensions[] = {
    "doc", "docx", "dot", "dotx", "odt", "ott", "rtf", "txt", "pdf", "ppt", "pptx",
    "odp", "xls", "xlsx", "ods", "tex", "dvi", "ps", "indd", "wpd", "pages", "htm",
    "html", "md", NULL};

static int listed(const char *s, size_t n, const char *const *list)
{
    for (; *list; list++)
        if (strlen(*list) == n && strncasecmp(s, *list, n) == 0)
            return 1;
    return 0;
}

/* The useful part of a cleaned /Title t: *len bytes from the result, 0 when
 * nothing in it names the document. "Microsoft Word - Rapport.docx" is
 * "Rapport"; "C:\Users\x\Rapport.doc" is "Rapport". */
static const char *useful_title(const char *t, size_t *len)
{
    const char *s = t, *end = t + strlen(t);
    for (const char *const *p = producer_prefixes; *p; p++)
        if (strncasecmp(s, *p, strlen(*p)) == 0) {
            s += strlen(*p);
            break;
        }
    const char *dot = memrchr(s, '.', (size_t)(end - s));
    if (dot && listed(dot + 1, (size_t)(end - dot - 1), file_extensions)) {
        end = dot;
        /* A file name with its folders: only a path starts like one. */
        int path = s[0] == '/' || (end - s > 2 && s[1] == ':' && s[2] == '\\');
        for (const char *p = s; path && p < end; p++)
            if (*p == '/' || *p == '\\')
                s = p + 1;
    }
    while (s < end && *s == ' ')
        s++;
    while (end > s && end[-1] == ' ')
        end--;
    /* "Dokument1", "Untitled 3": the name a new document gets. */
    const char *stem = end;
    while (stem > s && ((stem[-1] >= '0' && stem[-1] <= '9') || stem[-1] == ' '))
        stem--;
    int any_word = 0;
    for (const char *p = s; p < end && !any_word; p++)
        any_word = (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
                   (*p >= 'A' && *p <= 'Z') || (unsigned char)*p >= 0x80;
    if (!any_word || listed(s, (size_t)(stem - s), placeholder_titles))
        end = s;
    *len = (size_t)(end - s);
    return s;
}

/* The title: the Info dictionary's, else the first line of the body. */
static int set_title(struct doc *out, PopplerDocument *pdf)
{
    gchar *meta = poppler_document_get_title(pdf);
    char *t = NULL;
    int rc = meta ? doc_set(&t, meta, strlen(meta), DOC_FIELD_MAX) : 0;
    g_free(meta);
    if (rc == 0 && t) {
        size_t n;
        const char *s = useful_title(t, &n);
        rc = doc_set(&out->title, s, n, DOC_FIELD_MAX);
    }
    free(t);
    if (rc < 0 || out->title || !out->body)
        return rc;
    size_t n = strcspn(out->body, "\n");
    if (n > TITLE_FROM_TEXT_MAX) {
        n = TITLE_FROM_TEXT_MAX;
        while (n > 0 && ((unsigned char)out->body[n] & 0xC0) == 0x80)
            n--;
    }
    return doc_set(&out->title, out->body, n, DOC_FIELD_MAX);
}

/* The UTC day of t (NULL: none) into day as YYYY-MM-DD: 1, or 0 when there
 * is none or its year is implausible. Drops the caller's reference to t. */
static int utc_day(char day[11], GDateTime *t)
{
    GDateTime *utc = t ? g_date_time_to_utc(t) : NULL;
    int ok = 0;
    if (utc) {
        int y = g_date_time_get_year(utc);
        ok = y >= YEAR_MIN && y <= YEAR_MAX;
        if (ok)
            snprintf(day, 11, "%04d-%02d-%02d", y, g_date_time_get_month(utc),
                     g_date_time_get_day_of_month(utc));
        g_date_time_unref(utc);
    }
    if (t)
        g_date_time_unref(t);
    return ok;
}

static int set_date(struct doc *out, PopplerDocument *pdf)
{
    char day[11];
    if (utc_day(day, poppler_document_get_creation_date_time(pdf)) ||
        utc_day(day, poppler_document_get_modification_date_time(pdf)))
        return doc_set(&out->date, day, 10, 10);
    return 0;
}

/* 1 when the reader stands on an element (start or end) uri:name. */
static int element_is(xmlTextReaderPtr r, const char *uri, const char *name)
{
    const char *ns = (const char *)xmlTextReaderConstNamespaceUri(r);
    const char *local = (const char *)xmlTextReaderConstLocalName(r);
    return ns && local && strcmp(ns, uri) == 0 && strcmp(local, name) == 0;
}

/* The text of an XMP packet's dc:language, a bag of tags, up to the end of
 * its first rdf:li, into lang: 1; 0 when the packet has none, breaks off
 * inside it or holds more than LANG_TEXT_MAX bytes there; LIB_E_NOMEM.
 * Entity references are neither followed nor expanded. */
static int xmp_language(struct buf *lang, xmlTextReaderPtr r)
{
    int in = 0;
    while (xmlTextReaderRead(r) == 1) {
        int type = xmlTextReaderNodeType(r);
        if (!in && type == XML_READER_TYPE_ELEMENT && !xmlTextReaderIsEmptyElement(r)) {
            in = element_is(r, NS_DC, "language");
        } else if (in && type == XML_READER_TYPE_END_ELEMENT &&
                   (element_is(r, NS_RDF, "li") || element_is(r, NS_DC, "language"))) {
            return 1;
        } else if (in && (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA)) {
            const char *s = (const char *)xmlTextReaderConstValue(r);
            if (s && strlen(s) > LANG_TEXT_MAX - lang->len)
                return 0;
            if (s && buf_puts(lang, s) < 0)
                return LIB_E_NOMEM;
        }
    }
    return 0;
}

/* The language the XMP metadata declares into out->lang, when it declares
 * one that is a language tag. 0 or LIB_E_NOMEM. */
static int set_lang(struct doc *out, PopplerDocument *pdf)
{
    gchar *xmp = poppler_document_get_metadata(pdf);
    size_t n = xmp ? strlen(xmp) : 0;
    struct buf lang = BUF_INIT;
    xmlTextReaderPtr r = NULL;
    int rc = 0;
    if (n == 0 || n > INT_MAX)
        goto cleanup;
    r = xmlReaderForMemory(xmp, (int)n, NULL, NULL, XML_OPTIONS);
    if (!r) {
        rc = LIB_E_NOMEM;
        goto cleanup;
    }
    rc = xmp_language(&lang, r);
    if (rc > 0)
        rc = declared_lang(out, lang.data, lang.len);
cleanup:
    if (r)
        xmlFreeTextReader(r);
    buf_dispose(&lang);
    g_free(xmp);
    return rc;
}

/* The cleaned text of page i into *out (NULL when it has none); *loaded
 * counts the pages poppler could load. */
static int page_text(char **out, int *loaded, PopplerDocument *pdf, int i)
{
    PopplerPage *page = poppler_document_get_page(pdf, i);
    *loaded += page != NULL;
    char *raw = page ? poppler_page_get_text(page) : NULL;
    /* poppler keeps the text's lines: doc_set keeps each line break as a
     * paragraph break and a run of blank lines as one. */
    int rc = doc_set(out, raw, raw ? strlen(raw) : 0, DOC_BODY_MAX);
    g_free(raw);
    if (page)
        g_object_unref(page);
    return rc;
}

/* How much of text (cleaned, NUL-terminated, longer than room) goes in
 * room bytes: cut at the last word break that fits, else on a character
 * boundary. The text is cut in place. */
static size_t fitting(char *text, size_t room)
{
    size_t n = text_truncate(text, room);
    char *space = n ? memrchr(text, ' ', n) : NULL, *nl = n ? memrchr(text, '\n', n) : NULL;
    char *brk = space > nl ? space : nl;
    if (brk && brk > text)
        n = (size_t)(brk - text);
    text[n] = '\0';
    return n;
}

/* The pages' texts into out->body, joined by '\n', and where each begins
 * into out->page_starts; *truncated when the body reached DOC_BODY_MAX and
 * later pages were left out; *loaded, the pages poppler could load. Each page
 * is clean and so is '\n' between two, so the body is what doc_set would
 * make of it, offsets included. */
static int read_pages(struct doc *out, int *truncated, int *loaded, PopplerDocument *pdf, int n)
{
    struct buf body = BUF_INIT;
    char *text = NULL;
    int rc = 0;
    size_t kept = 0;
    out->page_starts = malloc((size_t)n * sizeof *out->page_starts);
    if (!out->page_starts)
        return LIB_E_NOMEM;
    for (int i = 0; i < n; i++) {
        if ((rc = page_text(&text, loaded, pdf, i)) < 0)
            goto cleanup;
        size_t sep = body.len > 0;
        /* A page without text starts where the next text would. */
        out->page_starts[kept++] = body.len + sep;
        if (!text)
            continue;
        size_t len = strlen(text);
        /* doc_set cut a page longer than the body may be (on a character
         * boundary, up to 3 bytes short): that text is cut too. */
        if (len > DOC_BODY_MAX - 4)
            *truncated = 1;
        if (body.len + sep + len > DOC_BODY_MAX) {
            *truncated = 1;
            len = body.len + sep < DOC_BODY_MAX ? fitting(text, DOC_BODY_MAX - body.len - sep) : 0;
            if (len == 0) {
                kept--;
                break;
            }
        }
        if ((sep && buf_putc(&body, '\n') < 0) || buf_append(&body, text, len) < 0) {
            rc = LIB_E_NOMEM;
            goto cleanup;
        }
        free(text);
        text = NULL;
        if (*truncated)
            break;
    }
    /* Pages without text at the end start at the body's end. */
    for (size_t i = 0; i < kept; i++)
        if (out->page_starts[i] > body.len)
            out->page_starts[i] = body.len;
    out->npages = kept;
    if (body.len > 0 && !(out->body = buf_detach(&body)))
        rc = LIB_E_NOMEM;
cleanup:
    free(text);
    buf_dispose(&body);
    return rc;
}

/* Why poppler could not open the bytes, into err. */
static int open_failed(const GError *e, lib_error *err)
{
    if (e && g_error_matches(e, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
        return lib_error_set(err, LIB_E_INVALID,
                             "the PDF is encrypted: its text needs a password");
    return lib_error_set(err, LIB_E_INVALID, "not a PDF, or damaged beyond reading (%s)",
                         e && e->message ? e->message : "poppler gave no reason");
}

int pdf_extract(struct doc *d, const char *data, size_t len, lib_error *err)
{
    if (len == 0)
        return lib_error_set(err, LIB_E_INVALID, "empty file, not a PDF");
    struct doc out = {0};
    int truncated = 0, loaded = 0, rc;
    GError *gerr = NULL;
    /* Static: poppler reads the caller's bytes where they are, no copy. The
     * document holds a reference, and both are gone before this returns. */
    GBytes *bytes = g_bytes_new_static(data, len);
    PopplerDocument *pdf = poppler_document_new_from_bytes(bytes, NULL, &gerr);
    if (!pdf) {
        rc = open_failed(gerr, err);
        goto cleanup;
    }
    int n = poppler_document_get_n_pages(pdf);
    if (n <= 0) {
        rc = lib_error_set(err, LIB_E_INVALID, "the PDF has no pages (damaged?)");
        goto cleanup;
    }
    if ((rc = read_pages(&out, &truncated, &loaded, pdf, n)) < 0)
        goto oom;
    if (loaded == 0) {
        rc = lib_error_set(err, LIB_E_INVALID, "damaged: none of its %d pages could be read", n);
        goto cleanup;
    }
    if (!out.body) {
        rc = lib_error_set(err, LIB_E_INVALID, "no text (a scanned document?)");
        goto cleanup;
    }
    if (set_title(&out, pdf) < 0 || set_date(&out, pdf) < 0 || set_lang(&out, pdf) < 0 ||
        doc_set(&out.format, "pdf", 3, 16) < 0)
        goto oom;
    doc_merge(d, &out);
    d->truncated = truncated;
    rc = 0;
    goto cleanup;
oom:
    rc = lib_error_nomem(err);
cleanup:
    doc_dispose(&out);
    if (pdf)
        g_object_unref(pdf);
    g_bytes_unref(bytes);
    if (gerr)
        g_error_free(gerr);
    return rc;
}
