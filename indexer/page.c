/* page.c: one page file → a doc: read whole (within a size limit) and
 * extracted, or a document file (PDF, …) read in a child process; then
 * given what the page cannot say itself: its id, the signature of its
 * file, a type from its folder and a URL from its id. */
#include "indexer.h"

#include "analysis_lang.h"
#include "html_extract.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILE_MAX (64UL * 1024 * 1024)   /* a page larger than this is rejected */

int page_read_file(const char *path, char **out, size_t *len, char *err, size_t errlen)
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

int page_default_url(struct doc *d, const char *base_url)
{
    const char *base = base_url ? base_url : "";
    size_t n = strlen(base);
    const char *sep = (n && base[n - 1] == '/') ? "" : "/";
    char *url = NULL;
    if (asprintf(&url, "%s%s%s", base, sep, d->id) < 0)
        return -1;
    int rc = doc_set(&d->url, url, strlen(url), DOC_FIELD_MAX);
    free(url);
    return rc;
}

/* A page file, or a document file read in a child process (docfile.h),
 * into d: 0, or a negative code with why. */
static int extract_file(struct doc *d, const struct page_options *opt, const char *path,
                        lib_error *why)
{
    const char *format = docfile_format_of(path);
    if (format) {
        if (!opt->doc_reader)
            return lib_error_set(why, LIB_E_INVALID, "the document reader %s is not installed "
                                 "beside the indexer", DOCFILE_READER);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return lib_error_set(why, LIB_E_IO, "cannot open: %s", strerror(errno));
        int rc = docfile_extract_isolated(d, opt->doc_reader, format, fd, &opt->doc_limits, why);
        close(fd);
        return rc;
    }
    char *html = NULL, err[512];
    size_t len = 0;
    if (page_read_file(path, &html, &len, err, sizeof err) < 0)
        return lib_error_set(why, LIB_E_IO, "%s", err);
    int rc = html_extract(d, html, len, why);
    free(html);
    return rc;
}

/* The source signature is kept byte for byte (not cleaned as text is), so
 * that it compares equal to the one the next run builds from the path. */
int page_build(struct doc *d, const struct page_options *opt, const char *path, const char *id,
               const char *source, char *err, size_t errlen)
{
    lib_error why = {0};
    int rc = extract_file(d, opt, path, &why);
    if (rc < 0) {
        snprintf(err, errlen, "%s", why.message);
        return rc == LIB_E_NOMEM ? -2 : -1;
    }
    an_lang_overrule(d);
    if (source) {
        free(d->source);
        if (!(d->source = strdup(source)))
            return -2;
    }
    if (doc_set(&d->id, id, strlen(id), DOC_ID_MAX) < 0 ||
        (!d->type && default_type(d, id, path) < 0) ||
        (!d->url && page_default_url(d, opt->base_url) < 0))
        return -2;
    return 0;
}

int page_extract(const struct page_options *opt, const char *path, FILE *out)
{
    struct doc d = {0};
    lib_error why = {0};
    int rc = extract_file(&d, opt, path, &why);
    if (rc < 0) {
        fprintf(stderr, "indexer: %s: %s\n", path, why.message);
        doc_dispose(&d);
        return -1;
    }
    if (an_lang_overrule(&d)) {
        char note[128];
        an_lang_overrule_note(d.lang_declared, note, sizeof note);
        fprintf(stderr, "indexer: %s: %s\n", path, note);
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
    return rc;
}
