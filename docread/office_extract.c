/* office_extract.c: OpenDocument and Office Open XML files → struct doc.
 * Both are zips of XML (zip_read.c): the text is in one member (content.xml,
 * word/document.xml) or one per slide or sheet, the title, date and language
 * in another (meta.xml, docProps/core.xml), a default language also in the
 * styles (styles.xml, word/styles.xml). Every member is read with libxml2's
 * streaming reader, so that a 64 MB member never becomes a tree in memory,
 * with no network and no DTD or entity loaded or expanded: a file cannot
 * make us read /etc/passwd, nor inflate entities. Elements are known by
 * their namespace URI, whatever prefix a file gives them. */
#include "office_extract.h"

#include "buf.h"
#include "declared_lang.h"
#include "text.h"
#include "xml_error.h"
#include "zip_read.h"

#include <libxml/xmlreader.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A title made of the first heading or paragraph is cut here: it is shown
 * as a search hit's title, not read. */
#define TITLE_FALLBACK_MAX 200
/* Of the first heading and paragraph, this much is kept as the title's
 * material (whitespace is already collapsed: enough for 200 bytes). */
#define TITLE_COPY_MAX 1024

/* No network, no DTD loaded, no entity substituted (XML_PARSE_NOENT and
 * XML_PARSE_DTDLOAD stay off), no diagnostics on stderr: a broken member is
 * reported once, by us, with the reader's first error. */
#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

enum family { ODF, DOCX, XLSX, PPTX };

static const struct {
    const char *format;
    enum family family;
} formats[] = {{"odt", ODF},   {"ods", ODF},   {"odp", ODF},
               {"docx", DOCX}, {"xlsx", XLSX}, {"pptx", PPTX}};

/* The namespaces we read, by a short key. OOXML's "strict" flavour renames
 * its namespaces; the same key stands for both. */
static const struct {
    const char *key, *uri;
} namespaces[] = {
    {"text", "urn:oasis:names:tc:opendocument:xmlns:text:1.0"},
    {"table", "urn:oasis:names:tc:opendocument:xmlns:table:1.0"},
    {"office", "urn:oasis:names:tc:opendocument:xmlns:office:1.0"},
    {"meta", "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"},
    {"style", "urn:oasis:names:tc:opendocument:xmlns:style:1.0"},
    {"fo", "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"},
    {"dc", "http://purl.org/dc/elements/1.1/"},
    {"dcterms", "http://purl.org/dc/terms/"},
    {"w", "http://schemas.openxmlformats.org/wordprocessingml/2006/main"},
    {"w", "http://purl.oclc.org/ooxml/wordprocessingml/main"},
    {"a", "http://schemas.openxmlformats.org/drawingml/2006/main"},
    {"a", "http://purl.oclc.org/ooxml/drawingml/main"},
    {"x", "http://schemas.openxmlformats.org/spreadsheetml/2006/main"},
    {"x", "http://purl.oclc.org/ooxml/spreadsheetml/main"},
    {"mc", "http://schemas.openxmlformats.org/markup-compatibility/2006"},
};

static const char *ns_key(const xmlChar *uri)
{
    if (!uri)
        return NULL;
    for (size_t i = 0; i < sizeof namespaces / sizeof namespaces[0]; i++)
        if (strcmp((const char *)uri, namespaces[i].uri) == 0)
            return namespaces[i].key;
    return NULL;
}

/* The URI of key's namespace (the first, for a key that has two). */
static const char *ns_uri(const char *key)
{
    for (size_t i = 0; i < sizeof namespaces / sizeof namespaces[0]; i++)
        if (strcmp(key, namespaces[i].key) == 0)
            return namespaces[i].uri;
    return NULL;
}

/* 1 when the reader stands on an element (start or end) ns:name. */
static int element_is(xmlTextReaderPtr r, const char *ns, const char *name)
{
    const char *key = ns_key(xmlTextReaderConstNamespaceUri(r));
    const char *local = (const char *)xmlTextReaderConstLocalName(r);
    return key && local && strcmp(key, ns) == 0 && strcmp(local, name) == 0;
}

static int is_text_node(int type)
{
    return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
           type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
           type == XML_READER_TYPE_WHITESPACE;
}

/* ---- the body as it is read ---- */

/* The text, paragraphs separated by '\n', with white space collapsed as it
 * comes so that its length is that of the cleaned text: it stops growing
 * past DOC_BODY_MAX (full), and the reading stops there too. */
struct body {
    struct buf b;
    int full;            /* DOC_BODY_MAX passed: the rest is cut */
    int nomem;
    int space;           /* white space is owed before the next letter */
    int depth;           /* paragraphs open: a note's nest inside another */
    size_t para_at;      /* where the outermost open paragraph began in b */
    int heading;         /* that paragraph is a heading */
    char *first_heading; /* title candidates, raw */
    char *first_para;
};

static void body_dispose(struct body *o)
{
    buf_dispose(&o->b);
    free(o->first_heading);
    free(o->first_para);
}

/* Appends s[0..n), cut on a character boundary once the body passes
 * DOC_BODY_MAX (one byte past it, so that doc_set sees the cut). */
static void body_put(struct body *o, const char *s, size_t n)
{
    if (o->full || o->nomem)
        return;
    if (o->b.len + n > DOC_BODY_MAX) {
        n = DOC_BODY_MAX + 1 - o->b.len;
        while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
            n--;
        o->full = 1;
    }
    if (buf_append(&o->b, s, n) < 0)
        o->nomem = 1;
}

static int at_line_start(const struct body *o)
{
    return o->b.len == 0 || o->b.data[o->b.len - 1] == '\n';
}

/* Text of the document: runs of white space become one space, none at the
 * start of a paragraph. */
static void body_text(struct body *o, const char *s, size_t n)
{
    const char *end = s + n;
    while (s < end) {
        const char *word = s;
        while (s < end && text_ascii_space(*s))
            s++;
        o->space |= s > word;
        word = s;
        while (s < end && !text_ascii_space(*s))
            s++;
        if (s == word)
            break;
        if (o->space && !at_line_start(o))
            body_put(o, " ", 1);
        o->space = 0;
        body_put(o, word, (size_t)(s - word));
    }
}

static void body_break(struct body *o)
{
    if (!at_line_start(o))
        body_put(o, "\n", 1);
    o->space = 0;
}

static void para_start(struct body *o, int heading)
{
    body_break(o);
    if (o->depth++ == 0) {
        o->para_at = o->b.len;
        o->heading = heading;
    }
}

static void keep_candidate(struct body *o, char **slot)
{
    size_t n = o->b.len - o->para_at;
    if (*slot || n == 0 || o->nomem)
        return;
    *slot = strndup(o->b.data + o->para_at, n < TITLE_COPY_MAX ? n : TITLE_COPY_MAX);
    o->nomem = !*slot;
}

static void para_end(struct body *o)
{
    if (o->depth > 0 && --o->depth == 0) {
        if (o->heading)
            keep_candidate(o, &o->first_heading);
        keep_candidate(o, &o->first_para);
    }
    body_break(o);
}

/* ---- reading a member as XML ---- */

#define XML_BROKEN 1   /* a walk's answer: the reader failed */

typedef int (*walk_fn)(xmlTextReaderPtr r, void *ctx);

/* Reads member name of z through fn (0, XML_BROKEN or LIB_E_NOMEM). 0;
 * LIB_E_NOTFOUND when there is no such member; LIB_E_INVALID when it cannot
 * be read or is not XML, with the reason; LIB_E_NOMEM. */
static int read_xml(struct zip_in *z, const char *name, walk_fn fn, void *ctx, lib_error *err)
{
    char *xml = NULL;
    size_t n = 0;
    xmlTextReaderPtr r = NULL;
    struct xml_error xe = {0};
    int rc = zip_in_read(&xml, &n, z, name, err);
    if (rc < 0)
        return rc;
    if (n == 0 || n > INT32_MAX) {   /* zip_read's limit keeps n far below */
        rc = lib_error_set(err, LIB_E_INVALID, "%s is empty, not XML", name);
        goto cleanup;
    }
    r = xmlReaderForMemory(xml, (int)n, name, NULL, XML_OPTIONS);
    if (!r) {
        rc = lib_error_nomem(err);
        goto cleanup;
    }
    xmlTextReaderSetStructuredErrorHandler(r, xml_error_keep, &xe);
    rc = fn(r, ctx);
    if (rc == XML_BROKEN)
        rc = lib_error_set(err, LIB_E_INVALID, "%s is not well-formed XML (line %d: %s)", name,
                           xe.line, xe.seen ? xe.msg : "the reader failed");
    else if (rc < 0)
        rc = lib_error_nomem(err);
cleanup:
    if (r)
        xmlFreeTextReader(r);
    free(xml);
    return rc;
}

/* ---- text documents, slides: elements by what they mean ---- */

enum {
    A_PARA = 1,      /* a paragraph (or a table cell): a line of its own */
    A_TEXT = 2,      /* its text nodes are the document's text */
    A_HEADING = 4,   /* a paragraph that is a heading: a title candidate */
    A_SPACE = 8,     /* a tab or a space */
    A_BREAK = 16,    /* a line break */
    A_SKIP = 32,     /* not the document's text, nor anything inside */
    A_STYLE = 64     /* a docx paragraph's style: Heading…, Title, Rubrik… */
};

struct rule {
    const char *ns, *name;
    int act;
};

static const struct rule odf_rules[] = {
    {"text", "p", A_PARA | A_TEXT},
    {"text", "h", A_PARA | A_TEXT | A_HEADING},
    {"table", "table-cell", A_PARA},
    {"table", "covered-table-cell", A_PARA},
    {"text", "s", A_SPACE},
    {"text", "tab", A_SPACE},
    {"text", "line-break", A_BREAK},
    {"text", "tracked-changes", A_SKIP},   /* deleted text, kept for review */
    {"text", "note-citation", A_SKIP},     /* a footnote's number */
    {"office", "annotation", A_SKIP},      /* reviewers' comments */
    {NULL, NULL, 0}};

/* mc:Fallback repeats an mc:Choice's content (text boxes) for old readers. */
static const struct rule docx_rules[] = {
    {"w", "p", A_PARA},
    {"w", "t", A_TEXT},   /* not w:delText (deleted) nor w:instrText (field codes) */
    {"w", "tab", A_SPACE},
    {"w", "br", A_BREAK},
    {"w", "cr", A_BREAK},
    {"w", "pStyle", A_STYLE},
    {"mc", "Fallback", A_SKIP},
    {NULL, NULL, 0}};

static const struct rule pptx_rules[] = {
    {"a", "p", A_PARA},
    {"a", "t", A_TEXT},
    {"a", "br", A_BREAK},
    {"mc", "Fallback", A_SKIP},
    {NULL, NULL, 0}};

static int act_of(xmlTextReaderPtr r, const struct rule *rules)
{
    const char *key = ns_key(xmlTextReaderConstNamespaceUri(r));
    const char *local = (const char *)xmlTextReaderConstLocalName(r);
    if (!key || !local)
        return 0;
    for (; rules->name; rules++)
        if (strcmp(rules->ns, key) == 0 && strcmp(rules->name, local) == 0)
            return rules->act;
    return 0;
}

/* A docx paragraph style that makes a heading: the built-in ones by their
 * ids, in English and as Swedish Word names them. */
static int heading_style(xmlTextReaderPtr r)
{
    static const char *const prefixes[] = {"heading", "title", "rubrik"};
    xmlChar *v = xmlTextReaderGetAttributeNs(r, (const xmlChar *)"val",
                                             xmlTextReaderConstNamespaceUri(r));
    int yes = 0;
    for (size_t i = 0; v && i < sizeof prefixes / sizeof prefixes[0]; i++)
        yes |= strncasecmp((const char *)v, prefixes[i], strlen(prefixes[i])) == 0;
    xmlFree(v);
    return yes;
}

struct text_walk {
    struct body *o;
    const struct rule *rules;
};

static int walk_text(xmlTextReaderPtr r, void *ctx)
{
    struct text_walk *w = ctx;
    struct body *o = w->o;
    int rc = 1, skip = -1, in_text = 0;
    while (!o->full && !o->nomem && (rc = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r);
        if (skip >= 0) {
            if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(r) == skip)
                skip = -1;
            continue;
        }
        if (type == XML_READER_TYPE_ELEMENT) {
            int act = act_of(r, w->rules), empty = xmlTextReaderIsEmptyElement(r);
            if (act & A_SKIP) {
                skip = empty ? -1 : xmlTextReaderDepth(r);
                continue;
            }
            if (act & A_PARA)
                para_start(o, act & A_HEADING);
            if (act & A_SPACE)
                o->space = 1;
            if (act & A_BREAK)
                body_break(o);
            if ((act & A_STYLE) && o->depth > 0 && heading_style(r))
                o->heading = 1;
            if ((act & A_TEXT) && !empty)
                in_text++;
            if ((act & A_PARA) && empty)
                para_end(o);
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            int act = act_of(r, w->rules);
            if ((act & A_TEXT) && in_text > 0)
                in_text--;
            if (act & A_PARA)
                para_end(o);
        } else if (in_text && is_text_node(type)) {
            /* Entity references are neither followed nor expanded. */
            const char *s = (const char *)xmlTextReaderConstValue(r);
            if (s)
                body_text(o, s, strlen(s));
        }
    }
    if (o->nomem)
        return LIB_E_NOMEM;
    return rc < 0 ? XML_BROKEN : 0;
}

/* ---- spreadsheets ---- */

/* xl/sharedStrings.xml: string i is text[at[i]..at[i + 1]). */
struct sst {
    struct buf text;
    uint32_t *at;   /* a member is at most ZIP_IN_MEMBER_MAX bytes */
    size_t n, cap;  /* n offsets: n - 1 strings */
};

static int sst_push(struct sst *t)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        uint32_t *at = realloc(t->at, cap * sizeof *at);
        if (!at)
            return LIB_E_NOMEM;
        t->at = at;
        t->cap = cap;
    }
    t->at[t->n++] = (uint32_t)t->text.len;
    return 0;
}

/* <si> holds a <t> or rich-text runs <r><t>; <rPh> (phonetic reading) has
 * a <t> of its own that is not the string. */
static int walk_sst(xmlTextReaderPtr r, void *ctx)
{
    struct sst *t = ctx;
    int rc = 1, in_si = 0, in_t = 0, rph = 0;
    if (sst_push(t) < 0)
        return LIB_E_NOMEM;
    while ((rc = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r), start = type == XML_READER_TYPE_ELEMENT;
        int empty = start && xmlTextReaderIsEmptyElement(r);
        if (start || type == XML_READER_TYPE_END_ELEMENT) {
            if (element_is(r, "x", "si")) {
                in_si = start && !empty;
                if (!in_si && sst_push(t) < 0)
                    return LIB_E_NOMEM;
            } else if (element_is(r, "x", "rPh")) {
                rph = start && !empty;
            } else if (element_is(r, "x", "t")) {
                in_t = start && !empty && in_si && !rph;
            }
        } else if (in_t && is_text_node(type)) {
            const char *s = (const char *)xmlTextReaderConstValue(r);
            if (s && buf_puts(&t->text, s) < 0)
                return LIB_E_NOMEM;
        }
    }
    return rc < 0 ? XML_BROKEN : 0;
}

struct sheet_walk {
    struct body *o;
    const struct sst *sst;
    struct buf v;   /* the cell's <v> */
    char type;      /* the cell's t: 's'hared, 'i'nline, 'f'ormula string, else 0 */
};

/* A cell's text as a paragraph: shared strings by their index, inline
 * strings and formulas' strings as they are; numbers, booleans and errors
 * are left out. */
static void cell_end(struct sheet_walk *w)
{
    const struct sst *t = w->sst;
    if (w->type == 's' && w->v.len > 0 && w->v.len < 10) {
        char *end;
        unsigned long i = strtoul(w->v.data, &end, 10);
        if (*end == '\0' && w->v.data[0] >= '0' && w->v.data[0] <= '9' && i + 1 < t->n)
            body_text(w->o, t->text.data + t->at[i], t->at[i + 1] - t->at[i]);
    } else if (w->type == 'f') {
        body_text(w->o, w->v.data ? w->v.data : "", w->v.len);
    }
    para_end(w->o);
}

static char cell_type(xmlTextReaderPtr r)
{
    xmlChar *t = xmlTextReaderGetAttribute(r, (const xmlChar *)"t");
    char type = 0;
    if (t && strcmp((const char *)t, "s") == 0)
        type = 's';
    else if (t && strcmp((const char *)t, "inlineStr") == 0)
        type = 'i';
    else if (t && strcmp((const char *)t, "str") == 0)
        type = 'f';
    xmlFree(t);
    return type;
}

static int walk_sheet(xmlTextReaderPtr r, void *ctx)
{
    struct sheet_walk *w = ctx;
    struct body *o = w->o;
    int rc = 1, in_v = 0, in_t = 0, in_c = 0;
    while (!o->full && !o->nomem && (rc = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r), start = type == XML_READER_TYPE_ELEMENT;
        int empty = start && xmlTextReaderIsEmptyElement(r);
        if (start || type == XML_READER_TYPE_END_ELEMENT) {
            if (element_is(r, "x", "c")) {
                if (start) {
                    w->type = cell_type(r);
                    buf_clear(&w->v);
                    para_start(o, 0);
                }
                in_c = start && !empty;
                if (!in_c)
                    cell_end(w);
            } else if (element_is(r, "x", "v")) {
                in_v = start && !empty && in_c;
            } else if (element_is(r, "x", "t")) {
                in_t = start && !empty && in_c && w->type == 'i';
            }
        } else if (is_text_node(type) && (in_v || in_t)) {
            const char *s = (const char *)xmlTextReaderConstValue(r);
            if (s && in_t)
                body_text(o, s, strlen(s));
            else if (s && buf_puts(&w->v, s) < 0)
                o->nomem = 1;
        }
    }
    if (o->nomem)
        return LIB_E_NOMEM;
    return rc < 0 ? XML_BROKEN : 0;
}

/* ---- numbered parts: ppt/slides/slideN.xml, xl/worksheets/sheetN.xml ---- */

struct parts {
    const char *prefix;   /* "ppt/slides/slide": N and ".xml" follow */
    unsigned *num;
    size_t n, cap;
};

static int collect_part(void *ctx, const char *name)
{
    struct parts *p = ctx;
    size_t pl = strlen(p->prefix), digits = 0;
    if (strncmp(name, p->prefix, pl) != 0)
        return 0;
    const char *s = name + pl;
    while (s[digits] >= '0' && s[digits] <= '9')
        digits++;
    if (digits == 0 || digits > 9 || strcmp(s + digits, ".xml") != 0)
        return 0;
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        unsigned *num = realloc(p->num, cap * sizeof *num);
        if (!num)
            return LIB_E_NOMEM;
        p->num = num;
        p->cap = cap;
    }
    p->num[p->n++] = (unsigned)strtoul(s, NULL, 10);
    return 0;
}

static int by_number(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return (x > y) - (x < y);
}

/* The parts prefix + N + ".xml" of z in the order of N (not the archive's
 * order), each through fn until the body is full. A file without any:
 * LIB_E_INVALID naming what is missing. */
static int read_parts(struct zip_in *z, const char *format, const char *prefix, walk_fn fn,
                      void *ctx, struct body *o, lib_error *err)
{
    struct parts p = {prefix, NULL, 0, 0};
    int rc = zip_in_each(z, collect_part, &p);
    if (rc < 0) {
        rc = lib_error_nomem(err);
        goto cleanup;
    }
    if (p.n == 0) {
        rc = lib_error_set(err, LIB_E_INVALID, "not a valid %s file: %s1.xml is missing",
                           format, prefix);
        goto cleanup;
    }
    qsort(p.num, p.n, sizeof *p.num, by_number);
    for (size_t i = 0; i < p.n && !o->full && rc == 0; i++) {
        char name[64];
        if (i > 0 && p.num[i] == p.num[i - 1])
            continue;   /* a name twice in the archive: read once */
        snprintf(name, sizeof name, "%s%u.xml", prefix, p.num[i]);
        rc = read_xml(z, name, fn, ctx, err);
        body_break(o);
    }
cleanup:
    free(p.num);
    return rc;
}

static int read_xlsx(struct zip_in *z, struct body *o, lib_error *err)
{
    struct sst t = {BUF_INIT, NULL, 0, 0};
    struct sheet_walk w = {o, &t, BUF_INIT, 0};
    lib_error e = {0};
    /* Shared strings are optional: a sheet of numbers and inline strings. */
    int rc = read_xml(z, "xl/sharedStrings.xml", walk_sst, &t, &e);
    if (rc == LIB_E_NOTFOUND)
        rc = sst_push(&t);
    if (rc == LIB_E_NOMEM)
        lib_error_nomem(err);
    else if (rc < 0 && err)
        *err = e;
    if (rc == 0)
        rc = read_parts(z, "xlsx", "xl/worksheets/sheet", walk_sheet, &w, o, err);
    buf_dispose(&t.text);
    free(t.at);
    buf_dispose(&w.v);
    return rc;
}

/* ---- title, date and language ---- */

struct field {
    const char *ns, *name;
    struct buf text;
    int done;
};

struct fields {
    struct field *f;
    size_t n;
};

/* The text of the first element of each field's name. */
static int walk_fields(xmlTextReaderPtr r, void *ctx)
{
    struct fields *fs = ctx;
    struct field *in = NULL;
    int rc = 1, depth = 0;
    while ((rc = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r);
        if (type == XML_READER_TYPE_ELEMENT && !in && !xmlTextReaderIsEmptyElement(r)) {
            for (size_t i = 0; i < fs->n; i++)
                if (!fs->f[i].done && element_is(r, fs->f[i].ns, fs->f[i].name)) {
                    in = &fs->f[i];
                    depth = xmlTextReaderDepth(r);
                }
        } else if (type == XML_READER_TYPE_END_ELEMENT && in && xmlTextReaderDepth(r) == depth) {
            in->done = 1;
            in = NULL;
        } else if (in && is_text_node(type) && in->text.len < DOC_FIELD_MAX) {
            const char *s = (const char *)xmlTextReaderConstValue(r);
            if (s && buf_puts(&in->text, s) < 0)
                return LIB_E_NOMEM;
        }
    }
    return rc < 0 ? XML_BROKEN : 0;
}

/* The day of an ISO 8601 date or date-time ("2021-03-04T10:00:00Z"). */
static int set_date(char **date, const struct buf *s)
{
    const char *p = s->data ? s->data : "";
    while (text_ascii_space(*p))
        p++;
    char day[11];
    snprintf(day, sizeof day, "%s", p);
    return doc_date_valid(day) ? doc_set(date, day, 10, 10) : 0;
}

/* Title, date and language from meta.xml or docProps/core.xml into d. A
 * member that is missing or broken leaves them unset: they are not the
 * document. 0 or LIB_E_NOMEM. */
static int read_meta(struct doc *d, struct zip_in *z, enum family family)
{
    struct field odf[] = {{"dc", "title", BUF_INIT, 0},
                          {"meta", "creation-date", BUF_INIT, 0},
                          {"dc", "date", BUF_INIT, 0},
                          {"dc", "language", BUF_INIT, 0}};
    struct field ooxml[] = {{"dc", "title", BUF_INIT, 0},
                            {"dcterms", "created", BUF_INIT, 0},
                            {"dcterms", "modified", BUF_INIT, 0},
                            {"dc", "language", BUF_INIT, 0}};
    struct fields fs = {family == ODF ? odf : ooxml, 4};
    int rc = read_xml(z, family == ODF ? "meta.xml" : "docProps/core.xml", walk_fields, &fs,
                      NULL);
    rc = rc == LIB_E_NOMEM ? rc : 0;
    if (rc == 0)
        rc = doc_set(&d->title, fs.f[0].text.data, fs.f[0].text.len, DOC_FIELD_MAX);
    if (rc == 0)
        rc = set_date(&d->date, &fs.f[1].text);
    if (rc == 0 && !d->date)
        rc = set_date(&d->date, &fs.f[2].text);
    if (rc == 0)
        rc = declared_lang(d, fs.f[3].text.data, fs.f[3].text.len);
    for (size_t i = 0; i < fs.n; i++)
        buf_dispose(&fs.f[i].text);
    return rc;
}

/* The way to the element of the styles that holds a document's default
 * language: each step a child element of the one before. */
struct step {
    const char *ns, *name;
    const char *family;   /* its style:family must be this; NULL: any */
};

/* ODF: the default style of paragraphs (graphics and tables have theirs);
 * docx: the document defaults of runs. */
static const struct step odf_default_style[] = {{"style", "default-style", "paragraph"},
                                                {"style", "text-properties", NULL}};
static const struct step docx_defaults[] = {{"w", "docDefaults", NULL},
                                            {"w", "rPrDefault", NULL},
                                            {"w", "rPr", NULL},
                                            {"w", "lang", NULL}};

struct lang_walk {
    const struct step *path;
    size_t n;
    size_t in;    /* the steps the reader is inside */
    int depth;    /* the reader's depth at the first step */
    int (*found)(xmlTextReaderPtr r, struct doc *d);   /* at the last step */
    struct doc *d;
};

/* An attribute of the reader's element in key's namespace (NULL: the
 * element's own), malloc'd by libxml2, or NULL. */
static char *attr_ns(xmlTextReaderPtr r, const char *key, const char *name)
{
    const xmlChar *uri = key ? (const xmlChar *)ns_uri(key) : xmlTextReaderConstNamespaceUri(r);
    return (char *)xmlTextReaderGetAttributeNs(r, (const xmlChar *)name, uri);
}

static int step_is(xmlTextReaderPtr r, const struct step *s)
{
    if (!element_is(r, s->ns, s->name))
        return 0;
    if (!s->family)
        return 1;
    char *family = attr_ns(r, "style", "family");
    int yes = family && strcmp(family, s->family) == 0;
    xmlFree(family);
    return yes;
}

/* An ODF style's language: style:rfc-language-tag when it has one (ODF 1.2
 * writes it for what fo:language cannot say, and fo:language is then a
 * private code), else fo:language with fo:country. */
static int odf_lang(xmlTextReaderPtr r, struct doc *d)
{
    char *tag = attr_ns(r, "style", "rfc-language-tag"), *lang = attr_ns(r, "fo", "language");
    char *country = attr_ns(r, "fo", "country");
    struct buf t = BUF_INIT;
    int rc = tag ? declared_lang(d, tag, strlen(tag)) : 0;
    if (rc == 0 && !d->lang && lang) {
        if (buf_puts(&t, lang) < 0 ||
            (country && (buf_putc(&t, '-') < 0 || buf_puts(&t, country) < 0)))
            rc = LIB_E_NOMEM;
        else
            rc = declared_lang(d, t.data, t.len);
    }
    buf_dispose(&t);
    xmlFree(tag);
    xmlFree(lang);
    xmlFree(country);
    return rc;
}

/* docx's <w:lang w:val="sv-SE" w:eastAsia="…" w:bidi="…"/>: w:val is the
 * language of the text in Latin letters. */
static int docx_lang(xmlTextReaderPtr r, struct doc *d)
{
    char *val = attr_ns(r, NULL, "val");
    int rc = val ? declared_lang(d, val, strlen(val)) : 0;
    xmlFree(val);
    return rc;
}

/* Follows the path to its last step and reads the language there. The
 * reading stops there, or where the first step ends: a file has one. */
static int walk_lang(xmlTextReaderPtr r, void *ctx)
{
    struct lang_walk *w = ctx;
    int rc;
    while ((rc = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r), depth = xmlTextReaderDepth(r);
        int next = w->in == 0 || depth == w->depth + (int)w->in;   /* a child of the last */
        if (type == XML_READER_TYPE_END_ELEMENT && w->in > 0 &&
            depth == w->depth + (int)w->in - 1) {
            if (--w->in == 0)
                return 0;
        } else if (type == XML_READER_TYPE_ELEMENT && next && step_is(r, &w->path[w->in])) {
            if (w->in + 1 == w->n)
                return w->found(r, w->d);
            if (w->in == 0)
                w->depth = depth;
            if (!xmlTextReaderIsEmptyElement(r))
                w->in++;
        }
    }
    return rc < 0 ? XML_BROKEN : 0;
}

/* No language in the metadata: the default of the styles, in an odt, ods,
 * odp or docx (xlsx and pptx say theirs elsewhere, if at all). A styles
 * member missing or broken says none. 0 or LIB_E_NOMEM. */
static int read_default_lang(struct doc *d, struct zip_in *z, enum family family)
{
    if (d->lang || (family != ODF && family != DOCX))
        return 0;
    struct lang_walk w = {odf_default_style, 2, 0, 0, odf_lang, d};
    if (family == DOCX)
        w = (struct lang_walk){docx_defaults, 4, 0, 0, docx_lang, d};
    int rc = read_xml(z, family == ODF ? "styles.xml" : "word/styles.xml", walk_lang, &w, NULL);
    return rc == LIB_E_NOMEM ? rc : 0;
}

/* No title in the metadata: the first heading, else the first paragraph,
 * cut to TITLE_FALLBACK_MAX bytes on a character boundary. */
static int title_fallback(struct doc *d, const struct body *o)
{
    const char *s = o->first_heading ? o->first_heading : o->first_para;
    if (d->title || !s)
        return 0;
    int rc = doc_set(&d->title, s, strlen(s), DOC_FIELD_MAX);
    if (rc == 0 && d->title)
        text_truncate(d->title, TITLE_FALLBACK_MAX);
    return rc;
}

/* ---- the whole file ---- */

/* The text of z into o: the main member, by family. */
static int read_body(struct zip_in *z, const char *format, enum family family, struct body *o,
                     lib_error *err)
{
    if (family == XLSX)
        return read_xlsx(z, o, err);
    struct text_walk w = {o, family == ODF ? odf_rules : family == DOCX ? docx_rules : pptx_rules};
    if (family == PPTX)
        return read_parts(z, format, "ppt/slides/slide", walk_text, &w, o, err);
    const char *member = family == ODF ? "content.xml" : "word/document.xml";
    int rc = read_xml(z, member, walk_text, &w, err);
    if (rc == LIB_E_NOTFOUND)
        rc = lib_error_set(err, LIB_E_INVALID, "not a valid %s file: %s is missing", format,
                           member);
    return rc;
}

int office_extract(struct doc *d, const char *format, const char *data, size_t len,
                   lib_error *err)
{
    size_t i = 0;
    while (i < sizeof formats / sizeof formats[0] && strcmp(format, formats[i].format) != 0)
        i++;
    if (i == sizeof formats / sizeof formats[0])
        return lib_error_set(err, LIB_E_INVALID, "%s is not an office format", format);
    enum family family = formats[i].family;
    struct zip_in *z = NULL;
    struct body o = {BUF_INIT, 0, 0, 0, 0, 0, 0, NULL, NULL};
    struct doc got = {0};   /* moved into d only when all went well */
    int rc = zip_in_open(&z, data, len, err);
    if (rc < 0)
        return rc;
    rc = read_body(z, format, family, &o, err);
    if (rc < 0)
        goto cleanup;
    if (read_meta(&got, z, family) < 0 || read_default_lang(&got, z, family) < 0 ||
        title_fallback(&got, &o) < 0 ||
        doc_set(&got.body, o.b.data, o.b.len, DOC_BODY_MAX) < 0 ||
        doc_set(&got.format, format, strlen(format), 16) < 0) {
        rc = lib_error_nomem(err);
        goto cleanup;
    }
    if (!got.body) {
        rc = lib_error_set(err, LIB_E_INVALID, "the %s file has no text", format);
        goto cleanup;
    }
    doc_merge(d, &got);
    d->truncated = o.full;
cleanup:
    doc_dispose(&got);
    body_dispose(&o);
    zip_in_free(z);
    return rc;
}
