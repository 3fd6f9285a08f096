/* static_files.c: loading the page's files. Kept in memory (they are a few
 * kilobytes) with a strong ETag each, so a browser revalidates for free. */
#include "static_files.h"

#include "schema.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define STATIC_MAX (4 * 1024 * 1024)

static const char *type_of(const char *name)
{
    static const char *const types[][2] = {
        {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},   {".json", "application/json; charset=utf-8"},
        {".svg", "image/svg+xml"},             {".png", "image/png"},
        {".ico", "image/x-icon"},              {".txt", "text/plain; charset=utf-8"}};
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i][0]) == 0)
            return types[i][1];
    return NULL;
}

static int load_one(struct static_file *f, const char *dir, const char *name, char *err,
                    size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "rb");
    struct stat st;
    if (!fp || fstat(fileno(fp), &st) < 0 || st.st_size > STATIC_MAX) {
        snprintf(err, errlen, "%s: %s", path, fp ? "too large" : strerror(errno));
        if (fp)
            fclose(fp);
        return -1;
    }
    f->data = malloc((size_t)st.st_size + 1);
    f->name = strdup(name);
    size_t got = f->data ? fread(f->data, 1, (size_t)st.st_size, fp) : 0;
    fclose(fp);
    if (!f->data || !f->name || got != (size_t)st.st_size) {
        snprintf(err, errlen, "%s: cannot read", path);
        return -1;
    }
    f->len = got;
    char hex[17];
    schema_hash_hex(f->data, f->len, hex);
    snprintf(f->etag, sizeof f->etag, "\"%s\"", hex);
    return 0;
}

int static_load(struct static_files *s, const char *dir, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "%s: %s", dir, strerror(errno));
        return -1;
    }
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d))) {
        if (e->d_name[0] == '.' || !type_of(e->d_name))
            continue;
        struct static_file *files = realloc(s->files, (s->n + 1) * sizeof *files);
        if (!files) {
            rc = -1;
            break;
        }
        s->files = files;
        memset(&s->files[s->n], 0, sizeof s->files[s->n]);
        s->files[s->n].type = type_of(e->d_name);
        rc = load_one(&s->files[s->n], dir, e->d_name, err, errlen);
        s->n++;
    }
    closedir(d);
    if (rc < 0)
        static_dispose(s);
    return rc;
}

const struct static_file *static_find(const struct static_files *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->files[i].name, name) == 0)
            return &s->files[i];
    return NULL;
}

void static_dispose(struct static_files *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->files[i].name);
        free(s->files[i].data);
    }
    free(s->files);
    memset(s, 0, sizeof *s);
}
