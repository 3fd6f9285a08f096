/* test_html_extract.c: lib/html_extract.c on the odd pages in tests/data/,
 * on pages of corpus/, and on a real Swedish page that no one here wrote. */
#include "check.h"
#include "html_extract.h"

#include <stdlib.h>
#include <string.h>

#define DEBIAN_EDU_PAGE "/usr/share/doc/debian-edu-doc-legacy-sv/audacity-manual.html"

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
        free(p);
        p = NULL;
    }
    fclose(f);
    if (p) {
        p[n] = '\0';
        *len = (size_t)n;
    }
    return p;
}

/* Extracts a page; returns 0 or -1 with err filled. */
static int extract(const char *path, struct doc *d, char *err)
{
    size_t len = 0;
    char *html = read_all(path, &len);
    if (!html) {
        snprintf(err, 256, "cannot read %s", path);
        return -1;
    }
    int rc = html_extract(html, len, d, err, 256);
    free(html);
    return rc;
}

static void test_latin1_page_without_charset_is_decoded(struct check *c)
{
    struct doc d = {0};
    char err[256] = "";
    CHECK(c, extract("tests/data/latin1_without_charset.html", &d, err) == 0);
    CHECK_STR(c, d.title, "Trångboddhet i Växjö");
    CHECK_CONTAINS(c, d.body, "många hushåll i Växjö är trångbodda, även på Öster");
    doc_free(&d);
}

static void test_latin1_page_with_http_equiv_is_decoded(struct check *c)
{
    struct doc d = {0};
    char err[256] = "";
    CHECK(c, extract("tests/data/latin1_http_equiv.html", &d, err) == 0);
    CHECK_STR(c, d.title, "Skolsegregation i Göteborg");
    CHECK_CONTAINS(c, d.body, "Café på Hisingen");
    doc_free(&d);
}

static void test_entities_become_letters(struct check *c)
{
    struct doc d = {0};
    char err[256] = "";
    CHECK(c, extract("tests/data/entities_for_swedish_letters.html", &d, err) == 0);
    CHECK_STR(c, d.title, "Frågor om Örebro");
    CHECK_STR(c, d.body, "Bostadsområden i Örebro & Långholmen – en förstudie om trängsel.");
    doc_free(&d);
}

static void test_page_without_main_drops_chrome_and_scripts(struct check *c)
{
    struct doc d = {0};
    char err[256] = "";
    CHECK(c, extract("tests/data/no_main_with_script_and_chrome.html", &d, err) == 0);
    CHECK_STR(c, d.title, "Levnadsvillkor i Gävle");
    CHECK_STR(c, d.body, "Levnadsvillkoren skiljer sig mellan stadsdelarna i Gävle.");
    doc_free(&d);
}

static void test_title_falls_back_to_head_without_site_name(struct check *c)
{
    struct doc d = {0};
    char err[256] = "";
    CHECK(c, extract("tests/data/title_only_in_head.html", &d, err) == 0);
    CHECK_STR(c, d.title, "Stöd till kommuner");
    CHECK_STR(c, d.date, "2020-05-14");   /* from article:published_time */
    doc_free(&d);
}

static void test_seminar_fields_in_a_definition_list(struct check *c)
{
    struct doc d = {0};
    char err[256] = "";
    CHECK(c, extract("tests/data/seminar_fields_in_dl.html", &d, err) == 0);
    CHECK_STR(c, d.what, "Seminarium");
    CHECK_STR(c, d.when, "23 januari 13:00-16:30");
    CHECK_STR(c, d.address, "Ljusgården, Drottninggatan 33, Stockholm");
    CHECK_STR(c, d.place, "Stockholm");
    CHECK_STR(c, d.organizer, "IQ Samhällsbyggnad");
    CHECK_STR(c, d.date, "2019-01-10");   /* meta date wins over <time> */
    doc_free(&d);
}

static void test_tag_soup_keeps_paragraphs_apart(struct check *c)
{
    struct doc d = {0};
    char err[256] = "";
    CHECK(c, extract("tests/data/tag_soup.html", &d, err) == 0);
    CHECK_STR(c, d.title, "Arbetslöshet i Luleå");
    CHECK_STR(c, d.body, "Första stycket\nAndra stycket\nett\ntvå\nSista");
    doc_free(&d);
}

static void test_empty_and_binary_files_are_rejected_with_reason(struct check *c)
{
    struct doc d = {0};
    char err[256] = "";
    CHECK(c, extract("tests/data/empty.html", &d, err) < 0);
    CHECK_STR(c, err, "empty file");
    doc_free(&d);
    err[0] = '\0';
    CHECK(c, extract("tests/data/binary_named_html.html", &d, err) < 0);
    CHECK(c, err[0] != '\0');
    doc_free(&d);
}

static void test_deep_nesting_does_not_exhaust_the_stack(struct check *c)
{
    size_t depth = 100000, len = 0;
    char *html = malloc(depth * 11 + 64);
    CHECK(c, html != NULL);
    if (!html)
        return;
    len += (size_t)sprintf(html, "<html><body><main><h1>Djup</h1>");
    for (size_t i = 0; i < depth; i++)
        len += (size_t)sprintf(html + len, "<div>");
    len += (size_t)sprintf(html + len, "botten");
    struct doc d = {0};
    char err[256] = "";
    CHECK(c, html_extract(html, len, &d, err, sizeof err) == 0);
    CHECK_STR(c, d.title, "Djup");
    free(html);
    doc_free(&d);
}

static void test_real_swedish_page_from_debian_edu(struct check *c)
{
    struct doc d = {0};
    char err[256] = "";
    CHECK(c, extract(DEBIAN_EDU_PAGE, &d, err) == 0);
    CHECK_STR(c, d.title, "Debian Edu / Skolelinux manual för Audacity");
    /* from deep in the page: the last section of the licence text */
    CHECK_CONTAINS(c, d.body, "END OF TERMS AND CONDITIONS");
    CHECK_CONTAINS(c, d.body, "Insticksprogram");
    CHECK(c, !d.body || !strstr(d.body, "max-width"));   /* no CSS */
    doc_free(&d);
}

int main(void)
{
    struct check c = {0};
    RUN(&c, test_latin1_page_without_charset_is_decoded);
    RUN(&c, test_latin1_page_with_http_equiv_is_decoded);
    RUN(&c, test_entities_become_letters);
    RUN(&c, test_page_without_main_drops_chrome_and_scripts);
    RUN(&c, test_title_falls_back_to_head_without_site_name);
    RUN(&c, test_seminar_fields_in_a_definition_list);
    RUN(&c, test_tag_soup_keeps_paragraphs_apart);
    RUN(&c, test_empty_and_binary_files_are_rejected_with_reason);
    RUN(&c, test_deep_nesting_does_not_exhaust_the_stack);
    RUN(&c, test_real_swedish_page_from_debian_edu);
    return check_report(&c, "test_html_extract");
}
