/* test_jsonl.c: lib/jsonl.c and lib/doc.c — JSON documents and their
 * validation, each bad input rejected with a reason naming the field. */
#include "check.h"
#include "jsonl.h"

#include <string.h>

/* jsonl_parse_doc with the reason copied into err (256 bytes). */
static int parse(const char *s, struct doc *d, char *err)
{
    lib_error why = {0};
    int rc = jsonl_parse_doc(d, s, strlen(s), &why);
    snprintf(err, 256, "%s", why.message);
    return rc;
}

static void test_full_document_is_read(struct check *c)
{
    struct doc d = {0};
    char err[256] = "";
    CHECK(c, parse("{\"id\":\"a1\",\"title\":\"Möte i Gävle\",\"body\":\"Text\","
                   "\"type\":\"seminarium\",\"date\":\"2019-03-27\",\"place\":\"Gävle\","
                   "\"organizer\":\"Gävle kommun\",\"tags\":[\"boende\",\"skola\"]}",
                   &d, err) == 0);
    CHECK_STR(c, d.id, "a1");
    CHECK_STR(c, d.title, "Möte i Gävle");
    CHECK_STR(c, d.date, "2019-03-27");
    CHECK_STR(c, d.place, "Gävle");
    CHECK(c, d.ntags == 2);
    doc_dispose(&d);
}

static void test_missing_id_is_rejected(struct check *c)
{
    struct doc d = {0};
    char err[256] = "";
    CHECK(c, parse("{\"title\":\"x\"}", &d, err) < 0);
    CHECK_CONTAINS(c, err, "\"id\"");
    doc_dispose(&d);
}

static void test_wrong_field_type_is_named(struct check *c)
{
    struct doc d = {0};
    char err[256] = "";
    CHECK(c, parse("{\"id\":\"x\",\"title\":12}", &d, err) < 0);
    CHECK_CONTAINS(c, err, "\"title\"");
    doc_dispose(&d);
}

static void test_broken_json_gives_column(struct check *c)
{
    struct doc d = {0};
    char err[256] = "";
    CHECK(c, parse("{\"id\":\"x\",", &d, err) < 0);
    CHECK_CONTAINS(c, err, "invalid JSON");
    doc_dispose(&d);
}

static void test_bad_date_is_rejected(struct check *c)
{
    struct doc d = {0};
    char err[256] = "";
    CHECK(c, parse("{\"id\":\"x\",\"title\":\"t\",\"date\":\"2019-02-30\"}", &d, err) < 0);
    CHECK_CONTAINS(c, err, "\"date\"");
    doc_dispose(&d);
}

static void test_html_field_is_extracted_and_json_fields_win(struct check *c)
{
    struct doc d = {0};
    char err[256] = "";
    CHECK(c, parse("{\"id\":\"p\",\"type\":\"artikel\",\"html\":\"<html><head><meta name=type "
                   "content=nyhet></head><body><nav>Meny</nav><main><h1>Rubrik</h1>"
                   "<p>Brödtext om Luleå.</p></main></body></html>\"}",
                   &d, err) == 0);
    CHECK_STR(c, d.title, "Rubrik");
    CHECK_STR(c, d.body, "Brödtext om Luleå.");
    CHECK_STR(c, d.type, "artikel");
    doc_dispose(&d);
}

static void test_language_is_kept_as_its_primary_subtag(struct check *c)
{
    struct doc d = {0};
    char err[256] = "";
    CHECK(c, parse("{\"id\":\"e\",\"title\":\"Report\",\"lang\":\"en-GB\"}", &d, err) == 0);
    CHECK_STR(c, d.lang, "en");
    CHECK_STR(c, doc_lang(&d), "en");
    doc_dispose(&d);
    CHECK(c, parse("{\"id\":\"s\",\"title\":\"Rapport\"}", &d, err) == 0);
    CHECK(c, d.lang == NULL);
    CHECK_STR(c, doc_lang(&d), "sv");
    doc_dispose(&d);
    /* The JSON's language wins over the page's. */
    CHECK(c, parse("{\"id\":\"p\",\"lang\":\"sv\",\"html\":\"<html lang=en><h1>T</h1></html>\"}",
                   &d, err) == 0);
    CHECK_STR(c, d.lang, "sv");
    doc_dispose(&d);
    CHECK(c, parse("{\"id\":\"q\",\"html\":\"<html lang=en><h1>T</h1></html>\"}", &d, err) == 0);
    CHECK_STR(c, d.lang, "en");
    doc_dispose(&d);
}

static void test_bad_language_is_rejected(struct check *c)
{
    const char *bad[] = {"\"english\"", "\"e\"", "\"en-\"", "\"en GB\"", "\"sv-toolongsubtag\"",
                         "12", "\"\u00e5\u00e4\""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char line[128];
        snprintf(line, sizeof line, "{\"id\":\"x\",\"title\":\"t\",\"lang\":%s}", bad[i]);
        struct doc d = {0};
        char err[256] = "";
        CHECK(c, parse(line, &d, err) < 0);
        CHECK_CONTAINS(c, err, "\"lang\"");
        doc_dispose(&d);
    }
}

static void test_huge_id_is_rejected(struct check *c)
{
    char line[12000];
    int n = snprintf(line, sizeof line, "{\"id\":\"");
    memset(line + n, 'x', 10000);
    strcpy(line + n + 10000, "\"}");
    struct doc d = {0};
    char err[256] = "";
    CHECK(c, parse(line, &d, err) < 0);
    CHECK_CONTAINS(c, err, "longer than");
    doc_dispose(&d);
}

int main(void)
{
    struct check c = {0};
    RUN(&c, test_full_document_is_read);
    RUN(&c, test_missing_id_is_rejected);
    RUN(&c, test_wrong_field_type_is_named);
    RUN(&c, test_broken_json_gives_column);
    RUN(&c, test_bad_date_is_rejected);
    RUN(&c, test_html_field_is_extracted_and_json_fields_win);
    RUN(&c, test_huge_id_is_rejected);
    RUN(&c, test_language_is_kept_as_its_primary_subtag);
    RUN(&c, test_bad_language_is_rejected);
    return check_report(&c, "test_jsonl");
}
