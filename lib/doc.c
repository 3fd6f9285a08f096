/* doc.c: the document model: owning setters, validation of a JSON
 * document's fields (doc.h, README.md "indexer"), and the stored-JSON form
 * kept as Xapian document data. */
#include "doc.h"

#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Every string field of d, in one place so free and merge cannot drift. */
#define DOC_N_FIELDS 16
static void doc_fields(struct doc *d, char **out[DOC_N_FIELDS])
{
    char **f[DOC_N_FIELDS] = {&d->id, &d->url, &d->title, &d->type, &d->date,
                              &d->published, &d->place, &d->address, &d->organizer,
                              &d->what, &d->when, &d->summary, &d->body, &d->format,
                              &d->lang, &d->source};
    memcpy(out, f, sizeof f);
}

static void free_tags(struct doc *d)
{
    for (size_t i = 0; i < d->ntags; i++)
        free(d->tags[i]);
    free(d->tags);
    d->tags = NULL;
    d->ntags = 0;
}

void doc_dispose(struct doc *d)
{
    char **f[DOC_N_FIELDS];
    doc_fields(d, f);
    for (size_t i = 0; i < DOC_N_FIELDS; i++) {
        free(*f[i]);
        *f[i] = NULL;
    }
    free_tags(d);
    free(d->page_starts);
    d->page_starts = NULL;
    d->npages = 0;
    d->lang_declared[0] = '\0';
    d->noindex = 0;
}

void doc_merge(struct doc *d, struct doc *src)
{
    char **fd[DOC_N_FIELDS], **fs[DOC_N_FIELDS];
    doc_fields(d, fd);
    doc_fields(src, fs);
    for (size_t i = 0; i < DOC_N_FIELDS; i++) {
        if (*fs[i]) {
            free(*fd[i]);
            *fd[i] = *fs[i];
            *fs[i] = NULL;
        }
    }
    if (src->ntags) {
        free_tags(d);
        d->tags = src->tags;
        d->ntags = src->ntags;
        src->tags = NULL;
        src->ntags = 0;
    }
    if (src->page_starts) {
        free(d->page_starts);
        d->page_starts = src->page_starts;
        d->npages = src->npages;
        src->page_starts = NULL;
        src->npages = 0;
    }
    doc_dispose(src);
}

int doc_set(char **field, const char *s, size_t len, size_t max)
{
    free(*field);
    *field = NULL;
    if (!s || len == 0)
        return 0;
    char *c;
    int rc = text_clean(&c, s, len, max == DOC_BODY_MAX);
    if (rc < 0)
        return rc;
    text_truncate(c, max);
    if (*c == '\0')
        free(c);
    else
        *field = c;
    return 0;
}

int doc_add_tag(struct doc *d, const char *s, size_t len)
{
    char *t = NULL;
    int rc = doc_set(&t, s, len, DOC_FIELD_MAX);
    if (rc < 0 || !t)
        return rc;
    char **tags = realloc(d->tags, (d->ntags + 1) * sizeof *tags);
    if (!tags) {
        free(t);
        return LIB_E_NOMEM;
    }
    d->tags = tags;
    d->tags[d->ntags++] = t;
    return 0;
}

int doc_date_valid(const char *s)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    if (y < 1000 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

struct field_spec {
    const char *name;
    size_t offset;
    size_t max;
};

static const struct field_spec text_fields[] = {
    {"title", offsetof(struct doc, title), DOC_FIELD_MAX},
    {"body", offsetof(struct doc, body), DOC_BODY_MAX},
    {"url", offsetof(struct doc, url), DOC_FIELD_MAX},
    {"type", offsetof(struct doc, type), 64},
    {"place", offsetof(struct doc, place), 256},
    {"address", offsetof(struct doc, address), DOC_FIELD_MAX},
    {"organizer", offsetof(struct doc, organizer), DOC_FIELD_MAX},
    {"what", offsetof(struct doc, what), DOC_FIELD_MAX},
    {"when", offsetof(struct doc, when), DOC_FIELD_MAX},
    {"summary", offsetof(struct doc, summary), DOC_FIELD_MAX},
    {"date", offsetof(struct doc, date), 10},
    {"published", offsetof(struct doc, published), 10},
    {"format", offsetof(struct doc, format), 16},
    {"lang", offsetof(struct doc, lang), 64},
};
#define N_TEXT_FIELDS (sizeof text_fields / sizeof text_fields[0])

static char **field_at(struct doc *d, size_t offset)
{
    return (char **)((char *)d + offset);
}

/* LIB_E_INVALID with the reason. */
#define invalid(err, ...) lib_error_set(err, LIB_E_INVALID, __VA_ARGS__)

const char *doc_format_named(const char *name)
{
    static const char *const known[] = {"html", "pdf", "odt", "ods", "odp",
                                        "docx", "xlsx", "pptx", "epub"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcasecmp(name, known[i]) == 0)
            return known[i];
    return NULL;
}

int doc_format_known(const char *format)
{
    const char *f = doc_format_named(format);
    return f && strcmp(f, format) == 0;
}

static int is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int doc_lang_parse(char out[DOC_LANG_MAX], const char *tag, size_t len)
{
    /* ISO 639's codes for no language in particular: LibreOffice writes
     * zxx for text marked [None]. */
    static const char *const no_language[] = {"und", "zxx", "mul", "mis"};
    while (len > 0 && text_ascii_space(*tag)) {
        tag++;
        len--;
    }
    while (len > 0 && text_ascii_space(tag[len - 1]))
        len--;
    size_t primary = 0, i = 0;
    while (i < len && is_alpha((unsigned char)tag[i]))
        i++;
    primary = i;
    if (primary < 2 || primary > 3)
        return LIB_E_INVALID;
    while (i < len) {   /* the subtags: region, script, variants */
        if (tag[i] != '-' && tag[i] != '_')
            return LIB_E_INVALID;
        size_t n = 0;
        for (i++; i < len && (is_alpha((unsigned char)tag[i]) ||
                              (tag[i] >= '0' && tag[i] <= '9')); i++)
            n++;
        if (n < 1 || n > 8)
            return LIB_E_INVALID;
    }
    for (i = 0; i < primary; i++)
        out[i] = (char)(tag[i] | 0x20);
    out[primary] = '\0';
    for (i = 0; i < sizeof no_language / sizeof no_language[0]; i++)
        if (strcmp(out, no_language[i]) == 0)
            return LIB_E_INVALID;
    return 0;
}

int doc_set_lang(struct doc *d, const char *tag, size_t len)
{
    char lang[DOC_LANG_MAX];
    if (doc_lang_parse(lang, tag, len) < 0)
        return LIB_E_INVALID;
    char *copy = strdup(lang);
    if (!copy)
        return LIB_E_NOMEM;
    free(d->lang);
    d->lang = copy;
    return 0;
}

const char *doc_lang(const struct doc *d)
{
    return d->lang ? d->lang : DOC_LANG_DEFAULT;
}

/* "pages": where each page of the body begins, in bytes, increasing from 0
 * and inside the body (checked against the body as cleaned). */
static int pages_from_json(struct doc *d, json_t *pages, lib_error *err)
{
    if (!pages || json_is_null(pages))
        return 0;
    size_t n = json_is_array(pages) ? json_array_size(pages) : 0;
    size_t body = d->body ? strlen(d->body) : 0;
    if (!json_is_array(pages) || n == 0)
        return invalid(err, "field \"pages\" must be an array of byte offsets into the body");
    size_t *at = malloc(n * sizeof *at);
    if (!at)
        return lib_error_nomem(err);
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(pages, i);
        json_int_t o = json_is_integer(v) ? json_integer_value(v) : -1;
        if (o < 0 || (size_t)o > body || (i == 0 && o != 0) || (i > 0 && (size_t)o < at[i - 1])) {
            free(at);
            return invalid(err, "field \"pages\": entry %zu is not an offset into the body "
                                "after the one before (the first is 0)", i);
        }
        at[i] = (size_t)o;
    }
    free(d->page_starts);
    d->page_starts = at;
    d->npages = n;
    return 0;
}

int doc_from_json(struct doc *d, json_t *obj, lib_error *err)
{
    if (!json_is_object(obj))
        return invalid(err, "a document must be a JSON object");
    json_t *id = json_object_get(obj, "id");
    if (!json_is_string(id) || json_string_length(id) == 0)
        return invalid(err, "field \"id\" is required and must be a non-empty string");
    if (json_string_length(id) > DOC_ID_MAX)
        return invalid(err, "field \"id\" is longer than %d bytes", DOC_ID_MAX);
    if (!text_is_utf8(json_string_value(id), json_string_length(id)))
        return invalid(err, "field \"id\" is not valid UTF-8 text");
    if (doc_set(&d->id, json_string_value(id), json_string_length(id), DOC_ID_MAX) < 0)
        return lib_error_nomem(err);
    for (size_t i = 0; i < N_TEXT_FIELDS; i++) {
        json_t *v = json_object_get(obj, text_fields[i].name);
        if (!v || json_is_null(v))
            continue;
        if (!json_is_string(v))
            return invalid(err, "field \"%s\" must be a string", text_fields[i].name);
        if (text_fields[i].max == DOC_BODY_MAX && json_string_length(v) > DOC_BODY_MAX)
            d->truncated = 1;
        if (doc_set(field_at(d, text_fields[i].offset), json_string_value(v),
                    json_string_length(v), text_fields[i].max) < 0)
            return lib_error_nomem(err);
    }
    if ((d->date && !doc_date_valid(d->date)) || (d->published && !doc_date_valid(d->published)))
        return invalid(err, "field \"%s\" must be a date YYYY-MM-DD",
                       d->date && !doc_date_valid(d->date) ? "date" : "published");
    if (d->format && !doc_format_known(d->format))
        return invalid(err, "field \"format\" must be one of %s", DOC_FORMATS);
    if (d->lang) {
        char lang[DOC_LANG_MAX];
        if (doc_lang_parse(lang, d->lang, strlen(d->lang)) < 0)
            return invalid(err, "field \"lang\" must be a language tag such as sv, en or "
                                "en-GB (leave it out for Swedish)");
        strcpy(d->lang, lang);   /* no longer than the tag */
    }
    int rc = pages_from_json(d, json_object_get(obj, "pages"), err);
    if (rc < 0)
        return rc;
    json_t *tags = json_object_get(obj, "tags");
    if (!tags || json_is_null(tags))
        return 0;
    if (!json_is_array(tags))
        return invalid(err, "field \"tags\" must be an array of strings");
    size_t i;
    json_t *t;
    json_array_foreach(tags, i, t) {
        if (!json_is_string(t))
            return invalid(err, "field \"tags\" must be an array of strings");
        if (doc_add_tag(d, json_string_value(t), json_string_length(t)) < 0)
            return lib_error_nomem(err);
    }
    return 0;
}

int doc_to_json(json_t **out, const struct doc *d)
{
    json_t *o = json_object();
    *out = NULL;
    if (!o)
        return LIB_E_NOMEM;
    if (d->id && json_object_set_new(o, "id", json_string(d->id)) < 0)
        goto fail;
    for (size_t i = 0; i < N_TEXT_FIELDS; i++) {
        const char *v = *field_at((struct doc *)d, text_fields[i].offset);
        if (text_fields[i].offset == offsetof(struct doc, lang))
            v = doc_lang(d);   /* stated, so a reader needs no default */
        if (v && json_object_set_new(o, text_fields[i].name, json_string(v)) < 0)
            goto fail;
    }
    if (d->ntags) {
        json_t *a = json_array();
        if (!a || json_object_set_new(o, "tags", a) < 0)
            goto fail;
        for (size_t i = 0; i < d->ntags; i++)
            if (json_array_append_new(a, json_string(d->tags[i])) < 0)
                goto fail;
    }
    if (d->npages) {
        json_t *a = json_array();
        if (!a || json_object_set_new(o, "pages", a) < 0)
            goto fail;
        for (size_t i = 0; i < d->npages; i++)
            if (json_array_append_new(a, json_integer((json_int_t)d->page_starts[i])) < 0)
                goto fail;
    }
    *out = o;
    return 0;
fail:
    json_decref(o);
    return LIB_E_NOMEM;
}
