/* zip_write.c: zip archives for the tests, made by libzip into a buffer
 * source (an archive on disk is that buffer written out). A member of zeros
 * is a function source that makes them as libzip deflates them. */
#include "zip_write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

struct zeros {
    zip_uint64_t size, at;
};

/* A source of size zero bytes (libzip's source protocol). */
static zip_int64_t zeros_cb(void *ctx, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
    struct zeros *z = ctx;
    switch (cmd) {
    case ZIP_SOURCE_OPEN:
        z->at = 0;
        return 0;
    case ZIP_SOURCE_READ: {
        zip_uint64_t n = z->size - z->at < len ? z->size - z->at : len;
        memset(data, 0, n);
        z->at += n;
        return (zip_int64_t)n;
    }
    case ZIP_SOURCE_CLOSE:
        return 0;
    case ZIP_SOURCE_STAT: {
        zip_stat_t *st = data;
        zip_stat_init(st);
        st->size = z->size;
        st->valid |= ZIP_STAT_SIZE;
        return sizeof *st;
    }
    case ZIP_SOURCE_ERROR:
        return zip_error_to_data(NULL, data, len);
    case ZIP_SOURCE_FREE:
        free(z);
        return 0;
    case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                              ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE,
                                              -1);
    default:
        return -1;
    }
}

static zip_source_t *member_source(zip_t *za, const struct zw_member *m)
{
    if (m->data)
        return zip_source_buffer(za, m->data, m->len ? m->len : strlen(m->data), 0);
    struct zeros *z = calloc(1, sizeof *z);
    if (!z)
        return NULL;
    z->size = m->len;
    zip_source_t *src = zip_source_function(za, zeros_cb, z);
    if (!src)
        free(z);
    return src;
}

/* Adds m to za: 0, ZW_E_NOCRYPTO or -1. */
static int add_member(zip_t *za, const struct zw_member *m)
{
    zip_source_t *src = member_source(za, m);
    zip_int64_t idx = src ? zip_file_add(za, m->name, src, ZIP_FL_ENC_UTF_8) : -1;
    if (idx < 0) {
        if (src)
            zip_source_free(src);
        fprintf(stderr, "zip_write: cannot add %s: %s\n", m->name, zip_strerror(za));
        return -1;
    }
    if (zip_set_file_compression(za, (zip_uint64_t)idx, m->store ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
                                 0) < 0) {
        fprintf(stderr, "zip_write: compression of %s: %s\n", m->name, zip_strerror(za));
        return -1;
    }
    if (m->password &&
        zip_file_set_encryption(za, (zip_uint64_t)idx, ZIP_EM_AES_256, m->password) < 0) {
        int code = zip_error_code_zip(zip_get_error(za));
        if (code == ZIP_ER_ENCRNOTSUPP)
            return ZW_E_NOCRYPTO;
        fprintf(stderr, "zip_write: encryption of %s: %s\n", m->name, zip_strerror(za));
        return -1;
    }
    return 0;
}

int zip_write_mem(char **out, size_t *len, const struct zw_member *m, size_t n)
{
    zip_error_t ze;
    zip_stat_t st;
    zip_t *za = NULL;
    char *data = NULL;
    int rc = -1;
    *out = NULL;
    *len = 0;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (!src)
        goto cleanup;
    za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    if (!za) {
        fprintf(stderr, "zip_write: cannot start an archive: %s\n", zip_error_strerror(&ze));
        goto cleanup;
    }
    zip_source_keep(src);   /* the archive is read back from it after zip_close */
    for (size_t i = 0; i < n; i++)
        if ((rc = add_member(za, &m[i])) < 0)
            goto cleanup;
    rc = -1;
    if (zip_close(za) < 0) {
        fprintf(stderr, "zip_write: cannot write the archive: %s\n", zip_strerror(za));
        goto cleanup;
    }
    za = NULL;
    if (zip_source_stat(src, &st) < 0 || zip_source_open(src) < 0) {
        fprintf(stderr, "zip_write: cannot read the archive back\n");
        goto cleanup;
    }
    data = malloc(st.size ? st.size : 1);
    zip_int64_t got = data ? zip_source_read(src, data, st.size) : -1;
    zip_source_close(src);
    if (got < 0 || (zip_uint64_t)got != st.size) {
        fprintf(stderr, "zip_write: cannot read the archive back\n");
        goto cleanup;
    }
    *out = data;
    *len = st.size;
    data = NULL;
    rc = 0;
cleanup:
    if (za)
        zip_discard(za);
    if (src)
        zip_source_free(src);
    zip_error_fini(&ze);
    free(data);
    return rc;
}

int zip_write_file(const char *path, const struct zw_member *m, size_t n)
{
    char *data;
    size_t len;
    int rc = zip_write_mem(&data, &len, m, n);
    if (rc < 0)
        return rc;
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len)
        rc = -1;
    if (f && fclose(f) != 0)
        rc = -1;
    free(data);
    return rc;
}

static uint16_t get16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* The uncompressed size is at offset 22 of a local header (PK\3\4, name at
 * 30) and at offset 24 of a central directory header (PK\1\2, name at 46). */
int zip_write_lie_size(char *zip, size_t len, const char *name, uint32_t size)
{
    unsigned char *p = (unsigned char *)zip;
    size_t nl = strlen(name);
    int patched = 0;
    for (size_t i = 0; i + 46 + nl <= len; i++) {
        int local = memcmp(p + i, "PK\3\4", 4) == 0, central = memcmp(p + i, "PK\1\2", 4) == 0;
        size_t at = local ? 30 : 46;
        if ((local || central) && get16(p + i + (local ? 26 : 28)) == nl &&
            memcmp(p + i + at, name, nl) == 0) {
            put32(p + i + (local ? 22 : 24), size);
            patched++;
        }
    }
    return patched == 2 ? 0 : -1;
}
