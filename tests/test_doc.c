/* test_doc.c: lib/doc_data.c's stored form — the fields as JSON, a NUL,
 * then the text, all of it one zstd frame when the text is long and as it
 * is otherwise; data stored in the forms before (uncompressed, every field
 * as JSON) reads the same; data that is no stored document, or a damaged
 * frame, is refused, not half read. */
#include "check.h"
#include "doc_data.h"

#include <stdlib.h>
#include <string.h>

/* Encodes d and decodes it again with text; the text read back into *body. */
static json_t *round_trip(struct check *c, const struct doc *d, struct doc_text *text,
                          char **data, size_t *len, const char **body, size_t *body_len)
{
    json_t *fields = NULL;
    CHECK(c, doc_data_encode(data, len, d) == 0 && *data);
    if (*data)
        CHECK(c, doc_data_decode(&fields, body, body_len, text, *data, *len) == 0);
    return fields;
}

static void test_a_long_text_is_stored_compressed(struct check *c)
{
    struct doc d = {0};
    char text_in[6000] = "";
    for (int i = 0; i < 60; i++)
        strcat(text_in, "Trösklarna till arbetsmarknaden är höga för unga \"utan\" examen. ");
    d.id = "artikel/a.html";
    d.title = "Trösklar \"högt\"";
    d.body = text_in;
    struct doc_text text = DOC_TEXT_INIT;
    char *data = NULL;
    size_t len = 0, body_len = 0;
    const char *body = NULL;
    json_t *fields = round_trip(c, &d, &text, &data, &len, &body, &body_len);
    CHECK(c, len < strlen(text_in) / 4);   /* a repetitive text shrinks */
    CHECK(c, data && (unsigned char)data[0] == 0x28 && (unsigned char)data[1] == 0xB5 &&
                 !memchr(data, '{', 4));   /* one frame, the fields inside it */
    CHECK_STR(c, json_string_value(json_object_get(fields, "title")), d.title);
    CHECK(c, json_object_get(fields, "body") == NULL);
    CHECK(c, body && body_len == strlen(text_in) && memcmp(body, text_in, body_len) == 0);
    CHECK(c, body && body[body_len] == '\0');
    json_decref(fields);
    /* Fields alone: no buffer needed. */
    fields = NULL;
    CHECK(c, data && doc_data_decode(&fields, NULL, NULL, NULL, data, len) == 0);
    CHECK_STR(c, json_string_value(json_object_get(fields, "id")), d.id);
    json_decref(fields);
    /* The same buffer serves the next document. */
    struct doc e = d;
    e.body = "Trösklarna igen, och igen, och igen, och igen, och igen, och igen, och igen, "
             "och igen, och igen, och igen, och igen, och igen, och igen.";
    char *data2 = NULL;
    size_t len2 = 0;
    fields = round_trip(c, &e, &text, &data2, &len2, &body, &body_len);
    CHECK(c, body && body_len == strlen(e.body) && memcmp(body, e.body, body_len) == 0);
    json_decref(fields);
    doc_text_dispose(&text);
    doc_text_dispose(&text);   /* disposed twice: harmless */
    free(data);
    free(data2);
}

static void test_a_short_text_is_stored_as_it_is(struct check *c)
{
    struct doc d = {0};
    d.id = "b";
    d.body = "Kort text med \\ och \" och <b>.";
    struct doc_text text = DOC_TEXT_INIT;
    char *data = NULL;
    size_t len = 0, body_len = 0;
    const char *body = NULL;
    json_t *fields = round_trip(c, &d, &text, &data, &len, &body, &body_len);
    const char *nul = data ? memchr(data, '\0', len) : NULL;
    CHECK(c, nul && strcmp(nul + 1, d.body) == 0);   /* unescaped, uncompressed */
    CHECK(c, body == nul + 1 && body_len == strlen(d.body));
    CHECK(c, text.buf == NULL);
    json_decref(fields);
    free(data);
}

static void test_a_document_without_text_is_its_fields_alone(struct check *c)
{
    struct doc d = {0};
    d.id = "x";
    d.title = "Bara rubrik";
    char *data = NULL;
    size_t len = 0;
    CHECK(c, doc_data_encode(&data, &len, &d) == 0 && data && !memchr(data, '\0', len));
    json_t *fields = NULL;
    const char *body = "unset";
    size_t body_len = 1;
    CHECK(c, data && doc_data_decode(&fields, &body, &body_len, NULL, data, len) == 0);
    CHECK(c, body == NULL && body_len == 0);
    CHECK_STR(c, json_string_value(json_object_get(fields, "id")), "x");
    json_decref(fields);
    free(data);
}

static void test_data_stored_before_reads_the_same(struct check *c)
{
    const char *old = "{\"id\":\"a\",\"title\":\"T\",\"body\":\"Texten \\u00e5r h\\u00e4r.\"}";
    json_t *fields = NULL;
    const char *body = NULL;
    size_t body_len = 0;
    CHECK(c, doc_data_decode(&fields, &body, &body_len, NULL, old, strlen(old)) == 0);
    CHECK(c, body && body_len == strlen("Texten år här.") &&
                 memcmp(body, "Texten år här.", body_len) == 0);
    CHECK_STR(c, json_string_value(json_object_get(fields, "title")), "T");
    json_decref(fields);
    const char raw[] = "{\"id\":\"a\"}\0Texten som den var.";
    CHECK(c, doc_data_decode(&fields, &body, &body_len, NULL, raw, sizeof raw - 1) == 0);
    CHECK(c, body && body_len == strlen("Texten som den var.") &&
                 memcmp(body, "Texten som den var.", body_len) == 0);
    json_decref(fields);
}

static void test_data_that_is_no_document_is_refused(struct check *c)
{
    const char *bad[] = {"inte json", "[1,2]", "{\"id\":", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *fields = (json_t *)1;
        const char *body = NULL;
        size_t body_len = 0;
        CHECK(c, doc_data_decode(&fields, &body, &body_len, NULL, bad[i], strlen(bad[i])) ==
                     LIB_E_INVALID);
        CHECK(c, fields == NULL && body == NULL);
    }
    const char cut[] = "{\"id\":\0text";   /* the fields cut before the NUL */
    json_t *fields = NULL;
    const char *body = NULL;
    size_t body_len = 0;
    CHECK(c, doc_data_decode(&fields, &body, &body_len, NULL, cut, sizeof cut - 1) ==
                 LIB_E_INVALID);
}

/* A compressed text cut short, with a byte changed, or claiming to be
 * larger than any body: refused, the fields not returned either. */
static void test_a_damaged_compressed_text_is_refused(struct check *c)
{
    struct doc d = {0};
    char text_in[4000] = "";
    for (int i = 0; i < 50; i++)
        strcat(text_in, "Segregation i skolan och på arbetsmarknaden. ");
    d.id = "c";
    d.body = text_in;
    char *data = NULL;
    size_t len = 0;
    CHECK(c, doc_data_encode(&data, &len, &d) == 0 && data);
    if (!data)
        return;
    struct doc_text text = DOC_TEXT_INIT;
    json_t *fields = (json_t *)1;
    const char *body = NULL;
    size_t body_len = 0;
    CHECK(c, doc_data_decode(&fields, &body, &body_len, &text, data, len - 5) == LIB_E_INVALID);
    CHECK(c, fields == NULL && body == NULL);
    /* The text asked for, but no buffer to decompress it into. */
    CHECK(c, doc_data_decode(&fields, &body, &body_len, NULL, data, len) == LIB_E_INVALID);
    char *copy = malloc(len);
    memcpy(copy, data, len);
    copy[len - 6] ^= 0x55;   /* the checksum-less frame's data */
    int rc = doc_data_decode(&fields, &body, &body_len, &text, copy, len);
    CHECK(c, rc == LIB_E_INVALID || (rc == 0 && body_len == strlen(text_in)));
    if (rc == 0)
        json_decref(fields);
    /* A frame header claiming 2^40 bytes. */
    unsigned char huge[] = {0x28, 0xB5, 0x2F, 0xFD, 0xC0, 0, 0, 0, 0, 0, 1, 0, 0};
    CHECK(c, doc_data_decode(&fields, &body, &body_len, &text, (const char *)huge, sizeof huge) ==
                 LIB_E_INVALID);
    doc_text_dispose(&text);
    free(copy);
    free(data);
}

int main(void)
{
    struct check c = {0};
    RUN(&c, test_a_long_text_is_stored_compressed);
    RUN(&c, test_a_short_text_is_stored_as_it_is);
    RUN(&c, test_a_document_without_text_is_its_fields_alone);
    RUN(&c, test_data_stored_before_reads_the_same);
    RUN(&c, test_data_that_is_no_document_is_refused);
    RUN(&c, test_a_damaged_compressed_text_is_refused);
    return check_report(&c, "test_doc");
}
