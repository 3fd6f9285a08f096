/* test_office_extract.c: lib/office_extract.c, lib/epub_extract.c and
 * lib/zip_read.c on zip archives written here with libzip
 * (tests/support/zip_write.c), hostile ones among them, and on a real
 * Swedish EPUB that no one here wrote; the language each declares. */
#include "check.h"
#include "epub_extract.h"
#include "office_extract.h"
#include "support.h"
#include "text.h"
#include "zip_read.h"
#include "zip_write.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#define DEBIAN_EDU_EPUB "/usr/share/doc/debian-edu-doc-legacy-sv/audacity-manual.epub"
#define DEBIAN_EDU_PACKAGE "debian-edu-doc-legacy-sv"

#define NS_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define NS_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_TABLE "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define NS_DRAW "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
#define NS_META "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_A "http://schemas.openxmlformats.org/drawingml/2006/main"
#define NS_P "http://schemas.openxmlformats.org/presentationml/2006/main"
#define NS_X "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_STYLE "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
#define NS_FO "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- documents as their XML ---- */

/* content.xml around body (office:text, office:spreadsheet, …). */
#define ODF_CONTENT(body)                                                                  \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                         \
    "<office:document-content xmlns:office=\"" NS_OFFICE "\" xmlns:text=\"" NS_TEXT       \
    "\" xmlns:table=\"" NS_TABLE "\" xmlns:draw=\"" NS_DRAW "\" office:version=\"1.2\">\n" \
    "<office:body>\n" body "\n</office:body></office:document-content>\n"

#define ODF_META(inner)                                                                    \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                         \
    "<office:document-meta xmlns:office=\"" NS_OFFICE "\" xmlns:meta=\"" NS_META          \
    "\" xmlns:dc=\"" NS_DC "\"><office:meta>" inner "</office:meta></office:document-meta>"

#define DOCX_DOCUMENT(body)                                                                \
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"                      \
    "<w:document xmlns:w=\"" NS_W "\" xmlns:mc=\""                                          \
    "http://schemas.openxmlformats.org/markup-compatibility/2006\"><w:body>" body          \
    "</w:body></w:document>"

#define CORE_XML(inner)                                                                    \
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"                      \
    "<cp:coreProperties xmlns:cp=\""                                                         \
    "http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "            \
    "xmlns:dc=\"" NS_DC "\" xmlns:dcterms=\"http://purl.org/dc/terms/\" "                   \
    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">" inner "</cp:coreProperties>"

/* styles.xml around the office:styles' content. */
#define ODF_STYLES(styles)                                                                 \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                         \
    "<office:document-styles xmlns:office=\"" NS_OFFICE "\" xmlns:style=\"" NS_STYLE        \
    "\" xmlns:fo=\"" NS_FO "\" office:version=\"1.3\"><office:styles>" styles               \
    "</office:styles></office:document-styles>"

#define DOCX_STYLES(inner)                                                                 \
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"                      \
    "<w:styles xmlns:w=\"" NS_W "\">" inner "</w:styles>"

#define PPTX_SLIDE(paras)                                                                  \
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"                      \
    "<p:sld xmlns:a=\"" NS_A "\" xmlns:p=\"" NS_P "\"><p:cSld><p:spTree><p:sp><p:txBody>"   \
    "<a:bodyPr/>" paras "</p:txBody></p:sp></p:spTree></p:cSld></p:sld>"

#define XLSX_SHEET(rows)                                                                   \
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"                      \
    "<worksheet xmlns=\"" NS_X "\"><sheetData>" rows "</sheetData></worksheet>"

static const char content_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\""
    "http://schemas.openxmlformats.org/package/2006/content-types\"/>";

/* ---- helpers ---- */

/* The members as an archive, extracted as format ("epub" or an office
 * format). The archive must be made: a test that cannot make it fails. */
static int extract_members(struct check *c, struct doc *d, const char *format,
                           const struct zw_member *m, size_t n, lib_error *err)
{
    char *zip = NULL;
    size_t len = 0;
    int made = zip_write_mem(&zip, &len, m, n);
    CHECK(c, made == 0);
    if (made != 0)
        return -100;
    int rc = strcmp(format, "epub") == 0 ? epub_extract(d, zip, len, err)
                                         : office_extract(d, format, zip, len, err);
    free(zip);
    return rc;
}

/* Extraction is refused with LIB_E_INVALID and a message holding each of
 * the needles (NULL-terminated), and d is left empty. */
static void check_rejected(struct check *c, const char *what, int rc, const lib_error *err,
                           const struct doc *d, const char *const *needles)
{
    if (rc != LIB_E_INVALID)
        fprintf(stderr, "  %s: %s: rc %d, message \"%s\"\n", c->cur_name, what, rc,
                err->message);
    CHECK(c, rc == LIB_E_INVALID);
    for (; *needles; needles++)
        CHECK_CONTAINS(c, err->message, *needles);
    CHECK(c, d->body == NULL && d->title == NULL && d->format == NULL);
}

#define REJECTED(c, what, rc, err, d, ...)                                                \
    do {                                                                                  \
        const char *const needles_[] = {__VA_ARGS__, NULL};                               \
        check_rejected(c, what, rc, err, d, needles_);                                    \
    } while (0)

static long max_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* ---- 1. OpenDocument text ---- */

static const char odt_content[] = ODF_CONTENT(
    "<office:text>\n"
    "<text:sequence-decls/>\n"
    "<text:h text:outline-level=\"1\">Bostäder i Västerås</text:h>\n"
    "<text:p>Många hushåll i Västerås<text:s/>bor trångt,\n   säger Åsa.</text:p>\n"
    "<text:p>Första raden<text:line-break/>andra raden<text:tab/>med tabb.</text:p>\n"
    "<text:p/>\n"
    "<text:h text:outline-level=\"2\">Siffror för Örebro och Älmhult</text:h>\n"
    "<table:table table:name=\"Tabell1\"><table:table-column/>\n"
    "<table:table-row><table:table-cell><text:p>Kommun</text:p></table:table-cell>"
    "<table:table-cell><text:p>Andel trångbodda</text:p></table:table-cell></table:table-row>\n"
    "<table:table-row><table:table-cell><text:p>Örebro</text:p></table:table-cell>"
    "<table:table-cell><text:p>12 %</text:p></table:table-cell></table:table-row>\n"
    "</table:table>\n"
    "<text:p>Slutord om <text:span>ö, ä</text:span> och å.</text:p>\n"
    "</office:text>");

static const char odt_meta[] =
    ODF_META("<meta:generator>LibreOffice</meta:generator>"
             "<dc:title>Trångboddhet i Västerås</dc:title>"
             "<dc:date>2022-06-07T08:09:10</dc:date>"
             "<meta:creation-date>2021-03-04T10:11:12.345</meta:creation-date>");

static const char odt_body[] = "Bostäder i Västerås\n"
                               "Många hushåll i Västerås bor trångt, säger Åsa.\n"
                               "Första raden\n"
                               "andra raden med tabb.\n"
                               "Siffror för Örebro och Älmhult\n"
                               "Kommun\n"
                               "Andel trångbodda\n"
                               "Örebro\n"
                               "12 %\n"
                               "Slutord om ö, ä och å.";

/* Written to disk and read back: the archive as a file would come. */
static void test_odt_title_date_and_every_paragraph(struct check *c)
{
    char dir[256], path[300];
    struct zw_member m[] = {{"mimetype", "application/vnd.oasis.opendocument.text", 0, 1, NULL},
                            {"content.xml", odt_content, 0, 0, NULL},
                            {"meta.xml", odt_meta, 0, 0, NULL}};
    CHECK(c, tmpdir_make(dir, sizeof dir) == 0);
    snprintf(path, sizeof path, "%s/rapport.odt", dir);
    CHECK(c, zip_write_file(path, m, N(m)) == 0);
    size_t len = 0;
    char *data = file_read_all(path, &len);
    CHECK(c, data != NULL);
    struct doc d = {0};
    lib_error err = {0};
    CHECK(c, data && office_extract(&d, "odt", data, len, &err) == 0);
    CHECK_STR(c, err.message, "");
    CHECK_STR(c, d.title, "Trångboddhet i Västerås");
    CHECK_STR(c, d.date, "2021-03-04");   /* creation, not the last save */
    CHECK_STR(c, d.format, "odt");
    CHECK_STR(c, d.body, odt_body);
    CHECK(c, d.truncated == 0);
    doc_dispose(&d);
    free(data);
    tmpdir_remove(dir);
}

static void test_odt_without_meta_is_titled_by_its_first_heading(struct check *c)
{
    struct zw_member m[] = {{"content.xml", odt_content, 0, 0, NULL}};
    struct doc d = {0};
    lib_error err = {0};
    CHECK(c, extract_members(c, &d, "odt", m, N(m), &err) == 0);
    CHECK_STR(c, d.title, "Bostäder i Västerås");
    CHECK(c, d.date == NULL);
    CHECK_STR(c, d.body, odt_body);
    doc_dispose(&d);
}

/* No heading: the first paragraph, cut at 200 bytes, never inside a
 * letter (each "å" is two bytes, and 200 falls inside the 67th). */
static void test_odt_title_falls_back_to_first_paragraph_cut_at_200_bytes(struct check *c)
{
    static const char content[] = ODF_CONTENT(
        "<office:text><text:p>x"
        "åååååååååååååååååååååååååååååååååååååååååååååååååååååååååååååååååååååååååååååååååå"
        "åååååååååååååååååååååååååååååååååååååååååååååååååååååååååååååååååååååååååååååååå"
        "</text:p><text:p>Andra stycket.</text:p></office:text>");
    struct zw_member m[] = {{"content.xml", content, 0, 0, NULL},
                            {"meta.xml", ODF_META("<dc:date>2020-02-29</dc:date>"), 0, 0, NULL}};
    struct doc d = {0};
    lib_error err = {0};
    CHECK(c, extract_members(c, &d, "odt", m, N(m), &err) == 0);
    CHECK(c, d.title && strlen(d.title) == 199);   /* "x" and 99 å */
    CHECK(c, d.title && text_is_utf8(d.title, strlen(d.title)));
    CHECK(c, d.title && d.body && strncmp(d.body, d.title, strlen(d.title)) == 0);
    CHECK_STR(c, d.date, "2020-02-29");   /* dc:date when there is no creation date */
    CHECK_CONTAINS(c, d.body, "\nAndra stycket.");
    doc_dispose(&d);
}

/* ---- 2. Office Open XML, spreadsheets, presentations ---- */

static void test_docx_paragraphs_tabs_breaks_and_core_properties(struct check *c)
{
    static const char document[] = DOCX_DOCUMENT(
        "<w:p><w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr><w:r><w:t>Rapport om Gävle</w:t></w:r></w:p>"
        "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>"
        "<w:r><w:t xml:space=\"preserve\">Ungdomar i </w:t></w:r><w:r><w:rPr><w:b/></w:rPr>"
        "<w:t>Sätra</w:t></w:r><w:r><w:t>s</w:t></w:r><w:r><w:tab/><w:t>träffas</w:t>"
        "<w:br/><w:t>på fritidsgården.</w:t></w:r>"
        "<w:del><w:r><w:delText>borttagen text</w:delText></w:r></w:del></w:p>"
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Cell ett</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>Cell två</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
        "<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:t>Textruta</w:t></mc:Choice>"
        "<mc:Fallback><w:t>Textruta igen</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>"
        "<w:p/><w:p><w:r><w:instrText>PAGE</w:instrText><w:t>Sista stycket.</w:t></w:r></w:p>");
    struct zw_member m[] = {
        {"[Content_Types].xml", content_types, 0, 0, NULL},
        {"word/document.xml", document, 0, 0, NULL},
        {"docProps/core.xml",
         CORE_XML("<dc:title>Fritid i Gävle</dc:title><dc:creator>Åsa</dc:creator>"
                  "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2019-11-12T09:00:00Z</dcterms:created>"
                  "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">2020-01-02T09:00:00Z</dcterms:modified>"),
         0, 0, NULL}};
    struct doc d = {0};
    lib_error err = {0};
    CHECK(c, extract_members(c, &d, "docx", m, N(m), &err) == 0);
    CHECK_STR(c, d.title, "Fritid i Gävle");
    CHECK_STR(c, d.date, "2019-11-12");
    CHECK_STR(c, d.format, "docx");
    CHECK_STR(c, d.body, "Rapport om Gävle\n"
                         "Ungdomar i Sätras träffas\n"
                         "på fritidsgården.\n"
                         "Cell ett\n"
                         "Cell två\n"
                         "Textruta\n"
                         "Sista stycket.");
    doc_dispose(&d);
}

/* No title in core.xml: the paragraph styled as a heading; no created
 * date: the modified one. */
static void test_docx_title_from_heading_style_and_date_from_modified(struct check *c)
{
    static const char document[] = DOCX_DOCUMENT(
        "<w:p><w:r><w:t>Inledande rad.</w:t></w:r></w:p>"
        "<w:p><w:pPr><w:pStyle w:val=\"Rubrik1\"/></w:pPr><w:r><w:t>Mötesplatser i Kalmar</w:t></w:r></w:p>");
    struct zw_member m[] = {
        {"word/document.xml", document, 0, 0, NULL},
        {"docProps/core.xml", CORE_XML("<dcterms:modified>2018-09-26T13:00:00Z</dcterms:modified>"),
         0, 0, NULL}};
    struct doc d = {0};
    lib_error err = {0};
    CHECK(c, extract_members(c, &d, "docx", m, N(m), &err) == 0);
    CHECK_STR(c, d.title, "Mötesplatser i Kalmar");
    CHECK_STR(c, d.date, "2018-09-26");
    CHECK_STR(c, d.body, "Inledande rad.\nMötesplatser i Kalmar");
    doc_dispose(&d);
}

/* Cells refer to shared strings by index, in any order; sheets are read in
 * their number's order whatever the archive's; numbers are left out. */
static void test_xlsx_shared_strings_in_cell_order(struct check *c)
{
    static const char sst[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<sst xmlns=\"" NS_X "\" count=\"4\" uniqueCount=\"4\">"
        "<si><t>Kommun</t></si>"
        "<si><t>Växjö</t></si>"
        "<si><r><t>Trång</t></r><r><rPr><b/></rPr><t>boddhet</t></r></si>"
        "<si><t>Östersund</t><rPh sb=\"0\" eb=\"1\"><t>uttal</t></rPh></si>"
        "</sst>";
    static const char sheet1[] = XLSX_SHEET(
        "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>2</v></c></row>"
        "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>3</v></c><c r=\"B2\"><v>12.5</v></c></row>"
        "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>Inbäddad text</t></is></c>"
        "<c r=\"B3\" t=\"s\"><v>99</v></c><c r=\"C3\" s=\"1\"/></row>");
    static const char sheet2[] = XLSX_SHEET(
        "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>1</v></c>"
        "<c r=\"B1\" t=\"str\"><f>A1&amp;\"!\"</f><v>Växjö!</v></c></row>");
    struct zw_member m[] = {
        {"[Content_Types].xml", content_types, 0, 0, NULL},
        {"xl/worksheets/sheet2.xml", sheet2, 0, 0, NULL},
        {"xl/sharedStrings.xml", sst, 0, 0, NULL},
        {"xl/worksheets/sheet1.xml", sheet1, 0, 0, NULL},
        {"docProps/core.xml",
         CORE_XML("<dc:title>Trångboddhet per kommun</dc:title>"
                  "<dcterms:created>2017-05-06T07:08:09Z</dcterms:created>"),
         0, 0, NULL}};
    struct doc d = {0};
    lib_error err = {0};
    CHECK(c, extract_members(c, &d, "xlsx", m, N(m), &err) == 0);
    CHECK_STR(c, d.title, "Trångboddhet per kommun");
    CHECK_STR(c, d.date, "2017-05-06");
    CHECK_STR(c, d.format, "xlsx");
    CHECK_STR(c, d.body, "Kommun\nTrångboddhet\nÖstersund\nInbäddad text\nVäxjö\nVäxjö!");
    doc_dispose(&d);
}

static void test_pptx_slides_in_number_order(struct check *c)
{
    static const char slide1[] = PPTX_SLIDE(
        "<a:p><a:r><a:rPr lang=\"sv-SE\"/><a:t>Välkommen till Luleå</a:t></a:r></a:p>"
        "<a:p><a:r><a:t>Första </a:t></a:r><a:r><a:t>bilden</a:t></a:r><a:br/>"
        "<a:r><a:t>ny rad</a:t></a:r></a:p>");
    static const char slide2[] = PPTX_SLIDE("<a:p><a:r><a:t>Andra bilden om Kiruna</a:t></a:r></a:p>");
    static const char slide10[] = PPTX_SLIDE("<a:p><a:r><a:t>Tionde bilden</a:t></a:r></a:p>");
    struct zw_member m[] = {
        {"[Content_Types].xml", content_types, 0, 0, NULL},
        {"ppt/slides/slide10.xml", slide10, 0, 0, NULL},
        {"ppt/slides/slide2.xml", slide2, 0, 0, NULL},
        {"ppt/slides/_rels/slide1.xml.rels", "<Relationships/>", 0, 0, NULL},
        {"ppt/slides/slide1.xml", slide1, 0, 0, NULL},
        {"docProps/core.xml",
         CORE_XML("<dc:title>Norrbotten i bilder</dc:title>"
                  "<dcterms:created>2016-04-05T00:00:00Z</dcterms:created>"),
         0, 0, NULL}};
    struct doc d = {0};
    lib_error err = {0};
    CHECK(c, extract_members(c, &d, "pptx", m, N(m), &err) == 0);
    CHECK_STR(c, d.title, "Norrbotten i bilder");
    CHECK_STR(c, d.date, "2016-04-05");
    CHECK_STR(c, d.format, "pptx");
    CHECK_STR(c, d.body, "Välkommen till Luleå\nFörsta bilden\nny rad\n"
                         "Andra bilden om Kiruna\nTionde bilden");
    doc_dispose(&d);
}

static void test_ods_cells_and_odp_frames(struct check *c)
{
    static const char ods[] = ODF_CONTENT(
        "<office:spreadsheet><table:table table:name=\"Blad1\">"
        "<table:table-row><table:table-cell office:value-type=\"string\"><text:p>Län</text:p>"
        "</table:table-cell><table:table-cell office:value-type=\"string\"><text:p>Invånare</text:p>"
        "</table:table-cell></table:table-row>"
        "<table:table-row><table:table-cell office:value-type=\"string\"><text:p>Jämtland</text:p>"
        "</table:table-cell><table:table-cell office:value-type=\"float\" office:value=\"132000\">"
        "<text:p>132000</text:p></table:table-cell><table:table-cell table:number-columns-repeated=\"1000\"/>"
        "</table:table-row></table:table></office:spreadsheet>");
    static const char odp[] = ODF_CONTENT(
        "<office:presentation><draw:page draw:name=\"sida1\">"
        "<draw:frame><draw:text-box><text:p>Rubrik på bild ett</text:p></draw:text-box></draw:frame>"
        "<draw:frame><draw:text-box><text:list><text:list-item><text:p>Punkt om Umeå</text:p>"
        "</text:list-item></text:list></draw:text-box></draw:frame></draw:page>"
        "<draw:page draw:name=\"sida2\"><draw:frame><draw:text-box><text:p>Bild två</text:p>"
        "</draw:text-box></draw:frame></draw:page></office:presentation>");
    const char *meta = ODF_META("<dc:title>Befolkning</dc:title>"
                                "<meta:creation-date>2015-12-31T23:59:59</meta:creation-date>");
    struct zw_member ms[] = {{"mimetype", "application/vnd.oasis.opendocument.spreadsheet", 0, 1, NULL},
                             {"content.xml", ods, 0, 0, NULL},
                             {"meta.xml", meta, 0, 0, NULL}};
    struct zw_member mp[] = {{"mimetype", "application/vnd.oasis.opendocument.presentation", 0, 1, NULL},
                             {"meta.xml", meta, 0, 0, NULL},
                             {"content.xml", odp, 0, 0, NULL}};
    struct doc d = {0};
    lib_error err = {0};
    CHECK(c, extract_members(c, &d, "ods", ms, N(ms), &err) == 0);
    CHECK_STR(c, d.title, "Befolkning");
    CHECK_STR(c, d.date, "2015-12-31");
    CHECK_STR(c, d.format, "ods");
    CHECK_STR(c, d.body, "Län\nInvånare\nJämtland\n132000");
    doc_dispose(&d);
    CHECK(c, extract_members(c, &d, "odp", mp, N(mp), &err) == 0);
    CHECK_STR(c, d.title, "Befolkning");
    CHECK_STR(c, d.format, "odp");
    CHECK_STR(c, d.body, "Rubrik på bild ett\nPunkt om Umeå\nBild två");
    doc_dispose(&d);
}

/* ---- 3. a real EPUB ---- */

static void test_real_swedish_epub_from_debian_edu(struct check *c)
{
    size_t len = 0;
    char *data = file_read_all(DEBIAN_EDU_EPUB, &len);
    if (!data) {
        fprintf(stderr, "  %s: %s is missing: install the package %s\n", c->cur_name,
                DEBIAN_EDU_EPUB, DEBIAN_EDU_PACKAGE);
        CHECK(c, !"the package " DEBIAN_EDU_PACKAGE " is installed");
        return;
    }
    struct doc d = {0};
    lib_error err = {0};
    int rc = epub_extract(&d, data, len, &err);
    if (rc != 0)
        fprintf(stderr, "  %s: %s\n", c->cur_name, err.message);
    CHECK(c, rc == 0);
    CHECK(c, d.title && d.title[0]);
    CHECK_STR(c, d.title, "Debian Edu / Skolelinux manual för Audacity");
    CHECK_STR(c, d.format, "epub");
    /* The package says "en": DocBook's default, though the book is in
     * Swedish. What a file declares is what it gets. */
    CHECK_STR(c, d.lang, "en");
    CHECK(c, d.body && strlen(d.body) > 10000);
    /* from the chapter on setting Audacity up (ar01s02.html) and the last
     * one on the spine (ar01s07.html) */
    CHECK_CONTAINS(c, d.body, "Jag använde Audacity 1.3.3-Beta när jag gjorde denna dokumentation.");
    CHECK_CONTAINS(c, d.body, "Insticksprogram");
    CHECK(c, d.body && !strstr(d.body, "<p") && !strstr(d.body, "xmlns"));
    CHECK(c, d.truncated == 0);
    doc_dispose(&d);
    free(data);
}

/* ---- 4. an EPUB written here ---- */

static const char container_xml[] =
    "<?xml version=\"1.0\"?>\n"
    "<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">"
    "<rootfiles><rootfile full-path=\"OEBPS/content.opf\" "
    "media-type=\"application/oebps-package+xml\"/></rootfiles></container>";

#define OPF(metadata)                                                                      \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                         \
    "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" unique-identifier=\"id\">" \
    "<metadata xmlns:dc=\"" NS_DC "\">" metadata "</metadata>"                               \
    "<manifest>"                                                                           \
    "<item id=\"nav\" href=\"nav.xhtml\" media-type=\"application/xhtml+xml\" properties=\"nav\"/>" \
    "<item id=\"k2\" href=\"./text/../text/kapitel2.xhtml\" media-type=\"application/xhtml+xml\"/>" \
    "<item id=\"bild\" href=\"bilder/karta.png\" media-type=\"image/png\"/>"                \
    "<item id=\"k1\" href=\"text/kapitel%201.xhtml\" media-type=\"application/xhtml+xml\"/>" \
    "</manifest>"                                                                          \
    "<spine><itemref idref=\"k1\"/><itemref idref=\"saknas\"/><itemref idref=\"bild\"/>"   \
    "<itemref idref=\"k2\"/></spine></package>"

#define CHAPTER(body)                                                                      \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                         \
    "<html xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>Boken</title></head>"        \
    "<body>" body "</body></html>"

static const char chapter1[] = CHAPTER("<h1>Kapitel ett</h1><p>Det började i Skellefteå.</p>"
                                       "<p>Sedan kom vintern.</p>");
static const char chapter2[] = CHAPTER("<h1>Kapitel två</h1><p>Det slutade i Ystad.</p>");
static const char nav[] = CHAPTER("<nav><ol><li>Innehållsförteckning</li></ol></nav>");

static void test_epub_chapters_in_spine_order(struct check *c)
{
    struct zw_member m[] = {
        {"mimetype", "application/epub+zip", 0, 1, NULL},
        {"META-INF/container.xml", container_xml, 0, 0, NULL},
        {"OEBPS/text/kapitel2.xhtml", chapter2, 0, 0, NULL},   /* before chapter 1 */
        {"OEBPS/nav.xhtml", nav, 0, 0, NULL},
        {"OEBPS/text/kapitel 1.xhtml", chapter1, 0, 0, NULL},
        {"OEBPS/content.opf",
         OPF("<dc:identifier id=\"id\">urn:uuid:1</dc:identifier>"
             "<dc:title>Resa genom Sverige</dc:title><dc:language>sv</dc:language>"
             "<dc:date>2019-05-06T12:00:00Z</dc:date>"),
         0, 0, NULL}};
    struct doc d = {0};
    lib_error err = {0};
    CHECK(c, extract_members(c, &d, "epub", m, N(m), &err) == 0);
    CHECK_STR(c, err.message, "");
    CHECK_STR(c, d.title, "Resa genom Sverige");
    CHECK_STR(c, d.date, "2019-05-06");
    CHECK_STR(c, d.lang, "sv");
    CHECK_STR(c, d.format, "epub");
    CHECK_STR(c, d.body, "Kapitel ett\nDet började i Skellefteå.\nSedan kom vintern.\n"
                         "Kapitel två\nDet slutade i Ystad.");
    doc_dispose(&d);
}

/* A year alone is dated from its first day; no title: the first
 * chapter's; everything one folder down (as Debian's EPUBs are zipped). */
static void test_epub_year_date_first_chapter_title_and_nested_root(struct check *c)
{
    struct zw_member m[] = {
        {"bok/mimetype", "application/epub+zip", 0, 1, NULL},
        {"bok/META-INF/container.xml", container_xml, 0, 0, NULL},
        {"bok/OEBPS/content.opf", OPF("<dc:date>2018</dc:date>"), 0, 0, NULL},
        {"bok/OEBPS/text/kapitel 1.xhtml", chapter1, 0, 0, NULL},
        {"bok/OEBPS/text/kapitel2.xhtml", chapter2, 0, 0, NULL}};
    struct doc d = {0};
    lib_error err = {0};
    CHECK(c, extract_members(c, &d, "epub", m, N(m), &err) == 0);
    CHECK_STR(c, d.title, "Kapitel ett");
    CHECK(c, d.date == NULL);   /* a year alone is no day */
    CHECK_CONTAINS(c, d.body, "Sedan kom vintern.\nKapitel två");
    doc_dispose(&d);
}

/* ---- 5. refusals ---- */

static void test_not_a_zip_is_rejected(struct check *c)
{
    char noise[4096];
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < sizeof noise; i++) {   /* xorshift: the same bytes every run */
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        noise[i] = (char)x;
    }
    const char *formats[] = {"docx", "odt", "xlsx", "pptx", "epub"};
    for (size_t i = 0; i < N(formats); i++) {
        struct doc d = {0};
        lib_error err = {0};
        int rc = strcmp(formats[i], "epub") == 0 ? epub_extract(&d, noise, sizeof noise, &err)
                                                 : office_extract(&d, formats[i], noise,
                                                                  sizeof noise, &err);
        REJECTED(c, formats[i], rc, &err, &d, "not a zip archive");
        lib_error e0 = {0};
        rc = strcmp(formats[i], "epub") == 0 ? epub_extract(&d, "", 0, &e0)
                                             : office_extract(&d, formats[i], "", 0, &e0);
        REJECTED(c, formats[i], rc, &e0, &d, "not a zip archive", "empty");
    }
    struct doc d = {0};
    lib_error err = {0};
    int rc = office_extract(&d, "rtf", noise, sizeof noise, &err);
    REJECTED(c, "rtf", rc, &err, &d, "rtf");
}

static void test_missing_main_member_is_named(struct check *c)
{
    struct zw_member other[] = {{"mimetype", "application/vnd.oasis.opendocument.text", 0, 1, NULL},
                                {"styles.xml", "<x/>", 0, 0, NULL}};
    static const struct {
        const char *format, *missing;
    } cases[] = {{"odt", "content.xml is missing"},
                 {"docx", "word/document.xml is missing"},
                 {"pptx", "ppt/slides/slide1.xml is missing"},
                 {"xlsx", "xl/worksheets/sheet1.xml is missing"},
                 {"epub", "META-INF/container.xml is missing"}};
    for (size_t i = 0; i < N(cases); i++) {
        struct doc d = {0};
        lib_error err = {0};
        int rc = extract_members(c, &d, cases[i].format, other, N(other), &err);
        REJECTED(c, cases[i].format, rc, &err, &d, cases[i].missing);
    }
    /* an EPUB whose container names a package that is not there */
    struct zw_member epub[] = {{"META-INF/container.xml", container_xml, 0, 0, NULL}};
    struct doc d = {0};
    lib_error err = {0};
    int rc = extract_members(c, &d, "epub", epub, N(epub), &err);
    REJECTED(c, "epub", rc, &err, &d, "OEBPS/content.opf is missing");
}

/* 100 MB of zeros deflate to about 100 kB: refused on its declared size,
 * before anything is allocated for it (the peak memory does not grow by
 * anything near 100 MB). */
static void test_zip_bomb_is_refused_before_reading(struct check *c)
{
    struct zw_member m[] = {{"mimetype", "application/vnd.oasis.opendocument.text", 0, 1, NULL},
                            {"content.xml", NULL, 100u * 1024 * 1024, 0, NULL}};
    char *zip = NULL;
    size_t len = 0;
    CHECK(c, zip_write_mem(&zip, &len, m, N(m)) == 0);
    CHECK(c, len < 1024 * 1024);   /* what makes it a bomb */
    long before = max_rss_kb();
    struct doc d = {0};
    lib_error err = {0};
    int rc = office_extract(&d, "odt", zip, len, &err);
    REJECTED(c, "odt", rc, &err, &d, "content.xml", "declares 104857600 bytes",
             "limit of 64 MB");
    long grew_kb = max_rss_kb() - before;
    if (grew_kb > 32 * 1024)
        fprintf(stderr, "  %s: peak memory grew by %ld kB\n", c->cur_name, grew_kb);
    CHECK(c, grew_kb < 32 * 1024);
    free(zip);
}

/* Under the size limit, but inflated 1000:1: a likely bomb. */
static void test_member_compressed_past_200_to_1_is_refused(struct check *c)
{
    struct zw_member m[] = {{"word/document.xml", NULL, 2u * 1024 * 1024, 0, NULL}};
    struct doc d = {0};
    lib_error err = {0};
    int rc = extract_members(c, &d, "docx", m, N(m), &err);
    REJECTED(c, "docx", rc, &err, &d, "word/document.xml", "zip bomb");
    /* 2 MB of text that compresses 2:1 is only a big document */
    size_t n = 2u * 1024 * 1024;
    char *xml = malloc(n + 1);
    CHECK(c, xml != NULL);
    if (!xml)
        return;
    static const char head[] = "<w:document xmlns:w=\"" NS_W "\"><w:body><w:p><w:r><w:t>";
    static const char tail[] = "</w:t></w:r></w:p></w:body></w:document>";
    memcpy(xml, head, sizeof head - 1);
    uint32_t x = 88172645u;
    for (size_t i = sizeof head - 1; i < n - (sizeof tail - 1); i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        xml[i] = "abcdefghijklmnopqrstuvwxyz   "[x % 29];
    }
    memcpy(xml + n - (sizeof tail - 1), tail, sizeof tail);
    struct zw_member big[] = {{"word/document.xml", xml, n, 0, NULL}};
    lib_error e2 = {0};
    CHECK(c, extract_members(c, &d, "docx", big, N(big), &e2) == 0);
    CHECK_STR(c, e2.message, "");
    CHECK(c, d.body && strlen(d.body) > 1024 * 1024);
    doc_dispose(&d);
    free(xml);
}

/* A member whose central directory (and local header) say 100 bytes but
 * which inflates to 5000: libzip writes true sizes, so the archive is
 * patched after it is written. */
static void test_member_holding_more_than_it_declares_is_refused(struct check *c)
{
    char document[6000];
    int n = snprintf(document, sizeof document, "<w:document xmlns:w=\"" NS_W "\"><w:body>");
    for (int i = 0; n < 5000; i++)
        n += snprintf(document + n, sizeof document - (size_t)n,
                      "<w:p><w:r><w:t>Stycke %d om Borås.</w:t></w:r></w:p>", i);
    snprintf(document + n, sizeof document - (size_t)n, "</w:body></w:document>");
    struct zw_member m[] = {{"word/document.xml", document, 0, 0, NULL}};
    char *zip = NULL;
    size_t len = 0;
    CHECK(c, zip_write_mem(&zip, &len, m, N(m)) == 0);
    CHECK(c, zip && zip_write_lie_size(zip, len, "word/document.xml", 100) == 0);
    struct doc d = {0};
    lib_error err = {0};
    int rc = zip ? office_extract(&d, "docx", zip, len, &err) : -100;
    REJECTED(c, "docx", rc, &err, &d, "word/document.xml",
             "holds more than the 100 bytes it declares");
    /* the same through zip_read itself: nothing is handed out */
    struct zip_in *z = NULL;
    char *out = (char *)1;
    size_t out_len = 7;
    CHECK(c, zip && zip_in_open(&z, zip, len, NULL) == 0);
    CHECK(c, z && zip_in_read(&out, &out_len, z, "word/document.xml", NULL) == LIB_E_INVALID);
    CHECK(c, out == NULL && out_len == 0);
    zip_in_free(z);
    free(zip);
}

static void test_encrypted_member_is_refused(struct check *c)
{
    struct zw_member m[] = {
        {"[Content_Types].xml", content_types, 0, 0, NULL},
        {"word/document.xml", DOCX_DOCUMENT("<w:p><w:r><w:t>Hemlig text</w:t></w:r></w:p>"), 0, 0,
         "lösenord"}};
    char *zip = NULL;
    size_t len = 0;
    int made = zip_write_mem(&zip, &len, m, N(m));
    if (made == ZW_E_NOCRYPTO) {
        fprintf(stderr, "  %s: this libzip cannot write AES: not tested\n", c->cur_name);
        return;
    }
    CHECK(c, made == 0);
    CHECK(c, zip && !memmem(zip, len, "Hemlig", 6));   /* it really is encrypted */
    struct doc d = {0};
    lib_error err = {0};
    int rc = zip ? office_extract(&d, "docx", zip, len, &err) : -100;
    REJECTED(c, "docx", rc, &err, &d, "word/document.xml", "encrypted");
    free(zip);
}

static void test_too_many_members_are_refused(struct check *c)
{
    size_t n = ZIP_IN_MEMBERS_MAX + 1;
    struct zw_member *m = calloc(n, sizeof *m);
    char (*names)[32] = calloc(n, sizeof *names);
    CHECK(c, m && names);
    if (!m || !names) {
        free(m);
        free(names);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        snprintf(names[i], sizeof names[i], "f%zu.txt", i);
        m[i] = (struct zw_member){names[i], "x", 0, 1, NULL};
    }
    m[0] = (struct zw_member){"content.xml", odt_content, 0, 0, NULL};
    struct doc d = {0};
    lib_error err = {0};
    int rc = extract_members(c, &d, "odt", m, n, &err);
    REJECTED(c, "odt", rc, &err, &d, "10001 members", "limit of 10000");
    free(m);
    free(names);
}

static void test_document_without_text_is_rejected(struct check *c)
{
    struct zw_member odt[] = {
        {"content.xml", ODF_CONTENT("<office:text><text:p/><text:p>  </text:p><text:h/></office:text>"), 0, 0, NULL},
        {"meta.xml", ODF_META("<dc:title>Bara en titel</dc:title>"), 0, 0, NULL}};
    struct zw_member docx[] = {{"word/document.xml", DOCX_DOCUMENT("<w:p/><w:p><w:r/></w:p>"), 0, 0, NULL}};
    struct zw_member epub[] = {
        {"META-INF/container.xml", container_xml, 0, 0, NULL},
        {"OEBPS/content.opf", OPF("<dc:title>Tom bok</dc:title>"), 0, 0, NULL},
        {"OEBPS/text/kapitel 1.xhtml", CHAPTER(""), 0, 0, NULL}};
    struct doc d = {0};
    lib_error err = {0};
    int rc = extract_members(c, &d, "odt", odt, N(odt), &err);
    REJECTED(c, "odt", rc, &err, &d, "no text");
    rc = extract_members(c, &d, "docx", docx, N(docx), &err);
    REJECTED(c, "docx", rc, &err, &d, "no text");
    rc = extract_members(c, &d, "epub", epub, N(epub), &err);
    REJECTED(c, "epub", rc, &err, &d, "no text");
}

static void test_malformed_xml_is_rejected_with_a_reason(struct check *c)
{
    static const char *const broken[] = {
        ODF_CONTENT("<office:text><text:p>Ett stycke utan slut</office:text>"),
        "<office:document-content xmlns:office=\"" NS_OFFICE "\"><text:p>prefix utan namnrymd</text:p>",
        "\xef\xbb\xbf<?xml version=\"1.0\"?>\n<a><b>\xff\xfe</b></a>",
        "no XML at all",
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>&odefinierad;</a>"};
    for (size_t i = 0; i < N(broken); i++) {
        struct zw_member m[] = {{"content.xml", broken[i], 0, 0, NULL}};
        struct doc d = {0};
        lib_error err = {0};
        int rc = extract_members(c, &d, "odt", m, N(m), &err);
        REJECTED(c, "odt", rc, &err, &d, "content.xml is not well-formed XML (line");
    }
    struct zw_member xlsx[] = {{"xl/sharedStrings.xml", "<sst><si><t>oavslutad", 0, 0, NULL},
                               {"xl/worksheets/sheet1.xml", XLSX_SHEET(""), 0, 0, NULL}};
    struct doc d = {0};
    lib_error err = {0};
    int rc = extract_members(c, &d, "xlsx", xlsx, N(xlsx), &err);
    REJECTED(c, "xlsx", rc, &err, &d, "xl/sharedStrings.xml is not well-formed XML");
    struct zw_member epub[] = {{"META-INF/container.xml", "<container><rootfiles>", 0, 0, NULL}};
    rc = extract_members(c, &d, "epub", epub, N(epub), &err);
    REJECTED(c, "epub", rc, &err, &d, "META-INF/container.xml is not well-formed XML");
}

/* An external entity (and an external DTD) must not be read: the text
 * around the reference stays, /etc/passwd does not come in. */
static void test_external_entities_are_not_loaded(struct check *c)
{
    static const char odt[] =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n"
        "<office:document-content xmlns:office=\"" NS_OFFICE "\" xmlns:text=\"" NS_TEXT "\">"
        "<office:body><office:text><text:p>Före &e; efter</text:p></office:text></office:body>"
        "</office:document-content>";
    static const char meta[] =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE x SYSTEM \"file:///etc/passwd\" [<!ENTITY t SYSTEM \"file:///etc/passwd\">]>\n"
        "<office:document-meta xmlns:office=\"" NS_OFFICE "\" xmlns:dc=\"" NS_DC "\">"
        "<office:meta><dc:title>Titel &t;</dc:title></office:meta></office:document-meta>";
    static const char docx[] =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE w:document SYSTEM \"file:///etc/passwd\" [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n"
        "<w:document xmlns:w=\"" NS_W "\"><w:body><w:p><w:r><w:t>A &e; B</w:t></w:r></w:p>"
        "</w:body></w:document>";
    static const char opf[] =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE package [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n"
        "<package xmlns=\"http://www.idpf.org/2007/opf\"><metadata xmlns:dc=\"" NS_DC "\">"
        "<dc:title>Bok &e;</dc:title></metadata><manifest>"
        "<item id=\"k1\" href=\"text/kapitel%201.xhtml\" media-type=\"application/xhtml+xml\"/>"
        "</manifest><spine><itemref idref=\"k1\"/></spine></package>";
    struct zw_member mo[] = {{"content.xml", odt, 0, 0, NULL}, {"meta.xml", meta, 0, 0, NULL}};
    struct zw_member md[] = {{"word/document.xml", docx, 0, 0, NULL}};
    struct zw_member me[] = {{"META-INF/container.xml", container_xml, 0, 0, NULL},
                             {"OEBPS/content.opf", opf, 0, 0, NULL},
                             {"OEBPS/text/kapitel 1.xhtml", chapter1, 0, 0, NULL}};
    struct doc d = {0};
    lib_error err = {0};
    CHECK(c, extract_members(c, &d, "odt", mo, N(mo), &err) == 0);
    CHECK_STR(c, d.body, "Före efter");
    CHECK_STR(c, d.title, "Titel");
    CHECK(c, !d.body || !strstr(d.body, "root:"));
    doc_dispose(&d);
    CHECK(c, extract_members(c, &d, "docx", md, N(md), &err) == 0);
    CHECK_STR(c, d.body, "A B");
    doc_dispose(&d);
    CHECK(c, extract_members(c, &d, "epub", me, N(me), &err) == 0);
    CHECK_STR(c, d.title, "Bok");
    CHECK(c, !d.body || !strstr(d.body, "root:"));
    doc_dispose(&d);
}

/* ---- 6. more text than a body holds ---- */

static void test_text_over_body_max_is_truncated(struct check *c)
{
    static const char first[] = "Stycke 1: trångboddheten i Hässleholm";
    size_t cap = 2 * DOC_BODY_MAX, len;
    char *xml = malloc(cap);
    CHECK(c, xml != NULL);
    if (!xml)
        return;
    len = (size_t)snprintf(xml, cap, "<w:document xmlns:w=\"" NS_W "\"><w:body>");
    for (int i = 1; len < DOC_BODY_MAX + DOC_BODY_MAX * 3 / 4; i++)   /* text: 70 % */
        len += (size_t)snprintf(xml + len, cap - len,
                                "<w:p><w:r><w:t>Stycke %d: trångboddheten i Hässleholm, "
                                "Åmål och Örkelljunga ökar.</w:t></w:r></w:p>",
                                i);
    len += (size_t)snprintf(xml + len, cap - len, "</w:body></w:document>");
    /* stored: text this repetitive deflates past 200:1 */
    struct zw_member m[] = {{"word/document.xml", xml, len, 1, NULL}};
    struct doc d = {0};
    lib_error err = {0};
    CHECK(c, extract_members(c, &d, "docx", m, N(m), &err) == 0);
    CHECK(c, d.truncated == 1);
    CHECK(c, d.body && strlen(d.body) <= DOC_BODY_MAX);
    CHECK(c, d.body && strlen(d.body) > DOC_BODY_MAX - 200);
    CHECK(c, d.body && text_is_utf8(d.body, strlen(d.body)));
    CHECK(c, d.body && strncmp(d.body, first, strlen(first)) == 0);
    CHECK_CONTAINS(c, d.body, "\nStycke 2: ");
    doc_dispose(&d);
    free(xml);
}

/* ---- 7. the language a file declares ---- */

/* The members extracted as format: read, with want as the language (NULL:
 * none) and body_has in the text. */
static void check_lang(struct check *c, const char *what, const char *format,
                       const struct zw_member *m, size_t n, const char *want,
                       const char *body_has)
{
    struct doc d = {0};
    lib_error err = {0};
    int rc = extract_members(c, &d, format, m, n, &err);
    if (rc != 0 || (want ? !d.lang || strcmp(d.lang, want) != 0 : d.lang != NULL))
        fprintf(stderr, "  %s: %s: rc %d (%s), lang %s, want %s\n", c->cur_name, what, rc,
                err.message, d.lang ? d.lang : "NULL", want ? want : "NULL");
    CHECK(c, rc == 0);
    if (want)
        CHECK_STR(c, d.lang, want);
    else
        CHECK(c, d.lang == NULL);
    CHECK_CONTAINS(c, d.body, body_has);
    doc_dispose(&d);
}

#define ODT_WITH_META(what, inner, want)                                                   \
    do {                                                                                  \
        struct zw_member m_[] = {{"content.xml", odt_content, 0, 0, NULL},                 \
                                 {"meta.xml", ODF_META(inner), 0, 0, NULL}};               \
        check_lang(c, what, "odt", m_, N(m_), want, "Slutord om ö, ä och å.");            \
    } while (0)

static void test_odf_language_from_meta(struct check *c)
{
    ODT_WITH_META("English", "<dc:title>Housing</dc:title><dc:language>en-GB</dc:language>", "en");
    ODT_WITH_META("Swedish", "<dc:language>sv-SE</dc:language>", "sv");
    ODT_WITH_META("upper case, white space", "<dc:language>\n  EN </dc:language>", "en");
    ODT_WITH_META("garbage", "<dc:language>not a language!</dc:language>", NULL);
    ODT_WITH_META("none said", "<dc:language>und</dc:language>", NULL);
    ODT_WITH_META("empty", "<dc:language/>", NULL);
    ODT_WITH_META("none", "<dc:title>Bostäder</dc:title>", NULL);
    struct zw_member bare[] = {{"content.xml", odt_content, 0, 0, NULL}};
    check_lang(c, "no meta.xml", "odt", bare, N(bare), NULL, "Slutord");
    /* the same member in a spreadsheet and a presentation */
    struct zw_member ods[] = {
        {"content.xml", ODF_CONTENT("<office:spreadsheet><table:table><table:table-row>"
                                    "<table:table-cell><text:p>Helsingfors</text:p>"
                                    "</table:table-cell></table:table-row></table:table>"
                                    "</office:spreadsheet>"), 0, 0, NULL},
        {"meta.xml", ODF_META("<dc:language>fi-FI</dc:language>"), 0, 0, NULL}};
    check_lang(c, "ods", "ods", ods, N(ods), "fi", "Helsingfors");
}

/* LibreOffice writes a default style for each family; the paragraphs' one
 * is the document's language. */
static const char odf_default_styles[] = ODF_STYLES(
    "<style:default-style style:family=\"graphic\"><style:text-properties fo:language=\"de\" "
    "fo:country=\"DE\"/></style:default-style>"
    "<style:default-style style:family=\"paragraph\"><style:paragraph-properties "
    "fo:hyphenation-ladder-count=\"no-limit\"/><style:text-properties style:font-name="
    "\"Liberation Serif\" fo:language=\"en\" fo:country=\"GB\" style:language-asian=\"zh\" "
    "style:country-asian=\"CN\"/></style:default-style>"
    "<style:style style:name=\"Standard\" style:family=\"paragraph\"><style:text-properties "
    "fo:language=\"fr\" fo:country=\"FR\"/></style:style>");

#define ODT_WITH_STYLES(what, styles, want)                                                \
    do {                                                                                  \
        struct zw_member m_[] = {{"content.xml", odt_content, 0, 0, NULL},                 \
                                 {"styles.xml", styles, 0, 0, NULL}};                      \
        check_lang(c, what, "odt", m_, N(m_), want, "Slutord om ö, ä och å.");            \
    } while (0)

static void test_odf_language_from_default_paragraph_style(struct check *c)
{
    ODT_WITH_STYLES("English", odf_default_styles, "en");
    ODT_WITH_STYLES("Swedish, no country",
                    ODF_STYLES("<style:default-style style:family=\"paragraph\">"
                               "<style:text-properties fo:language=\"sv\"/></style:default-style>"),
                    "sv");
    /* ODF 1.2's tag for what fo:language cannot say ("qlt": see the tag) */
    ODT_WITH_STYLES("rfc-language-tag",
                    ODF_STYLES("<style:default-style style:family=\"paragraph\">"
                               "<style:text-properties fo:language=\"qlt\" fo:country=\"RS\" "
                               "style:rfc-language-tag=\"sr-Latn-RS\"/></style:default-style>"),
                    "sr");
    ODT_WITH_STYLES("[None]",
                    ODF_STYLES("<style:default-style style:family=\"paragraph\">"
                               "<style:text-properties fo:language=\"zxx\" fo:country=\"none\"/>"
                               "</style:default-style>"),
                    NULL);
    ODT_WITH_STYLES("garbage",
                    ODF_STYLES("<style:default-style style:family=\"paragraph\">"
                               "<style:text-properties fo:language=\"not a language!\"/>"
                               "</style:default-style>"),
                    NULL);
    /* only the default style: a named one's language is its own */
    ODT_WITH_STYLES("named style only",
                    ODF_STYLES("<style:style style:name=\"Standard\" style:family=\"paragraph\">"
                               "<style:text-properties fo:language=\"fr\"/></style:style>"),
                    NULL);
    ODT_WITH_STYLES("broken styles.xml", "<office:document-styles><office:styles>", NULL);
    /* meta.xml's dc:language comes first */
    struct zw_member both[] = {{"content.xml", odt_content, 0, 0, NULL},
                               {"meta.xml", ODF_META("<dc:language>nb-NO</dc:language>"), 0, 0, NULL},
                               {"styles.xml", odf_default_styles, 0, 0, NULL}};
    check_lang(c, "meta and styles", "odt", both, N(both), "nb", "Slutord");
    /* garbage in meta.xml: the styles say it */
    struct zw_member bad_meta[] = {
        {"content.xml", odt_content, 0, 0, NULL},
        {"meta.xml", ODF_META("<dc:language>not a language!</dc:language>"), 0, 0, NULL},
        {"styles.xml", odf_default_styles, 0, 0, NULL}};
    check_lang(c, "garbage meta, styles", "odt", bad_meta, N(bad_meta), "en", "Slutord");
}

static const char docx_text[] = DOCX_DOCUMENT("<w:p><w:r><w:t>Text om Uppsala.</w:t></w:r></w:p>");

#define DOCX_WITH(what, core, styles, want)                                                \
    do {                                                                                  \
        struct zw_member m_[] = {{"word/document.xml", docx_text, 0, 0, NULL},             \
                                 {"docProps/core.xml", core, 0, 0, NULL},                  \
                                 {"word/styles.xml", styles, 0, 0, NULL}};                 \
        check_lang(c, what, "docx", m_, N(m_), want, "Text om Uppsala.");                 \
    } while (0)

/* Word's document defaults, as it writes them, with lang for w:lang's
 * attributes. */
#define WORD_DEFAULTS(lang)                                                                \
    DOCX_STYLES("<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:asciiTheme=\"minorHAnsi\"/>"  \
                "<w:sz w:val=\"22\"/><w:lang " lang "/></w:rPr></w:rPrDefault><w:pPrDefault>"  \
                "<w:pPr><w:spacing w:after=\"160\"/></w:pPr></w:pPrDefault></w:docDefaults>"  \
                "<w:style w:type=\"paragraph\" w:styleId=\"Normal\"><w:rPr><w:lang "         \
                "w:val=\"fr-FR\"/></w:rPr></w:style>")

static void test_ooxml_language_from_core_properties_and_docx_defaults(struct check *c)
{
    const char *word_en = WORD_DEFAULTS("w:val=\"en-GB\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"");
    DOCX_WITH("core English", CORE_XML("<dc:language>en-US</dc:language>"), word_en, "en");
    DOCX_WITH("core Swedish", CORE_XML("<dc:language>sv-SE</dc:language>"), word_en, "sv");
    DOCX_WITH("core garbage, defaults", CORE_XML("<dc:language>not a language!</dc:language>"),
              word_en, "en");
    DOCX_WITH("defaults only", CORE_XML("<dc:title>Uppsala</dc:title>"),
              WORD_DEFAULTS("w:val=\"sv-SE\""), "sv");
    DOCX_WITH("x-none", CORE_XML(""), WORD_DEFAULTS("w:val=\"x-none\" w:eastAsia=\"en-US\""),
              NULL);
    DOCX_WITH("garbage", CORE_XML("<dc:language>not a language!</dc:language>"),
              WORD_DEFAULTS("w:val=\"not a language!\""), NULL);
    /* a style's language is not the document's */
    DOCX_WITH("a style only", CORE_XML(""),
              DOCX_STYLES("<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val=\"22\"/></w:rPr>"
                          "</w:rPrDefault></w:docDefaults><w:style w:type=\"paragraph\">"
                          "<w:rPr><w:lang w:val=\"fr-FR\"/></w:rPr></w:style>"),
              NULL);
    DOCX_WITH("broken styles", CORE_XML(""), "<w:styles><w:docDefaults>", NULL);
    struct zw_member bare[] = {{"word/document.xml", docx_text, 0, 0, NULL}};
    check_lang(c, "no core, no styles", "docx", bare, N(bare), NULL, "Text om Uppsala.");
    /* spreadsheets and presentations: the core properties */
    struct zw_member xlsx[] = {
        {"xl/worksheets/sheet1.xml",
         XLSX_SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Oslo</t></is></c></row>"),
         0, 0, NULL},
        {"docProps/core.xml", CORE_XML("<dc:language>EN-us</dc:language>"), 0, 0, NULL}};
    check_lang(c, "xlsx", "xlsx", xlsx, N(xlsx), "en", "Oslo");
    struct zw_member pptx[] = {
        {"ppt/slides/slide1.xml", PPTX_SLIDE("<a:p><a:r><a:t>Tromsø</a:t></a:r></a:p>"), 0, 0,
         NULL},
        {"docProps/core.xml", CORE_XML("<dc:language>not a language!</dc:language>"), 0, 0, NULL}};
    check_lang(c, "pptx garbage", "pptx", pptx, N(pptx), NULL, "Tromsø");
}

#define EPUB_WITH(what, metadata, chapter, want)                                           \
    do {                                                                                  \
        struct zw_member m_[] = {{"META-INF/container.xml", container_xml, 0, 0, NULL},    \
                                 {"OEBPS/content.opf", OPF(metadata), 0, 0, NULL},         \
                                 {"OEBPS/text/kapitel 1.xhtml", chapter, 0, 0, NULL},      \
                                 {"OEBPS/text/kapitel2.xhtml", chapter2, 0, 0, NULL}};     \
        check_lang(c, what, "epub", m_, N(m_), want, "Det slutade i Ystad.");             \
    } while (0)

/* An XHTML chapter in English, as its <html> says. */
static const char chapter_en[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<html xmlns=\"http://www.w3.org/1999/xhtml\" xml:lang=\"en\" lang=\"en\"><head>"
    "<title>Book</title></head><body><h1>Chapter one</h1><p>It began in Skellefteå.</p>"
    "</body></html>";

static void test_epub_language_from_the_package(struct check *c)
{
    EPUB_WITH("English first", "<dc:language>en</dc:language><dc:language>sv</dc:language>",
              chapter1, "en");
    EPUB_WITH("Swedish", "<dc:title>Bok</dc:title><dc:language>sv-SE</dc:language>", chapter1,
              "sv");
    EPUB_WITH("none", "<dc:title>Bok</dc:title>", chapter1, NULL);
    EPUB_WITH("garbage", "<dc:language>not a language!</dc:language>", chapter1, NULL);
    /* the package says it before any chapter can */
    EPUB_WITH("package over chapter", "<dc:language>sv</dc:language>", chapter_en, "sv");
}

/* No language in the package: the first chapter's that says one, as
 * html_extract reads a page's (<html lang>). */
static void test_epub_language_from_a_chapter(struct check *c)
{
    EPUB_WITH("chapter", "<dc:title>Bok</dc:title>", chapter_en, "en");
    EPUB_WITH("garbage package, chapter", "<dc:language>not a language!</dc:language>",
              chapter_en, "en");
}

int main(void)
{
    struct check c = {0};
    /* first, while the peak memory is still low enough to see it grow */
    RUN(&c, test_zip_bomb_is_refused_before_reading);
    RUN(&c, test_odt_title_date_and_every_paragraph);
    RUN(&c, test_odt_without_meta_is_titled_by_its_first_heading);
    RUN(&c, test_odt_title_falls_back_to_first_paragraph_cut_at_200_bytes);
    RUN(&c, test_docx_paragraphs_tabs_breaks_and_core_properties);
    RUN(&c, test_docx_title_from_heading_style_and_date_from_modified);
    RUN(&c, test_xlsx_shared_strings_in_cell_order);
    RUN(&c, test_pptx_slides_in_number_order);
    RUN(&c, test_ods_cells_and_odp_frames);
    RUN(&c, test_real_swedish_epub_from_debian_edu);
    RUN(&c, test_epub_chapters_in_spine_order);
    RUN(&c, test_epub_year_date_first_chapter_title_and_nested_root);
    RUN(&c, test_not_a_zip_is_rejected);
    RUN(&c, test_missing_main_member_is_named);
    RUN(&c, test_member_compressed_past_200_to_1_is_refused);
    RUN(&c, test_member_holding_more_than_it_declares_is_refused);
    RUN(&c, test_encrypted_member_is_refused);
    RUN(&c, test_too_many_members_are_refused);
    RUN(&c, test_document_without_text_is_rejected);
    RUN(&c, test_malformed_xml_is_rejected_with_a_reason);
    RUN(&c, test_external_entities_are_not_loaded);
    RUN(&c, test_text_over_body_max_is_truncated);
    RUN(&c, test_odf_language_from_meta);
    RUN(&c, test_odf_language_from_default_paragraph_style);
    RUN(&c, test_ooxml_language_from_core_properties_and_docx_defaults);
    RUN(&c, test_epub_language_from_the_package);
    RUN(&c, test_epub_language_from_a_chapter);
    return check_report(&c, "test_office_extract");
}
