/* test_doc.c: lib/doc.c's stored form — the fields as JSON, then the text as
 * it is; data stored in the form before (every field as JSON) reads the
 * same; data that is no stored document is refused, not half read. */
#include "check.h"
#include "doc.h"

#include <stdlib.h>
#include <string.h>

static void test_fields_then_the_text_as_it_is(struct check *c)
{
    struct doc d = {0};
    d.id = "artikel/a.html";
    d.title = "Trösklar \"högt\"";
    d.body = "Första stycket.\nAndra stycket med \\ och \" och <b>.";
    char *data = NULL;
    size_t len = 0;
    CHECK(c, doc_data_encode(&data, &len, &d) == 0 && data);
    if (!data)
        return;
    const char *nul = memchr(data, '\0', len);
    CHECK(c, nul && strcmp(nul + 1, d.body) == 0);   /* unescaped */
    json_t *fields = NULL;
    const char *body = NULL;
    size_t body_len = 0;
    CHECK(c, doc_data_decode(&fields, &body, &body_len, data, len) == 0);
    CHECK_STR(c, json_string_value(json_object_get(fields, "title")), d.title);
    CHECK(c, json_object_get(fields, "body") == NULL);
    CHECK(c, body && body_len == strlen(d.body) && memcmp(body, d.body, body_len) == 0);
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
    CHECK(c, data && doc_data_decode(&fields, &body, &body_len, data, len) == 0);
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
    CHECK(c, doc_data_decode(&fields, &body, &body_len, old, strlen(old)) == 0);
    CHECK(c, body && body_len == strlen("Texten år här.") &&
                 memcmp(body, "Texten år här.", body_len) == 0);
    CHECK_STR(c, json_string_value(json_object_get(fields, "title")), "T");
    json_decref(fields);
}

static void test_data_that_is_no_document_is_refused(struct check *c)
{
    const char *bad[] = {"inte json", "[1,2]", "{\"id\":", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *fields = (json_t *)1;
        const char *body = NULL;
        size_t body_len = 0;
        CHECK(c, doc_data_decode(&fields, &body, &body_len, bad[i], strlen(bad[i])) ==
                     LIB_E_INVALID);
        CHECK(c, fields == NULL && body == NULL);
    }
    const char cut[] = "{\"id\":\0text";   /* the fields cut before the NUL */
    json_t *fields = NULL;
    const char *body = NULL;
    size_t body_len = 0;
    CHECK(c, doc_data_decode(&fields, &body, &body_len, cut, sizeof cut - 1) == LIB_E_INVALID);
}

int main(void)
{
    struct check c = {0};
    RUN(&c, test_fields_then_the_text_as_it_is);
    RUN(&c, test_a_document_without_text_is_its_fields_alone);
    RUN(&c, test_data_stored_before_reads_the_same);
    RUN(&c, test_data_that_is_no_document_is_refused);
    return check_report(&c, "test_doc");
}
