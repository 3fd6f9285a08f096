/* zip_read.c: members of an in-memory zip archive through libzip, read-only,
 * never extracted to disk. libzip trusts the central directory's sizes until
 * a member's end, where it checks them: here a member is refused on what it
 * declares before a byte is allocated, and refused again the moment it holds
 * more than it declared, so that no size it lies about is ever allocated. */
#include "zip_read.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

struct zip_in {
    zip_t *za;
    zip_uint64_t total;   /* bytes read from the archive so far */
};

#define invalid(err, ...) lib_error_set(err, LIB_E_INVALID, __VA_ARGS__)

void zip_in_free(struct zip_in *z)
{
    if (!z)
        return;
    if (z->za)
        zip_discard(z->za);   /* read-only: nothing to write back */
    free(z);
}

int zip_in_open(struct zip_in **out, const char *data, size_t len, lib_error *err)
{
    *out = NULL;
    if (len == 0)
        return invalid(err, "not a zip archive (the file is empty)");
    struct zip_in *z = calloc(1, sizeof *z);
    if (!z)
        return lib_error_nomem(err);
    int rc = 0;
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    if (!src) {
        rc = lib_error_nomem(err);
        goto cleanup;
    }
    z->za = zip_open_from_source(src, ZIP_RDONLY, &ze);
    if (!z->za) {
        zip_source_free(src);   /* still ours when the open failed */
        int code = zip_error_code_zip(&ze);
        rc = code == ZIP_ER_MEMORY ? lib_error_nomem(err)
           : code == ZIP_ER_NOZIP  ? invalid(err, "not a zip archive")
                                   : invalid(err, "not a zip archive that can be read (%s)",
                                             zip_error_strerror(&ze));
        goto cleanup;
    }
    zip_int64_t n = zip_get_num_entries(z->za, 0);
    if (n > ZIP_IN_MEMBERS_MAX)
        rc = invalid(err, "the archive has %lld members, more than the limit of %d",
                     (long long)n, ZIP_IN_MEMBERS_MAX);
cleanup:
    zip_error_fini(&ze);
    if (rc < 0) {
        zip_in_free(z);
        return rc;
    }
    *out = z;
    return 0;
}

/* The reason libzip gave for a member it could not open or read, as an
 * error of ours: encryption said as such, the rest as damage. */
static int read_failed(lib_error *err, const char *name, zip_error_t *ze)
{
    int code = zip_error_code_zip(ze);
    if (code == ZIP_ER_MEMORY)
        return lib_error_nomem(err);
    if (code == ZIP_ER_NOPASSWD || code == ZIP_ER_WRONGPASSWD || code == ZIP_ER_ENCRNOTSUPP)
        return invalid(err, "member %s is encrypted", name);
    return invalid(err, "member %s is damaged or in a form not read (%s)", name,
                   zip_error_strerror(ze));
}

/* What the central directory says of the member, checked against the
 * limits before anything is allocated for it. */
static int check_declared(const zip_stat_t *st, const struct zip_in *z, const char *name,
                          lib_error *err)
{
    if ((st->valid & ZIP_STAT_ENCRYPTION_METHOD) && st->encryption_method != ZIP_EM_NONE)
        return invalid(err, "member %s is encrypted", name);
    if (!(st->valid & ZIP_STAT_SIZE) || !(st->valid & ZIP_STAT_COMP_SIZE))
        return invalid(err, "member %s is damaged (its sizes are unknown)", name);
    if (st->size > ZIP_IN_MEMBER_MAX)
        return invalid(err, "member %s declares %llu bytes, more than the limit of %lu MB",
                       name, (unsigned long long)st->size, ZIP_IN_MEMBER_MAX >> 20);
    if (st->size > ZIP_IN_RATIO_FLOOR && st->size / ZIP_IN_RATIO_MAX > st->comp_size) {
        if (st->comp_size == 0)
            return invalid(err, "member %s inflates 0 bytes to %llu: a likely zip bomb", name,
                           (unsigned long long)st->size);
        return invalid(err, "member %s is compressed %llu:1, more than %d:1: a likely zip bomb",
                       name, (unsigned long long)(st->size / st->comp_size), ZIP_IN_RATIO_MAX);
    }
    if (st->size > ZIP_IN_TOTAL_MAX - z->total)
        return invalid(err, "member %s would take what is read from the archive past the "
                            "limit of %lu MB", name, ZIP_IN_TOTAL_MAX >> 20);
    return 0;
}

int zip_in_read(char **out, size_t *len, struct zip_in *z, const char *name, lib_error *err)
{
    *out = NULL;
    *len = 0;
    zip_int64_t idx = zip_name_locate(z->za, name, 0);
    if (idx < 0)
        return lib_error_set(err, LIB_E_NOTFOUND, "the archive has no member %s", name);
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(z->za, (zip_uint64_t)idx, 0, &st) < 0)
        return read_failed(err, name, zip_get_error(z->za));
    int rc = check_declared(&st, z, name, err);
    if (rc < 0)
        return rc;
    zip_file_t *f = zip_fopen_index(z->za, (zip_uint64_t)idx, 0);
    if (!f)
        return read_failed(err, name, zip_get_error(z->za));
    size_t want = (size_t)st.size, got = 0;
    char *data = malloc(want + 1);
    if (!data) {
        rc = lib_error_nomem(err);
        goto cleanup;
    }
    while (got < want) {
        zip_int64_t n = zip_fread(f, data + got, want - got);
        if (n < 0) {
            rc = read_failed(err, name, zip_file_get_error(f));
            goto cleanup;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    if (got < want) {
        rc = invalid(err, "member %s is damaged (it holds %zu bytes of the %zu it declares)",
                     name, got, want);
        goto cleanup;
    }
    /* One byte more: a member that has it lied about its size, and is
     * refused before it can be read any further. At the end, libzip checks
     * the CRC. */
    char extra;
    zip_int64_t n = zip_fread(f, &extra, 1);
    if (n > 0)
        rc = invalid(err, "member %s holds more than the %zu bytes it declares", name, want);
    else if (n < 0)
        rc = read_failed(err, name, zip_file_get_error(f));
cleanup:
    zip_fclose(f);
    if (rc < 0) {
        free(data);
        return rc;
    }
    data[got] = '\0';
    z->total += got;
    *out = data;
    *len = got;
    return 0;
}

int zip_in_each(struct zip_in *z, int (*fn)(void *ctx, const char *name), void *ctx)
{
    zip_int64_t n = zip_get_num_entries(z->za, 0);
    for (zip_int64_t i = 0; i < n; i++) {
        const char *name = zip_get_name(z->za, (zip_uint64_t)i, 0);
        int rc = name ? fn(ctx, name) : 0;
        if (rc)
            return rc;
    }
    return 0;
}
