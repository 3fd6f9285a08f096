/* test_documents.c: documents beside the pages, through the real programs:
 * a folder of pages, the real Swedish PDF and EPUB of a Debian package,
 * PDF, DOCX and ODT files written here, and broken, encrypted and hostile
 * ones. The indexer names each bad file with its reason and indexes the
 * rest; searchd finds a sentence inside a PDF with its page, shows each
 * hit's format, counts formats as a facet and filters by them, and takes a
 * PDF by PUT; a document reader that passes its CPU limit is stopped and
 * named, and an indexer without the reader says so. */
#include "check.h"
#include "pdf_write.h"
#include "support.h"
#include "zip_write.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#define EDU_DOC "/usr/share/doc/debian-edu-doc-legacy-sv/audacity-manual"

struct fixture {
    char dir[256];
    char src[512];
    char db[512];
    char indexer[512];
    char *out, *err;   /* the first run's */
    int rc;
};

static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
    char buf[65536];
    size_t n;
    int ok = in && out;
    while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
        ok = fwrite(buf, 1, n, out) == n;
    if (in)
        fclose(in);
    if (out && fclose(out) != 0)
        ok = 0;
    return ok ? 0 : -1;
}

static int write_bytes(const char *path, const char *bytes, size_t n)
{
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(bytes, 1, n, f) == n;
    if (f && fclose(f) != 0)
        ok = 0;
    return ok ? 0 : -1;
}

static const char *const tre_pages[] = {
    "Årsrapport om boende\nInledning till rapporten.",
    "Kommunerna i Norrbotten redovisar\nhur bostadssegregationen har minskat.",
    "Slutsatser och vidare arbete."};

static int write_docx(const char *path)
{
    const char *document =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
        "<w:body><w:p><w:r><w:t>Beslut om föreningsbidrag</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>Nämnden beviljar bidrag till läxhjälp i Gällivare.</w:t></w:r></w:p>"
        "</w:body></w:document>";
    const char *core =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/"
        "metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
        "xmlns:dcterms=\"http://purl.org/dc/terms/\"><dc:title>Beslut 2024:12</dc:title>"
        "<dcterms:created>2024-03-05T10:00:00Z</dcterms:created></cp:coreProperties>";
    const struct zw_member m[] = {
        {"[Content_Types].xml", "<?xml version=\"1.0\"?><Types/>", 0, 0, NULL},
        {"word/document.xml", document, 0, 0, NULL},
        {"docProps/core.xml", core, 0, 0, NULL}};
    return zip_write_file(path, m, 3);
}

/* A report in English, as its metadata says (en-GB). */
static int write_english_docx(const char *path)
{
    const char *document =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
        "<w:body><w:p><w:r><w:t>Annual report summary</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>The agency reported on housing in several municipalities.</w:t></w:r>"
        "</w:p></w:body></w:document>";
    const char *core =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/"
        "metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
        "<dc:title>Summary in English</dc:title><dc:language>en-GB</dc:language>"
        "</cp:coreProperties>";
    const struct zw_member m[] = {
        {"[Content_Types].xml", "<?xml version=\"1.0\"?><Types/>", 0, 0, NULL},
        {"word/document.xml", document, 0, 0, NULL},
        {"docProps/core.xml", core, 0, 0, NULL}};
    return zip_write_file(path, m, 3);
}

static int write_odt(const char *path)
{
    const char *content =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:"
        "office:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\">"
        "<office:body><office:text><text:h>Remissvar</text:h>"
        "<text:p>Vi tillstyrker förslaget om språkcaféer i Haparanda.</text:p>"
        "</office:text></office:body></office:document-content>";
    const struct zw_member m[] = {
        {"mimetype", "application/vnd.oasis.opendocument.text", 0, 1, NULL},
        {"content.xml", content, 0, 0, NULL}};
    return zip_write_file(path, m, 2);
}

/* A PDF whose one page draws a path of millions of segments: small on
 * disk, a long read for any reader (the CPU limit's test). */
static int write_slow_pdf(const char *path)
{
    const char *op = "0 0 m 1 1 l S\n";
    size_t n = strlen(op), reps = 6 * 1000 * 1000, plain_len = n * reps;
    char *plain = malloc(plain_len), *z = NULL, *pdf = NULL;
    uLongf zlen = compressBound(plain_len);
    int rc = -1;
    if (!plain || !(z = malloc(zlen)))
        goto cleanup;
    for (size_t i = 0; i < reps; i++)
        memcpy(plain + i * n, op, n);
    if (compress2((Bytef *)z, &zlen, (const Bytef *)plain, plain_len, 9) != Z_OK)
        goto cleanup;
    size_t cap = zlen + 4096, len = 0, off[5];
    if (!(pdf = malloc(cap)))
        goto cleanup;
    len += (size_t)snprintf(pdf + len, cap - len, "%%PDF-1.4\n");
    off[1] = len;
    len += (size_t)snprintf(pdf + len, cap - len, "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n");
    off[2] = len;
    len += (size_t)snprintf(pdf + len, cap - len,
                            "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n");
    off[3] = len;
    len += (size_t)snprintf(pdf + len, cap - len,
                            "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                            "/Contents 4 0 R >> endobj\n");
    off[4] = len;
    len += (size_t)snprintf(pdf + len, cap - len,
                            "4 0 obj << /Length %lu /Filter /FlateDecode >> stream\n",
                            (unsigned long)zlen);
    memcpy(pdf + len, z, zlen);
    len += zlen;
    len += (size_t)snprintf(pdf + len, cap - len, "\nendstream endobj\n");
    size_t xref = len;
    len += (size_t)snprintf(pdf + len, cap - len, "xref\n0 5\n0000000000 65535 f \n");
    for (int i = 1; i <= 4; i++)
        len += (size_t)snprintf(pdf + len, cap - len, "%010lu 00000 n \n", (unsigned long)off[i]);
    len += (size_t)snprintf(pdf + len, cap - len,
                            "trailer << /Size 5 /Root 1 0 R >>\nstartxref\n%lu\n%%%%EOF\n",
                            (unsigned long)xref);
    rc = write_bytes(path, pdf, len);
cleanup:
    free(plain);
    free(z);
    free(pdf);
    return rc;
}

struct made {
    const char *what;
    int rc;
};

/* The folder: a page, documents good and bad. 0, or -1 naming what could
 * not be made. */
static int make_site(struct fixture *fx)
{
    char p[1024], q[1024];
    snprintf(fx->src, sizeof fx->src, "%s/site", fx->dir);
    snprintf(fx->db, sizeof fx->db, "%s/index", fx->dir);
    snprintf(p, sizeof p, "%s/rapporter", fx->src);
    if (mkdir(fx->src, 0700) < 0 || mkdir(p, 0700) < 0)
        return -1;
    snprintf(p, sizeof p, "%s/sida.html", fx->src);
    const char *page = "<html lang=\"sv\"><head><title>Om oss</title></head><body><main>"
                       "<h1>Om oss</h1><p>Vi arbetar mot segregation i Norrbotten.</p>"
                       "</main></body></html>";
    struct pdf_spec tre = {tre_pages, 3, "Årsrapport 2025", "D:20250115120000+01'00'", 0};
    struct made made[12];
    size_t n = 0;
    made[n++] = (struct made){"sida.html", write_bytes(p, page, strlen(page))};
    snprintf(p, sizeof p, "%s/in-english.html", fx->src);
    const char *english = "<html lang=\"en\"><head><title>In English</title></head><body><main>"
                          "<h1>About the agency</h1><p>The agency reports on segregation and "
                          "housing.</p></main></body></html>";
    made[n++] = (struct made){"in-english.html", write_bytes(p, english, strlen(english))};
    snprintf(p, sizeof p, "%s/rapporter/summary.docx", fx->src);
    made[n++] = (struct made){"summary.docx", write_english_docx(p)};
    snprintf(p, sizeof p, "%s/rapporter/audacity.pdf", fx->src);
    made[n++] = (struct made){EDU_DOC ".pdf (install debian-edu-doc-legacy-sv)",
                                  copy_file(EDU_DOC ".pdf", p)};
    snprintf(p, sizeof p, "%s/rapporter/audacity.epub", fx->src);
    made[n++] = (struct made){EDU_DOC ".epub", copy_file(EDU_DOC ".epub", p)};
    snprintf(p, sizeof p, "%s/rapporter/tre.pdf", fx->src);
    made[n++] = (struct made){"tre.pdf", pdf_write_file(p, &tre)};
    snprintf(p, sizeof p, "%s/rapporter/beslut.docx", fx->src);
    made[n++] = (struct made){"beslut.docx", write_docx(p)};
    snprintf(p, sizeof p, "%s/rapporter/remiss.odt", fx->src);
    made[n++] = (struct made){"remiss.odt", write_odt(p)};
    /* the bad ones */
    snprintf(p, sizeof p, "%s/trasig.pdf", fx->src);
    made[n++] = (struct made){"trasig.pdf", write_bytes(p, "%PDF-1.4\nskräp", 15)};
    snprintf(p, sizeof p, "%s/tom.docx", fx->src);
    made[n++] = (struct made){"tom.docx", write_bytes(p, "", 0)};
    for (size_t i = 0; i < n; i++)
        if (made[i].rc < 0) {
            fprintf(stderr, "  could not make %s\n", made[i].what);
            return -1;
        }
    /* encrypted, with qpdf (scripts/packages.txt) */
    snprintf(q, sizeof q, "%s/rapporter/tre.pdf", fx->src);
    snprintf(p, sizeof p, "%s/krypterad.pdf", fx->src);
    char *argv[] = {"qpdf", "--encrypt", "hemlig", "agare", "256", "--", q, p, NULL};
    if (run_prog(argv, NULL, NULL, NULL) != 0) {
        fprintf(stderr, "  could not make krypterad.pdf: is qpdf installed?\n");
        return -1;
    }
    /* a zip bomb: 100 MB of zeros as a DOCX's text */
    const struct zw_member bomb[] = {{"word/document.xml", NULL, 100u << 20, 0, NULL}};
    snprintf(p, sizeof p, "%s/bomb.docx", fx->src);
    if (zip_write_file(p, bomb, 1) < 0) {
        fprintf(stderr, "  could not make bomb.docx\n");
        return -1;
    }
    return 0;
}

static json_t *search(unsigned port, const char *args)
{
    struct http_reply r = {0};
    char target[1024];
    snprintf(target, sizeof target, "/api/search?%s", args);
    json_t *j = NULL;
    if (http_request(port, "GET", target, NULL, NULL, 0, &r) == 0 && r.status == 200)
        j = json_loadb(r.body, r.body_len, 0, NULL);
    http_reply_dispose(&r);
    return j;
}

/* The hit of id in a search's answer, or NULL. */
static json_t *hit_of(json_t *answer, const char *id)
{
    size_t i;
    json_t *h;
    json_array_foreach(json_object_get(answer, "hits"), i, h) {
        const char *hid = json_string_value(json_object_get(h, "id"));
        if (hid && strcmp(hid, id) == 0)
            return h;
    }
    return NULL;
}

static void test_bad_files_are_named_and_the_rest_indexed(struct check *c)
{
    struct fixture *fx = c->ctx;
    CHECK(c, fx->rc == 1);
    CHECK_CONTAINS(c, fx->err, "trasig.pdf: not a PDF, or damaged");
    CHECK_CONTAINS(c, fx->err, "krypterad.pdf: the PDF is encrypted");
    CHECK_CONTAINS(c, fx->err, "tom.docx: ");
    CHECK_CONTAINS(c, fx->err, "bomb.docx: ");
    CHECK_CONTAINS(c, fx->out, "indexed 8, unchanged 0, deleted 0, rejected 4 in ");
    /* the real EPUB declares English (DocBook's default) but is Swedish */
    CHECK_CONTAINS(c, fx->err, "audacity.epub: declares the language en but its text reads as "
                               "Swedish: indexed as Swedish");
    if (fx->rc != 1)
        fprintf(stderr, "  indexer said:\n%s%s\n", fx->out ? fx->out : "",
                fx->err ? fx->err : "");
}

static void test_a_sentence_in_a_pdf_is_found_with_its_page(struct check *c)
{
    struct fixture *fx = c->ctx;
    struct searchd s;
    if (searchd_start(&s, fx->db, NULL) < 0) {
        CHECK(c, 0);
        return;
    }
    /* the real Swedish PDF: the sentence is on its page 5 */
    char *q = url_encode("\"bättre att ha för låg inställning\"");
    char args[600];
    snprintf(args, sizeof args, "q=%s", q);
    free(q);
    json_t *a = search(s.port, args), *h = hit_of(a, "rapporter/audacity.pdf");
    CHECK(c, h != NULL);
    CHECK_STR(c, json_string_value(json_object_get(h, "format")), "pdf");
    CHECK(c, json_integer_value(json_object_get(h, "page")) == 5);
    CHECK_CONTAINS(c, json_string_value(json_object_get(h, "url")), "audacity.pdf#page=5");
    CHECK_CONTAINS(c, json_string_value(json_object_get(h, "snippet")), "<mark>");
    json_decref(a);
    /* a PDF written here: page 2, its words inflected and compounded */
    a = search(s.port, "q=bostadssegregation+norrbotten");
    h = hit_of(a, "rapporter/tre.pdf");
    CHECK(c, h && json_integer_value(json_object_get(h, "page")) == 2);
    CHECK_STR(c, json_string_value(json_object_get(h, "title")), "Årsrapport 2025");
    CHECK_STR(c, json_string_value(json_object_get(h, "date")), "2025-01-15");
    json_decref(a);
    /* the page's hit says html and has no page */
    a = search(s.port, "q=norrbotten");
    h = hit_of(a, "sida.html");
    CHECK(c, h && strcmp(json_string_value(json_object_get(h, "format")), "html") == 0 &&
                 !json_object_get(h, "page"));
    json_decref(a);
    /* DOCX, ODT and EPUB text */
    a = search(s.port, "q=l%C3%A4xhj%C3%A4lp");
    h = hit_of(a, "rapporter/beslut.docx");
    CHECK(c, h && strcmp(json_string_value(json_object_get(h, "format")), "docx") == 0);
    CHECK_STR(c, h ? json_string_value(json_object_get(h, "title")) : NULL, "Beslut 2024:12");
    json_decref(a);
    a = search(s.port, "q=spr%C3%A5kcaf%C3%A9er");
    CHECK(c, hit_of(a, "rapporter/remiss.odt") != NULL);
    json_decref(a);
    a = search(s.port, "q=audacity&size=20");
    CHECK(c, hit_of(a, "rapporter/audacity.epub") != NULL);
    /* formats as a facet, and as a filter */
    json_t *f = json_object_get(json_object_get(a, "facets"), "format");
    CHECK(c, json_integer_value(json_object_get(f, "pdf")) == 1 &&
                 json_integer_value(json_object_get(f, "epub")) == 1);
    json_decref(a);
    a = search(s.port, "q=&format=pdf");
    CHECK(c, a && json_integer_value(json_object_get(a, "total")) == 2);
    json_decref(a);
    a = search(s.port, "q=&format=html");
    CHECK(c, a && json_integer_value(json_object_get(a, "total")) == 2);
    json_decref(a);
    struct http_reply r = {0};
    CHECK(c, http_request(s.port, "GET", "/api/search?q=x&format=exe", NULL, NULL, 0, &r) == 0 &&
                 r.status == 400);
    CHECK_CONTAINS(c, r.body, "parameter format must be one of html, pdf");
    http_reply_dispose(&r);
    searchd_stop(&s);
}

/* A page and a report in English: found by English inflections, marked
 * with their language, counted and filtered by it; the Swedish EPUB that
 * declares English stays Swedish. */
static void test_documents_in_english_are_found_by_their_inflections(struct check *c)
{
    struct fixture *fx = c->ctx;
    struct searchd s;
    if (searchd_start(&s, fx->db, NULL) < 0) {
        CHECK(c, 0);
        return;
    }
    json_t *a = search(s.port, "q=reporting");
    CHECK(c, a && json_integer_value(json_object_get(a, "total")) == 2);
    json_t *h = hit_of(a, "in-english.html");
    CHECK_STR(c, h ? json_string_value(json_object_get(h, "lang")) : NULL, "en");
    CHECK_CONTAINS(c, h ? json_string_value(json_object_get(h, "snippet")) : NULL,
                   "<mark>reports</mark>");
    h = hit_of(a, "rapporter/summary.docx");
    CHECK_STR(c, h ? json_string_value(json_object_get(h, "lang")) : NULL, "en");
    CHECK_CONTAINS(c, h ? json_string_value(json_object_get(h, "snippet")) : NULL,
                   "<mark>reported</mark>");
    json_decref(a);
    a = search(s.port, "q=audacity&size=20");
    h = hit_of(a, "rapporter/audacity.epub");
    CHECK_STR(c, h ? json_string_value(json_object_get(h, "lang")) : NULL, "sv");
    json_decref(a);
    a = search(s.port, "q=");
    json_t *f = json_object_get(json_object_get(a, "facets"), "lang");
    CHECK(c, json_integer_value(json_object_get(f, "en")) == 2 &&
                 json_integer_value(json_object_get(f, "sv")) == 6);
    json_decref(a);
    a = search(s.port, "q=&lang=en");
    CHECK(c, a && json_integer_value(json_object_get(a, "total")) == 2);
    json_decref(a);
    struct http_reply r = {0};
    CHECK(c, http_request(s.port, "GET", "/api/search?q=x&lang=english", NULL, NULL, 0, &r) == 0 &&
                 r.status == 400);
    CHECK_CONTAINS(c, r.body, "parameter lang must be a language subtag");
    http_reply_dispose(&r);
    searchd_stop(&s);
    char *argv[] = {fx->indexer, "--db", fx->db, "--stats", NULL}, *out = NULL;
    CHECK(c, run_prog(argv, NULL, &out, NULL) == 0);
    CHECK_CONTAINS(c, out, "languages   en 2 (Snowball), sv 6\n");
    free(out);
}

/* An editor PUTs a PDF to searchd: read in a child process as the indexer
 * reads one, searchable with its page when the PUT returns; a broken one is
 * refused with the reason and the daemon goes on. */
static void test_a_pdf_put_to_searchd_is_searchable_with_its_page(struct check *c)
{
    struct fixture *fx = c->ctx;
    char token[600], p[1100], auth[128];
    snprintf(token, sizeof token, "%s/token", fx->dir);
    snprintf(auth, sizeof auth, "Authorization: Bearer hemligt-och-langt\r\n");
    CHECK(c, token_file_write(token, "hemligt-och-langt") == 0);
    const char *extra[] = {"--admin-token-file", token, NULL};
    struct searchd s;
    if (searchd_start(&s, fx->db, extra) < 0) {
        CHECK(c, 0);
        return;
    }
    snprintf(p, sizeof p, "%s/rapporter/tre.pdf", fx->src);
    size_t len = 0;
    char *pdf = file_read_all(p, &len), hdr[256];
    snprintf(hdr, sizeof hdr, "%sContent-Type: application/pdf\r\n", auth);
    struct http_reply r = {0};
    CHECK(c, pdf && http_request(s.port, "PUT",
                                 "/api/documents/put%2Ftre.pdf?url=https%3A%2F%2Fexempel.se%2Ftre.pdf",
                                 hdr, pdf, len, &r) == 0 && r.status == 201);
    CHECK_CONTAINS(c, r.body, "\"lang\":\"sv\"");
    http_reply_dispose(&r);
    /* the Swedish EPUB that declares English: indexed as Swedish, and said */
    snprintf(p, sizeof p, "%s/rapporter/audacity.epub", fx->src);
    char *epub = file_read_all(p, &len);
    snprintf(hdr, sizeof hdr, "%sContent-Type: application/epub+zip\r\n", auth);
    CHECK(c, epub && http_request(s.port, "PUT", "/api/documents/put%2Faudacity.epub", hdr, epub,
                                  len, &r) == 0 && r.status == 201);
    CHECK_CONTAINS(c, r.body, "declares the language en but its text reads as Swedish");
    http_reply_dispose(&r);
    free(epub);
    snprintf(hdr, sizeof hdr, "%sContent-Type: application/pdf\r\n", auth);
    json_t *a = search(s.port, "q=bostadssegregation+norrbotten"), *h = hit_of(a, "put/tre.pdf");
    CHECK(c, h && json_integer_value(json_object_get(h, "page")) == 2);
    CHECK_STR(c, h ? json_string_value(json_object_get(h, "url")) : NULL,
              "https://exempel.se/tre.pdf#page=2");
    json_decref(a);
    CHECK(c, http_request(s.port, "PUT", "/api/documents/trasig.pdf", hdr, "%PDF-1.4 trasig", 15,
                          &r) == 0 && r.status == 400);
    CHECK_CONTAINS(c, r.body, "the pdf cannot be read: not a PDF, or damaged");
    http_reply_dispose(&r);
    CHECK(c, http_request(s.port, "GET", "/healthz", NULL, NULL, 0, &r) == 0 && r.status == 200);
    http_reply_dispose(&r);
    free(pdf);
    searchd_stop(&s);
}

static void test_a_rerun_reads_no_document_again(struct check *c)
{
    struct fixture *fx = c->ctx;
    char *argv[] = {fx->indexer, "--db", fx->db, fx->src, NULL}, *out = NULL;
    CHECK(c, run_prog(argv, NULL, &out, NULL) == 1);   /* the bad ones again */
    CHECK_CONTAINS(c, out, "indexed 0, unchanged 8,");
    free(out);
}

static void test_a_reader_over_its_cpu_limit_is_stopped_and_named(struct check *c)
{
    struct fixture *fx = c->ctx;
    char dir[1024], db[1024], p[1100];
    snprintf(dir, sizeof dir, "%s/slow", fx->dir);
    snprintf(db, sizeof db, "%s/slow.db", fx->dir);
    mkdir(dir, 0700);
    snprintf(p, sizeof p, "%s/lang.pdf", dir);
    CHECK(c, write_slow_pdf(p) == 0);
    snprintf(p, sizeof p, "%s/sida.html", dir);
    CHECK(c, write_bytes(p, "<main><p>Kvar i indexet.</p></main>", 35) == 0);
    char *argv[] = {fx->indexer, "--document-cpu", "1", "--db", db, dir, NULL};
    char *out = NULL, *err = NULL;
    double t0 = now_s();
    int rc = run_prog(argv, NULL, &out, &err);
    CHECK(c, rc == 1);
    CHECK_CONTAINS(c, err, "lang.pdf: it took over the limit of 1 s of CPU");
    CHECK_CONTAINS(c, out, "indexed 1,");
    CHECK(c, now_s() - t0 < 30);
    free(out);
    free(err);
}

/* An indexer without docread beside it rejects documents, saying so, and
 * indexes the pages (both). */
static void test_without_the_reader_documents_are_rejected_with_the_reason(struct check *c)
{
    struct fixture *fx = c->ctx;
    char alone[600], exe[700], db[700];
    snprintf(alone, sizeof alone, "%s/alone", fx->dir);
    snprintf(exe, sizeof exe, "%s/indexer", alone);
    snprintf(db, sizeof db, "%s/alone.db", fx->dir);
    CHECK(c, mkdir(alone, 0700) == 0 && copy_file(fx->indexer, exe) == 0 && chmod(exe, 0700) == 0);
    char *argv[] = {exe, "--db", db, fx->src, NULL}, *out = NULL, *err = NULL;
    CHECK(c, run_prog(argv, NULL, &out, &err) == 1);
    CHECK_CONTAINS(c, err, "tre.pdf: the document reader docread is not installed beside the indexer");
    CHECK_CONTAINS(c, out, "indexed 2,");
    free(out);
    free(err);
}

static void test_extract_prints_a_document(struct check *c)
{
    struct fixture *fx = c->ctx;
    char p[1100];
    snprintf(p, sizeof p, "%s/rapporter/tre.pdf", fx->src);
    char *argv[] = {fx->indexer, "--extract", p, NULL}, *out = NULL;
    CHECK(c, run_prog(argv, NULL, &out, NULL) == 0);
    json_t *j = out ? json_loads(out, 0, NULL) : NULL;
    CHECK_STR(c, json_string_value(json_object_get(j, "format")), "pdf");
    CHECK(c, json_array_size(json_object_get(j, "pages")) == 3);
    CHECK_CONTAINS(c, json_string_value(json_object_get(j, "body")), "Kommunerna i Norrbotten");
    json_decref(j);
    free(out);
    /* The real EPUB's package says "en" (DocBook's default), though the book
     * is Swedish: its text wins, and the indexer says so. */
    snprintf(p, sizeof p, "%s/rapporter/audacity.epub", fx->src);
    char *epub[] = {fx->indexer, "--extract", p, NULL}, *said = NULL;
    out = NULL;
    CHECK(c, run_prog(epub, NULL, &out, &said) == 0);
    j = out ? json_loads(out, 0, NULL) : NULL;
    CHECK_STR(c, json_string_value(json_object_get(j, "lang")), "sv");
    CHECK_CONTAINS(c, said, "declares the language en but its text reads as Swedish");
    json_decref(j);
    free(out);
    free(said);
}

int main(void)
{
    struct fixture fx = {0};
    struct check c = {0};
    c.ctx = &fx;
    prog_path("indexer", fx.indexer, sizeof fx.indexer);
    if (tmpdir_make(fx.dir, sizeof fx.dir) < 0 || make_site(&fx) < 0) {
        fprintf(stderr, "test_documents: cannot make the site\n");
        tmpdir_remove(fx.dir);
        return 1;
    }
    char *argv[] = {fx.indexer, "--db", fx.db, fx.src, NULL};
    fx.rc = run_prog(argv, NULL, &fx.out, &fx.err);
    RUN(&c, test_bad_files_are_named_and_the_rest_indexed);
    RUN(&c, test_a_sentence_in_a_pdf_is_found_with_its_page);
    RUN(&c, test_documents_in_english_are_found_by_their_inflections);
    RUN(&c, test_a_pdf_put_to_searchd_is_searchable_with_its_page);
    RUN(&c, test_a_rerun_reads_no_document_again);
    RUN(&c, test_extract_prints_a_document);
    RUN(&c, test_without_the_reader_documents_are_rejected_with_the_reason);
    RUN(&c, test_a_reader_over_its_cpu_limit_is_stopped_and_named);
    free(fx.out);
    free(fx.err);
    tmpdir_remove(fx.dir);
    return check_report(&c, "test_documents");
}
