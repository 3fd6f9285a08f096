/* crawl.c: --crawl: a site read over HTTP. Each start URL (a page, or a
 * sitemap) sets a scope: its host, and the path up to its last '/'. The
 * pages come from the sitemaps (those named by robots.txt, and sitemap
 * indexes' children) and from the links of the pages read, in scope and as
 * robots.txt allows; one request at a time, the delay between them kept.
 *
 * What a crawl knows of a page is kept with it in the index, as its source
 * signature (SLOT_SOURCE, never part of the document's JSON): its URL, id,
 * ETag, Last-Modified, its sitemap's lastmod and the links it had. The next
 * crawl asks with If-None-Match/If-Modified-Since, so an unchanged page is
 * a 304 with no body and no parsing, and follows the links the page had;
 * one whose sitemap lastmod has not moved is not asked for at all. A page
 * of an earlier crawl that the crawl no longer reaches (a 404 or 410, or
 * no longer linked nor listed) is deleted; one that fails (5xx, a timeout)
 * is kept as it was, and said. */
#include "indexer.h"

#include "analysis_lang.h"
#include "html_extract.h"
#include "robots.h"
#include "schema.h"
#include "sitemap.h"
#include "url.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SOURCE_TAG "crawl"   /* a crawled page's source signature begins so */
#define REDIRECTS_MAX 5
#define SITEMAPS_MAX 1000    /* sitemap files read in one crawl */
#define ORIGINS_MAX 16

/* A page an earlier crawl indexed, as its source signature tells. */
struct old_page {
    char *sig;               /* the signature, its fields cut in place */
    const char *url, *id, *etag, *last_modified, *sitemap_lastmod;
    const char *links;       /* '\n'-separated, or "" */
};

struct origin {
    char *origin;            /* scheme://host[:port] */
    struct robots *robots;   /* NULL: none (allows everything) */
    int unreachable;         /* robots.txt could not be read: nothing fetched */
};

struct queue {
    char **v;
    size_t head, n, cap;
};

struct crawl {
    struct indexer *ix;
    const struct crawl_options *o;
    struct fetcher *f;
    char **starts;           /* canonical */
    int nstarts;
    struct origin origins[ORIGINS_MAX];
    size_t norigins;
    struct old_page *old;
    size_t nold, old_cap;
    json_t *old_by_url;      /* url → index into old */
    json_t *lastmod;         /* url → its sitemap's lastmod */
    struct queue pages, sitemaps;
    struct seen queued, sitemaps_queued, reached, written;
    struct crawl_counts n;
    int incomplete;          /* a scope not wholly crawled: delete nothing */
    int failed;              /* out of memory, or the index failed */
};

/* ---- small helpers ---- */

static int push(struct queue *q, const char *s)
{
    if (q->n == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 256;
        char **v = realloc(q->v, cap * sizeof *v);
        if (!v)
            return -1;
        q->v = v;
        q->cap = cap;
    }
    if (!(q->v[q->n] = strdup(s)))
        return -1;
    q->n++;
    return 0;
}

/* The next string (the caller's), or NULL. */
static char *pop(struct queue *q)
{
    return q->head < q->n ? q->v[q->head++] : NULL;
}

static void queue_dispose(struct queue *q)
{
    for (size_t i = q->head; i < q->n; i++)
        free(q->v[i]);
    free(q->v);
    memset(q, 0, sizeof *q);
}

static int in_scope(const struct crawl *c, const char *url)
{
    for (int i = 0; i < c->nstarts; i++)
        if (url_in_scope(url, c->starts[i]))
            return 1;
    return 0;
}

/* "scheme://host[:port]" of a canonical URL into out. */
static void origin_of(const char *url, char *out, size_t outlen)
{
    const char *p = strstr(url, "://");
    p = p ? strchr(p + 3, '/') : NULL;
    size_t n = p ? (size_t)(p - url) : strlen(url);
    snprintf(out, outlen, "%.*s", (int)(n < outlen ? n : outlen - 1), url);
}

static void note(struct crawl *c, const char *url, const char *what)
{
    progress_note(&c->ix->progress, url, 0, what);
}

/* A request, counted. */
static int get(struct crawl *c, struct fetch_result *r, const char *url, const char *etag,
               const char *last_modified)
{
    c->n.requests++;
    progress_crawl(&c->ix->progress, &c->n, url);
    return fetcher_get(c->f, r, url, etag, last_modified);
}

/* ---- what earlier crawls left ---- */

static int load_old(void *ctx, unsigned docid, const char *value, size_t len)
{
    struct crawl *c = ctx;
    (void)docid;
    size_t tag = strlen(SOURCE_TAG);
    if (len <= tag || memcmp(value, SOURCE_TAG "\n", tag + 1) != 0)
        return 0;   /* a page from a folder */
    if (c->nold == c->old_cap) {
        size_t cap = c->old_cap ? c->old_cap * 2 : 256;
        struct old_page *p = realloc(c->old, cap * sizeof *p);
        if (!p)
            return c->failed = 1;
        c->old = p;
        c->old_cap = cap;
    }
    struct old_page *o = &c->old[c->nold];
    memset(o, 0, sizeof *o);
    if (!(o->sig = strndup(value, len)))
        return c->failed = 1;
    const char **fields[] = {&o->url, &o->id, &o->etag, &o->last_modified, &o->sitemap_lastmod};
    char *p = o->sig + tag + 1;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        char *nl = strchr(p, '\n');
        *fields[i] = p;
        if (!nl) {
            p += strlen(p);
            continue;
        }
        *nl = '\0';
        p = nl + 1;
    }
    o->links = p;
    if (!*o->url || !*o->id) {
        free(o->sig);
        return 0;
    }
    json_object_set_new(c->old_by_url, o->url, json_integer((json_int_t)c->nold));
    c->nold++;
    return 0;
}

static struct old_page *old_of(struct crawl *c, const char *url)
{
    json_t *i = json_object_get(c->old_by_url, url);
    return i ? &c->old[json_integer_value(i)] : NULL;
}

/* ---- robots.txt ---- */

static struct origin *origin_for(struct crawl *c, const char *url)
{
    char o[URL_MAX];
    origin_of(url, o, sizeof o);
    for (size_t i = 0; i < c->norigins; i++)
        if (strcmp(c->origins[i].origin, o) == 0)
            return &c->origins[i];
    if (c->norigins == ORIGINS_MAX)
        return NULL;
    struct origin *g = &c->origins[c->norigins];
    memset(g, 0, sizeof *g);
    if (!(g->origin = strdup(o)))
        return NULL;
    c->norigins++;
    char robots_url[URL_MAX + 16];
    snprintf(robots_url, sizeof robots_url, "%s/robots.txt", o);
    struct fetch_result r;
    int rc = get(c, &r, robots_url, NULL, NULL);
    /* Redirects are followed, five at most (RFC 9309 2.3.1.2). */
    for (int hops = 0; rc == 0 && r.status >= 300 && r.status < 400 && r.location && hops < 5;
         hops++) {
        char *next = NULL;
        if (url_resolve(&next, robots_url, r.location) < 0)
            break;
        fetch_result_dispose(&r);
        rc = get(c, &r, next, NULL, NULL);
        free(next);
    }
    if (rc == 0 && r.status >= 300 && r.status < 400)
        r.status = 404;   /* redirected past five: as if there were none */
    if (rc == 0 && r.status >= 200 && r.status < 300) {
        if (robots_parse(&g->robots, r.body, r.len, c->o->user_agent) < 0)
            c->failed = 1;
    } else if (rc == 0 && r.status >= 400 && r.status < 500) {
        g->robots = NULL;   /* none: everything allowed (RFC 9309 2.3.1.3) */
    } else {
        /* Unreachable: take it as disallowing everything (2.3.1.4). */
        g->unreachable = 1;
        char why[URL_MAX + 400];
        snprintf(why, sizeof why, "robots.txt could not be read (%s): nothing fetched from %s",
                 rc < 0 ? r.err : "the server failed", o);
        note(c, robots_url, why);
        c->incomplete = 1;
    }
    fetch_result_dispose(&r);
    return g;
}

static int allowed(struct crawl *c, const char *url)
{
    struct origin *g = origin_for(c, url);
    if (!g || g->unreachable)
        return 0;
    char *id = NULL;
    int ok = url_id(&id, url) == 0 && robots_allowed(g->robots, id);
    free(id);
    return ok;
}

/* ---- queueing ---- */

static void queue_page(struct crawl *c, const char *url)
{
    if (!in_scope(c, url) || seen_has(&c->queued, url))
        return;
    if (seen_add(&c->queued, url) < 0 || push(&c->pages, url) < 0)
        c->failed = 1;
}

/* The links of an unchanged page, as the crawl that read it kept them. */
static void queue_old_links(struct crawl *c, const struct old_page *o)
{
    const char *p = o->links;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char *u = strndup(p, n);
        if (!u) {
            c->failed = 1;
            return;
        }
        queue_page(c, u);
        free(u);
        p += n + (nl != NULL);
    }
}

static void queue_sitemap(struct crawl *c, const char *url)
{
    char *u = NULL;
    if (url_normalize(&u, url) < 0)
        return;
    if (!seen_has(&c->sitemaps_queued, u) && c->sitemaps_queued.n < SITEMAPS_MAX &&
        (seen_add(&c->sitemaps_queued, u) < 0 || push(&c->sitemaps, u) < 0))
        c->failed = 1;
    free(u);
}

/* A sitemap: its pages (in scope) queued with their lastmod, or its
 * sitemaps when it is an index. */
static void read_sitemap(struct crawl *c, const char *url)
{
    if (!allowed(c, url))
        return;
    struct fetch_result r;
    struct sitemap sm = {0};
    lib_error err = {0};
    if (get(c, &r, url, NULL, NULL) < 0 || r.status != 200) {
        char why[300];
        snprintf(why, sizeof why, "sitemap not read: %s",
                 r.status ? "the server answered with an error" : r.err);
        if (r.status == 404 || r.status == 410)
            snprintf(why, sizeof why, "sitemap not found (%ld)", r.status);
        note(c, url, why);
        c->incomplete |= r.status != 404 && r.status != 410;
        fetch_result_dispose(&r);
        return;
    }
    int rc = sitemap_parse(&sm, r.body, r.len, &err);
    if (rc == LIB_E_NOMEM)
        c->failed = 1;
    else if (rc < 0)
        note(c, url, err.message);
    for (size_t i = 0; i < sm.n; i++) {
        char *u = NULL;
        if (url_normalize(&u, sm.e[i].loc) < 0)
            continue;
        if (sm.is_index) {
            queue_sitemap(c, u);
        } else if (in_scope(c, u)) {
            if (sm.e[i].lastmod)
                json_object_set_new(c->lastmod, u, json_string(sm.e[i].lastmod));
            queue_page(c, u);
        }
        free(u);
    }
    if (sm.dropped) {
        char why[128];
        snprintf(why, sizeof why, "%zu entries past the 50,000 a sitemap may hold: not read",
                 sm.dropped);
        note(c, url, why);
    }
    sitemap_dispose(&sm);
    fetch_result_dispose(&r);
}

/* ---- one page ---- */

/* The signature kept with the page (see the top of the file). */
static char *signature(const char *url, const char *id, const struct fetch_result *r,
                       const char *sitemap_lastmod, const struct buf *links)
{
    char *s = NULL;
    if (asprintf(&s, SOURCE_TAG "\n%s\n%s\n%s\n%s\n%s\n%.*s", url, id, r->etag ? r->etag : "",
                 r->last_modified ? r->last_modified : "", sitemap_lastmod ? sitemap_lastmod : "",
                 (int)links->len, links->data ? links->data : "") < 0)
        return NULL;
    /* A header value with a line break would break the fields apart. */
    for (char *p = s; *p; p++)
        if (*p == '\r')
            *p = ' ';
    return s;
}

/* The links of a page read, resolved, in scope: queued unless nofollow,
 * and kept for its signature. */
static int take_links(struct crawl *c, const char *url, const struct html_links *l, int follow,
                      struct buf *kept)
{
    char *base = NULL;
    if (l->base && url_resolve(&base, url, l->base) < 0)
        base = NULL;
    for (size_t i = 0; i < l->n; i++) {
        char *u = NULL;
        if (url_resolve(&u, base ? base : url, l->href[i]) < 0)
            continue;
        if (in_scope(c, u)) {
            if (follow)
                queue_page(c, u);
            if ((kept->len && buf_putc(kept, '\n') < 0) || buf_puts(kept, u) < 0) {
                free(u);
                free(base);
                return -1;
            }
        }
        free(u);
    }
    free(base);
    return 0;
}

/* A document file (PDF, …) fetched: read by docread from a memory file. */
static int read_document(struct crawl *c, struct doc *d, const char *format,
                         const struct fetch_result *r, lib_error *why)
{
    if (!c->ix->page.doc_reader)
        return lib_error_set(why, LIB_E_INVALID, "the document reader %s is not installed "
                             "beside the indexer", DOCFILE_READER);
    return docfile_extract_bytes(d, c->ix->page.doc_reader, format, r->body, r->len,
                                 &c->ix->page.doc_limits, why);
}

/* A page answered 200: extracted and handed to the workers. */
static void index_page(struct crawl *c, const char *url, const struct fetch_result *r)
{
    struct doc d = {0};
    struct html_links links = {0};
    struct buf kept = BUF_INIT;
    lib_error why = {0};
    char *canonical = NULL, *id = NULL, *sig = NULL;
    const char *format = r->content_type ? docfile_format_of_type(r->content_type) : NULL;
    int html = !format && (!r->content_type || strncasecmp(r->content_type, "text/html", 9) == 0 ||
                           strncasecmp(r->content_type, "application/xhtml+xml", 21) == 0);
    int rc;
    c->n.fetched++;
    if (!format && !html) {
        c->n.skipped++;   /* an image, a style sheet: nothing to index */
        return;
    }
    rc = format ? read_document(c, &d, format, r, &why)
                : html_extract_links(&d, &links, r->body, r->len, &why);
    if (rc == LIB_E_NOMEM)
        goto oom;
    if (rc < 0) {
        progress_reject(&c->ix->progress, url, 0, why.message);
        c->ix->n.rejected++;
        goto cleanup;
    }
    d.noindex |= html_robots_says(r->x_robots_tag, "noindex");
    int follow = !links.nofollow && !html_robots_says(r->x_robots_tag, "nofollow");
    if (take_links(c, url, &links, follow, &kept) < 0)
        goto oom;
    /* The canonical URL names the page, when it lies in the crawl. */
    if (d.url && url_resolve(&canonical, url, d.url) == 0 && !in_scope(c, canonical)) {
        free(canonical);
        canonical = NULL;
    }
    if (url_id(&id, canonical ? canonical : url) < 0)
        goto oom;
    if (seen_has(&c->reached, id)) {   /* written, or kept unchanged, already */
        char what[URL_MAX + 64];
        snprintf(what, sizeof what, "the same page as %s (its canonical URL): not indexed twice",
                 canonical ? canonical : id);
        note(c, url, what);
        c->n.skipped++;
        goto cleanup;
    }
    json_t *lm = json_object_get(c->lastmod, url);
    if (!(sig = signature(url, id, r, json_string_value(lm), &kept)) ||
        seen_add(&c->written, id) < 0 || seen_add(&c->reached, id) < 0 ||
        doc_set(&d.url, canonical ? canonical : url, strlen(canonical ? canonical : url),
                DOC_FIELD_MAX) < 0 ||
        doc_set(&d.id, id, strlen(id), DOC_ID_MAX) < 0)
        goto oom;
    free(d.source);
    d.source = sig;
    sig = NULL;
    /* A page that names no type takes its first folder's, as from a
     * folder of files: /nyheter/x.html is a "nyheter". */
    const char *second = strchr(id + 1, '/');
    if (!d.type && second && second > id + 1 &&
        doc_set(&d.type, id + 1, (size_t)(second - id - 1), 64) < 0)
        goto oom;
    if (an_lang_overrule(&d)) {
        char what[128];
        an_lang_overrule_note(d.lang_declared, what, sizeof what);
        note(c, url, what);
    }
    if (writer_doc(c->ix, &d, url, 0) < 0)
        c->failed = 1;
    goto cleanup;
oom:
    c->failed = 1;
cleanup:
    doc_dispose(&d);
    html_links_dispose(&links);
    buf_dispose(&kept);
    free(canonical);
    free(id);
    free(sig);
}

/* An earlier crawl's page kept as it is: reached, its links followed. */
static void keep_old(struct crawl *c, const struct old_page *o)
{
    if (seen_add(&c->reached, o->id) < 0)
        c->failed = 1;
    queue_old_links(c, o);
}

/* One URL of the queue: fetched (redirects followed within the crawl),
 * then indexed, kept or let go. */
static void crawl_page(struct crawl *c, const char *start_url)
{
    char *url = strdup(start_url);
    struct fetch_result r = {0};
    struct seen chain = {0};   /* the URLs this one redirected through */
    if (!url) {
        c->failed = 1;
        return;
    }
    for (int hops = 0;; hops++) {
        if (seen_add(&chain, url) < 0) {
            c->failed = 1;
            break;
        }
        if (!allowed(c, url)) {
            c->n.disallowed++;
            break;
        }
        struct old_page *o = c->ix->rebuild ? NULL : old_of(c, url);
        json_t *lm = json_object_get(c->lastmod, url);
        if (o && lm && *o->sitemap_lastmod && strcmp(json_string_value(lm), o->sitemap_lastmod) == 0) {
            c->n.sitemap_unchanged++;   /* no request at all */
            keep_old(c, o);
            break;
        }
        int rc = get(c, &r, url, o ? o->etag : NULL, o ? o->last_modified : NULL);
        if (rc == 0 && r.status == 304 && o) {
            c->n.not_modified++;
            keep_old(c, o);
        } else if (rc == 0 && r.status == 200) {
            index_page(c, url, &r);
        } else if (rc == 0 && r.status >= 300 && r.status < 400 && r.location) {
            char *next = NULL;
            if (url_resolve(&next, url, r.location) < 0 || !in_scope(c, next)) {
                note(c, url, "redirects out of the crawl: not followed");
                c->n.skipped++;
            } else if (seen_has(&chain, next)) {
                note(c, start_url, "redirects in a loop: not followed");
                c->n.failed++;
            } else if (hops == REDIRECTS_MAX) {
                note(c, start_url, "more than 5 redirects: not followed");
                c->n.failed++;
            } else if (seen_has(&c->queued, next)) {
                ;   /* crawled on its own */
            } else if (seen_add(&c->queued, next) < 0) {
                c->failed = 1;
            } else {
                fetch_result_dispose(&r);
                free(url);
                url = next;
                continue;
            }
            free(next);
        } else if (rc == 0 && (r.status == 404 || r.status == 410)) {
            c->n.gone++;   /* deleted at the end, if it was indexed */
        } else {
            char why[400];
            if (rc < 0)
                snprintf(why, sizeof why, "%s: kept as it was", r.err);
            else
                snprintf(why, sizeof why, "the server answered %ld: kept as it was", r.status);
            note(c, url, why);
            c->n.failed++;
            if (o)
                keep_old(c, o);
        }
        break;
    }
    fetch_result_dispose(&r);
    seen_dispose(&chain);
    free(url);
}

/* ---- the run ---- */

/* The pages of earlier crawls in scope that this one did not reach. */
static int delete_unreached(struct crawl *c)
{
    char err[512];
    for (size_t i = 0; i < c->nold; i++) {
        const struct old_page *o = &c->old[i];
        if (!in_scope(c, o->url) || seen_has(&c->reached, o->id) ||
            seen_has(&c->written, o->id))
            continue;
        if (writer_delete(c->ix, o->id, err, sizeof err) < -1) {
            fprintf(stderr, "indexer: %s\n", err);
            return -1;
        }
    }
    return 0;
}

static int crawl_all(struct crawl *c)
{
    for (int i = 0; i < c->nstarts && !c->failed; i++) {
        const char *s = c->starts[i];
        size_t n = strlen(s);
        struct origin *g = origin_for(c, s);
        const char *const *maps = NULL;
        size_t nmaps = g ? robots_sitemaps(g->robots, &maps) : 0;
        char o[URL_MAX];
        origin_of(s, o, sizeof o);
        for (size_t k = 0; k < nmaps; k++)
            if (strncmp(maps[k], o, strlen(o)) == 0)   /* the site's own */
                queue_sitemap(c, maps[k]);
        if ((n > 4 && strcmp(s + n - 4, ".xml") == 0) || (n > 7 && strcmp(s + n - 7, ".xml.gz") == 0))
            queue_sitemap(c, s);
        else
            queue_page(c, s);
    }
    /* The fetcher keeps the slowest delay any robots.txt asks for. */
    for (size_t i = 0; i < c->norigins; i++) {
        double d = robots_crawl_delay(c->origins[i].robots);
        fetcher_slow_down(c->f, d > 60 ? 60 : d);
    }
    char *u;
    while (!c->failed && (u = pop(&c->sitemaps))) {
        read_sitemap(c, u);
        free(u);
    }
    while (!c->failed && (u = pop(&c->pages))) {
        if (c->n.fetched + c->n.not_modified + c->n.failed >= c->o->limit) {
            free(u);
            c->incomplete = 1;
            char what[64];
            snprintf(what, sizeof what, "the crawl limit of %u pages was reached", c->o->limit);
            note(c, "crawl", what);
            break;
        }
        crawl_page(c, u);
        free(u);
    }
    if (c->failed)
        return -1;
    if (c->incomplete) {
        note(c, "crawl", "not every page could be reached: no page was deleted");
        return 0;
    }
    return delete_unreached(c);
}

static void crawl_dispose(struct crawl *c)
{
    fetcher_free(c->f);
    for (int i = 0; i < c->nstarts; i++)
        free(c->starts[i]);
    free(c->starts);
    for (size_t i = 0; i < c->norigins; i++) {
        free(c->origins[i].origin);
        robots_free(c->origins[i].robots);
    }
    for (size_t i = 0; i < c->nold; i++)
        free(c->old[i].sig);
    free(c->old);
    json_decref(c->old_by_url);
    json_decref(c->lastmod);
    queue_dispose(&c->pages);
    queue_dispose(&c->sitemaps);
    seen_dispose(&c->queued);
    seen_dispose(&c->sitemaps_queued);
    seen_dispose(&c->reached);
    seen_dispose(&c->written);
}

int crawl_run(struct indexer *ix, const struct crawl_options *o, char **starts, int n)
{
    struct crawl c = {.ix = ix, .o = o};
    char err[512];
    int rc = 0;
    c.starts = calloc((size_t)n, sizeof *c.starts);
    c.old_by_url = json_object();
    c.lastmod = json_object();
    if (!c.starts || !c.old_by_url || !c.lastmod) {
        crawl_dispose(&c);
        fprintf(stderr, "indexer: out of memory\n");
        return 2;
    }
    for (int i = 0; i < n; i++, c.nstarts++)
        if (url_normalize(&c.starts[i], starts[i]) < 0) {
            fprintf(stderr, "indexer: --crawl %s: not an http or https URL\n", starts[i]);
            crawl_dispose(&c);
            return 2;
        }
    struct fetch_options fo = {o->user_agent, o->timeout_s, o->page_max_bytes, o->delay_s};
    if (fetcher_new(&c.f, &fo) < 0 || writer_open(ix, err, sizeof err) < 0) {
        fprintf(stderr, "indexer: %s\n", c.f ? err : "cannot start the HTTP client");
        crawl_dispose(&c);
        return 2;
    }
    progress_start(&ix->progress, ix->quiet);
    if (ix->reader && !ix->rebuild &&
        (xc_db_each_value(ix->reader, SLOT_SOURCE, load_old, &c, NULL) < 0 || c.failed)) {
        fprintf(stderr, "indexer: cannot read what earlier crawls kept\n");
        rc = -1;
    }
    if (rc == 0)
        rc = crawl_all(&c);
    if (rc == 0 && writer_finish(ix, err, sizeof err) < 0) {
        fprintf(stderr, "indexer: %s\n", err);
        rc = -1;
    } else if (rc < 0) {
        if (c.failed)
            fprintf(stderr, "indexer: out of memory, or the index could not be written\n");
        if (!ix->rebuild)
            writer_commit(ix, err, sizeof err);   /* keep what was done */
    }
    progress_clear(&ix->progress);
    if (!ix->quiet) {
        double secs = progress_now() - ix->progress.started;
        printf("crawled %lu requests: fetched %lu, not modified %lu, unchanged in the sitemap %lu, "
               "gone %lu, failed %lu, disallowed %lu, skipped %lu in %.2f s (%.1f requests/s)\n",
               c.n.requests, c.n.fetched, c.n.not_modified, c.n.sitemap_unchanged, c.n.gone,
               c.n.failed, c.n.disallowed, c.n.skipped, secs,
               secs > 0 ? (double)c.n.requests / secs : 0.0);
        progress_summary(&ix->progress, &ix->n, stdout);
    }
    progress_recap(&ix->progress, &ix->n);
    int failed_pages = c.n.failed != 0;
    crawl_dispose(&c);
    if (rc < 0)
        return 2;
    return ix->n.rejected || failed_pages ? 1 : 0;
}
