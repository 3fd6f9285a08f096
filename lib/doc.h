/* doc.h: the document model: what the extractors produce, the schema
 * indexes and searchd returns. All strings are owned by the doc, cleaned
 * UTF-8 (text_clean) or NULL when absent.
 */
#ifndef DOC_H
#define DOC_H

#include "error.h"

#include <jansson.h>
#include <stddef.h>

#define DOC_ID_MAX 512              /* bytes */
#define DOC_FIELD_MAX (64 * 1024)   /* bytes, short fields */
#define DOC_BODY_MAX (4 * 1024 * 1024)
#define DOC_LANG_MAX 9              /* bytes of a language's primary subtag and its '\0' */

struct doc {
    char *id;
    char *url;
    char *title;
    char *type;       /* artikel, seminarium, … */
    char *date;       /* YYYY-MM-DD: a seminar's day, else publication */
    char *published;  /* YYYY-MM-DD, when it differs from date */
    char *place;      /* a town: the facet value */
    char *address;    /* the full "Plats:" text of a seminar */
    char *organizer;  /* "Arrangör:" */
    char *what;       /* "Vad?" */
    char *when;       /* "Tid:" as written */
    char *summary;
    char *body;       /* paragraphs separated by '\n' */
    char **tags;
    size_t ntags;
    char *format;     /* a document's format (pdf, odt, docx, epub, …); NULL
                         for an HTML page or a JSON document */
    size_t *page_starts;   /* a paged document (PDF): page i + 1 begins at
                              byte page_starts[i] of body; NULL otherwise */
    size_t npages;
    char *lang;       /* the document's language: a primary language subtag,
                         lower-case ("sv", "en", "fi"; doc_lang_parse);
                         NULL: Swedish, the site's own */
    char *source;     /* the source file's size and time, never stored: lets
                         a rerun skip a file that has not changed */
    int truncated;    /* the text was cut at DOC_BODY_MAX (not stored) */
    int noindex;      /* the page asks to be kept out of search indexes
                         (<meta name="robots">, X-Robots-Tag; not stored) */
    char lang_declared[DOC_LANG_MAX];   /* a language its file declared that its text
                                belied (an_lang_overrule); "" for none (not
                                stored) */
};

/* Frees every field and empties d; d itself is the caller's (a struct on
 * the stack or inside another): _dispose, not _free. */
void doc_dispose(struct doc *d);

/* Moves every field src has into d (replacing d's), then frees src. */
void doc_merge(struct doc *d, struct doc *src);

/* Replaces *field with a cleaned copy of s[0..len) (NULL or empty: unset).
 * Text longer than max is cut at a character boundary. 0, or LIB_E_NOMEM. */
int doc_set(char **field, const char *s, size_t len, size_t max);
/* Adds a cleaned copy of s[0..len) to d's tags (none when it is empty).
 * 0, or LIB_E_NOMEM. */
int doc_add_tag(struct doc *d, const char *s, size_t len);

/* The formats a document may have, as the API lists them. */
#define DOC_FORMATS "html, pdf, odt, ods, odp, docx, xlsx, pptx, epub"
/* The format of DOC_FORMATS that name names, in any case, as the list
 * spells it; NULL for none. */
const char *doc_format_named(const char *name);
/* 1 when format is one of DOC_FORMATS, spelled as the list spells it. */
int doc_format_known(const char *format);

/* The language a document is in when it says none. */
#define DOC_LANG_DEFAULT "sv"
/* The primary language subtag of a language tag (BCP 47, as <html lang>,
 * a document's metadata or the JSON "lang" give it: "sv", "en-GB",
 * "sv_SE"), lower-case, into out: "en-GB" → "en". A tag is letters and
 * digits in subtags of 1 to 8 joined by '-' (or '_'), the first of 2 or 3
 * letters, white space around it ignored. 0, or LIB_E_INVALID for anything
 * else and for the codes that name no language (und, zxx, mul, mis). */
int doc_lang_parse(char out[DOC_LANG_MAX], const char *tag, size_t len);
/* d->lang from a tag (as doc_lang_parse): 0; LIB_E_INVALID, d->lang
 * unchanged, for a tag that is not one; LIB_E_NOMEM. */
int doc_set_lang(struct doc *d, const char *tag, size_t len);
/* d's language: its own, else DOC_LANG_DEFAULT. */
const char *doc_lang(const struct doc *d);

/* 1 when s is a real calendar date YYYY-MM-DD. */
int doc_date_valid(const char *s);

/* Fills out from a JSON document: "id" (required) and the strings "title",
 * "body", "url", "type", "date" and "published" (YYYY-MM-DD), "place",
 * "address", "organizer", "what", "when", "summary", "format" (one of
 * DOC_FORMATS), "lang" (a language tag, kept as its primary subtag:
 * doc_lang_parse), "tags", an array of strings, and "pages", the byte offsets
 * in the body where a paged document's pages begin ("html" is jsonl.c's).
 * 0, or LIB_E_INVALID with a reason in err naming the field, or
 * LIB_E_NOMEM. */
int doc_from_json(struct doc *out, json_t *obj, lib_error *err);

/* The stored fields as a JSON object (absent fields left out; "lang"
 * always there, doc_lang) into *out.
 * 0, or LIB_E_NOMEM with *out NULL. */
int doc_to_json(json_t **out, const struct doc *d);

#endif
