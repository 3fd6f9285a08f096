/* sources.c: SOURCEs → docs. A directory is walked (sorted, so runs are
 * repeatable) for .html/.htm pages whose id is their path below it; a
 * .jsonl/.ndjson file or "-" gives one document per line. Every rejected
 * document is named with its file (and line) and the reason; the run goes on. */
#include "indexer.h"

#include "doc_data.h"
#include "html_extract.h"
#include "index_write.h"
#include "jsonl.h"
#include "schema.h"

#include <errno.h>
#include <fts.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define FILE_MAX (64UL * 1024 * 1024)   /* a page larger than this is rejected */

static int has_ext(const char *path, const char *ext)
{
    size_t n = strlen(path), e = strlen(ext);
    return n > e && strcasecmp(path + n - e, ext) == 0;
}

static int is_html(const char *path)
{
    return has_ext(path, ".html") || has_ext(path, ".htm");
}

static int is_jsonl(const char *path)
{
    return has_ext(path, ".jsonl") || has_ext(path, ".ndjson");
}

/* Reads a whole file; -1 with errno-based reason in err. */
int sources_read_file(const char *path, char **out, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    *out = NULL;
    if (!f) {
        snprintf(err, errlen, "cannot open: %s", strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "not a regular file");
        fclose(f);
        return -1;
    }
    if ((unsigned long long)st.st_size > FILE_MAX) {
        snprintf(err, errlen, "file is %lld bytes, over the limit of %lu", (long long)st.st_size,
                 FILE_MAX);
        fclose(f);
        return -1;
    }
    char *data = malloc((size_t)st.st_size + 1);
    size_t got = data ? fread(data, 1, (size_t)st.st_size, f) : 0;
    int bad = !data || ferror(f);
    fclose(f);
    if (bad) {
        snprintf(err, errlen, "%s", data ? "read error" : "out of memory");
        free(data);
        return -1;
    }
    data[got] = '\0';
    *out = data;
    *len = got;
    return 0;
}

static void reject(struct indexer *ix, const char *where, unsigned long line, const char *why)
{
    progress_reject(&ix->progress, where, line, why);
    ix->n.rejected++;
}

/* The page's type when it declares none: the first folder of its id, or
 * the folder the file lies in. */
static int default_type(struct doc *d, const char *id, const char *path)
{
    const char *slash = strchr(id, '/');
    if (slash)
        return doc_set(&d->type, id, (size_t)(slash - id), 64);
    const char *end = strrchr(path, '/');
    if (!end)
        return 0;
    const char *start = end;
    while (start > path && start[-1] != '/')
        start--;
    return doc_set(&d->type, start, (size_t)(end - start), 64);
}

static int default_url(struct indexer *ix, struct doc *d)
{
    const char *base = ix->base_url ? ix->base_url : "";
    size_t n = strlen(base);
    const char *sep = (n && base[n - 1] == '/') ? "" : "/";
    char *url = NULL;
    if (asprintf(&url, "%s%s%s", base, sep, d->id) < 0)
        return -1;
    int rc = doc_set(&d->url, url, strlen(url), DOC_FIELD_MAX);
    free(url);
    return rc;
}

static int index_page(struct indexer *ix, const char *origin, const char *path,
                      const char *id)
{
    char *source = NULL;   /* folder, size and time; as long as the folder's path */
    struct stat st = {0};
    /* A file whose size and time are those indexed is not read again. */
    if (ix->prune) {
        char term[SCHEMA_TERM_MAX + 1];
        schema_id_term(id, term);
        if (seen_add(&ix->seen, term) < 0) {
            fprintf(stderr, "indexer: out of memory\n");
            return -1;
        }
    }
    if (stat(path, &st) == 0) {
        if (asprintf(&source, "%s|%lld:%lld.%09ld", origin, (long long)st.st_size,
                     (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec) < 0) {
            fprintf(stderr, "indexer: out of memory\n");
            return -1;
        }
        if (iw_source_unchanged(ix->db, id, source)) {
            ix->n.unchanged++;
            ix->progress.bytes += (unsigned long long)st.st_size;
            progress_tick(&ix->progress, &ix->n, path);
            free(source);
            return 0;
        }
    }
    ix->progress.bytes += (unsigned long long)st.st_size;
    int rc = pipeline_page(ix, path, id, source);
    free(source);
    return rc;
}

/* The source signature is kept byte for byte (not cleaned as text is), so
 * that it compares equal to the one the next run builds from the path. */
int sources_finish_page(struct indexer *ix, struct doc *d, const char *id, const char *path,
                        const char *source)
{
    if (source) {
        free(d->source);
        if (!(d->source = strdup(source)))
            return -1;
    }
    if (doc_set(&d->id, id, strlen(id), DOC_ID_MAX) < 0 ||
        (!d->type && default_type(d, id, path) < 0) || (!d->url && default_url(ix, d) < 0))
        return -1;
    return 0;
}

static int index_lines(struct indexer *ix, FILE *f, const char *name)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned long lineno = 0;
    int rc = 0;
    while (rc == 0 && (n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        ix->progress.bytes += (unsigned long)n;
        size_t len = (size_t)n;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r' ||
                       line[len - 1] == ' ' || line[len - 1] == '\t'))
            len--;
        if (len == 0)
            continue;
        lib_error why = {0};
        struct doc d = {0};
        if (jsonl_parse_doc(&d, line, len, &why) < 0)
            reject(ix, name, lineno, why.message);
        else if (!d.url && default_url(ix, &d) < 0)
            rc = -1;
        else
            rc = pipeline_doc(ix, &d, name, lineno);
        doc_dispose(&d);
    }
    if (ferror(f)) {
        fprintf(stderr, "indexer: %s: read error at line %lu\n", name, lineno + 1);
        rc = -1;
    }
    free(line);
    return rc;
}

static int index_jsonl_file(struct indexer *ix, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "indexer: %s: %s\n", path, strerror(errno));
        return -1;
    }
    int rc = index_lines(ix, f, path);
    fclose(f);
    return rc;
}

static int by_name(const FTSENT **a, const FTSENT **b)
{
    return strcmp((*a)->fts_name, (*b)->fts_name);
}

struct prune_scan {
    struct indexer *ix;
    char **terms;       /* id terms of this index not met in this run */
    size_t n, cap;
};

static int collect_unseen(void *ctx, const char *term, size_t len, unsigned freq)
{
    (void)len;
    (void)freq;
    struct prune_scan *p = ctx;
    if (seen_has(&p->ix->seen, term))
        return 0;
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        char **t = realloc(p->terms, cap * sizeof *t);
        if (!t)
            return 1;
        p->terms = t;
        p->cap = cap;
    }
    p->terms[p->n] = strdup(term);
    p->n += p->terms[p->n] != NULL;
    return 0;
}

/* --prune: deletes the pages that came from the folder origin and were not
 * met in this run (their files are gone). Documents from JSON lines, PUT or
 * other folders are left alone. */
static int prune(struct indexer *ix, const char *origin)
{
    struct prune_scan p = {ix, NULL, 0, 0};
    if (pipeline_drain(ix) < 0)
        return -1;
    int rc = xc_wdb_each_term(ix->db, SCHEMA_ID, collect_unseen, &p, NULL) < 0 ? -1 : 0;
    size_t olen = strlen(origin);
    for (size_t i = 0; rc == 0 && i < p.n; i++) {
        xc_doc *d = NULL;
        char *src = NULL, *data = NULL;
        size_t len = 0, dlen = 0;
        if (xc_wdb_get_by_term(ix->db, p.terms[i], &d, NULL) == 0 &&
            xc_doc_get_value(d, SLOT_SOURCE, &src, &len, NULL) == 0 && len > olen &&
            strncmp(src, origin, olen) == 0 && src[olen] == '|' &&
            xc_doc_get_data(d, &data, &dlen, NULL) == 0) {
            json_t *j = NULL;
            (void)doc_data_decode(&j, NULL, NULL, NULL, data, dlen);
            const char *id = json_string_value(json_object_get(j, "id"));
            char err[512];
            if (id && writer_delete(ix, id, err, sizeof err) < 0) {
                fprintf(stderr, "indexer: %s\n", err);
                rc = -1;
            }
            json_decref(j);
        }
        free(src);
        free(data);
        xc_doc_free(d);
    }
    for (size_t i = 0; i < p.n; i++)
        free(p.terms[i]);
    free(p.terms);
    return rc;
}

static int index_dir(struct indexer *ix, const char *dir)
{
    char origin[PATH_MAX];
    if (!realpath(dir, origin)) {
        fprintf(stderr, "indexer: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    char *paths[] = {(char *)dir, NULL};
    FTS *fts = fts_open(paths, FTS_PHYSICAL | FTS_NOCHDIR, by_name);
    if (!fts) {
        fprintf(stderr, "indexer: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    size_t root_len = strlen(dir);
    int rc = 0;
    FTSENT *e;
    while (rc == 0 && (e = fts_read(fts))) {
        if (e->fts_info == FTS_DNR || e->fts_info == FTS_ERR) {
            reject(ix, e->fts_path, 0, strerror(e->fts_errno));
        } else if ((e->fts_info == FTS_F || e->fts_info == FTS_SL) && is_html(e->fts_path)) {
            const char *id = e->fts_path + root_len;
            while (*id == '/')
                id++;
            rc = index_page(ix, origin, e->fts_path, id);
        }
    }
    fts_close(fts);
    return rc == 0 && ix->prune ? prune(ix, origin) : rc;
}

int sources_page(struct indexer *ix, const char *origin, const char *path, const char *id)
{
    return index_page(ix, origin, path, id);
}

int sources_index(struct indexer *ix, const char *source)
{
    if (strcmp(source, "-") == 0)
        return index_lines(ix, stdin, "<stdin>");
    struct stat st;
    if (stat(source, &st) < 0) {
        fprintf(stderr, "indexer: %s: %s\n", source, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode))
        return index_dir(ix, source);
    if (is_jsonl(source))
        return index_jsonl_file(ix, source);
    if (is_html(source)) {
        const char *base = strrchr(source, '/');
        char origin[PATH_MAX];
        if (!realpath(source, origin))
            snprintf(origin, sizeof origin, "%s", source);
        return index_page(ix, origin, source, base ? base + 1 : source);
    }
    fprintf(stderr, "indexer: %s: not a directory, .html/.htm page or .jsonl/.ndjson file\n",
            source);
    return -1;
}

int sources_extract(const char *path, FILE *out)
{
    char err[512];
    char *html = NULL;
    size_t len = 0;
    struct doc d = {0};
    lib_error why = {0};
    int rc = sources_read_file(path, &html, &len, err, sizeof err);
    if (rc == 0 && html_extract(&d, html, len, &why) < 0) {
        snprintf(err, sizeof err, "%s", why.message);
        rc = -1;
    }
    if (rc < 0) {
        fprintf(stderr, "indexer: %s: %s\n", path, err);
        free(html);
        doc_dispose(&d);
        return -1;
    }
    const char *base = strrchr(path, '/');
    rc = doc_set(&d.id, base ? base + 1 : path, strlen(base ? base + 1 : path), DOC_ID_MAX);
    json_t *j = NULL;
    if (rc == 0)
        rc = doc_to_json(&j, &d);
    if (rc < 0 || json_dumpf(j, out, JSON_INDENT(2)) < 0)
        rc = -1;
    fputc('\n', out);
    json_decref(j);
    doc_dispose(&d);
    free(html);
    return rc;
}
