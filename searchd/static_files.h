/* static_files.h: the search page's files (searchd/www), read into memory
 * once at start. Only files that were in the folder then can be served, by
 * exact name, so no request path can reach anything else.
 */
#ifndef STATIC_FILES_H
#define STATIC_FILES_H

#include <stddef.h>

struct static_file {
    char *name;           /* "index.html" */
    char *data;
    size_t len;
    const char *type;     /* Content-Type */
    char etag[24];
};

struct static_files {
    struct static_file *files;
    size_t n;
};

/* Loads the regular files of dir (not its subfolders). 0, or -1 with err. */
int  static_load(struct static_files *s, const char *dir, char *err, size_t errlen);
const struct static_file *static_find(const struct static_files *s, const char *name);
/* Frees the files and empties s; s itself is the caller's. */
void static_dispose(struct static_files *s);

#endif
