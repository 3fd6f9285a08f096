/* test_crawl.c: indexer --crawl against a real web site on loopback
 * (tests/support/site.h), whose own log says what was asked: a sitemap
 * index and its sitemaps, robots.txt rules (a disallowed page is never
 * fetched), noindex by <meta> and by X-Robots-Tag, nofollow, a canonical
 * duplicate, a redirect chain and a redirect loop, a PDF, a page of invalid
 * UTF-8, a slow page past the timeout, a page past the size limit; then a
 * recrawl that sends conditional requests and downloads no page again, a
 * page that turns 404 deleted, a failing one kept, and the delay between
 * requests kept by the server's clock. */
#include "check.h"
#include "pdf_write.h"
#include "schema.h"
#include "site.h"
#include "support.h"
#include "xapian_c.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fixture {
    char dir[256];
    char db[512];
    char indexer[512];
    char base[64];
    struct site *site;
    char *out, *err;   /* the first crawl's */
    int rc;
    char *pdf;
    size_t pdf_len;
};

static char page_start[2048], sitemap_index[1024], sitemap_a[1024], robots[512];

static const char *const pdf_pages[] = {"Årsrapport om boende\nKommunerna i Norrbotten.",
                                        "Andra sidan om bostadssegregation."};

/* The site: '/' links to most pages; the sitemaps list the rest. */
static int site_pages(struct fixture *fx)
{
    snprintf(robots, sizeof robots,
             "User-agent: *\nDisallow: /hemlig/\nAllow: /hemlig/oppen.html\n"
             "Sitemap: %s/sitemap-index.xml\n", fx->base);
    snprintf(sitemap_index, sizeof sitemap_index,
             "<?xml version=\"1.0\"?><sitemapindex xmlns=\"http://www.sitemaps.org/schemas/"
             "sitemap/0.9\"><sitemap><loc>%s/sitemap-a.xml</loc></sitemap></sitemapindex>",
             fx->base);
    snprintf(sitemap_a, sizeof sitemap_a,
             "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
             "<url><loc>%s/karta/bara-i-kartan.html</loc><lastmod>2025-01-10</lastmod></url>"
             "<url><loc>%s/hemlig/i-kartan.html</loc></url>"
             "<url><loc>https://annan.example/utanfor.html</loc></url></urlset>",
             fx->base, fx->base);
    snprintf(page_start, sizeof page_start, "%s",
             "<html lang=\"sv\"><head><title>Start</title></head><body><main><h1>Startsida</h1>"
             "<p>Om segregation i Malmö.</p>"
             "<a href=\"/artikel/skola.html\">Skola</a> <a href=\"artikel/dubblett.html\">D</a>"
             "<a href=\"/hemlig/las.html\">Hemlig</a> <a href=\"/hemlig/oppen.html\">Öppen</a>"
             "<a href=\"/dold.html\">Dold</a> <a href=\"/dold-header.html\">Dold 2</a>"
             "<a href=\"/nofollow.html\">Nf</a> <a href=\"/flytt/1\">Flytt</a>"
             "<a href=\"/loop/a\">Loop</a> <a href=\"/rapport.pdf\">PDF</a>"
             "<a href=\"/trasig-utf8.html\">Utf</a> <a href=\"/langsam.html\">L</a>"
             "<a href=\"/jatte.html\">J</a> <a href=\"/forsvinner.html\">F</a>"
             "<a href=\"/fel.html\">Fel</a> <a href=\"https://annan.example/x\">Ut</a>"
             "<a href=\"mailto:info@example.se\">Post</a></main></body></html>");
    static char bad_utf8[] = "<html><h1>Trasig text</h1><p>Bost\xe4" "der och \xff\xfe" " skolor.</p></html>";
    const struct site_page pages[] = {
        {.path = "/robots.txt", .content_type = "text/plain", .body = robots},
        {.path = "/sitemap-index.xml", .content_type = "application/xml", .body = sitemap_index},
        {.path = "/sitemap-a.xml", .content_type = "application/xml", .body = sitemap_a},
        {.path = "/", .body = page_start, .etag = "\"start-1\""},
        {.path = "/artikel/skola.html", .etag = "\"skola-1\"",
         .body = "<html><h1>Skolan i Rosengård</h1><p>Skolor och bostäder.</p></html>"},
        {.path = "/artikel/dubblett.html",
         .body = "<html><head><link rel=\"canonical\" href=\"/artikel/skola.html\"></head>"
                 "<h1>Skolan i Rosengård</h1><p>Skolor och bostäder.</p></html>"},
        {.path = "/karta/bara-i-kartan.html", .last_modified = "Fri, 10 Jan 2025 08:00:00 GMT",
         .body = "<html><h1>Bara i kartan</h1><p>Föreningsliv i Gävle.</p></html>"},
        {.path = "/hemlig/las.html", .body = "<html><h1>Hemlig</h1></html>"},
        {.path = "/hemlig/i-kartan.html", .body = "<html><h1>Hemlig i kartan</h1></html>"},
        {.path = "/hemlig/oppen.html", .etag = "\"oppen-1\"",
         .body = "<html><h1>Öppen trots allt</h1><p>Tillåten.</p></html>"},
        {.path = "/dold.html", .body = "<html><head><meta name=\"robots\" content=\"noindex\">"
                                      "</head><h1>Dold</h1><a href=\"/via-dold.html\">V</a></html>"},
        {.path = "/via-dold.html", .body = "<html><h1>Nådd via en dold sida</h1></html>"},
        {.path = "/dold-header.html", .x_robots_tag = "noindex",
         .body = "<html><h1>Dold med rubrik</h1></html>"},
        {.path = "/nofollow.html",
         .body = "<html><head><meta name=\"robots\" content=\"nofollow\"></head>"
                 "<h1>Inga länkar följs</h1><a href=\"/aldrig.html\">A</a></html>"},
        {.path = "/aldrig.html", .body = "<html><h1>Aldrig</h1></html>"},
        {.path = "/flytt/1", .status = 301, .location = "/flytt/2"},
        {.path = "/flytt/2", .status = 302, .location = "/flytt/mal.html"},
        {.path = "/flytt/mal.html", .body = "<html><h1>Flyttad sida</h1><p>Målet.</p></html>"},
        {.path = "/loop/a", .status = 301, .location = "/loop/b"},
        {.path = "/loop/b", .status = 301, .location = "/loop/a"},
        {.path = "/rapport.pdf", .content_type = "application/pdf", .body = fx->pdf,
         .body_len = fx->pdf_len},
        {.path = "/trasig-utf8.html", .body = bad_utf8},
        {.path = "/langsam.html", .delay_ms = 3000, .body = "<html><h1>Långsam</h1></html>"},
        {.path = "/jatte.html", .body = "<p>fyllnad fyllnad fyllnad fyllnad fyllnad</p>\n",
         .repeat = 50000},   /* 2.5 MB */
        {.path = "/forsvinner.html", .etag = "\"f-1\"",
         .body = "<html><h1>Försvinner snart</h1></html>"},
        {.path = "/fel.html", .etag = "\"fel-1\"", .body = "<html><h1>Felar senare</h1></html>"},
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++)
        if (site_set(fx->site, &pages[i]) < 0)
            return -1;
    return 0;
}

static int crawl(const struct fixture *fx, char **out, char **err)
{
    char *argv[] = {(char *)fx->indexer, "--db", (char *)fx->db, "--crawl", (char *)fx->base,
                    "--crawl-delay", "0", "--crawl-timeout", "1", "--crawl-page-max", "1", NULL};
    char start[128];
    snprintf(start, sizeof start, "%s/", fx->base);
    argv[4] = start;
    return run_prog(argv, NULL, out, err);
}

/* The stored field of the document with id, malloc'd, or NULL. */
static char *stored(const struct fixture *fx, const char *id, const char *field)
{
    xc_db *db = NULL;
    xc_doc *d = NULL;
    char term[SCHEMA_TERM_MAX + 1], *data = NULL, *out = NULL;
    size_t len = 0;
    schema_id_term(id, term);
    if (xc_db_open(&db, fx->db, NULL) == 0 && xc_db_get_by_term(db, term, &d, NULL) == 0 &&
        xc_doc_get_data(d, &data, &len, NULL) == 0) {
        /* the fields are JSON up to a NUL (lib/doc_data.c) */
        json_t *j = json_loadb(data, strnlen(data, len), 0, NULL);
        const char *v = json_string_value(json_object_get(j, field));
        out = v ? strdup(v) : NULL;
        json_decref(j);
    }
    free(data);
    xc_doc_free(d);
    xc_db_free(db);
    return out;
}

static int indexed(const struct fixture *fx, const char *id)
{
    char *t = stored(fx, id, "id");
    int yes = t != NULL;
    free(t);
    return yes;
}

static void test_the_site_is_crawled_within_its_rules(struct check *c)
{
    struct fixture *fx = c->ctx;
    CHECK(c, fx->rc == 1);   /* the slow and the huge page failed */
    const char *in[] = {"/", "/artikel/skola.html", "/karta/bara-i-kartan.html",
                        "/hemlig/oppen.html", "/via-dold.html", "/nofollow.html",
                        "/flytt/mal.html", "/rapport.pdf", "/trasig-utf8.html",
                        "/forsvinner.html", "/fel.html"};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        CHECK(c, indexed(fx, in[i]));
        if (!indexed(fx, in[i]))
            fprintf(stderr, "  not indexed: %s\n", in[i]);
    }
    const char *out[] = {"/hemlig/las.html", "/hemlig/i-kartan.html", "/dold.html",
                         "/dold-header.html", "/aldrig.html", "/artikel/dubblett.html",
                         "/flytt/1", "/flytt/2", "/loop/a", "/langsam.html", "/jatte.html"};
    for (size_t i = 0; i < sizeof out / sizeof out[0]; i++) {
        CHECK(c, !indexed(fx, out[i]));
        if (indexed(fx, out[i]))
            fprintf(stderr, "  indexed but should not be: %s\n", out[i]);
    }
    /* disallowed and nofollow'd pages were never asked for, nor another host */
    CHECK(c, site_count(fx->site, "/hemlig/las.html") == 0);
    CHECK(c, site_count(fx->site, "/hemlig/i-kartan.html") == 0);
    CHECK(c, site_count(fx->site, "/aldrig.html") == 0);
    CHECK(c, site_count(fx->site, "/robots.txt") == 1);
    /* the url is the page's own; the PDF's format and text came through */
    char *url = stored(fx, "/flytt/mal.html", "url");
    char want[128];
    snprintf(want, sizeof want, "%s/flytt/mal.html", fx->base);
    CHECK_STR(c, url, want);
    free(url);
    char *type = stored(fx, "/artikel/skola.html", "type");
    CHECK_STR(c, type, "artikel");   /* its first folder, as from files */
    free(type);
    char *format = stored(fx, "/rapport.pdf", "format");
    CHECK_STR(c, format, "pdf");
    free(format);
    char *title = stored(fx, "/trasig-utf8.html", "title");
    CHECK_STR(c, title, "Trasig text");
    free(title);
    CHECK_CONTAINS(c, fx->err, "/loop/a: redirects in a loop");
    CHECK_CONTAINS(c, fx->err, "langsam.html: ");
    CHECK_CONTAINS(c, fx->err, "jatte.html: larger than");
    CHECK_CONTAINS(c, fx->err, "dubblett.html: the same page as");
    CHECK_CONTAINS(c, fx->err, "dold.html: the page asks not to be indexed");
    CHECK_CONTAINS(c, fx->out, "failed 3,");   /* slow, huge, loop */
    if (fx->rc != 1)
        fprintf(stderr, "  the crawl said:\n%s%s\n", fx->out ? fx->out : "", fx->err ? fx->err : "");
}

/* A recrawl: conditional requests, no page body downloaded again, a page
 * whose sitemap lastmod stands still not asked for at all; a 404 deleted, a
 * failing page kept. */
static void test_a_recrawl_asks_only_whether_pages_changed(struct check *c)
{
    struct fixture *fx = c->ctx;
    site_remove(fx->site, "/forsvinner.html");
    const struct site_page failing = {.path = "/fel.html", .status = 503};
    CHECK(c, site_set(fx->site, &failing) == 0);
    /* the start page changes: it no longer links to /nofollow.html */
    static char start2[sizeof page_start];
    char *cut = strstr(page_start, "<a href=\"/nofollow.html\">Nf</a>");
    snprintf(start2, sizeof start2, "%.*s%s", cut ? (int)(cut - page_start) : 0, page_start,
             cut ? cut + strlen("<a href=\"/nofollow.html\">Nf</a>") : "");
    const struct site_page start = {.path = "/", .body = start2, .etag = "\"start-2\""};
    CHECK(c, cut && site_set(fx->site, &start) == 0);
    site_clear_log(fx->site);
    char *out = NULL, *err = NULL;
    int rc = crawl(fx, &out, &err);
    CHECK(c, rc == 1);   /* the failing page */
    CHECK_CONTAINS(c, out, "deleted 2,");   /* gone, and no longer linked */
    CHECK_CONTAINS(c, out, "indexed 1,");   /* the start page, its links changed */
    CHECK(c, !indexed(fx, "/forsvinner.html"));
    CHECK(c, !indexed(fx, "/nofollow.html"));
    CHECK(c, site_count(fx->site, "/nofollow.html") == 0);
    CHECK(c, indexed(fx, "/fel.html"));   /* kept as it was */
    CHECK_CONTAINS(c, err, "fel.html: the server answered 503: kept as it was");
    CHECK(c, site_count(fx->site, "/karta/bara-i-kartan.html") == 0);
    struct site_hit *hits = NULL;
    size_t n = site_hits(fx->site, &hits), conditional = 0, bodies = 0;
    for (size_t i = 0; i < n; i++) {
        int page = strstr(hits[i].path, ".xml") == NULL && strcmp(hits[i].path, "/robots.txt") != 0;
        if (page && hits[i].if_none_match[0])
            conditional++;
        if (page && hits[i].status == 200 && hits[i].body_bytes > 0 &&
            strcmp(hits[i].path, "/") != 0 &&
            strcmp(hits[i].path, "/langsam.html") != 0 && strcmp(hits[i].path, "/jatte.html") != 0 &&
            strcmp(hits[i].path, "/flytt/mal.html") != 0 && strcmp(hits[i].path, "/via-dold.html") &&
            strcmp(hits[i].path, "/nofollow.html") && strcmp(hits[i].path, "/rapport.pdf") &&
            strcmp(hits[i].path, "/trasig-utf8.html") && strcmp(hits[i].path, "/dold.html") &&
            strcmp(hits[i].path, "/dold-header.html") && strcmp(hits[i].path, "/artikel/dubblett.html"))
            bodies++;
    }
    CHECK(c, conditional >= 4);   /* /, skola, oppen, forsvinner had ETags */
    CHECK(c, bodies == 0);        /* every page with a validator answered 304 */
    free(hits);
    free(out);
    free(err);
}

/* The delay between requests holds by the server's clock. */
static void test_the_delay_between_requests_is_kept(struct check *c)
{
    struct fixture *fx = c->ctx;
    site_clear_log(fx->site);
    char start[128];
    snprintf(start, sizeof start, "%s/artikel/", fx->base);
    char *argv[] = {fx->indexer, "--db", fx->db, "--crawl", start, "--crawl-delay", "0.3",
                    "--quiet", NULL};
    CHECK(c, run_prog(argv, NULL, NULL, NULL) == 0);
    struct site_hit *hits = NULL;
    size_t n = site_hits(fx->site, &hits);
    CHECK(c, n >= 2);
    for (size_t i = 1; i < n; i++)
        CHECK(c, hits[i].at - hits[i - 1].at >= 0.29);
    free(hits);
}

/* robots.txt's Crawl-delay, longer than the one asked, is kept too; the
 * file is found through a redirect. */
static void test_robots_crawl_delay_is_kept(struct check *c)
{
    struct fixture *fx = c->ctx;
    const struct site_page pages[] = {
        {.path = "/robots.txt", .status = 301, .location = "/config/robots.txt"},
        {.path = "/config/robots.txt", .content_type = "text/plain",
         .body = "User-agent: sitesearch-indexer\nCrawl-delay: 0.4\nDisallow: /x/\n"},
        {.path = "/", .body = "<html><h1>A</h1><a href=\"/b\">B</a><a href=\"/c\">C</a></html>"},
        {.path = "/b", .body = "<html><h1>B</h1></html>"},
        {.path = "/c", .body = "<html><h1>C</h1></html>"}};
    struct site *s = NULL;
    char base[64], start[96], db[600];
    CHECK(c, site_start(&s, pages, 5) == 0 && site_base(s, base, sizeof base) == 0);
    snprintf(start, sizeof start, "%s/", base);
    snprintf(db, sizeof db, "%s/delay", fx->dir);
    char *argv[] = {fx->indexer, "--db", db, "--crawl", start, "--crawl-delay", "0", "--quiet",
                    NULL};
    CHECK(c, run_prog(argv, NULL, NULL, NULL) == 0);
    struct site_hit *hits = NULL;
    size_t n = s ? site_hits(s, &hits) : 0;
    CHECK(c, n == 5);   /* robots.txt, where it went, and the three pages */
    for (size_t i = 3; i < n; i++)
        CHECK(c, hits[i].at - hits[i - 1].at >= 0.39);
    free(hits);
    site_stop(s);
}

/* --rebuild with --crawl: a new generation from every page, asked for
 * whole (no conditional request: there is nothing to keep them from). */
static void test_a_rebuild_crawls_every_page_whole(struct check *c)
{
    struct fixture *fx = c->ctx;
    site_clear_log(fx->site);
    char start[128], *out = NULL;
    snprintf(start, sizeof start, "%s/", fx->base);
    char *argv[] = {fx->indexer, "--db", fx->db, "--rebuild", "--crawl", start, "--crawl-delay",
                    "0", "--crawl-timeout", "1", "--crawl-page-max", "1", NULL};
    CHECK(c, run_prog(argv, NULL, &out, NULL) == 1);   /* the failing pages again */
    CHECK_CONTAINS(c, out, "not modified 0,");
    CHECK(c, indexed(fx, "/artikel/skola.html") && indexed(fx, "/fel.html") == 0);
    struct site_hit *hits = NULL;
    size_t n = site_hits(fx->site, &hits), conditional = 0;
    for (size_t i = 0; i < n; i++)
        conditional += hits[i].if_none_match[0] || hits[i].if_modified_since[0];
    CHECK(c, n > 0 && conditional == 0);
    free(hits);
    free(out);
}

int main(void)
{
    struct check c = {0};
    struct fixture f = {0};
    if (tmpdir_make(f.dir, sizeof f.dir) < 0)
        return 1;
    snprintf(f.db, sizeof f.db, "%s/index", f.dir);
    prog_path("indexer", f.indexer, sizeof f.indexer);
    struct pdf_spec spec = {pdf_pages, 2, "Årsrapport", "D:20250115120000+01'00'", 0};
    if (pdf_write_mem(&f.pdf, &f.pdf_len, &spec) < 0 || site_start(&f.site, NULL, 0) < 0 ||
        site_base(f.site, f.base, sizeof f.base) < 0 || site_pages(&f) < 0) {
        fprintf(stderr, "test_crawl: cannot start the test site\n");
        site_stop(f.site);
        tmpdir_remove(f.dir);
        return 1;
    }
    f.rc = crawl(&f, &f.out, &f.err);
    c.ctx = &f;
    RUN(&c, test_the_site_is_crawled_within_its_rules);
    RUN(&c, test_a_recrawl_asks_only_whether_pages_changed);
    RUN(&c, test_the_delay_between_requests_is_kept);
    RUN(&c, test_robots_crawl_delay_is_kept);
    RUN(&c, test_a_rebuild_crawls_every_page_whole);
    site_stop(f.site);
    free(f.out);
    free(f.err);
    free(f.pdf);
    tmpdir_remove(f.dir);
    return check_report(&c, "test_crawl");
}
