/* sources.c: what to read. A directory is walked (sorted, so runs are
 * repeatable) for .html/.htm pages whose id is their path below it, each
 * with the signature of its file (folder, size and time); a .jsonl/.ndjson
 * file or "-" gives one document per line. Pages and documents go to the
 * writer. Every rejected document is named with its file (and line) and
 * the reason; the run goes on. */
#include "indexer.h"

#include "docfile.h"

#include "jsonl.h"

#include <errno.h>
#include <fts.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static int has_ext(const char *path, const char *ext)
{
    size_t n = strlen(path), e = strlen(ext);
    return n > e && strcasecmp(path + n - e, ext) == 0;
}

/* A page or a document (PDF, OpenDocument, Office, EPUB): what a folder's
 * files are indexed for. */
static int is_page(const char *path)
{
    return has_ext(path, ".html") || has_ext(path, ".htm") || docfile_format_of(path);
}

static int is_jsonl(const char *path)
{
    return has_ext(path, ".jsonl") || has_ext(path, ".ndjson");
}

static void reject(struct indexer *ix, const char *where, unsigned long line, const char *why)
{
    progress_reject(&ix->progress, where, line, why);
    ix->n.rejected++;
}

static int index_page(struct indexer *ix, const char *origin, const char *path,
                      const char *id)
{
    char *source = NULL;   /* folder, size and time; as long as the folder's path */
    struct stat st = {0};
    if (stat(path, &st) == 0 &&
        asprintf(&source, "%s|%lld:%lld.%09ld", origin, (long long)st.st_size,
                 (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec) < 0) {
        fprintf(stderr, "indexer: out of memory\n");
        return -1;
    }
    ix->progress.bytes += (unsigned long long)st.st_size;
    int rc = writer_page(ix, path, id, source);
    free(source);
    return rc;
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
        else
            rc = writer_doc(ix, &d, name, lineno);
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
        } else if ((e->fts_info == FTS_F || e->fts_info == FTS_SL) && is_page(e->fts_path)) {
            const char *id = e->fts_path + root_len;
            while (*id == '/')
                id++;
            rc = index_page(ix, origin, e->fts_path, id);
        }
    }
    fts_close(fts);
    return rc == 0 && ix->prune ? writer_prune(ix, origin) : rc;
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
    if (is_page(source)) {
        const char *base = strrchr(source, '/');
        char origin[PATH_MAX];
        if (!realpath(source, origin))
            snprintf(origin, sizeof origin, "%s", source);
        return index_page(ix, origin, source, base ? base + 1 : source);
    }
    fprintf(stderr,
            "indexer: %s: not a directory, an .html/.htm page, a document (.pdf, .odt, .ods, "
            ".odp, .docx, .xlsx, .pptx, .epub) or a .jsonl/.ndjson file\n",
            source);
    return -1;
}
