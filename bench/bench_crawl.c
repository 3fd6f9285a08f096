/* bench_crawl.c: a first crawl and a recrawl of an unchanged site of N
 * pages (argv[1], default 3,000): the generator's pages (corpus/generate,
 * with the word list argv[2] when given, as make bench passes it), each
 * served on loopback at its path by the tests' web site (tests/support/site.h)
 * with an ETag and Last-Modified and links to the next pages; once with a sitemap
 * whose lastmod lets the recrawl skip pages unasked, once without
 * (conditional requests only). Prints each crawl's wall time and the
 * requests and page bytes the server counted. The programs are $BIN's;
 * the pages and the index go to a fresh temporary directory. */
#include "site.h"
#include "support.h"

#include <fts.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINKS 5

struct pages {
    char **path;   /* "/artikel/0001/slug-1.html": as the generator laid them out */
    char **body;
    size_t n;
};

static int by_name(const FTSENT **a, const FTSENT **b)
{
    return strcmp((*a)->fts_name, (*b)->fts_name);
}

/* The HTML files under dir (in name order, so the same every run), served
 * at their paths below dir, so that the links between them hold. */
static int read_paths(struct pages *p, const char *dir, unsigned n)
{
    char *const roots[] = {(char *)dir, NULL};
    FTS *fts = fts_open(roots, FTS_PHYSICAL | FTS_NOCHDIR, by_name);
    FTSENT *e;
    p->path = calloc(n, sizeof *p->path);
    p->body = calloc(n, sizeof *p->body);
    p->n = 0;
    while (fts && p->path && p->body && p->n < n && (e = fts_read(fts))) {
        size_t len = strlen(e->fts_path);
        if (e->fts_info == FTS_F && len > 5 && strcmp(e->fts_path + len - 5, ".html") == 0 &&
            !(p->path[p->n++] = strdup(e->fts_path + strlen(dir))))
            break;
    }
    if (fts)
        fts_close(fts);
    return p->n == n ? 0 : -1;
}

/* Each page's body, with links to the next LINKS pages before its end, so
 * that every page is reached from the first. */
static int read_pages(struct pages *p, const char *dir, unsigned n)
{
    if (read_paths(p, dir, n) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        char file[1024];
        size_t blen = 0;
        snprintf(file, sizeof file, "%s%s", dir, p->path[i]);
        char *html = file_read_all(file, &blen), *page = NULL;
        if (!html)
            return -1;
        size_t cap = blen + LINKS * 64 + 16;
        /* The links go inside the body, before its end tag. */
        char *end = strstr(html, "</body>");
        size_t head = end ? (size_t)(end - html) : blen;
        cap += LINKS * strlen(p->path[i]) * 2;
        if ((page = malloc(cap))) {
            int k = snprintf(page, cap, "%.*s", (int)head, html);
            for (unsigned j = 1; j <= LINKS; j++)
                k += snprintf(page + k, cap - (size_t)k, "<a href=\"%s\">N</a>",
                              p->path[(i + j) % n]);
            snprintf(page + k, cap - (size_t)k, "%s", html + head);
        }
        free(html);
        if (!(p->body[i] = page))
            return -1;
    }
    return 0;
}

static void pages_dispose(struct pages *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->path[i]);
        free(p->body ? p->body[i] : NULL);
    }
    free(p->path);
    free(p->body);
}

/* The site: the pages, a start page linking to the first, robots.txt and
 * (with_sitemap) a sitemap listing every page. */
static int make_site(struct site *s, const struct pages *pg, int with_sitemap, char **sitemap_out)
{
    char base[64];
    if (site_base(s, base, sizeof base) < 0)
        return -1;
    size_t cap = pg->n * 240 + 512, len = 0;
    char *sm = malloc(cap);
    if (!sm)
        return -1;
    len += (size_t)snprintf(sm + len, cap - len,
                            "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/"
                            "schemas/sitemap/0.9\">");
    for (size_t i = 0; i < pg->n; i++) {
        char etag[32];
        const char *path = pg->path[i];
        snprintf(etag, sizeof etag, "\"v1-%zu\"", i);
        struct site_page p = {.path = path, .body = pg->body[i], .etag = etag,
                              .last_modified = "Mon, 06 Jan 2025 10:00:00 GMT"};
        if (site_set(s, &p) < 0)
            return free(sm), -1;
        len += (size_t)snprintf(sm + len, cap - len,
                                "<url><loc>%s%s</loc><lastmod>2025-01-06</lastmod></url>", base,
                                path);
    }
    len += (size_t)snprintf(sm + len, cap - len, "</urlset>");
    char robots[256], start[600];
    snprintf(start, sizeof start, "<html><h1>Start</h1><a href=\"%s\">Första</a></html>",
             pg->path[0]);
    snprintf(robots, sizeof robots, "User-agent: *\nDisallow:\n%s%s%s\n",
             with_sitemap ? "Sitemap: " : "", with_sitemap ? base : "",
             with_sitemap ? "/sitemap.xml" : "");
    struct site_page pages[] = {
        {.path = "/", .body = start, .etag = "\"start\""},
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
        if (h[i].status == 200 && strcmp(h[i].path, "/robots.txt") != 0 &&
            strcmp(h[i].path, "/sitemap.xml") != 0)
            *page_bytes += h[i].body_bytes;   /* pages: not the 404s of dead links */
    free(h);
}

static int run(const char *indexer, const struct pages *pg, int with_sitemap)
{
    char dir[256], db[512], base[64], *sm = NULL;
    struct site *s = NULL;
    if (tmpdir_make(dir, sizeof dir) < 0 || site_start(&s, NULL, 0) < 0 ||
        make_site(s, pg, with_sitemap, &sm) < 0 || site_base(s, base, sizeof base) < 0) {
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
    const char *words = argc > 2 && argv[2][0] ? argv[2] : NULL;
    char indexer[512], generate[512], dir[256], out[300], count[16];
    prog_path("indexer", indexer, sizeof indexer);
    prog_path("generate", generate, sizeof generate);
    snprintf(count, sizeof count, "%u", n);
    if (n == 0 || tmpdir_make(dir, sizeof dir) < 0)
        return 1;
    snprintf(out, sizeof out, "%s/pages", dir);
    char *gen_words[] = {generate, "--words", (char *)words, count, out, NULL};
    char *gen_plain[] = {generate, count, out, NULL};
    struct pages pg = {NULL, NULL, 0};
    int rc = run_prog(words ? gen_words : gen_plain, NULL, NULL, NULL) == 0 &&
                     read_pages(&pg, out, n) == 0
                 ? 0
                 : -1;
    if (rc < 0)
        fprintf(stderr, "bench_crawl: cannot generate %u pages\n", n);
    size_t bytes = 0;
    for (size_t i = 0; i < pg.n; i++)
        bytes += strlen(pg.body[i]);
    if (rc == 0)
        printf("crawl of %u unchanged generated pages (%.1f MB of HTML) on loopback (first crawl | "
               "recrawl: wall time, requests, page bytes the server sent | first / recrawl)\n",
               n, (double)bytes / 1e6);
    if (rc == 0)
        rc = run(indexer, &pg, 0);
    if (rc == 0)
        rc = run(indexer, &pg, 1);
    pages_dispose(&pg);
    tmpdir_remove(dir);
    return rc == 0 ? 0 : 1;
}
