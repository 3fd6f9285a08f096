/* zip_members.h: for the fuzz targets of the zip-based readers, an input
 * read as members (\1NAME\2BYTES…) and zipped, stored, by libzip: the
 * fuzzer's changes then reach the XML inside instead of failing the
 * archive's checksums. Included by one target each, hence static. */
#ifndef FUZZ_ZIP_MEMBERS_H
#define FUZZ_ZIP_MEMBERS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

/* The members of in[0..n) as a stored zip archive, made by libzip, into
 * *out (malloc'd). 0, or -1 when none could be made. */
static int zip_members(char **out, size_t *len, const uint8_t *in, size_t n)
{
    zip_error_t ze;
    zip_stat_t st;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    zip_t *za = src ? zip_open_from_source(src, ZIP_TRUNCATE, &ze) : NULL;
    zip_error_fini(&ze);
    *out = NULL;
    if (!za) {
        if (src)
            zip_source_free(src);
        return -1;
    }
    zip_source_keep(src);   /* read back after zip_close */
    for (const uint8_t *p = memchr(in, 1, n), *end = in + n; p;) {
        const uint8_t *sep = memchr(p + 1, 2, (size_t)(end - p - 1));
        if (!sep)
            break;
        const uint8_t *next = memchr(sep + 1, 1, (size_t)(end - sep - 1));
        char name[256];
        size_t nl = (size_t)(sep - p - 1);
        snprintf(name, sizeof name, "%.*s", (int)(nl < 255 ? nl : 255), (const char *)p + 1);
        size_t bytes = (size_t)((next ? next : end) - sep - 1);
        zip_source_t *m = zip_source_buffer(za, sep + 1, bytes, 0);
        zip_int64_t i = m ? zip_file_add(za, name, m, 0) : -1;
        if (i < 0 && m)
            zip_source_free(m);
        if (i >= 0)
            zip_set_file_compression(za, (zip_uint64_t)i, ZIP_CM_STORE, 0);
        p = next;
    }
    if (zip_close(za) < 0) {
        zip_discard(za);
        zip_source_free(src);
        return -1;
    }
    int rc = -1;
    if (zip_source_stat(src, &st) == 0 && st.size > 0 && zip_source_open(src) == 0) {
        *out = malloc(st.size);
        rc = *out && zip_source_read(src, *out, st.size) == (zip_int64_t)st.size ? 0 : -1;
        zip_source_close(src);
    }
    zip_source_free(src);
    if (rc < 0) {
        free(*out);
        *out = NULL;
    }
    *len = rc == 0 ? st.size : 0;
    return rc;
}

#endif
