/* test_html_extract.c: lib/html_extract.c on the odd pages in tests/data/,
 * on pages of corpus/, and on a real Swedish page that no one here wrote. */
#include "check.h"
#include "support.h"
#include "html_extract.h"

#include <stdlib.h>
#include <string.h>

#define DEBIAN_EDU_PAGE "/usr/share/doc/debian-edu-doc-legacy-sv/audacity-manual.html"

/* Extracts a page: 0, or a negative code with err filled (NULL: not
 * wanted). */
static int extract(const char *path, struct doc *d, lib_error *err)
{
    size_t len = 0;
    char *html = file_read_all(path, &len);
    if (!html)
        return lib_error_set(err, LIB_E_IO, "cannot read %s", path);
    int rc = html_extract(d, html, len, err);
    free(html);
    return rc;
}

static void test_latin1_page_without_charset_is_decoded(struct check *c)
{
    struct doc d = {0};
    CHECK(c, extract("tests/data/latin1_without_charset.html", &d, NULL) == 0);
    CHECK_STR(c, d.title, "Trångboddhet i Växjö");
    CHECK_CONTAINS(c, d.body, "många hushåll i Växjö är trångbodda, även på Öster");
    doc_dispose(&d);
}

static void test_latin1_page_with_http_equiv_is_decoded(struct check *c)
{
    struct doc d = {0};
    CHECK(c, extract("tests/data/latin1_http_equiv.html", &d, NULL) == 0);
    CHECK_STR(c, d.title, "Skolsegregation i Göteborg");
    CHECK_CONTAINS(c, d.body, "Café på Hisingen");
    doc_dispose(&d);
}

static void test_entities_become_letters(struct check *c)
{
    struct doc d = {0};
    CHECK(c, extract("tests/data/entities_for_swedish_letters.html", &d, NULL) == 0);
    CHECK_STR(c, d.title, "Frågor om Örebro");
    CHECK_STR(c, d.body, "Bostadsområden i Örebro & Långholmen – en förstudie om trängsel.");
    doc_dispose(&d);
}

static void test_page_without_main_drops_chrome_and_scripts(struct check *c)
{
    struct doc d = {0};
    CHECK(c, extract("tests/data/no_main_with_script_and_chrome.html", &d, NULL) == 0);
    CHECK_STR(c, d.title, "Levnadsvillkor i Gävle");
    CHECK_STR(c, d.body, "Levnadsvillkoren skiljer sig mellan stadsdelarna i Gävle.");
    doc_dispose(&d);
}

static void test_title_falls_back_to_head_without_site_name(struct check *c)
{
    struct doc d = {0};
    CHECK(c, extract("tests/data/title_only_in_head.html", &d, NULL) == 0);
    CHECK_STR(c, d.title, "Stöd till kommuner");
    CHECK_STR(c, d.date, "2020-05-14");   /* from article:published_time */
    doc_dispose(&d);
}

static void test_seminar_fields_in_a_definition_list(struct check *c)
{
    struct doc d = {0};
    CHECK(c, extract("tests/data/seminar_fields_in_dl.html", &d, NULL) == 0);
    CHECK_STR(c, d.what, "Seminarium");
    CHECK_STR(c, d.when, "23 januari 13:00-16:30");
    CHECK_STR(c, d.address, "Ljusgården, Drottninggatan 33, Stockholm");
    CHECK_STR(c, d.place, "Stockholm");
    CHECK_STR(c, d.organizer, "IQ Samhällsbyggnad");
    CHECK_STR(c, d.published, "2019-01-10");   /* meta date wins over <time> */
    CHECK_STR(c, d.date, "2019-01-23");        /* the seminar's day, year from the page */
    doc_dispose(&d);
}

static void test_tag_soup_keeps_paragraphs_apart(struct check *c)
{
    struct doc d = {0};
    CHECK(c, extract("tests/data/tag_soup.html", &d, NULL) == 0);
    CHECK_STR(c, d.title, "Arbetslöshet i Luleå");
    CHECK_STR(c, d.body, "Första stycket\nAndra stycket\nett\ntvå\nSista");
    doc_dispose(&d);
}

static void test_empty_and_binary_files_are_rejected_with_reason(struct check *c)
{
    struct doc d = {0};
    lib_error err = {0};
    CHECK(c, extract("tests/data/empty.html", &d, &err) == LIB_E_INVALID);
    CHECK_STR(c, err.message, "empty file");
    doc_dispose(&d);
    err = (lib_error){0};
    CHECK(c, extract("tests/data/binary_named_html.html", &d, &err) == LIB_E_INVALID);
    CHECK(c, err.message[0] != '\0');
    doc_dispose(&d);
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
    CHECK(c, html_extract(&d, html, len, NULL) == 0);
    CHECK_STR(c, d.title, "Djup");
    free(html);
    doc_dispose(&d);
}

/* html made of head, depth copies of open, then tail; NULL when out of
 * memory. */
static char *nested(const char *head, const char *open, size_t depth, const char *tail,
                    size_t *len)
{
    size_t hl = strlen(head), ol = strlen(open), tl = strlen(tail);
    char *html = malloc(hl + ol * depth + tl + 1);
    if (!html)
        return NULL;
    memcpy(html, head, hl);
    for (size_t i = 0; i < depth; i++)
        memcpy(html + hl + i * ol, open, ol);
    memcpy(html + hl + ol * depth, tail, tl + 1);
    *len = hl + ol * depth + tl;
    return html;
}

/* Extracts the page nested() makes (the test fails when it cannot). */
static int extract_nested(struct check *c, const char *head, const char *open, size_t depth,
                          const char *tail, struct doc *d)
{
    size_t len = 0;
    lib_error err = {0};
    char *html = nested(head, open, depth, tail, &len);
    int rc = html ? html_extract(d, html, len, &err) : lib_error_nomem(&err);
    CHECK(c, rc == 0);
    if (rc)
        fprintf(stderr, "  %s\n", err.message);
    free(html);
    return rc;
}

/* Text deeper than the tree is built keeps its words and its order, with
 * scripts, styles, comments and attributes left out as above it. */
static void test_text_nested_100000_deep_is_kept_with_what_follows(struct check *c)
{
    struct doc d = {0};
    if (extract_nested(c, "<main><h1>Djup</h1><p>Ytlig text.</p>", "<div>", 100000,
                       "botten &amp; mer<script>dold(\"</div>\")</script><style>p{}</style>"
                       "<!-- <b>kommentar</b> --><span title=\"a>b\">efter</span>"
                       "<p>Sista stycket</div></div></main>", &d) < 0)
        return;
    CHECK_STR(c, d.title, "Djup");
    CHECK(c, !d.truncated);
    CHECK_CONTAINS(c, d.body, "Ytlig text.");
    CHECK_CONTAINS(c, d.body, "botten & mer");
    CHECK_CONTAINS(c, d.body, "efter\nSista stycket");
    CHECK(c, d.body && !strstr(d.body, "dold") && !strstr(d.body, "p{}") &&
                 !strstr(d.body, "kommentar") && !strstr(d.body, "a>b"));
    CHECK(c, d.body && strstr(d.body, "Ytlig") < strstr(d.body, "botten"));
    doc_dispose(&d);
}

static void test_a_page_whose_only_text_is_deep_is_not_empty(struct check *c)
{
    struct doc d = {0};
    if (extract_nested(c, "", "<div>", 100000, "Texten om Kiruna", &d) < 0)
        return;
    CHECK(c, d.title == NULL);
    CHECK_STR(c, d.body, "Texten om Kiruna");
    doc_dispose(&d);
}

static void test_deep_text_keeps_the_letters_of_its_encoding(struct check *c)
{
    struct doc d = {0};
    if (extract_nested(c, "<meta charset=\"iso-8859-1\"><h1>V\xe4xj\xf6</h1>", "<span>", 300,
                       "R\xe4ksm\xf6rg\xe5s &lt;3", &d) == 0)
        CHECK_CONTAINS(c, d.body, "R\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s <3");
    doc_dispose(&d);
    memset(&d, 0, sizeof d);   /* declared nothing, not UTF-8: Windows-1252 */
    if (extract_nested(c, "<h1>Pris</h1>", "<div>", 300, "100 \x80 i Ume\xe5", &d) == 0)
        CHECK_CONTAINS(c, d.body, "100 \xe2\x82\xac i Ume\xc3\xa5");
    doc_dispose(&d);
}

/* Markup that would make new tags once the tags around it are dropped
 * ("<<b>div>") stays text, so the deep part cannot nest again. */
static void test_deep_text_cannot_rebuild_tags_from_fragments(struct check *c)
{
    struct doc d = {0};
    size_t len = 0;
    char *tail = nested("", "<<b>div>", 1000, "slutet", &len);
    if (tail && extract_nested(c, "<h1>Fragment</h1>", "<div>", 300, tail, &d) == 0) {
        CHECK_CONTAINS(c, d.body, "<div><div>");
        CHECK_CONTAINS(c, d.body, "slutet");
    }
    free(tail);
    doc_dispose(&d);
}

static void test_real_swedish_page_from_debian_edu(struct check *c)
{
    struct doc d = {0};
    CHECK(c, extract(DEBIAN_EDU_PAGE, &d, NULL) == 0);
    CHECK_STR(c, d.title, "Debian Edu / Skolelinux manual för Audacity");
    /* from deep in the page: the last section of the licence text */
    CHECK_CONTAINS(c, d.body, "END OF TERMS AND CONDITIONS");
    CHECK_CONTAINS(c, d.body, "Insticksprogram");
    CHECK(c, !d.body || !strstr(d.body, "max-width"));   /* no CSS */
    doc_dispose(&d);
}

/* html_extract of a page in memory into d. */
static int extract_text(const char *html, struct doc *d)
{
    return html_extract(d, html, strlen(html), NULL);
}

static void test_language_from_html_lang_as_primary_subtag(struct check *c)
{
    struct doc d = {0};
    CHECK(c, extract_text("<html lang=\"en-GB\"><title>Annual report</title>"
                          "<p>The agency reports.</p></html>", &d) == 0);
    CHECK_STR(c, d.lang, "en");
    doc_dispose(&d);
    CHECK(c, extract_text("<html xml:lang=\"FI\"><body><h1>Vuosikertomus</h1></body></html>",
                          &d) == 0);
    CHECK_STR(c, d.lang, "fi");
    doc_dispose(&d);
}

static void test_language_of_main_wins_over_html(struct check *c)
{
    struct doc d = {0};
    CHECK(c, extract_text("<html lang=\"en\"><body><nav>Menu</nav><main lang=\"sv-SE\">"
                          "<h1>Om oss</h1><p>Text.</p></main></body></html>", &d) == 0);
    CHECK_STR(c, d.lang, "sv");
    doc_dispose(&d);
}

static void test_language_from_content_language_meta(struct check *c)
{
    struct doc d = {0};
    CHECK(c, extract_text("<html><head><meta http-equiv=\"Content-Language\" content=\"de\">"
                          "<title>Bericht</title></head><body><p>Text.</p></body></html>",
                          &d) == 0);
    CHECK_STR(c, d.lang, "de");
    doc_dispose(&d);
}

static void test_no_or_bad_language_is_none(struct check *c)
{
    struct doc d = {0};
    CHECK(c, extract_text("<html><h1>Rapport</h1><p>Text.</p></html>", &d) == 0);
    CHECK(c, d.lang == NULL);
    doc_dispose(&d);
    CHECK(c, extract_text("<html lang=\"not a language!\"><h1>Rapport</h1></html>", &d) == 0);
    CHECK(c, d.lang == NULL);
    CHECK_STR(c, d.title, "Rapport");
    doc_dispose(&d);
    /* A section's language is not the page's: the Debian page wraps its
     * Swedish text in <div lang="en"> below <body>. */
    CHECK(c, extract(DEBIAN_EDU_PAGE, &d, NULL) == 0);
    CHECK(c, d.lang == NULL);
    doc_dispose(&d);
}

static void test_links_base_and_robots_for_the_crawler(struct check *c)
{
    const char *page = "<html><head><base href=\"https://x.se/a/\"><meta name=\"robots\" "
                       "content=\"index, NoFollow\"></head><body><nav><a href=\"/meny\">Meny</a>"
                       "</nav><main><h1>Sida</h1><p><a href=\"b.html#del\">B</a> och "
                       "<a name=\"x\">ankare</a> <map><area href=\"karta.html\"></map></p></main>"
                       "<a href=\"mailto:a@x.se\">Post</a></body></html>";
    struct doc d = {0};
    struct html_links l = {0};
    CHECK(c, html_extract_links(&d, &l, page, strlen(page), NULL) == 0);
    CHECK(c, l.n == 4);
    if (l.n == 4) {
        CHECK_STR(c, l.href[0], "/meny");   /* navigation too: the crawler follows it */
        CHECK_STR(c, l.href[1], "b.html#del");
        CHECK_STR(c, l.href[2], "karta.html");
        CHECK_STR(c, l.href[3], "mailto:a@x.se");   /* the crawler decides */
    }
    CHECK_STR(c, l.base, "https://x.se/a/");
    CHECK(c, l.nofollow == 1 && d.noindex == 0);
    CHECK_STR(c, d.title, "Sida");
    html_links_dispose(&l);
    html_links_dispose(&l);   /* disposing twice is harmless */
    doc_dispose(&d);
    CHECK(c, extract_text("<html><head><meta name=robots content=\"noindex\"></head>"
                          "<h1>Utkast</h1></html>", &d) == 0);
    CHECK(c, d.noindex == 1);
    doc_dispose(&d);
}

struct page_expect {
    const char *file, *title, *date;
};

/* The odd pages of corpus/ (corpus/README.md): title and date survive. */
static const struct page_expect odd_pages[] = {
    {"artikel/fem-ar-med-kvinnocafe-i-kronogarden.html", "Fem år med kvinnocafé i Kronogården", "2018-03-08"},
    {"artikel/miljonprogrammet-i-ornskoldsvik.html", "Miljonprogrammets bostadsområden i Örnsköldsvik rustas upp", "2018-04-17"},
    {"seminarium/seminarium-i-sundsvall-om-foreningslivet.html", "Seminarium i Sundsvall om föreningslivets roll", "2018-02-14"},
    {"artikel/skarholmens-foreningsrad.html", "Skärholmens föreningsråd samlar ett fyrtiotal föreningar", "2018-05-29"},
    {"artikel/hassleholm-satsar-pa-sommarlovet.html", "Hässleholm satsar på ett aktivt sommarlov för alla barn", "2018-06-12"},
    {"seminarium/seminarium-i-kalmar-om-skolans-uppdrag.html", "Seminarium i Kalmar om skolans kompensatoriska uppdrag", "2018-08-30"},
    {"artikel/sommarjobb-for-unga-i-botkyrka.html", "Sommarjobb för unga i Botkyrka", "2019-04-24"},
    {"artikel/segregationen-i-siffror.html", "Segregationen i siffror", "2019-01-22"},
    {"artikel/coronapandemin-och-utsatta-omraden.html", "Coronapandemin slår hårt mot socioekonomiskt utsatta områden", "2020-05-14"},
    {"artikel/delegationen-besokte-borlange.html", "Delegationen besökte Borlänge", "2018-11-28"},
    {"seminarium/rapport-segregationens-utveckling-2020.html", "Rapport: Segregationens utveckling i Sverige", "2020-12-15"},
    {"artikel/idrottsforeningar-i-landskrona.html", "Idrottsföreningar i Landskrona öppnar dörrarna", "2019-06-04"},
    {"artikel/lokal-overenskommelse-i-motala.html", "Motala tecknar lokal överenskommelse med föreningslivet", "2020-09-08"},
};

static void test_corpus_odd_pages_keep_title_and_date(struct check *c)
{
    for (size_t i = 0; i < sizeof odd_pages / sizeof odd_pages[0]; i++) {
        char path[512];
        struct doc d = {0};
        snprintf(path, sizeof path, "corpus/%s", odd_pages[i].file);
        CHECK(c, extract(path, &d, NULL) == 0);
        CHECK_STR(c, d.title, odd_pages[i].title);
        /* a seminar's date is its day; the page's own date is kept apart */
        CHECK_STR(c, d.published ? d.published : d.date, odd_pages[i].date);
        doc_dispose(&d);
    }
}

struct seminar_expect {
    const char *file, *what, *when, *address, *organizer, *town;
};

static const struct seminar_expect seminars[] = {
    {"seminarium/segregationens-utmaningar.html", "Seminarium på den nationella konferensen om finansiell samordning", "27 mars 2019", "City Conference Center/Folkets Hus, Barnhusgatan 12-14, Stockholm", "Nationella rådet för finansiell samordning", "Stockholm"},
    {"seminarium/goda-krafter-i-utsatta-omraden.html", "Seminarium med efterföljande mingel", "23 januari 13:00-16:30", "Kulturhuset Stadsteatern, Sergels torg 3, Stockholm", "Samhällsbyggarna i samarbete med Delegationen mot segregation", "Stockholm"},
    {"seminarium/malmo-resultat-fran-forstudierna.html", "Seminarium om förstudierna mot segregation i Malmö", "12 februari 2019, 13.00–16.00", "Moriskan, Amiralsgatan 35, Malmö", "Malmö stad och Delegationen mot segregation", "Malmö"},
    {"seminarium/borlange-dialogmote-om-segregation.html", "Dialogmöte för föreningar och boende", "tisdag 26 november 2019, kl. 18.00–20.00", "Borlänge", "Borlänge kommun", "Borlänge"},
    {"seminarium/jonkoping-seminarium-om-ungas-fritid.html", "Seminarium om meningsfull fritid för unga", "5 maj kl. 10.00", "Råslätts centrum, Emil Roos väg 2, Jönköping", "Jönköpings kommun", "Jönköping"},
    {"seminarium/eskilstuna-trygghet-och-delaktighet.html", "Seminarium om trygghetsarbete med boendedialog", "20 oktober 2020, 13.00–15.30", "Munktellarenan, Verkstadsgatan 6, Eskilstuna", "Eskilstuna kommun, Kfast och Polisen", "Eskilstuna"},
    {"seminarium/seminarium-i-sundsvall-om-foreningslivet.html", "Seminarium om föreningslivet och integration i Västernorrland", "14 mars 2018, 13.00-16.00", "Kulturmagasinet, Sjögatan 7, Sundsvall", "Sundsvalls kommun och Länsstyrelsen Västernorrland", "Sundsvall"},
    {"seminarium/seminarium-i-kalmar-om-skolans-uppdrag.html", "Seminarium om likvärdig skola och kompensatoriskt uppdrag", "26 september 2018, 13.00–16.00", "Kalmarsalen, Östra Sjögatan 1, Kalmar", "Kalmar kommun & Linnéuniversitetet", "Kalmar"},
};

static void test_corpus_seminar_fields(struct check *c)
{
    for (size_t i = 0; i < sizeof seminars / sizeof seminars[0]; i++) {
        char path[512];
        struct doc d = {0};
        snprintf(path, sizeof path, "corpus/%s", seminars[i].file);
        CHECK(c, extract(path, &d, NULL) == 0);
        CHECK_STR(c, d.what, seminars[i].what);
        CHECK_STR(c, d.when, seminars[i].when);
        CHECK_STR(c, d.address, seminars[i].address);
        CHECK_STR(c, d.organizer, seminars[i].organizer);
        CHECK_STR(c, d.place, seminars[i].town);
        CHECK(c, d.date && d.published && strcmp(d.date, d.published) >= 0);
        doc_dispose(&d);
    }
}

static void test_corpus_no_main_page_drops_scripts_and_chrome(struct check *c)
{
    struct doc d = {0};
    CHECK(c, extract("corpus/artikel/sommarjobb-for-unga-i-botkyrka.html", &d, NULL) == 0);
    const char *banned[] = {"skriptmarkör", "stilmarkör", "dataLayer", "font-family",
                            "Hoppa till huvudinnehållet", "Tillbaka till toppen", "Box 123", "Om oss"};
    for (size_t i = 0; i < sizeof banned / sizeof banned[0]; i++)
        CHECK(c, d.body && !strstr(d.body, banned[i]));
    CHECK_CONTAINS(c, d.body, "Över tusen ungdomar i Botkyrka får sommarjobb i år.");
    doc_dispose(&d);
}

static void test_corpus_listing_page_is_no_seminar(struct check *c)
{
    struct doc d = {0};
    CHECK(c, extract("corpus/lista/kalender.html", &d, NULL) == 0);
    CHECK(c, d.place == NULL && d.what == NULL);
    doc_dispose(&d);
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
    RUN(&c, test_text_nested_100000_deep_is_kept_with_what_follows);
    RUN(&c, test_a_page_whose_only_text_is_deep_is_not_empty);
    RUN(&c, test_deep_text_keeps_the_letters_of_its_encoding);
    RUN(&c, test_deep_text_cannot_rebuild_tags_from_fragments);
    RUN(&c, test_real_swedish_page_from_debian_edu);
    RUN(&c, test_language_from_html_lang_as_primary_subtag);
    RUN(&c, test_language_of_main_wins_over_html);
    RUN(&c, test_language_from_content_language_meta);
    RUN(&c, test_no_or_bad_language_is_none);
    RUN(&c, test_links_base_and_robots_for_the_crawler);
    RUN(&c, test_corpus_odd_pages_keep_title_and_date);
    RUN(&c, test_corpus_seminar_fields);
    RUN(&c, test_corpus_no_main_page_drops_scripts_and_chrome);
    RUN(&c, test_corpus_listing_page_is_no_seminar);
    return check_report(&c, "test_html_extract");
}
