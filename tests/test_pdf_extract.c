/* test_pdf_extract.c: lib/pdf_extract.c on PDFs written here
 * (tests/support/pdf_write.c), their XMP metadata among them, on a real
 * Swedish PDF no one here wrote, on a file encrypted by qpdf, and on bytes
 * that are no PDF at all. */
#include "check.h"
#include "pdf_extract.h"
#include "pdf_write.h"
#include "support.h"
#include "text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEBIAN_EDU_PDF "/usr/share/doc/debian-edu-doc-legacy-sv/audacity-manual.pdf"
/* On page 5 of the manual ("3 / 15" in its own numbering). */
#define DEBIAN_EDU_SENTENCE \
    "Det är bättre att ha för låg inställning snarare än för högt på detta."
#define DEBIAN_EDU_PAGE 5

/* Writes spec as a PDF and extracts it: pdf_extract's code, or -100 when
 * the PDF could not be written. */
static int extract_spec(const struct pdf_spec *spec, struct doc *d, lib_error *err)
{
    char *pdf;
    size_t len;
    if (pdf_write_mem(&pdf, &len, spec) < 0)
        return -100;
    int rc = pdf_extract(d, pdf, len, err);
    free(pdf);
    return rc;
}

/* page_starts begins at 0, increases strictly and stays inside the body. */
static int starts_increase(const struct doc *d)
{
    size_t body = d->body ? strlen(d->body) : 0;
    if (!d->page_starts || d->npages == 0 || d->page_starts[0] != 0)
        return 0;
    for (size_t i = 1; i < d->npages; i++)
        if (d->page_starts[i] <= d->page_starts[i - 1] || d->page_starts[i] >= body)
            return 0;
    return 1;
}

/* 1 when page i (from 0) of d's body begins with prefix. */
static int page_begins(const struct doc *d, size_t i, const char *prefix)
{
    return i < d->npages && d->body &&
           strncmp(d->body + d->page_starts[i], prefix, strlen(prefix)) == 0;
}

static const char *const swedish_pages[] = {
    "Segregationen i Malmö ökar enligt rapporten.\nDen andra raden på första sidan.",
    "Trångboddheten i Göteborg är störst på Hisingen.",
    "Åtgärder för Växjö föreslås i kapitel tre."};

static void test_three_swedish_pages(struct check *c)
{
    /* Half past midnight at UTC+2 is still the day before in UTC. */
    struct pdf_spec spec = {swedish_pages, 3, "Bostäder och segregation i Örebro",
                            "D:20190301003000+02'00'", 0};
    struct doc d = {0};
    lib_error err = {0};
    CHECK(c, extract_spec(&spec, &d, &err) == 0);
    CHECK_STR(c, d.format, "pdf");
    CHECK_STR(c, d.title, "Bostäder och segregation i Örebro");
    CHECK_STR(c, d.date, "2019-02-28");
    CHECK_STR(c, d.body, "Segregationen i Malmö ökar enligt rapporten.\n"
                         "Den andra raden på första sidan.\n"
                         "Trångboddheten i Göteborg är störst på Hisingen.\n"
                         "Åtgärder för Växjö föreslås i kapitel tre.");
    CHECK(c, d.npages == 3);
    CHECK(c, starts_increase(&d));
    CHECK(c, page_begins(&d, 0, "Segregationen i Malmö"));
    CHECK(c, page_begins(&d, 1, "Trångboddheten "));
    CHECK(c, page_begins(&d, 2, "Åtgärder "));
    CHECK(c, d.npages == 3 && d.body[d.page_starts[1] - 1] == '\n');
    CHECK(c, d.truncated == 0);
    doc_dispose(&d);
}

static void test_title_from_first_line_without_info_title(struct check *c)
{
    const char *const pages[] = {"Rapport om trångboddhet\nI Södertälje bor många trångt."};
    struct pdf_spec spec = {pages, 1, NULL, "D:20200115", 0};
    struct doc d = {0};
    CHECK(c, extract_spec(&spec, &d, NULL) == 0);
    CHECK_STR(c, d.title, "Rapport om trångboddhet");
    CHECK_STR(c, d.date, "2020-01-15");
    CHECK_STR(c, d.body, "Rapport om trångboddhet\nI Södertälje bor många trångt.");
    doc_dispose(&d);
}

/* A first line longer than 200 bytes: cut before the ö that byte 200 is in
 * the middle of ("a" and 99 ö are 199 bytes). */
static void test_title_from_long_line_cut_on_a_character(struct check *c)
{
    char line[512] = "a";
    for (int i = 0; i < 150; i++)
        strcat(line, "ö");
    const char *const pages[] = {line};
    struct pdf_spec spec = {pages, 1, NULL, NULL, 4};
    struct doc d = {0};
    CHECK(c, extract_spec(&spec, &d, NULL) == 0);
    CHECK(c, d.title && strlen(d.title) == 199 && text_is_utf8(d.title, 199));
    CHECK(c, d.title && strncmp(d.title, line, 199) == 0);
    CHECK(c, d.date == NULL);
    doc_dispose(&d);
}

/* Word's PDF printer's title is the file's name; "Untitled" is no title. */
static void test_placeholder_titles(struct check *c)
{
    static const struct {
        const char *meta, *want;
    } cases[] = {
        {"Microsoft Word - Rapport om Husby.docx", "Rapport om Husby"},
        {"Untitled", "Första raden"},
        {"Dokument1", "Första raden"},
        {"C:\\Users\\anna\\Skrivbord\\Utredning 2019.doc", "Utredning 2019"},
        {"Debian Edu / Skolelinux", "Debian Edu / Skolelinux"},
    };
    const char *const pages[] = {"Första raden\nAndra raden."};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct pdf_spec spec = {pages, 1, cases[i].meta, NULL, 0};
        struct doc d = {0};
        CHECK(c, extract_spec(&spec, &d, NULL) == 0);
        CHECK_STR(c, d.title, cases[i].want);
        doc_dispose(&d);
    }
}

/* A creation date before 1990 is a clock never set: no date. */
static void test_implausible_date_is_left_out(struct check *c)
{
    const char *const pages[] = {"Text."};
    struct pdf_spec spec = {pages, 1, "Titel", "D:19700101000000Z", 0};
    struct doc d = {0};
    CHECK(c, extract_spec(&spec, &d, NULL) == 0);
    CHECK(c, d.date == NULL);
    doc_dispose(&d);
}

/* An XMP packet as Acrobat and LibreOffice write one, description holding
 * the properties of its rdf:Description. */
#define XMP(description)                                                                   \
    "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"                  \
    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF "                                        \
    "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description rdf:about=\"\" " \
    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">" description                             \
    "</rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end=\"w\"?>"
#define XMP_LANGUAGES(items) XMP("<dc:language><rdf:Bag>" items "</rdf:Bag></dc:language>")

/* Writes a one-page PDF whose catalog says cat and extracts it into d. */
static int extract_catalog(const struct pdf_catalog *cat, struct doc *d, lib_error *err)
{
    const char *const pages[] = {"Text om Kiruna på en sida."};
    struct pdf_spec spec = {pages, 1, "Språk", NULL, 0};
    char *pdf;
    size_t len;
    if (pdf_write_mem_catalog(&pdf, &len, &spec, cat) < 0)
        return -100;
    int rc = pdf_extract(d, pdf, len, err);
    free(pdf);
    return rc;
}

/* The first tag of XMP's dc:language, kept as its primary subtag; a value
 * that is no language tag, or none at all, is no language, and the text is
 * read all the same. */
static void test_language_from_xmp_metadata(struct check *c)
{
    static const struct {
        const char *xmp, *want;
    } cases[] = {
        {XMP_LANGUAGES("<rdf:li>en-GB</rdf:li><rdf:li>sv</rdf:li>"), "en"},
        {XMP_LANGUAGES("<rdf:li>sv-SE</rdf:li>"), "sv"},
        {XMP_LANGUAGES("\n  <rdf:li> FI </rdf:li>\n"), "fi"},
        /* another prefix for Dublin Core: known by its namespace */
        {"<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\""
         "http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description xmlns:e=\""
         "http://purl.org/dc/elements/1.1/\"><e:language><rdf:Bag><rdf:li>de-AT</rdf:li>"
         "</rdf:Bag></e:language></rdf:Description></rdf:RDF></x:xmpmeta>", "de"},
        {XMP_LANGUAGES("<rdf:li>not a language!</rdf:li><rdf:li>en</rdf:li>"), NULL},
        {XMP_LANGUAGES("<rdf:li>zxx</rdf:li>"), NULL},   /* "no linguistic content" */
        {XMP_LANGUAGES("<rdf:li/>"), NULL},
        {XMP("<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">Språk</rdf:li></rdf:Alt>"
             "</dc:title>"), NULL},
        {"<x:xmpmeta><dc:language><rdf:Bag><rdf:li>en", NULL},   /* broken off */
        {"no XML at all", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct pdf_catalog cat = {NULL, cases[i].xmp};
        struct doc d = {0};
        lib_error err = {0};
        int rc = extract_catalog(&cat, &d, &err);
        if (rc != 0 || (cases[i].want ? !d.lang || strcmp(d.lang, cases[i].want) : d.lang != NULL))
            fprintf(stderr, "  case %zu: rc %d (%s), lang %s\n", i, rc, err.message,
                    d.lang ? d.lang : "NULL");
        CHECK(c, rc == 0);
        if (cases[i].want)
            CHECK_STR(c, d.lang, cases[i].want);
        else
            CHECK(c, d.lang == NULL);
        CHECK_STR(c, d.body, "Text om Kiruna på en sida.");
        CHECK_STR(c, d.title, "Språk");
        doc_dispose(&d);
    }
}

/* An entity in the XMP is neither loaded nor expanded into a language. */
static void test_xmp_entities_are_not_loaded(struct check *c)
{
    static const char *const xmps[] = {
        "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e \"en\">]>\n"
        XMP_LANGUAGES("<rdf:li>&e;</rdf:li>"),
        "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/hostname\">]>\n"
        XMP_LANGUAGES("<rdf:li>&e;</rdf:li>")};
    for (size_t i = 0; i < sizeof xmps / sizeof xmps[0]; i++) {
        struct pdf_catalog cat = {NULL, xmps[i]};
        struct doc d = {0};
        CHECK(c, extract_catalog(&cat, &d, NULL) == 0);
        CHECK(c, d.lang == NULL);
        CHECK_STR(c, d.body, "Text om Kiruna på en sida.");
        doc_dispose(&d);
    }
}

/* The catalog's /Lang: poppler-glib (22.12) has no call that reads it, so
 * it is not read. When a poppler that has one comes, this test tells. */
static void test_catalog_lang_is_out_of_poppler_glibs_reach(struct check *c)
{
    struct pdf_catalog cat = {"en-GB", NULL};
    struct doc d = {0};
    CHECK(c, extract_catalog(&cat, &d, NULL) == 0);
    CHECK(c, d.lang == NULL);
    CHECK_STR(c, d.body, "Text om Kiruna på en sida.");
    doc_dispose(&d);
    cat.xmp = XMP_LANGUAGES("<rdf:li>sv-SE</rdf:li>");
    CHECK(c, extract_catalog(&cat, &d, NULL) == 0);
    CHECK_STR(c, d.lang, "sv");
    doc_dispose(&d);
}

static void test_real_swedish_pdf(struct check *c)
{
    size_t len = 0;
    char *pdf = file_read_all(DEBIAN_EDU_PDF, &len);
    if (!pdf) {
        fprintf(stderr, "  %s is missing: install the Debian package debian-edu-doc-legacy-sv "
                        "(scripts/packages.txt)\n", DEBIAN_EDU_PDF);
        CHECK(c, pdf != NULL);
        return;
    }
    struct doc d = {0};
    lib_error err = {0};
    int rc = pdf_extract(&d, pdf, len, &err);
    if (rc < 0)
        fprintf(stderr, "  %s: %s\n", DEBIAN_EDU_PDF, err.message);
    CHECK(c, rc == 0);
    CHECK(c, d.npages > 10);
    CHECK_STR(c, d.title, "Debian Edu / Skolelinux manual för Audacity");
    CHECK_STR(c, d.date, "2024-01-31");
    /* dblatex wrote neither /Lang nor XMP metadata: no language said */
    CHECK(c, d.lang == NULL);
    CHECK_CONTAINS(c, d.body, DEBIAN_EDU_SENTENCE);
    const char *at = d.body ? strstr(d.body, DEBIAN_EDU_SENTENCE) : NULL;
    size_t k = DEBIAN_EDU_PAGE - 1;
    CHECK(c, at && d.npages > k + 1 && (size_t)(at - d.body) >= d.page_starts[k] &&
                 (size_t)(at - d.body) < d.page_starts[k + 1]);
    CHECK(c, d.page_starts && d.page_starts[0] == 0);
    for (size_t i = 1; i < d.npages; i++)
        CHECK(c, d.page_starts[i] >= d.page_starts[i - 1]);
    doc_dispose(&d);
    free(pdf);
}

/* A rejection: LIB_E_INVALID with a message holding want (and not
 * unwanted, when not NULL), d left empty. */
static void check_rejected(struct check *c, const char *what, const char *data, size_t len,
                           const char *want, const char *unwanted)
{
    struct doc d = {0};
    lib_error err = {0};
    int rc = pdf_extract(&d, data, len, &err);
    if (rc != LIB_E_INVALID || !strstr(err.message, want))
        fprintf(stderr, "  %s: code %d, \"%s\", wanted \"%s\"\n", what, rc, err.message, want);
    CHECK(c, rc == LIB_E_INVALID);
    CHECK(c, err.code == LIB_E_INVALID);
    CHECK_CONTAINS(c, err.message, want);
    CHECK(c, !unwanted || !strstr(err.message, unwanted));
    CHECK(c, d.body == NULL && d.title == NULL && d.page_starts == NULL);
    doc_dispose(&d);
}

static void test_empty_and_random_bytes_are_rejected(struct check *c)
{
    check_rejected(c, "empty", "", 0, "not a PDF", NULL);
    char random[4096];
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < sizeof random; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        random[i] = (char)(x >> 24);
    }
    check_rejected(c, "random", random, sizeof random, "not a PDF", NULL);
    const char *text = "Hej, det här är ingen PDF.\n";
    check_rejected(c, "text", text, strlen(text), "not a PDF", NULL);
}

/* Cut in half: poppler may rebuild what is left or give up; either way the
 * answer says something. */
static void test_truncated_pdf(struct check *c)
{
    struct pdf_spec spec = {swedish_pages, 3, "Bostäder", "D:20190327", 0};
    char *pdf;
    size_t len;
    CHECK(c, pdf_write_mem(&pdf, &len, &spec) == 0);
    if (!pdf)
        return;
    struct doc d = {0};
    lib_error err = {0};
    int rc = pdf_extract(&d, pdf, len / 2, &err);
    printf("  truncated PDF (%zu of %zu bytes): %s%s\n", len / 2, len,
           rc == 0 ? "extracted, " : "rejected: ", rc == 0 ? "" : err.message);
    if (rc == 0) {
        CHECK(c, d.body && d.npages > 0 && d.page_starts && d.page_starts[0] == 0);
        CHECK_CONTAINS(c, d.body, "Segregationen i Malmö");
    } else {
        CHECK(c, rc == LIB_E_INVALID && err.message[0]);
    }
    doc_dispose(&d);
    free(pdf);
}

static void test_pages_without_text_are_rejected(struct check *c)
{
    const char *const pages[] = {"", ""};
    struct pdf_spec spec = {pages, 2, "Inskannad rapport", "D:20190327", 0};
    char *pdf;
    size_t len;
    CHECK(c, pdf_write_mem(&pdf, &len, &spec) == 0);
    if (pdf)
        check_rejected(c, "no text", pdf, len, "no text (a scanned document?)", NULL);
    free(pdf);
}

/* A page without text amid others: its entry points where the next text
 * starts, so that there is one entry per page. */
static void test_page_without_text_keeps_its_entry(struct check *c)
{
    const char *const pages[] = {"", "Första texten.", "", "Sista texten.", ""};
    struct pdf_spec spec = {pages, 5, NULL, NULL, 0};
    struct doc d = {0};
    CHECK(c, extract_spec(&spec, &d, NULL) == 0);
    CHECK_STR(c, d.body, "Första texten.\nSista texten.");
    CHECK(c, d.npages == 5);
    size_t want[] = {0, 0, 16, 16, 29};
    for (size_t i = 0; i < 5 && d.npages == 5; i++)
        CHECK(c, d.page_starts[i] == want[i]);
    doc_dispose(&d);
}

/* Runs cmd (sh), 0 when it exited 0. */
static int shell(const char *cmd)
{
    return system(cmd) == 0 ? 0 : -1;
}

static void test_encrypted_pdf(struct check *c)
{
    int have_qpdf = shell("command -v qpdf >/dev/null 2>&1") == 0;
    if (!have_qpdf) {
        fprintf(stderr, "  qpdf is missing: install the Debian package qpdf "
                        "(scripts/packages.txt)\n");
        CHECK(c, have_qpdf);
        return;
    }
    char dir[256], in[300], out[300], open[300], cmd[1200];
    CHECK(c, tmpdir_make(dir, sizeof dir) == 0);
    snprintf(in, sizeof in, "%s/plain.pdf", dir);
    snprintf(out, sizeof out, "%s/locked.pdf", dir);
    snprintf(open, sizeof open, "%s/owner-only.pdf", dir);
    struct pdf_spec spec = {swedish_pages, 3, "Hemlig rapport", "D:20190327", 0};
    CHECK(c, pdf_write_file(in, &spec) == 0);
    snprintf(cmd, sizeof cmd, "qpdf --encrypt user owner 256 -- '%s' '%s'", in, out);
    CHECK(c, shell(cmd) == 0);
    size_t len = 0;
    char *pdf = file_read_all(out, &len);
    CHECK(c, pdf != NULL);
    if (pdf)
        /* Said as such, not as damage (poppler's own reason says
         * "encrypted" too). */
        check_rejected(c, "encrypted", pdf, len, "encrypted", "damaged");
    free(pdf);
    /* Encrypted for its permissions only (no user password): readable. */
    snprintf(cmd, sizeof cmd, "qpdf --encrypt '' owner 256 -- '%s' '%s'", in, open);
    CHECK(c, shell(cmd) == 0);
    pdf = file_read_all(open, &len);
    struct doc d = {0};
    CHECK(c, pdf && pdf_extract(&d, pdf, len, NULL) == 0);
    CHECK_CONTAINS(c, d.body, "Trångboddheten i Göteborg");
    doc_dispose(&d);
    free(pdf);
    tmpdir_remove(dir);
}

/* Page n's text: "Sida n" and lines of Swedish words, each of about width
 * bytes, lines of them. */
static char *page_of_words(size_t n, size_t lines, size_t width)
{
    static const char *const words[] = {"trångboddhet", "segregation", "Malmö", "Göteborg",
                                        "Växjö", "bostäder", "område", "skolval", "åtgärder",
                                        "hyresrätt", "kommun", "länsstyrelse", "utredning"};
    size_t nwords = sizeof words / sizeof words[0], cap = 32 + lines * (width + 20), w = n;
    char *p = malloc(cap);
    if (!p)
        return NULL;
    size_t len = (size_t)snprintf(p, cap, "Sida %zu", n);
    for (size_t l = 0; l < lines; l++) {
        p[len++] = '\n';
        size_t start = len;
        while (len - start < width) {
            const char *word = words[w++ % nwords];
            len += (size_t)snprintf(p + len, cap - len, "%s%s", len > start ? " " : "", word);
        }
    }
    p[len] = '\0';
    return p;
}

/* The pages of npages page_of_words into a PDF, extracted into d. */
static int extract_words(struct doc *d, lib_error *err, size_t npages, size_t lines,
                         size_t width, double font_size, size_t *pdf_len)
{
    char **pages = calloc(npages, sizeof *pages);
    int rc = pages ? 0 : -100;
    for (size_t i = 0; rc == 0 && i < npages; i++)
        if (!(pages[i] = page_of_words(i + 1, lines, width)))
            rc = -100;
    char *pdf = NULL;
    struct pdf_spec spec = {(const char *const *)pages, npages, "Många sidor", "D:20210610",
                            font_size};
    if (rc == 0 && pdf_write_mem(&pdf, pdf_len, &spec) < 0)
        rc = -100;
    if (rc == 0)
        rc = pdf_extract(d, pdf, *pdf_len, err);
    free(pdf);
    for (size_t i = 0; pages && i < npages; i++)
        free(pages[i]);
    free(pages);
    return rc;
}

static void test_hundred_pages(struct check *c)
{
    struct doc d = {0};
    size_t len = 0;
    double t0 = now_s();
    int rc = extract_words(&d, NULL, 100, 40, 80, 10, &len);
    double t = now_s() - t0;
    printf("  100 pages (%zu bytes of PDF, %zu of text): %.3f s\n", len,
           d.body ? strlen(d.body) : 0, t);
    CHECK(c, rc == 0);
    CHECK(c, d.npages == 100);
    CHECK(c, starts_increase(&d));
    CHECK(c, page_begins(&d, 0, "Sida 1\n"));
    CHECK(c, page_begins(&d, 41, "Sida 42\n"));
    CHECK(c, page_begins(&d, 99, "Sida 100\n"));
    CHECK(c, d.truncated == 0);
    doc_dispose(&d);
}

/* More than DOC_BODY_MAX of text: the body is cut, the pages kept are the
 * ones with entries, and the last kept page is filled to the limit. */
static void test_body_cut_at_max(struct check *c)
{
    struct doc d = {0};
    lib_error err = {0};
    /* 4 pt text: about 30 kB a page (poppler 22.12 keeps no more than about
     * 50,000 characters of a page, however small the letters). */
    size_t len = 0, npages = 160, lines = 150, width = 200;
    int rc = extract_words(&d, &err, npages, lines, width, 4, &len);
    size_t body = d.body ? strlen(d.body) : 0;
    printf("  %zu pages (%zu bytes of PDF): body %zu bytes, %zu pages kept\n", npages, len,
           body, d.npages);
    CHECK(c, rc == 0);
    CHECK(c, d.truncated == 1);
    CHECK(c, body <= DOC_BODY_MAX);
    CHECK(c, body > DOC_BODY_MAX - width - 20);
    CHECK(c, d.npages > 1 && d.npages < npages);
    CHECK(c, starts_increase(&d));
    char want[32];
    snprintf(want, sizeof want, "Sida %zu\n", d.npages);
    CHECK(c, page_begins(&d, d.npages - 1, want));
    CHECK(c, body && text_is_utf8(d.body, body));
    doc_dispose(&d);
}

int main(void)
{
    struct check c = {0};
    RUN(&c, test_three_swedish_pages);
    RUN(&c, test_title_from_first_line_without_info_title);
    RUN(&c, test_title_from_long_line_cut_on_a_character);
    RUN(&c, test_placeholder_titles);
    RUN(&c, test_implausible_date_is_left_out);
    RUN(&c, test_language_from_xmp_metadata);
    RUN(&c, test_xmp_entities_are_not_loaded);
    RUN(&c, test_catalog_lang_is_out_of_poppler_glibs_reach);
    RUN(&c, test_real_swedish_pdf);
    RUN(&c, test_empty_and_random_bytes_are_rejected);
    RUN(&c, test_truncated_pdf);
    RUN(&c, test_pages_without_text_are_rejected);
    RUN(&c, test_page_without_text_keeps_its_entry);
    RUN(&c, test_encrypted_pdf);
    RUN(&c, test_hundred_pages);
    RUN(&c, test_body_cut_at_max);
    return check_report(&c, "test_pdf_extract");
}
