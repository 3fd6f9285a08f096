/* bench_crawl.c: a first crawl and a recrawl of an unchanged site of N
 * pages (argv[1], default 3,000) served on loopback by the tests' web
 * site (tests/support/site.h), each page with an ETag and Last-Modified
 * and links to the next pages; once with a sitemap whose lastmod lets the
 * recrawl skip pages unasked, once without (conditional requests only).
 * Prints each crawl's wall time and the recrawl's requests and page bytes
 * as the server counted them. The indexer is $BIN/indexer; the index goes
 * to a fresh temporary directory. */
#include "site.h"
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINKS 5

static const char *const sentences[] = {
    "Delegationen följer segregationens utveckling i kommunerna.",
    "Skolorna i bostadsområdena har fått mer stöd under året.",
    "Föreningslivet samarbetar med kommunen om sommarlovet.",
    "Arbetsmarknaden för unga har förbättrats i flera regioner.",
    "Rapporten beskriver trångboddhet och bostadsbrist i storstäderna.",
};

/* The site: page i links to the next LINKS; the start page to the first. */
static int make_site(struct site *s, unsigned n, int with_sitemap, char **sitemap_out)
{
    char base[64];
    if (site_base(s, base, sizeof base) < 0)
        return -1;
    size_t cap = (size_t)n * 160 + 512, len = 0;
    char *sm = malloc(cap);
    if (!sm)
        return -1;
    len += (size_t)snprintf(sm + len, cap - len,
                            "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/"
                            "schemas/sitemap/0.9\">");
    for (unsigned i = 0; i < n; i++) {
        char path[64], body[4096], etag[32];
        int b = snprintf(body, sizeof body, "<html lang=\"sv\"><h1>Sida %u om segregation</h1>", i);
        for (int k = 0; k < 12; k++)
            b += snprintf(body + b, sizeof body - (size_t)b, "<p>%s Sida %u, stycke %d.</p>",
                          sentences[(i + (unsigned)k) % 5], i, k);
        for (unsigned k = 1; k <= LINKS; k++)
            b += snprintf(body + b, sizeof body - (size_t)b, "<a href=\"/sida/%u.html\">Nästa</a>",
                          (i + k) % n);
        b += snprintf(body + b, sizeof body - (size_t)b, "</html>");
        snprintf(path, sizeof path, "/sida/%u.html", i);
        snprintf(etag, sizeof etag, "\"v1-%u\"", i);
        struct site_page p = {.path = path, .body = body, .etag = etag,
                              .last_modified = "Mon, 06 Jan 2025 10:00:00 GMT"};
        if (site_set(s, &p) < 0)
            return free(sm), -1;
        len += (size_t)snprintf(sm + len, cap - len,
                                "<url><loc>%s%s</loc><lastmod>2025-01-06</lastmod></url>", base,
                                path);
    }
    len += (size_t)snprintf(sm + len, cap - len, "</urlset>");
    char robots[256];
    snprintf(robots, sizeof robots, "User-agent: *\nDisallow:\n%s%s%s\n",
             with_sitemap ? "Sitemap: " : "", with_sitemap ? base : "",
             with_sitemap ? "/sitemap.xml" : "");
    struct site_page pages[] = {
        {.path = "/", .body = "<html><h1>Start</h1><a href=\"/sida/0.html\">Första</a></html>"},
        {.path = "/robots.txt", .content_type = "text/plain", .body = robots},
        {.path = "/sitemap.xml", .content_type = "application/xml", .body = sm},
    };
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < 3; i++)
        rc = site_set(s, &pages[i]);
    *sitemap_out = sm;
    return rc;
}

/* Runs a crawl of the site into db; its wall seconds, or -1. */
static double crawl(const char *indexer, const char *db, const char *base)
{
    char start[96];
    snprintf(start, sizeof start, "%s/", base);
    char *argv[] = {(char *)indexer, "--quiet", "--db", (char *)db, "--crawl", start,
                    "--crawl-delay", "0", NULL};
    double t0 = now_s();
    int rc = run_prog(argv, NULL, NULL, NULL);
    return rc == 0 ? now_s() - t0 : -1;
}

/* Requests and page body bytes the site counted since its log was cleared. */
static void counted(struct site *s, size_t *requests, size_t *page_bytes)
{
    struct site_hit *h = NULL;
    size_t n = site_hits(s, &h);
    *requests = n;
    *page_bytes = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(h[i].path, "/sida/", 6) == 0)
            *page_bytes += h[i].body_bytes;
    free(h);
}

static int run(const char *indexer, unsigned n, int with_sitemap)
{
    char dir[256], db[512], base[64], *sm = NULL;
    struct site *s = NULL;
    if (tmpdir_make(dir, sizeof dir) < 0 || site_start(&s, NULL, 0) < 0 ||
        make_site(s, n, with_sitemap, &sm) < 0 || site_base(s, base, sizeof base) < 0) {
        fprintf(stderr, "bench_crawl: cannot set up the site\n");
        site_stop(s);
        free(sm);
        return -1;
    }
    snprintf(db, sizeof db, "%s/index", dir);
    size_t req1, bytes1, req2, bytes2;
    double first = crawl(indexer, db, base);
    counted(s, &req1, &bytes1);
    site_clear_log(s);
    double again = crawl(indexer, db, base);
    counted(s, &req2, &bytes2);
    int rc = first > 0 && again > 0 ? 0 : -1;
    if (rc == 0)
        printf("%-32s %8.2f s %6zu requests %8.1f MB | %8.2f s %6zu requests %8zu bytes | %6.1fx\n",
               with_sitemap ? "sitemap with lastmod" : "links, conditional requests", first, req1,
               (double)bytes1 / 1e6, again, req2, bytes2, first / again);
    else
        fprintf(stderr, "bench_crawl: a crawl failed\n");
    site_stop(s);
    free(sm);
    tmpdir_remove(dir);
    return rc;
}

int main(int argc, char **argv)
{
    unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 3000;
    char indexer[512];
    prog_path("indexer", indexer, sizeof indexer);
    printf("crawl of %u unchanged pages on loopback (first crawl | recrawl: wall time, requests, "
           "page bytes the server sent | first / recrawl)\n", n);
    int rc = run(indexer, n, 0);
    if (rc == 0)
        rc = run(indexer, n, 1);
    return rc == 0 ? 0 : 1;
}
